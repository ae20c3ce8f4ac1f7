package accounts

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/tdkt/tdkt/internal/admin"
)

// RevokeAllCredentials ends every session and revokes every API token of a
// user ("log out everywhere"), with its audit event (security.logout.all; the
// user is the actor).
func (s *Store) RevokeAllCredentials(ctx context.Context, userID int64, at time.Time) error {
	return s.InTx(ctx, "accounts.RevokeAllCredentials", func(tx pgx.Tx) error {
		if err := admin.RevokeCredentials(ctx, tx, userID, at, true); err != nil {
			return err
		}
		return admin.Audit(ctx, tx, admin.AdminChange{ActorID: userID, At: at}, "security.logout.all", "", map[string]any{"user_id": userID})
	})
}
