package domain

import "time"

// TaskSpec is a task a transition opens: a step waiting for a role in a unit.
type TaskSpec struct {
	Step   Step   `json:"step"`
	UnitID string `json:"unit_id"`
	Role   string `json:"role"`
}

// TaskKey names open tasks a transition closes.
type TaskKey struct {
	Step   Step   `json:"step"`
	UnitID string `json:"unit_id"`
}

// NomineeOutcome is what a level did with one nominee of a batch dossier.
type NomineeOutcome struct {
	NomineeID int64  `json:"nominee_id"`
	Outcome   string `json:"outcome"` // forwarded, awarded, downgraded, rejected, held, released
	AwardCode string `json:"award_code,omitempty"`
	Reason    string `json:"reason,omitempty"`
}

// DecisionSpec asks the Record step to issue a numbered decision in UnitID for the
// awardees, with bonus amounts computed from the base salary in force that day.
type DecisionSpec struct {
	UnitID   string    `json:"unit_id"`
	Awardees []Awardee `json:"awardees"`
}

// Transition is one step of a dossier's workflow as the Record activity writes it:
// the dossier's new projection, the tasks it closes and opens, per-nominee
// outcomes, a decision or submission letter, concurrence, consultation and council
// records, and the audit event. (NominationID, Seq) makes it idempotent.
type Transition struct {
	NominationID  string    `json:"nomination_id"`
	Seq           int       `json:"seq"` // the dossier's new version
	At            time.Time `json:"at"`
	ActorID       int64     `json:"actor_id"`               // 0 for the workflow's own transitions
	OnBehalfOf    int64     `json:"on_behalf_of,omitempty"` // acting under a delegation from this user
	Action        Action    `json:"action"`
	FromStatus    Status    `json:"from_status"`
	ToStatus      Status    `json:"to_status"`
	Step          Step      `json:"step"`            // the main step now open; "" when closed
	UnitID        string    `json:"unit_id"`         // the unit the action was taken in
	CurrentUnitID string    `json:"current_unit_id"` // where the dossier now sits; "" when closed
	RouteIndex    int       `json:"route_index"`
	MissingItems  []string  `json:"missing_items,omitempty"`
	// Act is the action as the workflow applied it (JSON of nomination.Act), kept with
	// the audit event so that a workflow which lost the update of a committed record
	// can apply it again (nomination.Behind).
	Act any `json:"act,omitempty"`
	// Procedure, when set, is the procedure the dossier follows from now on (the
	// simplified one, confirmed at intake).
	Procedure Procedure `json:"procedure,omitempty"`
	Reason    string    `json:"reason,omitempty"`
	Note      string    `json:"note,omitempty"`

	// CloseAll closes every open task; otherwise Close lists the ones to close.
	CloseAll bool       `json:"close_all,omitempty"`
	Close    []TaskKey  `json:"close,omitempty"`
	Open     []TaskSpec `json:"open,omitempty"`

	Outcomes []NomineeOutcome `json:"outcomes,omitempty"`
	Decision *DecisionSpec    `json:"decision,omitempty"`
	// LetterTo, when set, records a numbered submission letter (tờ trình) from
	// UnitID to this unit.
	LetterTo string `json:"letter_to,omitempty"`

	// Concurrence (hiệp y): open requests to units, record an answer, or mark the
	// unanswered ones silent after the deadline.
	ConcurrenceRound   int      `json:"concurrence_round,omitempty"`
	ConcurrenceUnits   []string `json:"concurrence_units,omitempty"`
	ConcurrenceAnswer  string   `json:"concurrence_answer,omitempty"` // agree | object, from UnitID
	ConcurrenceSilence bool     `json:"concurrence_silence,omitempty"`

	// Consultation (lấy ý kiến): open a window of ConsultationDays working days, or
	// file a comment in the open round.
	ConsultationRound int    `json:"consultation_round,omitempty"`
	ConsultationDays  int    `json:"consultation_days,omitempty"`
	Comment           string `json:"comment,omitempty"`

	// Council: open vote session CouncilSession in CurrentUnitID, or close and
	// tally it (CouncilClose).
	CouncilSession int    `json:"council_session,omitempty"`
	CouncilOpen    bool   `json:"council_open,omitempty"`
	CouncilClose   bool   `json:"council_close,omitempty"`
	AwardCode      string `json:"award_code,omitempty"`

	// MoveTasks hands the dossier's open tasks, with their due dates, from a unit
	// that ended to its successor (ActionHandover).
	MoveTasks *TaskMove `json:"move_tasks,omitempty"`
}

// TaskMove names the unit whose open tasks move and the unit that takes them.
type TaskMove struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// CouncilResult is the tally of a closed vote session.
type CouncilResult struct {
	Session int    `json:"session"`
	Members int    `json:"members"` // eligible (not recused)
	Present int    `json:"present"`
	Yes     int    `json:"yes"`
	No      int    `json:"no"`
	Abstain int    `json:"abstain"`
	Result  string `json:"result"` // passed, failed, no_quorum
}

// RecordResult is what the Record activity reports back to the workflow.
type RecordResult struct {
	Decision *Decision      `json:"decision,omitempty"`
	Letter   string         `json:"letter,omitempty"` // code of the submission letter
	Council  *CouncilResult `json:"council,omitempty"`
	// DueAt is when the stage now open must end (the main task's due date, the
	// consultation window's close, the concurrence deadline); RemindAt is when its
	// assignees are reminded. Both are nil when nothing is due.
	DueAt    *time.Time `json:"due_at,omitempty"`
	RemindAt *time.Time `json:"remind_at,omitempty"`
}
