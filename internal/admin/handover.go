package admin

import (
	"context"
	"log/slog"

	"github.com/tdkt/tdkt/workflows/contract"
)

// tellDossiersAt signals the workflows of the open dossiers waiting at units a
// reorganisation just ended (contract.SignalReorganised): each reads its unit's
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
		if err := s.Temporal.SignalWorkflow(ctx, id, "", contract.SignalReorganised, nil); err != nil {
			slog.Warn("reorganisation: telling a dossier's workflow", "workflow", id, "error", err)
		}
	}
}
