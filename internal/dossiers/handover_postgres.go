package dossiers

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/inbox"
	"github.com/tdkt/tdkt/internal/postgres"
)

// A dossier waiting at a unit that ends is handed over (domain.ActionHandover):
// to the unit's successor (SuccessorOn) with its open tasks, due dates and inbox,
// or, when there is none, to the next stop of its route. The workflow asks
// UnitEnd when the dossier reaches a unit or a reorganisation is recorded, waits
// on a timer for the end, and records the handover through Record.

// UnitEnd returns the first day a unit is no longer in force (nil while it has no
// end). KindNotFound for an unknown unit.
func (s *Store) UnitEnd(ctx context.Context, unitID string) (*time.Time, error) {
	const op = "dossiers.UnitEnd"
	var to *time.Time
	if err := s.Pool.QueryRow(ctx, `SELECT valid_to FROM units WHERE id = $1`, unitID).Scan(&to); err != nil {
		return nil, postgres.Translate(op, err)
	}
	return to, nil
}

// moveTasks hands a dossier's open tasks in t.MoveTasks.From to its successor,
// keeping their due dates and reminders (the stage goes on where it stood), tells
// the successor's role holders, and keeps the stage's due date on the dossier.
func moveTasks(ctx context.Context, tx pgx.Tx, t domain.Transition, details map[string]any, res *domain.RecordResult) error {
	m := t.MoveTasks
	if m == nil {
		return nil
	}
	details["handover_from"], details["handover_to"] = m.From, m.To
	if err := tx.QueryRow(ctx, `SELECT stage_due_at FROM nominations WHERE id = $1`, t.NominationID).Scan(&res.DueAt); err != nil {
		return err
	}
	rows, err := tx.Query(ctx, `UPDATE tasks SET unit_id = $3 WHERE nomination_id = $1 AND status = 'open' AND unit_id = $2
		RETURNING step, role, remind_at`, t.NominationID, m.From, m.To)
	if err != nil {
		return err
	}
	type moved struct {
		step, role string
		remind     *time.Time
	}
	var all []moved
	for rows.Next() {
		var x moved
		if err := rows.Scan(&x.step, &x.role, &x.remind); err != nil {
			rows.Close()
			return err
		}
		all = append(all, x)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	details["tasks_moved"] = len(all)
	for _, x := range all {
		if x.remind != nil && (res.RemindAt == nil || x.remind.Before(*res.RemindAt)) {
			r := *x.remind
			res.RemindAt = &r
		}
		if _, err := inbox.NotifyTx(ctx, tx, inbox.NewNotification{UnitID: m.To, Role: x.role, Kind: "task",
			Title: "Việc chuyển giao: " + stepTitle(domain.Step(x.step)), Link: "/nominations/" + t.NominationID,
			DedupKey: fmt.Sprintf("task:%s:%d:%s:%s:%s", t.NominationID, t.Seq, x.step, m.To, x.role), At: t.At}); err != nil {
			return err
		}
	}
	return nil
}
