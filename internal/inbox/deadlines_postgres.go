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
// counts as open. Each unit's open tasks are read from tasks_open_unit_due_idx
// alone, aggregated by hash in any order (the caller sums them).
//
// The tasks at risk are counted apart, from the range of the index due between
// now and the latest limit of any step (a few days of tasks), each joined with its
// step's limit there, rather than every open task of the scope in one pass
// (P79's 169 units and 21,740 open tasks at 1M dossiers, pgbench with one client:
// 9.1–10.1 ms a statement in one pass, 8.0–9.1 ms so).
func (s *Store) DeadlineCounts(ctx context.Context, units []string, now, soonUntil time.Time,
	atRiskUntil map[domain.Step]time.Time) ([]DeadlineCount, error) {
	const op = "inbox.DeadlineCounts"
	steps := make([]string, 0, len(atRiskUntil))
	limits := make([]time.Time, 0, len(atRiskUntil))
	latest := now // no step at risk: the range is empty past now
	for st, t := range atRiskUntil {
		steps = append(steps, string(st))
		limits = append(limits, t)
		if t.After(latest) {
			latest = t
		}
	}
	rows, err := s.Pool.Query(ctx, `SELECT a.unit_id, a.step, a.open, a.soon, a.overdue, coalesce(r.at_risk, 0) FROM (
			SELECT t.unit_id, t.step, count(*) AS open,
				count(*) FILTER (WHERE t.due_at >= $2 AND t.due_at <= $3) AS soon,
				count(*) FILTER (WHERE t.due_at < $2) AS overdue
			FROM tasks t
			WHERE t.status = 'open' AND t.unit_id = ANY($1)
			GROUP BY t.unit_id, t.step) a
		LEFT JOIN (
			SELECT t.unit_id, t.step, count(*) AS at_risk
			FROM tasks t JOIN unnest($4::text[], $5::timestamptz[]) AS l(step, until) ON l.step = t.step
			WHERE t.status = 'open' AND t.unit_id = ANY($1) AND t.due_at >= $2 AND t.due_at <= $6 AND t.due_at <= l.until
			GROUP BY t.unit_id, t.step) r ON r.unit_id = a.unit_id AND r.step = a.step`,
		units, now, soonUntil, steps, limits, latest)
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
