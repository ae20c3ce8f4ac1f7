package campaigns

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/postgres"
	"github.com/tdkt/tdkt/internal/review"
)

// ---- Schedules ----

// ReviewSchedule is the read model of a Temporal schedule that opens campaigns.
type ReviewSchedule struct {
	ID         string              `json:"id"`
	MovementID string              `json:"movement_id"`
	Kind       review.CampaignKind `json:"kind"`
	Spec       json.RawMessage     `json:"spec"`
	Paused     bool                `json:"paused"`
	Note       string              `json:"note,omitempty"`
	CreatedBy  int64               `json:"created_by,omitempty"`
	CreatedAt  time.Time           `json:"created_at"`
	UpdatedAt  time.Time           `json:"updated_at"`
}

// PutReviewSchedule inserts or replaces a schedule's read model.
func (s *Store) PutReviewSchedule(ctx context.Context, rs ReviewSchedule) error {
	_, err := s.Pool.Exec(ctx, `INSERT INTO review_schedules (id, movement_id, kind, spec, paused, note, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
		ON CONFLICT (id) DO UPDATE SET spec = EXCLUDED.spec, paused = EXCLUDED.paused, note = EXCLUDED.note, updated_at = EXCLUDED.updated_at`,
		rs.ID, rs.MovementID, string(rs.Kind), []byte(rs.Spec), rs.Paused, rs.Note, reviewNullID(rs.CreatedBy), rs.UpdatedAt)
	return postgres.Translate("campaigns.PutReviewSchedule", err)
}

// ReviewSchedules lists a movement's schedules.
func (s *Store) ReviewSchedules(ctx context.Context, movementID string) ([]ReviewSchedule, error) {
	rows, err := s.Pool.Query(ctx, `SELECT id, movement_id, kind, spec, paused, note, coalesce(created_by, 0), created_at, updated_at
		FROM review_schedules WHERE movement_id = $1 ORDER BY kind`, movementID)
	if err != nil {
		return nil, postgres.Translate("campaigns.ReviewSchedules", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ReviewSchedule, error) {
		var rs ReviewSchedule
		var spec []byte
		err := r.Scan(&rs.ID, &rs.MovementID, &rs.Kind, &spec, &rs.Paused, &rs.Note, &rs.CreatedBy, &rs.CreatedAt, &rs.UpdatedAt)
		rs.Spec = spec
		return rs, err
	})
	return out, postgres.Translate("campaigns.ReviewSchedules", err)
}

// ReviewScheduleByID returns one schedule's read model; KindNotFound if unknown.
func (s *Store) ReviewScheduleByID(ctx context.Context, id string) (ReviewSchedule, error) {
	var rs ReviewSchedule
	var spec []byte
	err := s.Pool.QueryRow(ctx, `SELECT id, movement_id, kind, spec, paused, note, coalesce(created_by, 0), created_at, updated_at
		FROM review_schedules WHERE id = $1`, id).
		Scan(&rs.ID, &rs.MovementID, &rs.Kind, &spec, &rs.Paused, &rs.Note, &rs.CreatedBy, &rs.CreatedAt, &rs.UpdatedAt)
	rs.Spec = spec
	return rs, postgres.Translate("campaigns.ReviewScheduleByID", err)
}

// IsAncestorOfAny reports whether ancestor is one of units or lies above one of them.
func (s *Store) IsAncestorOfAny(ctx context.Context, ancestor string, units []string) (bool, error) {
	var ok bool
	err := s.Pool.QueryRow(ctx, `WITH RECURSIVE up AS (
			SELECT id, parent_id FROM units WHERE id = ANY($2)
			UNION SELECT p.id, p.parent_id FROM units p JOIN up ON p.id = up.parent_id)
		SELECT EXISTS (SELECT 1 FROM up WHERE id = $1)`, ancestor, units).Scan(&ok)
	return ok, postgres.Translate("campaigns.IsAncestorOfAny", err)
}

// CampaignHasUnitIn reports whether one of units takes part in the campaign.
func (s *Store) CampaignHasUnitIn(ctx context.Context, campaignID string, units []string) (bool, error) {
	var ok bool
	err := s.Pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM review_reports WHERE campaign_id = $1 AND unit_id = ANY($2))`,
		campaignID, units).Scan(&ok)
	return ok, postgres.Translate("campaigns.CampaignHasUnitIn", err)
}

// TopCampaignUnitIn returns, of the given units, the one highest in the campaign's
// tree (smallest depth, then id); KindForbidden when none takes part.
func (s *Store) TopCampaignUnitIn(ctx context.Context, campaignID string, units []string) (string, error) {
	var id string
	err := s.Pool.QueryRow(ctx, `SELECT unit_id FROM review_reports WHERE campaign_id = $1 AND unit_id = ANY($2)
		ORDER BY depth, unit_id LIMIT 1`, campaignID, units).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", domain.Errorf(domain.KindForbidden, "you may not read this review campaign")
	}
	return id, postgres.Translate("campaigns.TopCampaignUnitIn", err)
}
