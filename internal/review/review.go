// Package review is the pure core of periodic reviews (sơ kết, tổng kết) of emulation
// movements (phong trào thi đua): indicator templates as data, the figures a unit
// reports, how they aggregate up the unit tree (sums; percentages recomputed from
// summed numerators and denominators, never averaged; narrative sections compiled per
// unit), the deadline plan of a campaign on the working-day calendar, Vietnamese number
// formatting and the DOCX export. It does no I/O, so the workflows, the store and the
// API share it.
package review

import (
	"time"
)

// CampaignKind is the kind of a review campaign (đợt sơ kết, tổng kết).
type CampaignKind string

// Campaign kinds.
const (
	KindAnnual  CampaignKind = "annual"  // sơ kết (tổng kết) năm
	KindMidterm CampaignKind = "midterm" // sơ kết giữa kỳ
	KindFinal   CampaignKind = "final"   // tổng kết
)

// Valid reports whether k is a known campaign kind.
func (k CampaignKind) Valid() bool { return k == KindAnnual || k == KindMidterm || k == KindFinal }

// Title is the Vietnamese name of the kind, as a report's subject starts.
func (k CampaignKind) Title() string {
	switch k {
	case KindAnnual:
		return "Sơ kết năm"
	case KindMidterm:
		return "Sơ kết giữa kỳ"
	case KindFinal:
		return "Tổng kết"
	}
	return string(k)
}

// Status is where one unit's report of a campaign stands. The root of a campaign (the
// requesting unit) is collecting until the campaign completes or is closed.
type Status string

// Report statuses.
const (
	StatusNotStarted Status = "not_started" // chưa thực hiện
	StatusDraft      Status = "draft"       // đang soạn (or pre-filled with the aggregate)
	StatusSubmitted  Status = "submitted"   // đã gửi lên cấp trên
	StatusReturned   Status = "returned"    // bị trả lại để chỉnh sửa
	StatusAccepted   Status = "accepted"    // cấp trên đã tiếp nhận
	StatusCollecting Status = "collecting"  // root: collecting its children's reports
	StatusCompleted  Status = "completed"   // root: every report accepted
	StatusClosed     Status = "closed"      // root: closed by the requesting unit
	// StatusOverdue is never stored: a report that is still open after its deadline is
	// shown as overdue (quá hạn).
	StatusOverdue Status = "overdue"
)

// Reported reports whether the report counts as arrived at the parent: submitted or
// accepted. A returned report does not count until it is submitted again.
func (s Status) Reported() bool { return s == StatusSubmitted || s == StatusAccepted }

// Open reports whether the unit still has to submit: not started, draft or returned.
func (s Status) Open() bool {
	return s == StatusNotStarted || s == StatusDraft || s == StatusReturned
}

// Shown is the status a dashboard shows: an open report past its deadline is overdue.
func Shown(s Status, deadline *time.Time, now time.Time) Status {
	if s.Open() && deadline != nil && now.After(*deadline) {
		return StatusOverdue
	}
	return s
}

// Action is what happens to a report; every action is one recorded event.
type Action string

// Actions. Save, submit, return and accept come from users; the rest from the workflows.
const (
	ActionSave      Action = "save"      // save the draft (lưu nháp)
	ActionSubmit    Action = "submit"    // submit to the parent (gửi báo cáo)
	ActionReturn    Action = "return"    // the parent returns it with a reason (trả lại)
	ActionAccept    Action = "accept"    // the parent accepts it (tiếp nhận)
	ActionPrefill   Action = "prefill"   // the draft is pre-filled with the children's aggregate
	ActionRemind    Action = "remind"    // reminder before the deadline (nhắc hạn)
	ActionOverdue   Action = "overdue"   // the deadline passed without a report (quá hạn)
	ActionPlan      Action = "plan"      // root: the deadline plan is set
	ActionDeadlines Action = "deadlines" // root: the requesting unit changed the deadlines
	ActionComplete  Action = "complete"  // root: every report accepted
	ActionClose     Action = "close"     // root: the requesting unit closed the campaign
)

// UserAction reports whether a is taken by a user through the API.
func (a Action) UserAction() bool {
	return a == ActionSave || a == ActionSubmit || a == ActionReturn || a == ActionAccept
}

// ByParent reports whether a is taken in the parent unit (return, accept) rather than in
// the reporting unit (save, submit).
func (a Action) ByParent() bool { return a == ActionReturn || a == ActionAccept }

// Transition is one event of a report as the Record activity writes it: the new
// status and version, the content the user sent, and for root events the deadline
// plan. (Campaign, unit, Seq) makes it idempotent.
type Transition struct {
	CampaignID string    `json:"campaign_id"`
	UnitID     string    `json:"unit_id"`
	Seq        int       `json:"seq"`     // the report's event number, from 1
	Version    int       `json:"version"` // the content version after this event
	At         time.Time `json:"at"`
	ActorID    int64     `json:"actor_id,omitempty"` // 0 for the workflow itself
	Action     Action    `json:"action"`
	FromStatus Status    `json:"from_status"`
	ToStatus   Status    `json:"to_status"`
	// Values are merged into the report's figures on save and submit; Clear removes codes.
	Values Values   `json:"values,omitzero"`
	Clear  []string `json:"clear,omitempty"`
	Reason string   `json:"reason,omitempty"`
	Note   string   `json:"note,omitempty"`
	// Plan is the deadline plan, for plan and deadlines events.
	Plan []LevelPlan `json:"plan,omitempty"`
}

// RecordResult is what the Record activity reports back to the workflow.
type RecordResult struct {
	Status  Status `json:"status"`
	Version int    `json:"version"`
	Late    bool   `json:"late,omitempty"` // a submission after the deadline
	// ParentComplete is set on a child's submission after which every unit that
	// reports to its parent has reported (submitted or accepted): the one report of
	// a child its parent's workflow must hear of (see the workflow's
	// reviewTellParentOnComplete).
	ParentComplete bool `json:"parent_complete,omitempty"`
}
