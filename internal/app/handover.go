package app

import (
	"context"
	"log/slog"

	"github.com/tdkt/tdkt/workflows"
)

// tellDossiersAt signals the workflows of the open dossiers waiting at units a
// reorganisation just ended (workflows.SignalReorganised): each reads its unit's
// end again and, on a timer, is handed to the successor or the next stop when the
// day comes. The change is committed either way; a dossier that cannot be told
// reads its unit's end the next time it moves, and its failure is logged.
func (s *Service) tellDossiersAt(ctx context.Context, units []string) {
	if len(units) == 0 || s.Temporal == nil {
		return
	}
	ids, err := s.Store.OpenDossiersAt(ctx, units)
	if err != nil {
		slog.Warn("reorganisation: listing the dossiers at ended units", "error", err)
		return
	}
	for _, id := range ids {
		if err := s.Temporal.SignalWorkflow(ctx, id, "", workflows.SignalReorganised, nil); err != nil {
			slog.Warn("reorganisation: telling a dossier's workflow", "workflow", id, "error", err)
		}
	}
}

// mayReadEnded reports whether the user may read, with obj read, what belongs to a
// unit that has ended (a dossier of an old commune, handed over or closed):
// through a unit that succeeded it, or through its nearest ancestor still in force,
// as today's tree no longer holds the unit itself.
func (s *Service) mayReadEnded(ctx context.Context, userID int64, unitID, obj string) (bool, error) {
	u, err := s.Store.Unit(ctx, unitID)
	if err != nil || u.ValidTo == nil {
		return false, err
	}
	today := map[string]bool{}
	for _, id := range s.Authz.VisibleUnits(userID, obj, "read") {
		today[id] = true
	}
	if ok, err := s.successorVisible(ctx, unitID, today); err != nil || ok {
		return ok, err
	}
	for i := 0; i < 64 && u.ParentID != ""; i++ {
		if u, err = s.Store.Unit(ctx, u.ParentID); err != nil {
			return false, err
		}
		if u.ValidTo == nil {
			return today[u.ID], nil
		}
	}
	return false, nil
}
