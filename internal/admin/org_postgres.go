package admin

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/postgres"
)

// inForce is the condition on a unit u that it is in force on day $1.
const inForce = `u.valid_from <= $1 AND (u.valid_to IS NULL OR u.valid_to > $1)`

// unitTreeInForce selects the units in force on day $1 from the roots that rootCond
// selects (a condition on u) down, leaving out what hangs below a unit not in force,
// parents before children.
func unitTreeInForce(rootCond string) string {
	return `WITH RECURSIVE tree AS (
			SELECT u.*, 0 AS depth FROM units u WHERE ` + rootCond + ` AND ` + inForce + `
			UNION ALL
			SELECT u.*, t.depth + 1 FROM units u JOIN tree t ON u.parent_id = t.id WHERE ` + inForce + `)
		SELECT id, coalesce(parent_id, ''), name, level, kind, subkind, valid_to FROM tree ORDER BY depth, id`
}

// Units returns the units in force on day `on`, parents before children.
func (s *Store) Units(ctx context.Context, on time.Time) ([]domain.Unit, error) {
	return s.queryUnits(ctx, "admin.Units", unitTreeInForce(`u.parent_id IS NULL`), on)
}

// Subtree returns the unit root and the units in force below it on day `on`,
// parents before children; none when root is not in force. A board of one
// province reads its 169 units instead of the country's 3,356 (25 ms → 1.4 ms in
// its plan at national scale, on a loaded machine).
func (s *Store) Subtree(ctx context.Context, root string, on time.Time) ([]domain.Unit, error) {
	return s.queryUnits(ctx, "admin.Subtree", unitTreeInForce(`u.id = $2`), on, root)
}

// UnitsInForce returns those of the units ids that are in force on day `on`, by id,
// without their parents: for ids taken from the tree in force (the
// authorization's visible units), the rows of Units that the caller needs.
func (s *Store) UnitsInForce(ctx context.Context, on time.Time, ids []string) ([]domain.Unit, error) {
	return s.queryUnits(ctx, "admin.UnitsInForce", `SELECT id, coalesce(parent_id, ''), name, level, kind, subkind, valid_to
		FROM units u WHERE u.id = ANY($2) AND `+inForce+` ORDER BY id`, on, ids)
}

func (s *Store) queryUnits(ctx context.Context, op, q string, args ...any) ([]domain.Unit, error) {
	rows, err := s.Pool.Query(ctx, q, args...)
	if err != nil {
		return nil, postgres.Translate(op, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Unit, error) {
		var u domain.Unit
		err := r.Scan(&u.ID, &u.ParentID, &u.Name, &u.Level, &u.Kind, &u.Subkind, &u.ValidTo)
		return u, err
	})
	return out, postgres.Translate(op, err)
}

// Unit returns one unit; KindNotFound if unknown.
func (s *Store) Unit(ctx context.Context, id string) (domain.Unit, error) {
	var u domain.Unit
	err := s.Pool.QueryRow(ctx, `SELECT id, coalesce(parent_id, ''), name, level, kind, subkind, valid_to FROM units WHERE id = $1`, id).
		Scan(&u.ID, &u.ParentID, &u.Name, &u.Level, &u.Kind, &u.Subkind, &u.ValidTo)
	return u, postgres.Translate("Unit", err)
}

// Awards returns the award catalogue.
func (s *Store) Awards(ctx context.Context) ([]domain.Award, error) {
	rows, err := s.Pool.Query(ctx, `SELECT code, name, category, nominee_kinds, bonus_multiplier::float8 FROM awards ORDER BY code`)
	if err != nil {
		return nil, postgres.Translate("admin.Awards", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Award, error) {
		var a domain.Award
		err := r.Scan(&a.Code, &a.Name, &a.Category, &a.NomineeKinds, &a.BonusMultiplier)
		return a, err
	})
	return out, postgres.Translate("admin.Awards", err)
}

// Award returns one award; KindNotFound if unknown.
func (s *Store) Award(ctx context.Context, code string) (domain.Award, error) {
	var a domain.Award
	err := s.Pool.QueryRow(ctx, `SELECT code, name, category, nominee_kinds, bonus_multiplier::float8 FROM awards WHERE code = $1`, code).
		Scan(&a.Code, &a.Name, &a.Category, &a.NomineeKinds, &a.BonusMultiplier)
	return a, postgres.Translate("admin.Award", err)
}
