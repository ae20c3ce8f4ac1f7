package app

import (
	"context"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/nomination"
	"github.com/tdkt/tdkt/internal/store"
)

// The use cases in this file are the reads the web UI needs beyond the JSON API's:
// which units a user may create dossiers in, which actions a user may take on a
// dossier now, a dossier's open task, the dashboard's counts, the decisions
// register and the unread-notification count. They apply the same Casbin checks
// as the rest of the Service.

// CreatableUnits returns the units in force in which the user may create dossiers
// (nomination create), ordered by id.
func (s *Service) CreatableUnits(ctx context.Context, userID int64) ([]domain.Unit, error) {
	ids := s.Authz.VisibleUnits(userID, "nomination", "create")
	if len(ids) == 0 {
		return nil, nil
	}
	return s.Store.UnitsByID(ctx, ids)
}

// AvailableActions lists the actions the user may take on the dossier now, as the
// nomination core decides (nomination.Available): the open step's actions that the
// user holds in the unit where the check is made, in their own right or under a
// delegation, and that separation of duties allows; then withdraw. The workflow
// refuses the same actions the page does not offer.
func (s *Service) AvailableActions(ctx context.Context, userID int64, n domain.Nomination) []domain.Action {
	if n.Status.Terminal() {
		return nil
	}
	who, err := s.Store.Person(ctx, userID)
	if err != nil {
		return nil
	}
	events, err := s.Store.AuditTrail(ctx, n.ID)
	if err != nil {
		return nil
	}
	d := coreDossier(n)
	d.State.Returned = nomination.ReturnsAt(events, n.CurrentUnitID)
	return nomination.Available(d, who, nomination.DutiesOf(events), func(unit, perm string) (int64, *nomination.Person, bool) {
		behalf, err := s.AllowActing(ctx, userID, unit, "nomination", perm)
		if err != nil {
			return 0, nil, false
		}
		if behalf == 0 {
			return 0, nil, true
		}
		p, err := s.Store.Person(ctx, behalf)
		if err != nil {
			return 0, nil, false
		}
		return behalf, &p, true
	})
}

// OpenTask returns the open task of a dossier the user may read, with its due date;
// KindNotFound when none is open.
func (s *Service) OpenTask(ctx context.Context, userID int64, nominationID string) (domain.Task, error) {
	n, err := s.Nomination(ctx, userID, nominationID)
	if err != nil {
		return domain.Task{}, err
	}
	t, err := s.Store.OpenTaskOf(ctx, n.ID)
	if err != nil {
		return t, err
	}
	t.Overdue = t.DueAt != nil && s.now().After(*t.DueAt)
	return t, nil
}

// DossierStats counts the dossiers the user may read by status, their open tasks by
// step with the overdue ones, and the units where the most overdue tasks wait.
func (s *Service) DossierStats(ctx context.Context, userID int64) (store.NominationStats, error) {
	units := s.Authz.VisibleUnits(userID, "nomination", "read")
	if len(units) == 0 {
		return store.NominationStats{}, nil
	}
	return s.Store.NominationStats(ctx, units, s.now())
}

// DecisionFilter narrows the decisions register.
type DecisionFilter struct {
	Year, Limit, Offset int
	// UnitID (issuing or submitting unit), AwardCode, Kind (of commendation) and
	// Query (words of the decision number, dossier code, title or nominee names).
	UnitID, AwardCode, Kind, Query string
}

// Decisions lists the decisions on dossiers the user may read, newest first.
func (s *Service) Decisions(ctx context.Context, userID int64, f DecisionFilter) ([]store.DecisionEntry, error) {
	units := s.Authz.VisibleUnits(userID, "nomination", "read")
	if len(units) == 0 {
		return nil, nil
	}
	return s.Store.Decisions(ctx, store.DecisionFilter{Units: units, Year: f.Year, UnitID: f.UnitID, AwardCode: f.AwardCode,
		Kind: f.Kind, Query: f.Query, Limit: f.Limit, Offset: f.Offset})
}

// UnreadNotifications counts the user's unread notifications.
func (s *Service) UnreadNotifications(ctx context.Context, userID int64) (int, error) {
	return s.Store.UnreadNotifications(ctx, userID)
}
