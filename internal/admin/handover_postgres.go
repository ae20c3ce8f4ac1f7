package admin

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/tdkt/tdkt/internal/postgres"
)

// OpenDossiersAt returns the workflow ids of the open dossiers waiting at one of
// the units, for the caller to tell their workflows that a unit ended.
func (s *Store) OpenDossiersAt(ctx context.Context, units []string) ([]string, error) {
	const op = "admin.OpenDossiersAt"
	rows, err := s.Pool.Query(ctx, `SELECT workflow_id FROM nominations
		WHERE current_unit_id = ANY($1) AND closed_at IS NULL AND status NOT IN ('draft', 'returned')
		ORDER BY id`, units)
	if err != nil {
		return nil, postgres.Translate(op, err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return out, postgres.Translate(op, err)
}
