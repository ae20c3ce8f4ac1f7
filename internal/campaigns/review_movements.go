package campaigns

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/review"
	"github.com/tdkt/tdkt/workflows/contract"
)

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
func (s *Service) LaunchMovement(ctx context.Context, userID int64, in LaunchMovementInput) (Movement, error) {
	var fields []domain.FieldError
	in.UnitID, in.Name = strings.TrimSpace(in.UnitID), domain.Clean(in.Name)
	in.DecisionNumber, in.Goals, in.Criteria = domain.Clean(in.DecisionNumber), domain.Clean(in.Goals), domain.Clean(in.Criteria)
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
		return Movement{}, domain.Invalid("the movement has invalid fields", fields...)
	}
	unit, err := s.admin.Store.Unit(ctx, in.UnitID)
	if domain.IsKind(err, domain.KindNotFound) {
		return Movement{}, domain.Invalid("unknown unit", domain.FieldError{Field: "unit_id", Message: "no such unit"})
	} else if err != nil {
		return Movement{}, err
	}
	if err := s.Allow(userID, unit.ID, objMovement, "launch"); err != nil {
		return Movement{}, err
	}
	if in.ParentID != "" {
		parent, err := s.Movement(ctx, userID, in.ParentID)
		if domain.IsKind(err, domain.KindNotFound) {
			return Movement{}, domain.Invalid("unknown parent movement", domain.FieldError{Field: "parent_id", Message: "no such movement"})
		} else if err != nil {
			return Movement{}, err
		}
		below, err := s.Store.IsAncestorOrSelf(ctx, parent.UnitID, unit.ID)
		if err != nil {
			return Movement{}, err
		}
		if !below || parent.UnitID == unit.ID {
			return Movement{}, domain.Invalid("a lower level's version is launched below the parent movement's unit",
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
		return Movement{}, domain.Invalid("unknown template", domain.FieldError{Field: "template_code", Message: "no such template"})
	} else if err != nil {
		return Movement{}, err
	}
	id := uuid.NewString()
	m := NewMovement{ID: id, WorkflowID: review.MovementWorkflowID(id), ParentID: in.ParentID, UnitID: unit.ID,
		Name: in.Name, DecisionNumber: in.DecisionNumber, DecisionDate: decided, PeriodStart: *start, PeriodEnd: *end,
		Goals: in.Goals, Criteria: in.Criteria, TemplateCode: in.TemplateCode, CreatedBy: userID, At: s.Clock()}
	tx, err := s.Store.BeginTx(ctx)
	if err != nil {
		return Movement{}, err
	}
	defer tx.Rollback(ctx) //nolint:errcheck // no-op after commit
	if err := CreateMovementTx(ctx, tx, m); err != nil {
		return Movement{}, err
	}
	periodEnd := review.EndOfDay(calendar.DateOf(*end))
	if _, err := s.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: m.WorkflowID, TaskQueue: s.TaskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_FAIL,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
	}, contract.MovementWorkflowName, contract.MovementInput{MovementID: id, UnitID: unit.ID, PeriodEnd: periodEnd}); err != nil {
		return Movement{}, fmt.Errorf("start movement workflow: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		_ = s.Temporal.TerminateWorkflow(context.WithoutCancel(ctx), m.WorkflowID, "", "movement rows not committed")
		return Movement{}, fmt.Errorf("commit movement: %w", err)
	}
	return s.Store.Movement(ctx, id)
}

// Movements lists the movements that concern the units where the user may read
// movements: theirs, those below, and those above that they take part in.
func (s *Service) Movements(ctx context.Context, userID int64, status string) ([]Movement, error) {
	return s.Store.Movements(ctx, s.Authz.VisibleUnits(userID, objMovement, "read"), status)
}

// Movement returns a movement the user may read: launched in a unit where they may
// read movements, or above one (a commune takes part in the province's movement).
func (s *Service) Movement(ctx context.Context, userID int64, id string) (Movement, error) {
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
		return Movement{}, domain.Errorf(domain.KindForbidden, "you may not read this movement")
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
func (s *Service) RegisterForMovement(ctx context.Context, userID int64, movementID string, in RegisterInput) (Registration, error) {
	in.UnitID, in.Commitments = strings.TrimSpace(in.UnitID), domain.Clean(in.Commitments)
	var fields []domain.FieldError
	if in.UnitID == "" {
		fields = append(fields, domain.FieldError{Field: "unit_id", Message: "required"})
	}
	if in.Commitments == "" {
		fields = append(fields, domain.FieldError{Field: "commitments", Message: "state the unit's commitments"})
	}
	reviewCheckLen("commitments", in.Commitments, maxPlanLen, &fields)
	if len(fields) > 0 {
		return Registration{}, domain.Invalid("the registration has invalid fields", fields...)
	}
	m, err := s.Movement(ctx, userID, movementID)
	if err != nil {
		return Registration{}, err
	}
	if err := s.Allow(userID, in.UnitID, objMovement, "register"); err != nil {
		return Registration{}, err
	}
	inScope, err := s.Store.IsAncestorOrSelf(ctx, m.UnitID, in.UnitID)
	if err != nil {
		return Registration{}, err
	}
	if !inScope {
		return Registration{}, domain.Invalid("the unit is outside the movement's scope",
			domain.FieldError{Field: "unit_id", Message: "not below " + m.UnitName})
	}
	if m.Status != "active" {
		return Registration{}, domain.Errorf(domain.KindConflict, "the movement has ended")
	}
	var st contract.MovementState
	if err := s.reviewUpdate(ctx, m.WorkflowID, contract.UpdateRegister,
		contract.RegisterInput{UnitID: in.UnitID, ActorID: userID, Commitments: in.Commitments}, &st, "the movement"); err != nil {
		return Registration{}, err
	}
	regs, err := s.Store.Registrations(ctx, m.ID)
	if err != nil {
		return Registration{}, err
	}
	for _, r := range regs {
		if r.UnitID == in.UnitID {
			return r, nil
		}
	}
	return Registration{}, fmt.Errorf("registration of %s not found after recording", in.UnitID)
}

// Registrations lists the registrations of a movement the user may read.
func (s *Service) Registrations(ctx context.Context, userID int64, movementID string) ([]Registration, error) {
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
func scheduleFor(m Movement, in ScheduleInput, createdBy int64) (scheduleSpec, client.ScheduleSpec, review.ScheduledCampaign, error) {
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
func (s *Service) managedMovement(ctx context.Context, userID int64, movementID string) (Movement, error) {
	m, err := s.Movement(ctx, userID, movementID)
	if err != nil {
		return m, err
	}
	return m, s.Allow(userID, m.UnitID, objMovement, "manage")
}

// CreateReviewSchedule creates the Temporal schedule of a movement's recurring review
// of a kind (one per kind) and its read model.
func (s *Service) CreateReviewSchedule(ctx context.Context, userID int64, movementID string, in ScheduleInput) (ReviewSchedule, error) {
	m, err := s.managedMovement(ctx, userID, movementID)
	if err != nil {
		return ReviewSchedule{}, err
	}
	sp, spec, sc, err := scheduleFor(m, in, userID)
	if err != nil {
		return ReviewSchedule{}, err
	}
	in.Note = domain.Clean(in.Note)
	_, err = s.Temporal.ScheduleClient().Create(ctx, client.ScheduleOptions{
		ID: sc.ScheduleID, Spec: spec, Paused: in.Paused, Note: in.Note,
		Overlap: enumspb.SCHEDULE_OVERLAP_POLICY_SKIP,
		Action: &client.ScheduleWorkflowAction{ID: sc.ScheduleID + "-run", Workflow: contract.ScheduledReviewWorkflowName,
			Args: []any{sc}, TaskQueue: s.TaskQueue},
	})
	var exists *serviceerror.AlreadyExists
	if errors.As(err, &exists) || errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
		return ReviewSchedule{}, domain.Errorf(domain.KindConflict, "the movement already has a %s review schedule; edit it", sc.Kind)
	}
	if err != nil {
		return ReviewSchedule{}, fmt.Errorf("create schedule: %w", err)
	}
	return s.putSchedule(ctx, sc, sp, in.Paused, in.Note, userID)
}

func (s *Service) putSchedule(ctx context.Context, sc review.ScheduledCampaign, sp scheduleSpec, paused bool, note string, userID int64) (ReviewSchedule, error) {
	js, err := json.Marshal(sp)
	if err != nil {
		return ReviewSchedule{}, err
	}
	now := s.Clock()
	if err := s.Store.PutReviewSchedule(ctx, ReviewSchedule{ID: sc.ScheduleID, MovementID: sc.MovementID, Kind: sc.Kind,
		Spec: js, Paused: paused, Note: note, CreatedBy: userID, CreatedAt: now, UpdatedAt: now}); err != nil {
		return ReviewSchedule{}, err
	}
	return s.Store.ReviewScheduleByID(ctx, sc.ScheduleID)
}

// ReviewSchedules lists a movement's schedules from the read model.
func (s *Service) ReviewSchedules(ctx context.Context, userID int64, movementID string) ([]ReviewSchedule, error) {
	m, err := s.Movement(ctx, userID, movementID)
	if err != nil {
		return nil, err
	}
	return s.Store.ReviewSchedules(ctx, m.ID)
}

// existingSchedule returns a movement's schedule of a kind from the read model.
func (s *Service) existingSchedule(ctx context.Context, m Movement, kind string) (ReviewSchedule, error) {
	if !review.CampaignKind(kind).Valid() {
		return ReviewSchedule{}, domain.Errorf(domain.KindNotFound, "no such schedule")
	}
	rs, err := s.Store.ReviewScheduleByID(ctx, review.ScheduleID(m.ID, review.CampaignKind(kind)))
	if domain.IsKind(err, domain.KindNotFound) {
		return rs, domain.Errorf(domain.KindNotFound, "the movement has no %s review schedule", kind)
	}
	return rs, err
}

// UpdateReviewSchedule changes when a schedule fires and the campaign it opens.
func (s *Service) UpdateReviewSchedule(ctx context.Context, userID int64, movementID, kind string, in ScheduleInput) (ReviewSchedule, error) {
	m, err := s.managedMovement(ctx, userID, movementID)
	if err != nil {
		return ReviewSchedule{}, err
	}
	rs, err := s.existingSchedule(ctx, m, kind)
	if err != nil {
		return rs, err
	}
	in.Kind = kind
	sp, spec, sc, err := scheduleFor(m, in, userID)
	if err != nil {
		return ReviewSchedule{}, err
	}
	in.Note = domain.Clean(in.Note)
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
		return ReviewSchedule{}, fmt.Errorf("update schedule: %w", err)
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
func (s *Service) PauseReviewSchedule(ctx context.Context, userID int64, movementID, kind string, pause bool, note string) (ReviewSchedule, error) {
	m, err := s.managedMovement(ctx, userID, movementID)
	if err != nil {
		return ReviewSchedule{}, err
	}
	rs, err := s.existingSchedule(ctx, m, kind)
	if err != nil {
		return rs, err
	}
	note = domain.Clean(note)
	h := s.Temporal.ScheduleClient().GetHandle(ctx, rs.ID)
	if pause {
		err = h.Pause(ctx, client.SchedulePauseOptions{Note: note})
	} else {
		err = h.Unpause(ctx, client.ScheduleUnpauseOptions{Note: note})
	}
	if err != nil {
		return rs, fmt.Errorf("pause schedule: %w", err)
	}
	rs.Paused, rs.Note, rs.UpdatedAt = pause, note, s.Clock()
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
