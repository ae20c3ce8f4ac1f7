package inbox

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/tdkt/tdkt/internal/postgres"
)

// Notification is an in-app message to one user.
type Notification struct {
	ID        int64      `json:"id"`
	Kind      string     `json:"kind"`
	Title     string     `json:"title"`
	Body      string     `json:"body,omitempty"`
	Link      string     `json:"link,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at,omitempty"`
}

// NewNotification is a message to everyone holding Role in UnitID (or to UserID
// when set). DedupKey, when set, makes a retried notify write once per user.
type NewNotification struct {
	UserID   int64
	UnitID   string
	Role     string
	Kind     string
	Title    string
	Body     string
	Link     string
	DedupKey string
	At       time.Time
}

// NotifyTx writes a notification inside tx and returns how many users got it.
func NotifyTx(ctx context.Context, tx pgx.Tx, n NewNotification) (int64, error) {
	var dedup any
	if n.DedupKey != "" {
		dedup = n.DedupKey
	}
	if n.At.IsZero() {
		n.At = time.Now()
	}
	tag, err := tx.Exec(ctx, `INSERT INTO notifications (user_id, kind, title, body, link, dedup_key, created_at)
		SELECT DISTINCT u.id, $4::text, $5::text, $6::text, $7::text, $8::text, $9::timestamptz FROM users u
		LEFT JOIN role_assignments r ON r.user_id = u.id
		WHERE u.active AND (u.id = $1 OR ($1 = 0 AND r.unit_id = $2 AND r.role = $3))
		ON CONFLICT (user_id, dedup_key) DO NOTHING`,
		n.UserID, n.UnitID, n.Role, n.Kind, n.Title, n.Body, n.Link, dedup, n.At)
	if err != nil {
		return 0, postgres.Translate("inbox.Notify", err)
	}
	return tag.RowsAffected(), nil
}

// Notify writes a notification in its own transaction.
func (s *Store) Notify(ctx context.Context, n NewNotification) (int64, error) {
	var count int64
	err := s.InTx(ctx, "inbox.Notify", func(tx pgx.Tx) error {
		var err error
		count, err = NotifyTx(ctx, tx, n)
		return err
	})
	return count, err
}

// Notifications lists a user's notifications, newest first; unreadOnly narrows it.
func (s *Store) Notifications(ctx context.Context, userID int64, unreadOnly bool, limit int) ([]Notification, error) {
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	rows, err := s.Pool.Query(ctx, `SELECT id, kind, title, body, link, created_at, read_at FROM notifications
		WHERE user_id = $1 AND (NOT $2 OR read_at IS NULL) ORDER BY created_at DESC, id DESC LIMIT $3`, userID, unreadOnly, limit)
	if err != nil {
		return nil, postgres.Translate("inbox.Notifications", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Notification, error) {
		var n Notification
		err := r.Scan(&n.ID, &n.Kind, &n.Title, &n.Body, &n.Link, &n.CreatedAt, &n.ReadAt)
		return n, err
	})
	return out, postgres.Translate("inbox.Notifications", err)
}

// MarkNotificationsRead marks the user's notifications read (all of them when ids
// is empty) and returns how many changed. Other users' ids are ignored.
func (s *Store) MarkNotificationsRead(ctx context.Context, userID int64, ids []int64, at time.Time) (int64, error) {
	if ids == nil {
		ids = []int64{} // a nil slice would be sent as NULL and mark nothing
	}
	tag, err := s.Pool.Exec(ctx, `UPDATE notifications SET read_at = $3
		WHERE user_id = $1 AND read_at IS NULL AND (cardinality($2::bigint[]) = 0 OR id = ANY($2))`, userID, ids, at)
	if err != nil {
		return 0, postgres.Translate("inbox.MarkNotificationsRead", err)
	}
	return tag.RowsAffected(), nil
}
