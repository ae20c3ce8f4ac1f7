package inbox

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/postgres"
)

// InboxEntry is an inbox task with the user who has claimed it (người xử lý), so
// that everyone holding the task's role sees who is handling it. Acting is true
// when the user sees the task only as the acting holder of a delegator's role.
type InboxEntry struct {
	domain.Task
	AssigneeID   int64  `json:"assignee_id,omitempty"`
	AssigneeName string `json:"assignee_name,omitempty"`
	Acting       bool   `json:"acting,omitempty"`
	// The dossier's columns of the inbox (app.Service.InboxWithAssignees fills them
	// from DossierRows): its code, the submitting unit, the number of nominees and
	// the working days left until the due date (negative when overdue).
	DossierCode     string `json:"dossier_code,omitempty"`
	SenderUnitID    string `json:"sender_unit_id,omitempty"`
	SenderUnitName  string `json:"sender_unit_name,omitempty"`
	NomineeCount    int    `json:"nominee_count,omitempty"`
	NomineeNames    string `json:"-"` // for the inbox's text filter
	WorkingDaysLeft *int   `json:"working_days_left,omitempty"`
	// AtRisk: at least AtRiskPercent of the step's time limit has run.
	AtRisk bool `json:"at_risk,omitempty"`
}

// InboxWithAssigneesQuery is InboxQuery with the assignee of each task, over the
// (unit, role) pairs the user holds or acts in under a delegation in force on day
// $3: the same per-pair LATERAL read in the order of tasks_inbox_idx, then a join
// to the assignee's name for the page only. Each task belongs to one (unit, role)
// pair, so a pair held both ways lists its tasks once.
const InboxWithAssigneesQuery = `WITH roles AS (
	SELECT r.unit_id, r.role, bool_or(r.user_id = $1) AS own
	FROM role_assignments r
	WHERE r.user_id = $1 OR r.user_id IN (
		SELECT d.from_user_id FROM delegations d JOIN users g ON g.id = d.from_user_id
		WHERE d.to_user_id = $1 AND g.active AND d.revoked_at IS NULL AND d.valid_from <= $3 AND d.valid_to >= $3)
	GROUP BY r.unit_id, r.role)
SELECT t.id, t.nomination_id, n.title, n.award_code, n.status, n.version, t.step, t.unit_id, u.name,
	t.role, t.due_at, t.created_at, t.overdue_at IS NOT NULL, coalesce(t.assignee_id, 0), coalesce(a.full_name, ''), NOT r.own
FROM roles r
CROSS JOIN LATERAL (
	SELECT t.* FROM tasks t
	WHERE t.unit_id = r.unit_id AND t.role = r.role AND t.status = 'open'
	ORDER BY t.due_at, t.id
	LIMIT $2) t
JOIN nominations n ON n.id = t.nomination_id
JOIN units u ON u.id = t.unit_id
LEFT JOIN users a ON a.id = t.assignee_id
ORDER BY t.due_at, t.id
LIMIT $2`

// InboxWithAssignees returns the open tasks of every (unit, role) the user holds,
// or acts in under a delegation in force on day, soonest due first, each with its
// assignee when someone has claimed it.
func (s *Store) InboxWithAssignees(ctx context.Context, userID int64, limit int, day calendar.Date, now time.Time) ([]InboxEntry, error) {
	const op = "inbox.InboxWithAssignees"
	if limit <= 0 || limit > 200 {
		limit = 100
	}
	rows, err := s.Pool.Query(ctx, InboxWithAssigneesQuery, userID, limit, day.Time(time.UTC))
	if err != nil {
		return nil, postgres.Translate(op, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (InboxEntry, error) { return scanInboxEntry(r, now, true) })
	return out, postgres.Translate(op, err)
}

func scanInboxEntry(r pgx.Row, now time.Time, withActing bool) (InboxEntry, error) {
	var e InboxEntry
	t := &e.Task
	var flagged bool
	dst := []any{&t.ID, &t.NominationID, &t.NominationTitle, &t.AwardCode, &t.Status, &t.Version, &t.Step,
		&t.UnitID, &t.UnitName, &t.Role, &t.DueAt, &t.CreatedAt, &flagged, &e.AssigneeID, &e.AssigneeName}
	if withActing {
		dst = append(dst, &e.Acting)
	}
	err := r.Scan(dst...)
	// Overdue once the workflow's deadline timer has flagged it, or past its due date.
	t.Overdue = flagged || (t.DueAt != nil && now.After(*t.DueAt))
	return e, err
}

// OpenTaskWithAssignee returns one open task with its assignee; KindNotFound when
// the task is unknown or no longer open.
func (s *Store) OpenTaskWithAssignee(ctx context.Context, taskID int64, now time.Time) (InboxEntry, error) {
	e, err := scanInboxEntry(s.Pool.QueryRow(ctx, `SELECT t.id, t.nomination_id, n.title, n.award_code, n.status, n.version,
			t.step, t.unit_id, u.name, t.role, t.due_at, t.created_at, t.overdue_at IS NOT NULL, coalesce(t.assignee_id, 0), coalesce(a.full_name, '')
		FROM tasks t JOIN nominations n ON n.id = t.nomination_id JOIN units u ON u.id = t.unit_id
		LEFT JOIN users a ON a.id = t.assignee_id
		WHERE t.id = $1 AND t.status = 'open'`, taskID), now, false)
	return e, postgres.Translate("inbox.OpenTaskWithAssignee", err)
}

// ActsInRole reports whether the user holds one of roles in exactly unitID, either
// directly or as the acting holder (người được ủy quyền) under a delegation in force
// on day from an active user who holds it.
func (s *Store) ActsInRole(ctx context.Context, userID int64, unitID string, roles []string, day calendar.Date) (bool, error) {
	var ok bool
	err := s.Pool.QueryRow(ctx, `SELECT EXISTS (
		SELECT 1 FROM role_assignments ra JOIN users u ON u.id = ra.user_id
		WHERE u.active AND ra.unit_id = $2 AND ra.role = ANY($3) AND (ra.user_id = $1 OR ra.user_id IN (
			SELECT d.from_user_id FROM delegations d
			WHERE d.to_user_id = $1 AND d.revoked_at IS NULL AND d.valid_from <= $4 AND d.valid_to >= $4)))`,
		userID, unitID, roles, day.Time(time.UTC)).Scan(&ok)
	return ok, postgres.Translate("inbox.ActsInRole", err)
}

// ClaimTask makes the user the assignee of an open task (nhận xử lý). Claiming a
// task one already holds changes nothing. It returns KindNotFound when the task is
// unknown or closed and KindConflict when someone else has claimed it: the unit
// head reassigns it, or its assignee releases it.
func (s *Store) ClaimTask(ctx context.Context, taskID, userID int64) error {
	const op = "inbox.ClaimTask"
	return s.InTx(ctx, op, func(tx pgx.Tx) error {
		var current int64
		if err := tx.QueryRow(ctx, `SELECT coalesce(assignee_id, 0) FROM tasks WHERE id = $1 AND status = 'open' FOR UPDATE`,
			taskID).Scan(&current); err != nil {
			return err
		}
		if current == userID {
			return nil
		}
		if current != 0 {
			return domain.Errorf(domain.KindConflict, "another user has already claimed this task")
		}
		_, err := tx.Exec(ctx, `UPDATE tasks SET assignee_id = $2 WHERE id = $1`, taskID, userID)
		return err
	})
}

// AssignTask makes assigneeID the assignee of an open task, whoever held it (phân
// công lại), and notifies the new assignee in the same transaction. It returns
// KindNotFound when the task is unknown or closed.
func (s *Store) AssignTask(ctx context.Context, taskID, assigneeID, byUserID int64, at time.Time) error {
	const op = "inbox.AssignTask"
	return s.InTx(ctx, op, func(tx pgx.Tx) error {
		var nominationID, title, step string
		var previous int64
		if err := tx.QueryRow(ctx, `SELECT t.nomination_id, n.title, t.step, coalesce(t.assignee_id, 0)
			FROM tasks t JOIN nominations n ON n.id = t.nomination_id
			WHERE t.id = $1 AND t.status = 'open' FOR UPDATE OF t`, taskID).Scan(&nominationID, &title, &step, &previous); err != nil {
			return err
		}
		if previous == assigneeID {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE tasks SET assignee_id = $2 WHERE id = $1`, taskID, assigneeID); err != nil {
			return err
		}
		var by string
		if err := tx.QueryRow(ctx, `SELECT full_name FROM users WHERE id = $1`, byUserID).Scan(&by); err != nil {
			return err
		}
		_, err := NotifyTx(ctx, tx, NewNotification{UserID: assigneeID, Kind: "assignment",
			Title: "Được giao xử lý hồ sơ: " + title,
			Body:  by + " giao cho bạn bước " + step + " của hồ sơ này.",
			Link:  "/dossiers/" + nominationID, At: at})
		return err
	})
}

// ReleaseTask clears the assignee of an open task (trả lại việc). When onlyAssignee
// is non-zero the task must be claimed by that user, else the answer is
// KindConflict; an unclaimed task is left as it is. KindNotFound when the task is
// unknown or closed.
func (s *Store) ReleaseTask(ctx context.Context, taskID, onlyAssignee int64) error {
	const op = "inbox.ReleaseTask"
	return s.InTx(ctx, op, func(tx pgx.Tx) error {
		var current int64
		if err := tx.QueryRow(ctx, `SELECT coalesce(assignee_id, 0) FROM tasks WHERE id = $1 AND status = 'open' FOR UPDATE`,
			taskID).Scan(&current); err != nil {
			return err
		}
		if current == 0 {
			return nil
		}
		if onlyAssignee != 0 && current != onlyAssignee {
			return domain.Errorf(domain.KindConflict, "the task is claimed by another user")
		}
		_, err := tx.Exec(ctx, `UPDATE tasks SET assignee_id = NULL WHERE id = $1`, taskID)
		return err
	})
}
