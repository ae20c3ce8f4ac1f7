package workflows

import (
	"errors"
	"fmt"
	"slices"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/tdkt/tdkt/activities"
	"github.com/tdkt/tdkt/internal/review"
	"github.com/tdkt/tdkt/workflows/contract"
)

// reviewNode is the running state of one node of a campaign's tree: the root (the
// requesting unit) or a unit that reports.
type reviewNode struct {
	campaignID, unitID string
	parentUnitID       string
	parentWorkflowID   string
	depth              int
	root               bool
	plan               []review.LevelPlan
	state              contract.ReviewState
	children           []string // sorted
	childStatus        map[string]review.Status
	childSeq           map[string]int // seq of the child's event its last report carried
	childDone          map[string]bool
	tellingParent      int                 // reports to the parent sent and not yet delivered
	tellParentVersion  workflow.Version    // of reviewTellParentChange: see tellParent and wait
	recorded           review.RecordResult // of the last event recorded
	changed            bool                // something happened that may need the loop's attention
	mu                 workflow.Mutex
	// The one timer of reviewTellParentLocal's wait.
	wake wakeTimer
}

// reviewRecordOptions keep the Record step short and local to the worker, retrying
// transient database errors for a bounded time so that an update answers promptly.
var reviewRecordOptions = workflow.LocalActivityOptions{
	ScheduleToCloseTimeout: time.Minute,
	StartToCloseTimeout:    20 * time.Second,
	RetryPolicy: &temporal.RetryPolicy{
		InitialInterval:    100 * time.Millisecond,
		BackoffCoefficient: 2,
		MaximumInterval:    2 * time.Second,
		MaximumAttempts:    10,
	},
}

// RegisterReviewWorkflows registers the movement and review workflows on a worker;
// their activities are methods of activities.Activities, registered with it.
func RegisterReviewWorkflows(w worker.Registry) {
	w.RegisterWorkflowWithOptions(ReviewCampaignWorkflow, workflow.RegisterOptions{Name: contract.ReviewCampaignWorkflowName})
	w.RegisterWorkflowWithOptions(UnitReviewWorkflow, workflow.RegisterOptions{Name: contract.UnitReviewWorkflowName})
	w.RegisterWorkflowWithOptions(ScheduledReviewWorkflow, workflow.RegisterOptions{Name: contract.ScheduledReviewWorkflowName})
	w.RegisterWorkflowWithOptions(MovementWorkflow, workflow.RegisterOptions{Name: contract.MovementWorkflowName})
}

// ReviewCampaignWorkflow runs a campaign from its requesting unit: it records the
// deadline plan, starts one UnitReviewWorkflow per unit that reports to the requesting
// unit (each of which starts its own children: a tree, never a flat fan-out), pre-fills
// the requesting unit's consolidated report with the aggregate when every child has
// reported or the final deadline passes, and completes when every report is accepted
// or when the requesting unit closes the campaign.
func ReviewCampaignWorkflow(ctx workflow.Context, in contract.CampaignInput) (contract.ReviewState, error) {
	n := newReviewNode(in.CampaignID, in.UnitID, "", "", 0)
	n.root = true
	n.state.Status = review.StatusCollecting
	if err := n.registerHandlers(ctx); err != nil {
		return n.state, err
	}
	var acts *activities.Activities
	t := n.transition(ctx, review.ActionPlan, 0, n.state.Status)
	lctx := workflow.WithLocalActivityOptions(ctx, reviewRecordOptions)
	var plan []review.LevelPlan
	if err := workflow.ExecuteLocalActivity(lctx, acts.PlanReview, activities.PlanReviewInput{Transition: t}).Get(ctx, &plan); err != nil {
		return n.state, fmt.Errorf("plan campaign %s: %w", in.CampaignID, err)
	}
	n.state.Seq = t.Seq
	n.plan = plan
	return n.run(ctx)
}

// UnitReviewWorkflow runs one unit's report of a campaign: it starts a child per unit
// that reports to it, reminds the unit before its deadline, flags it overdue after,
// pre-fills its draft with its children's aggregate and the list of missing units when
// they have all reported or their deadline passes, and takes the unit's save and
// submit and the parent's return and accept as updates. It completes once its report
// is accepted and every child has completed.
func UnitReviewWorkflow(ctx workflow.Context, in contract.UnitReviewInput) (contract.ReviewState, error) {
	n := newReviewNode(in.CampaignID, in.UnitID, in.ParentUnitID, in.ParentWorkflowID, in.Depth)
	n.plan = in.Plan
	n.state.Status = review.StatusNotStarted
	// Decided once, as the workflow starts: a GetVersion first called in the update
	// handler would record its marker, and upsert the TemporalChangeVersion search
	// attribute, in the submission's own workflow task.
	n.tellParentVersion = workflow.GetVersion(ctx, reviewTellParentChange, workflow.DefaultVersion, reviewTellParentOnComplete)
	if err := n.registerHandlers(ctx); err != nil {
		return n.state, err
	}
	return n.run(ctx)
}

func newReviewNode(campaignID, unitID, parentUnitID, parentWorkflowID string, depth int) *reviewNode {
	return &reviewNode{campaignID: campaignID, unitID: unitID, parentUnitID: parentUnitID,
		parentWorkflowID: parentWorkflowID, depth: depth,
		childStatus: map[string]review.Status{}, childSeq: map[string]int{}, childDone: map[string]bool{}}
}

func (n *reviewNode) registerHandlers(ctx workflow.Context) error {
	n.mu = workflow.NewMutex(ctx)
	if err := workflow.SetQueryHandler(ctx, contract.QueryReviewState, func() (contract.ReviewState, error) { return n.view(), nil }); err != nil {
		return err
	}
	if n.root {
		if err := workflow.SetUpdateHandlerWithOptions(ctx, contract.UpdateReviewClose, n.close,
			workflow.UpdateHandlerOptions{Validator: n.validateClose}); err != nil {
			return err
		}
		return workflow.SetUpdateHandlerWithOptions(ctx, contract.UpdateReviewDeadlines, n.changeDeadlines,
			workflow.UpdateHandlerOptions{Validator: n.validateDeadlines})
	}
	return workflow.SetUpdateHandlerWithOptions(ctx, contract.UpdateReviewAct, n.act,
		workflow.UpdateHandlerOptions{Validator: n.validateAct})
}

// view is the state with the children's counts.
func (n *reviewNode) view() contract.ReviewState {
	s := n.state
	s.Children, s.Reported, s.Done = len(n.children), 0, 0
	for _, c := range n.children {
		if n.childStatus[c].Reported() {
			s.Reported++
		}
		if n.childDone[c] {
			s.Done++
		}
	}
	return s
}

// run starts the children, then loops: act on what is due, sleep until the next
// deadline or until something changes.
func (n *reviewNode) run(ctx workflow.Context) (contract.ReviewState, error) {
	var acts *activities.Activities
	lctx := workflow.WithLocalActivityOptions(ctx, reviewRecordOptions)
	if err := workflow.ExecuteLocalActivity(lctx, acts.ReviewChildren, n.campaignID, n.unitID).Get(ctx, &n.children); err != nil {
		return n.state, fmt.Errorf("children of %s: %w", n.unitID, err)
	}
	slices.Sort(n.children)
	workflow.Go(ctx, func(ctx workflow.Context) {
		ch := workflow.GetSignalChannel(ctx, contract.SignalChildReport)
		for {
			var cr contract.ChildReport
			ch.Receive(ctx, &cr)
			n.takeChildReport(cr)
			if cr.Complete {
				n.reloadChildReports(ctx)
			}
		}
	})
	if err := n.startChildren(ctx); err != nil {
		return n.state, err
	}
	workflow.Go(ctx, func(ctx workflow.Context) {
		ch := workflow.GetSignalChannel(ctx, contract.SignalReviewPlan)
		for {
			var plan []review.LevelPlan
			ch.Receive(ctx, &plan)
			n.setPlan(workflow.Now(ctx), plan)
			n.forwardPlan(ctx, plan)
			n.changed = true
		}
	})
	for {
		n.changed = false
		if err := n.tick(ctx); err != nil {
			return n.view(), err
		}
		if n.finished() {
			break
		}
		if err := n.wait(ctx); err != nil {
			return n.view(), err
		}
	}
	// A report to the parent still on its way is delivered before the workflow ends
	// (a signal initiated by a closed workflow is dropped).
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) && n.tellingParent == 0 }); err != nil {
		return n.view(), err
	}
	return n.view(), nil
}

// wait sleeps until the next instant something falls due or until something changes.
// Before reviewTellParentLocal each wait started a timer of its own (AwaitWithTimeout,
// whose timer this SDK leaves running when the condition comes first: a province
// started one per child's report, each a history event and a timer in the server,
// all firing at the deadline); from it the node keeps one timer for the next instant
// and replaces it only when that instant moves.
func (n *reviewNode) wait(ctx workflow.Context) error {
	next := n.nextWake()
	if n.tellParentVersion < reviewTellParentLocal {
		var err error
		if next.IsZero() {
			err = workflow.Await(ctx, func() bool { return n.changed })
		} else if d := next.Sub(workflow.Now(ctx)); d > 0 {
			_, err = workflow.AwaitWithTimeout(ctx, d, func() bool { return n.changed })
		}
		return err
	}
	if !next.IsZero() && !next.After(workflow.Now(ctx)) {
		return nil // due now: the loop's next tick records it
	}
	n.wake.set(ctx, next, func() { n.changed = true })
	return workflow.Await(ctx, func() bool { return n.changed })
}

// takeChildReport applies a child's report of its status. Reports sent without
// waiting for the previous one's delivery may arrive out of order: one older than
// the last taken (a lower seq) is ignored. Reports without a seq (sent before the
// change) are taken in their order of arrival, as they always were.
func (n *reviewNode) takeChildReport(cr contract.ChildReport) {
	if cr.Seq != 0 && cr.Seq < n.childSeq[cr.UnitID] {
		return
	}
	n.childSeq[cr.UnitID] = cr.Seq
	n.childStatus[cr.UnitID] = cr.Status
	n.changed = true
}

// reloadChildReports takes every child's report status as PostgreSQL holds it: a
// child tells its parent only when its submission completes the parent's set
// (reviewTellParentOnComplete), so the statuses of the others are read, not heard.
// A read that fails leaves the statuses as they were: the deadline's pre-fill still
// comes, and the next complete set reloads them.
func (n *reviewNode) reloadChildReports(ctx workflow.Context) {
	var acts *activities.Activities
	var reports []contract.ChildReport
	lctx := workflow.WithLocalActivityOptions(ctx, reviewRecordOptions)
	if err := workflow.ExecuteLocalActivity(lctx, acts.ChildReports, n.campaignID, n.unitID).Get(ctx, &reports); err != nil {
		workflow.GetLogger(ctx).Warn("children's reports not reloaded", "err", err)
		return
	}
	for _, cr := range reports {
		n.takeChildReport(cr)
	}
}

// startChildren starts one UnitReviewWorkflow per unit that reports to this one and
// waits until each has started; a goroutine per child marks it done when it completes.
func (n *reviewNode) startChildren(ctx workflow.Context) error {
	myID := workflow.GetInfo(ctx).WorkflowExecution.ID
	futures := make([]workflow.ChildWorkflowFuture, len(n.children))
	for i, c := range n.children {
		cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
			WorkflowID:        review.UnitWorkflowID(n.campaignID, c),
			ParentClosePolicy: enumspb.PARENT_CLOSE_POLICY_TERMINATE,
		})
		futures[i] = workflow.ExecuteChildWorkflow(cctx, contract.UnitReviewWorkflowName, contract.UnitReviewInput{
			CampaignID: n.campaignID, UnitID: c, ParentUnitID: n.unitID, ParentWorkflowID: myID,
			Depth: n.depth + 1, Plan: n.plan,
		})
	}
	for i, f := range futures {
		if err := f.GetChildWorkflowExecution().Get(ctx, nil); err != nil {
			return fmt.Errorf("start the report workflow of %s: %w", n.children[i], err)
		}
		c := n.children[i]
		workflow.Go(ctx, func(ctx workflow.Context) {
			_ = f.Get(ctx, nil) // a failed child counts as done: it will not report again
			n.childDone[c] = true
			n.changed = true
		})
	}
	return nil
}

// ownPlan is this unit's deadline and reminder; ok is false for the root.
func (n *reviewNode) ownPlan() (review.LevelPlan, bool) {
	if n.root {
		return review.LevelPlan{}, false
	}
	return review.PlanAt(n.plan, n.depth)
}

// childDeadline is when this unit's children must report to it.
func (n *reviewNode) childDeadline() time.Time {
	lp, _ := review.PlanAt(n.plan, n.depth+1)
	return lp.Deadline
}

func (n *reviewNode) allReported() bool {
	for _, c := range n.children {
		if !n.childStatus[c].Reported() {
			return false
		}
	}
	return true
}

func (n *reviewNode) allDone() bool {
	for _, c := range n.children {
		if !n.childDone[c] {
			return false
		}
	}
	return true
}

// setPlan takes a changed plan: reminders and overdue flags whose instant moved into
// the future fire again.
func (n *reviewNode) setPlan(now time.Time, plan []review.LevelPlan) {
	n.plan = plan
	if lp, ok := n.ownPlan(); ok {
		if lp.RemindAt.After(now) {
			n.state.Reminded = false
		}
		if lp.Deadline.After(now) {
			n.state.Overdue = false
		}
	}
}

// forwardPlan sends a changed plan to every child.
func (n *reviewNode) forwardPlan(ctx workflow.Context, plan []review.LevelPlan) {
	futures := make([]workflow.Future, 0, len(n.children))
	for _, c := range n.children {
		if n.childDone[c] {
			continue
		}
		futures = append(futures, workflow.SignalExternalWorkflow(ctx, review.UnitWorkflowID(n.campaignID, c), "", contract.SignalReviewPlan, plan))
	}
	for _, f := range futures {
		if err := f.Get(ctx, nil); err != nil {
			workflow.GetLogger(ctx).Warn("plan not delivered to a child", "err", err)
		}
	}
}

// tick records what is due now: the reminder, the overdue flag, the pre-fill, the
// completion of the root.
func (n *reviewNode) tick(ctx workflow.Context) error {
	if err := n.mu.Lock(ctx); err != nil {
		return err
	}
	defer n.mu.Unlock()
	now := workflow.Now(ctx)
	if lp, ok := n.ownPlan(); ok && n.state.Status.Open() {
		if !n.state.Reminded && !lp.RemindAt.IsZero() && !now.Before(lp.RemindAt) {
			n.state.Reminded = true
			if now.Before(lp.Deadline) {
				if err := n.record(ctx, n.transition(ctx, review.ActionRemind, 0, n.state.Status)); err != nil {
					return err
				}
			}
		}
		if !n.state.Overdue && !now.Before(lp.Deadline) {
			n.state.Overdue = true
			if err := n.record(ctx, n.transition(ctx, review.ActionOverdue, 0, n.state.Status)); err != nil {
				return err
			}
		}
	}
	if len(n.children) > 0 && !n.state.Prefilled && (n.allReported() || (!n.childDeadline().IsZero() && !now.Before(n.childDeadline()))) {
		n.state.Prefilled = true
		if n.root || n.state.Status.Open() {
			to := n.state.Status
			if to == review.StatusNotStarted {
				to = review.StatusDraft
			}
			t := n.transition(ctx, review.ActionPrefill, 0, to)
			t.Version = n.state.Version + 1
			if err := n.record(ctx, t); err != nil {
				return err
			}
		}
	}
	if n.root && n.state.Status == review.StatusCollecting && n.allDone() {
		if err := n.record(ctx, n.transition(ctx, review.ActionComplete, 0, review.StatusCompleted)); err != nil {
			return err
		}
	}
	return nil
}

// finished reports whether the node's work is over: the root completed or closed, a
// unit's report accepted with every child done.
func (n *reviewNode) finished() bool {
	if n.root {
		return n.state.Status == review.StatusCompleted || n.state.Status == review.StatusClosed
	}
	return n.state.Status == review.StatusAccepted && n.allDone()
}

// nextWake is the next instant something falls due, or zero when only a message can
// change anything.
func (n *reviewNode) nextWake() time.Time {
	var next time.Time
	consider := func(t time.Time) {
		if !t.IsZero() && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	if lp, ok := n.ownPlan(); ok && n.state.Status.Open() {
		if !n.state.Reminded {
			consider(lp.RemindAt)
		}
		if !n.state.Overdue {
			consider(lp.Deadline)
		}
	}
	if len(n.children) > 0 && !n.state.Prefilled {
		consider(n.childDeadline())
	}
	return next
}

// transition builds the next event of this node's report.
func (n *reviewNode) transition(ctx workflow.Context, action review.Action, actor int64, to review.Status) review.Transition {
	return review.Transition{CampaignID: n.campaignID, UnitID: n.unitID, Seq: n.state.Seq + 1, Version: n.state.Version,
		At: workflow.Now(ctx).UTC(), ActorID: actor, Action: action, FromStatus: n.state.Status, ToStatus: to}
}

// record runs the Record local activity and, once it has committed, makes the event
// part of the state.
func (n *reviewNode) record(ctx workflow.Context, t review.Transition) error {
	var acts *activities.Activities
	var res review.RecordResult
	lctx := workflow.WithLocalActivityOptions(ctx, reviewRecordOptions)
	if err := workflow.ExecuteLocalActivity(lctx, acts.RecordReview, t).Get(ctx, &res); err != nil {
		var appErr *temporal.ApplicationError
		if errors.As(err, &appErr) {
			return err
		}
		return fmt.Errorf("record %s of %s: %w", t.Action, t.UnitID, err)
	}
	n.state.Seq, n.state.Version, n.state.Status = t.Seq, t.Version, t.ToStatus
	n.recorded = res
	if t.Action == review.ActionSubmit {
		n.state.Late = res.Late
	}
	if t.Action == review.ActionPrefill {
		n.state.Prefilled = true
	}
	n.changed = true
	return nil
}

// validateAct decides whether a user action may be applied now. It is pure: it runs
// as the update validator and again under the lock in the handler.
func (n *reviewNode) validateAct(a contract.ReviewActInput) error {
	err := review.CheckAct(n.state.Status, n.state.Version, n.unitID, n.parentUnitID, review.ReportAct{
		Action: a.Action, ActorID: a.ActorID, UnitID: a.UnitID, Version: a.Version, Reason: a.Reason})
	if err != nil {
		return rejectf(err.Reason, "%s", err.Message)
	}
	return nil
}

// act applies a user action: record it, then tell the parent when the report's
// status as the parent sees it changed.
func (n *reviewNode) act(ctx workflow.Context, a contract.ReviewActInput) (contract.ReviewState, error) {
	if err := n.mu.Lock(ctx); err != nil {
		return n.view(), err
	}
	defer n.mu.Unlock()
	if err := n.validateAct(a); err != nil {
		return n.view(), err
	}
	t := n.transition(ctx, a.Action, a.ActorID, review.NextStatus(n.state.Status, a.Action))
	t.Version = n.state.Version + 1
	t.Values, t.Clear, t.Reason, t.Note = a.Values, a.Clear, a.Reason, a.Note
	if err := n.record(ctx, t); err != nil {
		return n.view(), err
	}
	if a.Action != review.ActionSave && n.parentWorkflowID != "" {
		switch {
		case n.tellParentVersion < reviewTellParentOnComplete:
			n.tellParent(ctx, false)
		case n.recorded.ParentComplete:
			n.tellParent(ctx, true)
		}
	}
	return n.view(), nil
}

// reviewTellParentChange versions how a unit tells its parent of its report's new
// status. DefaultVersion (workflows started before the change): the update handler
// waits for the signal's delivery before answering, a second workflow task per
// action. reviewTellParentAsync: the signal is sent with the recorded event's seq and
// the handler answers at once, in the workflow task that recorded the event; the
// workflow does not end before the signal is delivered — but Temporal records the
// delivery in the unit's history and schedules it a second task all the same.
// reviewTellParentLocal: the TellParent local activity sends the signal through the
// worker's client in the task that recorded the event, and the handler answers once
// it is delivered: one task of the unit's per action, no SignalExternalWorkflow
// command (unless the activity fails: then the signal goes out as in
// reviewTellParentAsync). The node also keeps one timer for its next deadline
// instead of starting one per wait (see wait). reviewTellParentOnComplete: the unit
// tells its parent only of the submission that completes the parent's set of
// reports (review.RecordResult.ParentComplete, decided under the parent's row lock
// in the same transaction as the event), marked Complete; the parent then reloads
// every child's status from PostgreSQL (reloadChildReports). Its other reports
// (earlier submissions, returns, acceptances) wake no task of the parent's: their
// figures reach its aggregate in PostgreSQL as before, and the parent's workflow
// needs only the complete set (for the pre-fill) and its children's completion
// (for its own). The version is taken as the unit's workflow starts
// (UnitReviewWorkflow).
const (
	reviewTellParentChange     = "review-tell-parent-async"
	reviewTellParentAsync      = 1
	reviewTellParentLocal      = 2
	reviewTellParentOnComplete = 3
)

// reviewTellParentOptions bound the TellParent step: a parent that cannot be
// reached within them is sent the signal by Temporal instead, so the update answers
// within seconds even then.
var reviewTellParentOptions = workflow.LocalActivityOptions{
	ScheduleToCloseTimeout: 15 * time.Second,
	StartToCloseTimeout:    5 * time.Second,
	RetryPolicy: &temporal.RetryPolicy{
		InitialInterval:    100 * time.Millisecond,
		BackoffCoefficient: 2,
		MaximumInterval:    2 * time.Second,
	},
}

// tellParent signals the parent the report's status as of the event just recorded;
// complete marks the report that completes the parent's set.
func (n *reviewNode) tellParent(ctx workflow.Context, complete bool) {
	cr := contract.ChildReport{UnitID: n.unitID, Status: n.state.Status, Complete: complete}
	if n.tellParentVersion == workflow.DefaultVersion {
		if err := workflow.SignalExternalWorkflow(ctx, n.parentWorkflowID, "", contract.SignalChildReport, cr).Get(ctx, nil); err != nil {
			workflow.GetLogger(ctx).Warn("parent not told of the report", "err", err)
		}
		return
	}
	cr.Seq = n.state.Seq
	if n.tellParentVersion >= reviewTellParentLocal {
		var acts *activities.Activities
		var delivered bool
		lctx := workflow.WithLocalActivityOptions(ctx, reviewTellParentOptions)
		err := workflow.ExecuteLocalActivity(lctx, acts.TellParent, activities.TellParentInput{
			ParentWorkflowID: n.parentWorkflowID, Report: cr}).Get(ctx, &delivered)
		if err == nil {
			if !delivered {
				workflow.GetLogger(ctx).Warn("parent not told of the report: closed or not found", "parent", n.parentWorkflowID)
			}
			return
		}
		workflow.GetLogger(ctx).Warn("the worker could not tell the parent; Temporal will", "err", err)
	}
	f := workflow.SignalExternalWorkflow(ctx, n.parentWorkflowID, "", contract.SignalChildReport, cr)
	n.tellingParent++
	workflow.Go(ctx, func(ctx workflow.Context) {
		if err := f.Get(ctx, nil); err != nil {
			workflow.GetLogger(ctx).Warn("parent not told of the report", "err", err)
		}
		n.tellingParent--
	})
}

func (n *reviewNode) validateClose(in contract.CloseCampaignInput) error {
	if in.ActorID == 0 {
		return rejectf(contract.ErrTypeInvalid, "no actor")
	}
	if in.UnitID != n.unitID {
		return rejectf(contract.ErrTypeWrongUnit, "only the requesting unit %s may close the campaign", n.unitID)
	}
	if n.state.Status != review.StatusCollecting {
		return rejectf(contract.ErrTypeWrongState, "the campaign is %s", n.state.Status)
	}
	return nil
}

// close ends the campaign: the reports that have not arrived stay missing.
func (n *reviewNode) close(ctx workflow.Context, in contract.CloseCampaignInput) (contract.ReviewState, error) {
	if err := n.mu.Lock(ctx); err != nil {
		return n.view(), err
	}
	defer n.mu.Unlock()
	if err := n.validateClose(in); err != nil {
		return n.view(), err
	}
	t := n.transition(ctx, review.ActionClose, in.ActorID, review.StatusClosed)
	t.Note = in.Note
	if err := n.record(ctx, t); err != nil {
		return n.view(), err
	}
	return n.view(), nil
}

func (n *reviewNode) validateDeadlines(in contract.DeadlinesInput) error {
	if in.ActorID == 0 {
		return rejectf(contract.ErrTypeInvalid, "no actor")
	}
	if in.UnitID != n.unitID {
		return rejectf(contract.ErrTypeWrongUnit, "only the requesting unit %s may change the deadlines", n.unitID)
	}
	if n.state.Status != review.StatusCollecting {
		return rejectf(contract.ErrTypeWrongState, "the campaign is %s", n.state.Status)
	}
	if in.FinalDeadline.IsZero() && len(in.Explicit) == 0 {
		return rejectf(contract.ErrTypeInvalid, "give a final deadline or the deadlines of the levels")
	}
	return nil
}

// changeDeadlines records a new plan and sends it down the tree.
func (n *reviewNode) changeDeadlines(ctx workflow.Context, in contract.DeadlinesInput) (contract.ReviewState, error) {
	if err := n.mu.Lock(ctx); err != nil {
		return n.view(), err
	}
	defer n.mu.Unlock()
	if err := n.validateDeadlines(in); err != nil {
		return n.view(), err
	}
	var acts *activities.Activities
	t := n.transition(ctx, review.ActionDeadlines, in.ActorID, n.state.Status)
	t.Note = in.Note
	var plan []review.LevelPlan
	lctx := workflow.WithLocalActivityOptions(ctx, reviewRecordOptions)
	err := workflow.ExecuteLocalActivity(lctx, acts.PlanReview, activities.PlanReviewInput{
		Transition: t, FinalDeadline: in.FinalDeadline, Explicit: in.Explicit}).Get(ctx, &plan)
	if err != nil {
		return n.view(), rejectf(contract.ErrTypeInvalid, "the deadlines cannot be planned: %v", err)
	}
	n.state.Seq = t.Seq
	n.setPlan(workflow.Now(ctx), plan)
	n.forwardPlan(ctx, plan)
	n.changed = true
	return n.view(), nil
}

// ScheduledReviewWorkflow is what a recurring review schedule starts (the annual review
// at year end, the mid-term review at a plan's midpoint): it opens the campaign for
// the movement at the scheduled instant and starts the campaign's workflow, which
// outlives it.
func ScheduledReviewWorkflow(ctx workflow.Context, sc review.ScheduledCampaign) (review.OpenedCampaign, error) {
	var acts *activities.Activities
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, MaximumInterval: time.Minute, MaximumAttempts: 20},
	})
	var opened review.OpenedCampaign
	if err := workflow.ExecuteActivity(actx, acts.OpenScheduledCampaign, sc, workflow.Now(ctx).UTC()).Get(ctx, &opened); err != nil {
		return opened, err
	}
	if opened.Skipped != "" {
		workflow.GetLogger(ctx).Info("scheduled review skipped", "reason", opened.Skipped)
		return opened, nil
	}
	cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
		WorkflowID:        review.CampaignWorkflowID(opened.CampaignID),
		ParentClosePolicy: enumspb.PARENT_CLOSE_POLICY_ABANDON,
	})
	f := workflow.ExecuteChildWorkflow(cctx, contract.ReviewCampaignWorkflowName, contract.CampaignInput{CampaignID: opened.CampaignID, UnitID: opened.UnitID})
	if err := f.GetChildWorkflowExecution().Get(ctx, nil); err != nil {
		var started *temporal.ChildWorkflowExecutionAlreadyStartedError
		if !(opened.Existing && errors.As(err, &started)) {
			return opened, err
		}
	}
	return opened, nil
}

func rejectf(typ, format string, args ...any) error {
	return temporal.NewNonRetryableApplicationError(fmt.Sprintf(format, args...), typ, nil)
}
