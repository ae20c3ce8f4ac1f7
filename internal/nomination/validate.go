package nomination

import (
	"slices"

	"github.com/tdkt/tdkt/internal/domain"
)

// Validate decides whether act a may be applied to the dossier now: its fields
// (CheckFields), the version the actor saw, the state, the unit it was authorised in,
// and separation of duties (CheckSeparation) against the duties the state records.
// It is pure: the workflow runs it as the update's validator and again under its
// lock, and the use cases run it before sending the update.
func Validate(d Dossier, a Act) *Error {
	s := d.State
	if a.Version != s.Version {
		return refuse(StaleVersion, "dossier is at version %d, not %d", s.Version, a.Version)
	}
	if s.Status.Terminal() {
		return refuse(WrongState, "dossier is %s", s.Status)
	}
	if a.ActorID == 0 {
		return refuse(Invalid, "no actor")
	}
	if err := CheckFields(a); err != nil {
		return err
	}
	if err := checkState(d, a); err != nil {
		return err
	}
	switch a.Action {
	case domain.ActionSubmit, domain.ActionWithdraw:
		if a.UnitID != d.UnitID {
			return refuse(WrongUnit, "only the submitting unit may %s", a.Action)
		}
		return nil
	case domain.ActionConcur, domain.ActionComment:
		// The consulted unit answers, and anyone who may read the dossier comments:
		// their unit was checked above, and separation of duties is not in question.
		return nil
	}
	if a.UnitID != s.CurrentUnitID {
		return refuse(WrongUnit, "the dossier is at unit %s, not %s", s.CurrentUnitID, a.UnitID)
	}
	return CheckSeparation(d, a, s.Duties)
}

// checkState decides whether the action fits the dossier's state.
func checkState(d Dossier, a Act) *Error {
	s := d.State
	inState := func(states ...domain.Status) *Error {
		if slices.Contains(states, s.Status) {
			return nil
		}
		return refuse(WrongState, "dossier is %s; %s is not possible now", s.Status, a.Action)
	}
	switch a.Action {
	case domain.ActionSubmit:
		if err := inState(domain.StatusDraft, domain.StatusReturned); err != nil {
			return err
		}
		if len(a.Nominees) == 0 {
			return refuse(Invalid, "a dossier needs at least one nominee")
		}
	case domain.ActionWithdraw:
		// Any open state: the submitting unit may withdraw before a decision.
	case domain.ActionAccept:
		if err := inState(domain.StatusIntake); err != nil {
			return err
		}
		if a.ConfirmSimplified && !d.ProposedSimplified {
			return invalid("confirm_simplified", "the submitter did not propose the simplified procedure")
		}
	case domain.ActionReturn:
		if err := inState(domain.StatusIntake, domain.StatusAppraising); err != nil {
			return err
		}
		if s.Returned > 0 {
			// The law allows each level one return with one complete list of what is missing.
			return refuse(WrongState, "this level already returned the dossier once; approve or reject it")
		}
	case domain.ActionReject:
		return inState(domain.StatusIntake, domain.StatusAppraising)
	case domain.ActionRequestConcurrence:
		return inState(domain.StatusAppraising)
	case domain.ActionConcur:
		if err := inState(domain.StatusConcurring); err != nil {
			return err
		}
		if !slices.Contains(s.ConcurrencePending, a.UnitID) {
			return refuse(WrongUnit, "unit %s was not asked or has answered", a.UnitID)
		}
	case domain.ActionApprove:
		if err := inState(domain.StatusAppraising); err != nil {
			return err
		}
		if d.Stop().Concurrence && !s.ConcurrenceDone {
			return refuse(WrongState, "this level needs concurrence opinions before approval")
		}
	case domain.ActionComment:
		return inState(domain.StatusConsulting)
	case domain.ActionCloseVote:
		return inState(domain.StatusVoting)
	case domain.ActionHold, domain.ActionRelease:
		if err := inState(domain.StatusIntake, domain.StatusAppraising, domain.StatusConcurring, domain.StatusConsulting,
			domain.StatusVoting, domain.StatusDeciding, domain.StatusForwarding); err != nil {
			return err
		}
		nm := d.nominee(a.NomineeID)
		switch {
		case nm == nil:
			return invalid("nominee_id", "no such nominee in this dossier")
		case a.Action == domain.ActionHold && nm.Status != domain.NomineePending:
			return refuse(WrongState, "nominee %d is %s", a.NomineeID, nm.Status)
		case a.Action == domain.ActionRelease && nm.Status != domain.NomineeHeld:
			return refuse(WrongState, "nominee %d is not on hold", a.NomineeID)
		}
	case domain.ActionDecide:
		if err := inState(domain.StatusDeciding); err != nil {
			return err
		}
		if !d.Stop().Decides {
			return refuse(WrongState, "this level does not decide the award")
		}
		return checkOutcomes(d, a)
	case domain.ActionForward:
		if err := inState(domain.StatusForwarding); err != nil {
			return err
		}
		if d.Stop().Decides {
			return refuse(WrongState, "nothing to forward: this level decides")
		}
		return checkOutcomes(d, a)
	default:
		return refuse(Invalid, "unknown action %q", a.Action)
	}
	return nil
}

// checkOutcomes checks per-nominee choices against the dossier: known pending
// nominees, and something left to decide or forward.
func checkOutcomes(d Dossier, a Act) *Error {
	for _, o := range a.Outcomes {
		nm := d.nominee(o.NomineeID)
		switch {
		case nm == nil:
			return invalid("outcomes", "no such nominee in this dossier")
		case nm.Status != domain.NomineePending:
			return refuse(WrongState, "nominee %d is %s", o.NomineeID, nm.Status)
		}
	}
	for _, nm := range d.State.Nominees {
		if nm.Status == domain.NomineePending {
			return nil
		}
	}
	return refuse(WrongState, "no nominee is ready: the others are on hold")
}
