package dossiers

import (
	"context"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/inbox"
)

// checkClaim enforces a claim (nhận xử lý) on a dossier's open task at step: when
// someone has claimed it, only that assignee, or the head of the task's unit
// (unit_head or decider there, directly or under a delegation in force today,
// who may also reassign it), may act on it. Anyone else gets KindConflict naming
// the assignee. An unclaimed task, or no open task at the step, is no
// obstacle: the action's own checks decide. It is meant to run in Act after
// the caller's right to see the dossier is established and before the action is
// sent to the workflow.
func (s *Service) checkClaim(ctx context.Context, userID int64, nominationID string, step domain.Step) error {
	t, err := s.inbox.Store.OpenTaskAtStep(ctx, nominationID, string(step), s.Clock())
	if domain.IsKind(err, domain.KindNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if t.AssigneeID == 0 || t.AssigneeID == userID {
		return nil
	}
	head, err := s.inbox.Store.ActsInRole(ctx, userID, t.UnitID, inbox.HeadRoles, s.Today())
	if err != nil {
		return err
	}
	if head {
		return nil
	}
	return domain.Errorf(domain.KindConflict, "%s has claimed this task; only they or the head of %s can act on it (ask the head to reassign it)",
		t.AssigneeName, t.UnitName)
}
