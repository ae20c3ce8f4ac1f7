package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tdkt/tdkt/internal/domain"
)

// Units returns the units in force on day `on`, parents before children.
func (s *Store) Units(ctx context.Context, on time.Time) ([]domain.Unit, error) {
	const op = "store.Units"
	rows, err := s.pool.Query(ctx, `WITH RECURSIVE tree AS (
			SELECT u.*, 0 AS depth FROM units u
			WHERE u.parent_id IS NULL AND u.valid_from <= $1 AND (u.valid_to IS NULL OR u.valid_to > $1)
			UNION ALL
			SELECT c.*, t.depth + 1 FROM units c JOIN tree t ON c.parent_id = t.id
			WHERE c.valid_from <= $1 AND (c.valid_to IS NULL OR c.valid_to > $1))
		SELECT id, coalesce(parent_id, ''), name, level, kind, subkind, valid_to FROM tree ORDER BY depth, id`, on)
	if err != nil {
		return nil, translate(op, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Unit, error) {
		var u domain.Unit
		err := r.Scan(&u.ID, &u.ParentID, &u.Name, &u.Level, &u.Kind, &u.Subkind, &u.ValidTo)
		return u, err
	})
	return out, translate(op, err)
}

// Unit returns one unit; KindNotFound if unknown.
func (s *Store) Unit(ctx context.Context, id string) (domain.Unit, error) {
	var u domain.Unit
	err := s.pool.QueryRow(ctx, `SELECT id, coalesce(parent_id, ''), name, level, kind, subkind, valid_to FROM units WHERE id = $1`, id).
		Scan(&u.ID, &u.ParentID, &u.Name, &u.Level, &u.Kind, &u.Subkind, &u.ValidTo)
	return u, translate("store.Unit", err)
}

// Awards returns the award catalogue.
func (s *Store) Awards(ctx context.Context) ([]domain.Award, error) {
	rows, err := s.pool.Query(ctx, `SELECT code, name, category, nominee_kinds, bonus_multiplier::float8 FROM awards ORDER BY code`)
	if err != nil {
		return nil, translate("store.Awards", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Award, error) {
		var a domain.Award
		err := r.Scan(&a.Code, &a.Name, &a.Category, &a.NomineeKinds, &a.BonusMultiplier)
		return a, err
	})
	return out, translate("store.Awards", err)
}

// Award returns one award; KindNotFound if unknown.
func (s *Store) Award(ctx context.Context, code string) (domain.Award, error) {
	var a domain.Award
	err := s.pool.QueryRow(ctx, `SELECT code, name, category, nominee_kinds, bonus_multiplier::float8 FROM awards WHERE code = $1`, code).
		Scan(&a.Code, &a.Name, &a.Category, &a.NomineeKinds, &a.BonusMultiplier)
	return a, translate("store.Award", err)
}

// authorityKinds are the unit kinds whose head decides or forwards awards on a
// route: a department's dossier for a provincial award is decided by the People's
// Committee above it, not by a sibling department.
var authorityKinds = map[string]bool{"people_committee": true, "government": true, "ministry": true}

// Route derives the levels a dossier passes, from the authority rule in force on
// day `on` for (award, the submitting unit's level) and the unit tree of that day:
// every authority above the submitting unit up to the one at the deciding level,
// or the unit itself when its own level decides. It fails with KindInvalid when no
// rule lets this unit propose this award.
func (s *Store) Route(ctx context.Context, unitID, awardCode string, on time.Time) ([]domain.RouteStop, error) {
	const op = "store.Route"
	var level, decisionLevel string
	err := s.pool.QueryRow(ctx, `SELECT u.level, r.decision_level FROM units u
		JOIN authority_rules r ON r.submitter_level = u.level AND r.award_code = $2
			AND r.valid_from <= $3 AND (r.valid_to IS NULL OR r.valid_to > $3)
		WHERE u.id = $1 ORDER BY r.valid_from DESC LIMIT 1`, unitID, awardCode, on).Scan(&level, &decisionLevel)
	if err == pgx.ErrNoRows {
		return nil, &domain.Error{Op: op, Kind: domain.KindInvalid, Message: "this unit cannot propose this award",
			Fields: []domain.FieldError{{Field: "award_code", Message: "no authority rule for a unit of this level"}}}
	}
	if err != nil {
		return nil, translate(op, err)
	}
	rows, err := s.pool.Query(ctx, `WITH RECURSIVE up AS (
			SELECT u.id, u.parent_id, u.name, u.level, u.kind, l.rank, 0 AS depth FROM units u JOIN levels l ON l.code = u.level WHERE u.id = $1
			UNION ALL
			SELECT p.id, p.parent_id, p.name, p.level, p.kind, l.rank, up.depth + 1 FROM units p
			JOIN up ON p.id = up.parent_id JOIN levels l ON l.code = p.level
			WHERE p.valid_from <= $2 AND (p.valid_to IS NULL OR p.valid_to > $2))
		SELECT id, name, level, kind, rank FROM up ORDER BY depth`, unitID, on)
	if err != nil {
		return nil, translate(op, err)
	}
	type node struct {
		id, name, level, kind string
		rank                  int
	}
	chain, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (node, error) {
		var n node
		err := r.Scan(&n.id, &n.name, &n.level, &n.kind, &n.rank)
		return n, err
	})
	if err != nil {
		return nil, translate(op, err)
	}
	var route []domain.RouteStop
	for i, n := range chain {
		if i == 0 && !(n.level == decisionLevel && authorityKinds[n.kind]) {
			continue // the submitting unit sends; it does not appraise its own dossier
		}
		if !authorityKinds[n.kind] {
			continue
		}
		stop := domain.RouteStop{UnitID: n.id, UnitName: n.name, Level: n.level}
		if n.level == decisionLevel {
			stop.Decides = true
			route = append(route, stop)
			return route, nil
		}
		route = append(route, stop)
	}
	return nil, &domain.Error{Op: op, Kind: domain.KindInvalid, Message: "no unit at the deciding level above this unit",
		Fields: []domain.FieldError{{Field: "unit_id", Message: "no " + decisionLevel + " above " + unitID}}}
}
