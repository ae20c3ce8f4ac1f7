package dossiers

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// commitCreated writes a new dossier's audit event "create" and commits its
// transaction. CreateNomination calls it after the dossier's workflow has started:
// an audit row locks the audit chain's head until its transaction ends, and every
// audit write in the country (every action of every dossier) queues behind that
// lock; with the event written before the start, the lock was held for the whole
// round trip to Temporal, and creations serialised every writer. Written last, the
// lock is held from the insert to the commit only. The rows and the event still
// commit together or not at all, so a failed start still leaves nothing behind.
func commitCreated(ctx context.Context, tx pgx.Tx, n NewNomination) error {
	if err := AuditNominationCreatedTx(ctx, tx, n); err != nil {
		return err
	}
	return tx.Commit(ctx)
}
