package dossiers

import (
	"context"
	"encoding/json"

	"github.com/jackc/pgx/v5"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/postgres"
)

// CreateNominationTx inserts a draft dossier, its nominees, the submit task in the
// submitting unit's inbox and the audit event "create" (seq 0), inside tx. The
// caller commits only after the dossier's workflow has started, so a failed start
// leaves nothing behind.
//
// A caller that does something slow between the rows and the commit (starting the
// workflow) calls CreateNominationRowsTx first and AuditNominationCreatedTx last
// instead: inserting an audit row takes the audit chain head's row lock until the
// transaction ends, so every other audit write in the country waits for as long as
// that transaction stays open after its audit row.
func CreateNominationTx(ctx context.Context, tx pgx.Tx, n NewNomination) error {
	if err := CreateNominationRowsTx(ctx, tx, n); err != nil {
		return err
	}
	return AuditNominationCreatedTx(ctx, tx, n)
}

// AuditNominationCreatedTx inserts the audit event "create" (seq 0) of the dossier
// n inside tx. Call it right before committing: the chain head stays locked from
// here to the commit.
func AuditNominationCreatedTx(ctx context.Context, tx pgx.Tx, n NewNomination) error {
	details, _ := json.Marshal(map[string]any{"award_code": n.AwardCode, "year": n.Year, "nominees": len(n.Nominees)})
	if _, err := tx.Exec(ctx, `INSERT INTO audit_events (nomination_id, seq, at, actor_id, action, to_status, unit_id, details)
		VALUES ($1, 0, $2, $3, 'create', $4, $5, $6)`, n.ID, n.At, n.CreatedBy, domain.StatusDraft, n.UnitID, details); err != nil {
		return postgres.Translate("dossiers.CreateNomination", err)
	}
	return nil
}
