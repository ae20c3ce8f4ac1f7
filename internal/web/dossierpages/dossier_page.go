package dossierpages

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/dossiers"
	"github.com/tdkt/tdkt/internal/httpx"
	"github.com/tdkt/tdkt/internal/inbox"
	"github.com/tdkt/tdkt/internal/nomination"
	"github.com/tdkt/tdkt/internal/web"
	"github.com/tdkt/tdkt/internal/web/documentpages"
)

// dossierData is the dossier page's content.
type dossierData struct {
	N       domain.Nomination
	Award   domain.Award
	Task    *domain.Task
	Stops   []stopView
	Events  []eventView
	Actions map[domain.Action]bool
	// CanEdit shows the edit link: the user may edit and the dossier is with its unit.
	CanEdit bool
	// ProposedSimplified: the submitter proposed the simplified procedure, which an
	// appraiser confirms at intake.
	ProposedSimplified bool
	// Returned counts the returns by the current level; the law allows one per level.
	Returned  int
	Checklist []checkItem
	Form      actForm
	// Decisions are the dossier's decisions, oldest first.
	Decisions []domain.Decision
	// Elig is the nominees' eligibility; nil when the check failed.
	Elig *eligibilityView
	// Papers are the documents the procedure issued (documentpages).
	Papers []documentpages.PaperLink
	// Assignment is the open task with who handles it and, for the head of its
	// unit, the people it may be given to.
	Assignment *dossiers.DossierTask
	procedureData
}

// Money returns the bonus a decision in force gives the nominee, as "2.340.000 đ",
// or "" when no amount is set.
func (d *dossierData) Money(nomineeID int64) string {
	for _, dec := range d.Decisions {
		if dec.RevokedAt != nil {
			continue
		}
		for _, a := range dec.Awardees {
			if a.NomineeID == nomineeID && a.BonusVND != nil {
				return web.FormatMoney(*a.BonusVND)
			}
		}
	}
	return ""
}

// Can reports whether the user may take action a now.
func (d *dossierData) Can(a string) bool { return d.Actions[domain.Action(a)] }

// HasActions reports whether the user has any action on the dossier.
func (d *dossierData) HasActions() bool {
	return len(d.Actions) > 0 || d.CanVote || d.CanComment || len(d.ConcurUnits) > 0 || d.CanUpload
}

// stopView is one stop of the route: the submitting unit, then each level.
type stopView struct {
	UnitName string
	Label    string // message key of what happens there
	State    string // done, current or pending
}

// eventView is one entry of the dossier's history.
type eventView struct {
	domain.AuditEvent
	Missing  []string
	Reason   string
	Note     string
	Decision string
	Letter   string
	NextStep string
	NextUnit string
	// Result is a council's result (passed, failed, no_quorum).
	Result string
}

// webActions are the actions the dossier page has a form for. A feature that adds
// an action form (council votes, concurrence, holds) adds its action here.
var webActions = map[domain.Action]bool{
	domain.ActionSubmit: true, domain.ActionAccept: true, domain.ActionApprove: true, domain.ActionReturn: true,
	domain.ActionReject: true, domain.ActionForward: true, domain.ActionDecide: true, domain.ActionWithdraw: true,
	domain.ActionCloseVote: true, domain.ActionHold: true, domain.ActionRelease: true,
	domain.ActionRequestConcurrence: true, domain.ActionConcur: true, domain.ActionComment: true,
}

// checkItem is one part of a dossier the appraiser checks (DOMAIN §4.3).
type checkItem struct {
	Key      string
	Required bool
	Checked  bool
}

// checklistKeys are the parts of a standard dossier, in the order of the law: the
// submission letter with the list, the achievement reports, the council minutes,
// and the evidence that only some awards need.
var checklistKeys = []struct {
	key      string
	required bool
}{
	{"submission", true}, {"report", true}, {"minutes", true}, {"evidence", false},
}

// actForm holds what the user typed into an action form, to show it again when
// the action is refused.
type actForm struct {
	Action       string
	Note         string
	Reason       string
	MissingOther string
	Have         []string
	// DocKind is the kind chosen on the upload form.
	DocKind string
	// Outcomes are the per-nominee choices of a forwarding or a decision.
	Outcomes map[int64]outcomeChoice
	// Nominee, Criterion, Met and OverrideReason are what was typed into the
	// eligibility override form.
	Nominee, Criterion, Met, OverrideReason string
}

func (s *server) dossierDetail(c *gin.Context) {
	// The page's parts each read the dossier; a GET changes nothing, so it is
	// loaded once for all of them (who may read it is still checked by each).
	c.Request = c.Request.WithContext(dossiers.WithReadMemo(c.Request.Context()))
	s.showDossier(c, c.Param("id"), nil, actForm{}, http.StatusOK)
}

// showDossier renders the dossier page; p, when set, carries a refused action's
// errors, and form what the user had typed.
func (s *server) showDossier(c *gin.Context, id string, p *page, form actForm, status int) {
	uid := web.UserID(c)
	n, err := s.cfg.App.Nomination(web.Ctx(c), uid, id)
	if err != nil {
		s.Fail(c, err)
		return
	}
	events, err := s.cfg.App.AuditTrail(web.Ctx(c), uid, id)
	if err != nil {
		s.Fail(c, err)
		return
	}
	d := &dossierData{N: n, Form: form, Actions: map[domain.Action]bool{}}
	if !n.Status.Terminal() {
		t, err := s.cfg.App.OpenTask(web.Ctx(c), uid, id)
		if err == nil {
			d.Task = &t
			a, err := s.cfg.App.DossierTaskAssignment(web.Ctx(c), uid, id)
			if err != nil && !domain.IsKind(err, domain.KindNotFound) {
				s.Fail(c, err)
				return
			}
			if err == nil {
				d.Assignment = &a
			}
		} else if !domain.IsKind(err, domain.KindNotFound) {
			s.Fail(c, err)
			return
		}
	}
	awards, err := s.cfg.App.Awards(web.Ctx(c))
	if err != nil {
		s.Fail(c, err)
		return
	}
	for _, a := range awards {
		if a.Code == n.AwardCode {
			d.Award = a
		}
	}
	for _, a := range s.cfg.App.AvailableActions(web.Ctx(c), uid, n) {
		if webActions[a] {
			d.Actions[a] = true
		}
	}
	d.CanEdit = (n.Status == domain.StatusDraft || n.Status == domain.StatusReturned) &&
		s.cfg.App.Can(uid, n.UnitID, "nomination", "edit")
	names := map[string]string{n.UnitID: n.UnitName}
	for _, st := range n.Route {
		names[st.UnitID] = st.UnitName
	}
	d.Returned = nomination.ReturnsAt(events, n.CurrentUnitID)
	d.ProposedSimplified = domain.NominationKind(n.Kind) == domain.KindExtraordinary && n.Procedure == string(domain.ProcedureStandard)
	for _, e := range events {
		d.Events = append(d.Events, councilResult(newEventView(e, names)))
	}
	d.Stops = routeStops(n)
	d.Papers = documentpages.Papers(s.Server, c, n, events)
	d.Decisions = documentpages.DecisionsOf(n)
	d.Elig = s.dossierEligibility(c, n)
	if err := s.loadProcedure(c, d, awards); err != nil {
		s.Fail(c, err)
		return
	}
	for _, k := range checklistKeys {
		checked := contains(form.Have, k.key) // nothing is ticked until the appraiser checks it
		d.Checklist = append(d.Checklist, checkItem{Key: k.key, Required: k.required, Checked: checked})
	}
	if p == nil {
		p = s.page(c, "dossiers", d)
	} else {
		p.Data = d
	}
	s.Render(c, status, "dossier", p)
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// newEventView reads the details of an audit event that the history shows.
func newEventView(e domain.AuditEvent, unitNames map[string]string) eventView {
	v := eventView{AuditEvent: e}
	str := func(k string) string {
		if s, ok := e.Details[k].(string); ok {
			return s
		}
		return ""
	}
	if items, ok := e.Details["missing_items"].([]any); ok {
		for _, it := range items {
			if s, ok := it.(string); ok {
				v.Missing = append(v.Missing, s)
			}
		}
	}
	v.Reason, v.Note, v.Decision, v.NextStep = str("reason"), str("note"), str("decision_code"), str("next_step")
	v.Letter = str("letter_code")
	if u := str("next_unit_id"); u != "" {
		v.NextUnit = unitNames[u]
		if v.NextUnit == "" {
			v.NextUnit = u
		}
	}
	return v
}

// routeStops shows where the dossier has been and where it goes: the submitting
// unit, then every level of its route.
func routeStops(n domain.Nomination) []stopView {
	withUnit := n.Status == domain.StatusDraft || n.Status == domain.StatusReturned
	first := stopView{UnitName: n.UnitName, Label: "detail.route.submit", State: "done"}
	if withUnit {
		first.State = "current"
	}
	stops := []stopView{first}
	for i, st := range n.Route {
		v := stopView{UnitName: st.UnitName, Label: "detail.route.forward", State: "pending"}
		if st.Decides {
			v.Label = "detail.route.decide"
		}
		switch {
		case n.Status == domain.StatusDecided || i < n.RouteIndex:
			v.State = "done"
		case i == n.RouteIndex && !withUnit && !n.Status.Terminal():
			v.State = "current"
		}
		stops = append(stops, v)
	}
	return stops
}

// Multiplier returns the award's bonus multiplier with a decimal comma, or "" when
// the catalogue leaves it to the regulations in force.
func (d *dossierData) Multiplier() string {
	if d.Award.BonusMultiplier == nil {
		return ""
	}
	return web.FormatDecimal(*d.Award.BonusMultiplier)
}

// actOnDossier takes one action from the dossier page's forms through
// app.Service.Act, then goes back to the dossier with a message.
func (s *server) actOnDossier(c *gin.Context) {
	id := c.Param("id")
	form := actForm{Action: c.PostForm("action"), Note: c.PostForm("note"), Reason: c.PostForm("reason"),
		MissingOther: c.PostForm("missing_other"), Have: c.PostFormArray("have")}
	version, err := httpx.Version(c.PostForm("version"), "version", "dossier")
	if err == nil && version == nil {
		err = domain.Invalid("the form has no dossier version")
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	in := dossiers.ActInput{Action: form.Action, Version: version, Note: form.Note, Reason: form.Reason,
		UnitID: c.PostForm("unit_id"), Answer: c.PostForm("answer"), ConfirmSimplified: c.PostForm("confirm_simplified") == "1"}
	if n, err := s.cfg.App.Nomination(web.Ctx(c), web.UserID(c), id); err == nil {
		in.Units, in.Outcomes, in.NomineeID = procedureInput(c, n, &form)
		if s.checkOutcomes(c, n, form, in.Outcomes) || s.refuseIncomplete(c, n, form) {
			return
		}
	}
	if c.PostForm("checklist") == "1" {
		p := s.page(c, "dossiers", nil)
		var missingRequired []string
		for _, k := range checklistKeys {
			if k.required && !contains(form.Have, k.key) {
				missingRequired = append(missingRequired, p.T("cl."+k.key))
			}
		}
		passes := form.Action == string(domain.ActionApprove) || form.Action == string(domain.ActionAccept)
		if passes && len(missingRequired) > 0 {
			p.Error, p.Fields = "error.invalid", map[string]string{"checklist": p.T("field.checklist")}
			s.showDossier(c, id, p, form, http.StatusUnprocessableEntity)
			return
		}
		if form.Action == string(domain.ActionReturn) {
			in.MissingItems = missingRequired
		}
	}
	if form.Action == string(domain.ActionReturn) {
		for _, line := range strings.Split(form.MissingOther, "\n") {
			if line = strings.TrimSpace(line); line != "" {
				in.MissingItems = append(in.MissingItems, line)
			}
		}
	}
	if _, err := s.cfg.App.Act(web.Ctx(c), web.UserID(c), id, in, ""); err != nil {
		s.actFailed(c, id, form, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/dossiers/"+id+"?ok="+form.Action+"#top")
}

// actFailed shows the dossier again with a refused action's errors, or the error
// page when the error is not one the user can correct on the form.
func (s *server) actFailed(c *gin.Context, id string, form actForm, err error) {
	p := s.page(c, "dossiers", nil)
	status, ok := p.FormError(err)
	if !ok {
		s.Fail(c, err)
		return
	}
	s.showDossier(c, id, p, form, status)
}

// decisionsData is the decisions register's content.
type decisionsData struct {
	Entries []inbox.DecisionEntry
	Year    string
	Page    int
	PrevURL string
	NextURL string
	decisionFilterData
}

func (s *server) decisionList(c *gin.Context) {
	d := decisionsData{Year: c.Query("year"), Page: 1}
	f := inbox.DecisionFilter{Limit: web.PageSize}
	if y, err := strconv.Atoi(d.Year); err == nil {
		f.Year = y
	}
	if pg, err := strconv.Atoi(c.Query("page")); err == nil && pg > 1 {
		d.Page = pg
		f.Offset = (pg - 1) * web.PageSize
	}
	var err error
	if d.decisionFilterData, err = s.decisionFilters(c, &f); err != nil {
		s.Fail(c, err)
		return
	}
	es, err := s.cfg.App.Decisions(web.Ctx(c), web.UserID(c), f)
	if err != nil {
		s.Fail(c, err)
		return
	}
	d.Entries = es
	q := c.Request.URL.Query()
	if d.Page > 1 {
		q.Set("page", strconv.Itoa(d.Page-1))
		d.PrevURL = "/decisions?" + q.Encode()
	}
	if len(es) == web.PageSize {
		q.Set("page", strconv.Itoa(d.Page+1))
		d.NextURL = "/decisions?" + q.Encode()
	}
	s.Render(c, http.StatusOK, "decisions", s.page(c, "decisions", d))
}
