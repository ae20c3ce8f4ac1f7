package httpapi_test

import (
	"context"
	"net/http"
	"time"
)

// meID returns a demo user's id, from GET /me.
func meID(b *bundle, user string) int64 {
	b.t.Helper()
	r := b.must(http.StatusOK, user, "GET", "/api/v1/me", nil)
	id, ok := r.body["id"].(float64)
	if !ok {
		b.t.Fatalf("GET /me as %s: no id in %s", user, r.raw)
	}
	return int64(id)
}

// plantedTask is an open task written straight into the read model, for the reads
// and task operations that never touch the dossier's workflow.
type plantedTask struct {
	unit, role, step string
	due              *time.Time
	status           string // "" = open
}

// plantTask inserts a dossier of the demo commune with one task, and returns the
// dossier's and the task's ids.
func plantTask(b *bundle, title string, pt plantedTask) (nominationID string, taskID int64) {
	b.t.Helper()
	ctx := context.Background()
	if pt.status == "" {
		pt.status = "open"
	}
	err := b.pool.QueryRow(ctx, `WITH n AS (
			INSERT INTO nominations (workflow_id, unit_id, award_code, year, title, status, current_step, current_unit_id, route, created_by)
			SELECT 'planted-' || gen_random_uuid(), 'LS-09-003', 'BK_TINH', 2026, $1, 'appraising', $4, $2, '[]',
				(SELECT id FROM users WHERE username = 'xa.clerk')
			RETURNING id)
		INSERT INTO tasks (nomination_id, seq, step, unit_id, role, status, due_at, created_at)
		SELECT n.id, 1, $4, $2, $3, $5, $6, now() FROM n
		RETURNING nomination_id, id`, title, pt.unit, pt.role, pt.step, pt.status, pt.due).Scan(&nominationID, &taskID)
	if err != nil {
		b.t.Fatalf("plant task: %v", err)
	}
	return nominationID, taskID
}
