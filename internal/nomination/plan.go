package nomination

import (
	"time"

	"github.com/tdkt/tdkt/internal/domain"
)

// vietnam is the zone of the calendar days that decide whether a unit is abolished.
var vietnam = time.FixedZone("ICT", 7*3600)

// RulesIdentity is the rules version from which the state records the duties held
// at each level (separation of duties by identity). Dossiers whose workflow started
// earlier keep the rules they started with inside the workflow; the use cases check
// them against the audit trail.
const RulesIdentity = 1

// Plan computes the state the dossier moves to when act a is applied at now, and the
// transition the Record step writes. It has no side effects; a must have passed
// Validate (or be one of the workflow's own transitions).
func Plan(d Dossier, a Act, now time.Time) (State, domain.Transition) {
	s := d.State
	to := s
	to.Version++
	to.Nominees = append([]NomineeRef(nil), s.Nominees...)
	now = now.UTC()
	t := domain.Transition{
		NominationID: d.ID, Seq: to.Version, At: now, ActorID: a.ActorID, OnBehalfOf: a.OnBehalfOf,
		Action: a.Action, FromStatus: s.Status, UnitID: a.UnitID, Note: a.Note, Reason: a.Reason,
		MissingItems: a.MissingItems,
	}
	if s.Rules >= RulesIdentity {
		to.Duties = dutiesAfter(s.Duties, a, s.CurrentUnitID)
	}
	t.Act = a
	p := &planner{d: d, to: &to, t: &t, day: now.In(vietnam).Format("2006-01-02")}
	p.action(a)
	t.ToStatus, t.Step, t.CurrentUnitID, t.RouteIndex = to.Status, to.Step, to.CurrentUnitID, to.RouteIndex
	if to.Status.Terminal() {
		t.Step, t.CurrentUnitID, to.Step, to.CurrentUnitID = "", "", "", ""
	}
	return to, t
}

// planner builds one transition.
type planner struct {
	d   Dossier
	to  *State
	t   *domain.Transition
	day string
}

func (p *planner) stop() domain.RouteStop { return p.d.Route[p.to.RouteIndex] }

func (p *planner) simplified() bool {
	return p.d.Procedure == domain.ProcedureSimplified || p.to.Simplified
}

// open opens a task of step for its role in the current unit.
func (p *planner) open(step domain.Step, role string) {
	p.t.Open = append(p.t.Open, domain.TaskSpec{Step: step, UnitID: p.to.CurrentUnitID, Role: role})
	p.to.Step = step
}

// enterStop moves the dossier to route stop i, skipping intermediate stops whose
// unit a reform has abolished by today, and opens intake (or, in the simplified
// procedure, appraisal) there. Each level may return the dossier once.
func (p *planner) enterStop(i int) {
	route := p.d.Route
	for i < len(route)-1 && route[i].ValidTo != "" && p.day >= route[i].ValidTo {
		i++
	}
	p.to.RouteIndex, p.to.CurrentUnitID = i, route[i].UnitID
	p.to.ConcurrenceRound, p.to.ConcurrencePending, p.to.ConcurrenceDone = 0, nil, false
	p.to.ConsultationDone, p.to.CouncilPassed = false, false
	p.to.Returned = 0
	if p.simplified() {
		p.to.Status = domain.StatusAppraising
		p.open(domain.StepAppraise, domain.RoleAppraiser)
		return
	}
	p.to.Status = domain.StatusIntake
	p.open(domain.StepIntake, domain.RoleAppraiser)
}

// afterAppraisal opens the consultation window where the level has one.
func (p *planner) afterAppraisal() {
	if st := p.stop(); st.ConsultationDays > 0 && !p.to.ConsultationDone && !p.simplified() {
		p.to.ConsultationRound++
		p.to.Status, p.to.Step = domain.StatusConsulting, ""
		p.t.ConsultationRound, p.t.ConsultationDays = p.to.ConsultationRound, st.ConsultationDays
		return
	}
	p.afterConsultation()
}

// afterConsultation opens the council vote where the level has one.
func (p *planner) afterConsultation() {
	if p.stop().Council && !p.to.CouncilPassed && !p.simplified() {
		p.openVote()
		return
	}
	p.decideOrForward()
}

func (p *planner) openVote() {
	p.to.CouncilSession++
	p.to.Status = domain.StatusVoting
	p.t.CouncilOpen, p.t.CouncilSession, p.t.AwardCode = true, p.to.CouncilSession, p.d.AwardCode
	p.open(domain.StepVote, domain.RoleCouncilChair)
	p.open(domain.StepVote, domain.RoleCouncilMember)
}

func (p *planner) decideOrForward() {
	if p.stop().Decides {
		p.to.Status = domain.StatusDeciding
		p.open(domain.StepDecide, domain.RoleDecider)
		return
	}
	p.to.Status = domain.StatusForwarding
	p.open(domain.StepForward, domain.RoleDecider)
}

func (p *planner) setNominee(id int64, status string) {
	for i := range p.to.Nominees {
		if p.to.Nominees[i].ID == id {
			p.to.Nominees[i].Status = status
		}
	}
}

func (p *planner) countNominees(statuses ...string) int {
	c := 0
	for _, nm := range p.to.Nominees {
		for _, st := range statuses {
			if nm.Status == st {
				c++
			}
		}
	}
	return c
}

// closeWhenDone ends the dossier when no nominee is left in the procedure: decided
// when someone was awarded, rejected otherwise.
func (p *planner) closeWhenDone() bool {
	if p.countNominees(domain.NomineePending, domain.NomineeHeld) > 0 {
		return false
	}
	if p.countNominees(domain.NomineeAwarded, domain.NomineeDowngraded) > 0 {
		p.to.Status = domain.StatusDecided
	} else {
		p.to.Status = domain.StatusRejected
	}
	return true
}

func (p *planner) action(a Act) {
	to, t := p.to, p.t
	switch a.Action {
	case domain.ActionSubmit:
		t.CloseAll = true
		to.Nominees = append([]NomineeRef(nil), a.Nominees...)
		if p.d.State.Status == domain.StatusReturned {
			to.CurrentUnitID, to.Status = p.stopUnit(), to.ReturnedFrom
			if to.Status == domain.StatusIntake {
				p.open(domain.StepIntake, domain.RoleAppraiser)
			} else {
				to.Status = domain.StatusAppraising
				p.open(domain.StepAppraise, domain.RoleAppraiser)
			}
			return
		}
		p.enterStop(0)
	case domain.ActionAccept:
		t.CloseAll = true
		if a.ConfirmSimplified && p.d.ProposedSimplified {
			to.Simplified = true
			t.Procedure = domain.ProcedureSimplified
		}
		to.Status = domain.StatusAppraising
		p.open(domain.StepAppraise, domain.RoleAppraiser)
	case domain.ActionReturn:
		t.CloseAll = true
		to.ReturnedFrom, to.Returned = p.d.State.Status, to.Returned+1
		to.Status, to.CurrentUnitID = domain.StatusReturned, p.d.UnitID
		p.open(domain.StepSupplement, domain.RoleClerk)
	case domain.ActionReject:
		t.CloseAll = true
		to.Status = domain.StatusRejected
	case domain.ActionWithdraw:
		t.CloseAll = true
		to.Status = domain.StatusWithdrawn
	case domain.ActionRequestConcurrence:
		t.CloseAll = true
		to.ConcurrenceRound++
		to.ConcurrencePending = append([]string(nil), a.Units...)
		to.Status = domain.StatusConcurring
		t.ConcurrenceRound, t.ConcurrenceUnits = to.ConcurrenceRound, a.Units
		for _, u := range a.Units {
			t.Open = append(t.Open, domain.TaskSpec{Step: domain.StepConcur, UnitID: u, Role: domain.RoleAppraiser})
		}
		to.Step = domain.StepConcur
	case domain.ActionConcur:
		t.ConcurrenceRound, t.ConcurrenceAnswer = to.ConcurrenceRound, a.Answer
		t.Close = []domain.TaskKey{{Step: domain.StepConcur, UnitID: a.UnitID}}
		var left []string
		for _, u := range to.ConcurrencePending {
			if u != a.UnitID {
				left = append(left, u)
			}
		}
		to.ConcurrencePending = left
		t.UnitID = a.UnitID
		if len(left) == 0 {
			to.ConcurrenceDone, to.Status = true, domain.StatusAppraising
			p.open(domain.StepAppraise, domain.RoleAppraiser)
		}
	case domain.ActionConcurrenceSilent:
		t.CloseAll, t.ConcurrenceRound, t.ConcurrenceSilence = true, to.ConcurrenceRound, true
		to.ConcurrencePending, to.ConcurrenceDone, to.Status = nil, true, domain.StatusAppraising
		p.open(domain.StepAppraise, domain.RoleAppraiser)
	case domain.ActionApprove:
		t.CloseAll = true
		p.afterAppraisal()
	case domain.ActionComment:
		t.Comment, t.ConsultationRound, t.Note = a.Note, to.ConsultationRound, ""
	case domain.ActionConsultationClosed:
		to.ConsultationDone = true
		p.afterConsultation()
	case domain.ActionCloseVote:
		t.CouncilClose, t.CouncilSession = true, to.CouncilSession
	case domain.ActionCouncilResult:
		t.CloseAll = true
		t.Reason, t.Note = "", CouncilResultNote(a.CouncilResult)
		switch a.CouncilResult {
		case CouncilPassed:
			to.CouncilPassed = true
			p.decideOrForward()
		case CouncilNoQuorum, CouncilVoided:
			p.openVote()
		default:
			t.Reason = "Hội đồng Thi đua – Khen thưởng không thông qua"
			to.Status = domain.StatusRejected
		}
	case domain.ActionHold:
		p.setNominee(a.NomineeID, domain.NomineeHeld)
		t.Outcomes = []domain.NomineeOutcome{{NomineeID: a.NomineeID, Outcome: "held", Reason: a.Reason}}
	case domain.ActionRelease:
		p.setNominee(a.NomineeID, domain.NomineePending)
		t.Outcomes = []domain.NomineeOutcome{{NomineeID: a.NomineeID, Outcome: "released", Reason: a.Reason}}
	case domain.ActionDecide, domain.ActionForward:
		p.decideOrForwardNominees(a)
	case domain.ActionHandover:
		p.handover(a)
	}
}

// decideOrForwardNominees applies the per-nominee outcomes of a decide or forward
// step: awarded and downgraded nominees get a decision of this level, rejected ones
// stop here, the rest go on (forward) — held nominees wait.
func (p *planner) decideOrForwardNominees(a Act) {
	to, t := p.to, p.t
	t.CloseAll = true
	chosen := map[int64]Outcome{}
	for _, o := range a.Outcomes {
		chosen[o.NomineeID] = o
	}
	deciding := a.Action == domain.ActionDecide
	var awardees []domain.Awardee
	for _, nm := range p.d.State.Nominees {
		if nm.Status != domain.NomineePending {
			continue
		}
		o, ok := chosen[nm.ID]
		if !ok {
			o = Outcome{NomineeID: nm.ID, Outcome: "forward"}
			if deciding {
				o.Outcome = "award"
			}
		}
		switch o.Outcome {
		case "award":
			awardees = append(awardees, domain.Awardee{NomineeID: nm.ID, AwardCode: p.d.AwardCode})
			t.Outcomes = append(t.Outcomes, domain.NomineeOutcome{NomineeID: nm.ID, Outcome: "awarded", AwardCode: p.d.AwardCode})
			p.setNominee(nm.ID, domain.NomineeAwarded)
		case "downgrade":
			awardees = append(awardees, domain.Awardee{NomineeID: nm.ID, AwardCode: o.AwardCode})
			t.Outcomes = append(t.Outcomes, domain.NomineeOutcome{NomineeID: nm.ID, Outcome: "downgraded", AwardCode: o.AwardCode, Reason: o.Reason})
			p.setNominee(nm.ID, domain.NomineeDowngraded)
		case "reject":
			t.Outcomes = append(t.Outcomes, domain.NomineeOutcome{NomineeID: nm.ID, Outcome: "rejected", Reason: o.Reason})
			p.setNominee(nm.ID, domain.NomineeRejected)
		default:
			t.Outcomes = append(t.Outcomes, domain.NomineeOutcome{NomineeID: nm.ID, Outcome: "forwarded"})
		}
	}
	if len(awardees) > 0 {
		t.Decision = &domain.DecisionSpec{UnitID: to.CurrentUnitID, Awardees: awardees}
	}
	if p.closeWhenDone() {
		return
	}
	if deciding {
		// Held nominees remain: the decider decides them once they are released.
		p.open(domain.StepDecide, domain.RoleDecider)
		return
	}
	from := to.CurrentUnitID
	p.enterStop(to.RouteIndex + 1)
	t.LetterTo = to.CurrentUnitID
	t.UnitID = from
}
