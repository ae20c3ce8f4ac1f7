package dossiers

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/inbox"
)

type openTask struct {
	id           int64
	step, unitID string
	role         string
	title        string
	due          *time.Time
}

func openTasksOf(ctx context.Context, tx pgx.Tx, nominationID string) ([]openTask, error) {
	rows, err := tx.Query(ctx, `SELECT t.id, t.step, t.unit_id, t.role, n.title, t.due_at FROM tasks t
		JOIN nominations n ON n.id = t.nomination_id WHERE t.nomination_id = $1 AND t.status = 'open' FOR UPDATE OF t`, nominationID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (openTask, error) {
		var o openTask
		err := r.Scan(&o.id, &o.step, &o.unitID, &o.role, &o.title, &o.due)
		return o, err
	})
}

// RemindOpenTasks notifies the role of each open task of the dossier that its due
// date is near, and marks it reminded. Deduplicated per dossier version.
func (s *Store) RemindOpenTasks(ctx context.Context, nominationID string, seq int, now time.Time) error {
	return s.InTx(ctx, "dossiers.RemindOpenTasks", func(tx pgx.Tx) error {
		tasks, err := openTasksOf(ctx, tx, nominationID)
		if err != nil {
			return err
		}
		for _, o := range tasks {
			due := ""
			if o.due != nil {
				due = o.due.In(calendar.Zone).Format("02/01/2006")
			}
			if _, err := inbox.NotifyTx(ctx, tx, inbox.NewNotification{UnitID: o.unitID, Role: o.role, Kind: "reminder",
				Title: "Sắp đến hạn: " + stepTitle(domain.Step(o.step)), Body: o.title + " — hạn " + due,
				Link: "/nominations/" + nominationID, DedupKey: fmt.Sprintf("remind:%s:%d:%d", nominationID, seq, o.id), At: now}); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE tasks SET reminded_at = $2 WHERE id = $1 AND reminded_at IS NULL`, o.id, now); err != nil {
				return err
			}
		}
		return nil
	})
}

// EscalateOpenTasks flags the dossier's open tasks overdue and notifies their role
// and the head of the responsible body (unit head and decider of the task's unit).
// Deduplicated per dossier version.
func (s *Store) EscalateOpenTasks(ctx context.Context, nominationID string, seq int, now time.Time) error {
	return s.InTx(ctx, "dossiers.EscalateOpenTasks", func(tx pgx.Tx) error {
		tasks, err := openTasksOf(ctx, tx, nominationID)
		if err != nil {
			return err
		}
		for _, o := range tasks {
			if _, err := tx.Exec(ctx, `UPDATE tasks SET overdue_at = $2 WHERE id = $1 AND overdue_at IS NULL`, o.id, now); err != nil {
				return err
			}
			for _, role := range []string{o.role, domain.RoleUnitHead, domain.RoleDecider} {
				kind := "escalation"
				if role == o.role {
					kind = "overdue"
				}
				if _, err := inbox.NotifyTx(ctx, tx, inbox.NewNotification{UnitID: o.unitID, Role: role, Kind: kind,
					Title: "Quá hạn: " + stepTitle(domain.Step(o.step)), Body: o.title,
					Link:     "/nominations/" + nominationID,
					DedupKey: fmt.Sprintf("overdue:%s:%d:%d", nominationID, seq, o.id), At: now}); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
