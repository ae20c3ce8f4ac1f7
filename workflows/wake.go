package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"
)

// wakeTimer is the one durable timer of a workflow that sleeps until the next
// instant it must act by itself: set moves it to another instant, cancelling the
// timer set for the last one, and keeps it when the instant has not moved.
//
// It replaces a loop of workflow.AwaitWithTimeout, which starts a new timer on
// every wait and, with this SDK (SDKFlagCancelAwaitTimerOnCondition off), leaves it
// running when the condition comes first: each such wait left a timer in the server
// that later fired into a workflow task of its own, for nothing.
type wakeTimer struct {
	at     time.Time // zero: no timer
	cancel workflow.CancelFunc
	gen    int // tells a replaced timer's firing from the current one's
}

// set makes the timer fire at instant at (zero: no timer) and call onFire then,
// unless it is moved or cleared before.
func (w *wakeTimer) set(ctx workflow.Context, at time.Time, onFire func()) {
	if at.Equal(w.at) {
		return
	}
	if w.cancel != nil {
		w.cancel()
		w.cancel = nil
	}
	w.at = at
	w.gen++
	if at.IsZero() {
		return
	}
	tctx, cancel := workflow.WithCancel(ctx)
	timer := workflow.NewTimer(tctx, at.Sub(workflow.Now(ctx)))
	w.cancel = cancel
	gen := w.gen
	workflow.Go(ctx, func(ctx workflow.Context) {
		if err := timer.Get(ctx, nil); err != nil || gen != w.gen {
			return // cancelled, or replaced as it fired
		}
		cancel() // releases tctx; the timer has fired
		w.at, w.cancel = time.Time{}, nil
		onFire()
	})
}
