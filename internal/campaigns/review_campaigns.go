package campaigns

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/review"
	"github.com/tdkt/tdkt/workflows/contract"
)

// ---- Campaigns ----

// LaunchCampaignInput is a review request (công văn yêu cầu báo cáo) as the requesting
// unit enters it.
type LaunchCampaignInput struct {
	MovementID string `json:"movement_id"`
	// UnitID is the requesting unit; by default the movement's unit.
	UnitID       string `json:"unit_id"`
	Kind         string `json:"kind"`
	Title        string `json:"title"`
	PeriodLabel  string `json:"period_label"`
	LetterNumber string `json:"letter_number"`
	LetterDate   string `json:"letter_date"`
	// FinalDeadline is when the units at the first level report: a date (the end of
	// that day) or an RFC 3339 instant.
	FinalDeadline       string `json:"final_deadline"`
	GapWorkingDays      *int   `json:"gap_working_days"`
	ReminderWorkingDays *int   `json:"reminder_working_days"`
	// LevelDeadlines, when set, fix the deadlines of the first levels explicitly.
	LevelDeadlines []string `json:"level_deadlines"`
	// TargetUnitIDs report to the requesting unit; by default its administrative units.
	TargetUnitIDs []string `json:"target_unit_ids"`
	// MaxDepth limits how many levels report; 0 is all.
	MaxDepth int `json:"max_depth"`
}

// LaunchCampaign stores a campaign with one report per participating unit and starts
// its workflow, which plans the deadlines and fans out down the tree. Errors:
// KindInvalid with every field, KindForbidden.
func (s *Service) LaunchCampaign(ctx context.Context, userID int64, in LaunchCampaignInput) (Campaign, error) {
	var fields []domain.FieldError
	in.Title, in.PeriodLabel, in.LetterNumber = domain.Clean(in.Title), domain.Clean(in.PeriodLabel), domain.Clean(in.LetterNumber)
	kind := review.CampaignKind(in.Kind)
	if !kind.Valid() {
		fields = append(fields, domain.FieldError{Field: "kind", Message: "one of annual, midterm, final"})
	}
	reviewCheckLen("title", in.Title, maxReviewTitleLen, &fields)
	reviewCheckLen("period_label", in.PeriodLabel, maxLabelLen, &fields)
	reviewCheckLen("letter_number", in.LetterNumber, maxLabelLen, &fields)
	letter := reviewDay("letter_date", in.LetterDate, &fields)
	var final time.Time
	if in.FinalDeadline == "" {
		fields = append(fields, domain.FieldError{Field: "final_deadline", Message: "required"})
	} else {
		final = reviewDeadline("final_deadline", in.FinalDeadline, &fields)
	}
	gap, remind := reviewIntOr(in.GapWorkingDays, DefaultGapWorkingDays), reviewIntOr(in.ReminderWorkingDays, DefaultReminderWorkingDays)
	if gap < 0 || gap > 60 {
		fields = append(fields, domain.FieldError{Field: "gap_working_days", Message: "0 to 60"})
	}
	if remind < 0 || remind > 30 {
		fields = append(fields, domain.FieldError{Field: "reminder_working_days", Message: "0 to 30"})
	}
	if in.MaxDepth < 0 || in.MaxDepth > 10 {
		fields = append(fields, domain.FieldError{Field: "max_depth", Message: "0 (all) to 10"})
	}
	explicit := make([]time.Time, 0, len(in.LevelDeadlines))
	for i, v := range in.LevelDeadlines {
		explicit = append(explicit, reviewDeadline(fmt.Sprintf("level_deadlines[%d]", i), v, &fields))
	}
	for i := 1; i < len(explicit); i++ {
		if explicit[i].After(explicit[i-1]) {
			fields = append(fields, domain.FieldError{Field: fmt.Sprintf("level_deadlines[%d]", i), Message: "a level reports before its parent's deadline"})
		}
	}
	now := s.Clock()
	if !final.IsZero() && !final.After(now) {
		fields = append(fields, domain.FieldError{Field: "final_deadline", Message: "must be in the future"})
	}
	if len(explicit) > 0 && !final.IsZero() && !explicit[0].Equal(final) {
		fields = append(fields, domain.FieldError{Field: "level_deadlines[0]", Message: "the first level's deadline is the final deadline"})
	}
	if len(fields) > 0 {
		return Campaign{}, domain.Invalid("the review request has invalid fields", fields...)
	}
	m, err := s.Movement(ctx, userID, in.MovementID)
	if domain.IsKind(err, domain.KindNotFound) {
		return Campaign{}, domain.Invalid("unknown movement", domain.FieldError{Field: "movement_id", Message: "no such movement"})
	} else if err != nil {
		return Campaign{}, err
	}
	if in.UnitID == "" {
		in.UnitID = m.UnitID
	}
	if err := s.Allow(userID, in.UnitID, objReview, "launch"); err != nil {
		return Campaign{}, err
	}
	inScope, err := s.Store.IsAncestorOrSelf(ctx, m.UnitID, in.UnitID)
	if err != nil {
		return Campaign{}, err
	}
	if !inScope {
		return Campaign{}, domain.Invalid("the requesting unit is outside the movement's scope",
			domain.FieldError{Field: "unit_id", Message: "not below " + m.UnitName})
	}
	tpl, err := s.Store.ReviewTemplate(ctx, m.TemplateCode)
	if err != nil {
		return Campaign{}, err
	}
	start, _ := time.ParseInLocation(time.DateOnly, m.PeriodStart, calendar.Zone)
	end, _ := time.ParseInLocation(time.DateOnly, m.PeriodEnd, calendar.Zone)
	if in.PeriodLabel == "" {
		in.PeriodLabel = review.PeriodLabel(kind, now, start, end)
	}
	if in.Title == "" {
		in.Title = review.CampaignTitle(kind, in.PeriodLabel, m.Name)
	}
	targets := make([]string, 0, len(in.TargetUnitIDs))
	for _, t := range in.TargetUnitIDs {
		if t = strings.TrimSpace(t); t != "" && !slices.Contains(targets, t) {
			targets = append(targets, t)
		}
	}
	id := uuid.NewString()
	nc := NewCampaign{ID: id, WorkflowID: review.CampaignWorkflowID(id), MovementID: m.ID, UnitID: in.UnitID, Kind: kind,
		Title: in.Title, PeriodLabel: in.PeriodLabel, LetterNumber: in.LetterNumber, LetterDate: letter, Template: tpl,
		FinalDeadline: final, GapDays: gap, ReminderDays: remind, Explicit: explicit, MaxDepth: in.MaxDepth, Targets: targets,
		CreatedBy: userID, At: now}
	tx, err := s.Store.BeginTx(ctx)
	if err != nil {
		return Campaign{}, err
	}
	defer tx.Rollback(ctx) //nolint:errcheck // no-op after commit
	if _, err := CreateCampaignTx(ctx, tx, nc); err != nil {
		return Campaign{}, err
	}
	if _, err := s.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: nc.WorkflowID, TaskQueue: s.TaskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_FAIL,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
	}, contract.ReviewCampaignWorkflowName, contract.CampaignInput{CampaignID: id, UnitID: in.UnitID}); err != nil {
		return Campaign{}, fmt.Errorf("start campaign workflow: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		_ = s.Temporal.TerminateWorkflow(context.WithoutCancel(ctx), nc.WorkflowID, "", "campaign rows not committed")
		return Campaign{}, fmt.Errorf("commit campaign: %w", err)
	}
	return s.Store.Campaign(ctx, id)
}

// Campaigns lists the campaigns in which a unit where the user may read reviews takes part.
func (s *Service) Campaigns(ctx context.Context, userID int64, f CampaignFilter) ([]Campaign, error) {
	f.Units = s.Authz.VisibleUnits(userID, objReview, "read")
	return s.Store.Campaigns(ctx, f)
}

// Campaign returns a campaign the user may read: one in which a unit where they may
// read reviews takes part.
func (s *Service) Campaign(ctx context.Context, userID int64, id string) (Campaign, error) {
	c, err := s.Store.Campaign(ctx, id)
	if err != nil {
		return c, err
	}
	if s.Can(userID, c.UnitID, objReview, "read") {
		return c, nil
	}
	ok, err := s.Store.CampaignHasUnitIn(ctx, c.ID, s.Authz.VisibleUnits(userID, objReview, "read"))
	if err != nil {
		return c, err
	}
	if !ok {
		return Campaign{}, domain.Errorf(domain.KindForbidden, "you may not read this review campaign")
	}
	return c, nil
}

// runningCampaign loads a campaign that still takes actions.
func (s *Service) runningCampaign(ctx context.Context, userID int64, id string) (Campaign, error) {
	c, err := s.Campaign(ctx, userID, id)
	if err != nil {
		return c, err
	}
	if c.Status != "running" {
		return c, domain.Errorf(domain.KindConflict, "the campaign is %s", c.Status)
	}
	return c, nil
}

// DeadlinesRequest changes a campaign's deadlines (gia hạn, điều chỉnh thời hạn).
type DeadlinesRequest struct {
	FinalDeadline  string   `json:"final_deadline"`
	LevelDeadlines []string `json:"level_deadlines"`
	Note           string   `json:"note"`
}

// SetCampaignDeadlines changes the deadlines of a running campaign: the campaign's
// workflow records the new plan and sends it down the tree, where reminders and
// overdue flags follow it.
func (s *Service) SetCampaignDeadlines(ctx context.Context, userID int64, id string, in DeadlinesRequest) (Campaign, error) {
	var fields []domain.FieldError
	var final time.Time
	if in.FinalDeadline != "" {
		final = reviewDeadline("final_deadline", in.FinalDeadline, &fields)
	}
	explicit := make([]time.Time, 0, len(in.LevelDeadlines))
	for i, v := range in.LevelDeadlines {
		explicit = append(explicit, reviewDeadline(fmt.Sprintf("level_deadlines[%d]", i), v, &fields))
	}
	for i := 1; i < len(explicit); i++ {
		if explicit[i].After(explicit[i-1]) {
			fields = append(fields, domain.FieldError{Field: fmt.Sprintf("level_deadlines[%d]", i), Message: "a level reports before its parent's deadline"})
		}
	}
	if in.FinalDeadline == "" && len(in.LevelDeadlines) == 0 {
		fields = append(fields, domain.FieldError{Field: "final_deadline", Message: "give a final deadline or the level deadlines"})
	}
	if len(explicit) > 0 {
		if final.IsZero() {
			final = explicit[0]
		} else if !explicit[0].Equal(final) {
			fields = append(fields, domain.FieldError{Field: "level_deadlines[0]", Message: "the first level's deadline is the final deadline"})
		}
	}
	if len(fields) > 0 {
		return Campaign{}, domain.Invalid("the deadlines are invalid", fields...)
	}
	c, err := s.runningCampaign(ctx, userID, id)
	if err != nil {
		return c, err
	}
	if err := s.Allow(userID, c.UnitID, objReview, "manage"); err != nil {
		return c, err
	}
	if len(explicit) == 0 {
		explicit = nil
	}
	var st contract.ReviewState
	if err := s.reviewUpdate(ctx, c.WorkflowID, contract.UpdateReviewDeadlines, contract.DeadlinesInput{
		ActorID: userID, UnitID: c.UnitID, FinalDeadline: final, Explicit: explicit, Note: domain.Clean(in.Note)}, &st, "the campaign"); err != nil {
		return c, err
	}
	return s.Store.Campaign(ctx, id)
}

// CloseCampaign ends a running campaign; the reports that have not arrived stay missing.
func (s *Service) CloseCampaign(ctx context.Context, userID int64, id, note string) (Campaign, error) {
	c, err := s.runningCampaign(ctx, userID, id)
	if err != nil {
		return c, err
	}
	if err := s.Allow(userID, c.UnitID, objReview, "manage"); err != nil {
		return c, err
	}
	var st contract.ReviewState
	if err := s.reviewUpdate(ctx, c.WorkflowID, contract.UpdateReviewClose,
		contract.CloseCampaignInput{ActorID: userID, UnitID: c.UnitID, Note: domain.Clean(note)}, &st, "the campaign"); err != nil {
		return c, err
	}
	return s.Store.Campaign(ctx, id)
}
