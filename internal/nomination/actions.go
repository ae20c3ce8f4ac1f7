package nomination

import (
	"fmt"
	"slices"

	"github.com/tdkt/tdkt/internal/domain"
)

// StepActions lists the actions that complete each step's task, in the order a
// form shows them.
var StepActions = map[domain.Step][]domain.Action{
	domain.StepSubmit:     {domain.ActionSubmit, domain.ActionWithdraw},
	domain.StepSupplement: {domain.ActionSubmit, domain.ActionWithdraw},
	domain.StepIntake:     {domain.ActionAccept, domain.ActionReturn, domain.ActionReject, domain.ActionHold, domain.ActionRelease},
	domain.StepAppraise: {domain.ActionApprove, domain.ActionReturn, domain.ActionReject, domain.ActionRequestConcurrence,
		domain.ActionHold, domain.ActionRelease},
	domain.StepConcur:  {domain.ActionConcur},
	domain.StepVote:    {domain.ActionCloseVote},
	domain.StepDecide:  {domain.ActionDecide, domain.ActionHold, domain.ActionRelease},
	domain.StepForward: {domain.ActionForward, domain.ActionHold, domain.ActionRelease},
}

// UserActions are the actions a person may request; the others are transitions
// the workflow takes by itself.
var UserActions = []domain.Action{domain.ActionSubmit, domain.ActionAccept, domain.ActionApprove, domain.ActionReturn,
	domain.ActionReject, domain.ActionRequestConcurrence, domain.ActionConcur, domain.ActionComment,
	domain.ActionCloseVote, domain.ActionHold, domain.ActionRelease, domain.ActionForward, domain.ActionDecide,
	domain.ActionWithdraw}

// Where says in which unit an action's permission is checked.
type Where int

// Where a permission is checked.
const (
	InSubmittingUnit Where = iota + 1 // the unit that prepared the dossier
	InCurrentUnit                     // the level holding the dossier now
	InNamedUnit                       // the unit the request names (a consulted unit answering)
)

// Permission returns the policy action ("nomination", perm) a person needs to take
// action a, and where it is checked; ok is false for an action no person may request.
func Permission(a domain.Action) (perm string, where Where, ok bool) {
	switch a {
	case domain.ActionSubmit:
		return "submit", InSubmittingUnit, true
	case domain.ActionWithdraw:
		return "withdraw", InSubmittingUnit, true
	case domain.ActionAccept, domain.ActionApprove, domain.ActionReturn, domain.ActionReject,
		domain.ActionRequestConcurrence, domain.ActionHold, domain.ActionRelease:
		return "appraise", InCurrentUnit, true
	case domain.ActionConcur:
		return "appraise", InNamedUnit, true
	case domain.ActionComment:
		return "read", InSubmittingUnit, true
	case domain.ActionCloseVote:
		return "record", InCurrentUnit, true
	case domain.ActionForward:
		return "forward", InCurrentUnit, true
	case domain.ActionDecide:
		return "decide", InCurrentUnit, true
	}
	return "", 0, false
}

// Unit returns the unit in which a person's permission for action a is checked on
// the dossier; named is the unit the request names (concur). It is "" for an
// action that names no unit.
func (d Dossier) Unit(a domain.Action, named string) string {
	_, where, _ := Permission(a)
	switch where {
	case InSubmittingUnit:
		return d.UnitID
	case InCurrentUnit:
		return d.State.CurrentUnitID
	case InNamedUnit:
		return named
	}
	return ""
}

// TaskTakes checks that action a completes a task of the given step.
func TaskTakes(step domain.Step, a domain.Action) *Error {
	if step == "" || slices.Contains(StepActions[step], a) {
		return nil
	}
	return invalid("action", fmt.Sprintf("a %s task takes %v", step, StepActions[step]))
}

// CheckFields checks the fields action a requires, each rule once, and returns every
// offending field; nil when the action is well formed. It does not look at the
// dossier: Validate does, and calls it first.
func CheckFields(a Act) *Error {
	if _, _, ok := Permission(a.Action); !ok {
		return invalid("action", "one of submit, accept, approve, return, reject, request_concurrence, concur, comment, close_vote, hold, release, forward, decide, withdraw")
	}
	var fields []domain.FieldError
	add := func(field, msg string) { fields = append(fields, domain.FieldError{Field: field, Message: msg}) }
	switch a.Action {
	case domain.ActionReturn:
		if len(a.MissingItems) == 0 {
			add("missing_items", "list everything that is missing, at least one item")
		}
	case domain.ActionReject:
		if a.Reason == "" {
			add("reason", "a rejection needs a written reason")
		}
	case domain.ActionHold:
		if a.Reason == "" {
			add("reason", "a written reason is required for a hold (discipline, investigation, inspection, complaint)")
		}
		if a.NomineeID == 0 {
			add("nominee_id", "required")
		}
	case domain.ActionRelease:
		if a.NomineeID == 0 {
			add("nominee_id", "required")
		}
	case domain.ActionRequestConcurrence:
		if len(a.Units) == 0 {
			add("units", "name at least one unit asked for concurrence")
		}
	case domain.ActionConcur:
		if a.Answer != "agree" && a.Answer != "object" {
			add("answer", "agree or object")
		}
	case domain.ActionComment:
		if a.Note == "" {
			add("note", "the comment's text is required")
		}
	case domain.ActionDecide, domain.ActionForward:
		pass := "award"
		if a.Action == domain.ActionForward {
			pass = "forward"
		}
		seen := map[int64]bool{}
		for i, o := range a.Outcomes {
			f := func(name string) string { return fmt.Sprintf("outcomes[%d].%s", i, name) }
			switch {
			case seen[o.NomineeID]:
				add(f("nominee_id"), fmt.Sprintf("nominee %d listed twice", o.NomineeID))
			case o.Outcome != pass && o.Outcome != "downgrade" && o.Outcome != "reject":
				add(f("outcome"), fmt.Sprintf("nominee %d: use %s, downgrade or reject", o.NomineeID, pass))
			case o.Outcome == "downgrade" && o.AwardCode == "":
				add(f("award_code"), fmt.Sprintf("nominee %d: a downgrade names the award this level grants", o.NomineeID))
			case o.Outcome == "reject" && o.Reason == "":
				add(f("reason"), fmt.Sprintf("nominee %d: a rejection needs a reason", o.NomineeID))
			}
			seen[o.NomineeID] = true
		}
	}
	if a.ConfirmSimplified && a.Action != domain.ActionAccept {
		add("confirm_simplified", "the simplified procedure is confirmed at intake, with accept")
	}
	if len(fields) == 0 {
		return nil
	}
	return &Error{Reason: Invalid, Message: "the action has invalid fields: " + fields[0].Message, Fields: fields}
}

// Grant says whether a person holds a permission in a unit, in their own right or
// under a delegation: onBehalfOf is the delegating user (0 in their own right), and
// principal that user's identity.
type Grant func(unit, perm string) (onBehalfOf int64, principal *Person, ok bool)

// Available lists the actions who may take on the dossier now, in the order a form
// shows them: those of the open step that who holds, directly or by delegation
// (can), in the unit where the check is made and that separation of duties allows
// (duties are those already held), then withdraw, which the submitting unit may take
// until the dossier closes. State.Returned must hold the returns made by the current
// level. Concurrence answers name their unit and are offered
// where the consulted units are listed.
func Available(d Dossier, who Person, duties []Duty, can Grant) []domain.Action {
	if d.State.Status.Terminal() {
		return nil
	}
	var out []domain.Action
	consider := func(a domain.Action) {
		perm, where, ok := Permission(a)
		if !ok || where == InNamedUnit || slices.Contains(out, a) {
			return
		}
		if a == domain.ActionReturn && d.State.Returned > 0 {
			return // each level returns a dossier once
		}
		unit := d.Unit(a, "")
		behalf, principal, ok := can(unit, perm)
		if !ok {
			return
		}
		act := Act{Action: a, ActorID: who.UserID, Actor: &who, OnBehalfOf: behalf, Principal: principal, UnitID: unit}
		if CheckSeparation(d, act, duties) != nil {
			return
		}
		out = append(out, a)
	}
	for _, a := range StepActions[d.State.Step] {
		if a != domain.ActionWithdraw {
			consider(a)
		}
	}
	consider(domain.ActionWithdraw)
	return out
}
