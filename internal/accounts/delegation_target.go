package accounts

import (
	"context"
	"slices"
	"strings"

	"github.com/tdkt/tdkt/internal/domain"
)

// checkDelegationTarget allows a delegation only to an active user who could
// hold the giver's roles: for every unit in which the giver holds a role, the
// receiver belongs to that unit (home unit there, or a role there) or works in
// the giver's own home unit (a deputy of the same office). An unknown, inactive
// or unqualified receiver gets the same answer, which names nobody, so that the
// route cannot be used to learn who exists or what their name is.
func (s *Service) checkDelegationTarget(ctx context.Context, giver domain.User, toUserID int64) error {
	var units []string
	for _, r := range giver.Roles {
		if !slices.Contains(units, r.UnitID) {
			units = append(units, r.UnitID)
		}
	}
	refuse := domain.Invalid("the delegation has invalid fields", domain.FieldError{Field: "to_user_id",
		Message: "must be an active user who belongs to the unit of your roles (" + strings.Join(units, ", ") + ")"})
	home, active, roleUnits, err := s.Store.UserUnits(ctx, toUserID)
	if domain.IsKind(err, domain.KindNotFound) {
		return refuse
	}
	if err != nil {
		return err
	}
	if !active {
		return refuse
	}
	if home == giver.UnitID {
		return nil
	}
	for _, u := range units {
		if home != u && !slices.Contains(roleUnits, u) {
			return refuse
		}
	}
	return nil
}
