package dossiers

import (
	"context"
	"fmt"
)

// commitCreated writes a new dossier — its rows (which take the dossier's code
// from its unit's counter) and its audit event "create" — in one short
// transaction. CreateNomination calls it after the dossier's workflow has
// started, because both writes lock a row that others wait for until the
// transaction ends: the audit chain's head, which every audit write in the
// country (every action of every dossier) takes, and the unit's dossier counter,
// which every creation in the unit takes. Written before the start, both were
// held for the whole round trip to Temporal, and creations serialised the other
// writers. The rows and the event commit together or not at all; a failed start
// writes nothing, and a failed write leaves a workflow without rows, which the
// caller terminates (RecoverCreate does the same for a create whose API died).
func (s *Service) commitCreated(ctx context.Context, n NewNomination) error {
	tx, err := s.Store.BeginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx) //nolint:errcheck // no-op after commit
	if err := CreateNominationRowsTx(ctx, tx, n); err != nil {
		return err
	}
	if err := AuditNominationCreatedTx(ctx, tx, n); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("commit dossier: %w", err)
	}
	return nil
}
