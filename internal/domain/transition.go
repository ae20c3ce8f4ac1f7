package domain

import "time"

// Transition is one step of a dossier's workflow as the Record activity writes it:
// the new projection of the dossier, the task it closes and the one it opens, the
// decision it issues, and the audit event. (NominationID, Seq) makes it idempotent.
type Transition struct {
	NominationID  string    `json:"nomination_id"`
	Seq           int       `json:"seq"` // the dossier's new version
	At            time.Time `json:"at"`
	ActorID       int64     `json:"actor_id"`
	Action        Action    `json:"action"`
	FromStatus    Status    `json:"from_status"`
	ToStatus      Status    `json:"to_status"`
	Step          Step      `json:"step"`            // the step now open; "" when closed
	UnitID        string    `json:"unit_id"`         // the unit the action was taken in
	CurrentUnitID string    `json:"current_unit_id"` // where the open step sits; "" when closed
	RouteIndex    int       `json:"route_index"`
	MissingItems  []string  `json:"missing_items,omitempty"`
	Reason        string    `json:"reason,omitempty"`
	Note          string    `json:"note,omitempty"`
	// Decide, when set, issues a numbered decision in DecisionUnitID for the year of At.
	Decide         bool   `json:"decide,omitempty"`
	DecisionUnitID string `json:"decision_unit_id,omitempty"`
}

// RecordResult is what the Record activity reports back to the workflow.
type RecordResult struct {
	Decision *Decision `json:"decision,omitempty"`
}
