package adminpages

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/statistics"
	"github.com/tdkt/tdkt/internal/web"
)

// statisticsData is the statistics page: the chosen form, year and unit, the units
// to choose from, and the computed form.
type statisticsData struct {
	Form, Year, Unit string
	Forms            []string
	Units            []web.UnitOption
	Movements        *statistics.MovementForm
	Awards           *statistics.AwardForm
	KindNames        []string
	LevelNames       []string
	// Tables are the awards form's tables (by award, by submitting body), each
	// with its total line first.
	Tables []statisticsTable
}

// statisticsTable is one table of an awards form.
type statisticsTable struct {
	ID, CaptionKey string
	Lines          []statistics.Line
}

// query is the page's query for another form, keeping year and unit.
func (d statisticsData) query(form string) string {
	q := url.Values{"form": {form}, "year": {d.Year}}
	if d.Unit != "" {
		q.Set("unit", d.Unit)
	}
	return q.Encode()
}

// IndividualSpan is the number of the individuals' columns: the total and one per category.
func (d statisticsData) IndividualSpan() int { return len(d.LevelNames) + 1 }

// FormURL links the page for another form.
func (d statisticsData) FormURL(form string) string { return "/statistics?" + d.query(form) }

// ExportURL is the XLSX of the shown form.
func (d statisticsData) ExportURL() string { return "/statistics/export?" + d.query(d.Form) }

// statisticsQuery reads form, year and unit from the request; the form defaults
// to 0603 and the year to the current one.
func (s *server) statisticsQuery(c *gin.Context) (statisticsData, statistics.Query) {
	d := statisticsData{Form: c.DefaultQuery("form", statistics.FormProvince), Year: c.Query("year"), Unit: c.Query("unit"),
		Forms: statistics.Forms, KindNames: statistics.KindNames[:], LevelNames: statistics.LevelNames}
	if d.Year == "" {
		d.Year = strconv.Itoa(s.Now().In(calendar.Zone).Year())
	}
	q := statistics.Query{Form: d.Form, UnitID: d.Unit}
	q.Year, _ = strconv.Atoi(d.Year) // a bad year is 0, refused by the use case
	return d, q
}

// statisticsPage shows a statistics form of Thông tư 02/2023/TT-BNV. It is reached
// from the decisions register (the menu has no room for another item at 1280 px).
func (s *server) statisticsPage(c *gin.Context) {
	d, q := s.statisticsQuery(c)
	roots, err := s.cfg.App.Units(web.Ctx(c), web.UserID(c))
	if err != nil {
		s.Fail(c, err)
		return
	}
	d.Units = web.FlattenUnits(roots, 0, nil)
	r, err := s.cfg.App.Statistics(web.Ctx(c), web.UserID(c), q)
	if err != nil {
		s.Fail(c, err)
		return
	}
	d.Movements, d.Awards = r.Movements, r.Awards
	if a := r.Awards; a != nil {
		total := statistics.Line{Counts: a.Total}
		d.Tables = append(d.Tables, statisticsTable{ID: "statistics", CaptionKey: "statistics.by_award", Lines: append([]statistics.Line{total}, a.ByAward...)})
		if len(a.BySubmitter) > 0 {
			d.Tables = append(d.Tables, statisticsTable{ID: "statistics-submitters", CaptionKey: "statistics.by_submitter",
				Lines: append([]statistics.Line{total}, a.BySubmitter...)})
		}
	}
	s.Render(c, http.StatusOK, "statistics", s.page(c, "decisions", d))
}

// statisticsExport sends the form as an XLSX workbook in the form's layout.
func (s *server) statisticsExport(c *gin.Context) {
	_, q := s.statisticsQuery(c)
	r, err := s.cfg.App.Statistics(web.Ctx(c), web.UserID(c), q)
	if err != nil {
		s.Fail(c, err)
		return
	}
	name := fmt.Sprintf("bieu-%s-%d.xlsx", q.Form, q.Year)
	c.Header("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	c.Header("Content-Disposition", fmt.Sprintf("attachment; filename=%q; filename*=UTF-8''%s", name, url.PathEscape(name)))
	c.Status(http.StatusOK)
	if err := statistics.WriteXLSX(c.Writer, r, r.UnitName()); err != nil {
		s.cfg.Log.Error("statistics export", "err", err)
	}
}
