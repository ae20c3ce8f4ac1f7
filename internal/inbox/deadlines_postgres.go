package inbox

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/postgres"
)

// DeadlineCount is the number of open tasks of one step waiting in one unit: all of
// them, those due soon (due between now and a limit), those overdue (due before
// now) and those at risk (not overdue, due no later than the step's limit).
type DeadlineCount struct {
	UnitID  string
	Step    domain.Step
	Open    int
	DueSoon int
	Overdue int
	AtRisk  int
}

// DeadlineCounts counts the open tasks waiting in units by unit and step, for the
// deadline dashboard (theo dõi thời hạn). A task is due soon when its due date is
// in [now, soonUntil], overdue when it is before now, and at risk when it is in
// [now, atRiskUntil[step]] (the latest due date at risk for its step, atRiskUntil;
// steps absent from the map have none at risk); a task without a due date only
// counts as open.
//
// The open tasks are not read one by one: they are counted per (unit, step, due
// date) in task_counts, kept by triggers on tasks (migration 0026), and the
// statement sums those counts, classing each due date against the clock. A
// province of 169 units and 21,740 open tasks at 1M dossiers has 10,474 such
// keys; counting its tasks one by one took 18 ms with one client, summing its
// keys 9 ms.
func (s *Store) DeadlineCounts(ctx context.Context, units []string, now, soonUntil time.Time,
	atRiskUntil map[domain.Step]time.Time) ([]DeadlineCount, error) {
	const op = "inbox.DeadlineCounts"
	steps := make([]string, 0, len(atRiskUntil))
	limits := make([]time.Time, 0, len(atRiskUntil))
	for st, t := range atRiskUntil {
		steps = append(steps, string(st))
		limits = append(limits, t)
	}
	rows, err := s.Pool.Query(ctx, `SELECT c.unit_id, c.step, sum(c.n),
			coalesce(sum(c.n) FILTER (WHERE c.due_at >= $2 AND c.due_at <= $3), 0),
			coalesce(sum(c.n) FILTER (WHERE c.due_at < $2), 0),
			coalesce(sum(c.n) FILTER (WHERE c.due_at >= $2 AND c.due_at <= l.until), 0)
		FROM task_counts c LEFT JOIN unnest($4::text[], $5::timestamptz[]) AS l(step, until) ON l.step = c.step
		WHERE c.unit_id = ANY($1)
		GROUP BY c.unit_id, c.step HAVING sum(c.n) <> 0`,
		units, now, soonUntil, steps, limits)
	if err != nil {
		return nil, postgres.Translate(op, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (DeadlineCount, error) {
		var c DeadlineCount
		err := r.Scan(&c.UnitID, &c.Step, &c.Open, &c.DueSoon, &c.Overdue, &c.AtRisk)
		return c, err
	})
	return out, postgres.Translate(op, err)
}

// PurgeTaskCounts removes at most limit rows of task_counts whose count fell to 0
// (a due date whose tasks have all closed or moved), and returns how many it
// removed. A row a writer holds is skipped; a writer that finds a row removed
// inserts a new one (task_counts_add).
func (s *Store) PurgeTaskCounts(ctx context.Context, limit int) (int64, error) {
	tag, err := s.Pool.Exec(ctx, `DELETE FROM task_counts WHERE id IN (
		SELECT id FROM task_counts WHERE n = 0 LIMIT $1 FOR UPDATE SKIP LOCKED) AND n = 0`, limit)
	return tag.RowsAffected(), postgres.Translate("inbox.PurgeTaskCounts", err)
}

// OverdueTask is an open task past its due date, with its dossier and who has
// claimed it, for chasing the unit that holds it.
type OverdueTask struct {
	TaskID          int64       `json:"task_id"`
	NominationID    string      `json:"nomination_id"`
	NominationTitle string      `json:"nomination_title"`
	UnitID          string      `json:"unit_id"`
	UnitName        string      `json:"unit_name"`
	Step            domain.Step `json:"step"`
	Role            string      `json:"role"`
	DueAt           time.Time   `json:"due_at"`
	AssigneeID      int64       `json:"assignee_id,omitempty"`
	AssigneeName    string      `json:"assignee_name,omitempty"`
	// WorkingDaysOverdue is filled in by the caller, which holds the calendar.
	WorkingDaysOverdue int `json:"working_days_overdue"`
}

// OverdueTasks lists the open tasks waiting in units whose due date is before now,
// longest overdue first, at most limit (1–500, default 100).
func (s *Store) OverdueTasks(ctx context.Context, units []string, now time.Time, limit int) ([]OverdueTask, error) {
	const op = "inbox.OverdueTasks"
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	// The page's tasks are picked first: each unit's longest overdue, read in order
	// from tasks_open_unit_due_idx alone, then the page of them all; only those are
	// joined to their dossier and names. (Walking tasks_due_idx in due order and
	// skipping the other units' tasks read 10,900 rows for a province's 200 at 1M
	// dossiers, 229 ms.)
	rows, err := s.Pool.Query(ctx, `SELECT t.id, t.nomination_id, n.title, t.unit_id, u.name, t.step, t.role, t.due_at,
			coalesce(t.assignee_id, 0), coalesce(a.full_name, '')
		FROM (SELECT o.id FROM unnest($1::text[]) AS un(id)
			CROSS JOIN LATERAL (SELECT id, due_at FROM tasks WHERE status = 'open' AND unit_id = un.id AND due_at < $2
				ORDER BY due_at, id LIMIT $3) o
			ORDER BY o.due_at, o.id LIMIT $3) p
		JOIN tasks t ON t.id = p.id JOIN nominations n ON n.id = t.nomination_id JOIN units u ON u.id = t.unit_id
		LEFT JOIN users a ON a.id = t.assignee_id
		ORDER BY t.due_at, t.id`, units, now, limit)
	if err != nil {
		return nil, postgres.Translate(op, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (OverdueTask, error) {
		var t OverdueTask
		err := r.Scan(&t.TaskID, &t.NominationID, &t.NominationTitle, &t.UnitID, &t.UnitName, &t.Step, &t.Role, &t.DueAt,
			&t.AssigneeID, &t.AssigneeName)
		return t, err
	})
	return out, postgres.Translate(op, err)
}
