package statistics

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/tdkt/tdkt/internal/postgres"
)

// AwardTally counts the awardees of unrevoked decisions of a year that share a
// submitting unit, a nominee kind, a dossier kind and an award: the raw material
// of the statistics forms 0602.N and 0603.N of Thông tư 02/2023/TT-BNV.
type AwardTally struct {
	SubmitterID   string `json:"submitting_unit_id"`
	SubmitterName string `json:"submitting_unit_name"`
	NomineeKind   string `json:"nominee_kind"` // individual, collective, household
	// Enterprise: the collectives are enterprises; LeadershipLevel: the
	// individuals' category (migration 0021; '' not stated).
	Enterprise      bool   `json:"enterprise"`
	LeadershipLevel string `json:"leadership_level"`
	Kind            string `json:"kind"` // the dossier's kind: merit, movement, extraordinary…
	AwardCode       string `json:"award_code"`
	AwardName       string `json:"award_name"`
	Count           int    `json:"count"`
}

// AwardTallies counts, per submitting unit, nominee kind and category (enterprise,
// leadership level), dossier kind and award,
// the awardees of the decisions of year that are not revoked, on dossiers of units.
// The award is the one the decision gives (a downgrade gives a lower one than the
// dossier asked for).
func (s *Store) AwardTallies(ctx context.Context, units []string, year int) ([]AwardTally, error) {
	const op = "statistics.AwardTallies"
	rows, err := s.Pool.Query(ctx, `SELECT n.unit_id, su.name, nm.kind, nm.enterprise, nm.leadership_level, n.kind, da.award_code, a.name, count(*)
		FROM decision_awardees da
		JOIN decisions d ON d.id = da.decision_id
		JOIN nominations n ON n.id = d.nomination_id
		JOIN nominees nm ON nm.id = da.nominee_id
		JOIN units su ON su.id = n.unit_id
		JOIN awards a ON a.code = da.award_code
		WHERE d.revoked_at IS NULL AND d.year = $2 AND n.unit_id = ANY($1)
		GROUP BY n.unit_id, su.name, nm.kind, nm.enterprise, nm.leadership_level, n.kind, da.award_code, a.name
		ORDER BY su.name, n.unit_id, da.award_code`, units, year)
	if err != nil {
		return nil, postgres.Translate(op, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (AwardTally, error) {
		var t AwardTally
		err := r.Scan(&t.SubmitterID, &t.SubmitterName, &t.NomineeKind, &t.Enterprise, &t.LeadershipLevel, &t.Kind,
			&t.AwardCode, &t.AwardName, &t.Count)
		return t, err
	})
	return out, postgres.Translate(op, err)
}

// AwardLowestLevel is, for one award, the lowest rank of the levels that the
// authority matrix lets decide it (over all dates), and the catalogue's name.
type AwardLowestLevel struct {
	AwardCode string
	AwardName string
	Rank      int
}

// AwardLevels returns, for each award of the authority matrix, the lowest rank of
// a level that decides it, and the ranks of all levels, highest first. An award
// only ever decided by the top level is a state-level award; one never decided
// below the level under it is a ministry- or province-level award.
func (s *Store) AwardLevels(ctx context.Context) ([]AwardLowestLevel, []int, error) {
	const op = "statistics.AwardLevels"
	rows, err := s.Pool.Query(ctx, `SELECT r.award_code, a.name, min(l.rank)
		FROM authority_rules r JOIN levels l ON l.code = r.decision_level JOIN awards a ON a.code = r.award_code
		GROUP BY r.award_code, a.name ORDER BY r.award_code`)
	if err != nil {
		return nil, nil, postgres.Translate(op, err)
	}
	awards, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (AwardLowestLevel, error) {
		var a AwardLowestLevel
		err := r.Scan(&a.AwardCode, &a.AwardName, &a.Rank)
		return a, err
	})
	if err != nil {
		return nil, nil, postgres.Translate(op, err)
	}
	rows, err = s.Pool.Query(ctx, `SELECT rank FROM levels ORDER BY rank DESC`)
	if err != nil {
		return nil, nil, postgres.Translate(op, err)
	}
	ranks, err := pgx.CollectRows(rows, pgx.RowTo[int])
	return awards, ranks, postgres.Translate(op, err)
}

// MovementTally is one movement launched in a year, with its launching unit's
// level and the number of units registered in it.
type MovementTally struct {
	MovementID    string
	UnitID        string
	LevelCode     string
	LevelName     string
	LevelRank     int
	Implements    bool // it implements a movement launched above
	Registrations int
}

// MovementTallies lists the movements launched by units in the year: the year of
// the launching decision, or of the period's start where the decision has no date.
func (s *Store) MovementTallies(ctx context.Context, units []string, year int) ([]MovementTally, error) {
	const op = "statistics.MovementTallies"
	rows, err := s.Pool.Query(ctx, `SELECT m.id::text, m.unit_id, l.code, l.name, l.rank, m.parent_id IS NOT NULL,
		(SELECT count(*) FROM movement_registrations r WHERE r.movement_id = m.id)
		FROM movements m JOIN units u ON u.id = m.unit_id JOIN levels l ON l.code = u.level
		WHERE m.unit_id = ANY($1) AND extract(year FROM coalesce(m.decision_date, m.period_start))::int = $2
		ORDER BY l.rank DESC, m.unit_id, m.id`, units, year)
	if err != nil {
		return nil, postgres.Translate(op, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (MovementTally, error) {
		var t MovementTally
		err := r.Scan(&t.MovementID, &t.UnitID, &t.LevelCode, &t.LevelName, &t.LevelRank, &t.Implements, &t.Registrations)
		return t, err
	})
	return out, postgres.Translate(op, err)
}
