package adminpages

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/awards"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/history"
	"github.com/tdkt/tdkt/internal/importer"
	"github.com/tdkt/tdkt/internal/web"
)

// Pages of the award history register (lịch sử thi đua, khen thưởng): the
// subjects of the units the user may read, a subject's ratings, awards,
// initiatives and holds with the eligibility check for a chosen award, the forms
// that record one entry, and the history import. Every read and write is an
// app.Service use case (Subjects, SubjectHistory, CheckEligibility,
// RecordHistory, ImportHistory) with the API's Casbin checks: "history read" in
// the subject's unit to see it, "history record" to change it.

// historyListData is the subject list's content.
type historyListData struct {
	Subjects []subjectRow
	Units    []web.UnitOption
	Q        string
	UnitID   string
	Kind     string
	Kinds    []string
	Page     int
	PrevURL  string
	NextURL  string
	// CanImport links the import page: the user records the history of some unit.
	CanImport bool
	Formats   []importer.Format
}

// subjectRow is one subject of the list with its unit's name.
type subjectRow struct {
	history.Subject
	UnitName string
}

// recordableUnits lists the units whose history the user may record, for the
// import form; empty for a reader. The policy's own list is asked once, rather
// than each unit of a province in turn.
func (s *server) recordableUnits(c *gin.Context, units []web.UnitOption) []web.UnitOption {
	allowed := map[string]bool{}
	for _, id := range s.cfg.App.Authz.VisibleUnits(web.UserID(c), "history", "record") {
		allowed[id] = true
	}
	var out []web.UnitOption
	for _, u := range units {
		if allowed[u.ID] {
			out = append(out, u)
		}
	}
	return out
}

// readableUnits lists the units the user may see, flattened for a select, and
// their names by id.
func (s *server) readableUnits(c *gin.Context) ([]web.UnitOption, map[string]string, error) {
	roots, err := s.cfg.App.Units(web.Ctx(c), web.UserID(c))
	if err != nil {
		return nil, nil, err
	}
	units := web.FlattenUnits(roots, 0, nil)
	names := make(map[string]string, len(units))
	for _, u := range units {
		names[u.ID] = u.Name
	}
	return units, names, nil
}

// historyList shows the subjects of the units whose history the user may read,
// a page at a time, found by code or by name typed with or without diacritics.
func (s *server) historyList(c *gin.Context) {
	d := historyListData{Q: strings.TrimSpace(c.Query("q")), UnitID: c.Query("unit"), Kind: c.Query("kind"),
		Kinds: web.NomineeKinds, Page: 1, Formats: []importer.Format{importer.FormatXLSX, importer.FormatCSV}}
	if !slices.Contains(web.NomineeKinds, d.Kind) {
		d.Kind = ""
	}
	if pg, err := strconv.Atoi(c.Query("page")); err == nil && pg > 1 && pg < 100_000 {
		d.Page = pg
	}
	// One more than a page tells whether there is a next page.
	subs, err := s.cfg.App.Subjects(web.Ctx(c), web.UserID(c), awards.SubjectFilter{UnitID: d.UnitID, Kind: d.Kind, Query: d.Q,
		Limit: web.PageSize + 1, Offset: (d.Page - 1) * web.PageSize})
	if err != nil {
		s.Fail(c, err)
		return
	}
	units, names, err := s.readableUnits(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	d.Units = units
	d.CanImport = len(s.recordableUnits(c, units)) > 0
	more := len(subs) > web.PageSize
	if more {
		subs = subs[:web.PageSize]
	}
	for _, sub := range subs {
		name := names[sub.UnitID]
		if name == "" {
			name = sub.UnitID
		}
		d.Subjects = append(d.Subjects, subjectRow{Subject: sub, UnitName: name})
	}
	q := c.Request.URL.Query()
	q.Del("ok")
	q.Del("n")
	if d.Page > 1 {
		q.Set("page", strconv.Itoa(d.Page-1))
		d.PrevURL = "/history?" + q.Encode()
	}
	if more {
		q.Set("page", strconv.Itoa(d.Page+1))
		d.NextURL = "/history?" + q.Encode()
	}
	s.Render(c, http.StatusOK, "history", s.page(c, "history", d))
}

// subjectData is a subject page's content.
type subjectData struct {
	Rec      *history.Record
	UnitName string
	Awards   []domain.Award
	// AwardNames names the award codes of the history.
	AwardNames map[string]string
	Ratings    []history.TaskRating
	// Check is the eligibility form's choice; Elig its answer, when asked.
	Check     eligibilityChoice
	Elig      *awards.SubjectEligibility
	CanRecord bool
	// Form is what the user typed into a refused record form, and Section which one.
	Form    url.Values
	Section string
	Options recordOptions
}

// eligibilityChoice is the award and year the eligibility is checked for.
type eligibilityChoice struct {
	Award string
	Year  int
}

// recordOptions are the choices of the record forms.
type recordOptions struct {
	Ratings    []history.Rating
	AwardKinds []history.AwardKind
	Levels     []string
	Scopes     []history.Scope
	HoldKinds  []history.HoldKind
}

var historyOptions = recordOptions{
	Ratings:    []history.Rating{history.RatingExcellent, history.RatingGood, history.RatingDone, history.RatingNotDone},
	AwardKinds: []history.AwardKind{history.AwardMerit, history.AwardExtraordinary, history.AwardMovement, history.AwardLongService, history.AwardSeniority, history.AwardForeign},
	Levels:     []string{"commune", "district", "province", "central"},
	Scopes:     []history.Scope{history.ScopeGrassroots, history.ScopeProvince, history.ScopeNational},
	HoldKinds:  []history.HoldKind{history.HoldDiscipline, history.HoldInvestigation, history.HoldInspection, history.HoldComplaint},
}

// Value returns what the user typed into a field of the refused form, or def.
func (d *subjectData) Value(section, field, def string) string {
	if d.Section == section && d.Form.Has(field) {
		return d.Form.Get(field)
	}
	return def
}

// AwardName names an award code, or returns the code.
func (d *subjectData) AwardName(code string) string {
	if n := d.AwardNames[code]; n != "" {
		return n
	}
	return code
}

// subjectPage shows a subject's history and, with ?award=&year=, its eligibility.
func (s *server) subjectPage(c *gin.Context) {
	s.showSubject(c, nil, "", nil, http.StatusOK)
}

// subjectID reads the subject id of the path; an id that is not a number is an
// unknown subject.
func subjectID(c *gin.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.Errorf(domain.KindNotFound, "no such subject")
	}
	return id, nil
}

// showSubject renders a subject's page; p, when set, carries a refused record
// form's errors, form what was typed into it and section which form it was.
func (s *server) showSubject(c *gin.Context, p *page, section string, form url.Values, status int) {
	id, err := subjectID(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	uid := web.UserID(c)
	rec, err := s.cfg.App.SubjectHistory(web.Ctx(c), uid, id)
	if err != nil {
		s.Fail(c, err)
		return
	}
	d := &subjectData{Rec: rec, UnitName: rec.Subject.UnitID, AwardNames: map[string]string{}, Form: form, Section: section,
		Options: historyOptions, CanRecord: s.cfg.App.Can(uid, rec.Subject.UnitID, "history", "record")}
	if _, names, err := s.readableUnits(c); err != nil {
		s.Fail(c, err)
		return
	} else if n := names[rec.Subject.UnitID]; n != "" {
		d.UnitName = n
	}
	catalogue, err := s.cfg.App.Awards(web.Ctx(c))
	if err != nil {
		s.Fail(c, err)
		return
	}
	for _, a := range catalogue {
		d.AwardNames[a.Code] = a.Name
		if a.AllowsKind(rec.Subject.Kind) {
			d.Awards = append(d.Awards, a)
		}
	}
	d.Ratings = slices.Clone(rec.Ratings)
	slices.SortFunc(d.Ratings, func(a, b history.TaskRating) int { return b.Year - a.Year })
	if p == nil {
		p = s.page(c, "history", d)
	} else {
		p.Data = d
	}
	d.Check = eligibilityChoice{Award: strings.ToUpper(strings.TrimSpace(c.Query("award"))), Year: s.Now().Year() - 1}
	if y, err := strconv.Atoi(c.Query("year")); err == nil {
		d.Check.Year = y
	}
	if d.Check.Award != "" && c.Request.Method == http.MethodGet {
		e, err := s.cfg.App.CheckEligibility(web.Ctx(c), uid, awards.EligibilityQuery{SubjectID: id, AwardCode: d.Check.Award, Year: d.Check.Year})
		if err != nil {
			st, ok := p.FormError(err)
			if !ok {
				s.Fail(c, err)
				return
			}
			for k, v := range p.Fields {
				p.Fields["check_"+k] = v
			}
			status = st
		} else {
			d.Elig = &e
		}
	}
	s.Render(c, status, "subject", p)
}

// recordEntry records one entry of a subject's history (a yearly rating, an
// award, an initiative or a hold) through app.Service.RecordHistory, as a batch
// of one row: the same validation and permission as a bulk entry or an import.
func (s *server) recordEntry(c *gin.Context) {
	id, err := subjectID(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	rec, err := s.cfg.App.SubjectHistory(web.Ctx(c), web.UserID(c), id)
	if err != nil {
		s.Fail(c, err)
		return
	}
	if err := s.cfg.App.Allow(web.UserID(c), rec.Subject.UnitID, "history", "record"); err != nil {
		s.Fail(c, err)
		return
	}
	if err := c.Request.ParseForm(); err != nil {
		s.Fail(c, domain.Invalid("unreadable form"))
		return
	}
	form := c.Request.PostForm
	section := form.Get("section")
	code := rec.Subject.Code
	// A year that is not a number is 0, which the validation refuses as not a year.
	year, _ := strconv.Atoi(strings.TrimSpace(form.Get("year")))
	b := history.Batch{UnitID: rec.Subject.UnitID}
	switch section {
	case history.SectionRatings:
		b.Ratings = []history.RatingEntry{{SubjectCode: code, Year: year, Rating: form.Get("rating")}}
	case history.SectionAwards:
		b.Awards = []history.AwardEntry{{SubjectCode: code, Year: year, AwardCode: form.Get("award_code"),
			AwardKind: form.Get("award_kind"), Level: form.Get("level"), DecisionCode: form.Get("decision_code"),
			DecisionDate: form.Get("decision_date"), Note: form.Get("note")}}
	case history.SectionInitiatives:
		b.Initiatives = []history.InitiativeEntry{{SubjectCode: code, Year: year, Title: form.Get("title"),
			Scope: form.Get("scope"), RecognisedBy: form.Get("recognised_by"), DecisionCode: form.Get("decision_code"),
			RecognisedOn: form.Get("recognised_on")}}
	case history.SectionHolds:
		b.Holds = []history.HoldEntry{{SubjectCode: code, Kind: form.Get("kind"), StartsOn: form.Get("starts_on"),
			EndsOn: form.Get("ends_on"), Reason: form.Get("reason"), DecisionCode: form.Get("decision_code")}}
	default:
		s.Fail(c, domain.Invalid("unknown section"))
		return
	}
	if _, err := s.cfg.App.RecordHistory(web.Ctx(c), web.UserID(c), b); err != nil {
		p := s.page(c, "history", nil)
		var bad history.RowErrors
		if domain.KindOf(err) != domain.KindInvalid || !errors.As(err, &bad) {
			status, ok := p.FormError(err)
			if !ok {
				s.Fail(c, err)
				return
			}
			s.showSubject(c, p, section, form, status)
			return
		}
		// The rows of a batch of one are this form's fields.
		p.Error, p.Fields = "error.invalid", map[string]string{}
		for _, r := range bad {
			field := r.Field
			if field == "" {
				field = "entry"
			}
			if _, dup := p.Fields[section+"."+field]; !dup {
				p.Fields[section+"."+field] = p.RowMessage(r)
			}
		}
		s.showSubject(c, p, section, form, http.StatusUnprocessableEntity)
		return
	}
	c.Redirect(http.StatusSeeOther, "/history/subjects/"+c.Param("id")+"?ok=history_"+section+"#"+section)
}

// historyImportData is the history import page's content.
type historyImportData struct {
	Units   []web.UnitOption
	UnitID  string
	Sheets  []importer.Sheet
	Sheet   string
	Import  *web.ImportView
	MaxRows int
}

// historyImportForm shows the history import page to a user who records the
// history of some unit; to anyone else it is forbidden, as the API's import is.
func (s *server) historyImportForm(c *gin.Context) {
	d, ok := s.historyImportData(c)
	if !ok {
		return
	}
	s.Render(c, http.StatusOK, "history_import", s.page(c, "history", d))
}

func (s *server) historyImportData(c *gin.Context) (*historyImportData, bool) {
	units, _, err := s.readableUnits(c)
	if err != nil {
		s.Fail(c, err)
		return nil, false
	}
	d := &historyImportData{Units: s.recordableUnits(c, units), Sheets: importer.HistorySheets(), MaxRows: importer.MaxRows}
	if len(d.Units) == 0 {
		s.Fail(c, domain.Errorf(domain.KindForbidden, "you may not record the history of any unit"))
		return nil, false
	}
	d.UnitID = d.Units[0].ID
	return d, true
}

// importHistory imports an uploaded history workbook (or the CSV file of one
// sheet) into a unit, all or nothing. The permission is checked before the file
// is read, as the API does, so that an outsider learns nothing from it.
func (s *server) importHistory(c *gin.Context) {
	unit, sheet := c.PostForm("unit"), c.PostForm("sheet")
	if unit == "" {
		s.Fail(c, domain.Invalid("name the unit to import into"))
		return
	}
	if err := s.cfg.App.Allow(web.UserID(c), unit, "history", "record"); err != nil {
		s.Fail(c, err)
		return
	}
	data, format, name, ok, err := s.UploadedSheet(c, "file")
	if !ok {
		return
	}
	if err == nil {
		var res history.BatchResult
		res, err = s.cfg.App.ImportHistory(web.Ctx(c), web.UserID(c), unit, data, format, sheet)
		if err == nil {
			n := res.SubjectsCreated + res.SubjectsUpdated + res.Ratings + res.Awards + res.Initiatives + res.Holds
			c.Redirect(http.StatusSeeOther, "/history?"+url.Values{"unit": {unit}, "ok": {"history_imported"}, "n": {strconv.Itoa(n)}}.Encode())
			return
		}
	}
	d, ok := s.historyImportData(c)
	if !ok {
		return
	}
	d.UnitID, d.Sheet = unit, sheet
	p := s.page(c, "history", d)
	d.Import = &web.ImportView{FileName: name}
	status, ok := p.ImportRefused(d.Import, err)
	if !ok {
		s.Fail(c, err)
		return
	}
	s.Render(c, status, "history_import", p)
}

// HistorySheets lists the sheets of the history workbook, for the CSV choices.
func (p *page) HistorySheets() []importer.Sheet { return importer.HistorySheets() }

// entryField is the data of the "entry-year" and "entry-date" partials: one field
// of a record form, with what was typed and its error.
type entryField struct {
	P       *page
	Section string
	Field   string
	Label   string
}

// Entry builds the data of a record form's year field.
func (p *page) Entry(section string) entryField {
	return entryField{P: p, Section: section, Field: "year"}
}

// EntryDate builds the data of a record form's date field.
func (p *page) EntryDate(section, field, label string) entryField {
	return entryField{P: p, Section: section, Field: field, Label: label}
}

// Value is what was typed into a field of the refused form, or its default: the
// year before this one for a year.
func (f entryField) Value(field string) string {
	d, _ := f.P.Data.(*subjectData)
	def := ""
	if field == "year" {
		def = strconv.Itoa(f.P.Now().Year() - 1)
	}
	if d == nil {
		return def
	}
	return d.Value(f.Section, field, def)
}

// Error is the field's error.
func (f entryField) Error(field string) string { return f.P.FieldError(f.Section + "." + field) }
