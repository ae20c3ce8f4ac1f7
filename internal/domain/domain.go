// Package domain holds the types every part of tdkt speaks: units, nominations
// (hồ sơ đề nghị) and their nominees, the steps of the procedure, tasks, decisions
// and audit events, plus the one application error type. It has no dependencies on
// storage, HTTP or Temporal, so the workflow code can use it deterministically.
package domain

import "time"

// Roles a user can hold in a unit. The policy (policies/policy.csv) says what each may do.
const (
	RoleClerk            = "clerk"             // prepares and submits dossiers (văn thư, cán bộ TĐKT)
	RoleUnitHead         = "unit_head"         // signs submissions (thủ trưởng đơn vị)
	RoleAppraiser        = "appraiser"         // standing body (cơ quan thường trực) appraises
	RoleCouncilMember    = "council_member"    // member of the council (hội đồng TĐKT)
	RoleCouncilSecretary = "council_secretary" // keeps the council's minutes
	RoleCouncilChair     = "council_chair"     // chairs the council
	RoleDecider          = "decider"           // head who signs decisions (người có thẩm quyền quyết định)
	RoleAdmin            = "admin"             // manages units, users, roles, catalogue
	RoleAuditor          = "auditor"           // read-only
)

// AllRoles lists every role, in the order the API and the tests present them.
var AllRoles = []string{RoleClerk, RoleUnitHead, RoleAppraiser, RoleCouncilMember, RoleCouncilSecretary,
	RoleCouncilChair, RoleDecider, RoleAdmin, RoleAuditor}

// NomineeKind says who is nominated (đối tượng đề nghị).
type NomineeKind string

// Nominee kinds.
const (
	NomineeIndividual NomineeKind = "individual" // cá nhân
	NomineeCollective NomineeKind = "collective" // tập thể
	NomineeHousehold  NomineeKind = "household"  // hộ gia đình
)

// Valid reports whether k is a known nominee kind.
func (k NomineeKind) Valid() bool {
	return k == NomineeIndividual || k == NomineeCollective || k == NomineeHousehold
}

// Status is where a dossier stands in the procedure.
type Status string

// Dossier statuses.
const (
	StatusDraft      Status = "draft"      // being prepared by the submitting unit
	StatusAppraising Status = "appraising" // with the standing body of the current level (thẩm định)
	StatusReturned   Status = "returned"   // returned for supplementation (trả lại, yêu cầu bổ sung)
	StatusDeciding   Status = "deciding"   // with the decider of the level that decides the award
	StatusForwarding Status = "forwarding" // with the head of an intermediate level, to sign the tờ trình up
	StatusDecided    Status = "decided"    // decision issued (quyết định khen thưởng)
	StatusRejected   Status = "rejected"   // rejected with written reasons
	StatusWithdrawn  Status = "withdrawn"  // withdrawn by the submitting unit
)

// Terminal reports whether no further action can change a dossier in this status.
func (s Status) Terminal() bool {
	return s == StatusDecided || s == StatusRejected || s == StatusWithdrawn
}

// Step names the task that is open on a dossier: what must happen next, and by whom.
type Step string

// Steps of the standard procedure.
const (
	StepSubmit     Step = "submit"     // the submitting unit sends the dossier
	StepAppraise   Step = "appraise"   // the standing body appraises
	StepSupplement Step = "supplement" // the submitting unit supplements and resubmits
	StepDecide     Step = "decide"     // the decider signs the decision
	StepForward    Step = "forward"    // the head signs the tờ trình to the next level
)

// Action is what a user does to a dossier; every action is one workflow update.
type Action string

// Actions.
const (
	ActionSubmit   Action = "submit"   // send (or, after a return, resend) the dossier
	ActionApprove  Action = "approve"  // appraisal passed
	ActionReturn   Action = "return"   // return once with the complete list of missing items
	ActionReject   Action = "reject"   // reject with reasons
	ActionForward  Action = "forward"  // forward to the next level on the route
	ActionDecide   Action = "decide"   // issue the decision
	ActionWithdraw Action = "withdraw" // the submitting unit withdraws before a decision
)

// Permission returns the policy action a user needs to perform a, and whether the
// check is made in the submitting unit (true) or the level currently holding the dossier.
func (a Action) Permission() (perm string, inSubmittingUnit bool, ok bool) {
	switch a {
	case ActionSubmit:
		return "submit", true, true
	case ActionWithdraw:
		return "withdraw", true, true
	case ActionApprove, ActionReturn, ActionReject:
		return "appraise", false, true
	case ActionForward:
		return "forward", false, true
	case ActionDecide:
		return "decide", false, true
	}
	return "", false, false
}

// StepRole is the role whose inbox receives a task of the given step.
func StepRole(s Step) string {
	switch s {
	case StepSubmit, StepSupplement:
		return RoleClerk
	case StepAppraise:
		return RoleAppraiser
	case StepDecide, StepForward:
		return RoleDecider
	}
	return ""
}

// RouteStop is one level a dossier passes on its way to the deciding level.
type RouteStop struct {
	UnitID   string `json:"unit_id"`
	UnitName string `json:"unit_name"`
	Level    string `json:"level"`
	Decides  bool   `json:"decides"` // the last stop decides; the others forward
}

// Unit is a node of the organisation tree (đơn vị).
type Unit struct {
	ID       string     `json:"id"`
	ParentID string     `json:"parent_id,omitempty"`
	Name     string     `json:"name"`
	Level    string     `json:"level"`
	Kind     string     `json:"kind"`
	Subkind  string     `json:"subkind,omitempty"`
	ValidTo  *time.Time `json:"valid_to,omitempty"`
}

// Award is an entry of the award catalogue (danh hiệu thi đua, hình thức khen thưởng).
type Award struct {
	Code            string   `json:"code"`
	Name            string   `json:"name"`
	Category        string   `json:"category"`
	NomineeKinds    []string `json:"nominee_kinds"`
	BonusMultiplier *float64 `json:"bonus_multiplier,omitempty"`
}

// AllowsKind reports whether the award may be given to a nominee of kind k.
func (a Award) AllowsKind(k NomineeKind) bool {
	for _, nk := range a.NomineeKinds {
		if nk == string(k) {
			return true
		}
	}
	return false
}

// Nominee is a person, collective or household proposed in a dossier (đối tượng đề nghị).
type Nominee struct {
	ID           int64       `json:"id"`
	Position     int         `json:"position"`
	Kind         NomineeKind `json:"kind"`
	Name         string      `json:"name"`
	JobTitle     string      `json:"job_title,omitempty"`
	Organisation string      `json:"organisation,omitempty"`
	Achievements string      `json:"achievements,omitempty"`
	Status       string      `json:"status"`
}

// Nomination is a dossier (hồ sơ đề nghị khen thưởng) as the read model holds it.
type Nomination struct {
	ID            string      `json:"id"`
	WorkflowID    string      `json:"workflow_id"`
	UnitID        string      `json:"unit_id"`
	UnitName      string      `json:"unit_name"`
	AwardCode     string      `json:"award_code"`
	AwardName     string      `json:"award_name"`
	Year          int         `json:"year"`
	Title         string      `json:"title"`
	Status        Status      `json:"status"`
	CurrentStep   Step        `json:"current_step,omitempty"`
	CurrentUnitID string      `json:"current_unit_id,omitempty"`
	Route         []RouteStop `json:"route"`
	RouteIndex    int         `json:"route_index"`
	Version       int         `json:"version"`
	MissingItems  []string    `json:"missing_items"`
	Reason        string      `json:"reason,omitempty"`
	CreatedBy     int64       `json:"created_by"`
	CreatedAt     time.Time   `json:"created_at"`
	UpdatedAt     time.Time   `json:"updated_at"`
	SubmittedAt   *time.Time  `json:"submitted_at,omitempty"`
	ClosedAt      *time.Time  `json:"closed_at,omitempty"`
	Nominees      []Nominee   `json:"nominees,omitempty"`
	Decision      *Decision   `json:"decision,omitempty"`
}

// Decision is a numbered award decision (quyết định khen thưởng).
type Decision struct {
	NominationID string    `json:"nomination_id"`
	UnitID       string    `json:"unit_id"`
	Year         int       `json:"year"`
	Number       int       `json:"number"`
	Code         string    `json:"code"`
	SignedBy     int64     `json:"signed_by"`
	SignedOn     string    `json:"signed_on"` // yyyy-mm-dd
	CreatedAt    time.Time `json:"created_at"`
}

// Task is an inbox entry: a step of a dossier waiting for a role in a unit.
type Task struct {
	ID              int64      `json:"id"`
	NominationID    string     `json:"nomination_id"`
	NominationTitle string     `json:"nomination_title"`
	AwardCode       string     `json:"award_code"`
	Status          Status     `json:"nomination_status"`
	Version         int        `json:"version"`
	Step            Step       `json:"step"`
	UnitID          string     `json:"unit_id"`
	UnitName        string     `json:"unit_name"`
	Role            string     `json:"role"`
	DueAt           *time.Time `json:"due_at,omitempty"`
	CreatedAt       time.Time  `json:"created_at"`
	Overdue         bool       `json:"overdue"`
}

// AuditEvent is one row of the append-only history of a dossier.
type AuditEvent struct {
	Seq        int            `json:"seq"`
	At         time.Time      `json:"at"`
	ActorID    int64          `json:"actor_id,omitempty"`
	ActorName  string         `json:"actor_name,omitempty"`
	Action     string         `json:"action"`
	FromStatus string         `json:"from_status,omitempty"`
	ToStatus   string         `json:"to_status,omitempty"`
	UnitID     string         `json:"unit_id,omitempty"`
	Details    map[string]any `json:"details,omitempty"`
}

// User is an account; Roles lists where it holds which role.
type User struct {
	ID       int64            `json:"id"`
	Username string           `json:"username"`
	FullName string           `json:"full_name"`
	UnitID   string           `json:"unit_id"`
	Roles    []RoleAssignment `json:"roles"`
}

// RoleAssignment is a role held in a unit.
type RoleAssignment struct {
	Role     string `json:"role"`
	UnitID   string `json:"unit_id"`
	UnitName string `json:"unit_name,omitempty"`
}
