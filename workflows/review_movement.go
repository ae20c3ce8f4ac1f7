package workflows

import (
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/tdkt/tdkt/activities"
	"github.com/tdkt/tdkt/internal/store"
)

// Names of the movement workflow and its messages.
const (
	// MovementWorkflowName is the workflow of a movement (phong trào thi đua) for its
	// whole period.
	MovementWorkflowName = "MovementWorkflow"
	// UpdateRegister is a unit's registration (đăng ký thi đua) with its commitments.
	UpdateRegister = "register"
	// QueryMovementState returns the MovementState.
	QueryMovementState = "movement-state"
)

// DefaultMovementUpdatesPerRun is how many registrations one run of a movement's
// workflow takes before it continues as new. Each costs about six history events, so
// a run stays far below Temporal's 51,200-event limit whatever the movement's length.
const DefaultMovementUpdatesPerRun = 2000

// MovementInput starts (or continues) a movement's workflow.
type MovementInput struct {
	MovementID string    `json:"movement_id"`
	UnitID     string    `json:"unit_id"`
	PeriodEnd  time.Time `json:"period_end"` // the movement ends at this instant
	// Seq and Registrations carry the counts of earlier runs across continue-as-new.
	Seq           int `json:"seq,omitempty"`
	Registrations int `json:"registrations,omitempty"`
	Runs          int `json:"runs,omitempty"`
	// MaxUpdatesPerRun is when to continue as new; 0 is DefaultMovementUpdatesPerRun.
	MaxUpdatesPerRun int `json:"max_updates_per_run,omitempty"`
}

// RegisterInput is a unit's registration for the movement.
type RegisterInput struct {
	UnitID      string `json:"unit_id"`
	ActorID     int64  `json:"actor_id"`
	Commitments string `json:"commitments"`
}

// MovementState is the workflow's view of the movement.
type MovementState struct {
	Status        string `json:"status"` // active | ended
	Seq           int    `json:"seq"`
	Registrations int    `json:"registrations"`
	Runs          int    `json:"runs"`
}

// MovementWorkflow lives as long as a movement: it takes registrations as updates,
// recording each in PostgreSQL, and ends the movement at the end of its period. A
// five-year movement would pile up history, so after MaxUpdatesPerRun registrations,
// or when Temporal suggests it, the run drains its handlers and continues as new with
// its counts.
func MovementWorkflow(ctx workflow.Context, in MovementInput) (MovementState, error) {
	limit := in.MaxUpdatesPerRun
	if limit <= 0 {
		limit = DefaultMovementUpdatesPerRun
	}
	st := MovementState{Status: "active", Seq: in.Seq, Registrations: in.Registrations, Runs: in.Runs + 1}
	updates := 0
	mu := workflow.NewMutex(ctx)
	if err := workflow.SetQueryHandler(ctx, QueryMovementState, func() (MovementState, error) { return st, nil }); err != nil {
		return st, err
	}
	validate := func(r RegisterInput) error {
		if st.Status != "active" {
			return rejectf(ErrTypeWrongState, "the movement has ended")
		}
		if r.ActorID == 0 || r.UnitID == "" {
			return rejectf(ErrTypeInvalid, "a registration needs a unit and an actor")
		}
		if strings.TrimSpace(r.Commitments) == "" {
			return rejectf(ErrTypeInvalid, "a registration needs the unit's commitments")
		}
		return nil
	}
	record := func(ctx workflow.Context, t store.MovementTransition) error {
		var acts *activities.Activities
		return workflow.ExecuteLocalActivity(workflow.WithLocalActivityOptions(ctx, reviewRecordOptions), acts.RecordMovement, t).Get(ctx, nil)
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, UpdateRegister,
		func(ctx workflow.Context, r RegisterInput) (MovementState, error) {
			if err := mu.Lock(ctx); err != nil {
				return st, err
			}
			defer mu.Unlock()
			if err := validate(r); err != nil {
				return st, err
			}
			t := store.MovementTransition{MovementID: in.MovementID, Seq: st.Seq + 1, At: workflow.Now(ctx).UTC(),
				ActorID: r.ActorID, Action: store.MovementRegister, UnitID: r.UnitID, Commitments: r.Commitments}
			if err := record(ctx, t); err != nil {
				return st, err
			}
			st.Seq = t.Seq
			st.Registrations++
			updates++
			return st, nil
		},
		workflow.UpdateHandlerOptions{Validator: validate},
	); err != nil {
		return st, err
	}
	for {
		remaining := in.PeriodEnd.Sub(workflow.Now(ctx))
		timedOut := remaining <= 0
		if !timedOut {
			ok, err := workflow.AwaitWithTimeout(ctx, remaining, func() bool {
				return updates >= limit || workflow.GetInfo(ctx).GetContinueAsNewSuggested()
			})
			if err != nil {
				return st, err
			}
			timedOut = !ok
		}
		if timedOut {
			if err := mu.Lock(ctx); err != nil {
				return st, err
			}
			t := store.MovementTransition{MovementID: in.MovementID, Seq: st.Seq + 1, At: workflow.Now(ctx).UTC(), Action: store.MovementEnd}
			err := record(ctx, t)
			if err == nil {
				st.Seq, st.Status = t.Seq, "ended"
			}
			mu.Unlock()
			if err != nil {
				return st, err
			}
			break
		}
		// Continue as new once every accepted registration has been recorded.
		if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
			return st, err
		}
		next := in
		next.Seq, next.Registrations, next.Runs = st.Seq, st.Registrations, st.Runs
		return st, workflow.NewContinueAsNewError(ctx, MovementWorkflowName, next)
	}
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return st, err
	}
	return st, nil
}
