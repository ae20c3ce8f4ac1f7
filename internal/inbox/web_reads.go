package inbox

import (
	"context"
)

// The dashboard's counts, the decisions register and the unread-notification count,
// over the dossiers the user may read.

// DossierStats counts the dossiers the user may read by status, their open tasks by
// step with the overdue ones, and the units where the most overdue tasks wait.
func (s *Service) DossierStats(ctx context.Context, userID int64) (NominationStats, error) {
	units := s.Authz.VisibleUnits(userID, "nomination", "read")
	if len(units) == 0 {
		return NominationStats{}, nil
	}
	return s.Store.NominationStats(ctx, units, s.Clock())
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
