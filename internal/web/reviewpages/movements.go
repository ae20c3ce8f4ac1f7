package reviewpages

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/admin"
	"github.com/tdkt/tdkt/internal/campaigns"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/review"
	"github.com/tdkt/tdkt/internal/web"
)

// Movements (phong trào thi đua) and their recurring reviews, and the actions of a
// review campaign's requesting unit. Every form goes through app.Service, and a
// form is shown only to a user the application would let use it: the permissions
// are asked of Casbin per unit (app.Service.Can) with the policy's vocabulary,
// "movement" and "review".

// roleUnits returns the units where the user holds a role that may act on obj,
// once each, in the order of the user's roles.
func (s *server) roleUnits(c *gin.Context, obj, act string) []web.UnitOption {
	user := web.User(c)
	if user == nil {
		return nil
	}
	var out []web.UnitOption
	seen := map[string]bool{}
	for _, r := range user.Roles {
		if seen[r.UnitID] || !s.cfg.App.Can(user.ID, r.UnitID, obj, act) {
			continue
		}
		seen[r.UnitID] = true
		out = append(out, web.UnitOption{ID: r.UnitID, Name: r.UnitName})
	}
	return out
}

// inScope keeps the units at or below root, as the application requires of a
// registration or of a campaign's requesting unit.
func (s *server) inScope(c *gin.Context, root string, units []web.UnitOption) []web.UnitOption {
	var out []web.UnitOption
	for _, u := range units {
		if ok, err := s.cfg.App.Reviews.Store.IsAncestorOrSelf(web.Ctx(c), root, u.ID); err == nil && ok {
			out = append(out, u)
		}
	}
	return out
}

// webDate turns a date typed as dd/mm/yyyy (or d/m/yyyy) into the application's
// yyyy-mm-dd. Empty stays empty; ok is false for anything else.
func webDate(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", true
	}
	t, err := time.Parse("2/1/2006", s)
	if err != nil {
		return "", false
	}
	return t.Format(time.DateOnly), true
}

// formDates converts the named date fields of a form, adding a field error (by the
// application's field name) for each that is not dd/mm/yyyy.
func formDates(p *page, form url.Values, names map[string]*string) map[string]string {
	errs := map[string]string{}
	for field, dst := range names {
		d, ok := webDate(form.Get(field))
		if !ok {
			errs[field] = p.T("rfield.date")
			continue
		}
		*dst = d
	}
	return errs
}

// formInt reads an optional whole number field: nil when empty, a field error when
// it is not a number.
func formInt(p *page, form url.Values, field string, errs map[string]string) *int {
	v := strings.TrimSpace(form.Get(field))
	if v == "" {
		return nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		errs[field] = p.T("rfield.integer")
		return nil
	}
	return &n
}

// ---- Movements ----

// movementsData is the movements list's content.
type movementsData struct {
	Movements []campaigns.Movement
	CanLaunch bool
}

// movementList lists the movements that concern the user's units.
func (s *server) movementList(c *gin.Context) {
	ms, err := s.cfg.App.Movements(web.Ctx(c), web.UserID(c), "")
	if err != nil {
		s.Fail(c, err)
		return
	}
	d := movementsData{Movements: ms, CanLaunch: len(s.roleUnits(c, "movement", "launch")) > 0}
	s.Render(c, http.StatusOK, "movements", s.page(c, "movements", d))
}

// movementFormData is the launch form's content.
type movementFormData struct {
	Units     []web.UnitOption
	Parents   []campaigns.Movement
	Templates []review.Template
	Form      url.Values
}

// Val returns a posted value of the form, or def before anything was posted.
func (d movementFormData) Val(name, def string) string {
	if d.Form == nil {
		return def
	}
	return d.Form.Get(name)
}

// newMovement shows the form that launches a movement (phát động phong trào) to a
// standing body or a leader who may launch one.
func (s *server) newMovement(c *gin.Context) {
	p := s.page(c, "movements", nil)
	d, err := s.movementForm(c, nil)
	if err != nil {
		s.Fail(c, err)
		return
	}
	p.Data = d
	s.Render(c, http.StatusOK, "movement_form", p)
}

func (s *server) movementForm(c *gin.Context, form url.Values) (movementFormData, error) {
	units := s.roleUnits(c, "movement", "launch")
	if len(units) == 0 {
		return movementFormData{}, domain.Errorf(domain.KindForbidden, "you may not launch a movement")
	}
	parents, err := s.cfg.App.Movements(web.Ctx(c), web.UserID(c), "active")
	if err != nil {
		return movementFormData{}, err
	}
	tpls, err := s.cfg.App.ReviewTemplates(web.Ctx(c))
	if err != nil {
		return movementFormData{}, err
	}
	return movementFormData{Units: units, Parents: parents, Templates: tpls, Form: form}, nil
}

// launchMovement launches the movement through app.Service.LaunchMovement and opens
// its page; a form with errors is shown again.
func (s *server) launchMovement(c *gin.Context) {
	if err := c.Request.ParseForm(); err != nil {
		s.Fail(c, domain.Invalid("unreadable form"))
		return
	}
	form := c.Request.PostForm
	p := s.page(c, "movements", nil)
	in := campaigns.LaunchMovementInput{UnitID: form.Get("unit_id"), ParentID: form.Get("parent_id"), Name: form.Get("name"),
		DecisionNumber: form.Get("decision_number"), Goals: form.Get("goals"), Criteria: form.Get("criteria"),
		TemplateCode: form.Get("template_code")}
	errs := formDates(p, form, map[string]*string{"decision_date": &in.DecisionDate, "period_start": &in.PeriodStart, "period_end": &in.PeriodEnd})
	var m campaigns.Movement
	var err error
	if len(errs) > 0 {
		// The application still decides whether the user may launch here at all.
		if !s.cfg.App.Can(web.UserID(c), in.UnitID, "movement", "launch") {
			s.Fail(c, domain.Errorf(domain.KindForbidden, "you may not launch a movement here"))
			return
		}
		p.Error, p.Fields = "error.invalid", errs
	} else if m, err = s.cfg.App.LaunchMovement(web.Ctx(c), web.UserID(c), in); err != nil {
		if _, ok := p.reviewFormError(err); !ok {
			s.Fail(c, err)
			return
		}
	}
	if p.Error != "" {
		s.RenderWith(c, refusedStatus(p), "movement_form", p, func() (any, error) { return s.movementForm(c, form) })
		return
	}
	c.Redirect(http.StatusSeeOther, "/movements/"+url.PathEscape(m.ID)+"?ok=movement_launched")
}

// movementData is a movement's page: its plan, registrations, campaigns and
// recurring reviews, with the forms the user may use.
type movementData struct {
	M             campaigns.Movement
	Registrations []campaigns.Registration
	Campaigns     []campaigns.Campaign
	Schedules     []scheduleView
	// RegisterUnits are the user's units that may register for the movement;
	// CanManage allows the schedule forms, CanLaunchReview the campaign form.
	RegisterUnits   []web.UnitOption
	CanManage       bool
	CanLaunchReview bool
	// Form is the posted form shown again with errors, FormID the form it was.
	Form   url.Values
	FormID string
}

// Val returns the posted value of a field of the form formID, or def.
func (d movementData) Val(formID, name, def string) string {
	if d.Form == nil || d.FormID != formID {
		return def
	}
	return d.Form.Get(name)
}

// Registered returns the registration of a unit, if it has registered.
func (d movementData) Registered(unitID string) *campaigns.Registration {
	for i := range d.Registrations {
		if d.Registrations[i].UnitID == unitID {
			return &d.Registrations[i]
		}
	}
	return nil
}

// scheduleView is a recurring review with when it fires, read from its spec, and
// what Temporal says of it (app.Service.DescribeReviewSchedule).
type scheduleView struct {
	S    campaigns.ReviewSchedule
	Spec scheduleSpecView
	// Next are the next times it fires (at most nextRuns); Paused is Temporal's
	// state. Unknown is set when the description could not be read.
	Next    []time.Time
	Paused  bool
	Unknown bool
}

// nextRuns is how many of a schedule's next fire times the movement page shows.
const nextRuns = 3

// NextRuns are the next fire times as dd/mm/yyyy HH:mm in Vietnam.
func (v scheduleView) NextRuns() []string {
	out := make([]string, 0, len(v.Next))
	for _, t := range v.Next {
		out = append(out, web.FormatDateHourMinute(t))
	}
	return out
}

// scheduleSpecView is the schedule's spec as app.Service stores it.
type scheduleSpecView struct {
	Month               int    `json:"month"`
	Day                 int    `json:"day"`
	Hour                int    `json:"hour"`
	At                  string `json:"at"`
	DeadlineWorkingDays int    `json:"deadline_working_days"`
	GapWorkingDays      int    `json:"gap_working_days"`
	ReminderWorkingDays int    `json:"reminder_working_days"`
	MaxDepth            int    `json:"max_depth"`
}

// AtDate is the day a mid-term or final review opens, as dd/mm/yyyy.
func (v scheduleView) AtDate() string {
	if v.Spec.At == "" {
		return ""
	}
	return web.FormatISODate(v.Spec.At)
}

// movementPage shows a movement.
func (s *server) movementPage(c *gin.Context) {
	p := s.page(c, "movements", nil)
	d, err := s.movementView(c, c.Param("id"))
	if err != nil {
		s.Fail(c, err)
		return
	}
	p.Data = d
	s.Render(c, http.StatusOK, "movement", p)
}

func (s *server) movementView(c *gin.Context, id string) (movementData, error) {
	uid := web.UserID(c)
	m, err := s.cfg.App.Movement(web.Ctx(c), uid, id)
	if err != nil {
		return movementData{}, err
	}
	d := movementData{M: m}
	if d.Registrations, err = s.cfg.App.Registrations(web.Ctx(c), uid, m.ID); err != nil {
		return d, err
	}
	if d.Campaigns, err = s.cfg.App.Campaigns(web.Ctx(c), uid, campaigns.CampaignFilter{MovementID: m.ID}); err != nil {
		return d, err
	}
	scheds, err := s.cfg.App.ReviewSchedules(web.Ctx(c), uid, m.ID)
	if err != nil {
		return d, err
	}
	for _, rs := range scheds {
		v := scheduleView{S: rs}
		if err := json.Unmarshal(rs.Spec, &v.Spec); err != nil {
			return d, err
		}
		// The same use case as the API's description, with its authorization; a
		// schedule Temporal cannot describe shows "—" and the page still opens.
		desc, err := s.cfg.App.DescribeReviewSchedule(web.Ctx(c), uid, m.ID, string(rs.Kind))
		if err != nil {
			s.cfg.Log.Error("describe review schedule", slog.String("movement", m.ID), slog.String("kind", string(rs.Kind)), slog.Any("err", err))
			v.Unknown = true
		} else {
			v.Paused = desc.Schedule.State != nil && desc.Schedule.State.Paused
			if !v.Paused {
				v.Next = desc.Info.NextActionTimes[:min(nextRuns, len(desc.Info.NextActionTimes))]
			}
		}
		d.Schedules = append(d.Schedules, v)
	}
	if m.Status == "active" {
		d.RegisterUnits = s.inScope(c, m.UnitID, s.roleUnits(c, "movement", "register"))
		d.CanManage = s.cfg.App.Can(uid, m.UnitID, "movement", "manage")
		d.CanLaunchReview = len(s.inScope(c, m.UnitID, s.roleUnits(c, "review", "launch"))) > 0
	}
	return d, nil
}

// refusedStatus is the status of a form shown again with p's error: 409 when
// what it changes changed meanwhile, 422 otherwise.
func refusedStatus(p *page) int {
	if p.Error == "error.conflict" {
		return http.StatusConflict
	}
	return http.StatusUnprocessableEntity
}

// movementFormFailed shows the movement's page again with a form's errors, or fails
// the request when the error is not the user's to correct.
func (s *server) movementFormFailed(c *gin.Context, p *page, err error, formID string, form url.Values) {
	status := http.StatusUnprocessableEntity
	if err != nil {
		var ok bool
		if status, ok = p.reviewFormError(err); !ok {
			s.Fail(c, err)
			return
		}
	}
	d, verr := s.movementView(c, c.Param("id"))
	if verr != nil {
		s.Fail(c, verr)
		return
	}
	d.Form, d.FormID = form, formID
	p.Data = d
	s.Render(c, status, "movement", p)
}

// postedForm parses the request's form, failing the request when it cannot.
func (s *server) postedForm(c *gin.Context) (url.Values, bool) {
	if err := c.Request.ParseForm(); err != nil {
		s.Fail(c, domain.Invalid("unreadable form"))
		return nil, false
	}
	return c.Request.PostForm, true
}

// registerUnit registers one of the user's units for the movement with its
// commitments (đăng ký thi đua) through app.Service.RegisterForMovement.
func (s *server) registerUnit(c *gin.Context) {
	form, ok := s.postedForm(c)
	if !ok {
		return
	}
	id := c.Param("id")
	_, err := s.cfg.App.RegisterForMovement(web.Ctx(c), web.UserID(c), id,
		campaigns.RegisterInput{UnitID: form.Get("unit_id"), Commitments: form.Get("commitments")})
	if err != nil {
		s.movementFormFailed(c, s.page(c, "movements", nil), err, "register", form)
		return
	}
	c.Redirect(http.StatusSeeOther, "/movements/"+url.PathEscape(id)+"?ok=registered")
}

// scheduleInput reads a schedule form: when it fires (month, day and hour of an
// annual review; the day of a mid-term or final one as dd/mm/yyyy), the working days
// of the campaign it opens, and the levels that report.
func scheduleInput(p *page, form url.Values) (campaigns.ScheduleInput, map[string]string) {
	errs := map[string]string{}
	in := campaigns.ScheduleInput{Kind: form.Get("kind"), Note: form.Get("note")}
	in.Month = formInt(p, form, "month", errs)
	in.Day = formInt(p, form, "day", errs)
	in.Hour = formInt(p, form, "hour", errs)
	in.DeadlineWorkingDays = formInt(p, form, "deadline_working_days", errs)
	if md := formInt(p, form, "max_depth", errs); md != nil {
		in.MaxDepth = *md
	}
	for k, v := range formDates(p, form, map[string]*string{"at": &in.At}) {
		errs[k] = v
	}
	return in, errs
}

// createSchedule creates a movement's recurring review of a kind.
func (s *server) createSchedule(c *gin.Context) {
	s.scheduleAction(c, "schedule_new", "schedule_created", func(p *page, form url.Values) (map[string]string, error) {
		in, errs := scheduleInput(p, form)
		if len(errs) > 0 {
			return errs, nil
		}
		_, err := s.cfg.App.CreateReviewSchedule(web.Ctx(c), web.UserID(c), c.Param("id"), in)
		return nil, err
	})
}

// editSchedule changes when a schedule fires and the campaign it opens.
func (s *server) editSchedule(c *gin.Context) {
	kind := c.Param("kind")
	s.scheduleAction(c, "schedule_"+kind, "schedule_saved", func(p *page, form url.Values) (map[string]string, error) {
		in, errs := scheduleInput(p, form)
		if len(errs) > 0 {
			return errs, nil
		}
		_, err := s.cfg.App.UpdateReviewSchedule(web.Ctx(c), web.UserID(c), c.Param("id"), kind, in)
		return nil, err
	})
}

// pauseSchedule pauses (pause true) or resumes a schedule, with a note.
func (s *server) pauseSchedule(pause bool) gin.HandlerFunc {
	flash := "schedule_unpaused"
	if pause {
		flash = "schedule_paused"
	}
	return func(c *gin.Context) {
		kind := c.Param("kind")
		s.scheduleAction(c, "schedule_"+kind, flash, func(_ *page, form url.Values) (map[string]string, error) {
			_, err := s.cfg.App.PauseReviewSchedule(web.Ctx(c), web.UserID(c), c.Param("id"), kind, pause, form.Get("note"))
			return nil, err
		})
	}
}

// triggerSchedule runs a schedule now: its run opens the campaign as if it had fired.
func (s *server) triggerSchedule(c *gin.Context) {
	kind := c.Param("kind")
	s.scheduleAction(c, "schedule_"+kind, "schedule_triggered", func(*page, url.Values) (map[string]string, error) {
		return nil, s.cfg.App.TriggerReviewSchedule(web.Ctx(c), web.UserID(c), c.Param("id"), kind)
	})
}

// scheduleAction runs one schedule form. The permission is checked before the form's
// own errors are shown, so that a user who may not manage the movement's schedules
// gets the application's refusal, not a form.
func (s *server) scheduleAction(c *gin.Context, formID, flash string, run func(*page, url.Values) (map[string]string, error)) {
	form, ok := s.postedForm(c)
	if !ok {
		return
	}
	id := c.Param("id")
	m, err := s.cfg.App.Movement(web.Ctx(c), web.UserID(c), id)
	if err != nil {
		s.Fail(c, err)
		return
	}
	if err := s.cfg.App.Allow(web.UserID(c), m.UnitID, "movement", "manage"); err != nil {
		s.Fail(c, err)
		return
	}
	p := s.page(c, "movements", nil)
	errs, err := run(p, form)
	if len(errs) > 0 {
		p.Error, p.Fields = "error.invalid", errs
		s.movementFormFailed(c, p, nil, formID, form)
		return
	}
	if err != nil {
		s.movementFormFailed(c, p, err, formID, form)
		return
	}
	c.Redirect(http.StatusSeeOther, "/movements/"+url.PathEscape(id)+"?ok="+flash+"#schedules-h")
}

// ---- Campaign actions ----

// campaignFormData is the content of the form that launches a review campaign.
type campaignFormData struct {
	Movements []campaigns.Movement
	Units     []web.UnitOption
	// Targets are, per requesting unit the user may launch for, the units that
	// report to it by default: its administrative units directly below.
	Targets []targetGroup
	Form    url.Values
	// Movement is the movement asked for (?movement=), preselected.
	Movement string
}

// targetGroup is the reporting units offered for one requesting unit. Their
// checkboxes are named targetsField(Unit.ID), so that the form works without
// JavaScript whichever requesting unit is chosen: only the chosen unit's are read.
type targetGroup struct {
	Unit     web.UnitOption
	Children []web.UnitOption
}

// Field is the name of the group's checkboxes.
func (g targetGroup) Field() string { return targetsField(g.Unit.ID) }

// targetsField names the checkboxes of the units reporting to a requesting unit.
func targetsField(unitID string) string { return "targets." + unitID }

// Val returns a posted value of the form, or def before anything was posted.
func (d campaignFormData) Val(name, def string) string {
	if d.Form == nil {
		return def
	}
	return d.Form.Get(name)
}

// Checked tells whether a reporting unit's checkbox is checked: all are before
// anything was posted, then those the user checked.
func (d campaignFormData) Checked(g targetGroup, unitID string) bool {
	if d.Form == nil {
		return true
	}
	return slices.Contains(d.Form[g.Field()], unitID)
}

// targetGroups lists, for each requesting unit, its administrative units directly
// below in force today, read from the unit tree the user may see (app.Service.Units).
func (s *server) targetGroups(c *gin.Context, units []web.UnitOption) ([]targetGroup, error) {
	forest, err := s.cfg.App.Units(web.Ctx(c), web.UserID(c))
	if err != nil {
		return nil, err
	}
	nodes := map[string]*admin.UnitNode{}
	var walk func([]*admin.UnitNode)
	walk = func(ns []*admin.UnitNode) {
		for _, n := range ns {
			nodes[n.ID] = n
			walk(n.Children)
		}
	}
	walk(forest)
	out := make([]targetGroup, 0, len(units))
	for _, u := range units {
		g := targetGroup{Unit: u}
		if n := nodes[u.ID]; n != nil {
			for _, ch := range n.Children {
				if ch.Kind == campaigns.AdministrativeKind {
					g.Children = append(g.Children, web.UnitOption{ID: ch.ID, Name: ch.Name})
				}
			}
		}
		out = append(out, g)
	}
	return out, nil
}

// newCampaign shows the form that requests a review (công văn yêu cầu báo cáo sơ
// kết, tổng kết) to a user who may launch one.
func (s *server) newCampaign(c *gin.Context) {
	d, err := s.campaignForm(c, nil)
	if err != nil {
		s.Fail(c, err)
		return
	}
	d.Movement = c.Query("movement")
	s.Render(c, http.StatusOK, "campaign_form", s.page(c, "reviews", d))
}

func (s *server) campaignForm(c *gin.Context, form url.Values) (campaignFormData, error) {
	units := s.roleUnits(c, "review", "launch")
	if len(units) == 0 {
		return campaignFormData{}, domain.Errorf(domain.KindForbidden, "you may not launch a review")
	}
	ms, err := s.cfg.App.Movements(web.Ctx(c), web.UserID(c), "active")
	if err != nil {
		return campaignFormData{}, err
	}
	targets, err := s.targetGroups(c, units)
	if err != nil {
		return campaignFormData{}, err
	}
	return campaignFormData{Movements: ms, Units: units, Targets: targets, Form: form, Movement: form.Get("movement_id")}, nil
}

// launchCampaign launches a review campaign through app.Service.LaunchCampaign: the
// final deadline is the first level's, and the optional deadlines of the second and
// third levels fix theirs (otherwise each level reports the gap in working days
// before its parent).
func (s *server) launchCampaign(c *gin.Context) {
	form, ok := s.postedForm(c)
	if !ok {
		return
	}
	p := s.page(c, "reviews", nil)
	in := campaigns.LaunchCampaignInput{MovementID: form.Get("movement_id"), UnitID: form.Get("unit_id"), Kind: form.Get("kind"),
		Title: form.Get("title"), LetterNumber: form.Get("letter_number")}
	var l2, l3 string
	errs := formDates(p, form, map[string]*string{"letter_date": &in.LetterDate, "final_deadline": &in.FinalDeadline,
		"level_deadlines[1]": &l2, "level_deadlines[2]": &l3})
	in.GapWorkingDays = formInt(p, form, "gap_working_days", errs)
	in.ReminderWorkingDays = formInt(p, form, "reminder_working_days", errs)
	if md := formInt(p, form, "max_depth", errs); md != nil {
		in.MaxDepth = *md
	}
	in.LevelDeadlines = levelDeadlines(in.FinalDeadline, l2, l3)
	// The units checked for the chosen requesting unit report to it; the
	// application refuses any that is not below it.
	in.TargetUnitIDs = form[targetsField(in.UnitID)]
	if len(in.TargetUnitIDs) == 0 {
		errs["target_unit_ids"] = p.T("campaign.targets_required")
	}
	var cp campaigns.Campaign
	var err error
	if len(errs) > 0 {
		if !s.cfg.App.Can(web.UserID(c), in.UnitID, "review", "launch") {
			s.Fail(c, domain.Errorf(domain.KindForbidden, "you may not launch a review here"))
			return
		}
		p.Error, p.Fields = "error.invalid", errs
	} else if cp, err = s.cfg.App.LaunchCampaign(web.Ctx(c), web.UserID(c), in); err != nil {
		if _, ok := p.reviewFormError(err); !ok {
			s.Fail(c, err)
			return
		}
		// A unit refused by its position (target_unit_ids[i]) is reported beside the
		// fieldset of the reporting units.
		for k := range p.Fields {
			if strings.HasPrefix(k, "target_unit_ids[") {
				delete(p.Fields, k)
				p.Fields["target_unit_ids"] = p.T("campaign.targets_outside")
			}
		}
	}
	if p.Error != "" {
		s.RenderWith(c, refusedStatus(p), "campaign_form", p, func() (any, error) { return s.campaignForm(c, form) })
		return
	}
	c.Redirect(http.StatusSeeOther, "/reviews/"+url.PathEscape(cp.ID)+"?ok=campaign_launched")
}

// levelDeadlines lists the explicit deadlines per level when the second or third
// level's is given: the first is the final deadline. None otherwise.
func levelDeadlines(final, l2, l3 string) []string {
	switch {
	case l3 != "":
		return []string{final, l2, l3}
	case l2 != "":
		return []string{final, l2}
	}
	return nil
}

// setDeadlines changes a running campaign's deadlines from the campaign page.
func (s *server) setDeadlines(c *gin.Context) {
	form, ok := s.postedForm(c)
	if !ok {
		return
	}
	id := c.Param("id")
	p := s.page(c, "reviews", nil)
	in := campaigns.DeadlinesRequest{Note: form.Get("note")}
	var l2, l3 string
	errs := formDates(p, form, map[string]*string{"final_deadline": &in.FinalDeadline, "level_deadlines[1]": &l2, "level_deadlines[2]": &l3})
	in.LevelDeadlines = levelDeadlines(in.FinalDeadline, l2, l3)
	var err error
	if len(errs) > 0 {
		cp, cerr := s.cfg.App.Campaign(web.Ctx(c), web.UserID(c), id)
		if cerr == nil && !s.cfg.App.Can(web.UserID(c), cp.UnitID, "review", "manage") {
			cerr = domain.Errorf(domain.KindForbidden, "you may not change this campaign's deadlines")
		}
		if cerr != nil {
			s.Fail(c, cerr)
			return
		}
		p.Error, p.Fields = "error.invalid", errs
	} else if _, err = s.cfg.App.SetCampaignDeadlines(web.Ctx(c), web.UserID(c), id, in); err != nil {
		if _, ok := p.reviewFormError(err); !ok {
			s.Fail(c, err)
			return
		}
	}
	if p.Error != "" {
		s.campaignPageWith(c, p, form)
		return
	}
	c.Redirect(http.StatusSeeOther, "/reviews/"+url.PathEscape(id)+"?ok=deadlines")
}

// closeCampaign ends a running campaign; the reports that have not arrived stay
// missing.
func (s *server) closeCampaign(c *gin.Context) {
	form, ok := s.postedForm(c)
	if !ok {
		return
	}
	id := c.Param("id")
	if _, err := s.cfg.App.CloseCampaign(web.Ctx(c), web.UserID(c), id, form.Get("note")); err != nil {
		p := s.page(c, "reviews", nil)
		if _, ok := p.reviewFormError(err); !ok {
			s.Fail(c, err)
			return
		}
		s.campaignPageWith(c, p, form)
		return
	}
	c.Redirect(http.StatusSeeOther, "/reviews/"+url.PathEscape(id)+"?ok=campaign_closed")
}

// DeadlineInput returns the date a campaign's level must report by, as dd/mm/yyyy
// for the deadlines form, or "" when the campaign has no such level.
func (p *page) DeadlineInput(c campaigns.Campaign, level int) string {
	if level < len(c.Levels) {
		return web.FormatDate(c.Levels[level].Deadline)
	}
	if level == 0 {
		return web.FormatDate(c.FinalDeadline)
	}
	return ""
}

// dateField is the data of the "review-date" partial.
type dateField struct {
	P                             *page
	ID, Name, Label, Value, Error string
}

// DateField builds a dd/mm/yyyy field of a form: its name (the application's
// field name, which also keys its error), its label's message key and its value.
func (p *page) DateField(name, label, value string) dateField {
	id := strings.NewReplacer("[", "-", "]", "").Replace(name)
	return dateField{P: p, ID: id, Name: name, Label: label, Value: value, Error: p.FieldError(name)}
}

// scheduleFields is the data of the "schedule-fields" partial: the values of one
// schedule form, posted or from the schedule's spec, and its errors.
type scheduleFields struct {
	P    *page
	ID   string
	vals map[string]string
	mine bool
}

// Val returns the value a field shows.
func (f scheduleFields) Val(name string) string { return f.vals[name] }

// Err returns the error of a field when the errors are this form's.
func (f scheduleFields) Err(name string) string {
	if !f.mine {
		return ""
	}
	return f.P.FieldError(name)
}

// ScheduleFields builds a schedule form's fields: the posted values when the form
// is shown again with errors, else the schedule's spec (spec is a scheduleSpecView,
// or nil for the form that creates one).
func (p *page) ScheduleFields(d movementData, formID, id string, spec any) scheduleFields {
	f := scheduleFields{P: p, ID: "sched-" + id, vals: map[string]string{}, mine: d.FormID == formID}
	if f.mine {
		for _, k := range []string{"day", "month", "hour", "at", "deadline_working_days", "max_depth"} {
			f.vals[k] = d.Form.Get(k)
		}
		return f
	}
	if sp, ok := spec.(scheduleSpecView); ok {
		if sp.Month > 0 {
			f.vals["day"], f.vals["month"] = strconv.Itoa(sp.Day), strconv.Itoa(sp.Month)
		}
		f.vals["hour"] = strconv.Itoa(sp.Hour)
		if sp.At != "" {
			f.vals["at"] = web.FormatISODate(sp.At)
		}
		f.vals["deadline_working_days"] = strconv.Itoa(sp.DeadlineWorkingDays)
		f.vals["max_depth"] = strconv.Itoa(sp.MaxDepth)
	}
	return f
}

// CampaignKinds are the kinds of review, in the order the forms offer them.
func (p *page) CampaignKinds() []string { return []string{"annual", "midterm", "final"} }
