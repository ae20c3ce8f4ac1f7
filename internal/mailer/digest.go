package mailer

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/inbox"
)

// DigestHour is the hour of the day (Vietnam time) from which the daily digest
// is written.
const DigestHour = 7

// maxDigestLines caps the tasks listed in one digest; the rest are counted.
const maxDigestLines = 30

// Digest writes the optional daily e-mail digest (bản tin việc cần xử lý hằng
// ngày): to each active user with an e-mail address and open work, one
// notification listing the tasks of their inbox (store.InboxWithAssignees: their
// roles and those they act in under a delegation), overdue ones first. The
// mailer's outbox sends it like any notification. It is written once per user and
// day (dedup key digest:yyyy-mm-dd), so several workers may run it.
type Digest struct {
	Store *inbox.Store
	Pool  *pgxpool.Pool
	Log   *slog.Logger
	Now   func() time.Time
}

// Send writes the digests of day; it returns how many users got one.
func (d *Digest) Send(ctx context.Context, day calendar.Date) (int, error) {
	now := d.Now()
	rows, err := d.Pool.Query(ctx, `SELECT id FROM users WHERE active AND email <> '' ORDER BY id`)
	if err != nil {
		return 0, fmt.Errorf("digest: users: %w", err)
	}
	users, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return 0, fmt.Errorf("digest: users: %w", err)
	}
	sent := 0
	for _, u := range users {
		tasks, err := d.Store.InboxWithAssignees(ctx, u, 200, day, now)
		if err != nil {
			return sent, fmt.Errorf("digest: inbox of user %d: %w", u, err)
		}
		if len(tasks) == 0 {
			continue
		}
		ids := make([]string, len(tasks))
		for i, t := range tasks {
			ids[i] = t.NominationID
		}
		cols, err := d.Store.DossierRows(ctx, ids)
		if err != nil {
			return sent, fmt.Errorf("digest: dossiers of user %d: %w", u, err)
		}
		title, body := digestText(day, tasks, cols)
		var n int64
		if err := pgx.BeginFunc(ctx, d.Pool, func(tx pgx.Tx) error {
			n, err = inbox.NotifyTx(ctx, tx, inbox.NewNotification{UserID: u, Kind: "digest", Title: title, Body: body,
				Link: "/inbox", DedupKey: "digest:" + day.String(), At: now})
			return err
		}); err != nil {
			return sent, fmt.Errorf("digest: user %d: %w", u, err)
		}
		sent += int(n)
	}
	return sent, nil
}

// digestText is a digest's title and body, in Vietnamese as the notifications are:
// the overdue tasks first, each with the dossier's code, title, the step's unit
// and the due date.
func digestText(day calendar.Date, tasks []inbox.InboxEntry, cols map[string]inbox.DossierRow) (title, body string) {
	overdue := 0
	var late, other []string
	for _, t := range tasks {
		line := "- " + cols[t.NominationID].Code + " – " + t.NominationTitle + " (" + t.UnitName
		if t.DueAt != nil {
			line += ", hạn " + t.DueAt.In(calendar.Zone).Format("02/01/2006")
		}
		line += ")"
		if t.Overdue {
			overdue++
			late = append(late, line+" – QUÁ HẠN")
		} else {
			other = append(other, line)
		}
	}
	dd := day.Time(calendar.Zone).Format("02/01/2006")
	title = fmt.Sprintf("Việc cần xử lý ngày %s: %d việc, %d quá hạn", dd, len(tasks), overdue)
	lines := append(late, other...)
	more := 0
	if len(lines) > maxDigestLines {
		more = len(lines) - maxDigestLines
		lines = lines[:maxDigestLines]
	}
	body = strings.Join(lines, "\n")
	if more > 0 {
		body += fmt.Sprintf("\n… và %d việc khác.", more)
	}
	return title, body
}

// Run writes the day's digests once a day from DigestHour (Vietnam time), checking
// every interval, until ctx ends. Failures are logged and retried at the next check.
func (d *Digest) Run(ctx context.Context, interval time.Duration) {
	var done calendar.Date
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		now := d.Now().In(calendar.Zone)
		if today := calendar.DateOf(now); now.Hour() >= DigestHour && today != done {
			if n, err := d.Send(ctx, today); err != nil {
				if ctx.Err() == nil {
					d.Log.Error("daily digest failed", "err", err)
				}
			} else {
				done = today
				d.Log.Info("daily digest written", "users", n, "day", today.String())
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
