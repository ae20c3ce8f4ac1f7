package accounts

import (
	"context"

	"github.com/tdkt/tdkt/internal/postgres"
)

// SetUserEmail sets the e-mail address the mailer sends the user's notifications
// to; an empty address stops e-mail for the user. KindNotFound for an unknown user.
func (s *Store) SetUserEmail(ctx context.Context, userID int64, email string) error {
	const op = "accounts.SetUserEmail"
	var id int64
	err := s.Pool.QueryRow(ctx, `UPDATE users SET email = $2 WHERE id = $1 RETURNING id`, userID, email).Scan(&id)
	return postgres.Translate(op, err)
}

// UserEmail returns the user's e-mail address, "" when none is set.
func (s *Store) UserEmail(ctx context.Context, userID int64) (string, error) {
	var email string
	err := s.Pool.QueryRow(ctx, `SELECT email FROM users WHERE id = $1`, userID).Scan(&email)
	return email, postgres.Translate("accounts.UserEmail", err)
}
