// Package contract is what the use cases and the workflows agree on: the workflow
// and update names, the task queue, the inputs the use cases send and the states the
// workflows answer with, and the error types of refused updates. It holds no logic,
// so that the feature packages can start and drive workflows without importing them
// (the workflows import the activities, which write through the feature packages' SQL).
package contract

import (
	"time"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/nomination"
	"github.com/tdkt/tdkt/internal/review"
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

// Errors the act update's validator and handler return; the API maps them to
// 409 (stale, wrong state, wrong unit), 400 (invalid) and 403 (separation of
// duties). They are non-retryable application errors whose Type is the name below.
const (
	ErrTypeStaleVersion = string(nomination.StaleVersion)
	ErrTypeWrongState   = string(nomination.WrongState)
	ErrTypeWrongUnit    = string(nomination.WrongUnit)
	ErrTypeInvalid      = string(nomination.Invalid)
	ErrTypeSeparation   = string(nomination.Separation)
)

// NominationWorkflowID is the workflow ID of a dossier: one workflow per dossier.
func NominationWorkflowID(nominationID string) string { return "nomination-" + nominationID }

// NominationInput starts the workflow of a dossier that the API has created in draft.
type NominationInput struct {
	NominationID string             `json:"nomination_id"`
	UnitID       string             `json:"unit_id"` // the submitting unit
	CreatedBy    int64              `json:"created_by"`
	AwardCode    string             `json:"award_code"`
	Procedure    domain.Procedure   `json:"procedure"`
	Route        []domain.RouteStop `json:"route"`
	// ProposedSimplified: the submitter proposed the simplified procedure, which
	// applies once an appraiser confirms it at intake.
	ProposedSimplified bool `json:"proposed_simplified,omitempty"`
	// Revision is the revision of the workflow code the dossier started under, set
	// by whoever starts it to NominationRevision. 0 (dossiers started before
	// revisions existed) leaves the behaviours below to the version markers their
	// histories hold. From 1, the identity rules and the handover on a unit's end
	// are on from the start without a version marker: a marker costs a history event
	// and an upsert of the TemporalChangeVersion search attribute (a visibility
	// write) on every new dossier.
	Revision int `json:"revision,omitempty"`
}

// NominationRevision is the revision new dossiers start under (see
// NominationInput.Revision). Workers must be deployed before the API servers that
// start dossiers under a new revision.
const NominationRevision = 1

// The workflow's payloads are the nomination core's types.
type (
	// NominationState is the workflow's view of a dossier (nomination.State).
	NominationState = nomination.State
	// ActInput is one action on a dossier, sent as the act update (nomination.Act).
	ActInput = nomination.Act
	// Outcome is a decider's choice for one nominee (nomination.Outcome).
	Outcome = nomination.Outcome
	// NomineeRef is a nominee as the workflow tracks it (nomination.NomineeRef).
	NomineeRef = nomination.NomineeRef
)

// Names of the review workflows (sơ kết, tổng kết) and their messages.
const (
	// ReviewCampaignWorkflowName is the workflow of a campaign: the requesting unit's
	// node of the tree, which plans the deadlines and collects its children's reports.
	ReviewCampaignWorkflowName = "ReviewCampaignWorkflow"
	// UnitReviewWorkflowName is the workflow of one unit's report; it starts one child
	// per unit that reports to it.
	UnitReviewWorkflowName = "UnitReviewWorkflow"
	// ScheduledReviewWorkflowName is what a recurring review schedule starts.
	ScheduledReviewWorkflowName = "ScheduledReviewWorkflow"

	// UpdateReviewAct carries save, submit, return and accept on a unit's report.
	UpdateReviewAct = "review-act"
	// UpdateReviewClose closes a campaign (root only).
	UpdateReviewClose = "review-close"
	// UpdateReviewDeadlines changes a campaign's deadlines (root only).
	UpdateReviewDeadlines = "review-deadlines"
	// SignalChildReport tells a parent that a child's report changed status.
	SignalChildReport = "review-child"
	// SignalReviewPlan carries a changed deadline plan down the tree.
	SignalReviewPlan = "review-plan"
	// QueryReviewState returns a node's ReviewState.
	QueryReviewState = "review-state"
)

// CampaignInput starts a campaign's workflow, once its rows are stored.
type CampaignInput struct {
	CampaignID string `json:"campaign_id"`
	UnitID     string `json:"unit_id"` // the requesting unit
}

// UnitReviewInput starts one unit's report workflow.
type UnitReviewInput struct {
	CampaignID       string             `json:"campaign_id"`
	UnitID           string             `json:"unit_id"`
	ParentUnitID     string             `json:"parent_unit_id"`
	ParentWorkflowID string             `json:"parent_workflow_id"`
	Depth            int                `json:"depth"`
	Plan             []review.LevelPlan `json:"plan"`
}

// ReviewActInput is one user action on a report, sent as the review-act update.
type ReviewActInput struct {
	Action  review.Action `json:"action"`
	ActorID int64         `json:"actor_id"`
	// UnitID is where the API authorised the actor: the reporting unit for save and
	// submit, its parent for return and accept.
	UnitID string `json:"unit_id"`
	// Version, when set, is the report version the actor saw; a different one is
	// stale. Unset, the action applies to the report as it is when its turn comes.
	Version *int          `json:"version,omitempty"`
	Values  review.Values `json:"values,omitzero"`
	Clear   []string      `json:"clear,omitempty"`
	Reason  string        `json:"reason,omitempty"`
	Note    string        `json:"note,omitempty"`
}

// CloseCampaignInput closes a campaign; missing reports stay missing.
type CloseCampaignInput struct {
	ActorID int64  `json:"actor_id"`
	UnitID  string `json:"unit_id"`
	Note    string `json:"note,omitempty"`
}

// DeadlinesInput changes a campaign's deadlines (gia hạn): a new final deadline, or
// explicit deadlines for the first levels; deeper levels are recomputed.
type DeadlinesInput struct {
	ActorID       int64       `json:"actor_id"`
	UnitID        string      `json:"unit_id"`
	FinalDeadline time.Time   `json:"final_deadline,omitzero"`
	Explicit      []time.Time `json:"explicit,omitempty"`
	Note          string      `json:"note,omitempty"`
}

// ChildReport is what a unit's workflow tells its parent when its report changes status.
type ChildReport struct {
	UnitID string        `json:"unit_id"`
	Status review.Status `json:"status"`
	// Seq is the seq of the child's event that set Status; the parent ignores a report
	// older than one it has taken. Zero in reports sent before it existed.
	Seq int `json:"seq,omitempty"`
	// Complete says that with this report every unit reporting to the parent has
	// reported: the parent reloads all its children's statuses (the ChildReports
	// local activity) instead of taking this one alone. From
	// review-tell-parent-async version 3 a child tells its parent of nothing else.
	Complete bool `json:"complete,omitempty"`
}

// ReviewState is a node's view of its report, returned by every update and the query.
type ReviewState struct {
	Status    review.Status `json:"status"`
	Version   int           `json:"version"`
	Seq       int           `json:"seq"`
	Late      bool          `json:"late,omitempty"`
	Prefilled bool          `json:"prefilled,omitempty"`
	Reminded  bool          `json:"reminded,omitempty"`
	Overdue   bool          `json:"overdue,omitempty"`
	Children  int           `json:"children"`
	// Reported counts the children's reports as the workflow last heard of them: a
	// unit started at review-tell-parent-async version 3 or later tells its parent
	// only of the submission completing the parent's set, so between two complete
	// sets the count may lag. The report's row in PostgreSQL (children_reported,
	// what the pages show) is the live count.
	Reported int `json:"reported"`
	Done     int `json:"done"`
}

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

// SignalReorganised tells a dossier's workflow that a reorganisation was recorded:
// the unit it waits at may now have an end, which it reads again.
const SignalReorganised = "reorganised"
