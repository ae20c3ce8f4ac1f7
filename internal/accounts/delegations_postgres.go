package accounts

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/inbox"
	"github.com/tdkt/tdkt/internal/postgres"
)

// Delegation is acting authority (ủy quyền) a user gave another for a range of days,
// both ends included: the receiver may act in every role the giver holds.
type Delegation struct {
	ID         int64         `json:"id"`
	FromUserID int64         `json:"from_user_id"`
	FromName   string        `json:"from_name"`
	ToUserID   int64         `json:"to_user_id"`
	ToName     string        `json:"to_name"`
	ValidFrom  calendar.Date `json:"valid_from"`
	ValidTo    calendar.Date `json:"valid_to"`
	Reason     string        `json:"reason"`
	CreatedAt  time.Time     `json:"created_at"`
	RevokedAt  *time.Time    `json:"revoked_at,omitempty"`
}

// ActiveOn reports whether the delegation is in force on day: not revoked and day
// within [ValidFrom, ValidTo].
func (d Delegation) ActiveOn(day calendar.Date) bool {
	return d.RevokedAt == nil && !day.Before(d.ValidFrom) && !day.After(d.ValidTo)
}

// NewDelegation is a validated delegation to store.
type NewDelegation struct {
	FromUserID int64
	ToUserID   int64
	ValidFrom  calendar.Date
	ValidTo    calendar.Date
	Reason     string
	At         time.Time
}

const delegationColumns = `d.id, d.from_user_id, f.full_name, d.to_user_id, t.full_name, d.valid_from, d.valid_to,
	d.reason, d.created_at, d.revoked_at`

const delegationFrom = ` FROM delegations d JOIN users f ON f.id = d.from_user_id JOIN users t ON t.id = d.to_user_id`

func scanDelegation(r pgx.Row) (Delegation, error) {
	var d Delegation
	var from, to time.Time
	err := r.Scan(&d.ID, &d.FromUserID, &d.FromName, &d.ToUserID, &d.ToName, &from, &to, &d.Reason, &d.CreatedAt, &d.RevokedAt)
	d.ValidFrom, d.ValidTo = calendar.DateOf(from), calendar.DateOf(to)
	return d, err
}

// CreateDelegation stores a delegation and notifies its receiver in the same
// transaction. It returns KindInvalid when the receiver is not an active user.
func (s *Store) CreateDelegation(ctx context.Context, n NewDelegation) (Delegation, error) {
	const op = "accounts.CreateDelegation"
	var d Delegation
	err := s.InTx(ctx, op, func(tx pgx.Tx) error {
		var active bool
		err := tx.QueryRow(ctx, `SELECT active FROM users WHERE id = $1`, n.ToUserID).Scan(&active)
		if err == pgx.ErrNoRows || (err == nil && !active) {
			return domain.Invalid("no such active user", domain.FieldError{Field: "to_user_id", Message: "no active user with this id"})
		}
		if err != nil {
			return err
		}
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO delegations (from_user_id, to_user_id, valid_from, valid_to, reason, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, n.FromUserID, n.ToUserID, n.ValidFrom.Time(time.UTC),
			n.ValidTo.Time(time.UTC), n.Reason, n.At).Scan(&id); err != nil {
			return err
		}
		if d, err = scanDelegation(tx.QueryRow(ctx, `SELECT `+delegationColumns+delegationFrom+` WHERE d.id = $1`, id)); err != nil {
			return err
		}
		_, err = inbox.NotifyTx(ctx, tx, inbox.NewNotification{UserID: n.ToUserID, Kind: "delegation",
			Title: "Được ủy quyền: " + d.FromName,
			Body: fmt.Sprintf("%s ủy quyền cho bạn thực hiện nhiệm vụ của mình từ %s đến %s. Lý do: %s",
				d.FromName, d.ValidFrom.DMY(), d.ValidTo.DMY(), d.Reason),
			Link: "/api/v1/delegations", DedupKey: fmt.Sprintf("delegation:%d", id), At: n.At})
		return err
	})
	return d, err
}

// Delegation returns one delegation; KindNotFound if unknown.
func (s *Store) Delegation(ctx context.Context, id int64) (Delegation, error) {
	d, err := scanDelegation(s.Pool.QueryRow(ctx, `SELECT `+delegationColumns+delegationFrom+` WHERE d.id = $1`, id))
	return d, postgres.Translate("Delegation", err)
}

// Delegations returns the delegations the user gave and received, newest first.
func (s *Store) Delegations(ctx context.Context, userID int64) (given, received []Delegation, err error) {
	const op = "Delegations"
	rows, err := s.Pool.Query(ctx, `SELECT `+delegationColumns+delegationFrom+`
		WHERE d.from_user_id = $1 OR d.to_user_id = $1 ORDER BY d.created_at DESC, d.id DESC LIMIT 500`, userID)
	if err != nil {
		return nil, nil, postgres.Translate(op, err)
	}
	all, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Delegation, error) { return scanDelegation(r) })
	if err != nil {
		return nil, nil, postgres.Translate(op, err)
	}
	given, received = []Delegation{}, []Delegation{}
	for _, d := range all {
		if d.FromUserID == userID {
			given = append(given, d)
		} else {
			received = append(received, d)
		}
	}
	return given, received, nil
}

// RevokeDelegation ends a delegation at once (thu hồi ủy quyền). Only its giver may:
// another user gets KindForbidden; an unknown one KindNotFound; one already revoked
// KindConflict.
func (s *Store) RevokeDelegation(ctx context.Context, id, byUserID int64, at time.Time) error {
	const op = "accounts.RevokeDelegation"
	return s.InTx(ctx, op, func(tx pgx.Tx) error {
		var from int64
		var revoked *time.Time
		if err := tx.QueryRow(ctx, `SELECT from_user_id, revoked_at FROM delegations WHERE id = $1 FOR UPDATE`, id).
			Scan(&from, &revoked); err != nil {
			return err
		}
		if from != byUserID {
			return domain.Errorf(domain.KindForbidden, "only the user who gave a delegation may revoke it")
		}
		if revoked != nil {
			return domain.Errorf(domain.KindConflict, "the delegation was already revoked")
		}
		_, err := tx.Exec(ctx, `UPDATE delegations SET revoked_at = $2 WHERE id = $1`, id, at)
		return err
	})
}

// ActiveDelegators returns the users who delegated to toUserID a delegation in
// force on day (a date), oldest delegation first.
func (s *Store) ActiveDelegators(ctx context.Context, toUserID int64, day calendar.Date) ([]int64, error) {
	const op = "accounts.ActiveDelegators"
	rows, err := s.Pool.Query(ctx, `SELECT from_user_id FROM delegations
		WHERE to_user_id = $1 AND revoked_at IS NULL AND valid_from <= $2 AND valid_to >= $2
		ORDER BY id`, toUserID, day.Time(time.UTC))
	if err != nil {
		return nil, postgres.Translate(op, err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	return ids, postgres.Translate(op, err)
}
