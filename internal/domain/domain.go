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
	StatusIntake     Status = "intake"     // received by the standing body of the current level (tiếp nhận)
	StatusAppraising Status = "appraising" // with the standing body of the current level (thẩm định)
	StatusConcurring Status = "concurring" // waiting for concurrence opinions (hiệp y)
	StatusConsulting Status = "consulting" // public consultation window open (lấy ý kiến)
	StatusVoting     Status = "voting"     // the council of the current level votes (hội đồng bỏ phiếu)
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

// Step names a task that is open on a dossier: what must happen next, and by whom.
type Step string

// Steps of the procedure.
const (
	StepSubmit     Step = "submit"     // the submitting unit sends the dossier
	StepIntake     Step = "intake"     // the standing body receives it and checks it is complete
	StepAppraise   Step = "appraise"   // the standing body appraises
	StepSupplement Step = "supplement" // the submitting unit supplements and resubmits
	StepConcur     Step = "concur"     // a consulted agency gives its concurrence opinion
	StepVote       Step = "vote"       // council members vote; the chair closes the vote
	StepDecide     Step = "decide"     // the decider signs the decision
	StepForward    Step = "forward"    // the head signs the tờ trình to the next level
)

// Action is what a user (or the workflow's own timers) does to a dossier; every
// user action is one workflow update.
type Action string

// Actions.
const (
	ActionSubmit             Action = "submit"              // send (or, after a return, resend) the dossier
	ActionAccept             Action = "accept"              // intake: the dossier is complete, appraisal starts
	ActionApprove            Action = "approve"             // appraisal passed
	ActionReturn             Action = "return"              // return once with the complete list of missing items
	ActionReject             Action = "reject"              // reject with reasons
	ActionRequestConcurrence Action = "request_concurrence" // ask named units for their concurrence (hiệp y)
	ActionConcur             Action = "concur"              // a named unit answers: agree or object
	ActionComment            Action = "comment"             // a comment filed during public consultation
	ActionCloseVote          Action = "close_vote"          // the council chair (or secretary) closes the vote
	ActionHold               Action = "hold"                // put a nominee on hold (tạm hoãn)
	ActionRelease            Action = "release"             // release a held nominee
	ActionForward            Action = "forward"             // forward to the next level on the route
	ActionDecide             Action = "decide"              // issue the decision
	ActionWithdraw           Action = "withdraw"            // the submitting unit withdraws before a decision

	// Transitions the workflow takes by itself, recorded with no actor.
	ActionConsultationClosed Action = "consultation_closed" // the consultation window has closed
	ActionConcurrenceSilent  Action = "concurrence_silent"  // the concurrence deadline passed: silence is no objection
	ActionCouncilResult      Action = "council_result"      // the tallied vote moves the dossier on
	ActionHandover           Action = "handover"            // the unit it waits at ended: its successor or the next stop takes it
)

// StepRole is the role whose inbox receives a task of the given step (the vote
// step also opens a task for the council chair, who closes the vote).
func StepRole(s Step) string {
	switch s {
	case StepSubmit, StepSupplement:
		return RoleClerk
	case StepIntake, StepAppraise, StepConcur:
		return RoleAppraiser
	case StepVote:
		return RoleCouncilMember
	case StepDecide, StepForward:
		return RoleDecider
	}
	return ""
}

// Procedure is how a dossier is handled: the standard one, or the simplified one
// for extraordinary achievements (no intake, consultation or council; appraisal and
// decision only).
type Procedure string

// Procedures.
const (
	ProcedureStandard   Procedure = "standard"
	ProcedureSimplified Procedure = "simplified"
)

// NominationKind is the kind of commendation (Law art. 8).
type NominationKind string

// Kinds of commendation.
const (
	KindMerit         NominationKind = "merit"         // for merit and achievements (the annual round)
	KindExtraordinary NominationKind = "extraordinary" // đột xuất: simplified procedure
	KindMovement      NominationKind = "movement"      // at a movement's review (theo phong trào, chuyên đề)
	KindLongService   NominationKind = "long_service"  // cống hiến
	KindForeign       NominationKind = "foreign"       // đối ngoại
	KindSeniority     NominationKind = "seniority"     // niên hạn: by years of service (armed forces)
)

// NominationKinds lists the kinds of commendation in the order forms offer them.
var NominationKinds = []NominationKind{KindMerit, KindExtraordinary, KindMovement, KindLongService, KindForeign, KindSeniority}

// Valid reports whether k is a known kind.
func (k NominationKind) Valid() bool {
	switch k {
	case KindMerit, KindExtraordinary, KindMovement, KindLongService, KindForeign, KindSeniority:
		return true
	}
	return false
}

// Nominee statuses.
const (
	NomineePending    = "pending"    // still in the procedure
	NomineeHeld       = "held"       // on hold: cannot be decided until released
	NomineeAwarded    = "awarded"    // decided with the award proposed
	NomineeDowngraded = "downgraded" // decided at a lower award this level may grant
	NomineeRejected   = "rejected"   // rejected at some level
	NomineeWithdrawn  = "withdrawn"  // the dossier was withdrawn
)

// RouteStop is one level a dossier passes on its way to the deciding level, with
// what happens there according to the authority matrix.
type RouteStop struct {
	UnitID   string `json:"unit_id"`
	UnitName string `json:"unit_name"`
	Level    string `json:"level"`
	Decides  bool   `json:"decides"` // the last stop decides; the others forward
	// Council: the level's council votes before the decision or the forwarding.
	Council bool `json:"council,omitempty"`
	// ConsultationDays: a public consultation window of this many working days
	// opens after the appraisal.
	ConsultationDays int `json:"consultation_days,omitempty"`
	// Concurrence: the appraisal needs concurrence opinions (hiệp y) first.
	Concurrence bool `json:"concurrence,omitempty"`
	// ValidTo is the day (yyyy-mm-dd, exclusive) the unit stops existing, when a
	// reform abolishes it; a dossier forwarded after that day skips the stop.
	ValidTo string `json:"valid_to,omitempty"`
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
	AwardCode    string      `json:"award_code,omitempty"` // the award after a downgrade
	HoldReason   string      `json:"hold_reason,omitempty"`
	SubjectID    *int64      `json:"subject_id,omitempty"` // the subject whose history is checked (internal/history)
	// Enterprise: the collective is an enterprise (doanh nghiệp); collectives only.
	Enterprise bool `json:"enterprise,omitempty"`
	// LeadershipLevel is an individual's category on the statistics forms; empty
	// for collectives, households and individuals whose category is not stated.
	LeadershipLevel LeadershipLevel `json:"leadership_level,omitempty"`
}

// LeadershipLevel is the category of an individual nominee in the subject
// breakdown of the statistics forms 0602.N and 0603.N (Thông tư 02/2023/TT-BNV):
// leaders by level, businesspeople, workers and farmers, others. The categories
// are tdkt's reading of the forms; "" is an individual whose category was not
// stated (every nominee entered before migration 0021).
type LeadershipLevel string

// Leadership levels, in the forms' column order.
const (
	LeaderCentral    LeadershipLevel = "leader_central"    // lãnh đạo cấp bộ, tỉnh và tương đương trở lên
	LeaderDepartment LeadershipLevel = "leader_department" // lãnh đạo cấp vụ, sở, huyện và tương đương
	LeaderDivision   LeadershipLevel = "leader_division"   // lãnh đạo cấp phòng, xã và tương đương
	LevelBusiness    LeadershipLevel = "businessperson"    // doanh nhân
	LevelWorker      LeadershipLevel = "worker"            // công nhân, nông dân, người lao động trực tiếp
	LevelOther       LeadershipLevel = "other"             // cá nhân khác
	LevelNotStated   LeadershipLevel = ""                  // chưa ghi
)

// LeadershipLevels lists the categories in the forms' column order, not stated last.
var LeadershipLevels = []LeadershipLevel{LeaderCentral, LeaderDepartment, LeaderDivision, LevelBusiness, LevelWorker, LevelOther, LevelNotStated}

// Valid reports whether l is a known category (not stated included).
func (l LeadershipLevel) Valid() bool {
	for _, x := range LeadershipLevels {
		if l == x {
			return true
		}
	}
	return false
}

// Label is the category's Vietnamese name, as the forms' column headers and the
// nominee list spreadsheet write it.
func (l LeadershipLevel) Label() string {
	switch l {
	case LeaderCentral:
		return "Lãnh đạo cấp bộ, tỉnh trở lên"
	case LeaderDepartment:
		return "Lãnh đạo cấp vụ, sở, huyện"
	case LeaderDivision:
		return "Lãnh đạo cấp phòng, xã"
	case LevelBusiness:
		return "Doanh nhân"
	case LevelWorker:
		return "Công nhân, nông dân, người lao động trực tiếp"
	case LevelOther:
		return "Cá nhân khác"
	case LevelNotStated:
		return "Chưa ghi"
	}
	return string(l)
}

// Nomination is a dossier (hồ sơ đề nghị khen thưởng) as the read model holds it.
type Nomination struct {
	ID string `json:"id"`
	// Code is the dossier's number in its unit and year (số hồ sơ), e.g.
	// LS-09-003/2026/0012, assigned once when it is created (migration 0017).
	Code          string      `json:"code"`
	WorkflowID    string      `json:"workflow_id"`
	UnitID        string      `json:"unit_id"`
	UnitName      string      `json:"unit_name"`
	AwardCode     string      `json:"award_code"`
	AwardName     string      `json:"award_name"`
	Kind          string      `json:"kind"`
	Procedure     string      `json:"procedure"`
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
	StageDueAt    *time.Time  `json:"stage_due_at,omitempty"`
	Nominees      []Nominee   `json:"nominees,omitempty"`
	// NomineeCount is the number of nominees, also where Nominees is not read (lists).
	NomineeCount int `json:"nominee_count"`
	// Decision is the latest decision; Decisions lists all (a downgrade decided at an
	// intermediate level, a held nominee decided later).
	Decision  *Decision  `json:"decision,omitempty"`
	Decisions []Decision `json:"decisions,omitempty"`
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
	// Awardees lists who received what, with the bonus in VND (nil where the award
	// has no multiplier set).
	Awardees     []Awardee  `json:"awardees,omitempty"`
	RevokedAt    *time.Time `json:"revoked_at,omitempty"`
	RevokeGround string     `json:"revoke_ground,omitempty"`
}

// Awardee is one nominee in a decision.
type Awardee struct {
	NomineeID int64  `json:"nominee_id"`
	Name      string `json:"name,omitempty"`
	Kind      string `json:"kind,omitempty"`
	AwardCode string `json:"award_code"`
	BonusVND  *int64 `json:"bonus_vnd,omitempty"`
	Recovered bool   `json:"recovered,omitempty"`
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
	AssigneeID      *int64     `json:"assignee_id,omitempty"`
}

// AuditEvent is one row of the append-only history of a dossier.
type AuditEvent struct {
	Seq       int       `json:"seq"`
	At        time.Time `json:"at"`
	ActorID   int64     `json:"actor_id,omitempty"`
	ActorName string    `json:"actor_name,omitempty"`
	// OnBehalfOf is the user whose authority the actor used under a delegation.
	OnBehalfOf     int64          `json:"on_behalf_of,omitempty"`
	OnBehalfOfName string         `json:"on_behalf_of_name,omitempty"`
	Action         string         `json:"action"`
	FromStatus     string         `json:"from_status,omitempty"`
	ToStatus       string         `json:"to_status,omitempty"`
	UnitID         string         `json:"unit_id,omitempty"`
	Details        map[string]any `json:"details,omitempty"`
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
	// GrantedBy is the administrator who granted it (0 for the seed and older grants).
	GrantedBy int64 `json:"granted_by,omitempty"`
}
