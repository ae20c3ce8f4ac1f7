package workflows

import (
	"go.temporal.io/sdk/workflow"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/nomination"
	"github.com/tdkt/tdkt/workflows/contract"
)

// apply plans the transition for a valid action (nomination.Plan), records it and,
// once the record has committed, makes it the state. Closing a vote is followed, in
// the same update, by the transition its tally decides.
func (n *dossierRun) apply(ctx workflow.Context, a contract.ActInput) (contract.NominationState, error) {
	to, t := nomination.Plan(n.dossier(), a, workflow.Now(ctx))
	res, err := n.record(ctx, t)
	if err != nil {
		return n.state, err
	}
	stageChanged := len(t.Open) > 0 || t.ConsultationDays > 0 || len(t.ConcurrenceUnits) > 0 || t.ToStatus.Terminal() ||
		t.ToStatus != t.FromStatus
	if stageChanged {
		to.DueAt, to.RemindAt, to.Reminded, to.Escalated = res.DueAt, res.RemindAt, false, false
	}
	if res.Decision != nil {
		to.Decisions = append(append([]domain.Decision(nil), to.Decisions...), *res.Decision)
	}
	n.state = to
	if a.Action == domain.ActionCloseVote && res.Council != nil {
		return n.apply(ctx, contract.ActInput{Action: domain.ActionCouncilResult, ActorID: a.ActorID, UnitID: a.UnitID,
			CouncilResult: res.Council.Result})
	}
	return n.state, nil
}
