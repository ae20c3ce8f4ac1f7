package dossiers

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tdkt/tdkt/internal/awards"
	"github.com/tdkt/tdkt/internal/domain"
)

// RevokeDecision cancels a decision (hủy bỏ, Law art. 93) with its legal ground:
// it marks the decision revoked, records the recovery of every awardee's bonus and
// certificate, and appends an audit event to the closed dossier's history. It fails
// with KindConflict when the decision is already revoked or the dossier is still
// in its procedure, KindNotFound for an unknown decision.
func (s *Store) RevokeDecision(ctx context.Context, nominationID, code string, actor int64, ground, note string, at time.Time) error {
	const op = "dossiers.RevokeDecision"
	return s.InTx(ctx, op, func(tx pgx.Tx) error {
		var version int
		var status string
		if err := tx.QueryRow(ctx, `SELECT version, status FROM nominations WHERE id = $1 FOR UPDATE`, nominationID).Scan(&version, &status); err != nil {
			return err
		}
		if !domain.Status(status).Terminal() {
			return domain.Errorf(domain.KindConflict, "the dossier is still %s; revoke once its procedure has ended", status)
		}
		var id int64
		var unit string
		var revoked *time.Time
		err := tx.QueryRow(ctx, `SELECT id, unit_id, revoked_at FROM decisions WHERE nomination_id = $1 AND code = $2 FOR UPDATE`,
			nominationID, code).Scan(&id, &unit, &revoked)
		if err == pgx.ErrNoRows {
			return &domain.Error{Op: op, Kind: domain.KindNotFound, Message: "no such decision on this dossier"}
		}
		if err != nil {
			return err
		}
		if revoked != nil {
			return domain.Errorf(domain.KindConflict, "decision %s was already revoked", code)
		}
		if _, err := tx.Exec(ctx, `UPDATE decisions SET revoked_at = $2, revoked_by = $3, revoke_ground = $4, revoke_note = $5 WHERE id = $1`,
			id, at, actor, ground, note); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE decision_awardees SET recovered = true WHERE decision_id = $1`, id); err != nil {
			return err
		}
		if err := awards.RevokeDecisionHistoryTx(ctx, tx, nominationID); err != nil {
			return err
		}
		details, _ := json.Marshal(map[string]any{"decision_code": code, "ground": ground, "note": note,
			"recovery": "thu hồi hiện vật và tiền thưởng"})
		seq := version + 1
		if _, err := tx.Exec(ctx, `UPDATE nominations SET version = $2, updated_at = $3 WHERE id = $1`, nominationID, seq, at); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO audit_events (nomination_id, seq, at, actor_id, action, from_status, to_status, unit_id, details)
			VALUES ($1, $2, $3, $4, 'revoke', $5, $5, $6, $7)`, nominationID, seq, at, actor, status, unit, details)
		return err
	})
}
