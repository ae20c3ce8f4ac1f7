package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/tdkt/tdkt/activities"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/nomination"
	"github.com/tdkt/tdkt/workflows/contract"
)

// handoverChange names the workflow version marker from which a dossier waiting at
// a unit that ends is handed over (domain.ActionHandover). Workflows started
// earlier do not look at their units' ends.
const handoverChange = "unit-handover"

// handoverVersion is the version of handoverChange that hands dossiers over.
const handoverVersion = 1

// unitWatch is what the workflow knows of the end of the unit its dossier waits at.
type unitWatch struct {
	on      bool      // the workflow hands over (handoverChange)
	checked string    // the unit whose end was read; "" to read again
	unit    string    // the unit that ends at endAt
	endAt   time.Time // zero: no end known
}

// watchReorganisations starts listening for contract.SignalReorganised.
func (n *dossierRun) watchReorganisations(ctx workflow.Context) {
	ch := workflow.GetSignalChannel(ctx, contract.SignalReorganised)
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			ch.Receive(ctx, nil)
			n.watch.checked = ""
		}
	})
}

// needsUnitEnd reports whether the end of the unit the dossier waits at must be
// read: it reached another unit, or a reorganisation was recorded.
func (n *dossierRun) needsUnitEnd() bool {
	return n.watch.on && nomination.CanHandOver(n.state) && n.watch.checked != n.state.CurrentUnitID
}

// readUnitEnd reads when the unit the dossier waits at ends (the UnitEnd local
// activity, on the application's clock) and keeps it for the timer.
func (n *dossierRun) readUnitEnd(ctx workflow.Context) error {
	unit := n.state.CurrentUnitID
	res, err := n.unitEnd(ctx, unit)
	if err != nil {
		return err
	}
	n.watch.checked, n.watch.unit, n.watch.endAt = unit, "", time.Time{}
	if res.Ends {
		n.watch.unit, n.watch.endAt = unit, workflow.Now(ctx).Add(res.EndsIn)
	}
	return nil
}

func (n *dossierRun) unitEnd(ctx workflow.Context, unit string) (activities.UnitEndResult, error) {
	var res activities.UnitEndResult
	lctx := workflow.WithLocalActivityOptions(ctx, recordOptions)
	var acts *activities.Activities
	err := workflow.ExecuteLocalActivity(lctx, acts.UnitEnd, activities.UnitEndInput{
		NominationID: n.in.NominationID, UnitID: unit}).Get(ctx, &res)
	return res, err
}

// withUnitEnd puts the end of the unit the dossier waits at before the stage's own
// timer when it comes first.
func (n *dossierRun) withUnitEnd(at time.Time, fire func(workflow.Context) error) (time.Time, func(workflow.Context) error) {
	w := &n.watch
	if !w.on || w.endAt.IsZero() || w.unit != n.state.CurrentUnitID || !nomination.CanHandOver(n.state) {
		return at, fire
	}
	if fire != nil && at.Before(w.endAt) {
		return at, fire
	}
	return w.endAt, n.handOver
}

// handOver runs when the unit the dossier waits at ends: its successor takes the
// dossier over with its open tasks and due dates, or, with none, the next stop of
// the route does. A unit with neither (the last stop, abolished with no successor)
// keeps the dossier, and the workflow logs it.
func (n *dossierRun) handOver(ctx workflow.Context) error {
	unit := n.state.CurrentUnitID
	res, err := n.unitEnd(ctx, unit)
	if err != nil {
		return err
	}
	switch {
	case !res.Ends:
		n.watch.unit, n.watch.endAt = "", time.Time{} // the end was withdrawn
		return nil
	case !res.Ended:
		n.watch.endAt = workflow.Now(ctx).Add(res.EndsIn) // the end was moved
		return nil
	case res.Successor == "" && !nomination.CanGoToNextStop(n.dossier()):
		workflow.GetLogger(ctx).Error("the unit the dossier waits at ended with no successor and no next stop",
			"unit", unit)
		n.watch.unit, n.watch.endAt = "", time.Time{}
		return nil
	}
	_, err = n.apply(ctx, contract.ActInput{Action: domain.ActionHandover, UnitID: unit, HandoverTo: res.Successor})
	return err
}

// underLock runs f under the dossier's lock, after any update in progress; a
// failure is logged and retried a minute later.
func (n *dossierRun) underLock(ctx workflow.Context, mu workflow.Mutex, f func(workflow.Context) error) error {
	if err := mu.Lock(ctx); err != nil {
		return err
	}
	defer mu.Unlock()
	if err := f(ctx); err != nil {
		workflow.GetLogger(ctx).Error("reading the unit's end failed; retrying in a minute", "error", err)
		return workflow.Sleep(ctx, time.Minute)
	}
	return nil
}
