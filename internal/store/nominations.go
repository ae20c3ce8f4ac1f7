package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tdkt/tdkt/internal/domain"
)

// NewNomination is a validated dossier ready to be stored in draft.
type NewNomination struct {
	ID         string // chosen by the caller so the workflow ID is known before insert
	WorkflowID string
	UnitID     string
	AwardCode  string
	Year       int
	Title      string
	CreatedBy  int64
	Route      []domain.RouteStop
	Nominees   []domain.Nominee
	At         time.Time
}

// CreateNominationTx inserts a draft dossier, its nominees, the submit task in the
// submitting unit's inbox and the audit event "create" (seq 0), inside tx. The
// caller commits only after the dossier's workflow has started, so a failed start
// leaves nothing behind.
func CreateNominationTx(ctx context.Context, tx pgx.Tx, n NewNomination) error {
	const op = "store.CreateNomination"
	route, err := json.Marshal(n.Route)
	if err != nil {
		return translate(op, err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO nominations
		(id, workflow_id, unit_id, award_code, year, title, status, current_step, current_unit_id, route, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $3, $9, $10, $11, $11)`,
		n.ID, n.WorkflowID, n.UnitID, n.AwardCode, n.Year, n.Title, domain.StatusDraft, domain.StepSubmit,
		route, n.CreatedBy, n.At); err != nil {
		return translate(op, err)
	}
	if err := insertNominees(ctx, tx, n.ID, n.Nominees); err != nil {
		return translate(op, err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO tasks (nomination_id, seq, step, unit_id, role, created_at)
		VALUES ($1, 0, $2, $3, $4, $5)`, n.ID, domain.StepSubmit, n.UnitID, domain.StepRole(domain.StepSubmit), n.At); err != nil {
		return translate(op, err)
	}
	details, _ := json.Marshal(map[string]any{"award_code": n.AwardCode, "year": n.Year, "nominees": len(n.Nominees)})
	if _, err := tx.Exec(ctx, `INSERT INTO audit_events (nomination_id, seq, at, actor_id, action, to_status, unit_id, details)
		VALUES ($1, 0, $2, $3, 'create', $4, $5, $6)`, n.ID, n.At, n.CreatedBy, domain.StatusDraft, n.UnitID, details); err != nil {
		return translate(op, err)
	}
	return nil
}

func insertNominees(ctx context.Context, tx pgx.Tx, nominationID string, ns []domain.Nominee) error {
	rows := make([][]any, len(ns))
	for i, nm := range ns {
		rows[i] = []any{nominationID, i + 1, string(nm.Kind), nm.Name, nm.JobTitle, nm.Organisation, nm.Achievements}
	}
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"nominees"},
		[]string{"nomination_id", "position", "kind", "name", "job_title", "organisation", "achievements"},
		pgx.CopyFromRows(rows))
	return err
}

// BeginTx starts a transaction for callers that must span a store write and an
// external call (creating a dossier and starting its workflow).
func (s *Store) BeginTx(ctx context.Context) (pgx.Tx, error) {
	tx, err := s.pool.Begin(ctx)
	return tx, translate("store.BeginTx", err)
}

// ReplaceNominees replaces the nominees of a dossier that is still with its
// submitting unit (draft or returned): the supplementation of a returned dossier.
// It fails with a conflict when the dossier has moved on.
func (s *Store) ReplaceNominees(ctx context.Context, nominationID, title string, ns []domain.Nominee) error {
	const op = "store.ReplaceNominees"
	return s.inTx(ctx, op, func(tx pgx.Tx) error {
		var status string
		if err := tx.QueryRow(ctx, `SELECT status FROM nominations WHERE id = $1 FOR UPDATE`, nominationID).Scan(&status); err != nil {
			return translate(op, err)
		}
		if status != string(domain.StatusDraft) && status != string(domain.StatusReturned) {
			return domain.Errorf(domain.KindConflict, "dossier is %s: only a draft or returned dossier can be edited", status)
		}
		if title != "" {
			if _, err := tx.Exec(ctx, `UPDATE nominations SET title = $2, updated_at = now() WHERE id = $1`, nominationID, title); err != nil {
				return err
			}
		}
		if ns == nil {
			return nil
		}
		if _, err := tx.Exec(ctx, `DELETE FROM nominees WHERE nomination_id = $1`, nominationID); err != nil {
			return err
		}
		return insertNominees(ctx, tx, nominationID, ns)
	})
}

// Record writes one workflow transition in one transaction: the dossier's new
// projection, the task it closes and the one it opens (due at dueAt), the decision
// (numbered per issuing unit and year, gapless) and the audit event. It is
// idempotent on (dossier, seq): a retry after a commit returns the first outcome.
func (s *Store) Record(ctx context.Context, t domain.Transition, dueAt *time.Time) (domain.RecordResult, error) {
	const op = "store.Record"
	var res domain.RecordResult
	err := s.inTx(ctx, op, func(tx pgx.Tx) error {
		// Serialise transitions of one dossier and detect a retry of a committed one.
		var version int
		if err := tx.QueryRow(ctx, `SELECT version FROM nominations WHERE id = $1 FOR UPDATE`, t.NominationID).Scan(&version); err != nil {
			return err
		}
		if version >= t.Seq {
			var action string
			err := tx.QueryRow(ctx, `SELECT action FROM audit_events WHERE nomination_id = $1 AND seq = $2`, t.NominationID, t.Seq).Scan(&action)
			if err != nil {
				return fmt.Errorf("dossier at version %d has no event %d: %w", version, t.Seq, err)
			}
			if action != string(t.Action) {
				return fmt.Errorf("event %d of dossier %s is %q, not %q", t.Seq, t.NominationID, action, t.Action)
			}
			d, err := decisionOf(ctx, tx, t.NominationID)
			res.Decision = d
			return err
		}
		if version != t.Seq-1 {
			return fmt.Errorf("dossier %s is at version %d; cannot record event %d", t.NominationID, version, t.Seq)
		}
		missing, _ := json.Marshal(nonNil(t.MissingItems))
		closed := t.ToStatus.Terminal()
		var curUnit any
		if t.CurrentUnitID != "" {
			curUnit = t.CurrentUnitID
		}
		if _, err := tx.Exec(ctx, `UPDATE nominations SET status = $2, current_step = $3, current_unit_id = $4,
				route_index = $5, version = $6, missing_items = CASE WHEN $7 = 'return' THEN $8::jsonb ELSE missing_items END,
				reason = CASE WHEN $9 <> '' THEN $9 ELSE reason END, updated_at = $10,
				submitted_at = CASE WHEN $7 = 'submit' AND submitted_at IS NULL THEN $10 ELSE submitted_at END,
				closed_at = CASE WHEN $11 THEN $10 ELSE closed_at END
			WHERE id = $1`,
			t.NominationID, t.ToStatus, t.Step, curUnit, t.RouteIndex, t.Seq, string(t.Action), missing,
			t.Reason, t.At, closed); err != nil {
			return err
		}
		taskStatus := "done"
		if t.Action == domain.ActionWithdraw {
			taskStatus = "cancelled"
		}
		if _, err := tx.Exec(ctx, `UPDATE tasks SET status = $2, done_at = $3, done_by = $4, outcome = $5
			WHERE nomination_id = $1 AND status = 'open'`, t.NominationID, taskStatus, t.At, t.ActorID, string(t.Action)); err != nil {
			return err
		}
		if t.Step != "" {
			if _, err := tx.Exec(ctx, `INSERT INTO tasks (nomination_id, seq, step, unit_id, role, due_at, created_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`,
				t.NominationID, t.Seq, t.Step, t.CurrentUnitID, domain.StepRole(t.Step), dueAt, t.At); err != nil {
				return err
			}
		}
		details := map[string]any{}
		if len(t.MissingItems) > 0 {
			details["missing_items"] = t.MissingItems
		}
		if t.Reason != "" {
			details["reason"] = t.Reason
		}
		if t.Note != "" {
			details["note"] = t.Note
		}
		if t.Step != "" {
			details["next_step"] = t.Step
			details["next_unit_id"] = t.CurrentUnitID
		}
		switch t.ToStatus {
		case domain.StatusDecided:
			if _, err := tx.Exec(ctx, `UPDATE nominees SET status = 'awarded' WHERE nomination_id = $1`, t.NominationID); err != nil {
				return err
			}
		case domain.StatusRejected, domain.StatusWithdrawn:
			if _, err := tx.Exec(ctx, `UPDATE nominees SET status = $2 WHERE nomination_id = $1`, t.NominationID, string(t.ToStatus)); err != nil {
				return err
			}
		}
		if t.Decide {
			d, err := issueDecision(ctx, tx, t)
			if err != nil {
				return err
			}
			res.Decision = d
			details["decision_code"] = d.Code
			details["decision_number"] = d.Number
		}
		detailsJSON, _ := json.Marshal(details)
		_, err := tx.Exec(ctx, `INSERT INTO audit_events (nomination_id, seq, at, actor_id, action, from_status, to_status, unit_id, details)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			t.NominationID, t.Seq, t.At, t.ActorID, string(t.Action), t.FromStatus, t.ToStatus, t.UnitID, detailsJSON)
		return err
	})
	return res, err
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// issueDecision takes the next number of the issuing unit's yearly register. The
// counter row is locked by the upsert, so concurrent decisions of one unit queue
// and the numbers stay unique and gapless (a rolled-back transaction returns its number).
func issueDecision(ctx context.Context, tx pgx.Tx, t domain.Transition) (*domain.Decision, error) {
	signedOn := t.At.In(vietnam)
	year := signedOn.Year()
	var number int
	if err := tx.QueryRow(ctx, `INSERT INTO decision_counters (unit_id, year, last_number) VALUES ($1, $2, 1)
		ON CONFLICT (unit_id, year) DO UPDATE SET last_number = decision_counters.last_number + 1
		RETURNING last_number`, t.DecisionUnitID, year).Scan(&number); err != nil {
		return nil, err
	}
	code := fmt.Sprintf("%d/QĐ-%s", number, decisionSuffix(t.DecisionUnitID))
	d := &domain.Decision{NominationID: t.NominationID, UnitID: t.DecisionUnitID, Year: year, Number: number,
		Code: code, SignedBy: t.ActorID, SignedOn: signedOn.Format("2006-01-02"), CreatedAt: t.At}
	_, err := tx.Exec(ctx, `INSERT INTO decisions (nomination_id, unit_id, year, number, code, signed_by, signed_on, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, d.NominationID, d.UnitID, d.Year, d.Number, d.Code, d.SignedBy, d.SignedOn, d.CreatedAt)
	return d, err
}

// decisionSuffix is the issuing-body part of a decision code: UBND (People's
// Committee) for local units, TTg for the Prime Minister.
func decisionSuffix(unitID string) string {
	if unitID == "TW" {
		return "TTg"
	}
	return "UBND"
}

var vietnam = time.FixedZone("ICT", 7*3600)

func decisionOf(ctx context.Context, q pgx.Tx, nominationID string) (*domain.Decision, error) {
	var d domain.Decision
	var signedOn time.Time
	err := q.QueryRow(ctx, `SELECT nomination_id, unit_id, year, number, code, signed_by, signed_on, created_at
		FROM decisions WHERE nomination_id = $1`, nominationID).
		Scan(&d.NominationID, &d.UnitID, &d.Year, &d.Number, &d.Code, &d.SignedBy, &signedOn, &d.CreatedAt)
	if err == pgx.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	d.SignedOn = signedOn.Format("2006-01-02")
	return &d, nil
}

const nominationColumns = `n.id, n.workflow_id, n.unit_id, u.name, n.award_code, a.name, n.year, n.title, n.status,
	n.current_step, coalesce(n.current_unit_id, ''), n.route, n.route_index, n.version, n.missing_items, n.reason,
	n.created_by, n.created_at, n.updated_at, n.submitted_at, n.closed_at`

const nominationFrom = ` FROM nominations n JOIN units u ON u.id = n.unit_id JOIN awards a ON a.code = n.award_code`

func scanNomination(row pgx.Row) (domain.Nomination, error) {
	var n domain.Nomination
	var route, missing []byte
	err := row.Scan(&n.ID, &n.WorkflowID, &n.UnitID, &n.UnitName, &n.AwardCode, &n.AwardName, &n.Year, &n.Title,
		&n.Status, &n.CurrentStep, &n.CurrentUnitID, &route, &n.RouteIndex, &n.Version, &missing, &n.Reason,
		&n.CreatedBy, &n.CreatedAt, &n.UpdatedAt, &n.SubmittedAt, &n.ClosedAt)
	if err != nil {
		return n, err
	}
	if err := json.Unmarshal(route, &n.Route); err != nil {
		return n, err
	}
	if err := json.Unmarshal(missing, &n.MissingItems); err != nil {
		return n, err
	}
	return n, nil
}

// Nomination returns a dossier with its nominees and decision; KindNotFound if unknown.
func (s *Store) Nomination(ctx context.Context, id string) (domain.Nomination, error) {
	const op = "store.Nomination"
	if !isUUID(id) {
		return domain.Nomination{}, &domain.Error{Op: op, Kind: domain.KindNotFound, Message: "no such dossier"}
	}
	n, err := scanNomination(s.pool.QueryRow(ctx, `SELECT `+nominationColumns+nominationFrom+` WHERE n.id = $1`, id))
	if err != nil {
		return n, translate(op, err)
	}
	rows, err := s.pool.Query(ctx, `SELECT id, position, kind, name, job_title, organisation, achievements, status
		FROM nominees WHERE nomination_id = $1 ORDER BY position`, id)
	if err != nil {
		return n, translate(op, err)
	}
	n.Nominees, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Nominee, error) {
		var nm domain.Nominee
		err := r.Scan(&nm.ID, &nm.Position, &nm.Kind, &nm.Name, &nm.JobTitle, &nm.Organisation, &nm.Achievements, &nm.Status)
		return nm, err
	})
	if err != nil {
		return n, translate(op, err)
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return n, translate(op, err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // read-only
	n.Decision, err = decisionOf(ctx, tx, id)
	return n, translate(op, err)
}

func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
				return false
			}
		}
	}
	return true
}

// NominationFilter narrows a dossier list. Units is the set the caller may read
// (from the authorizer); it is always applied.
type NominationFilter struct {
	Units     []string
	UnitID    string
	Status    string
	AwardCode string
	Year      int
	Limit     int
	Offset    int
}

// Nominations lists dossiers newest first, restricted to f.Units.
func (s *Store) Nominations(ctx context.Context, f NominationFilter) ([]domain.Nomination, error) {
	const op = "store.Nominations"
	q := `SELECT ` + nominationColumns + nominationFrom + ` WHERE n.unit_id = ANY($1)`
	args := []any{f.Units}
	add := func(cond string, v any) {
		args = append(args, v)
		q += fmt.Sprintf(" AND "+cond, len(args))
	}
	if f.UnitID != "" {
		add("n.unit_id = $%d", f.UnitID)
	}
	if f.Status != "" {
		add("n.status = $%d", f.Status)
	}
	if f.AwardCode != "" {
		add("n.award_code = $%d", f.AwardCode)
	}
	if f.Year != 0 {
		add("n.year = $%d", f.Year)
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	args = append(args, f.Limit, f.Offset)
	q += fmt.Sprintf(" ORDER BY n.created_at DESC, n.id LIMIT $%d OFFSET $%d", len(args)-1, len(args))
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, translate(op, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Nomination, error) { return scanNomination(r) })
	return out, translate(op, err)
}

// InboxQuery is the inbox read: open tasks of every (unit, role) the user holds,
// soonest due first. For each of the user's assignments a LATERAL subquery reads at
// most $2 tasks in the order of the partial index tasks_inbox_idx, so the cost
// depends on the page size, not on how many tasks a busy standing body has open.
const InboxQuery = `SELECT t.id, t.nomination_id, n.title, n.award_code, n.status, n.version, t.step, t.unit_id, u.name,
	t.role, t.due_at, t.created_at
FROM role_assignments r
CROSS JOIN LATERAL (
	SELECT t.* FROM tasks t
	WHERE t.unit_id = r.unit_id AND t.role = r.role AND t.status = 'open'
	ORDER BY t.due_at, t.id
	LIMIT $2) t
JOIN nominations n ON n.id = t.nomination_id
JOIN units u ON u.id = t.unit_id
WHERE r.user_id = $1
ORDER BY t.due_at, t.id
LIMIT $2`

// Inbox returns the open tasks the user may act on, soonest due first.
func (s *Store) Inbox(ctx context.Context, userID int64, limit int, now time.Time) ([]domain.Task, error) {
	const op = "store.Inbox"
	if limit <= 0 || limit > 200 {
		limit = 100
	}
	rows, err := s.pool.Query(ctx, InboxQuery, userID, limit)
	if err != nil {
		return nil, translate(op, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Task, error) {
		var t domain.Task
		err := r.Scan(&t.ID, &t.NominationID, &t.NominationTitle, &t.AwardCode, &t.Status, &t.Version, &t.Step,
			&t.UnitID, &t.UnitName, &t.Role, &t.DueAt, &t.CreatedAt)
		t.Overdue = t.DueAt != nil && now.After(*t.DueAt)
		return t, err
	})
	return out, translate(op, err)
}

// Task returns one task (open or not); KindNotFound if unknown.
func (s *Store) Task(ctx context.Context, id int64) (domain.Task, error) {
	var t domain.Task
	err := s.pool.QueryRow(ctx, `SELECT t.id, t.nomination_id, n.title, n.award_code, n.status, n.version, t.step,
		t.unit_id, u.name, t.role, t.due_at, t.created_at
		FROM tasks t JOIN nominations n ON n.id = t.nomination_id JOIN units u ON u.id = t.unit_id
		WHERE t.id = $1 AND t.status = 'open'`, id).
		Scan(&t.ID, &t.NominationID, &t.NominationTitle, &t.AwardCode, &t.Status, &t.Version, &t.Step,
			&t.UnitID, &t.UnitName, &t.Role, &t.DueAt, &t.CreatedAt)
	return t, translate("store.Task", err)
}

// History returns a dossier's audit events in order.
func (s *Store) History(ctx context.Context, nominationID string) ([]domain.AuditEvent, error) {
	const op = "store.History"
	rows, err := s.pool.Query(ctx, `SELECT e.seq, e.at, coalesce(e.actor_id, 0), coalesce(us.full_name, ''), e.action,
		e.from_status, e.to_status, coalesce(e.unit_id, ''), e.details
		FROM audit_events e LEFT JOIN users us ON us.id = e.actor_id
		WHERE e.nomination_id = $1 ORDER BY e.seq`, nominationID)
	if err != nil {
		return nil, translate(op, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.AuditEvent, error) {
		var e domain.AuditEvent
		var details []byte
		if err := r.Scan(&e.Seq, &e.At, &e.ActorID, &e.ActorName, &e.Action, &e.FromStatus, &e.ToStatus, &e.UnitID, &details); err != nil {
			return e, err
		}
		return e, json.Unmarshal(details, &e.Details)
	})
	return out, translate(op, err)
}
