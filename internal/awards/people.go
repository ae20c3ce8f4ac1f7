package awards

import (
	"context"
	"slices"

	"github.com/tdkt/tdkt/internal/admin"
	"github.com/tdkt/tdkt/internal/domain"
)

// LinkUserSubject links a user of the caller's subtree to the person subject
// (đối tượng) the account stands for, or unlinks it (nil), so that separation of
// duties knows the person: a nominee linked to the same subject is the same person.
// The subject must be a person the caller may read.
func (s *Service) LinkUserSubject(ctx context.Context, userID, id int64, subjectID *int64) (admin.AdminUser, error) {
	u, err := s.admin.ManagedUser(ctx, userID, id)
	if err != nil {
		return admin.AdminUser{}, err
	}
	if subjectID != nil {
		subj, err := s.Store.Subject(ctx, *subjectID)
		if domain.IsKind(err, domain.KindNotFound) {
			return admin.AdminUser{}, domain.Invalid("unknown subject", domain.FieldError{Field: "subject_id", Message: "no such subject"})
		} else if err != nil {
			return admin.AdminUser{}, err
		}
		if !s.Can(userID, subj.UnitID, ObjHistory, ActRead) {
			return admin.AdminUser{}, domain.Invalid("unknown subject", domain.FieldError{Field: "subject_id", Message: "no such subject"})
		}
		if subj.Kind != domain.NomineeIndividual {
			return admin.AdminUser{}, domain.Invalid("a user stands for a person", domain.FieldError{Field: "subject_id", Message: "an individual subject"})
		}
	}
	if err := s.admin.Store.SetUserSubject(ctx, u.ID, subjectID, s.admin.Change(userID)); err != nil {
		return admin.AdminUser{}, err
	}
	return s.admin.Store.AdminUserByID(ctx, u.ID)
}

// historyUnits are the units whose history the user may read: those of today's
// tree, and their past (store.WithPast), so that a subject recorded under an old
// commune is found, and checked, under its successor.
func (s *Service) historyUnits(ctx context.Context, userID int64) ([]string, error) {
	return s.admin.Store.WithPast(ctx, s.Authz.VisibleUnits(userID, ObjHistory, ActRead))
}

// canReadHistory reports whether the user may read the history recorded in a unit,
// today's or one of its past (historyUnits).
func (s *Service) canReadHistory(ctx context.Context, userID int64, unitID string) (bool, error) {
	if s.Can(userID, unitID, ObjHistory, ActRead) {
		return true, nil
	}
	units, err := s.historyUnits(ctx, userID)
	if err != nil {
		return false, err
	}
	return slices.Contains(units, unitID), nil
}
