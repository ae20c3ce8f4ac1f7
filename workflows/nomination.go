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

// Errors the act update's validator and handler return; the API maps them to 409.
// They are non-retryable application errors whose Type is the name below.
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
	Route        []domain.RouteStop `json:"route"`
}

// ActInput is one action on a dossier, sent as the act update.
type ActInput struct {
	Action  domain.Action `json:"action"`
	ActorID int64         `json:"actor_id"`
	// UnitID is the unit in which the API authorised the actor; it must be where the
	// open step sits (the submitting unit for submit and withdraw).
	UnitID string `json:"unit_id"`
	// Version is the dossier version the actor saw; a different one is stale.
	Version      int      `json:"version"`
	Note         string   `json:"note,omitempty"`
	MissingItems []string `json:"missing_items,omitempty"`
	Reason       string   `json:"reason,omitempty"`
}

// NominationState is the workflow's view of a dossier, returned by every update and query.
type NominationState struct {
	Status        domain.Status    `json:"status"`
	Step          domain.Step      `json:"step,omitempty"`
	Version       int              `json:"version"`
	RouteIndex    int              `json:"route_index"`
	CurrentUnitID string           `json:"current_unit_id,omitempty"`
	Returned      int              `json:"returned"` // how many times it was returned for supplementation
	Decision      *domain.Decision `json:"decision,omitempty"`
}

// nomination is the running state machine of one dossier.
type nomination struct {
	in    NominationInput
	state NominationState
}

// NominationWorkflow runs one dossier from draft to a decision, a rejection or a
// withdrawal. Every action arrives as the act update; the update is validated
// (state, version, unit, separation of duties) before it enters history, applied,
// recorded in PostgreSQL by the Record local activity, and answered only after the
// record commits.
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
			// Another update may have run while this one waited for the lock.
			if err := n.validate(a); err != nil {
				return n.state, err
			}
			return n.apply(ctx, a)
		},
		workflow.UpdateHandlerOptions{Validator: func(a ActInput) error { return n.validate(a) }},
	); err != nil {
		return n.state, err
	}
	if err := workflow.Await(ctx, func() bool { return n.state.Status.Terminal() }); err != nil {
		return n.state, err
	}
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return n.state, err
	}
	return n.state, nil
}

func rejectf(typ, format string, args ...any) error {
	return temporal.NewNonRetryableApplicationError(fmt.Sprintf(format, args...), typ, nil)
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
	stop := n.in.Route[s.RouteIndex]
	switch a.Action {
	case domain.ActionSubmit:
		if s.Status != domain.StatusDraft && s.Status != domain.StatusReturned {
			return rejectf(ErrTypeWrongState, "only a draft or returned dossier can be submitted; it is %s", s.Status)
		}
	case domain.ActionWithdraw:
		// Allowed in any open state: the submitting unit may withdraw before a decision.
	case domain.ActionApprove, domain.ActionReturn, domain.ActionReject:
		if s.Status != domain.StatusAppraising {
			return rejectf(ErrTypeWrongState, "dossier is %s, not under appraisal", s.Status)
		}
		if a.Action == domain.ActionReturn {
			if len(a.MissingItems) == 0 {
				return rejectf(ErrTypeInvalid, "a return must list the missing items")
			}
			if s.Returned > 0 {
				// The law allows one return with one complete list of what is missing.
				return rejectf(ErrTypeWrongState, "dossier was already returned once; approve or reject it")
			}
		}
		if a.Action == domain.ActionReject && a.Reason == "" {
			return rejectf(ErrTypeInvalid, "a rejection needs a written reason")
		}
	case domain.ActionDecide:
		if s.Status != domain.StatusDeciding || !stop.Decides {
			return rejectf(ErrTypeWrongState, "dossier is %s; this level does not decide it now", s.Status)
		}
	case domain.ActionForward:
		if s.Status != domain.StatusForwarding || stop.Decides {
			return rejectf(ErrTypeWrongState, "dossier is %s; nothing to forward", s.Status)
		}
	default:
		return rejectf(ErrTypeInvalid, "unknown action %q", a.Action)
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
	if a.ActorID == n.in.CreatedBy {
		return rejectf(ErrTypeSeparation, "nobody may appraise or decide a dossier they prepared")
	}
	return nil
}

// next computes the state after a valid action, without side effects.
func (n *nomination) next(a ActInput) NominationState {
	s := n.state
	s.Version++
	route := n.in.Route
	at := func(i int, st domain.Status, step domain.Step) {
		s.RouteIndex, s.Status, s.Step, s.CurrentUnitID = i, st, step, route[i].UnitID
	}
	switch a.Action {
	case domain.ActionSubmit:
		at(s.RouteIndex, domain.StatusAppraising, domain.StepAppraise) // resumes where it was returned
	case domain.ActionApprove:
		if route[s.RouteIndex].Decides {
			at(s.RouteIndex, domain.StatusDeciding, domain.StepDecide)
		} else {
			at(s.RouteIndex, domain.StatusForwarding, domain.StepForward)
		}
	case domain.ActionReturn:
		s.Status, s.Step, s.CurrentUnitID = domain.StatusReturned, domain.StepSupplement, n.in.UnitID
		s.Returned++
	case domain.ActionReject:
		s.Status, s.Step, s.CurrentUnitID = domain.StatusRejected, "", ""
	case domain.ActionForward:
		at(s.RouteIndex+1, domain.StatusAppraising, domain.StepAppraise)
	case domain.ActionDecide:
		s.Status, s.Step, s.CurrentUnitID = domain.StatusDecided, "", ""
	case domain.ActionWithdraw:
		s.Status, s.Step, s.CurrentUnitID = domain.StatusWithdrawn, "", ""
	}
	return s
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

// apply records the transition and, once it has committed, makes it the state.
func (n *nomination) apply(ctx workflow.Context, a ActInput) (NominationState, error) {
	from := n.state
	to := n.next(a)
	t := domain.Transition{
		NominationID:  n.in.NominationID,
		Seq:           to.Version,
		At:            workflow.Now(ctx).UTC(),
		ActorID:       a.ActorID,
		Action:        a.Action,
		FromStatus:    from.Status,
		ToStatus:      to.Status,
		Step:          to.Step,
		UnitID:        a.UnitID,
		CurrentUnitID: to.CurrentUnitID,
		RouteIndex:    to.RouteIndex,
		MissingItems:  a.MissingItems,
		Reason:        a.Reason,
		Note:          a.Note,
	}
	if a.Action == domain.ActionDecide {
		t.Decide = true
		t.DecisionUnitID = from.CurrentUnitID
	}
	var acts *activities.Activities
	var res domain.RecordResult
	lctx := workflow.WithLocalActivityOptions(ctx, recordOptions)
	if err := workflow.ExecuteLocalActivity(lctx, acts.Record, t).Get(ctx, &res); err != nil {
		var appErr *temporal.ApplicationError
		if errors.As(err, &appErr) {
			return n.state, err
		}
		return n.state, fmt.Errorf("record %s: %w", a.Action, err)
	}
	to.Decision = res.Decision
	n.state = to
	return n.state, nil
}
