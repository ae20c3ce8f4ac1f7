package workflows

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/tdkt/tdkt/activities"
	"github.com/tdkt/tdkt/internal/campaigns"
	"github.com/tdkt/tdkt/internal/review"
	"github.com/tdkt/tdkt/workflows/contract"
)

// The test tree: the ministry (TW) asks the province P, which has two districts of two
// communes each.
//
//	TW ── P ─┬─ D1 ─┬─ C11
//	         │      └─ C12
//	         └─ D2 ─┬─ C21
//	                └─ C22
var reviewTree = map[string][]string{
	"TW": {"P"}, "P": {"D1", "D2"}, "D1": {"C11", "C12"}, "D2": {"C21", "C22"},
}

var reviewParent = map[string]string{"P": "TW", "D1": "P", "D2": "P", "C11": "D1", "C12": "D1", "C21": "D2", "C22": "D2"}

var reviewDepth = map[string]int{"TW": 0, "P": 1, "D1": 2, "D2": 2, "C11": 3, "C12": 3, "C21": 3, "C22": 3}

const campaignID = "c0ffee00-0000-4000-8000-000000000001"

// reviewStart is Monday 2 March 2026, 08:00 in Vietnam.
var reviewStart = time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)

// testPlan: the province reports in 20 days, districts in 15, communes in 10; each
// is reminded 2 days before.
func testPlan(shift time.Duration) []review.LevelPlan {
	var plan []review.LevelPlan
	for d, days := range []int{20, 15, 10} {
		deadline := reviewStart.Add(time.Duration(days)*24*time.Hour + shift)
		plan = append(plan, review.LevelPlan{Depth: d + 1, Deadline: deadline, RemindAt: deadline.Add(-48 * time.Hour)})
	}
	return plan
}

// fakeReviewStore stands in for the review activities and keeps every event.
type fakeReviewStore struct {
	mu     sync.Mutex
	plan   []review.LevelPlan
	events map[string][]review.Transition // unit → its events
	plans  int
	// reloads counts the ChildReports calls: a parent told its set is complete.
	reloads int
}

func newFakeReviewStore() *fakeReviewStore {
	return &fakeReviewStore{plan: testPlan(0), events: map[string][]review.Transition{}}
}

func (f *fakeReviewStore) RecordReview(_ context.Context, t review.Transition) (review.RecordResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if n := len(f.events[t.UnitID]); n != t.Seq-1 {
		return review.RecordResult{}, temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("%s: event %d after %d", t.UnitID, t.Seq, n), "Gap", nil)
	}
	f.events[t.UnitID] = append(f.events[t.UnitID], t)
	res := review.RecordResult{Status: t.ToStatus, Version: t.Version}
	if t.Action == review.ActionSubmit {
		lp, _ := review.PlanAt(f.plan, reviewDepth[t.UnitID])
		res.Late = t.At.After(lp.Deadline)
		if parent, ok := reviewParent[t.UnitID]; ok {
			res.ParentComplete = true
			for _, c := range reviewTree[parent] {
				if !f.statusLocked(c).Reported() {
					res.ParentComplete = false
				}
			}
		}
	}
	return res, nil
}

// statusLocked is a unit's report status after its last event; f.mu is held.
func (f *fakeReviewStore) statusLocked(unit string) review.Status {
	evs := f.events[unit]
	if len(evs) == 0 {
		return review.StatusNotStarted
	}
	return evs[len(evs)-1].ToStatus
}

// ChildReports stands in for the activity of the same name: the children's statuses
// as the store holds them.
func (f *fakeReviewStore) ChildReports(_ context.Context, _, unitID string) ([]contract.ChildReport, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reloads++
	var out []contract.ChildReport
	for _, c := range reviewTree[unitID] {
		out = append(out, contract.ChildReport{UnitID: c, Status: f.statusLocked(c), Seq: len(f.events[c])})
	}
	return out, nil
}

func (f *fakeReviewStore) PlanReview(_ context.Context, in activities.PlanReviewInput) ([]review.LevelPlan, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.plans++
	if !in.FinalDeadline.IsZero() {
		f.plan = testPlan(in.FinalDeadline.Sub(f.plan[0].Deadline))
	}
	t := in.Transition
	t.Plan = f.plan
	f.events[t.UnitID] = append(f.events[t.UnitID], t)
	return f.plan, nil
}

func (f *fakeReviewStore) ReviewChildren(_ context.Context, _, unitID string) ([]string, error) {
	return reviewTree[unitID], nil
}

// actions lists the actions recorded for a unit, in order.
func (f *fakeReviewStore) actions(unit string) []review.Action {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []review.Action
	for _, t := range f.events[unit] {
		out = append(out, t.Action)
	}
	return out
}

func (f *fakeReviewStore) event(t *testing.T, unit string, action review.Action) review.Transition {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, e := range f.events[unit] {
		if e.Action == action {
			return e
		}
	}
	t.Fatalf("%s has no %s event; has %v", unit, action, f.events[unit])
	return review.Transition{}
}

// reviewEnv is a test environment running a campaign over the test tree.
type reviewEnv struct {
	t       *testing.T
	env     *testsuite.TestWorkflowEnvironment
	store   *fakeReviewStore
	mu      sync.Mutex
	started map[string]contract.UnitReviewInput // workflow id → input of every child started
	checks  []func()                            // run after the workflow ends
	told    int                                 // reports TellParent delivered
	// tellErr, when set, makes TellParent fail as a worker that cannot reach
	// Temporal would.
	tellErr error
}

// tellParent stands in for the TellParent local activity: it signals the parent's
// workflow from the environment's main loop (the environment is not safe to call
// from an activity's goroutine) and waits for the outcome, as the client's
// SignalWorkflow does.
func (r *reviewEnv) tellParent(_ context.Context, in activities.TellParentInput) (bool, error) {
	if r.tellErr != nil {
		return false, r.tellErr
	}
	done := make(chan error, 1)
	r.env.RegisterDelayedCallback(func() {
		done <- r.env.SignalWorkflowByID(in.ParentWorkflowID, contract.SignalChildReport, in.Report)
	}, 0)
	if err := <-done; err != nil {
		return false, nil
	}
	r.mu.Lock()
	r.told++
	r.mu.Unlock()
	return true, nil
}

// quietSuite is a test suite whose SDK logger only reports errors.
func quietSuite() *testsuite.WorkflowTestSuite {
	var suite testsuite.WorkflowTestSuite
	suite.SetLogger(log.NewStructuredLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))))
	return &suite
}

func newReviewEnv(t *testing.T) *reviewEnv {
	env := quietSuite().NewTestWorkflowEnvironment()
	env.SetStartTime(reviewStart)
	env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: review.CampaignWorkflowID(campaignID)})
	env.SetTestTimeout(30 * time.Second)
	f := newFakeReviewStore()
	RegisterReviewWorkflows(env)
	env.RegisterActivityWithOptions(f.RecordReview, activity.RegisterOptions{Name: "RecordReview"})
	env.RegisterActivityWithOptions(f.PlanReview, activity.RegisterOptions{Name: "PlanReview"})
	env.RegisterActivityWithOptions(f.ReviewChildren, activity.RegisterOptions{Name: "ReviewChildren"})
	env.RegisterActivityWithOptions(f.ChildReports, activity.RegisterOptions{Name: "ChildReports"})
	r := &reviewEnv{t: t, env: env, store: f, started: map[string]contract.UnitReviewInput{}}
	env.RegisterActivityWithOptions(r.tellParent, activity.RegisterOptions{Name: "TellParent"})
	env.SetOnChildWorkflowStartedListener(func(info *workflow.Info, _ workflow.Context, args converter.EncodedValues) {
		var in contract.UnitReviewInput
		if info.WorkflowType.Name == contract.UnitReviewWorkflowName && args.Get(&in) == nil {
			r.mu.Lock()
			r.started[info.WorkflowExecution.ID] = in
			r.mu.Unlock()
		}
	})
	return r
}

// at runs fn after d of virtual time from the start.
func (r *reviewEnv) at(d time.Duration, fn func()) { r.env.RegisterDelayedCallback(fn, d) }

// script runs the steps one after another, ten virtual minutes apart, from the given
// offset: an update is only handled once its callback has returned, so each step sends
// at most one and the next step sees its outcome.
func (r *reviewEnv) script(from time.Duration, steps ...func()) time.Duration {
	for i, s := range steps {
		r.at(from+time.Duration(i)*10*time.Minute, s)
	}
	return from + time.Duration(len(steps))*10*time.Minute
}

// state queries a unit's workflow.
func (r *reviewEnv) state(unit string) contract.ReviewState {
	id := review.UnitWorkflowID(campaignID, unit)
	if unit == "TW" {
		id = review.CampaignWorkflowID(campaignID)
	}
	v, err := r.env.QueryWorkflowByID(id, contract.QueryReviewState)
	if err != nil {
		r.t.Fatalf("query %s: %v", unit, err)
	}
	var s contract.ReviewState
	if err := v.Get(&s); err != nil {
		r.t.Fatal(err)
	}
	return s
}

// act returns a step that sends a user action on unit's report as a user of
// actorUnit, at the version the workflow holds, and stores the error type ("" when it
// completed) in *out.
func (r *reviewEnv) act(out *string, unit string, action review.Action, actorUnit string, mod ...func(*contract.ReviewActInput)) func() {
	return func() {
		v := r.state(unit).Version
		in := contract.ReviewActInput{Action: action, ActorID: 7, UnitID: actorUnit, Version: &v}
		if action == review.ActionSubmit || action == review.ActionSave {
			in.Values = review.Values{Numbers: map[string]int64{"so_ho": 100}}
		}
		for _, m := range mod {
			m(&in)
		}
		*out = "pending"
		err := r.env.UpdateWorkflowByID(review.UnitWorkflowID(campaignID, unit), contract.UpdateReviewAct,
			fmt.Sprintf("%s-%s-%d", unit, action, r.env.Now().UnixNano()),
			&testsuite.TestUpdateCallback{
				OnAccept: func() {},
				OnReject: func(err error) { *out = errType(err) },
				OnComplete: func(_ any, err error) {
					*out = ""
					if err != nil {
						*out = errType(err)
					}
				},
			}, in)
		if err != nil {
			*out = err.Error()
		}
	}
}

// must returns a step whose action must complete.
func (r *reviewEnv) must(unit string, action review.Action, actorUnit string, mod ...func(*contract.ReviewActInput)) func() {
	out := new(string)
	r.mu.Lock()
	r.checks = append(r.checks, func() {
		if *out != "" {
			r.t.Errorf("%s %s by %s: %s", unit, action, actorUnit, *out)
		}
	})
	r.mu.Unlock()
	return r.act(out, unit, action, actorUnit, mod...)
}

// root returns a step that sends an update to the campaign's workflow; it must complete.
func (r *reviewEnv) root(name string, arg any) func() {
	return func() {
		if err := r.env.UpdateWorkflowByID(review.CampaignWorkflowID(campaignID), name, name,
			&testsuite.TestUpdateCallback{OnAccept: func() {}, OnReject: func(err error) { r.t.Errorf("%s rejected: %v", name, err) },
				OnComplete: func(_ any, err error) {
					if err != nil {
						r.t.Errorf("%s failed: %v", name, err)
					}
				}}, arg); err != nil {
			r.t.Errorf("%s: %v", name, err)
		}
	}
}

func errType(err error) string {
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		return appErr.Type()
	}
	return err.Error()
}

// run starts the campaign and returns its final state.
func (r *reviewEnv) run() contract.ReviewState {
	r.env.ExecuteWorkflow(contract.ReviewCampaignWorkflowName, contract.CampaignInput{CampaignID: campaignID, UnitID: "TW"})
	for _, check := range r.checks {
		check()
	}
	if !r.env.IsWorkflowCompleted() {
		r.t.Fatal("campaign workflow did not complete")
	}
	var st contract.ReviewState
	if err := r.env.GetWorkflowResult(&st); err != nil {
		r.t.Fatalf("campaign workflow: %v", err)
	}
	return st
}

func communes() []string { return []string{"C11", "C12", "C21", "C22"} }

// The campaign runs the same way whichever way its units tell their parents: the
// units started before review-tell-parent-async (DefaultVersion), those started
// before the TellParent local activity (reviewTellParentAsync), the current ones
// (reviewTellParentLocal), those told only of their complete sets
// (reviewTellParentOnComplete), and these when the worker cannot reach Temporal and
// the signal falls back to a SignalExternalWorkflow command.
func TestCampaignFansOutAsATreeAndRollsUpToCompletion(t *testing.T) {
	fails := temporal.NewNonRetryableApplicationError("frontend unavailable", "Unavailable", nil)
	for _, tc := range []struct {
		name        string
		version     workflow.Version
		tellErr     error
		wantTold    int // reports TellParent delivered
		wantReloads int // parents that reloaded their children's reports
	}{
		{"before review-tell-parent-async", workflow.DefaultVersion, nil, 0, 0},
		{"review-tell-parent-async", reviewTellParentAsync, nil, 0, 0},
		// Every unit's submission and acceptance is a report to its parent: 7 units,
		// 14 reports.
		{"told by a local activity", reviewTellParentLocal, nil, 14, 0},
		{"told by Temporal when the local activity fails", reviewTellParentLocal, fails, 0, 0},
		// Only the submissions completing a set: C12's to D1, C22's to D2, D2's to
		// P and P's to the ministry.
		{"told only of complete sets", reviewTellParentOnComplete, nil, 4, 4},
		{"told only of complete sets, by Temporal", reviewTellParentOnComplete, fails, 0, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newReviewEnv(t)
			r.env.OnGetVersion(reviewTellParentChange, workflow.DefaultVersion, reviewTellParentOnComplete).Return(tc.version)
			r.tellErr = tc.tellErr
			campaignFansOutAndRollsUp(t, r)
			if r.told != tc.wantTold || r.store.reloads != tc.wantReloads {
				t.Errorf("TellParent delivered %d reports and %d parents reloaded, want %d and %d", r.told, r.store.reloads, tc.wantTold, tc.wantReloads)
			}
		})
	}
}

func campaignFansOutAndRollsUp(t *testing.T, r *reviewEnv) {
	var steps []func()
	for _, c := range communes() {
		steps = append(steps, r.must(c, review.ActionSave, c), r.must(c, review.ActionSubmit, c))
	}
	for _, c := range communes() {
		steps = append(steps, r.must(c, review.ActionAccept, reviewParent[c]))
	}
	steps = append(steps, func() {
		for _, d := range []string{"D1", "D2"} {
			if s := r.state(d); !s.Prefilled || s.Status != review.StatusDraft || s.Reported != 2 {
				t.Errorf("%s before submitting: %+v, want a pre-filled draft with 2 reported", d, s)
			}
		}
	})
	steps = append(steps,
		r.must("D1", review.ActionSubmit, "D1"), r.must("D2", review.ActionSubmit, "D2"),
		r.must("D1", review.ActionAccept, "P"), r.must("D2", review.ActionAccept, "P"),
		r.must("P", review.ActionSubmit, "P"), r.must("P", review.ActionAccept, "TW"))
	r.script(time.Hour, steps...)
	st := r.run()
	if st.Status != review.StatusCompleted || st.Children != 1 || st.Done != 1 {
		t.Fatalf("campaign ended %+v, want completed with its 1 child done", st)
	}
	// A tree, not a flat fan-out: every unit was started by its own parent.
	if len(r.started) != 7 {
		t.Fatalf("started %d unit workflows, want 7", len(r.started))
	}
	for unit, parent := range reviewParent {
		in, ok := r.started[review.UnitWorkflowID(campaignID, unit)]
		wantParent := review.UnitWorkflowID(campaignID, parent)
		if parent == "TW" {
			wantParent = review.CampaignWorkflowID(campaignID)
		}
		if !ok || in.ParentWorkflowID != wantParent || in.ParentUnitID != parent || in.Depth != reviewDepth[unit] || len(in.Plan) != 3 {
			t.Errorf("%s started with %+v, want parent %s at depth %d with the plan", unit, in, wantParent, reviewDepth[unit])
		}
	}
	want := map[string][]review.Action{
		"TW":  {review.ActionPlan, review.ActionPrefill, review.ActionComplete},
		"P":   {review.ActionPrefill, review.ActionSubmit, review.ActionAccept},
		"D1":  {review.ActionPrefill, review.ActionSubmit, review.ActionAccept},
		"C11": {review.ActionSave, review.ActionSubmit, review.ActionAccept},
	}
	for unit, w := range want {
		if got := r.store.actions(unit); fmt.Sprint(got) != fmt.Sprint(w) {
			t.Errorf("%s recorded %v, want %v", unit, got, w)
		}
	}
	// D1 was pre-filled as soon as its second commune submitted, long before any deadline.
	if pre, sub := r.store.event(t, "D1", review.ActionPrefill), r.store.event(t, "C12", review.ActionSubmit); !pre.At.Equal(sub.At) || pre.Version != 1 {
		t.Errorf("D1 pre-filled at %v (version %d), want at C12's submission %v", pre.At, pre.Version, sub.At)
	}
}

// A return and a resubmission, at the last two ways of telling the parent: a district
// told of every report counts its communes' (0 after the return, 1 after the
// resubmission); one whose set never completes (C12 never reports) is told nothing.
func TestReturnWithReasonAndResubmit(t *testing.T) {
	for _, version := range []workflow.Version{reviewTellParentLocal, reviewTellParentOnComplete} {
		t.Run(fmt.Sprint("version ", version), func(t *testing.T) { returnWithReasonAndResubmit(t, version) })
	}
}

func returnWithReasonAndResubmit(t *testing.T, version workflow.Version) {
	r := newReviewEnv(t)
	r.env.OnGetVersion(reviewTellParentChange, workflow.DefaultVersion, reviewTellParentOnComplete).Return(version)
	wantReported := func(n int) int {
		if version >= reviewTellParentOnComplete {
			return 0
		}
		return n
	}
	rejected := make([]string, 5)
	r.script(time.Hour,
		r.must("C11", review.ActionSubmit, "C11"),
		r.act(&rejected[0], "C11", review.ActionReturn, "D1"),                                                    // no reason
		r.act(&rejected[1], "C11", review.ActionAccept, "C11"),                                                   // the commune accepting itself
		r.act(&rejected[2], "C11", review.ActionSave, "C11"),                                                     // editing a submitted report
		r.act(&rejected[3], "C11", review.ActionAccept, "D1", func(a *contract.ReviewActInput) { *a.Version-- }), // stale
		r.act(&rejected[4], "C11", review.ActionAccept, "D2"),                                                    // another district
		r.must("C11", review.ActionReturn, "D1", func(a *contract.ReviewActInput) { a.Reason = "Thiếu số hộ cận nghèo" }),
		func() {
			if s := r.state("C11"); s.Status != review.StatusReturned {
				t.Errorf("after return: %s", s.Status)
			}
			if s := r.state("D1"); s.Reported != wantReported(0) {
				t.Errorf("district counts %d reported after the return, want %d", s.Reported, wantReported(0))
			}
		},
		r.must("C11", review.ActionSave, "C11"),
		r.must("C11", review.ActionSubmit, "C11"),
		r.must("C11", review.ActionAccept, "D1"),
		func() {
			if s := r.state("D1"); s.Reported != wantReported(1) || s.Prefilled {
				t.Errorf("district after the resubmission: %+v, want %d reported, not pre-filled", s, wantReported(1))
			}
		},
		r.root(contract.UpdateReviewClose, contract.CloseCampaignInput{ActorID: 9, UnitID: "TW"}),
	)
	st := r.run()
	wantRejected := []string{contract.ErrTypeInvalid, contract.ErrTypeWrongUnit, contract.ErrTypeWrongState, contract.ErrTypeStaleVersion, contract.ErrTypeWrongUnit}
	if fmt.Sprint(rejected) != fmt.Sprint(wantRejected) {
		t.Errorf("rejections %q, want %q", rejected, wantRejected)
	}
	if st.Status != review.StatusClosed {
		t.Fatalf("campaign %s, want closed", st.Status)
	}
	want := []review.Action{review.ActionSubmit, review.ActionReturn, review.ActionSave, review.ActionSubmit, review.ActionAccept}
	if got := r.store.actions("C11"); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("C11 recorded %v, want %v", got, want)
	}
	if ret := r.store.event(t, "C11", review.ActionReturn); ret.Reason != "Thiếu số hộ cận nghèo" || ret.ToStatus != review.StatusReturned {
		t.Errorf("return recorded as %+v", ret)
	}
	if version >= reviewTellParentOnComplete && (r.told != 0 || r.store.reloads != 0) {
		t.Errorf("D1's set never completed, yet %d reports were told and %d reloads made", r.told, r.store.reloads)
	}
}

func TestDeadlinePassesWithMissingUnitsThenALateReportIsAccepted(t *testing.T) {
	r := newReviewEnv(t)
	plan := testPlan(0)
	communeDeadline, districtDeadline := plan[2].Deadline, plan[1].Deadline
	r.script(time.Hour, r.must("C11", review.ActionSubmit, "C11"))
	// C12 reports a day after its deadline.
	r.script(communeDeadline.Sub(reviewStart)+24*time.Hour,
		func() {
			// D1 has heard nothing yet (its set is incomplete); the figures of C11
			// are in its aggregate in PostgreSQL.
			if s := r.state("D1"); !s.Prefilled || s.Reported != 0 {
				t.Errorf("D1 after the commune deadline: %+v, want pre-filled, none heard of", s)
			}
			if c := r.state("C12"); !c.Reminded || !c.Overdue {
				t.Errorf("C12 after its deadline: %+v, want reminded and overdue", c)
			}
		},
		r.must("C12", review.ActionSubmit, "C12"),
		func() {
			if c := r.state("C12"); !c.Late || c.Status != review.StatusSubmitted {
				t.Errorf("C12 after a late submission: %+v, want submitted and late", c)
			}
		},
		r.must("C12", review.ActionAccept, "D1"),
		func() {
			if s := r.state("D1"); s.Reported != 2 {
				t.Errorf("D1 counts %d reported after the late report, want 2", s.Reported)
			}
		})
	r.script(districtDeadline.Sub(reviewStart)+time.Hour, r.root(contract.UpdateReviewClose, contract.CloseCampaignInput{ActorID: 9, UnitID: "TW"}))
	st := r.run()
	if st.Status != review.StatusClosed {
		t.Fatalf("campaign %s, want closed", st.Status)
	}
	// D1 was pre-filled exactly at its communes' deadline, D2 (no commune reported) too.
	for _, d := range []string{"D1", "D2"} {
		if pre := r.store.event(t, d, review.ActionPrefill); !pre.At.Equal(communeDeadline) {
			t.Errorf("%s pre-filled at %v, want the commune deadline %v", d, pre.At, communeDeadline)
		}
	}
	// C12: reminded two days before, overdue at the deadline, submitted late.
	if rem := r.store.event(t, "C12", review.ActionRemind); !rem.At.Equal(plan[2].RemindAt) {
		t.Errorf("C12 reminded at %v, want %v", rem.At, plan[2].RemindAt)
	}
	if od := r.store.event(t, "C12", review.ActionOverdue); !od.At.Equal(communeDeadline) {
		t.Errorf("C12 overdue at %v, want %v", od.At, communeDeadline)
	}
	if got := r.store.actions("C11"); fmt.Sprint(got) != fmt.Sprint([]review.Action{review.ActionSubmit}) {
		t.Errorf("C11, which submitted in time, recorded %v", got)
	}
	// The districts themselves missed their own deadline; C21 and C22 never reported.
	for _, u := range []string{"D1", "D2", "C21", "C22"} {
		acts := fmt.Sprint(r.store.actions(u))
		if !containsAll(acts, "remind", "overdue") {
			t.Errorf("%s recorded %s, want a reminder and an overdue flag", u, acts)
		}
	}
}

func TestChangedDeadlinesReachEveryLevel(t *testing.T) {
	r := newReviewEnv(t)
	// The ministry moves every deadline 5 days earlier after the first hour.
	newFinal := testPlan(0)[0].Deadline.Add(-5 * 24 * time.Hour)
	r.script(time.Hour, r.root(contract.UpdateReviewDeadlines, contract.DeadlinesInput{ActorID: 9, UnitID: "TW", FinalDeadline: newFinal}))
	r.script(30*24*time.Hour, r.root(contract.UpdateReviewClose, contract.CloseCampaignInput{ActorID: 9, UnitID: "TW"}))
	r.run()
	moved := testPlan(-5 * 24 * time.Hour)
	if od := r.store.event(t, "C21", review.ActionOverdue); !od.At.Equal(moved[2].Deadline) {
		t.Errorf("commune overdue at %v, want the moved deadline %v", od.At, moved[2].Deadline)
	}
	if od := r.store.event(t, "P", review.ActionOverdue); !od.At.Equal(moved[0].Deadline) {
		t.Errorf("province overdue at %v, want the moved deadline %v", od.At, moved[0].Deadline)
	}
	if got := r.store.actions("TW"); len(got) < 2 || got[1] != review.ActionDeadlines {
		t.Errorf("root recorded %v", got)
	}
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		found := false
		for i := 0; i+len(sub) <= len(s); i++ {
			if s[i:i+len(sub)] == sub {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func TestScheduledRunOpensTheCampaignAndStartsItsWorkflow(t *testing.T) {
	sc := review.ScheduledCampaign{ScheduleID: "review-schedule-m-annual", MovementID: "m", Kind: review.KindAnnual,
		DeadlineWorkingDays: 15, GapWorkingDays: 5, ReminderWorkingDays: 2}
	for _, tc := range []struct {
		name    string
		opened  review.OpenedCampaign
		started bool
	}{
		{"opens", review.OpenedCampaign{CampaignID: campaignID, UnitID: "TW"}, true},
		{"skips a movement outside its period", review.OpenedCampaign{Skipped: "the movement ended"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := quietSuite().NewTestWorkflowEnvironment()
			firedAt := time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC) // 08:00 on 1 December in Vietnam
			env.SetStartTime(firedAt)
			env.RegisterWorkflowWithOptions(ScheduledReviewWorkflow, workflow.RegisterOptions{Name: contract.ScheduledReviewWorkflowName})
			var gotAt time.Time
			var gotSC review.ScheduledCampaign
			env.RegisterActivityWithOptions(func(_ context.Context, s review.ScheduledCampaign, at time.Time) (review.OpenedCampaign, error) {
				gotSC, gotAt = s, at
				return tc.opened, nil
			}, activity.RegisterOptions{Name: "OpenScheduledCampaign"})
			var campaign []contract.CampaignInput
			var childID string
			env.RegisterWorkflowWithOptions(func(_ workflow.Context, in contract.CampaignInput) (contract.ReviewState, error) {
				campaign = append(campaign, in)
				return contract.ReviewState{Status: review.StatusCollecting}, nil
			}, workflow.RegisterOptions{Name: contract.ReviewCampaignWorkflowName})
			env.SetOnChildWorkflowStartedListener(func(info *workflow.Info, _ workflow.Context, _ converter.EncodedValues) {
				childID = info.WorkflowExecution.ID
			})
			env.ExecuteWorkflow(contract.ScheduledReviewWorkflowName, sc)
			if err := env.GetWorkflowError(); err != nil {
				t.Fatal(err)
			}
			var opened review.OpenedCampaign
			if err := env.GetWorkflowResult(&opened); err != nil {
				t.Fatal(err)
			}
			if !gotAt.Equal(firedAt) || gotSC != sc {
				t.Errorf("opened with %+v at %v, want the schedule's input at the fire time %v", gotSC, gotAt, firedAt)
			}
			if !tc.started {
				if len(campaign) != 0 || opened.Skipped == "" {
					t.Fatalf("a skipped run started %v", campaign)
				}
				return
			}
			if len(campaign) != 1 || campaign[0] != (contract.CampaignInput{CampaignID: campaignID, UnitID: "TW"}) ||
				childID != review.CampaignWorkflowID(campaignID) {
				t.Fatalf("started %v as %q, want the opened campaign as %s", campaign, childID, review.CampaignWorkflowID(campaignID))
			}
		})
	}
}

// fakeMovementStore records movement events.
type fakeMovementStore struct {
	mu  sync.Mutex
	got []campaigns.MovementTransition
}

func (f *fakeMovementStore) RecordMovement(_ context.Context, t campaigns.MovementTransition) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.got = append(f.got, t)
	return nil
}

func movementEnv(f *fakeMovementStore) *testsuite.TestWorkflowEnvironment {
	env := quietSuite().NewTestWorkflowEnvironment()
	env.SetStartTime(reviewStart)
	env.RegisterWorkflowWithOptions(MovementWorkflow, workflow.RegisterOptions{Name: contract.MovementWorkflowName})
	env.RegisterActivityWithOptions(f.RecordMovement, activity.RegisterOptions{Name: "RecordMovement"})
	return env
}

func TestMovementContinuesAsNewAfterManyRegistrations(t *testing.T) {
	f := &fakeMovementStore{}
	env := movementEnv(f)
	fiveYears := reviewStart.AddDate(5, 0, 0)
	var rejected string
	for i := 0; i < 5; i++ {
		env.RegisterDelayedCallback(func() {
			env.UpdateWorkflow(contract.UpdateRegister, fmt.Sprintf("r%d", i), &testsuite.TestUpdateCallback{
				OnAccept: func() {}, OnReject: func(err error) { t.Errorf("registration %d rejected: %v", i, err) }, OnComplete: func(any, error) {},
			}, contract.RegisterInput{UnitID: fmt.Sprintf("U%d", i), ActorID: 1, Commitments: "Giảm 2% hộ nghèo"})
		}, time.Duration(i+1)*24*time.Hour)
	}
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(contract.UpdateRegister, "empty", &testsuite.TestUpdateCallback{
			OnAccept: func() {}, OnReject: func(err error) { rejected = errType(err) }, OnComplete: func(any, error) {},
		}, contract.RegisterInput{UnitID: "U9", ActorID: 1, Commitments: "  "})
	}, 12*time.Hour)
	env.ExecuteWorkflow(contract.MovementWorkflowName, contract.MovementInput{MovementID: "m", UnitID: "TW", PeriodEnd: fiveYears, MaxUpdatesPerRun: 3})
	var can *workflow.ContinueAsNewError
	if err := env.GetWorkflowError(); !errors.As(err, &can) {
		t.Fatalf("workflow ended with %v, want continue-as-new", err)
	}
	var next contract.MovementInput
	if err := converter.GetDefaultDataConverter().FromPayloads(can.Input, &next); err != nil {
		t.Fatal(err)
	}
	if next.Seq != 3 || next.Registrations != 3 || next.Runs != 1 || !next.PeriodEnd.Equal(fiveYears) || next.MaxUpdatesPerRun != 3 {
		t.Fatalf("continued with %+v, want the counts of 3 registrations carried over", next)
	}
	if len(f.got) != 3 || f.got[2].Seq != 3 || f.got[0].UnitID != "U0" {
		t.Fatalf("recorded %+v, want 3 registrations with seq 1..3", f.got)
	}
	if rejected != contract.ErrTypeInvalid {
		t.Errorf("empty commitments: %q, want %s", rejected, contract.ErrTypeInvalid)
	}
}

func TestMovementEndsAtTheEndOfItsPeriod(t *testing.T) {
	f := &fakeMovementStore{}
	env := movementEnv(f)
	end := reviewStart.AddDate(5, 0, 0)
	env.ExecuteWorkflow(contract.MovementWorkflowName, contract.MovementInput{MovementID: "m", UnitID: "TW", PeriodEnd: end, Seq: 3, Registrations: 3, Runs: 1})
	var st contract.MovementState
	if err := env.GetWorkflowResult(&st); err != nil {
		t.Fatal(err)
	}
	if st.Status != "ended" || st.Seq != 4 || st.Runs != 2 {
		t.Fatalf("ended with %+v, want ended at seq 4 in its second run", st)
	}
	if len(f.got) != 1 || f.got[0].Action != campaigns.MovementEnd || !f.got[0].At.Equal(end) {
		t.Fatalf("recorded %+v, want the end at %v", f.got, end)
	}
}

func TestMovementContinuesAsNewWhenTemporalSuggestsIt(t *testing.T) {
	f := &fakeMovementStore{}
	env := movementEnv(f)
	env.SetContinueAsNewSuggested(true)
	env.ExecuteWorkflow(contract.MovementWorkflowName, contract.MovementInput{MovementID: "m", UnitID: "TW", PeriodEnd: reviewStart.AddDate(5, 0, 0)})
	var can *workflow.ContinueAsNewError
	if err := env.GetWorkflowError(); !errors.As(err, &can) {
		t.Fatalf("workflow ended with %v, want continue-as-new", err)
	}
}

// A unit's workflow no longer waits for its report to reach the parent before
// answering (reviewTellParentAsync), so two reports of one child may arrive out of
// order: the parent keeps the newest by the child's event seq. Reports without a seq
// (sent by workflows started before the change) are taken in arrival order.
func TestChildReportsKeepTheNewestStatus(t *testing.T) {
	cases := []struct {
		name    string
		reports []contract.ChildReport
		want    review.Status
		wantSeq int
	}{
		{"in order", []contract.ChildReport{
			{UnitID: "C11", Status: review.StatusSubmitted, Seq: 2},
			{UnitID: "C11", Status: review.StatusReturned, Seq: 3}}, review.StatusReturned, 3},
		{"a return overtaken by the submission before it", []contract.ChildReport{
			{UnitID: "C11", Status: review.StatusReturned, Seq: 3},
			{UnitID: "C11", Status: review.StatusSubmitted, Seq: 2}}, review.StatusReturned, 3},
		{"a resubmission overtaking the return", []contract.ChildReport{
			{UnitID: "C11", Status: review.StatusSubmitted, Seq: 5},
			{UnitID: "C11", Status: review.StatusReturned, Seq: 3}}, review.StatusSubmitted, 5},
		{"the same report twice (a retried TellParent)", []contract.ChildReport{
			{UnitID: "C11", Status: review.StatusSubmitted, Seq: 2},
			{UnitID: "C11", Status: review.StatusSubmitted, Seq: 2}}, review.StatusSubmitted, 2},
		{"reports without a seq, in arrival order", []contract.ChildReport{
			{UnitID: "C11", Status: review.StatusSubmitted},
			{UnitID: "C11", Status: review.StatusReturned}}, review.StatusReturned, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := newReviewNode(campaignID, "D1", "P", "", 2)
			n.children = []string{"C11", "C12"}
			for _, cr := range c.reports {
				n.takeChildReport(cr)
			}
			if n.childStatus["C11"] != c.want || n.childSeq["C11"] != c.wantSeq {
				t.Fatalf("C11 is %s at seq %d, want %s at %d", n.childStatus["C11"], n.childSeq["C11"], c.want, c.wantSeq)
			}
			if _, ok := n.childStatus["C12"]; ok {
				t.Fatal("a report of C11 changed C12")
			}
			if got := n.view().Reported; got != map[bool]int{true: 1, false: 0}[c.want.Reported()] {
				t.Fatalf("reported %d", got)
			}
		})
	}
}

// A district takes its communes' reports without a timer each: its wait keeps one
// timer for its next deadline (reviewTellParentLocal). Before it, every report woke
// the district into a new AwaitWithTimeout whose timer was never cancelled, so the
// district's timers at its communes' deadline grew with the reports.
func TestChildReportsDoNotStartTimers(t *testing.T) {
	for _, tc := range []struct {
		name    string
		version workflow.Version
		want    func(timers int) bool
	}{
		{"told only of complete sets", reviewTellParentOnComplete, func(n int) bool { return n == 2 }},
		{"one timer per district", reviewTellParentLocal, func(n int) bool { return n == 2 }},
		{"before: a timer per report", reviewTellParentAsync, func(n int) bool { return n > 2 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newReviewEnv(t)
			r.env.OnGetVersion(reviewTellParentChange, workflow.DefaultVersion, reviewTellParentOnComplete).Return(tc.version)
			heard := 1 // C11's last report, when D1 hears every report
			if tc.version >= reviewTellParentOnComplete {
				heard = 0 // D1's set is never complete
			}
			communeDeadline := testPlan(0)[2].Deadline
			var atDeadline int // timers set to fire at the communes' deadline: only districts set them
			r.env.SetOnTimerScheduledListener(func(_ string, d time.Duration) {
				if r.env.Now().Add(d).Equal(communeDeadline) {
					atDeadline++
				}
			})
			returned := func(a *contract.ReviewActInput) { a.Reason = "Thiếu số hộ cận nghèo" }
			end := r.script(time.Hour,
				r.must("C11", review.ActionSubmit, "C11"), r.must("C11", review.ActionReturn, "D1", returned),
				r.must("C11", review.ActionSubmit, "C11"), r.must("C11", review.ActionReturn, "D1", returned),
				r.must("C11", review.ActionSubmit, "C11"), r.must("C21", review.ActionSubmit, "C21"),
				func() {
					if s := r.state("D1"); s.Reported != heard || s.Prefilled {
						t.Errorf("D1 after 5 reports of C11: %+v, want %d reported, not pre-filled", s, heard)
					}
				})
			r.script(end, r.root(contract.UpdateReviewClose, contract.CloseCampaignInput{ActorID: 9, UnitID: "TW"}))
			r.run()
			t.Logf("%d timers at the communes' deadline", atDeadline)
			if !tc.want(atDeadline) {
				t.Errorf("%d timers at the communes' deadline", atDeadline)
			}
		})
	}
}

// From reviewTellParentOnComplete a commune tells its district only of the submission
// that completes the district's set: the district's workflow takes no task for the
// others, reloads every commune's status when told, and is pre-filled right then. A
// return breaks the set; the resubmission that completes it again tells it again.
func TestParentHearsOnlyTheReportThatCompletesItsSet(t *testing.T) {
	r := newReviewEnv(t)
	returned := func(a *contract.ReviewActInput) { a.Reason = "Thiếu số hộ cận nghèo" }
	check := func(what string, told, reloads, reported int, prefilled bool) func() {
		return func() {
			r.mu.Lock()
			gotTold := r.told
			r.mu.Unlock()
			r.store.mu.Lock()
			gotReloads := r.store.reloads
			r.store.mu.Unlock()
			s := r.state("D1")
			if gotTold != told || gotReloads != reloads || s.Reported != reported || s.Prefilled != prefilled {
				t.Errorf("%s: told %d, reloads %d, D1 %+v; want told %d, reloads %d, %d reported, pre-filled %v",
					what, gotTold, gotReloads, s, told, reloads, reported, prefilled)
			}
		}
	}
	r.script(time.Hour,
		r.must("C11", review.ActionSubmit, "C11"),
		check("after C11's submission", 0, 0, 0, false),
		r.must("C11", review.ActionReturn, "D1", returned),
		r.must("C11", review.ActionSubmit, "C11"),
		r.must("C11", review.ActionAccept, "D1"),
		check("after C11's return, resubmission and acceptance", 0, 0, 0, false),
		r.must("C12", review.ActionSubmit, "C12"),
		check("after C12 completed the set", 1, 1, 2, true),
		r.must("C12", review.ActionReturn, "D1", returned),
		check("after C12's return", 1, 1, 2, true),
		r.must("C12", review.ActionSubmit, "C12"),
		check("after C12 completed the set again", 2, 2, 2, true),
		r.root(contract.UpdateReviewClose, contract.CloseCampaignInput{ActorID: 9, UnitID: "TW"}),
	)
	if st := r.run(); st.Status != review.StatusClosed {
		t.Fatalf("campaign %s, want closed", st.Status)
	}
	if pre, sub := r.store.event(t, "D1", review.ActionPrefill), r.store.event(t, "C12", review.ActionSubmit); !pre.At.Equal(sub.At) {
		t.Errorf("D1 pre-filled at %v, want at C12's submission %v", pre.At, sub.At)
	}
}
