package accounts

import (
	"context"

	"github.com/tdkt/tdkt/internal/postgres"
)

// UserUnits returns a user's home unit, whether the account is active and the
// units of the roles they hold; KindNotFound for an unknown user.
func (s *Store) UserUnits(ctx context.Context, id int64) (home string, active bool, roleUnits []string, err error) {
	const op = "accounts.UserUnits"
	err = s.Pool.QueryRow(ctx, `SELECT u.unit_id, u.active,
			coalesce((SELECT array_agg(DISTINCT r.unit_id) FROM role_assignments r WHERE r.user_id = u.id), '{}')
		FROM users u WHERE u.id = $1`, id).Scan(&home, &active, &roleUnits)
	return home, active, roleUnits, postgres.Translate(op, err)
}
