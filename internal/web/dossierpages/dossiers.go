package dossierpages

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/dossiers"
	"github.com/tdkt/tdkt/internal/web"
)

// Pages of the dossiers (hồ sơ đề nghị): the list, the create and edit forms, the
// dossier page with its route, nominees, history and action forms, and the action
// endpoint behind those forms.

// listData is the dossier list's content.
type listData struct {
	Dossiers []dossiers.DossierListEntry
	Units    []web.UnitOption
	Awards   []domain.Award
	Statuses []domain.Status
	Filter   dossiers.NominationFilter
	Year     string
	Page     int
	PrevURL  string
	NextURL  string
	CanNew   bool
}

func (s *server) dossierList(c *gin.Context) {
	uid := web.UserID(c)
	f := dossiers.NominationFilter{UnitID: c.Query("unit"), Status: c.Query("status"), AwardCode: c.Query("award"),
		Query: strings.TrimSpace(c.Query("q")), Limit: web.PageSize}
	d := listData{Statuses: web.AllStatuses, Year: c.Query("year")}
	if y, err := strconv.Atoi(d.Year); err == nil {
		f.Year = y
	}
	if pg, err := strconv.Atoi(c.Query("page")); err == nil && pg > 1 {
		d.Page = pg
		f.Offset = (pg - 1) * web.PageSize
	} else {
		d.Page = 1
	}
	var err error
	if d.Dossiers, err = s.cfg.App.DossierList(web.Ctx(c), uid, f); err != nil {
		s.Fail(c, err)
		return
	}
	roots, err := s.cfg.App.Units(web.Ctx(c), uid)
	if err != nil {
		s.Fail(c, err)
		return
	}
	d.Units = web.FlattenUnits(roots, 0, nil)
	if d.Awards, err = s.cfg.App.Awards(web.Ctx(c)); err != nil {
		s.Fail(c, err)
		return
	}
	creatable, err := s.cfg.App.CreatableUnits(web.Ctx(c), uid)
	if err != nil {
		s.Fail(c, err)
		return
	}
	d.CanNew = len(creatable) > 0
	d.Filter = f
	q := c.Request.URL.Query()
	if d.Page > 1 {
		q.Set("page", strconv.Itoa(d.Page-1))
		d.PrevURL = "/dossiers?" + q.Encode()
	}
	if len(d.Dossiers) == web.PageSize {
		q.Set("page", strconv.Itoa(d.Page+1))
		d.NextURL = "/dossiers?" + q.Encode()
	}
	s.Render(c, http.StatusOK, "dossiers", s.page(c, "dossiers", d))
}

// formData is the create and edit form's content.
type formData struct {
	// Dossier is the dossier being edited; nil on the create form.
	Dossier *domain.Nomination
	Units   []domain.Unit
	Awards  []domain.Award
	Kinds   []string
	// DossierKinds are the kinds of commendation the create form offers; Kind is the one chosen.
	DossierKinds []domain.NominationKind
	Kind         string
	// Levels are the categories of an individual nominee (statistics forms).
	Levels    []domain.LeadershipLevel
	UnitID    string
	AwardCode string
	Year      int
	Title     string
	Rows      []dossiers.NomineeInput
	// Codes are the subject codes of the rows (subject_link.go).
	Codes []string
	// CanSubmit offers "save and submit" on the edit form.
	CanSubmit bool
	// Import is the nominee import form's state: a refused file's bad rows.
	Import *web.ImportView
}

// RowURL is where htmx fetches an empty nominee row with the form's kinds.
func (d *formData) RowURL() string {
	if d.Dossier == nil {
		return "/fragments/nominee-row"
	}
	q := url.Values{"kind": d.Kinds}
	return "/fragments/nominee-row?" + q.Encode()
}

// rowData is one nominee row of the form.
type rowData struct {
	P     *page
	Index int // 0-based position, or -1 for a row added in place
	Row   dossiers.NomineeInput
	Kinds []string
}

// Row builds the data of one nominee row for the template.
func (p *page) Row(i int, r dossiers.NomineeInput, kinds []string) rowData {
	return rowData{P: p, Index: i, Row: r, Kinds: kinds}
}

// Field names a field of the row, as the application's errors name it.
func (r rowData) Field(name string) string {
	return "nominees[" + strconv.Itoa(r.Index) + "]." + name
}

// Levels are the categories an individual nominee may be given, not stated last.
func (r rowData) Levels() []domain.LeadershipLevel { return domain.LeadershipLevels }

// LevelLabel names a category in the page's language.
func (r rowData) LevelLabel(l domain.LeadershipLevel) string { return leadershipLabel(r.P.Page, l) }

// leadershipLabel names an individual's category in the page's language.
func leadershipLabel(p *web.Page, l domain.LeadershipLevel) string {
	if l == domain.LevelNotStated {
		return p.T("leadership.not_stated")
	}
	return p.T("leadership." + string(l))
}

// Number is the row's 1-based number.
func (r rowData) Number() int { return r.Index + 1 }

func (s *server) newDossier(c *gin.Context) {
	d, err := s.formOptions(c, nil)
	if err != nil {
		s.Fail(c, err)
		return
	}
	d.Year = s.Now().Year()
	if len(d.Units) == 1 {
		d.UnitID = d.Units[0].ID
	}
	d.Rows = []dossiers.NomineeInput{{Kind: string(domain.NomineeIndividual)}}
	s.Render(c, http.StatusOK, "dossier_form", s.page(c, "dossiers", d))
}

// formOptions loads the choices of the create form (units the user may create in,
// the award catalogue) or of the edit form (the award's nominee kinds).
func (s *server) formOptions(c *gin.Context, n *domain.Nomination) (*formData, error) {
	d := &formData{Dossier: n, Kinds: web.NomineeKinds, DossierKinds: domain.NominationKinds, Levels: domain.LeadershipLevels}
	if n != nil {
		d.CanSubmit = slices.Contains(s.cfg.App.AvailableActions(web.Ctx(c), web.UserID(c), *n), domain.ActionSubmit)
		awards, err := s.cfg.App.Awards(web.Ctx(c))
		if err != nil {
			return nil, err
		}
		for _, a := range awards {
			if a.Code == n.AwardCode {
				d.Kinds = nil
				for _, k := range web.NomineeKinds {
					if a.AllowsKind(domain.NomineeKind(k)) {
						d.Kinds = append(d.Kinds, k)
					}
				}
			}
		}
		return d, nil
	}
	var err error
	if d.Units, err = s.cfg.App.CreatableUnits(web.Ctx(c), web.UserID(c)); err != nil {
		return nil, err
	}
	if d.Awards, err = s.cfg.App.Awards(web.Ctx(c)); err != nil {
		return nil, err
	}
	return d, nil
}

// parseNominees reads the nominee rows of a form: parallel fields, one value per
// row. Rows whose text fields are all empty are dropped. ok is false when the
// fields do not line up (a tampered or truncated form).
func parseNominees(c *gin.Context) (rows []dossiers.NomineeInput, ok bool) {
	kinds := c.PostFormArray("nominee_kind")
	names := c.PostFormArray("nominee_name")
	jobs := c.PostFormArray("nominee_job")
	orgs := c.PostFormArray("nominee_org")
	achs := c.PostFormArray("nominee_achievements")
	subjects := c.PostFormArray("nominee_subject")
	// The statistics categories (migration 0021): forms without them (older
	// pages still open) leave every row not stated.
	enterprises := c.PostFormArray("nominee_enterprise")
	levels := c.PostFormArray("nominee_level")
	n := len(kinds)
	if len(names) != n || len(jobs) != n || len(orgs) != n || len(achs) != n || n > dossiers.MaxNominees+20 {
		return nil, false
	}
	// The subject a row names (set by a nominee list import) rides along as a
	// hidden field, so that saving the form keeps the link to the award history.
	// Forms without it (older pages still open) leave every row unlinked.
	if len(subjects) != n && len(subjects) != 0 || len(enterprises) != n && len(enterprises) != 0 || len(levels) != n && len(levels) != 0 {
		return nil, false
	}
	for i := range kinds {
		r := dossiers.NomineeInput{Kind: kinds[i], Name: names[i], JobTitle: jobs[i], Organisation: orgs[i], Achievements: achs[i]}
		if len(enterprises) == n {
			r.Enterprise = enterprises[i] == "1"
		}
		if len(levels) == n {
			r.LeadershipLevel = levels[i]
		}
		if len(subjects) == n && subjects[i] != "" {
			id, err := strconv.ParseInt(subjects[i], 10, 64)
			if err != nil {
				return nil, false
			}
			r.SubjectID = &id
		}
		if strings.TrimSpace(r.Name+r.JobTitle+r.Organisation+r.Achievements) == "" {
			continue
		}
		rows = append(rows, r)
	}
	return rows, true
}

// wantsRow reports whether the form was sent with "add a nominee" (without
// JavaScript): the form comes back with one more empty row and nothing is saved.
func wantsRow(c *gin.Context) bool { return c.PostForm("op") == "add_row" }

func (s *server) createDossier(c *gin.Context) {
	d, err := s.formOptions(c, nil)
	if err != nil {
		s.Fail(c, err)
		return
	}
	d.UnitID, d.AwardCode, d.Title, d.Kind = c.PostForm("unit_id"), c.PostForm("award_code"), c.PostForm("title"), c.PostForm("kind")
	d.Year, _ = strconv.Atoi(c.PostForm("year"))
	p := s.page(c, "dossiers", d)
	rows, ok := parseNominees(c)
	d.Rows = rows
	if !ok {
		p.Error, p.Fields = "error.invalid", map[string]string{"nominees": p.T("field.rows")}
		s.Render(c, http.StatusUnprocessableEntity, "dossier_form", p)
		return
	}
	if wantsRow(c) {
		d.Rows = append(d.Rows, dossiers.NomineeInput{Kind: string(domain.NomineeIndividual)})
		s.Render(c, http.StatusOK, "dossier_form", p)
		return
	}
	if s.createFromFile(c, d, p) {
		return
	}
	if codes, ok := subjectCodes(c); ok {
		d.Codes = codes
		if fields := s.linkSubjects(c, p, d.UnitID, rows, codes); len(fields) > 0 {
			p.Error, p.Fields = "error.invalid", fields
			s.Render(c, http.StatusUnprocessableEntity, "dossier_form", p)
			return
		}
	}
	n, err := s.cfg.App.CreateNomination(web.Ctx(c), web.UserID(c), dossiers.CreateNominationInput{
		UnitID: d.UnitID, AwardCode: d.AwardCode, Kind: d.Kind, Year: d.Year, Title: d.Title, Nominees: rows})
	if err != nil {
		status, ok := p.FormError(err)
		if !ok {
			s.Fail(c, err)
			return
		}
		if len(d.Rows) == 0 {
			d.Rows = []dossiers.NomineeInput{{Kind: string(domain.NomineeIndividual)}}
		}
		s.Render(c, status, "dossier_form", p)
		return
	}
	c.Redirect(http.StatusSeeOther, "/dossiers/"+n.ID+"?ok=created")
}

// editable loads a dossier for the edit form: the user must be allowed to edit in
// its unit, and it must still be with its unit (draft or returned).
func (s *server) editable(c *gin.Context) (domain.Nomination, bool) {
	n, err := s.cfg.App.Nomination(web.Ctx(c), web.UserID(c), c.Param("id"))
	if err != nil {
		s.Fail(c, err)
		return n, false
	}
	if !s.cfg.App.Can(web.UserID(c), n.UnitID, "nomination", "edit") {
		s.Fail(c, domain.Errorf(domain.KindForbidden, "you may not edit this dossier"))
		return n, false
	}
	if n.Status != domain.StatusDraft && n.Status != domain.StatusReturned {
		s.RenderError(c, http.StatusConflict, "error.conflict.title", "form.not_editable")
		return n, false
	}
	return n, true
}

func (s *server) editDossier(c *gin.Context) {
	n, ok := s.editable(c)
	if !ok {
		return
	}
	d, err := s.formOptions(c, &n)
	if err != nil {
		s.Fail(c, err)
		return
	}
	d.Title = n.Title
	d.Rows = nomineeInputs(n)
	d.Codes = s.subjectCodesOf(c, d.Rows)
	s.Render(c, http.StatusOK, "dossier_form", s.page(c, "dossiers", d))
}

func (s *server) saveDossier(c *gin.Context) {
	n, ok := s.editable(c)
	if !ok {
		return
	}
	d, err := s.formOptions(c, &n)
	if err != nil {
		s.Fail(c, err)
		return
	}
	d.Title = c.PostForm("title")
	p := s.page(c, "dossiers", d)
	rows, ok := parseNominees(c)
	d.Rows = rows
	if !ok {
		p.Error, p.Fields = "error.invalid", map[string]string{"nominees": p.T("field.rows")}
		s.Render(c, http.StatusUnprocessableEntity, "dossier_form", p)
		return
	}
	if wantsRow(c) {
		d.Rows = append(d.Rows, dossiers.NomineeInput{Kind: d.Kinds[0]})
		s.Render(c, http.StatusOK, "dossier_form", p)
		return
	}
	if rows == nil {
		rows = []dossiers.NomineeInput{} // an empty list is an error to report, not "keep the nominees"
	}
	if codes, ok := subjectCodes(c); ok {
		d.Codes = codes
		if fields := s.linkSubjects(c, p, n.UnitID, rows, codes); len(fields) > 0 {
			p.Error, p.Fields = "error.invalid", fields
			s.Render(c, http.StatusUnprocessableEntity, "dossier_form", p)
			return
		}
	}
	saved, err := s.cfg.App.EditNomination(web.Ctx(c), web.UserID(c), n.ID, dossiers.EditNominationInput{Title: d.Title, Nominees: rows})
	if err != nil {
		status, ok := p.FormError(err)
		if !ok {
			s.Fail(c, err)
			return
		}
		if len(d.Rows) == 0 {
			d.Rows = []dossiers.NomineeInput{{Kind: d.Kinds[0]}}
		}
		s.Render(c, status, "dossier_form", p)
		return
	}
	if c.PostForm("then") == string(domain.ActionSubmit) {
		v := saved.Version
		if _, err := s.cfg.App.Act(web.Ctx(c), web.UserID(c), n.ID, dossiers.ActInput{Action: string(domain.ActionSubmit), Version: &v}, ""); err != nil {
			s.actFailed(c, n.ID, actForm{}, err)
			return
		}
		c.Redirect(http.StatusSeeOther, "/dossiers/"+n.ID+"?ok=submit")
		return
	}
	c.Redirect(http.StatusSeeOther, "/dossiers/"+n.ID+"?ok=saved")
}

// nomineeRow renders one empty nominee row, added in place by htmx.
func (s *server) nomineeRow(c *gin.Context) {
	p := s.page(c, "dossiers", nil)
	kinds := web.NomineeKinds
	if k := c.QueryArray("kind"); len(k) > 0 {
		kinds = nil
		for _, x := range k {
			if domain.NomineeKind(x).Valid() {
				kinds = append(kinds, x)
			}
		}
		if len(kinds) == 0 {
			kinds = web.NomineeKinds
		}
	}
	s.RenderPartial(c, "nominee-row", p.Row(-1, dossiers.NomineeInput{Kind: kinds[0]}, kinds))
}
