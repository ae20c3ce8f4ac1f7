package awards

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/history"
)

// adoptPeople makes the people recorded in unitID with a citizen identity number
// (history.IsCitizenID) that another unit already knows the same subject: the
// subject moves to unitID, with its whole history, and the unit it leaves is
// kept in subject_units. A person the unit already knows by that code stays as
// it is. Where two other units hold the code (recorded before this rule), the one
// updated last moves. It returns the ids of the subjects moved.
func adoptPeople(ctx context.Context, tx pgx.Tx, unitID string, codes []string, at time.Time) ([]int64, error) {
	var ids []string
	for _, c := range codes {
		if history.IsCitizenID(c) {
			ids = append(ids, c)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := tx.Query(ctx, `WITH moved AS (
			SELECT DISTINCT ON (s.code) s.id, s.unit_id FROM subjects s
			WHERE s.kind = 'individual' AND s.code = ANY($2) AND s.unit_id <> $1
			  AND NOT EXISTS (SELECT 1 FROM subjects o WHERE o.unit_id = $1 AND o.code = s.code)
			ORDER BY s.code, s.updated_at DESC, s.id),
		left_units AS (
			INSERT INTO subject_units (subject_id, unit_id, left_at) SELECT id, unit_id, $3 FROM moved)
		UPDATE subjects s SET unit_id = $1, updated_at = $3 FROM moved WHERE s.id = moved.id
		RETURNING s.id`, unitID, ids, at)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}

// createOrAdoptSubject is CreateSubject's transaction: a person another unit knows
// by the same citizen identity number moves here (adoptPeople) with the name, job
// and organisation given; anyone else is created.
func createOrAdoptSubject(ctx context.Context, tx pgx.Tx, sub history.Subject) (history.Subject, error) {
	if sub.Kind == domain.NomineeIndividual {
		moved, err := adoptPeople(ctx, tx, sub.UnitID, []string{sub.Code}, time.Now())
		if err != nil {
			return history.Subject{}, err
		}
		if len(moved) == 1 {
			return scanSubject(tx.QueryRow(ctx, `UPDATE subjects SET name = $2, job_title = $3, organisation = $4
				WHERE id = $1 RETURNING `+subjectColumns, moved[0], sub.Name, sub.JobTitle, sub.Organisation))
		}
	}
	return scanSubject(tx.QueryRow(ctx, `INSERT INTO subjects (unit_id, code, kind, name, job_title, organisation)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING `+subjectColumns,
		sub.UnitID, sub.Code, sub.Kind, sub.Name, sub.JobTitle, sub.Organisation))
}
