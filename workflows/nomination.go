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
	"github.com/tdkt/tdkt/internal/nomination"
	"github.com/tdkt/tdkt/workflows/contract"
)

// rulesChange names the workflow version marker of the identity rules: dossiers
// started before it keep the rules they started with inside the workflow.
const rulesChange = "rules-identity"

// dossierRun is the running state machine of one dossier.
type dossierRun struct {
	in    contract.NominationInput
	state contract.NominationState
	watch unitWatch
	// wake is the timer of the next instant the workflow acts by itself (revision
	// 1 on); woken is set when it fires.
	wake  wakeTimer
	woken bool
}

// dossier is the core's view of the running dossier.
func (n *dossierRun) dossier() nomination.Dossier {
	return nomination.Dossier{ID: n.in.NominationID, UnitID: n.in.UnitID, CreatedBy: n.in.CreatedBy,
		AwardCode: n.in.AwardCode, Procedure: n.in.Procedure, Route: n.in.Route,
		ProposedSimplified: n.in.ProposedSimplified, State: n.state}
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
func NominationWorkflow(ctx workflow.Context, in contract.NominationInput) (contract.NominationState, error) {
	if len(in.Route) == 0 {
		return contract.NominationState{}, temporal.NewNonRetryableApplicationError("empty route", contract.ErrTypeInvalid, nil)
	}
	n := &dossierRun{in: in, state: contract.NominationState{
		Status: domain.StatusDraft, Step: domain.StepSubmit, CurrentUnitID: in.UnitID,
	}}
	// A dossier started under revision 1 or later has both behaviours without
	// markers; older ones take what their markers say (or, replaying a history
	// recorded before a change, the behaviour before it).
	if in.Revision >= 1 || workflow.GetVersion(ctx, rulesChange, workflow.DefaultVersion, nomination.RulesIdentity) >= nomination.RulesIdentity {
		n.state.Rules = nomination.RulesIdentity
	}
	if in.Revision >= 1 || workflow.GetVersion(ctx, handoverChange, workflow.DefaultVersion, handoverVersion) >= handoverVersion {
		n.watch.on = true
		n.watchReorganisations(ctx)
	}
	if err := workflow.SetQueryHandler(ctx, contract.QueryState, func() (contract.NominationState, error) { return n.state, nil }); err != nil {
		return n.state, err
	}
	mu := workflow.NewMutex(ctx)
	if err := workflow.SetUpdateHandlerWithOptions(ctx, contract.UpdateAct,
		func(ctx workflow.Context, a contract.ActInput) (contract.NominationState, error) {
			if err := mu.Lock(ctx); err != nil {
				return n.state, err
			}
			defer mu.Unlock()
			if nomination.Behind(n.dossier(), a) {
				// The actor saw a version this workflow lost (see catchUp). Old code
				// refused such updates in the validator, so no recorded history takes
				// this branch.
				if err := n.catchUp(ctx); err != nil {
					return n.state, err
				}
			}
			// Another update or a timer may have run while this one waited for the lock.
			if err := n.validate(a); err != nil {
				return n.state, err
			}
			return n.apply(ctx, a)
		},
		workflow.UpdateHandlerOptions{Validator: func(a contract.ActInput) error {
			if nomination.Behind(n.dossier(), a) {
				return nil // the handler catches up first, then validates
			}
			return n.validate(a)
		}},
	); err != nil {
		return n.state, err
	}
	for !n.state.Status.Terminal() {
		if n.needsUnitEnd() {
			if err := n.underLock(ctx, mu, n.readUnitEnd); err != nil {
				return n.state, err
			}
			continue
		}
		v := n.state.Version
		at, fire := n.withUnitEnd(n.nextTimer())
		changed := func() bool { return n.state.Version != v || n.state.Status.Terminal() || n.needsUnitEnd() }
		due, err := n.sleep(ctx, at, fire != nil, changed)
		if err != nil {
			return n.state, err
		}
		if !due {
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

// sleep waits until changed() holds (false) or, when timed, until instant at (true).
// A dossier started under revision 1 or later keeps one timer (wakeTimer) for the
// next instant, moved only when the instant moves and cancelled when there is none;
// older ones wait with AwaitWithTimeout as they always did, which leaves each wait's
// timer running when the dossier moves first (it fires later into a workflow task
// that does nothing).
func (n *dossierRun) sleep(ctx workflow.Context, at time.Time, timed bool, changed func() bool) (bool, error) {
	if n.in.Revision < 1 {
		if !timed {
			return false, workflow.Await(ctx, changed)
		}
		ok, err := workflow.AwaitWithTimeout(ctx, max(at.Sub(workflow.Now(ctx)), 0), changed)
		return !ok && err == nil, err
	}
	if !timed {
		n.wake.set(ctx, time.Time{}, nil)
		return false, workflow.Await(ctx, changed)
	}
	if !at.After(workflow.Now(ctx)) {
		return true, nil
	}
	n.wake.set(ctx, at, func() { n.woken = true })
	err := workflow.Await(ctx, func() bool { return changed() || n.woken })
	woken := n.woken
	n.woken = false // a firing that comes with a change is for an instant that may have moved
	if err != nil || changed() {
		return false, err
	}
	return woken, nil
}

// nextTimer returns the next instant at which the workflow acts by itself, and the
// action: remind the assignees, then at the due date close the consultation window,
// count silent concurrence as agreement, or escalate an overdue task.
func (n *dossierRun) nextTimer() (time.Time, func(workflow.Context) error) {
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
			_, err := n.apply(ctx, contract.ActInput{Action: domain.ActionConsultationClosed, UnitID: s.CurrentUnitID})
			return err
		}
	case domain.StatusConcurring:
		return *s.DueAt, func(ctx workflow.Context) error {
			_, err := n.apply(ctx, contract.ActInput{Action: domain.ActionConcurrenceSilent, UnitID: s.CurrentUnitID})
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

func (n *dossierRun) deadlineInput() activities.DeadlineInput {
	return activities.DeadlineInput{NominationID: n.in.NominationID, Seq: n.state.Version, Step: n.state.Step,
		UnitID: n.state.CurrentUnitID}
}

// validate decides whether action a may be applied now, as the core decides; it
// runs both as the update validator and again under the lock in the handler.
func (n *dossierRun) validate(a contract.ActInput) error {
	if err := nomination.Validate(n.dossier(), a); err != nil {
		return temporal.NewNonRetryableApplicationError(err.Message, string(err.Reason), nil)
	}
	return nil
}

// catchUp applies again the acts recorded after this workflow's version. They exist
// when an update's Record committed but the update itself was lost (the Temporal
// server restarted before the workflow task that carried it was durable): the read
// model is then ahead of the workflow, and every later action would be refused as
// stale. Each act plans the same event it planned before, which Record recognises
// (same sequence, same action) and answers as it did.
func (n *dossierRun) catchUp(ctx workflow.Context) error {
	var recorded []nomination.Recorded
	lctx := workflow.WithLocalActivityOptions(ctx, recordOptions)
	var acts *activities.Activities
	if err := workflow.ExecuteLocalActivity(lctx, acts.RecordedActs, activities.RecordedActsInput{
		NominationID: n.in.NominationID, AfterSeq: n.state.Version}).Get(ctx, &recorded); err != nil {
		return fmt.Errorf("read recorded acts: %w", err)
	}
	for _, r := range recorded {
		if r.Seq <= n.state.Version {
			continue // applied with the act before it (a council result after its close_vote)
		}
		if r.Seq != n.state.Version+1 {
			return fmt.Errorf("recorded event %d does not follow version %d", r.Seq, n.state.Version)
		}
		workflow.GetLogger(ctx).Warn("applying a recorded act the workflow lost", "seq", r.Seq, "action", r.Act.Action)
		if _, err := n.apply(ctx, r.Act); err != nil {
			return err
		}
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

func (n *dossierRun) runLocal(ctx workflow.Context, name string, arg any) error {
	lctx := workflow.WithLocalActivityOptions(ctx, recordOptions)
	return workflow.ExecuteLocalActivity(lctx, name, arg).Get(ctx, nil)
}

func (n *dossierRun) record(ctx workflow.Context, t domain.Transition) (domain.RecordResult, error) {
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
