package admin

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/postgres"
)

// SignerTitles are the titles a decider may hold.
var SignerTitles = []string{"chair", "vice_chair", "acting_chair"}

// SetUserTitle sets the title a user signs decisions with ("" for none), with an
// entry in the administration audit log.
func (s *Store) SetUserTitle(ctx context.Context, userID int64, title string, ch AdminChange) error {
	const op = "admin.SetUserTitle"
	return s.InTx(ctx, op, func(tx pgx.Tx) error {
		var old, unit string
		err := tx.QueryRow(ctx, `SELECT title, unit_id FROM users WHERE id = $1 FOR UPDATE`, userID).Scan(&old, &unit)
		if errors.Is(err, pgx.ErrNoRows) {
			return domain.Errorf(domain.KindNotFound, "no user %d", userID)
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET title = $2 WHERE id = $1`, userID, title); err != nil {
			return err
		}
		return Audit(ctx, tx, ch, "admin.user.title", unit, map[string]any{"user_id": userID,
			"before": map[string]string{"title": old}, "after": map[string]string{"title": title}})
	})
}

// UserTitle returns the title a user signs decisions with.
func (s *Store) UserTitle(ctx context.Context, userID int64) (string, error) {
	var t string
	err := s.Pool.QueryRow(ctx, `SELECT title FROM users WHERE id = $1`, userID).Scan(&t)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", domain.Errorf(domain.KindNotFound, "no user %d", userID)
	}
	return t, postgres.Translate("admin.UserTitle", err)
}
