package web

// The narrow layout of a bar chart, for phones: the wide layout's 720 units shrink
// to a third on a 390 px screen and its labels to about 6 px, so the chart partial
// also writes this layout, which CSS shows instead below 36rem. Each label stands
// on its own line above its bar, so the bars get the whole width.
const (
	narrowWidth  = 360
	narrowBarMax = 300
	narrowRowH   = 44
	narrowBarH   = 14
	narrowLegend = 180
)

// narrow lays c's rows out for a narrow screen: same rows and values, labels
// above the bars.
func (c Chart) narrow() Chart {
	n := Chart{ID: c.ID + "-narrow", Title: c.Title, Width: narrowWidth, Names: c.Names}
	max := 0
	for _, r := range c.Rows {
		if r.Total > max {
			max = r.Total
		}
	}
	y := chartPad
	for _, r := range c.Rows {
		row := chartRow{Label: r.Label, Link: r.Link, LabelX: 0, TextY: y + 14, BarY: y + 22, BarH: narrowBarH, Total: r.Total}
		x := 0
		for _, s := range r.Segments {
			w := 0
			if max > 0 {
				w = s.Value * narrowBarMax / max
			}
			if s.Value > 0 && w < 2 {
				w = 2
			}
			row.Segments = append(row.Segments, chartSegment{X: x, W: w, Value: s.Value, Class: s.Class, Name: s.Name})
			x += w
		}
		row.TotalX = x + 6
		n.Rows = append(n.Rows, row)
		y += narrowRowH
	}
	for i, l := range c.Legend {
		l.X, l.Y = (i%2)*narrowLegend, y+chartPad+(i/2)*24
		n.Legend = append(n.Legend, l)
	}
	if len(c.Legend) > 0 {
		y += ((len(c.Legend)+1)/2)*24 + chartPad
	}
	n.Height = y + chartPad
	return n
}

// Narrow returns the chart's narrow layout, for the chart partial.
func (c Chart) Narrow() Chart { return c.narrow() }
