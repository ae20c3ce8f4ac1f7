package workflows

import (
	"strings"

	"go.temporal.io/sdk/workflow"

	"github.com/tdkt/tdkt/activities"
	"github.com/tdkt/tdkt/internal/campaigns"
	"github.com/tdkt/tdkt/workflows/contract"
)

// MovementWorkflow lives as long as a movement: it takes registrations as updates,
// recording each in PostgreSQL, and ends the movement at the end of its period. A
// five-year movement would pile up history, so after MaxUpdatesPerRun registrations,
// or when Temporal suggests it, the run drains its handlers and continues as new with
// its counts.
func MovementWorkflow(ctx workflow.Context, in contract.MovementInput) (contract.MovementState, error) {
	limit := in.MaxUpdatesPerRun
	if limit <= 0 {
		limit = contract.DefaultMovementUpdatesPerRun
	}
	st := contract.MovementState{Status: "active", Seq: in.Seq, Registrations: in.Registrations, Runs: in.Runs + 1}
	updates := 0
	mu := workflow.NewMutex(ctx)
	if err := workflow.SetQueryHandler(ctx, contract.QueryMovementState, func() (contract.MovementState, error) { return st, nil }); err != nil {
		return st, err
	}
	validate := func(r contract.RegisterInput) error {
		if st.Status != "active" {
			return rejectf(contract.ErrTypeWrongState, "the movement has ended")
		}
		if r.ActorID == 0 || r.UnitID == "" {
			return rejectf(contract.ErrTypeInvalid, "a registration needs a unit and an actor")
		}
		if strings.TrimSpace(r.Commitments) == "" {
			return rejectf(contract.ErrTypeInvalid, "a registration needs the unit's commitments")
		}
		return nil
	}
	record := func(ctx workflow.Context, t campaigns.MovementTransition) error {
		var acts *activities.Activities
		return workflow.ExecuteLocalActivity(workflow.WithLocalActivityOptions(ctx, reviewRecordOptions), acts.RecordMovement, t).Get(ctx, nil)
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, contract.UpdateRegister,
		func(ctx workflow.Context, r contract.RegisterInput) (contract.MovementState, error) {
			if err := mu.Lock(ctx); err != nil {
				return st, err
			}
			defer mu.Unlock()
			if err := validate(r); err != nil {
				return st, err
			}
			t := campaigns.MovementTransition{MovementID: in.MovementID, Seq: st.Seq + 1, At: workflow.Now(ctx).UTC(),
				ActorID: r.ActorID, Action: campaigns.MovementRegister, UnitID: r.UnitID, Commitments: r.Commitments}
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
			t := campaigns.MovementTransition{MovementID: in.MovementID, Seq: st.Seq + 1, At: workflow.Now(ctx).UTC(), Action: campaigns.MovementEnd}
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
		return st, workflow.NewContinueAsNewError(ctx, contract.MovementWorkflowName, next)
	}
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return st, err
	}
	return st, nil
}
