package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/review"
	"github.com/tdkt/tdkt/internal/store"
	"github.com/tdkt/tdkt/workflows"
)

// Authorization vocabulary of movements and reviews (policies/policy.csv).
const (
	objMovement       = "movement"
	objReview         = "review"
	objReviewTemplate = "review_template"
)

// Defaults of a review campaign, in working days (configurable per campaign).
const (
	DefaultGapWorkingDays      = 5  // each level reports this long before its parent
	DefaultReminderWorkingDays = 2  // reminder before each deadline
	DefaultScheduleWorkingDays = 15 // a scheduled campaign's final deadline after it opens
	maxLabelLen                = 300
	maxReviewTitleLen          = 500
	maxPlanLen                 = 20000
)

// reviewUpdateError maps a rejected or failed update of a review or movement workflow
// to an application error; a workflow that has ended is a conflict.
func reviewUpdateError(err error, what string) error {
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		switch appErr.Type() {
		case workflows.ErrTypeStaleVersion, workflows.ErrTypeWrongState, workflows.ErrTypeWrongUnit:
			return &domain.Error{Kind: domain.KindConflict, Message: appErr.Message(), Err: err}
		case workflows.ErrTypeInvalid:
			return &domain.Error{Kind: domain.KindInvalid, Message: appErr.Message(), Err: err}
		}
	}
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return &domain.Error{Kind: domain.KindConflict, Message: what + " has ended", Err: err}
	}
	return fmt.Errorf("%s update: %w", what, err)
}

// reviewUpdate sends an update to a workflow and waits until it has completed.
func (s *Service) reviewUpdate(ctx context.Context, workflowID, name string, arg, result any, what string) error {
	h, err := s.Temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID: workflowID, UpdateName: name, Args: []any{arg}, WaitForStage: client.WorkflowUpdateStageCompleted,
		UpdateID: updateIDFrom(ctx),
	})
	if err == nil {
		err = h.Get(ctx, result)
	}
	if err != nil {
		return reviewUpdateError(err, what)
	}
	return nil
}

// reviewDay parses a yyyy-mm-dd date, adding a field error when it is malformed.
func reviewDay(field, v string, fields *[]domain.FieldError) *time.Time {
	if v == "" {
		return nil
	}
	d, err := calendar.ParseDate(v)
	if err != nil {
		*fields = append(*fields, domain.FieldError{Field: field, Message: "must be a date yyyy-mm-dd"})
		return nil
	}
	t := d.Time(calendar.Zone)
	return &t
}

// reviewDeadline parses a deadline: a date means the end of that day in Vietnam, an
// RFC 3339 instant is taken as is.
func reviewDeadline(field, v string, fields *[]domain.FieldError) time.Time {
	if d, err := calendar.ParseDate(v); err == nil {
		return review.EndOfDay(d)
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		*fields = append(*fields, domain.FieldError{Field: field, Message: "must be a date yyyy-mm-dd or an RFC 3339 instant"})
		return time.Time{}
	}
	return t.UTC()
}

func reviewCheckLen(field, v string, max int, fields *[]domain.FieldError) {
	if utf8.RuneCountInString(v) > max {
		*fields = append(*fields, domain.FieldError{Field: field, Message: fmt.Sprintf("at most %d characters", max)})
	}
}

// ---- Templates ----

// ReviewTemplates returns the indicator templates.
func (s *Service) ReviewTemplates(ctx context.Context) ([]review.Template, error) {
	return s.Store.ReviewTemplates(ctx)
}

// ReviewTemplate returns one template; KindNotFound if unknown.
func (s *Service) ReviewTemplate(ctx context.Context, code string) (review.Template, error) {
	return s.Store.ReviewTemplate(ctx, code)
}

// PutReviewTemplate stores a template after validating it. Only a user who manages
// templates somewhere (the administrator) may; running campaigns keep their snapshot.
func (s *Service) PutReviewTemplate(ctx context.Context, userID int64, t review.Template) (review.Template, error) {
	if len(s.Authz.VisibleUnits(userID, objReviewTemplate, "manage")) == 0 {
		return t, domain.Errorf(domain.KindForbidden, "you may not manage review templates")
	}
	t.Code, t.Name = strings.TrimSpace(t.Code), Clean(t.Name)
	for i := range t.Indicators {
		t.Indicators[i].Name = Clean(t.Indicators[i].Name)
	}
	if err := t.Validate(); err != nil {
		return t, err
	}
	if err := s.Store.PutReviewTemplate(ctx, t); err != nil {
		return t, err
	}
	return s.Store.ReviewTemplate(ctx, t.Code)
}

// ---- Movements ----

// LaunchMovementInput is a movement as the launching unit enters it.
type LaunchMovementInput struct {
	UnitID string `json:"unit_id"`
	// ParentID is the movement this one implements at a lower level.
	ParentID       string `json:"parent_id"`
	Name           string `json:"name"`
	DecisionNumber string `json:"decision_number"`
	DecisionDate   string `json:"decision_date"`
	PeriodStart    string `json:"period_start"`
	PeriodEnd      string `json:"period_end"`
	Goals          string `json:"goals"`
	Criteria       string `json:"criteria"`
	// TemplateCode is the indicator template its reviews use; by default the parent
	// movement's, else the general template.
	TemplateCode string `json:"template_code"`
}

// LaunchMovement stores a movement and starts its workflow, which lives for the
// movement's period. A lower level's version must be launched below the unit of the
// movement it implements. Errors: KindInvalid with every field, KindForbidden.
func (s *Service) LaunchMovement(ctx context.Context, userID int64, in LaunchMovementInput) (store.Movement, error) {
	var fields []domain.FieldError
	in.UnitID, in.Name = strings.TrimSpace(in.UnitID), Clean(in.Name)
	in.DecisionNumber, in.Goals, in.Criteria = Clean(in.DecisionNumber), Clean(in.Goals), Clean(in.Criteria)
	if in.UnitID == "" {
		fields = append(fields, domain.FieldError{Field: "unit_id", Message: "required"})
	}
	if in.Name == "" {
		fields = append(fields, domain.FieldError{Field: "name", Message: "required"})
	}
	reviewCheckLen("name", in.Name, maxReviewTitleLen, &fields)
	reviewCheckLen("decision_number", in.DecisionNumber, maxLabelLen, &fields)
	reviewCheckLen("goals", in.Goals, maxPlanLen, &fields)
	reviewCheckLen("criteria", in.Criteria, maxPlanLen, &fields)
	decided := reviewDay("decision_date", in.DecisionDate, &fields)
	start := reviewDay("period_start", in.PeriodStart, &fields)
	end := reviewDay("period_end", in.PeriodEnd, &fields)
	if start == nil && in.PeriodStart == "" {
		fields = append(fields, domain.FieldError{Field: "period_start", Message: "required"})
	}
	if end == nil && in.PeriodEnd == "" {
		fields = append(fields, domain.FieldError{Field: "period_end", Message: "required"})
	}
	if start != nil && end != nil && !end.After(*start) {
		fields = append(fields, domain.FieldError{Field: "period_end", Message: "must be after period_start"})
	}
	if len(fields) > 0 {
		return store.Movement{}, domain.Invalid("the movement has invalid fields", fields...)
	}
	unit, err := s.Store.Unit(ctx, in.UnitID)
	if domain.IsKind(err, domain.KindNotFound) {
		return store.Movement{}, domain.Invalid("unknown unit", domain.FieldError{Field: "unit_id", Message: "no such unit"})
	} else if err != nil {
		return store.Movement{}, err
	}
	if err := s.Allow(userID, unit.ID, objMovement, "launch"); err != nil {
		return store.Movement{}, err
	}
	if in.ParentID != "" {
		parent, err := s.Movement(ctx, userID, in.ParentID)
		if domain.IsKind(err, domain.KindNotFound) {
			return store.Movement{}, domain.Invalid("unknown parent movement", domain.FieldError{Field: "parent_id", Message: "no such movement"})
		} else if err != nil {
			return store.Movement{}, err
		}
		below, err := s.Store.IsAncestorOrSelf(ctx, parent.UnitID, unit.ID)
		if err != nil {
			return store.Movement{}, err
		}
		if !below || parent.UnitID == unit.ID {
			return store.Movement{}, domain.Invalid("a lower level's version is launched below the parent movement's unit",
				domain.FieldError{Field: "parent_id", Message: "launched by " + parent.UnitName})
		}
		if in.TemplateCode == "" {
			in.TemplateCode = parent.TemplateCode
		}
	}
	if in.TemplateCode == "" {
		in.TemplateCode = review.TemplateGeneral
	}
	if _, err := s.Store.ReviewTemplate(ctx, in.TemplateCode); domain.IsKind(err, domain.KindNotFound) {
		return store.Movement{}, domain.Invalid("unknown template", domain.FieldError{Field: "template_code", Message: "no such template"})
	} else if err != nil {
		return store.Movement{}, err
	}
	id := uuid.NewString()
	m := store.NewMovement{ID: id, WorkflowID: review.MovementWorkflowID(id), ParentID: in.ParentID, UnitID: unit.ID,
		Name: in.Name, DecisionNumber: in.DecisionNumber, DecisionDate: decided, PeriodStart: *start, PeriodEnd: *end,
		Goals: in.Goals, Criteria: in.Criteria, TemplateCode: in.TemplateCode, CreatedBy: userID, At: s.now()}
	tx, err := s.Store.BeginTx(ctx)
	if err != nil {
		return store.Movement{}, err
	}
	defer tx.Rollback(ctx) //nolint:errcheck // no-op after commit
	if err := store.CreateMovementTx(ctx, tx, m); err != nil {
		return store.Movement{}, err
	}
	periodEnd := review.EndOfDay(calendar.DateOf(*end))
	if _, err := s.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: m.WorkflowID, TaskQueue: s.TaskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_FAIL,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
	}, workflows.MovementWorkflowName, workflows.MovementInput{MovementID: id, UnitID: unit.ID, PeriodEnd: periodEnd}); err != nil {
		return store.Movement{}, fmt.Errorf("start movement workflow: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		_ = s.Temporal.TerminateWorkflow(context.WithoutCancel(ctx), m.WorkflowID, "", "movement rows not committed")
		return store.Movement{}, fmt.Errorf("commit movement: %w", err)
	}
	return s.Store.Movement(ctx, id)
}

// Movements lists the movements that concern the units where the user may read
// movements: theirs, those below, and those above that they take part in.
func (s *Service) Movements(ctx context.Context, userID int64, status string) ([]store.Movement, error) {
	return s.Store.Movements(ctx, s.Authz.VisibleUnits(userID, objMovement, "read"), status)
}

// Movement returns a movement the user may read: launched in a unit where they may
// read movements, or above one (a commune takes part in the province's movement).
func (s *Service) Movement(ctx context.Context, userID int64, id string) (store.Movement, error) {
	m, err := s.Store.Movement(ctx, id)
	if err != nil {
		return m, err
	}
	if s.Can(userID, m.UnitID, objMovement, "read") {
		return m, nil
	}
	ok, err := s.Store.IsAncestorOfAny(ctx, m.UnitID, s.Authz.VisibleUnits(userID, objMovement, "read"))
	if err != nil {
		return m, err
	}
	if !ok {
		return store.Movement{}, domain.Errorf(domain.KindForbidden, "you may not read this movement")
	}
	return m, nil
}

// RegisterInput is a unit's registration for a movement (đăng ký thi đua).
type RegisterInput struct {
	UnitID      string `json:"unit_id"`
	Commitments string `json:"commitments"`
}

// RegisterForMovement registers a unit within the movement's scope with its
// commitments (a second registration replaces them), through the movement's workflow.
func (s *Service) RegisterForMovement(ctx context.Context, userID int64, movementID string, in RegisterInput) (store.Registration, error) {
	in.UnitID, in.Commitments = strings.TrimSpace(in.UnitID), Clean(in.Commitments)
	var fields []domain.FieldError
	if in.UnitID == "" {
		fields = append(fields, domain.FieldError{Field: "unit_id", Message: "required"})
	}
	if in.Commitments == "" {
		fields = append(fields, domain.FieldError{Field: "commitments", Message: "state the unit's commitments"})
	}
	reviewCheckLen("commitments", in.Commitments, maxPlanLen, &fields)
	if len(fields) > 0 {
		return store.Registration{}, domain.Invalid("the registration has invalid fields", fields...)
	}
	m, err := s.Movement(ctx, userID, movementID)
	if err != nil {
		return store.Registration{}, err
	}
	if err := s.Allow(userID, in.UnitID, objMovement, "register"); err != nil {
		return store.Registration{}, err
	}
	inScope, err := s.Store.IsAncestorOrSelf(ctx, m.UnitID, in.UnitID)
	if err != nil {
		return store.Registration{}, err
	}
	if !inScope {
		return store.Registration{}, domain.Invalid("the unit is outside the movement's scope",
			domain.FieldError{Field: "unit_id", Message: "not below " + m.UnitName})
	}
	if m.Status != "active" {
		return store.Registration{}, domain.Errorf(domain.KindConflict, "the movement has ended")
	}
	var st workflows.MovementState
	if err := s.reviewUpdate(ctx, m.WorkflowID, workflows.UpdateRegister,
		workflows.RegisterInput{UnitID: in.UnitID, ActorID: userID, Commitments: in.Commitments}, &st, "the movement"); err != nil {
		return store.Registration{}, err
	}
	regs, err := s.Store.Registrations(ctx, m.ID)
	if err != nil {
		return store.Registration{}, err
	}
	for _, r := range regs {
		if r.UnitID == in.UnitID {
			return r, nil
		}
	}
	return store.Registration{}, fmt.Errorf("registration of %s not found after recording", in.UnitID)
}

// Registrations lists the registrations of a movement the user may read.
func (s *Service) Registrations(ctx context.Context, userID int64, movementID string) ([]store.Registration, error) {
	m, err := s.Movement(ctx, userID, movementID)
	if err != nil {
		return nil, err
	}
	return s.Store.Registrations(ctx, m.ID)
}

// ---- Schedules ----

// ScheduleInput is a recurring review as the standing body sets it.
type ScheduleInput struct {
	Kind string `json:"kind"` // annual | midterm | final
	// Month, Day and Hour (Vietnam, 7–23) an annual review opens each year of the
	// movement's period; defaults 1 December at 08:00.
	Month *int `json:"month"`
	Day   *int `json:"day"`
	Hour  *int `json:"hour"`
	// At is the day a mid-term or final review opens (yyyy-mm-dd); defaults: the
	// period's midpoint, and 60 days before its end.
	At                  string `json:"at"`
	DeadlineWorkingDays *int   `json:"deadline_working_days"`
	GapWorkingDays      *int   `json:"gap_working_days"`
	ReminderWorkingDays *int   `json:"reminder_working_days"`
	MaxDepth            int    `json:"max_depth"`
	Paused              bool   `json:"paused"`
	Note                string `json:"note"`
}

// scheduleSpec is what a schedule's read model stores: when it fires and the campaign.
type scheduleSpec struct {
	Month               int    `json:"month,omitempty"`
	Day                 int    `json:"day,omitempty"`
	Hour                int    `json:"hour"`
	At                  string `json:"at,omitempty"`
	DeadlineWorkingDays int    `json:"deadline_working_days"`
	GapWorkingDays      int    `json:"gap_working_days"`
	ReminderWorkingDays int    `json:"reminder_working_days"`
	MaxDepth            int    `json:"max_depth,omitempty"`
}

func reviewIntOr(p *int, def int) int {
	if p == nil {
		return def
	}
	return *p
}

// scheduleFor validates a schedule input for a movement and builds its spec, the
// Temporal schedule spec and the action's argument.
func scheduleFor(m store.Movement, in ScheduleInput, createdBy int64) (scheduleSpec, client.ScheduleSpec, review.ScheduledCampaign, error) {
	var fields []domain.FieldError
	kind := review.CampaignKind(in.Kind)
	if !kind.Valid() {
		fields = append(fields, domain.FieldError{Field: "kind", Message: "one of annual, midterm, final"})
	}
	start, _ := time.ParseInLocation(time.DateOnly, m.PeriodStart, calendar.Zone)
	end, _ := time.ParseInLocation(time.DateOnly, m.PeriodEnd, calendar.Zone)
	sp := scheduleSpec{Hour: reviewIntOr(in.Hour, 8), DeadlineWorkingDays: reviewIntOr(in.DeadlineWorkingDays, DefaultScheduleWorkingDays),
		GapWorkingDays: reviewIntOr(in.GapWorkingDays, DefaultGapWorkingDays), ReminderWorkingDays: reviewIntOr(in.ReminderWorkingDays, DefaultReminderWorkingDays),
		MaxDepth: in.MaxDepth}
	if sp.Hour < 7 || sp.Hour > 23 {
		fields = append(fields, domain.FieldError{Field: "hour", Message: "an hour of the working day, 7 to 23"})
	}
	if sp.DeadlineWorkingDays < 1 || sp.DeadlineWorkingDays > 120 || sp.GapWorkingDays < 0 || sp.GapWorkingDays > 60 ||
		sp.ReminderWorkingDays < 0 || sp.ReminderWorkingDays > 30 || sp.MaxDepth < 0 {
		fields = append(fields, domain.FieldError{Field: "deadline_working_days", Message: "working days out of range"})
	}
	var cal client.ScheduleCalendarSpec
	utcHour := sp.Hour - 7 // Vietnam is UTC+7 all year; 07:00–23:00 stays on the same day
	spec := client.ScheduleSpec{}
	switch kind {
	case review.KindAnnual:
		sp.Month, sp.Day = reviewIntOr(in.Month, 12), reviewIntOr(in.Day, 1)
		if sp.Month < 1 || sp.Month > 12 || sp.Day < 1 || sp.Day > 28 {
			fields = append(fields, domain.FieldError{Field: "day", Message: "month 1–12 and day 1–28"})
		}
		cal = client.ScheduleCalendarSpec{Month: []client.ScheduleRange{{Start: sp.Month}}, DayOfMonth: []client.ScheduleRange{{Start: sp.Day}},
			Hour: []client.ScheduleRange{{Start: utcHour}}, Minute: []client.ScheduleRange{{Start: 0}}, Second: []client.ScheduleRange{{Start: 0}},
			Comment: "Sơ kết năm"}
		spec.StartAt, spec.EndAt = start.UTC(), end.AddDate(0, 0, 1).UTC()
	case review.KindMidterm, review.KindFinal:
		at := start.Add(end.Sub(start) / 2)
		if kind == review.KindFinal {
			at = end.AddDate(0, 0, -60)
		}
		if in.At != "" {
			d, err := calendar.ParseDate(in.At)
			if err != nil {
				fields = append(fields, domain.FieldError{Field: "at", Message: "must be a date yyyy-mm-dd"})
			} else {
				at = d.Time(calendar.Zone)
			}
		}
		sp.At = calendar.DateOf(at.In(calendar.Zone)).String()
		y, mo, d := at.In(calendar.Zone).Date()
		cal = client.ScheduleCalendarSpec{Year: []client.ScheduleRange{{Start: y}}, Month: []client.ScheduleRange{{Start: int(mo)}},
			DayOfMonth: []client.ScheduleRange{{Start: d}}, Hour: []client.ScheduleRange{{Start: utcHour}},
			Minute: []client.ScheduleRange{{Start: 0}}, Second: []client.ScheduleRange{{Start: 0}}, Comment: kind.Title()}
	}
	if len(fields) > 0 {
		return sp, spec, review.ScheduledCampaign{}, domain.Invalid("the schedule has invalid fields", fields...)
	}
	spec.Calendars = []client.ScheduleCalendarSpec{cal}
	sc := review.ScheduledCampaign{ScheduleID: review.ScheduleID(m.ID, kind), MovementID: m.ID, Kind: kind,
		DeadlineWorkingDays: sp.DeadlineWorkingDays, GapWorkingDays: sp.GapWorkingDays, ReminderWorkingDays: sp.ReminderWorkingDays,
		MaxDepth: sp.MaxDepth, CreatedBy: createdBy}
	return sp, spec, sc, nil
}

// managedMovement loads a movement whose schedules the user may manage.
func (s *Service) managedMovement(ctx context.Context, userID int64, movementID string) (store.Movement, error) {
	m, err := s.Movement(ctx, userID, movementID)
	if err != nil {
		return m, err
	}
	return m, s.Allow(userID, m.UnitID, objMovement, "manage")
}

// CreateReviewSchedule creates the Temporal schedule of a movement's recurring review
// of a kind (one per kind) and its read model.
func (s *Service) CreateReviewSchedule(ctx context.Context, userID int64, movementID string, in ScheduleInput) (store.ReviewSchedule, error) {
	m, err := s.managedMovement(ctx, userID, movementID)
	if err != nil {
		return store.ReviewSchedule{}, err
	}
	sp, spec, sc, err := scheduleFor(m, in, userID)
	if err != nil {
		return store.ReviewSchedule{}, err
	}
	in.Note = Clean(in.Note)
	_, err = s.Temporal.ScheduleClient().Create(ctx, client.ScheduleOptions{
		ID: sc.ScheduleID, Spec: spec, Paused: in.Paused, Note: in.Note,
		Overlap: enumspb.SCHEDULE_OVERLAP_POLICY_SKIP,
		Action: &client.ScheduleWorkflowAction{ID: sc.ScheduleID + "-run", Workflow: workflows.ScheduledReviewWorkflowName,
			Args: []any{sc}, TaskQueue: s.TaskQueue},
	})
	var exists *serviceerror.AlreadyExists
	if errors.As(err, &exists) || errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
		return store.ReviewSchedule{}, domain.Errorf(domain.KindConflict, "the movement already has a %s review schedule; edit it", sc.Kind)
	}
	if err != nil {
		return store.ReviewSchedule{}, fmt.Errorf("create schedule: %w", err)
	}
	return s.putSchedule(ctx, sc, sp, in.Paused, in.Note, userID)
}

func (s *Service) putSchedule(ctx context.Context, sc review.ScheduledCampaign, sp scheduleSpec, paused bool, note string, userID int64) (store.ReviewSchedule, error) {
	js, err := json.Marshal(sp)
	if err != nil {
		return store.ReviewSchedule{}, err
	}
	now := s.now()
	if err := s.Store.PutReviewSchedule(ctx, store.ReviewSchedule{ID: sc.ScheduleID, MovementID: sc.MovementID, Kind: sc.Kind,
		Spec: js, Paused: paused, Note: note, CreatedBy: userID, CreatedAt: now, UpdatedAt: now}); err != nil {
		return store.ReviewSchedule{}, err
	}
	return s.Store.ReviewScheduleByID(ctx, sc.ScheduleID)
}

// ReviewSchedules lists a movement's schedules from the read model.
func (s *Service) ReviewSchedules(ctx context.Context, userID int64, movementID string) ([]store.ReviewSchedule, error) {
	m, err := s.Movement(ctx, userID, movementID)
	if err != nil {
		return nil, err
	}
	return s.Store.ReviewSchedules(ctx, m.ID)
}

// existingSchedule returns a movement's schedule of a kind from the read model.
func (s *Service) existingSchedule(ctx context.Context, m store.Movement, kind string) (store.ReviewSchedule, error) {
	if !review.CampaignKind(kind).Valid() {
		return store.ReviewSchedule{}, domain.Errorf(domain.KindNotFound, "no such schedule")
	}
	rs, err := s.Store.ReviewScheduleByID(ctx, review.ScheduleID(m.ID, review.CampaignKind(kind)))
	if domain.IsKind(err, domain.KindNotFound) {
		return rs, domain.Errorf(domain.KindNotFound, "the movement has no %s review schedule", kind)
	}
	return rs, err
}

// UpdateReviewSchedule changes when a schedule fires and the campaign it opens.
func (s *Service) UpdateReviewSchedule(ctx context.Context, userID int64, movementID, kind string, in ScheduleInput) (store.ReviewSchedule, error) {
	m, err := s.managedMovement(ctx, userID, movementID)
	if err != nil {
		return store.ReviewSchedule{}, err
	}
	rs, err := s.existingSchedule(ctx, m, kind)
	if err != nil {
		return rs, err
	}
	in.Kind = kind
	sp, spec, sc, err := scheduleFor(m, in, userID)
	if err != nil {
		return store.ReviewSchedule{}, err
	}
	in.Note = Clean(in.Note)
	err = s.Temporal.ScheduleClient().GetHandle(ctx, sc.ScheduleID).Update(ctx, client.ScheduleUpdateOptions{
		DoUpdate: func(u client.ScheduleUpdateInput) (*client.ScheduleUpdate, error) {
			sched := u.Description.Schedule
			sched.Spec = &spec
			if a, ok := sched.Action.(*client.ScheduleWorkflowAction); ok {
				a.Args = []any{sc}
			}
			return &client.ScheduleUpdate{Schedule: &sched}, nil
		},
	})
	if err != nil {
		return store.ReviewSchedule{}, fmt.Errorf("update schedule: %w", err)
	}
	return s.putSchedule(ctx, sc, sp, rs.Paused, reviewFirstNonEmpty(in.Note, rs.Note), rs.CreatedBy)
}

func reviewFirstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// PauseReviewSchedule pauses (or, with pause false, resumes) a schedule with a note.
func (s *Service) PauseReviewSchedule(ctx context.Context, userID int64, movementID, kind string, pause bool, note string) (store.ReviewSchedule, error) {
	m, err := s.managedMovement(ctx, userID, movementID)
	if err != nil {
		return store.ReviewSchedule{}, err
	}
	rs, err := s.existingSchedule(ctx, m, kind)
	if err != nil {
		return rs, err
	}
	note = Clean(note)
	h := s.Temporal.ScheduleClient().GetHandle(ctx, rs.ID)
	if pause {
		err = h.Pause(ctx, client.SchedulePauseOptions{Note: note})
	} else {
		err = h.Unpause(ctx, client.ScheduleUnpauseOptions{Note: note})
	}
	if err != nil {
		return rs, fmt.Errorf("pause schedule: %w", err)
	}
	rs.Paused, rs.Note, rs.UpdatedAt = pause, note, s.now()
	if err := s.Store.PutReviewSchedule(ctx, rs); err != nil {
		return rs, err
	}
	return s.Store.ReviewScheduleByID(ctx, rs.ID)
}

// TriggerReviewSchedule runs a schedule's action now, as if it had fired.
func (s *Service) TriggerReviewSchedule(ctx context.Context, userID int64, movementID, kind string) error {
	m, err := s.managedMovement(ctx, userID, movementID)
	if err != nil {
		return err
	}
	rs, err := s.existingSchedule(ctx, m, kind)
	if err != nil {
		return err
	}
	return s.Temporal.ScheduleClient().GetHandle(ctx, rs.ID).Trigger(ctx, client.ScheduleTriggerOptions{
		Overlap: enumspb.SCHEDULE_OVERLAP_POLICY_ALLOW_ALL})
}

// DescribeReviewSchedule returns what Temporal holds for a schedule: its spec, whether
// it is paused, the next fire times and the recent runs.
func (s *Service) DescribeReviewSchedule(ctx context.Context, userID int64, movementID, kind string) (*client.ScheduleDescription, error) {
	m, err := s.Movement(ctx, userID, movementID)
	if err != nil {
		return nil, err
	}
	rs, err := s.existingSchedule(ctx, m, kind)
	if err != nil {
		return nil, err
	}
	return s.Temporal.ScheduleClient().GetHandle(ctx, rs.ID).Describe(ctx)
}

// ---- Campaigns ----

// LaunchCampaignInput is a review request (công văn yêu cầu báo cáo) as the requesting
// unit enters it.
type LaunchCampaignInput struct {
	MovementID string `json:"movement_id"`
	// UnitID is the requesting unit; by default the movement's unit.
	UnitID       string `json:"unit_id"`
	Kind         string `json:"kind"`
	Title        string `json:"title"`
	PeriodLabel  string `json:"period_label"`
	LetterNumber string `json:"letter_number"`
	LetterDate   string `json:"letter_date"`
	// FinalDeadline is when the units at the first level report: a date (the end of
	// that day) or an RFC 3339 instant.
	FinalDeadline       string `json:"final_deadline"`
	GapWorkingDays      *int   `json:"gap_working_days"`
	ReminderWorkingDays *int   `json:"reminder_working_days"`
	// LevelDeadlines, when set, fix the deadlines of the first levels explicitly.
	LevelDeadlines []string `json:"level_deadlines"`
	// TargetUnitIDs report to the requesting unit; by default its administrative units.
	TargetUnitIDs []string `json:"target_unit_ids"`
	// MaxDepth limits how many levels report; 0 is all.
	MaxDepth int `json:"max_depth"`
}

// LaunchCampaign stores a campaign with one report per participating unit and starts
// its workflow, which plans the deadlines and fans out down the tree. Errors:
// KindInvalid with every field, KindForbidden.
func (s *Service) LaunchCampaign(ctx context.Context, userID int64, in LaunchCampaignInput) (store.Campaign, error) {
	var fields []domain.FieldError
	in.Title, in.PeriodLabel, in.LetterNumber = Clean(in.Title), Clean(in.PeriodLabel), Clean(in.LetterNumber)
	kind := review.CampaignKind(in.Kind)
	if !kind.Valid() {
		fields = append(fields, domain.FieldError{Field: "kind", Message: "one of annual, midterm, final"})
	}
	reviewCheckLen("title", in.Title, maxReviewTitleLen, &fields)
	reviewCheckLen("period_label", in.PeriodLabel, maxLabelLen, &fields)
	reviewCheckLen("letter_number", in.LetterNumber, maxLabelLen, &fields)
	letter := reviewDay("letter_date", in.LetterDate, &fields)
	var final time.Time
	if in.FinalDeadline == "" {
		fields = append(fields, domain.FieldError{Field: "final_deadline", Message: "required"})
	} else {
		final = reviewDeadline("final_deadline", in.FinalDeadline, &fields)
	}
	gap, remind := reviewIntOr(in.GapWorkingDays, DefaultGapWorkingDays), reviewIntOr(in.ReminderWorkingDays, DefaultReminderWorkingDays)
	if gap < 0 || gap > 60 {
		fields = append(fields, domain.FieldError{Field: "gap_working_days", Message: "0 to 60"})
	}
	if remind < 0 || remind > 30 {
		fields = append(fields, domain.FieldError{Field: "reminder_working_days", Message: "0 to 30"})
	}
	if in.MaxDepth < 0 || in.MaxDepth > 10 {
		fields = append(fields, domain.FieldError{Field: "max_depth", Message: "0 (all) to 10"})
	}
	explicit := make([]time.Time, 0, len(in.LevelDeadlines))
	for i, v := range in.LevelDeadlines {
		explicit = append(explicit, reviewDeadline(fmt.Sprintf("level_deadlines[%d]", i), v, &fields))
	}
	for i := 1; i < len(explicit); i++ {
		if explicit[i].After(explicit[i-1]) {
			fields = append(fields, domain.FieldError{Field: fmt.Sprintf("level_deadlines[%d]", i), Message: "a level reports before its parent's deadline"})
		}
	}
	now := s.now()
	if !final.IsZero() && !final.After(now) {
		fields = append(fields, domain.FieldError{Field: "final_deadline", Message: "must be in the future"})
	}
	if len(explicit) > 0 && !final.IsZero() && !explicit[0].Equal(final) {
		fields = append(fields, domain.FieldError{Field: "level_deadlines[0]", Message: "the first level's deadline is the final deadline"})
	}
	if len(fields) > 0 {
		return store.Campaign{}, domain.Invalid("the review request has invalid fields", fields...)
	}
	m, err := s.Movement(ctx, userID, in.MovementID)
	if domain.IsKind(err, domain.KindNotFound) {
		return store.Campaign{}, domain.Invalid("unknown movement", domain.FieldError{Field: "movement_id", Message: "no such movement"})
	} else if err != nil {
		return store.Campaign{}, err
	}
	if in.UnitID == "" {
		in.UnitID = m.UnitID
	}
	if err := s.Allow(userID, in.UnitID, objReview, "launch"); err != nil {
		return store.Campaign{}, err
	}
	inScope, err := s.Store.IsAncestorOrSelf(ctx, m.UnitID, in.UnitID)
	if err != nil {
		return store.Campaign{}, err
	}
	if !inScope {
		return store.Campaign{}, domain.Invalid("the requesting unit is outside the movement's scope",
			domain.FieldError{Field: "unit_id", Message: "not below " + m.UnitName})
	}
	tpl, err := s.Store.ReviewTemplate(ctx, m.TemplateCode)
	if err != nil {
		return store.Campaign{}, err
	}
	start, _ := time.ParseInLocation(time.DateOnly, m.PeriodStart, calendar.Zone)
	end, _ := time.ParseInLocation(time.DateOnly, m.PeriodEnd, calendar.Zone)
	if in.PeriodLabel == "" {
		in.PeriodLabel = review.PeriodLabel(kind, now, start, end)
	}
	if in.Title == "" {
		in.Title = review.CampaignTitle(kind, in.PeriodLabel, m.Name)
	}
	targets := make([]string, 0, len(in.TargetUnitIDs))
	for _, t := range in.TargetUnitIDs {
		if t = strings.TrimSpace(t); t != "" && !slices.Contains(targets, t) {
			targets = append(targets, t)
		}
	}
	id := uuid.NewString()
	nc := store.NewCampaign{ID: id, WorkflowID: review.CampaignWorkflowID(id), MovementID: m.ID, UnitID: in.UnitID, Kind: kind,
		Title: in.Title, PeriodLabel: in.PeriodLabel, LetterNumber: in.LetterNumber, LetterDate: letter, Template: tpl,
		FinalDeadline: final, GapDays: gap, ReminderDays: remind, Explicit: explicit, MaxDepth: in.MaxDepth, Targets: targets,
		CreatedBy: userID, At: now}
	tx, err := s.Store.BeginTx(ctx)
	if err != nil {
		return store.Campaign{}, err
	}
	defer tx.Rollback(ctx) //nolint:errcheck // no-op after commit
	if _, err := store.CreateCampaignTx(ctx, tx, nc); err != nil {
		return store.Campaign{}, err
	}
	if _, err := s.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: nc.WorkflowID, TaskQueue: s.TaskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_FAIL,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
	}, workflows.ReviewCampaignWorkflowName, workflows.CampaignInput{CampaignID: id, UnitID: in.UnitID}); err != nil {
		return store.Campaign{}, fmt.Errorf("start campaign workflow: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		_ = s.Temporal.TerminateWorkflow(context.WithoutCancel(ctx), nc.WorkflowID, "", "campaign rows not committed")
		return store.Campaign{}, fmt.Errorf("commit campaign: %w", err)
	}
	return s.Store.Campaign(ctx, id)
}

// CampaignFilter narrows a campaign list.
type CampaignFilter struct {
	MovementID, Status string
}

// Campaigns lists the campaigns in which a unit where the user may read reviews takes part.
func (s *Service) Campaigns(ctx context.Context, userID int64, f CampaignFilter) ([]store.Campaign, error) {
	return s.Store.Campaigns(ctx, store.CampaignFilter{Units: s.Authz.VisibleUnits(userID, objReview, "read"),
		MovementID: f.MovementID, Status: f.Status})
}

// Campaign returns a campaign the user may read: one in which a unit where they may
// read reviews takes part.
func (s *Service) Campaign(ctx context.Context, userID int64, id string) (store.Campaign, error) {
	c, err := s.Store.Campaign(ctx, id)
	if err != nil {
		return c, err
	}
	if s.Can(userID, c.UnitID, objReview, "read") {
		return c, nil
	}
	ok, err := s.Store.CampaignHasUnitIn(ctx, c.ID, s.Authz.VisibleUnits(userID, objReview, "read"))
	if err != nil {
		return c, err
	}
	if !ok {
		return store.Campaign{}, domain.Errorf(domain.KindForbidden, "you may not read this review campaign")
	}
	return c, nil
}

// runningCampaign loads a campaign that still takes actions.
func (s *Service) runningCampaign(ctx context.Context, userID int64, id string) (store.Campaign, error) {
	c, err := s.Campaign(ctx, userID, id)
	if err != nil {
		return c, err
	}
	if c.Status != "running" {
		return c, domain.Errorf(domain.KindConflict, "the campaign is %s", c.Status)
	}
	return c, nil
}

// DeadlinesRequest changes a campaign's deadlines (gia hạn, điều chỉnh thời hạn).
type DeadlinesRequest struct {
	FinalDeadline  string   `json:"final_deadline"`
	LevelDeadlines []string `json:"level_deadlines"`
	Note           string   `json:"note"`
}

// SetCampaignDeadlines changes the deadlines of a running campaign: the campaign's
// workflow records the new plan and sends it down the tree, where reminders and
// overdue flags follow it.
func (s *Service) SetCampaignDeadlines(ctx context.Context, userID int64, id string, in DeadlinesRequest) (store.Campaign, error) {
	var fields []domain.FieldError
	var final time.Time
	if in.FinalDeadline != "" {
		final = reviewDeadline("final_deadline", in.FinalDeadline, &fields)
	}
	explicit := make([]time.Time, 0, len(in.LevelDeadlines))
	for i, v := range in.LevelDeadlines {
		explicit = append(explicit, reviewDeadline(fmt.Sprintf("level_deadlines[%d]", i), v, &fields))
	}
	for i := 1; i < len(explicit); i++ {
		if explicit[i].After(explicit[i-1]) {
			fields = append(fields, domain.FieldError{Field: fmt.Sprintf("level_deadlines[%d]", i), Message: "a level reports before its parent's deadline"})
		}
	}
	if in.FinalDeadline == "" && len(in.LevelDeadlines) == 0 {
		fields = append(fields, domain.FieldError{Field: "final_deadline", Message: "give a final deadline or the level deadlines"})
	}
	if len(explicit) > 0 {
		if final.IsZero() {
			final = explicit[0]
		} else if !explicit[0].Equal(final) {
			fields = append(fields, domain.FieldError{Field: "level_deadlines[0]", Message: "the first level's deadline is the final deadline"})
		}
	}
	if len(fields) > 0 {
		return store.Campaign{}, domain.Invalid("the deadlines are invalid", fields...)
	}
	c, err := s.runningCampaign(ctx, userID, id)
	if err != nil {
		return c, err
	}
	if err := s.Allow(userID, c.UnitID, objReview, "manage"); err != nil {
		return c, err
	}
	if len(explicit) == 0 {
		explicit = nil
	}
	var st workflows.ReviewState
	if err := s.reviewUpdate(ctx, c.WorkflowID, workflows.UpdateReviewDeadlines, workflows.DeadlinesInput{
		ActorID: userID, UnitID: c.UnitID, FinalDeadline: final, Explicit: explicit, Note: Clean(in.Note)}, &st, "the campaign"); err != nil {
		return c, err
	}
	return s.Store.Campaign(ctx, id)
}

// CloseCampaign ends a running campaign; the reports that have not arrived stay missing.
func (s *Service) CloseCampaign(ctx context.Context, userID int64, id, note string) (store.Campaign, error) {
	c, err := s.runningCampaign(ctx, userID, id)
	if err != nil {
		return c, err
	}
	if err := s.Allow(userID, c.UnitID, objReview, "manage"); err != nil {
		return c, err
	}
	var st workflows.ReviewState
	if err := s.reviewUpdate(ctx, c.WorkflowID, workflows.UpdateReviewClose,
		workflows.CloseCampaignInput{ActorID: userID, UnitID: c.UnitID, Note: Clean(note)}, &st, "the campaign"); err != nil {
		return c, err
	}
	return s.Store.Campaign(ctx, id)
}

// ---- Reports ----

// UnitRef names a unit.
type UnitRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// ChildSummary is a child's report as its parent's view lists it.
type ChildSummary struct {
	UnitID      string        `json:"unit_id"`
	UnitName    string        `json:"unit_name"`
	Status      review.Status `json:"status"`
	Shown       review.Status `json:"shown_status"`
	Version     int           `json:"version"`
	Late        bool          `json:"late"`
	Deadline    *time.Time    `json:"deadline,omitempty"`
	SubmittedAt *time.Time    `json:"submitted_at,omitempty"`
}

// ReportView is a unit's report with its computed indicators, its children's
// aggregate, the awards of its subtree, the missing units and what the user may do.
type ReportView struct {
	store.Report
	CampaignTitle       string              `json:"campaign_title"`
	CampaignStatus      string              `json:"campaign_status"`
	ParentUnitName      string              `json:"parent_unit_name,omitempty"`
	Shown               review.Status       `json:"shown_status"`
	Overdue             bool                `json:"overdue"`
	Indicators          []review.Result     `json:"indicators"`
	AggregateIndicators []review.Result     `json:"aggregate_indicators"`
	Awards              []review.AwardCount `json:"awards"`
	MissingUnits        []UnitRef           `json:"missing_units"`
	Children            []ChildSummary      `json:"children"`
	Actions             []review.Action     `json:"actions"`
}

// Report returns a unit's report of a campaign; the user must be able to read reviews
// in that unit (a parent's standing body can: its role covers its subtree).
func (s *Service) Report(ctx context.Context, userID int64, campaignID, unitID string) (ReportView, error) {
	c, err := s.Store.Campaign(ctx, campaignID)
	if err != nil {
		return ReportView{}, err
	}
	r, err := s.Store.Report(ctx, c.ID, unitID)
	if err != nil {
		return ReportView{}, err
	}
	if err := s.Allow(userID, r.UnitID, objReview, "read"); err != nil {
		return ReportView{}, err
	}
	return s.reportView(ctx, userID, c, r)
}

func (s *Service) reportView(ctx context.Context, userID int64, c store.Campaign, r store.Report) (ReportView, error) {
	awards, err := s.Store.AwardCounts(ctx, c.ID, r.UnitID)
	if err != nil {
		return ReportView{}, err
	}
	children, err := s.Store.Reports(ctx, c.ID, r.UnitID, false)
	if err != nil {
		return ReportView{}, err
	}
	now := s.now()
	v := ReportView{Report: r, CampaignTitle: c.Title, CampaignStatus: c.Status, Shown: review.Shown(r.Status, r.Deadline, now),
		Indicators: review.Compute(c.Template, r.Values, awards), AggregateIndicators: review.Compute(c.Template, r.Aggregate, awards),
		Awards: reviewNonNilAwards(awards), MissingUnits: []UnitRef{}, Children: []ChildSummary{}, Actions: []review.Action{}}
	v.Overdue = v.Shown == review.StatusOverdue
	names := map[string]string{}
	for _, ch := range children {
		names[ch.UnitID] = ch.UnitName
		if ch.ParentUnitID != r.UnitID || ch.UnitID == r.UnitID {
			continue
		}
		v.Children = append(v.Children, ChildSummary{UnitID: ch.UnitID, UnitName: ch.UnitName, Status: ch.Status,
			Shown: review.Shown(ch.Status, ch.Deadline, now), Version: ch.Version, Late: ch.Late, Deadline: ch.Deadline, SubmittedAt: ch.SubmittedAt})
	}
	for _, id := range r.Missing {
		v.MissingUnits = append(v.MissingUnits, UnitRef{ID: id, Name: names[id]})
	}
	if r.ParentUnitID != "" {
		if p, err := s.Store.Unit(ctx, r.ParentUnitID); err == nil {
			v.ParentUnitName = p.Name
		}
	}
	if c.Status == "running" && r.Depth > 0 {
		v.Actions = review.AvailableActions(r.Status, r.UnitID, r.ParentUnitID, func(unit, perm string) bool {
			return s.Can(userID, unit, objReview, perm)
		})
	}
	return v, nil
}

func reviewNonNilAwards(a []review.AwardCount) []review.AwardCount {
	if a == nil {
		return []review.AwardCount{}
	}
	return a
}

// ReportActInput is a user's action on a report: save or submit with figures and
// sections (entries set, Clear removes codes), or the parent's return with a reason
// or acceptance. Version, when set, is the report version the user saw.
type ReportActInput struct {
	Action  string            `json:"action"`
	Version *int              `json:"version"`
	Numbers map[string]int64  `json:"numbers"`
	Texts   map[string]string `json:"texts"`
	Clear   []string          `json:"clear"`
	Reason  string            `json:"reason"`
	Note    string            `json:"note"`
}

// ActOnReport authorises a user action and sends it to the unit's report workflow,
// waiting until it is recorded; it returns the report as the read model now shows
// it. Errors: KindInvalid for a malformed action or figures, KindForbidden, KindConflict
// for a wrong state, a stale version or a campaign that has ended.
func (s *Service) ActOnReport(ctx context.Context, userID int64, campaignID, unitID string, in ReportActInput) (ReportView, error) {
	action, ok := review.ParseUserAction(in.Action)
	if !ok {
		return ReportView{}, domain.Invalid("unknown action", domain.FieldError{Field: "action", Message: "one of save, submit, return, accept"})
	}
	c, err := s.runningCampaign(ctx, userID, campaignID)
	if err != nil {
		return ReportView{}, err
	}
	r, err := s.Store.Report(ctx, c.ID, unitID)
	if err != nil {
		return ReportView{}, err
	}
	if r.Depth == 0 {
		return ReportView{}, domain.Errorf(domain.KindConflict, "the requesting unit's consolidated report is the aggregate; it takes no actions")
	}
	perm, inParent := action.Permission()
	at := r.UnitID
	if inParent {
		at = r.ParentUnitID
	}
	if err := s.Allow(userID, at, objReview, perm); err != nil {
		return ReportView{}, err
	}
	vals := review.Values{}
	for code, n := range in.Numbers {
		if vals.Numbers == nil {
			vals.Numbers = map[string]int64{}
		}
		vals.Numbers[code] = n
	}
	for code, t := range in.Texts {
		if vals.Texts == nil {
			vals.Texts = map[string]string{}
		}
		vals.Texts[code] = Clean(t)
	}
	in.Reason = Clean(in.Reason)
	var fields []domain.FieldError
	if action.ByParent() && (!vals.IsZero() || len(in.Clear) > 0) {
		fields = append(fields, domain.FieldError{Field: "numbers", Message: "the parent returns or accepts the report as it is"})
	} else {
		fields = append(fields, c.Template.Check(vals, in.Clear)...)
	}
	if err := review.CheckFields(action, in.Reason); err != nil {
		fields = append(fields, domain.FieldError{Field: err.Field, Message: err.Message})
	}
	reviewCheckLen("reason", in.Reason, maxPlanLen, &fields)
	if len(fields) > 0 {
		return ReportView{}, domain.Invalid("the report action has invalid fields", fields...)
	}
	var st workflows.ReviewState
	if err := s.reviewUpdate(ctx, review.UnitWorkflowID(c.ID, r.UnitID), workflows.UpdateReviewAct, workflows.ReviewActInput{
		Action: action, ActorID: userID, UnitID: at, Version: in.Version, Values: vals, Clear: in.Clear,
		Reason: in.Reason, Note: Clean(in.Note)}, &st, "the report's workflow"); err != nil {
		return ReportView{}, err
	}
	r, err = s.Store.Report(ctx, c.ID, unitID)
	if err != nil {
		return ReportView{}, err
	}
	return s.reportView(ctx, userID, c, r)
}

// ReportHistory returns the events of a report the user may read.
func (s *Service) ReportHistory(ctx context.Context, userID int64, campaignID, unitID string) ([]store.ReviewEvent, error) {
	c, err := s.Store.Campaign(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	r, err := s.Store.Report(ctx, c.ID, unitID)
	if err != nil {
		return nil, err
	}
	if err := s.Allow(userID, r.UnitID, objReview, "read"); err != nil {
		return nil, err
	}
	return s.Store.ReviewEvents(ctx, c.ID, r.UnitID)
}

// ---- Dashboard ----

// DashboardQuery narrows the dashboard: the subtree root (default: the campaign's
// requesting unit, or the highest unit of the campaign the user may read), the depth
// of the tree returned, and a status whose units are listed flat.
type DashboardQuery struct {
	UnitID string
	Depth  int
	Status string
}

// LevelCount counts the reports of one depth by status.
type LevelCount struct {
	Depth      int        `json:"depth"`
	Level      string     `json:"level"`
	Deadline   *time.Time `json:"deadline,omitempty"`
	Total      int        `json:"total"`
	NotStarted int        `json:"not_started"`
	Draft      int        `json:"draft"`
	Submitted  int        `json:"submitted"`
	Returned   int        `json:"returned"`
	Accepted   int        `json:"accepted"`
	Overdue    int        `json:"overdue"`
	Late       int        `json:"late"`
}

// DashboardNode is one unit of the dashboard tree.
type DashboardNode struct {
	UnitID           string           `json:"unit_id"`
	UnitName         string           `json:"unit_name"`
	Level            string           `json:"level"`
	Depth            int              `json:"depth"`
	Status           review.Status    `json:"status"`
	Shown            review.Status    `json:"shown_status"`
	Late             bool             `json:"late"`
	Stale            bool             `json:"stale,omitempty"`
	Deadline         *time.Time       `json:"deadline,omitempty"`
	SubmittedAt      *time.Time       `json:"submitted_at,omitempty"`
	ChildrenTotal    int              `json:"children_total"`
	ChildrenReported int              `json:"children_reported"`
	Children         []*DashboardNode `json:"children,omitempty"`
}

// Dashboard is the deadline dashboard of a campaign's subtree.
type Dashboard struct {
	Campaign  store.Campaign      `json:"campaign"`
	RootID    string              `json:"root_unit_id"`
	AsOf      time.Time           `json:"as_of"`
	Levels    []LevelCount        `json:"levels"`
	Tree      *DashboardNode      `json:"tree"`
	Units     []*DashboardNode    `json:"units,omitempty"` // the units of the status asked for
	Aggregate []review.Result     `json:"aggregate"`
	Awards    []review.AwardCount `json:"awards"`
	Missing   []UnitRef           `json:"missing_units"`
}

// CampaignDashboard builds the dashboard of a campaign's subtree from the read model:
// the tree of units with their status (overdue when open past the deadline), counts
// per level, and the root's aggregate so far with the awards of its subtree.
func (s *Service) CampaignDashboard(ctx context.Context, userID int64, id string, q DashboardQuery) (Dashboard, error) {
	c, err := s.Campaign(ctx, userID, id)
	if err != nil {
		return Dashboard{}, err
	}
	root := q.UnitID
	if root == "" {
		root = c.UnitID
		if !s.Can(userID, root, objReview, "read") {
			top, err := s.Store.TopCampaignUnitIn(ctx, c.ID, s.Authz.VisibleUnits(userID, objReview, "read"))
			if err != nil {
				return Dashboard{}, err
			}
			root = top
		}
	}
	if q.Status != "" && q.Status != string(review.StatusOverdue) && !slices.Contains([]review.Status{review.StatusNotStarted,
		review.StatusDraft, review.StatusSubmitted, review.StatusReturned, review.StatusAccepted}, review.Status(q.Status)) {
		return Dashboard{}, domain.Invalid("unknown status", domain.FieldError{Field: "status",
			Message: "one of not_started, draft, submitted, returned, accepted, overdue"})
	}
	if err := s.Allow(userID, root, objReview, "read"); err != nil {
		return Dashboard{}, err
	}
	rows, err := s.Store.Reports(ctx, c.ID, root, false)
	if err != nil {
		return Dashboard{}, err
	}
	if len(rows) == 0 {
		return Dashboard{}, domain.Errorf(domain.KindNotFound, "this unit takes no part in the campaign")
	}
	rootReport, err := s.Store.Report(ctx, c.ID, root)
	if err != nil {
		return Dashboard{}, err
	}
	awards, err := s.Store.AwardCounts(ctx, c.ID, root)
	if err != nil {
		return Dashboard{}, err
	}
	now := s.now()
	d := Dashboard{Campaign: c, RootID: root, AsOf: now, Levels: []LevelCount{}, Missing: []UnitRef{},
		Aggregate: review.Compute(c.Template, rootReport.Aggregate, awards), Awards: reviewNonNilAwards(awards)}
	nodes := make(map[string]*DashboardNode, len(rows))
	levels := map[int]*LevelCount{}
	var depths []int
	for _, r := range rows {
		n := &DashboardNode{UnitID: r.UnitID, UnitName: r.UnitName, Level: r.Level, Depth: r.Depth, Status: r.Status,
			Shown: review.Shown(r.Status, r.Deadline, now), Late: r.Late, Stale: r.Stale, Deadline: r.Deadline,
			SubmittedAt: r.SubmittedAt, ChildrenTotal: r.ChildrenTotal, ChildrenReported: r.ChildrenReported}
		nodes[r.UnitID] = n
		if r.UnitID == root {
			d.Tree = n
		} else if p := nodes[r.ParentUnitID]; p != nil && (q.Depth <= 0 || r.Depth-rows[0].Depth <= q.Depth) {
			p.Children = append(p.Children, n)
		}
		if r.UnitID != root {
			lc := levels[r.Depth]
			if lc == nil {
				lc = &LevelCount{Depth: r.Depth, Level: r.Level, Deadline: r.Deadline}
				levels[r.Depth] = lc
				depths = append(depths, r.Depth)
			}
			lc.Total++
			switch r.Status {
			case review.StatusNotStarted:
				lc.NotStarted++
			case review.StatusDraft:
				lc.Draft++
			case review.StatusSubmitted:
				lc.Submitted++
			case review.StatusReturned:
				lc.Returned++
			case review.StatusAccepted:
				lc.Accepted++
			}
			if n.Shown == review.StatusOverdue {
				lc.Overdue++
			}
			if r.Late {
				lc.Late++
			}
			if q.Status != "" && (string(n.Shown) == q.Status || string(n.Status) == q.Status) {
				d.Units = append(d.Units, n)
			}
		}
	}
	slices.Sort(depths)
	for _, dep := range depths {
		d.Levels = append(d.Levels, *levels[dep])
	}
	for _, id := range rootReport.Missing {
		name := id
		if n := nodes[id]; n != nil {
			name = n.UnitName
		}
		d.Missing = append(d.Missing, UnitRef{ID: id, Name: name})
	}
	return d, nil
}

// ---- Exports ----

// Export formats of a report.
const (
	FormatJSON = "json"
	FormatDOCX = "docx"
)

// ContentTypeDOCX is the media type of a Word document.
const ContentTypeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

// ExportSection is a narrative section of an exported report.
type ExportSection struct {
	Code    string `json:"code"`
	Heading string `json:"heading"`
	Text    string `json:"text"`
}

// ReportExport is the JSON export of a report: the campaign, the report with its
// computed indicators, the narrative sections in the template's order, the units
// that reported and those missing.
type ReportExport struct {
	Campaign    store.Campaign  `json:"campaign"`
	Template    review.Template `json:"template"`
	Report      ReportView      `json:"report"`
	Sections    []ExportSection `json:"sections"`
	GeneratedAt time.Time       `json:"generated_at"`
}

// ExportReport renders a unit's report as JSON or as a Word document in Vietnamese
// with the narrative sections, the indicator table, the awards and the units that
// reported. The requesting unit's report is the campaign's consolidated report.
func (s *Service) ExportReport(ctx context.Context, userID int64, campaignID, unitID, format string) (body []byte, contentType, fileName string, err error) {
	if format != FormatJSON && format != FormatDOCX {
		return nil, "", "", domain.Invalid("unknown format", domain.FieldError{Field: "format", Message: "json or docx"})
	}
	v, err := s.Report(ctx, userID, campaignID, unitID)
	if err != nil {
		return nil, "", "", err
	}
	c, err := s.Store.Campaign(ctx, campaignID)
	if err != nil {
		return nil, "", "", err
	}
	values := v.Values
	if v.Depth == 0 && v.PrefilledAt == nil {
		values = v.Aggregate
		v.Indicators = v.AggregateIndicators
	}
	ex := ReportExport{Campaign: c, Template: c.Template, Report: v, Sections: []ExportSection{}, GeneratedAt: s.now()}
	for _, in := range c.Template.Indicators {
		if in.Kind == review.Text {
			ex.Sections = append(ex.Sections, ExportSection{Code: in.Code, Heading: in.Name, Text: values.Texts[in.Code]})
		}
	}
	base := "bao-cao-" + strings.ToLower(v.UnitID) + "-" + c.ID[:8]
	if format == FormatJSON {
		body, err = json.MarshalIndent(ex, "", "  ")
		return body, "application/json; charset=utf-8", base + ".json", err
	}
	body, err = review.RenderDOCX(s.reportDocument(ctx, ex))
	return body, ContentTypeDOCX, base + ".docx", err
}

// reviewStatusLabels are the Vietnamese names of report statuses.
var reviewStatusLabels = map[review.Status]string{
	review.StatusNotStarted: "Chưa thực hiện", review.StatusDraft: "Đang soạn", review.StatusSubmitted: "Đã gửi",
	review.StatusReturned: "Bị trả lại", review.StatusAccepted: "Đã tiếp nhận", review.StatusOverdue: "Quá hạn",
	review.StatusCollecting: "Đang tổng hợp", review.StatusCompleted: "Hoàn thành", review.StatusClosed: "Đã kết thúc",
}

// reviewPlacePrefixes are stripped from a People's Committee's name to get the place name
// a document is dated from (địa danh).
var reviewPlacePrefixes = []string{"UBND tỉnh ", "UBND thành phố ", "UBND huyện ", "UBND thị xã ", "UBND thị trấn ", "UBND phường ", "UBND xã "}

func reviewPlaceOf(unitName string) string {
	for _, p := range reviewPlacePrefixes {
		if strings.HasPrefix(unitName, p) {
			return strings.TrimPrefix(unitName, p)
		}
	}
	return unitName
}

func reviewRoman(n int) string {
	vals := []int{10, 9, 5, 4, 1}
	syms := []string{"X", "IX", "V", "IV", "I"}
	var b strings.Builder
	for i, v := range vals {
		for n >= v {
			b.WriteString(syms[i])
			n -= v
		}
	}
	return b.String()
}

// reportDocument lays a report out as an administrative document.
func (s *Service) reportDocument(ctx context.Context, ex ReportExport) review.Document {
	v, c := ex.Report, ex.Campaign
	at := s.now()
	if v.SubmittedAt != nil {
		at = *v.SubmittedAt
	}
	d := review.Document{Issuer: strings.ToUpper(v.UnitName), Number: "Số:        /BC-UBND", Place: reviewPlaceOf(v.UnitName),
		Date: at, Title: "BÁO CÁO", Subject: c.Title}
	if c.LetterNumber != "" {
		letterDate := ""
		if t, err := time.ParseInLocation(time.DateOnly, c.LetterDate, calendar.Zone); err == nil {
			letterDate = " ngày " + review.FormatShortDate(t)
		}
		d.Intro = fmt.Sprintf("Thực hiện Công văn số %s%s của %s về việc báo cáo %s, %s báo cáo kết quả thực hiện như sau:",
			c.LetterNumber, letterDate, c.UnitName, strings.ToLower(c.Kind.Title()), v.UnitName)
	} else {
		d.Intro = fmt.Sprintf("%s báo cáo kết quả thực hiện như sau:", v.UnitName)
	}
	i := 0
	for _, sec := range ex.Sections {
		paras := review.Paragraphs(sec.Text)
		if len(paras) == 0 {
			continue
		}
		i++
		d.Sections = append(d.Sections, review.DocSection{Heading: reviewRoman(i) + ". " + strings.ToUpper(sec.Heading), Paragraphs: paras})
	}
	group, g, n := "\x00", 0, 0
	for _, r := range v.Indicators {
		if r.Kind == review.Text {
			continue
		}
		if r.Group != group {
			group, n = r.Group, 0
			g++
			d.Table = append(d.Table, review.DocRow{Group: true, No: reviewRoman(g), Name: r.Group})
		}
		n++
		val := r.Display
		if val == "" {
			val = "–"
		}
		d.Table = append(d.Table, review.DocRow{No: fmt.Sprint(n), Name: r.Name, Unit: r.Unit, Value: val})
	}
	d.Awards = v.Awards
	for _, ch := range v.Children {
		if !ch.Status.Reported() {
			continue
		}
		label := reviewStatusLabels[ch.Status]
		if ch.Late {
			label += " (muộn)"
		}
		when := ""
		if ch.SubmittedAt != nil {
			when = review.FormatShortDate(*ch.SubmittedAt)
		}
		d.Units = append(d.Units, review.DocUnit{Name: ch.UnitName, Status: label, SubmittedAt: when, Late: ch.Late})
	}
	for _, m := range v.MissingUnits {
		d.Missing = append(d.Missing, m.Name)
	}
	if v.ParentUnitName != "" {
		d.Closing = fmt.Sprintf("%s trân trọng báo cáo %s./.", v.UnitName, v.ParentUnitName)
		d.Recipients = []string{v.ParentUnitName + ";"}
	} else {
		d.Closing = fmt.Sprintf("%s tổng hợp báo cáo./.", v.UnitName)
	}
	d.Recipients = append(d.Recipients, "Lưu: VT.")
	if u, err := s.Store.Unit(ctx, v.UnitID); err == nil && u.Kind == store.AdministrativeKind {
		d.SignerTitle = []string{"TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"}
	} else {
		d.SignerTitle = []string{"THỦ TRƯỞNG ĐƠN VỊ"}
	}
	return d
}
