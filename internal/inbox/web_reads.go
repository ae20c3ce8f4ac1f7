package inbox

import (
	"context"
	"time"
)

// The dashboard's counts, the decisions register and the unread-notification count,
// over the dossiers the user may read.

// DossierStats counts the dossiers the user may read by status, their open tasks by
// step with the overdue ones, and the units where the most overdue tasks wait, as
// of now; for a scope of at least SharedStatsMinUnits units, as of a moment at most
// SharedStatsTTL ago, shared with every reader of that scope (Shared is set, AsOf
// says when). The result's slices are shared: the caller must not change them.
func (s *Service) DossierStats(ctx context.Context, userID int64) (NominationStats, error) {
	now := s.Clock()
	units := s.Authz.VisibleUnits(userID, "nomination", "read")
	if len(units) == 0 {
		return NominationStats{AsOf: now}, nil
	}
	if len(units) < s.SharedStatsMinUnits {
		st, err := s.Store.NominationStats(ctx, units, now)
		st.AsOf = now
		return st, err
	}
	return s.stats.get(ctx, units, now, s.SharedStatsTTL, func(ctx context.Context, now time.Time) (NominationStats, error) {
		return s.Store.NominationStats(ctx, units, now)
	})
}

// WarmSharedStats computes the shared dashboard figures (DossierStats) of every
// scope of SharedStatsMinUnits units or more that a person holding a role reads, in
// practice the ministry's: `tdkt serve` calls it before it listens. The first such
// reader after a start otherwise waited for the computation (0.66–0.82 s at 1M
// dossiers), and the reads behind it queued for the cores (150–320 ms for every read
// started in that second; cmd/tdkt-bench -scenario reads -think 1s). Then the
// figures are kept fresh while they are read (sharedStats.get).
func (s *Service) WarmSharedStats(ctx context.Context) error {
	users, err := s.Store.UsersWithRoles(ctx)
	if err != nil {
		return err
	}
	for _, u := range users {
		if len(s.Authz.VisibleUnits(u, "nomination", "read")) < s.SharedStatsMinUnits {
			continue
		}
		if _, err := s.DossierStats(ctx, u); err != nil {
			return err
		}
	}
	return nil
}

// Decisions lists the decisions on dossiers the user may read, newest first (f.Units is set here).
func (s *Service) Decisions(ctx context.Context, userID int64, f DecisionFilter) ([]DecisionEntry, error) {
	units := s.Authz.VisibleUnits(userID, "nomination", "read")
	if len(units) == 0 {
		return nil, nil
	}
	f.Units = units
	return s.Store.Decisions(ctx, f)
}

// UnreadNotifications counts the user's unread notifications.
func (s *Service) UnreadNotifications(ctx context.Context, userID int64) (int, error) {
	return s.Store.UnreadNotifications(ctx, userID)
}
