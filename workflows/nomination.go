// Package workflows holds tdkt's Temporal workflows: the state machines of the
// procedure. Workflows are deterministic and thin; everything that touches the world
// runs in the activities package.
package workflows

import (
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/tdkt/tdkt/activities"
	"github.com/tdkt/tdkt/internal/domain"
)

// Names shared by the workflows, their callers and their tests.
const (
	// TaskQueue is the queue tdkt's worker polls.
	TaskQueue = "tdkt"
	// NominationWorkflowName is the registered name of NominationWorkflow.
	NominationWorkflowName = "NominationWorkflow"
	// UpdateAct is the update through which every action on a dossier arrives.
	UpdateAct = "act"
	// QueryState returns the workflow's NominationState.
	QueryState = "state"
)

// Errors the act update's validator and handler return; the API maps them to
// 409 (stale, wrong state, wrong unit), 400 (invalid) and 403 (separation of
// duties). They are non-retryable application errors whose Type is the name below.
const (
	ErrTypeStaleVersion = "StaleVersion"
	ErrTypeWrongState   = "WrongState"
	ErrTypeWrongUnit    = "WrongUnit"
	ErrTypeInvalid      = "InvalidAction"
	ErrTypeSeparation   = "SeparationOfDuties"
)

// NominationWorkflowID is the workflow ID of a dossier: one workflow per dossier.
func NominationWorkflowID(nominationID string) string { return "nomination-" + nominationID }

// NominationInput starts the workflow of a dossier that the API has created in draft.
type NominationInput struct {
	NominationID string             `json:"nomination_id"`
	UnitID       string             `json:"unit_id"` // the submitting unit
	CreatedBy    int64              `json:"created_by"`
	AwardCode    string             `json:"award_code"`
	Procedure    domain.Procedure   `json:"procedure"`
	Route        []domain.RouteStop `json:"route"`
}

// Outcome is a decider's choice for one nominee at a decide or forward step.
type Outcome struct {
	NomineeID int64  `json:"nominee_id"`
	Outcome   string `json:"outcome"` // award | forward | downgrade | reject
	AwardCode string `json:"award_code,omitempty"`
	Reason    string `json:"reason,omitempty"`
}

// NomineeRef is a nominee as the workflow tracks it.
type NomineeRef struct {
	ID     int64  `json:"id"`
	Kind   string `json:"kind"`
	Status string `json:"status"` // pending, held, awarded, downgraded, rejected
}

// ActInput is one action on a dossier, sent as the act update.
type ActInput struct {
	Action  domain.Action `json:"action"`
	ActorID int64         `json:"actor_id"`
	// OnBehalfOf is the user whose authority the actor uses under a delegation.
	OnBehalfOf int64 `json:"on_behalf_of,omitempty"`
	// UnitID is the unit in which the API authorised the actor: where the open step
	// sits (the submitting unit for submit and withdraw; the consulted unit for concur).
	UnitID string `json:"unit_id"`
	// Version is the dossier version the actor saw; a different one is stale.
	Version      int      `json:"version"`
	Note         string   `json:"note,omitempty"`
	MissingItems []string `json:"missing_items,omitempty"`
	Reason       string   `json:"reason,omitempty"`
	// Nominees is the dossier's nominee list, sent with submit (the API reads it).
	Nominees []NomineeRef `json:"nominees,omitempty"`
	// Units are the units asked for concurrence (request_concurrence).
	Units []string `json:"units,omitempty"`
	// Answer is a concurrence answer: agree or object.
	Answer string `json:"answer,omitempty"`
	// NomineeID names the nominee of a hold or release.
	NomineeID int64 `json:"nominee_id,omitempty"`
	// Outcomes are per-nominee choices at decide and forward; a nominee not listed
	// is awarded (decide) or forwarded (forward).
	Outcomes []Outcome `json:"outcomes,omitempty"`
}

// NominationState is the workflow's view of a dossier, returned by every update and query.
type NominationState struct {
	Status        domain.Status     `json:"status"`
	Step          domain.Step       `json:"step,omitempty"`
	Version       int               `json:"version"`
	RouteIndex    int               `json:"route_index"`
	CurrentUnitID string            `json:"current_unit_id,omitempty"`
	Returned      int               `json:"returned"` // times returned for supplementation (at most once)
	ReturnedFrom  domain.Status     `json:"returned_from,omitempty"`
	Nominees      []NomineeRef      `json:"nominees,omitempty"`
	Decisions     []domain.Decision `json:"decisions,omitempty"`

	// Per-level progress, reset when the dossier moves to the next level.
	ConcurrenceRound   int      `json:"concurrence_round,omitempty"`
	ConcurrencePending []string `json:"concurrence_pending,omitempty"`
	ConcurrenceDone    bool     `json:"concurrence_done,omitempty"`
	ConsultationRound  int      `json:"consultation_round,omitempty"`
	ConsultationDone   bool     `json:"consultation_done,omitempty"`
	CouncilSession     int      `json:"council_session,omitempty"`
	CouncilPassed      bool     `json:"council_passed,omitempty"`

	// The open stage's deadline and reminder, and whether they have fired.
	DueAt     *time.Time `json:"due_at,omitempty"`
	RemindAt  *time.Time `json:"remind_at,omitempty"`
	Reminded  bool       `json:"reminded,omitempty"`
	Escalated bool       `json:"escalated,omitempty"`
}

// nomination is the running state machine of one dossier.
type nomination struct {
	in    NominationInput
	state NominationState
}

// NominationWorkflow runs one dossier from draft to a decision, a rejection or a
// withdrawal, level by level along its route: intake, appraisal (with concurrence
// where required), public consultation, council vote, then the decision or the
// forwarding with a submission letter. Every user action arrives as the act update;
// the update is validated (state, version, unit, separation of duties) before it
// enters history, applied, recorded in PostgreSQL by the Record local activity, and
// answered only after the record commits. Durable timers remind the assignees
// before each stage's due date, escalate when it passes, close consultation windows
// and count silent concurrence as no objection.
func NominationWorkflow(ctx workflow.Context, in NominationInput) (NominationState, error) {
	if len(in.Route) == 0 {
		return NominationState{}, temporal.NewNonRetryableApplicationError("empty route", ErrTypeInvalid, nil)
	}
	n := &nomination{in: in, state: NominationState{
		Status: domain.StatusDraft, Step: domain.StepSubmit, CurrentUnitID: in.UnitID,
	}}
	if err := workflow.SetQueryHandler(ctx, QueryState, func() (NominationState, error) { return n.state, nil }); err != nil {
		return n.state, err
	}
	mu := workflow.NewMutex(ctx)
	if err := workflow.SetUpdateHandlerWithOptions(ctx, UpdateAct,
		func(ctx workflow.Context, a ActInput) (NominationState, error) {
			if err := mu.Lock(ctx); err != nil {
				return n.state, err
			}
			defer mu.Unlock()
			// Another update or a timer may have run while this one waited for the lock.
			if err := n.validate(a); err != nil {
				return n.state, err
			}
			return n.apply(ctx, a)
		},
		workflow.UpdateHandlerOptions{Validator: func(a ActInput) error { return n.validate(a) }},
	); err != nil {
		return n.state, err
	}
	for !n.state.Status.Terminal() {
		v := n.state.Version
		at, fire := n.nextTimer()
		changed := func() bool { return n.state.Version != v || n.state.Status.Terminal() }
		if fire == nil {
			if err := workflow.Await(ctx, changed); err != nil {
				return n.state, err
			}
			continue
		}
		wait := at.Sub(workflow.Now(ctx))
		if wait < 0 {
			wait = 0
		}
		ok, err := workflow.AwaitWithTimeout(ctx, wait, changed)
		if err != nil {
			return n.state, err
		}
		if ok {
			continue
		}
		if err := mu.Lock(ctx); err != nil {
			return n.state, err
		}
		if n.state.Version == v {
			if err := fire(ctx); err != nil {
				workflow.GetLogger(ctx).Error("timer action failed; retrying in a minute", "error", err)
				_ = workflow.Sleep(ctx, time.Minute)
			}
		}
		mu.Unlock()
	}
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return n.state, err
	}
	return n.state, nil
}

// nextTimer returns the next instant at which the workflow acts by itself, and the
// action: remind the assignees, then at the due date close the consultation window,
// count silent concurrence as agreement, or escalate an overdue task.
func (n *nomination) nextTimer() (time.Time, func(workflow.Context) error) {
	s := &n.state
	if s.RemindAt != nil && !s.Reminded && (s.DueAt == nil || s.RemindAt.Before(*s.DueAt)) {
		return *s.RemindAt, func(ctx workflow.Context) error {
			if err := n.runLocal(ctx, "Remind", n.deadlineInput()); err != nil {
				return err
			}
			s.Reminded = true
			return nil
		}
	}
	if s.DueAt == nil {
		return time.Time{}, nil
	}
	switch s.Status {
	case domain.StatusConsulting:
		return *s.DueAt, func(ctx workflow.Context) error {
			_, err := n.apply(ctx, ActInput{Action: domain.ActionConsultationClosed, UnitID: s.CurrentUnitID})
			return err
		}
	case domain.StatusConcurring:
		return *s.DueAt, func(ctx workflow.Context) error {
			_, err := n.apply(ctx, ActInput{Action: domain.ActionConcurrenceSilent, UnitID: s.CurrentUnitID})
			return err
		}
	}
	if s.Escalated {
		return time.Time{}, nil
	}
	return *s.DueAt, func(ctx workflow.Context) error {
		if err := n.runLocal(ctx, "Escalate", n.deadlineInput()); err != nil {
			return err
		}
		s.Escalated = true
		return nil
	}
}

func (n *nomination) deadlineInput() activities.DeadlineInput {
	return activities.DeadlineInput{NominationID: n.in.NominationID, Seq: n.state.Version, Step: n.state.Step,
		UnitID: n.state.CurrentUnitID}
}

func rejectf(typ, format string, args ...any) error {
	return temporal.NewNonRetryableApplicationError(fmt.Sprintf(format, args...), typ, nil)
}

func (n *nomination) stop() domain.RouteStop { return n.in.Route[n.state.RouteIndex] }

func (n *nomination) nominee(id int64) *NomineeRef {
	for i := range n.state.Nominees {
		if n.state.Nominees[i].ID == id {
			return &n.state.Nominees[i]
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// validate decides whether action a may be applied to the current state. It is pure:
// it runs both as the update validator and again under the lock in the handler.
func (n *nomination) validate(a ActInput) error {
	s := n.state
	if a.Version != s.Version {
		return rejectf(ErrTypeStaleVersion, "dossier is at version %d, not %d", s.Version, a.Version)
	}
	if s.Status.Terminal() {
		return rejectf(ErrTypeWrongState, "dossier is %s", s.Status)
	}
	if a.ActorID == 0 {
		return rejectf(ErrTypeInvalid, "no actor")
	}
	inState := func(states ...domain.Status) error {
		for _, st := range states {
			if s.Status == st {
				return nil
			}
		}
		return rejectf(ErrTypeWrongState, "dossier is %s; %s is not possible now", s.Status, a.Action)
	}
	var err error
	switch a.Action {
	case domain.ActionSubmit:
		if err = inState(domain.StatusDraft, domain.StatusReturned); err == nil && len(a.Nominees) == 0 {
			err = rejectf(ErrTypeInvalid, "a dossier needs at least one nominee")
		}
	case domain.ActionWithdraw:
		// Any open state: the submitting unit may withdraw before a decision.
	case domain.ActionAccept:
		err = inState(domain.StatusIntake)
	case domain.ActionReturn:
		if err = inState(domain.StatusIntake, domain.StatusAppraising); err == nil {
			switch {
			case len(a.MissingItems) == 0:
				err = rejectf(ErrTypeInvalid, "a return must list the missing items")
			case s.Returned > 0:
				// The law allows one return with one complete list of what is missing.
				err = rejectf(ErrTypeWrongState, "dossier was already returned once; approve or reject it")
			}
		}
	case domain.ActionReject:
		if err = inState(domain.StatusIntake, domain.StatusAppraising); err == nil && a.Reason == "" {
			err = rejectf(ErrTypeInvalid, "a rejection needs a written reason")
		}
	case domain.ActionRequestConcurrence:
		if err = inState(domain.StatusAppraising); err == nil && len(a.Units) == 0 {
			err = rejectf(ErrTypeInvalid, "name the units asked for concurrence")
		}
	case domain.ActionConcur:
		if err = inState(domain.StatusConcurring); err == nil {
			if !contains(s.ConcurrencePending, a.UnitID) {
				err = rejectf(ErrTypeWrongUnit, "unit %s was not asked or has answered", a.UnitID)
			} else if a.Answer != "agree" && a.Answer != "object" {
				err = rejectf(ErrTypeInvalid, "a concurrence answer is agree or object")
			}
		}
		if err != nil {
			return err
		}
		return nil // the consulted unit answers; separation of duties is not in question
	case domain.ActionApprove:
		if err = inState(domain.StatusAppraising); err == nil && n.stop().Concurrence && !s.ConcurrenceDone {
			err = rejectf(ErrTypeWrongState, "this level needs concurrence opinions before approval")
		}
	case domain.ActionComment:
		if err = inState(domain.StatusConsulting); err == nil && a.Note == "" {
			err = rejectf(ErrTypeInvalid, "a comment needs a text")
		}
		if err != nil {
			return err
		}
		return nil // anyone who may read the dossier may comment during the window
	case domain.ActionCloseVote:
		err = inState(domain.StatusVoting)
	case domain.ActionHold, domain.ActionRelease:
		if err = inState(domain.StatusIntake, domain.StatusAppraising, domain.StatusConcurring, domain.StatusConsulting,
			domain.StatusVoting, domain.StatusDeciding, domain.StatusForwarding); err == nil {
			nm := n.nominee(a.NomineeID)
			switch {
			case nm == nil:
				err = rejectf(ErrTypeInvalid, "no nominee %d in this dossier", a.NomineeID)
			case a.Action == domain.ActionHold && nm.Status != domain.NomineePending:
				err = rejectf(ErrTypeWrongState, "nominee %d is %s", a.NomineeID, nm.Status)
			case a.Action == domain.ActionHold && a.Reason == "":
				err = rejectf(ErrTypeInvalid, "a hold needs a reason (discipline, investigation, inspection, complaint)")
			case a.Action == domain.ActionRelease && nm.Status != domain.NomineeHeld:
				err = rejectf(ErrTypeWrongState, "nominee %d is not on hold", a.NomineeID)
			}
		}
	case domain.ActionDecide:
		if err = inState(domain.StatusDeciding); err == nil && !n.stop().Decides {
			err = rejectf(ErrTypeWrongState, "this level does not decide the award")
		}
		if err == nil {
			err = n.validateOutcomes(a, "award")
		}
	case domain.ActionForward:
		if err = inState(domain.StatusForwarding); err == nil && n.stop().Decides {
			err = rejectf(ErrTypeWrongState, "nothing to forward: this level decides")
		}
		if err == nil {
			err = n.validateOutcomes(a, "forward")
		}
	default:
		return rejectf(ErrTypeInvalid, "unknown action %q", a.Action)
	}
	if err != nil {
		return err
	}
	if a.Action == domain.ActionSubmit || a.Action == domain.ActionWithdraw {
		if a.UnitID != n.in.UnitID {
			return rejectf(ErrTypeWrongUnit, "only the submitting unit may %s", a.Action)
		}
		return nil
	}
	if a.UnitID != s.CurrentUnitID {
		return rejectf(ErrTypeWrongUnit, "the dossier is at unit %s, not %s", s.CurrentUnitID, a.UnitID)
	}
	if a.ActorID == n.in.CreatedBy || (a.OnBehalfOf != 0 && a.OnBehalfOf == n.in.CreatedBy) {
		return rejectf(ErrTypeSeparation, "nobody may appraise, vote on or decide a dossier they prepared")
	}
	return nil
}

// validateOutcomes checks per-nominee choices: known pending nominees, known
// outcomes, an award code on a downgrade, a reason on a rejection; something must
// be left to decide or forward.
func (n *nomination) validateOutcomes(a ActInput, pass string) error {
	seen := map[int64]bool{}
	for _, o := range a.Outcomes {
		nm := n.nominee(o.NomineeID)
		switch {
		case nm == nil:
			return rejectf(ErrTypeInvalid, "no nominee %d in this dossier", o.NomineeID)
		case seen[o.NomineeID]:
			return rejectf(ErrTypeInvalid, "nominee %d listed twice", o.NomineeID)
		case nm.Status != domain.NomineePending:
			return rejectf(ErrTypeWrongState, "nominee %d is %s", o.NomineeID, nm.Status)
		case o.Outcome != pass && o.Outcome != "downgrade" && o.Outcome != "reject":
			return rejectf(ErrTypeInvalid, "outcome %q: use %s, downgrade or reject", o.Outcome, pass)
		case o.Outcome == "downgrade" && o.AwardCode == "":
			return rejectf(ErrTypeInvalid, "a downgrade names the award this level grants")
		case o.Outcome == "reject" && o.Reason == "":
			return rejectf(ErrTypeInvalid, "rejecting nominee %d needs a reason", o.NomineeID)
		}
		seen[o.NomineeID] = true
	}
	pending := 0
	for _, nm := range n.state.Nominees {
		if nm.Status == domain.NomineePending {
			pending++
		}
	}
	if pending == 0 {
		return rejectf(ErrTypeWrongState, "no nominee is ready: the others are on hold")
	}
	return nil
}

// recordOptions keep the Record step short and local to the worker, retrying
// transient database errors for a bounded time so the update answers promptly.
var recordOptions = workflow.LocalActivityOptions{
	ScheduleToCloseTimeout: 30 * time.Second,
	StartToCloseTimeout:    10 * time.Second,
	RetryPolicy: &temporal.RetryPolicy{
		InitialInterval:    100 * time.Millisecond,
		BackoffCoefficient: 2,
		MaximumInterval:    2 * time.Second,
		MaximumAttempts:    8,
	},
}

func (n *nomination) runLocal(ctx workflow.Context, name string, arg any) error {
	lctx := workflow.WithLocalActivityOptions(ctx, recordOptions)
	return workflow.ExecuteLocalActivity(lctx, name, arg).Get(ctx, nil)
}

func (n *nomination) record(ctx workflow.Context, t domain.Transition) (domain.RecordResult, error) {
	var res domain.RecordResult
	lctx := workflow.WithLocalActivityOptions(ctx, recordOptions)
	var acts *activities.Activities
	if err := workflow.ExecuteLocalActivity(lctx, acts.Record, t).Get(ctx, &res); err != nil {
		var appErr *temporal.ApplicationError
		if errors.As(err, &appErr) {
			return res, err
		}
		return res, fmt.Errorf("record %s: %w", t.Action, err)
	}
	return res, nil
}
