package admin

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/postgres"
)

// Units returns the units in force on day `on`, parents before children.
func (s *Store) Units(ctx context.Context, on time.Time) ([]domain.Unit, error) {
	const op = "admin.Units"
	rows, err := s.Pool.Query(ctx, `WITH RECURSIVE tree AS (
			SELECT u.*, 0 AS depth FROM units u
			WHERE u.parent_id IS NULL AND u.valid_from <= $1 AND (u.valid_to IS NULL OR u.valid_to > $1)
			UNION ALL
			SELECT c.*, t.depth + 1 FROM units c JOIN tree t ON c.parent_id = t.id
			WHERE c.valid_from <= $1 AND (c.valid_to IS NULL OR c.valid_to > $1))
		SELECT id, coalesce(parent_id, ''), name, level, kind, subkind, valid_to FROM tree ORDER BY depth, id`, on)
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
