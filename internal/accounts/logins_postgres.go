package accounts

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/tdkt/tdkt/internal/admin"
	"github.com/tdkt/tdkt/internal/postgres"
)

// ActiveLockout returns the end of a lockout of subject in force at now, if any.
func (s *Store) ActiveLockout(ctx context.Context, kind admin.LockoutKind, subject string, now time.Time) (time.Time, bool, error) {
	var until time.Time
	err := s.Pool.QueryRow(ctx, `SELECT max(locked_until) FROM login_lockouts
		WHERE kind = $1 AND subject = $2 AND cleared_at IS NULL AND locked_until > $3 HAVING count(*) > 0`,
		string(kind), subject, now).Scan(&until)
	if errors.Is(err, pgx.ErrNoRows) {
		return until, false, nil
	}
	return until, err == nil, postgres.Translate("accounts.ActiveLockout", err)
}

// RecordLoginAttempt stores one attempt; username is stored as given (lower-cased
// by the caller), known or not.
func (s *Store) RecordLoginAttempt(ctx context.Context, username, ip string, ok bool, at time.Time) error {
	_, err := s.Pool.Exec(ctx, `INSERT INTO login_attempts (username, ip, at, ok) VALUES ($1, $2, $3, $4)`, username, ip, at, ok)
	return postgres.Translate("accounts.RecordLoginAttempt", err)
}

// RecentFailures counts the failed attempts of subject since `since`, not counting
// those before a lockout was cleared by an administrator, nor, for an account,
// those before its last successful login.
func (s *Store) RecentFailures(ctx context.Context, kind admin.LockoutKind, subject string, since time.Time) (int, error) {
	col, resetBySuccess := "username", true
	if kind == admin.LockIP {
		col, resetBySuccess = "ip", false
	}
	var n int
	err := s.Pool.QueryRow(ctx, `SELECT count(*) FROM login_attempts a WHERE a.`+col+` = $1 AND NOT a.ok AND a.at > $2
		AND a.at > coalesce((SELECT max(cleared_at) FROM login_lockouts WHERE kind = $3 AND subject = $1), '-infinity')
		AND (NOT $4 OR a.at > coalesce((SELECT max(at) FROM login_attempts WHERE username = $1 AND ok), '-infinity'))`,
		subject, since, string(kind), resetBySuccess).Scan(&n)
	return n, postgres.Translate("accounts.RecentFailures", err)
}

// Lock locks subject out until `until`, unless a lockout is already in force.
func (s *Store) Lock(ctx context.Context, kind admin.LockoutKind, subject string, at, until time.Time) error {
	_, err := s.Pool.Exec(ctx, `INSERT INTO login_lockouts (kind, subject, locked_at, locked_until)
		SELECT $1, $2, $3, $4 WHERE NOT EXISTS (SELECT 1 FROM login_lockouts
			WHERE kind = $1 AND subject = $2 AND cleared_at IS NULL AND locked_until > $3)`,
		string(kind), subject, at, until)
	return postgres.Translate("accounts.Lock", err)
}

// PruneLoginAttempts removes the attempts of a username older than `before`.
func (s *Store) PruneLoginAttempts(ctx context.Context, username string, before time.Time) error {
	_, err := s.Pool.Exec(ctx, `DELETE FROM login_attempts WHERE username = $1 AND at < $2`, username, before)
	return postgres.Translate("accounts.PruneLoginAttempts", err)
}

// UserByUsername returns the id and home unit of an account (any case).
func (s *Store) UserByUsername(ctx context.Context, username string) (int64, string, error) {
	var id int64
	var unit string
	err := s.Pool.QueryRow(ctx, `SELECT id, unit_id FROM users WHERE lower(username) = lower($1)`, username).Scan(&id, &unit)
	return id, unit, postgres.Translate("accounts.UserByUsername", err)
}

// SetPasswordHash replaces a user's password hash.
func (s *Store) SetPasswordHash(ctx context.Context, userID int64, hash string) error {
	_, err := s.Pool.Exec(ctx, `UPDATE users SET password_hash = $2 WHERE id = $1`, userID, hash)
	return postgres.Translate("accounts.SetPasswordHash", err)
}

// APIToken is a personal API token as listed: never its secret.
type APIToken struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  time.Time  `json:"expires_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

// CreateAPIToken stores the hash of a new token with the audit event of its
// issue (security.token.create; the user is the actor).
func (s *Store) CreateAPIToken(ctx context.Context, userID int64, name string, hash []byte, at, expires time.Time) (APIToken, error) {
	t := APIToken{Name: name, CreatedAt: at, ExpiresAt: expires}
	err := s.InTx(ctx, "accounts.CreateAPIToken", func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, userID, name, hash, at, expires).Scan(&t.ID); err != nil {
			return err
		}
		return admin.Audit(ctx, tx, admin.AdminChange{ActorID: userID, At: at}, "security.token.create", "",
			map[string]any{"token_id": t.ID, "name": name, "expires_at": expires})
	})
	return t, err
}

// CountLiveAPITokens counts a user's tokens neither revoked nor expired.
func (s *Store) CountLiveAPITokens(ctx context.Context, userID int64, now time.Time) (int, error) {
	var n int
	err := s.Pool.QueryRow(ctx, `SELECT count(*) FROM api_tokens WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2`,
		userID, now).Scan(&n)
	return n, postgres.Translate("accounts.CountLiveAPITokens", err)
}

// APITokens lists a user's tokens, newest first.
func (s *Store) APITokens(ctx context.Context, userID int64) ([]APIToken, error) {
	rows, err := s.Pool.Query(ctx, `SELECT id, name, created_at, expires_at, last_used_at, revoked_at FROM api_tokens
		WHERE user_id = $1 ORDER BY created_at DESC, id DESC`, userID)
	if err != nil {
		return nil, postgres.Translate("accounts.APITokens", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (APIToken, error) {
		var t APIToken
		err := r.Scan(&t.ID, &t.Name, &t.CreatedAt, &t.ExpiresAt, &t.LastUsedAt, &t.RevokedAt)
		return t, err
	})
	return out, postgres.Translate("accounts.APITokens", err)
}

// RevokeAPIToken revokes one of the user's tokens; KindNotFound if the user has no
// such token.
func (s *Store) RevokeAPIToken(ctx context.Context, userID, id int64, at time.Time) error {
	return s.InTx(ctx, "accounts.RevokeAPIToken", func(tx pgx.Tx) error {
		var exists bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM api_tokens WHERE id = $1 AND user_id = $2)`, id, userID).Scan(&exists); err != nil {
			return err
		}
		if !exists {
			return pgx.ErrNoRows
		}
		tag, err := tx.Exec(ctx, `UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL`, id, userID, at)
		if err != nil || tag.RowsAffected() == 0 {
			return err // revoked before: nothing changed, nothing to record
		}
		return admin.Audit(ctx, tx, admin.AdminChange{ActorID: userID, At: at}, "security.token.revoke", "", map[string]any{"token_id": id})
	})
}

// APITokenUser returns the user of a live token (not expired, not revoked, user
// active) and marks it used, at most once a minute; KindNotFound otherwise.
func (s *Store) APITokenUser(ctx context.Context, hash []byte, now time.Time) (int64, error) {
	const op = "accounts.APITokenUser"
	var id, tokenID int64
	var last *time.Time
	err := s.Pool.QueryRow(ctx, `SELECT t.user_id, t.id, t.last_used_at FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > $2 AND u.active`, hash, now).Scan(&id, &tokenID, &last)
	if err != nil {
		return 0, postgres.Translate(op, err)
	}
	if last == nil || now.Sub(*last) > time.Minute {
		if _, err := s.Pool.Exec(ctx, `UPDATE api_tokens SET last_used_at = $2 WHERE id = $1`, tokenID, now); err != nil {
			return 0, postgres.Translate(op, err)
		}
	}
	return id, nil
}
