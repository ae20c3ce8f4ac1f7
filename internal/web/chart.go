package web

// Server-side SVG bar charts. The geometry is computed here and written by the
// "chart" partial with presentation attributes and CSS classes only, so the charts
// need neither JavaScript nor inline styles (the CSP allows neither). Each chart
// also renders its figures as a table for screen readers and for copying.

// Chart geometry, in SVG user units; the SVG scales to its container.
const (
	chartWidth  = 720
	chartLabelX = 232 // right edge of the labels
	chartBarX   = 242
	chartBarMax = 400
	chartRowH   = 32
	chartBarH   = 20
	chartPad    = 8
)

// ChartInput is one row of a chart before layout: a label and its stacked values.
type ChartInput struct {
	Label  string
	Link   string
	Values []ChartValue
}

// ChartValue is one segment of a row.
type ChartValue struct {
	Value int
	Class string
	Name  string // what the segment counts, for stacked rows
}

// LegendItem explains a segment class.
type LegendItem struct {
	Class, Label string
	X, Y         int
}

// Chart is a horizontal bar chart laid out for the "chart" partial.
type Chart struct {
	ID, Title     string
	Width, Height int
	Rows          []chartRow
	Legend        []LegendItem
	// Names are the segment names, for the table's header of stacked charts.
	Names []string
}

// chartRow is one laid-out row.
type chartRow struct {
	Label      string
	Link       string
	LabelX     int
	TextY      int
	Segments   []chartSegment
	Total      int
	TotalX     int
	BarY, BarH int
}

// chartSegment is one laid-out rectangle.
type chartSegment struct {
	X, W  int
	Value int
	Class string
	Name  string
}

// NewChart lays out rows scaled to the largest row total.
func NewChart(id, title string, rows []ChartInput, legend []LegendItem) Chart {
	c := Chart{ID: id, Title: title, Width: chartWidth}
	max := 0
	for _, r := range rows {
		t := 0
		for _, v := range r.Values {
			t += v.Value
		}
		if t > max {
			max = t
		}
	}
	if len(rows) > 0 {
		for _, v := range rows[0].Values {
			if v.Name != "" {
				c.Names = append(c.Names, v.Name)
			}
		}
	}
	y := chartPad
	for _, r := range rows {
		row := chartRow{Label: r.Label, Link: r.Link, LabelX: chartLabelX, TextY: y + chartRowH/2 + 5,
			BarY: y + (chartRowH-chartBarH)/2, BarH: chartBarH}
		x := chartBarX
		for _, v := range r.Values {
			w := 0
			if max > 0 {
				w = v.Value * chartBarMax / max
			}
			if v.Value > 0 && w < 2 {
				w = 2 // a non-zero count stays visible
			}
			row.Segments = append(row.Segments, chartSegment{X: x, W: w, Value: v.Value, Class: v.Class, Name: v.Name})
			x += w
			row.Total += v.Value
		}
		row.TotalX = x + 8
		c.Rows = append(c.Rows, row)
		y += chartRowH
	}
	if len(legend) > 0 {
		x := chartBarX
		for _, l := range legend {
			l.X, l.Y = x, y+chartPad
			c.Legend = append(c.Legend, l)
			x += 160
		}
		y += chartRowH
	}
	c.Height = y + chartPad
	return c
}
