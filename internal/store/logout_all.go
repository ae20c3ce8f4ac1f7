package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// RevokeAllCredentials ends every session and revokes every API token of a
// user ("log out everywhere"), with its audit event (security.logout.all; the
// user is the actor).
func (s *Store) RevokeAllCredentials(ctx context.Context, userID int64, at time.Time) error {
	return s.inTx(ctx, "store.RevokeAllCredentials", func(tx pgx.Tx) error {
		if err := revokeCredentials(ctx, tx, userID, at, true); err != nil {
			return err
		}
		return adminAudit(ctx, tx, AdminChange{ActorID: userID, At: at}, "security.logout.all", "", map[string]any{"user_id": userID})
	})
}
