package inboxpages

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"
	"github.com/xuri/excelize/v2"

	"github.com/tdkt/tdkt/internal/calendar"
)

// inboxExport sends the inbox, with the filters of the page, as an XLSX workbook:
// one row per task with the dossier, award, step, unit, due date, working days
// left, assignee and whether the user acts in it by delegation.
func (s *server) inboxExport(c *gin.Context) {
	d, err := s.inboxTasks(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	p := s.page(c, "inbox", d)
	f := excelize.NewFile()
	defer f.Close()
	sheet := p.T("inbox.title")
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		s.Fail(c, err)
		return
	}
	head := []any{p.T("common.code"), p.T("inbox.col.sender"), p.T("inbox.col.nominees"), p.T("inbox.col.dossier"), p.T("common.award"), p.T("inbox.col.step"), p.T("inbox.col.unit"),
		p.T("inbox.col.due"), p.T("export.days_left"), p.T("deadlines.assignee"), p.T("inbox.delegated"), p.T("export.link")}
	rows := [][]any{head}
	for _, t := range d.Tasks {
		due := p.DueRisk(t.DueAt, t.AtRisk)
		delegated := ""
		if t.Acting {
			delegated = p.T("inbox.delegated")
		}
		rows = append(rows, []any{t.DossierCode, t.SenderUnitName, t.NomineeCount, t.NominationTitle, d.AwardNames[t.AwardCode], p.Step(t.Step), t.UnitName,
			due.Date, due.Text, t.AssigneeName, delegated, "/dossiers/" + t.NominationID})
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			s.Fail(c, err)
			return
		}
	}
	if bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}); err == nil {
		_ = f.SetRowStyle(sheet, 1, 1, bold)
	}
	_ = f.SetColWidth(sheet, "A", "C", 22)
	_ = f.SetColWidth(sheet, "D", "D", 60)
	_ = f.SetColWidth(sheet, "E", "K", 22)
	name := "viec-can-xu-ly-" + s.Now().In(calendar.Zone).Format("20060102") + ".xlsx"
	c.Header("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	c.Header("Content-Disposition", fmt.Sprintf("attachment; filename=%q; filename*=UTF-8''%s", name, url.PathEscape(name)))
	c.Status(http.StatusOK)
	if err := f.Write(c.Writer); err != nil {
		s.cfg.Log.Error("inbox export", "err", err)
	}
}

// ExportURL is the export of the inbox with its filters.
func (d inboxData) ExportURL() string {
	q := url.Values{}
	if d.Step != "" {
		q.Set("step", d.Step)
	}
	if d.Overdue {
		q.Set("overdue", "1")
	}
	if d.Q != "" {
		q.Set("q", d.Q)
	}
	if len(q) == 0 {
		return "/inbox/export.xlsx"
	}
	return "/inbox/export.xlsx?" + q.Encode()
}
