package activities

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/campaigns"
	"github.com/tdkt/tdkt/internal/review"
	"github.com/tdkt/tdkt/workflows/contract"
)

// reviewCalendar returns the working-day calendar in force.
func (a *Activities) reviewCalendar(ctx context.Context) (*calendar.Calendar, error) {
	if a.Calendar != nil {
		return a.Calendar(ctx)
	}
	return calendar.New(calendar.Published())
}

// RecordReview writes one event of a campaign report — the report's new state, the
// parent's aggregate, notifications and the event row — in one PostgreSQL
// transaction. It is idempotent on (report, seq).
func (a *Activities) RecordReview(ctx context.Context, t review.Transition) (review.RecordResult, error) {
	return a.Campaigns.RecordReview(ctx, t)
}

// TellParentInput is a unit's report status for its parent's workflow.
type TellParentInput struct {
	ParentWorkflowID string               `json:"parent_workflow_id"`
	Report           contract.ChildReport `json:"report"`
}

// TellParent signals a unit's report status to its parent's workflow
// (contract.SignalChildReport) through the worker's Temporal client. The unit's
// workflow runs it as a local activity in the workflow task that recorded the event:
// a SignalExternalWorkflow command would have Temporal record the signal's delivery
// in the unit's history and schedule it another task. It returns once the parent's
// history holds the signal. A retry may deliver the report twice, which the parent
// ignores (it keeps a child's report by its seq). A parent that is closed or not
// found is no error: TellParent logs it and returns false.
func (a *Activities) TellParent(ctx context.Context, in TellParentInput) (bool, error) {
	err := activity.GetClient(ctx).SignalWorkflow(ctx, in.ParentWorkflowID, "", contract.SignalChildReport, in.Report)
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) {
		activity.GetLogger(ctx).Warn("parent not told of the report", "parent", in.ParentWorkflowID, "err", err)
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("tell %s of %s's report: %w", in.ParentWorkflowID, in.Report.UnitID, err)
	}
	return true, nil
}

// PlanReviewInput asks for a campaign's deadline plan to be computed and recorded as
// the root event t. FinalDeadline and Explicit, when set, replace the campaign's (a
// change of deadlines by the requesting unit).
type PlanReviewInput struct {
	Transition    review.Transition `json:"transition"`
	FinalDeadline time.Time         `json:"final_deadline,omitzero"`
	Explicit      []time.Time       `json:"explicit,omitempty"`
}

// PlanReview computes the deadline of every level of a campaign on the working-day
// calendar, records it on every report and as the root's event, and returns it.
func (a *Activities) PlanReview(ctx context.Context, in PlanReviewInput) ([]review.LevelPlan, error) {
	c, err := a.Campaigns.Campaign(ctx, in.Transition.CampaignID)
	if err != nil {
		return nil, err
	}
	cal, err := a.reviewCalendar(ctx)
	if err != nil {
		return nil, fmt.Errorf("calendar: %w", err)
	}
	final, explicit := c.FinalDeadline, c.Explicit
	if !in.FinalDeadline.IsZero() {
		final = in.FinalDeadline
	}
	if in.Explicit != nil {
		explicit = in.Explicit
	}
	plan, err := review.Plan(cal, review.PlanInput{FinalDeadline: final, Depths: c.Depths,
		GapWorkingDays: c.GapDays, ReminderWorkingDays: c.ReminderDays, Explicit: explicit})
	if err != nil {
		// Retrying cannot make an impossible plan possible.
		return nil, temporal.NewNonRetryableApplicationError(err.Error(), "InvalidPlan", err)
	}
	t := in.Transition
	t.Plan = plan
	if _, err := a.Campaigns.RecordReview(ctx, t); err != nil {
		return nil, err
	}
	// A retry after the commit returns the plan as recorded, not one recomputed since.
	c, err = a.Campaigns.Campaign(ctx, t.CampaignID)
	if err != nil {
		return nil, err
	}
	return c.Levels, nil
}

// ReviewChildren returns the units that report to a unit in a campaign.
func (a *Activities) ReviewChildren(ctx context.Context, campaignID, unitID string) ([]string, error) {
	return a.Campaigns.CampaignChildren(ctx, campaignID, unitID)
}

// ChildReports returns the status of every report of the units that report to
// unitID in the campaign, with the seq of its last event: what a parent's workflow
// reloads when a child tells it that its set of reports is complete
// (contract.ChildReport.Complete).
func (a *Activities) ChildReports(ctx context.Context, campaignID, unitID string) ([]contract.ChildReport, error) {
	reports, err := a.Campaigns.ChildReports(ctx, campaignID, unitID, false)
	if err != nil {
		return nil, err
	}
	out := make([]contract.ChildReport, len(reports))
	for i, r := range reports {
		out[i] = contract.ChildReport{UnitID: r.UnitID, Status: r.Status, Seq: r.Seq}
	}
	return out, nil
}

// RecordMovement writes one event of a movement (a registration, the end of its
// period) in one transaction; idempotent on (movement, seq).
func (a *Activities) RecordMovement(ctx context.Context, t campaigns.MovementTransition) error {
	return a.Campaigns.RecordMovement(ctx, t)
}

// scheduledGrace is how long after its period a movement may still be reviewed by a
// schedule: the final review (tổng kết) often follows the period's end.
const scheduledGrace = 183 * 24 * time.Hour

// OpenScheduledCampaign opens the campaign a recurring schedule asks for at instant at:
// the movement's template, a final deadline DeadlineWorkingDays working days later,
// the requesting unit's administrative subtree. It is idempotent per schedule and day
// (a retried run returns the campaign it opened), and opens nothing for a movement
// outside its period.
func (a *Activities) OpenScheduledCampaign(ctx context.Context, sc review.ScheduledCampaign, at time.Time) (review.OpenedCampaign, error) {
	m, err := a.Campaigns.Movement(ctx, sc.MovementID)
	if err != nil {
		return review.OpenedCampaign{}, err
	}
	start, err := time.ParseInLocation(time.DateOnly, m.PeriodStart, calendar.Zone)
	if err != nil {
		return review.OpenedCampaign{}, err
	}
	end, err := time.ParseInLocation(time.DateOnly, m.PeriodEnd, calendar.Zone)
	if err != nil {
		return review.OpenedCampaign{}, err
	}
	if at.Before(start) || at.After(end.Add(scheduledGrace)) {
		return review.OpenedCampaign{Skipped: fmt.Sprintf("the movement runs from %s to %s", m.PeriodStart, m.PeriodEnd)}, nil
	}
	key := sc.ScheduleID + "/" + calendar.DateOf(at.In(calendar.Zone)).String()
	if id, err := a.Campaigns.CampaignByScheduleKey(ctx, key); err != nil {
		return review.OpenedCampaign{}, err
	} else if id != "" {
		return review.OpenedCampaign{CampaignID: id, UnitID: m.UnitID, Existing: true}, nil
	}
	tpl, err := a.Campaigns.ReviewTemplate(ctx, m.TemplateCode)
	if err != nil {
		return review.OpenedCampaign{}, err
	}
	cal, err := a.reviewCalendar(ctx)
	if err != nil {
		return review.OpenedCampaign{}, fmt.Errorf("calendar: %w", err)
	}
	final := review.EndOfDay(calendar.DateOf(cal.AddWorkingDays(at, sc.DeadlineWorkingDays).In(calendar.Zone)))
	label := review.PeriodLabel(sc.Kind, at, start, end)
	id := uuid.NewString()
	tx, err := a.Campaigns.BeginTx(ctx)
	if err != nil {
		return review.OpenedCampaign{}, err
	}
	defer tx.Rollback(ctx) //nolint:errcheck // no-op after commit
	if _, err := campaigns.CreateCampaignTx(ctx, tx, campaigns.NewCampaign{
		ID: id, WorkflowID: review.CampaignWorkflowID(id), MovementID: m.ID, UnitID: m.UnitID, Kind: sc.Kind,
		Title: review.CampaignTitle(sc.Kind, label, m.Name), PeriodLabel: label, Template: tpl,
		FinalDeadline: final, GapDays: sc.GapWorkingDays, ReminderDays: sc.ReminderWorkingDays, MaxDepth: sc.MaxDepth,
		ScheduleKey: key, CreatedBy: sc.CreatedBy, At: at,
	}); err != nil {
		return review.OpenedCampaign{}, err
	}
	if err := tx.Commit(ctx); err != nil {
		return review.OpenedCampaign{}, fmt.Errorf("commit scheduled campaign: %w", err)
	}
	return review.OpenedCampaign{CampaignID: id, UnitID: m.UnitID}, nil
}
