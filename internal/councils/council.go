package councils

import (
	"context"

	"github.com/tdkt/tdkt/internal/domain"
)

// Vote casts a council member's ballot (yes, no or abstain) in the dossier's open
// vote session. The choice is stored apart from the attendance, so a secret ballot
// records who voted and the tally but never who voted what. KindForbidden for a
// user who is not an eligible member (recused, the preparer, a nominee);
// KindConflict when no vote is open or the member already voted.
func (s *Service) Vote(ctx context.Context, userID int64, nominationID, choice string) (CouncilSession, error) {
	n, err := s.dossiers.Nomination(ctx, userID, nominationID)
	if err != nil {
		return CouncilSession{}, err
	}
	// Authorisation before validation: who may not vote here learns nothing of the vote.
	if err := s.Allow(userID, n.CurrentUnitID, "nomination", "vote"); err != nil {
		return CouncilSession{}, err
	}
	if choice != "yes" && choice != "no" && choice != "abstain" {
		return CouncilSession{}, domain.Invalid("invalid vote", domain.FieldError{Field: "choice", Message: "yes, no or abstain"})
	}
	session, unit, secret, err := s.Store.OpenCouncilSession(ctx, n.ID)
	if err != nil {
		return CouncilSession{}, err
	}
	if err := s.Allow(userID, unit, "nomination", "vote"); err != nil {
		return CouncilSession{}, err
	}
	ok, err := s.dossiers.Store.IsEligibleVoter(ctx, n.ID, unit, userID)
	if err != nil {
		return CouncilSession{}, err
	}
	if !ok {
		return CouncilSession{}, domain.Errorf(domain.KindForbidden,
			"you are recused from this vote (declared conflict, preparer of the dossier, or nominee)")
	}
	if err := s.Store.CastVote(ctx, n.ID, session, userID, choice, secret, s.Clock()); err != nil {
		return CouncilSession{}, err
	}
	return s.currentSession(ctx, n.ID, session)
}

func (s *Service) currentSession(ctx context.Context, nominationID string, session int) (CouncilSession, error) {
	all, err := s.Store.CouncilSessions(ctx, nominationID)
	if err != nil {
		return CouncilSession{}, err
	}
	for _, cs := range all {
		if cs.Session == session {
			return cs, nil
		}
	}
	return CouncilSession{}, domain.Errorf(domain.KindNotFound, "no vote session %d", session)
}

// DeclareConflict records that a council member has a conflict of interest in a
// dossier: they are recused from its votes.
func (s *Service) DeclareConflict(ctx context.Context, userID int64, nominationID, reason string) error {
	reason = domain.Clean(reason)
	if reason == "" {
		return domain.Invalid("a conflict needs a reason", domain.FieldError{Field: "reason", Message: "required"})
	}
	n, err := s.dossiers.Nomination(ctx, userID, nominationID)
	if err != nil {
		return err
	}
	if err := s.Allow(userID, n.CurrentUnitID, "nomination", "vote"); err != nil {
		return err
	}
	return s.Store.DeclareConflict(ctx, n.ID, userID, reason, s.Clock())
}

// Council returns the dossier's vote sessions: attendance, recusals and minutes.
func (s *Service) Council(ctx context.Context, userID int64, nominationID string) ([]CouncilSession, error) {
	n, err := s.dossiers.Nomination(ctx, userID, nominationID)
	if err != nil {
		return nil, err
	}
	return s.Store.CouncilSessions(ctx, n.ID)
}
