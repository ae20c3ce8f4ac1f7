package dossiers

import (
	"context"
)

// mayReadEnded reports whether the user may read, with obj read, what belongs to a
// unit that has ended (a dossier of an old commune, handed over or closed):
// through a unit that succeeded it, or through its nearest ancestor still in force,
// as today's tree no longer holds the unit itself.
func (s *Service) mayReadEnded(ctx context.Context, userID int64, unitID, obj string) (bool, error) {
	u, err := s.admin.Store.Unit(ctx, unitID)
	if err != nil || u.ValidTo == nil {
		return false, err
	}
	today := map[string]bool{}
	for _, id := range s.Authz.VisibleUnits(userID, obj, "read") {
		today[id] = true
	}
	if ok, err := s.admin.SuccessorVisible(ctx, unitID, today); err != nil || ok {
		return ok, err
	}
	for i := 0; i < 64 && u.ParentID != ""; i++ {
		if u, err = s.admin.Store.Unit(ctx, u.ParentID); err != nil {
			return false, err
		}
		if u.ValidTo == nil {
			return today[u.ID], nil
		}
	}
	return false, nil
}
