package review

import (
	"fmt"
	"strings"
)

// The rules of a report's user actions live here once: which actions there are,
// the permission each needs and in which unit, the states that allow each, the
// status each leads to, and the fields each requires. The report workflow's
// validator, the use cases and the report page's buttons all call them.

// UserActions are the actions users take on a report, in the order a form shows them.
var UserActions = []Action{ActionSave, ActionSubmit, ActionReturn, ActionAccept}

// ParseUserAction returns the user action named s; ok is false for any other name.
func ParseUserAction(s string) (Action, bool) {
	a := Action(s)
	return a, a.UserAction()
}

// Permission is the policy action ("review", perm) a user needs to take a, and
// whether it is checked in the parent unit (return, accept) rather than in the
// reporting unit (save, submit).
func (a Action) Permission() (perm string, inParent bool) {
	switch a {
	case ActionSubmit:
		return "submit", false
	case ActionReturn, ActionAccept:
		return "appraise", true
	}
	return "edit", false
}

// Refusal is why a report action is refused: Reason is one of the dossier core's
// refusal names (StaleVersion, WrongState, WrongUnit, InvalidAction), which the
// workflow uses as its error type.
type Refusal struct {
	Reason  string
	Field   string // the offending field of an invalid action
	Message string
}

func (r *Refusal) Error() string { return r.Message }

func refuse(reason, format string, args ...any) *Refusal {
	return &Refusal{Reason: reason, Message: fmt.Sprintf(format, args...)}
}

// CheckFields checks the fields a user action requires: a return needs a reason.
func CheckFields(a Action, reason string) *Refusal {
	if !a.UserAction() {
		return &Refusal{Reason: "InvalidAction", Field: "action", Message: "one of save, submit, return, accept"}
	}
	if a == ActionReturn && strings.TrimSpace(reason) == "" {
		return &Refusal{Reason: "InvalidAction", Field: "reason", Message: "say what must be corrected: a return needs a reason"}
	}
	return nil
}

// ReportAct is a user action on one unit's report as the rules see it.
type ReportAct struct {
	Action  Action
	ActorID int64
	UnitID  string // the unit the actor was authorised in
	Version *int   // the version the actor saw, when given
	Reason  string
}

// CheckAct decides whether a user action may be applied to a report in status
// with version, kept by unit for parent: fields, version, unit and state.
func CheckAct(status Status, version int, unit, parent string, a ReportAct) *Refusal {
	if a.ActorID == 0 {
		return refuse("InvalidAction", "no actor")
	}
	if err := CheckFields(a.Action, a.Reason); err != nil {
		return err
	}
	if a.Version != nil && *a.Version != version {
		return refuse("StaleVersion", "the report is at version %d, not %d", version, *a.Version)
	}
	if _, inParent := a.Action.Permission(); inParent {
		if a.UnitID != parent {
			return refuse("WrongUnit", "only %s, where the report is sent, may %s it", parent, a.Action)
		}
		if status != StatusSubmitted {
			return refuse("WrongState", "the report is %s, not submitted", status)
		}
		return nil
	}
	if a.UnitID != unit {
		return refuse("WrongUnit", "only %s may %s its report", unit, a.Action)
	}
	if !status.Open() {
		return refuse("WrongState", "the report is %s; only a draft or a returned report can be changed", status)
	}
	return nil
}

// NextStatus is the status a report moves to when user action a is applied.
func NextStatus(status Status, a Action) Status {
	switch a {
	case ActionSave:
		if status == StatusNotStarted {
			return StatusDraft
		}
		return status
	case ActionSubmit:
		return StatusSubmitted
	case ActionReturn:
		return StatusReturned
	case ActionAccept:
		return StatusAccepted
	}
	return status
}

// AvailableActions lists the user actions a person may take on a report now, in the
// form's order: can says whether they hold a permission in a unit.
func AvailableActions(status Status, unit, parent string, can func(unit, perm string) bool) []Action {
	out := []Action{}
	for _, a := range UserActions {
		perm, inParent := a.Permission()
		at := unit
		if inParent {
			at = parent
		}
		if at == "" || CheckAct(status, 0, unit, parent, ReportAct{Action: a, ActorID: 1, UnitID: at, Reason: "-"}) != nil {
			continue
		}
		if can(at, perm) {
			out = append(out, a)
		}
	}
	return out
}
