package accounts

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/postgres"
)

// Credentials returns the user id and password hash for a username, for login.
// Unknown and inactive users are KindNotFound.
func (s *Store) Credentials(ctx context.Context, username string) (id int64, hash string, err error) {
	err = s.Pool.QueryRow(ctx, `SELECT id, password_hash FROM users WHERE username = $1 AND active`, username).Scan(&id, &hash)
	return id, hash, postgres.Translate("accounts.Credentials", err)
}

// User returns a user with their role assignments; KindNotFound if unknown.
func (s *Store) User(ctx context.Context, id int64) (domain.User, error) {
	const op = "User"
	var u domain.User
	if err := s.Pool.QueryRow(ctx, `SELECT id, username, full_name, unit_id FROM users WHERE id = $1`, id).
		Scan(&u.ID, &u.Username, &u.FullName, &u.UnitID); err != nil {
		return u, postgres.Translate(op, err)
	}
	rows, err := s.Pool.Query(ctx, `SELECT r.role, r.unit_id, un.name FROM role_assignments r JOIN units un ON un.id = r.unit_id
		WHERE r.user_id = $1 ORDER BY r.unit_id, r.role`, id)
	if err != nil {
		return u, postgres.Translate(op, err)
	}
	u.Roles, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.RoleAssignment, error) {
		var ra domain.RoleAssignment
		err := r.Scan(&ra.Role, &ra.UnitID, &ra.UnitName)
		return ra, err
	})
	return u, postgres.Translate(op, err)
}

// CreateSession stores the hash of a new session token valid until expires.
func (s *Store) CreateSession(ctx context.Context, tokenHash []byte, userID int64, expires time.Time) error {
	_, err := s.Pool.Exec(ctx, `INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3)`, tokenHash, userID, expires)
	return postgres.Translate("accounts.CreateSession", err)
}

// SessionUser returns the user of a live session (not expired, not revoked, user
// active); KindNotFound otherwise.
func (s *Store) SessionUser(ctx context.Context, tokenHash []byte, now time.Time) (int64, error) {
	var id int64
	err := s.Pool.QueryRow(ctx, `SELECT s.user_id FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 AND u.active`, tokenHash, now).Scan(&id)
	return id, postgres.Translate("accounts.SessionUser", err)
}

// RevokeSession ends a session so its token no longer authenticates.
func (s *Store) RevokeSession(ctx context.Context, tokenHash []byte, now time.Time) error {
	_, err := s.Pool.Exec(ctx, `UPDATE sessions SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL`, tokenHash, now)
	return postgres.Translate("accounts.RevokeSession", err)
}
