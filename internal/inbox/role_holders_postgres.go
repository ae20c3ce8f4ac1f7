package inbox

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/tdkt/tdkt/internal/postgres"
)

// RoleHolder is an active user holding a role in a unit.
type RoleHolder struct {
	UnitID string
	Role   string
	UserID int64
	Name   string
}

// RoleHolders lists the active users holding a role in one of units, by name: the
// people a unit's head may give the unit's tasks to.
func (s *Store) RoleHolders(ctx context.Context, units []string) ([]RoleHolder, error) {
	const op = "inbox.RoleHolders"
	rows, err := s.Pool.Query(ctx, `SELECT ra.unit_id, ra.role, u.id, u.full_name
		FROM role_assignments ra JOIN users u ON u.id = ra.user_id
		WHERE u.active AND ra.unit_id = ANY($1) ORDER BY u.full_name, u.id`, units)
	if err != nil {
		return nil, postgres.Translate(op, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (RoleHolder, error) {
		var h RoleHolder
		err := r.Scan(&h.UnitID, &h.Role, &h.UserID, &h.Name)
		return h, err
	})
	return out, postgres.Translate(op, err)
}
