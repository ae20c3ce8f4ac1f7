// Package nomination is the pure core of the dossier procedure (hồ sơ đề nghị khen
// thưởng): a dossier's state and its transitions, the validation of every action
// (each required field once), which permission an action needs and in which unit,
// separation of duties and conflicts of interest by identity, the council tally,
// and the list of actions a given person may take now.
//
// It does no I/O and imports neither Temporal nor pgx, so the workflow's update
// validator, the use cases of internal/app and the web's buttons all ask it the
// same questions and get the same answers. Its types are the payloads of the
// dossier workflow: their JSON must stay compatible with recorded histories.
package nomination

import (
	"time"

	"github.com/tdkt/tdkt/internal/domain"
)

// Dossier is what the core knows of one dossier: what it was created with, and the
// state it is in now.
type Dossier struct {
	ID        string             `json:"id"`
	UnitID    string             `json:"unit_id"` // the submitting unit
	CreatedBy int64              `json:"created_by"`
	AwardCode string             `json:"award_code"`
	Procedure domain.Procedure   `json:"procedure"`
	Route     []domain.RouteStop `json:"route"`
	// ProposedSimplified is set when the submitter proposed the simplified procedure
	// (extraordinary achievements); it applies only once an appraiser confirms it at
	// intake (State.Simplified).
	ProposedSimplified bool  `json:"proposed_simplified,omitempty"`
	State              State `json:"state"`
}

// Outcome is a decider's choice for one nominee at a decide or forward step.
type Outcome struct {
	NomineeID int64  `json:"nominee_id"`
	Outcome   string `json:"outcome"` // award | forward | downgrade | reject
	AwardCode string `json:"award_code,omitempty"`
	Reason    string `json:"reason,omitempty"`
}

// NomineeRef is a nominee as the procedure tracks it. SubjectID and NameKey are
// the nominee's identity, used to keep nominees from appraising, voting on or
// deciding their own dossier.
type NomineeRef struct {
	ID        int64  `json:"id"`
	Kind      string `json:"kind"`
	Status    string `json:"status"` // pending, held, awarded, downgraded, rejected
	SubjectID int64  `json:"subject_id,omitempty"`
	NameKey   string `json:"name_key,omitempty"`
}

// Act is one action on a dossier, as the use case sends it to the workflow.
type Act struct {
	Action  domain.Action `json:"action"`
	ActorID int64         `json:"actor_id"`
	// OnBehalfOf is the user whose authority the actor uses under a delegation.
	OnBehalfOf int64 `json:"on_behalf_of,omitempty"`
	// Actor and Principal are the identities of the actor and of the delegating
	// user, for separation of duties; nil on acts sent before identities existed.
	Actor     *Person `json:"actor,omitempty"`
	Principal *Person `json:"principal,omitempty"`
	// UnitID is the unit in which the use case authorised the actor: where the open
	// step sits (the submitting unit for submit and withdraw; the consulted unit for
	// concur).
	UnitID string `json:"unit_id"`
	// Version is the dossier version the actor saw; a different one is stale.
	Version int `json:"version"`
	// AnyVersion: the actor named no version, and the action applies to the dossier
	// as it is when its turn comes (the state still decides whether it may). A retry
	// of an action whose update was lost after its record committed then finds the
	// workflow one version behind the read model and heals it: the same action plans
	// the same event, which the Record step recognises and answers again.
	AnyVersion bool `json:"any_version,omitempty"`
	// ReadModelVersion is the dossier's version in the read model when the use case
	// sent the act; it is never behind the workflow (Record commits first).
	ReadModelVersion int      `json:"read_model_version,omitempty"`
	Note             string   `json:"note,omitempty"`
	MissingItems     []string `json:"missing_items,omitempty"`
	Reason           string   `json:"reason,omitempty"`
	// Nominees is the dossier's nominee list, sent with submit (the use case reads it).
	Nominees []NomineeRef `json:"nominees,omitempty"`
	// Units are the units asked for concurrence (request_concurrence).
	Units []string `json:"units,omitempty"`
	// Answer is a concurrence answer: agree or object.
	Answer string `json:"answer,omitempty"`
	// NomineeID names the nominee of a hold or release.
	NomineeID int64 `json:"nominee_id,omitempty"`
	// Outcomes are per-nominee choices at decide and forward; a nominee not listed
	// is awarded (decide) or forwarded (forward).
	Outcomes []Outcome `json:"outcomes,omitempty"`
	// ConfirmSimplified, on accept, confirms the simplified procedure the submitter
	// proposed (extraordinary achievements).
	ConfirmSimplified bool `json:"confirm_simplified,omitempty"`
	// CouncilResult carries the tally of a closed vote to the council_result
	// transition the workflow takes by itself.
	CouncilResult string `json:"council_result,omitempty"`
	// HandoverTo, on the workflow's own handover, is the successor of the unit that
	// ended; "" sends the dossier to the next stop of its route (the level was
	// abolished).
	HandoverTo string `json:"handover_to,omitempty"`
}

// Duty is a duty a person held on a dossier at one level: prepare, appraise or
// decide. One person holds at most one duty per level.
type Duty struct {
	UserID int64  `json:"user_id"`
	Duty   string `json:"duty"`
	UnitID string `json:"unit_id"`
}

// Duties.
const (
	DutyPrepare  = "prepare"
	DutyAppraise = "appraise"
	DutyDecide   = "decide"
)

// State is the workflow's view of a dossier, returned by every update and query.
type State struct {
	Status        domain.Status     `json:"status"`
	Step          domain.Step       `json:"step,omitempty"`
	Version       int               `json:"version"`
	RouteIndex    int               `json:"route_index"`
	CurrentUnitID string            `json:"current_unit_id,omitempty"`
	Returned      int               `json:"returned"` // times returned at the current level (at most once)
	ReturnedFrom  domain.Status     `json:"returned_from,omitempty"`
	Nominees      []NomineeRef      `json:"nominees,omitempty"`
	Decisions     []domain.Decision `json:"decisions,omitempty"`
	// Simplified is set once an appraiser confirmed the proposed simplified procedure.
	Simplified bool `json:"simplified,omitempty"`
	// Duties lists who appraised and who decided or forwarded at each level; kept
	// from rules version RulesIdentity on.
	Duties []Duty `json:"duties,omitempty"`
	// Rules is the version of the procedure rules the workflow started under.
	Rules int `json:"rules,omitempty"`
	// Handovers are the stops whose unit ended while the dossier waited there and
	// the successor that took the stop over (ActionHandover).
	Handovers []domain.TaskMove `json:"handovers,omitempty"`

	// Per-level progress, reset when the dossier moves to the next level.
	ConcurrenceRound   int      `json:"concurrence_round,omitempty"`
	ConcurrencePending []string `json:"concurrence_pending,omitempty"`
	ConcurrenceDone    bool     `json:"concurrence_done,omitempty"`
	ConsultationRound  int      `json:"consultation_round,omitempty"`
	ConsultationDone   bool     `json:"consultation_done,omitempty"`
	CouncilSession     int      `json:"council_session,omitempty"`
	CouncilPassed      bool     `json:"council_passed,omitempty"`

	// The open stage's deadline and reminder, and whether they have fired.
	DueAt     *time.Time `json:"due_at,omitempty"`
	RemindAt  *time.Time `json:"remind_at,omitempty"`
	Reminded  bool       `json:"reminded,omitempty"`
	Escalated bool       `json:"escalated,omitempty"`
}

// Stop returns the route stop the dossier is at.
func (d Dossier) Stop() domain.RouteStop {
	if d.State.RouteIndex < 0 || d.State.RouteIndex >= len(d.Route) {
		return domain.RouteStop{}
	}
	return d.Route[d.State.RouteIndex]
}

// Simplified reports whether the simplified procedure applies: chosen at creation
// (dossiers of the old rules), or proposed and confirmed at intake.
func (d Dossier) Simplified() bool {
	return d.Procedure == domain.ProcedureSimplified || d.State.Simplified
}

func (d Dossier) nominee(id int64) *NomineeRef {
	for i := range d.State.Nominees {
		if d.State.Nominees[i].ID == id {
			return &d.State.Nominees[i]
		}
	}
	return nil
}
