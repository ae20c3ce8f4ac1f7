package admin

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// LockoutKind says what a login lockout covers.
type LockoutKind string

// Lockout kinds.
const (
	LockAccount LockoutKind = "account"
	LockIP      LockoutKind = "ip"
)

// ClearLockouts ends the lockouts of subject in force at ch.At, with the audit
// event of the administrator who cleared them; it reports whether there was one.
func (s *Store) ClearLockouts(ctx context.Context, kind LockoutKind, subject string, ch AdminChange) (bool, error) {
	var was bool
	err := s.InTx(ctx, "admin.ClearLockouts", func(tx pgx.Tx) error {
		var err error
		if was, err = clearLockoutsTx(ctx, tx, kind, subject, ch); err != nil {
			return err
		}
		return Audit(ctx, tx, ch, "admin.lockout.clear", "", map[string]any{"kind": string(kind), "subject": subject,
			"was_locked": was})
	})
	return was, err
}

// clearLockoutsTx ends the lockouts of subject in force at ch.At inside tx and
// reports whether there was one. Failures before the clearing no longer count,
// even without a lockout in force.
func clearLockoutsTx(ctx context.Context, tx pgx.Tx, kind LockoutKind, subject string, ch AdminChange) (bool, error) {
	tag, err := tx.Exec(ctx, `UPDATE login_lockouts SET cleared_at = $3, cleared_by = $4
		WHERE kind = $1 AND subject = $2 AND cleared_at IS NULL AND locked_until > $3`, string(kind), subject, ch.At, ch.ActorID)
	if err != nil {
		return false, err
	}
	if tag.RowsAffected() == 0 {
		_, err = tx.Exec(ctx, `INSERT INTO login_lockouts (kind, subject, locked_at, locked_until, cleared_at, cleared_by)
			VALUES ($1, $2, $3, $3, $3, $4)`, string(kind), subject, ch.At, ch.ActorID)
	}
	return tag.RowsAffected() > 0, err
}
