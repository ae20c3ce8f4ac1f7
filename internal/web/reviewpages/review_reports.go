package reviewpages

import (
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/campaigns"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/httpx"
	"github.com/tdkt/tdkt/internal/review"
	"github.com/tdkt/tdkt/internal/web"
)

// The report form (báo cáo sơ kết, tổng kết) of one unit in a campaign. Figures are
// posted as n.<code> (count and money indicators, whole numbers written the
// Vietnamese way, 36.544) and sections as t.<code>; the web only reads the numbers
// the way people write them, and app.Service.ActOnReport validates them against
// the template like the API does. Field errors are keyed numbers.<code> and
// texts.<code>, the names the application gives them, so that both kinds of error
// land next to their field.

// reportData is a report page's content.
type reportData struct {
	V          campaigns.ReportView
	CampaignID string
	// Rows are the template's indicators other than the narrative sections, in the
	// template's order; Sections are the narrative sections.
	Rows     []indicatorRow
	Sections []sectionRow
	Events   []campaigns.ReviewEvent
	// Reason is the return reason as posted, when the return form is re-rendered.
	Reason string
	// CanReadParent links the parent's report, which a commune clerk may not read.
	CanReadParent bool
	can           map[review.Action]bool
}

// Can reports whether the user may take a report action now.
func (d reportData) Can(a string) bool { return d.can[review.Action(a)] }

// Editable reports whether the figures are shown as a form: the user may save or
// submit.
func (d reportData) Editable() bool { return d.Can("save") || d.Can("submit") }

// HasChildren reports whether units report to this one, so that the aggregate of
// their reports is shown beside its own figures.
func (d reportData) HasChildren() bool { return d.V.ChildrenTotal > 0 || len(d.V.Children) > 0 }

// indicatorRow is one indicator of the report form.
type indicatorRow struct {
	R review.Result
	// Agg is the indicator computed over the aggregate of the units below.
	Agg review.Result
	// NewGroup is set on the first row of a group, which starts with its heading.
	NewGroup bool
	// Entered is set for count and money indicators, which the unit enters; the
	// others (percentages, changes, awards) are computed.
	Entered bool
	// FromAggregate is set when the value is the aggregate of the units below,
	// pre-filled by the report's workflow.
	FromAggregate bool
	// Field is the input's name, Key the error's, Input the text the input shows.
	Field, Key, Input string
}

// sectionRow is one narrative section of the report form.
type sectionRow struct {
	Code, Name, Text, AggText string
	FromAggregate             bool
	Field, Key                string
}

// reportPage shows a unit's report in a campaign: its status, deadline, figures
// and sections (a form when the user may save or submit it), the return and accept
// form for the parent's standing body, the units below, and the history.
func (s *server) reportPage(c *gin.Context) {
	campaignID, unitID := c.Param("id"), c.Param("unit")
	v, err := s.cfg.App.Report(web.Ctx(c), web.UserID(c), campaignID, unitID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	p := s.page(c, "reviews", nil)
	if err := s.fillReport(c, p, campaignID, v, nil); err != nil {
		s.Fail(c, err)
		return
	}
	s.Render(c, http.StatusOK, "review_report", p)
}

// fillReport builds the report page's data, with the posted form's values in the
// inputs when it is re-rendered with errors.
func (s *server) fillReport(c *gin.Context, p *page, campaignID string, v campaigns.ReportView, posted url.Values) error {
	events, err := s.cfg.App.ReportHistory(web.Ctx(c), web.UserID(c), campaignID, v.UnitID)
	if err != nil {
		return err
	}
	d := reportData{V: v, CampaignID: campaignID, Events: events, can: map[review.Action]bool{},
		CanReadParent: v.ParentUnitID != "" && s.cfg.App.Can(web.UserID(c), v.ParentUnitID, "review", "read")}
	for _, a := range v.Actions {
		d.can[a] = true
	}
	agg := map[string]review.Result{}
	for _, r := range v.AggregateIndicators {
		agg[r.Code] = r
	}
	prefilled := v.PrefilledAt != nil
	group := ""
	for _, r := range v.Indicators {
		if r.Kind == review.Text {
			sr := sectionRow{Code: r.Code, Name: r.Name, Text: r.Text, AggText: agg[r.Code].Text,
				Field: "t." + r.Code, Key: "texts." + r.Code}
			sr.FromAggregate = prefilled && sr.Text != "" && sr.Text == sr.AggText
			if posted != nil {
				sr.Text = posted.Get(sr.Field)
			}
			d.Sections = append(d.Sections, sr)
			continue
		}
		row := indicatorRow{R: r, Agg: agg[r.Code], NewGroup: r.Group != group, Entered: r.Kind.Numeric(),
			Field: "n." + r.Code, Key: "numbers." + r.Code, Input: r.Display}
		group = r.Group
		if row.Entered && prefilled && r.Number != nil && row.Agg.Number != nil && *r.Number == *row.Agg.Number {
			row.FromAggregate = true
		}
		if posted != nil && row.Entered {
			row.Input = posted.Get(row.Field)
		}
		d.Rows = append(d.Rows, row)
	}
	if posted != nil {
		d.Reason = posted.Get("reason")
	}
	p.Data = d
	return nil
}

// actOnReport takes the posted action through app.Service.ActOnReport: save or
// submit with the figures and sections, or the parent's return (with a reason) or
// acceptance. A form whose numbers cannot be read, or that the application finds
// invalid, is shown again with the errors next to the fields, and nothing changes.
func (s *server) actOnReport(c *gin.Context) {
	campaignID, unitID := c.Param("id"), c.Param("unit")
	uid := web.UserID(c)
	v, err := s.cfg.App.Report(web.Ctx(c), uid, campaignID, unitID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	action := c.PostForm("action")
	if _, ok := review.ParseUserAction(action); !ok {
		s.Fail(c, domain.Invalid("unknown action", domain.FieldError{Field: "action", Message: "one of save, submit, return, accept"}))
		return
	}
	in := campaigns.ReportActInput{Action: action, Reason: c.PostForm("reason"), Note: c.PostForm("note")}
	if in.Version, err = httpx.Version(c.PostForm("version"), "version", "report"); err != nil {
		s.Fail(c, err)
		return
	}
	if err := c.Request.ParseForm(); err != nil {
		s.Fail(c, domain.Invalid("unreadable form"))
		return
	}
	form := c.Request.PostForm
	p := s.page(c, "reviews", nil)
	if action == "save" || action == "submit" {
		if errs := readReportValues(p, v, form, &in); len(errs) > 0 {
			// The figures are only the user's to correct when the action is theirs to
			// take; otherwise the answer is the application's refusal.
			if !containsAction(v.Actions, review.Action(action)) {
				s.Fail(c, s.reportRefusal(uid, v, review.Action(action)))
				return
			}
			p.Error, p.Fields = "error.invalid", errs
			if err := s.fillReport(c, p, campaignID, v, form); err != nil {
				s.Fail(c, err)
				return
			}
			s.Render(c, http.StatusUnprocessableEntity, "review_report", p)
			return
		}
	}
	if _, err := s.cfg.App.ActOnReport(web.Ctx(c), uid, campaignID, unitID, in); err != nil {
		status, ok := p.reviewFormError(err)
		if !ok {
			s.Fail(c, err)
			return
		}
		// Show the report as it stands now, with what the user posted in the inputs.
		if cur, rerr := s.cfg.App.Report(web.Ctx(c), uid, campaignID, unitID); rerr == nil {
			v = cur
		}
		if err := s.fillReport(c, p, campaignID, v, form); err != nil {
			s.Fail(c, err)
			return
		}
		s.Render(c, status, "review_report", p)
		return
	}
	c.Redirect(http.StatusSeeOther, "/reviews/"+url.PathEscape(campaignID)+"/reports/"+url.PathEscape(unitID)+"?ok=report_"+action)
}

func containsAction(list []review.Action, a review.Action) bool {
	for _, x := range list {
		if x == a {
			return true
		}
	}
	return false
}

// reportRefusal is the error app.Service.ActOnReport gives a user who may not take
// the action now, checked in the same order: a campaign that has ended or the
// requesting unit's own report is a conflict, a missing permission is forbidden,
// anything else is the report's state.
func (s *server) reportRefusal(uid int64, v campaigns.ReportView, a review.Action) error {
	if v.CampaignStatus != "running" || v.Depth == 0 {
		return domain.Errorf(domain.KindConflict, "the report takes no actions")
	}
	perm, at := "edit", v.UnitID
	switch a {
	case review.ActionSubmit:
		perm = "submit"
	case review.ActionReturn, review.ActionAccept:
		perm, at = "appraise", v.ParentUnitID
	}
	if !s.cfg.App.Can(uid, at, "review", perm) {
		return domain.Errorf(domain.KindForbidden, "you may not %s this report", a)
	}
	return domain.Errorf(domain.KindConflict, "the report is %s", v.Status)
}

// wholeNumber is a non-negative whole number as people write it: plain digits, or
// grouped by thousands with dots or spaces (36.544, 3 468 179 900).
var wholeNumber = regexp.MustCompile(`^(\d+|\d{1,3}([. ]\d{3})+)$`)

// parseWholeNumber reads a whole number written the Vietnamese way; ok is false
// for anything else (a decimal comma, a sign, letters).
func parseWholeNumber(s string) (int64, bool) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\u00a0", " "))
	if !wholeNumber.MatchString(s) {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.NewReplacer(".", "", " ", "").Replace(s), 10, 64)
	return n, err == nil
}

// readReportValues reads the posted figures and sections of the report's template
// into in: a changed entry is set, an emptied one cleared. It returns the field
// errors of numbers that cannot be read, translated, by field key.
func readReportValues(p *page, v campaigns.ReportView, form url.Values, in *campaigns.ReportActInput) map[string]string {
	errs := map[string]string{}
	for _, r := range v.Indicators {
		switch {
		case r.Kind.Numeric():
			raw, posted := form["n."+r.Code]
			if !posted {
				continue
			}
			text := strings.TrimSpace(raw[0])
			if text == "" {
				if r.Number != nil {
					in.Clear = append(in.Clear, r.Code)
				}
				continue
			}
			n, ok := parseWholeNumber(text)
			switch {
			case !ok:
				errs["numbers."+r.Code] = p.T("rfield.number")
			case n > review.MaxNumber:
				errs["numbers."+r.Code] = p.T("rfield.too_big")
			default:
				if in.Numbers == nil {
					in.Numbers = map[string]int64{}
				}
				in.Numbers[r.Code] = n
			}
		case r.Kind == review.Text:
			raw, posted := form["t."+r.Code]
			if !posted {
				continue
			}
			if strings.TrimSpace(raw[0]) == "" {
				if r.Text != "" {
					in.Clear = append(in.Clear, r.Code)
				}
				continue
			}
			if in.Texts == nil {
				in.Texts = map[string]string{}
			}
			in.Texts[r.Code] = raw[0]
		}
	}
	return errs
}

// reviewFieldMessages translates the application's field messages of movements,
// campaigns, schedules and reports (English, stable) by prefix; the others go
// through fieldMessage.
var reviewFieldMessages = []struct{ prefix, key string }{
	{"must be a whole number", "rfield.number"},
	{"must be in the future", "rfield.future"},
	{"must be a date", "rfield.date"},
	{"a level reports before its parent's deadline", "rfield.level_order"},
	{"the first level's deadline is the final deadline", "rfield.first_level"},
	{"give a final deadline or the level deadlines", "rfield.deadline_required"},
	{"must be after period_start", "rfield.period_order"},
	{"one of annual, midterm, final", "rfield.kind"},
	{"0 to ", "rfield.range"},
	{"0 (all) to 10", "rfield.range"},
	{"working days out of range", "rfield.range"},
	{"an hour of the working day", "rfield.hour"},
	{"month 1–12 and day 1–28", "rfield.day"},
	{"not below ", "rfield.scope"},
	{"launched by ", "rfield.scope"},
	{"state the unit's commitments", "rfield.commitments"},
	{"say what must be corrected", "rfield.reason"},
}

// reviewFormError is formError with the review vocabulary's field messages in
// Vietnamese.
func (p *page) reviewFormError(err error) (int, bool) {
	status, ok := p.FormError(err)
	var de *domain.Error
	if !ok || p.Lang == "en" || !errors.As(err, &de) {
		return status, ok
	}
	for _, f := range de.Fields {
		for _, m := range reviewFieldMessages {
			if strings.HasPrefix(f.Message, m.prefix) {
				p.Fields[f.Field] = p.T(m.key)
				break
			}
		}
	}
	return status, ok
}

// ReviewEvent labels an event of a report's history.
func (p *page) ReviewEvent(action string) string { return p.T("revent." + action) }

// EventDetail returns a text detail of a report event (the return reason, the
// note), or "".
func (p *page) EventDetail(e campaigns.ReviewEvent, key string) string {
	if s, ok := e.Details[key].(string); ok {
		return s
	}
	return ""
}

// ReportURL is the web address of a unit's report in a campaign.
func (p *page) ReportURL(campaignID, unitID string) string {
	return "/reviews/" + url.PathEscape(campaignID) + "/reports/" + url.PathEscape(unitID)
}
