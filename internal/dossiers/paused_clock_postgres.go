package dossiers

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/tdkt/tdkt/internal/postgres"
)

// PausedClock returns the due date of the last task of a dossier at unitID that a
// return for supplementation closed, and when it was returned: the level's clock
// as it stood when it paused. ok is false when no such task with a due date exists.
func (s *Store) PausedClock(ctx context.Context, nominationID, unitID string) (due, returnedAt time.Time, ok bool, err error) {
	err = s.Pool.QueryRow(ctx, `SELECT due_at, done_at FROM tasks
		WHERE nomination_id = $1 AND unit_id = $2 AND status = 'done' AND outcome = 'return'
			AND due_at IS NOT NULL AND done_at IS NOT NULL
		ORDER BY done_at DESC, id DESC LIMIT 1`, nominationID, unitID).Scan(&due, &returnedAt)
	if err == pgx.ErrNoRows {
		return due, returnedAt, false, nil
	}
	if err != nil {
		return due, returnedAt, false, postgres.Translate("dossiers.PausedClock", err)
	}
	return due, returnedAt, true, nil
}
