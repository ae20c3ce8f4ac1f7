package refdata

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tdkt/tdkt/internal/authority"
	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/postgres"
)

const ruleColumns = `id, award_code, submitter_level, coalesce(submitter_kind, ''), coalesce(nominee_kind, ''),
	decision_level, procedure, stages, to_char(valid_from, 'YYYY-MM-DD'), coalesce(to_char(valid_to, 'YYYY-MM-DD'), '')`

func scanRule(r pgx.Row) (authority.Rule, error) {
	var rule authority.Rule
	var stages []byte
	err := r.Scan(&rule.ID, &rule.AwardCode, &rule.SubmitterLevel, &rule.SubmitterKind, &rule.NomineeKind,
		&rule.DecisionLevel, &rule.Procedure, &stages, &rule.ValidFrom, &rule.ValidTo)
	if err != nil {
		return rule, err
	}
	return rule, json.Unmarshal(stages, &rule.Stages)
}

// AuthorityRules returns the matrix, optionally for one award.
func (s *Store) AuthorityRules(ctx context.Context, award string) ([]authority.Rule, error) {
	rows, err := s.Pool.Query(ctx, `SELECT `+ruleColumns+` FROM authority_rules
		WHERE $1 = '' OR award_code = $1 ORDER BY award_code, submitter_level, valid_from, id`, award)
	if err != nil {
		return nil, postgres.Translate("refdata.AuthorityRules", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (authority.Rule, error) { return scanRule(r) })
	return out, postgres.Translate("refdata.AuthorityRules", err)
}

// SaveAuthorityRule inserts (ID 0) or updates a rule. Dossiers keep the route they
// were created with, so changing a rule affects only new dossiers.
func (s *Store) SaveAuthorityRule(ctx context.Context, r authority.Rule) (authority.Rule, error) {
	const op = "refdata.SaveAuthorityRule"
	stages, err := json.Marshal(r.Stages)
	if err != nil {
		return r, postgres.Translate(op, err)
	}
	nullable := func(v string) any {
		if v == "" {
			return nil
		}
		return v
	}
	var row pgx.Row
	if r.ID == 0 {
		row = s.Pool.QueryRow(ctx, `INSERT INTO authority_rules (award_code, submitter_level, submitter_kind, nominee_kind,
			decision_level, procedure, stages, valid_from, valid_to) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
			RETURNING `+ruleColumns, r.AwardCode, r.SubmitterLevel, nullable(r.SubmitterKind), nullable(r.NomineeKind),
			r.DecisionLevel, r.Procedure, stages, r.ValidFrom, nullable(r.ValidTo))
	} else {
		row = s.Pool.QueryRow(ctx, `UPDATE authority_rules SET award_code = $2, submitter_level = $3, submitter_kind = $4,
			nominee_kind = $5, decision_level = $6, procedure = $7, stages = $8, valid_from = $9, valid_to = $10, updated_at = now()
			WHERE id = $1 RETURNING `+ruleColumns, r.ID, r.AwardCode, r.SubmitterLevel, nullable(r.SubmitterKind),
			nullable(r.NomineeKind), r.DecisionLevel, r.Procedure, stages, r.ValidFrom, nullable(r.ValidTo))
	}
	out, err := scanRule(row)
	return out, postgres.Translate(op, err)
}

// DeleteAuthorityRule removes a rule; KindNotFound if unknown.
func (s *Store) DeleteAuthorityRule(ctx context.Context, id int64) error {
	tag, err := s.Pool.Exec(ctx, `DELETE FROM authority_rules WHERE id = $1`, id)
	if err != nil {
		return postgres.Translate("refdata.DeleteAuthorityRule", err)
	}
	if tag.RowsAffected() == 0 {
		return &domain.Error{Op: "refdata.DeleteAuthorityRule", Kind: domain.KindNotFound, Message: "no such rule"}
	}
	return nil
}

// ancestry returns the unit and its ancestors (whatever their dates) as a tree.
func (s *Store) ancestry(ctx context.Context, unitID string) (authority.MapTree, error) {
	rows, err := s.Pool.Query(ctx, `WITH RECURSIVE up AS (
			SELECT u.* FROM units u WHERE u.id = $1
			UNION ALL
			SELECT p.* FROM units p JOIN up ON p.id = up.parent_id)
		SELECT id, coalesce(parent_id, ''), name, level, kind, to_char(valid_from, 'YYYY-MM-DD'),
			coalesce(to_char(valid_to, 'YYYY-MM-DD'), '') FROM up LIMIT 64`, unitID)
	if err != nil {
		return nil, err
	}
	tree := authority.MapTree{}
	for rows.Next() {
		var u authority.Unit
		if err := rows.Scan(&u.ID, &u.ParentID, &u.Name, &u.Level, &u.Kind, &u.ValidFrom, &u.ValidTo); err != nil {
			rows.Close()
			return nil, err
		}
		tree[u.ID] = u
	}
	return tree, rows.Err()
}

// RouteResult is a derived route with the rule it came from.
type RouteResult struct {
	Rule  authority.Rule
	Route []domain.RouteStop
}

// Route derives a dossier's route from the authority rule in force on day `on` for
// (award, the submitting unit's level and kind, the nominees' kind — "" when they
// mix) and the unit tree of that day. It fails with KindInvalid when no rule lets
// this unit propose this award or no deciding unit is above it.
func (s *Store) Route(ctx context.Context, unitID, awardCode, nomineeKind string, on time.Time) (RouteResult, error) {
	const op = "refdata.Route"
	day := on.In(calendar.Zone).Format("2006-01-02")
	tree, err := s.ancestry(ctx, unitID)
	if err != nil {
		return RouteResult{}, postgres.Translate(op, err)
	}
	u, ok := tree[unitID]
	if !ok {
		return RouteResult{}, &domain.Error{Op: op, Kind: domain.KindInvalid, Message: "unknown unit",
			Fields: []domain.FieldError{{Field: "unit_id", Message: "no such unit"}}}
	}
	rules, err := s.AuthorityRules(ctx, awardCode)
	if err != nil {
		return RouteResult{}, err
	}
	rule, err := authority.SelectRule(rules, awardCode, u.Level, u.Kind, nomineeKind, day)
	if errors.Is(err, authority.ErrNoRule) {
		return RouteResult{}, &domain.Error{Op: op, Kind: domain.KindInvalid, Message: "this unit cannot propose this award",
			Fields: []domain.FieldError{{Field: "award_code", Message: "no authority rule for a unit of this level on this day"}}}
	}
	route, err := authority.DeriveRoute(tree, rule, unitID, day)
	if err != nil {
		return RouteResult{}, &domain.Error{Op: op, Kind: domain.KindInvalid, Message: "no route for this dossier",
			Fields: []domain.FieldError{{Field: "unit_id", Message: err.Error()}}, Err: err}
	}
	return RouteResult{Rule: rule, Route: route}, nil
}
