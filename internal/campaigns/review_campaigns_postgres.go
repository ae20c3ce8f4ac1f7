package campaigns

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/postgres"
	"github.com/tdkt/tdkt/internal/review"
)

// ---- Campaigns ----

// NewCampaign is a validated review campaign to store with its participants.
type NewCampaign struct {
	ID, WorkflowID, MovementID, UnitID string
	Kind                               review.CampaignKind
	Title, PeriodLabel, LetterNumber   string
	LetterDate                         *time.Time
	Template                           review.Template
	FinalDeadline                      time.Time
	GapDays, ReminderDays              int
	Explicit                           []time.Time
	// MaxDepth limits how many levels below the requesting unit report; 0 is all.
	MaxDepth int
	// Targets are the units that report to the requesting unit; empty is its
	// administrative children.
	Targets     []string
	ScheduleKey string
	CreatedBy   int64
	At          time.Time
}

// CampaignShape is what CreateCampaignTx built: how many units report and how deep.
type CampaignShape struct {
	Units  int `json:"units"`
	Depths int `json:"depths"`
}

// CreateCampaignTx inserts a campaign, the root report of the requesting unit and one
// report per participating unit: the targets and, below each, the administrative units
// in force on the day of c.At (up to c.MaxDepth levels). It fails with KindInvalid when
// a target is not below the requesting unit, nothing would report, or one unit would
// have more than MaxChildrenPerUnit units reporting to it.
func CreateCampaignTx(ctx context.Context, tx pgx.Tx, c NewCampaign) (CampaignShape, error) {
	const op = "campaigns.CreateCampaign"
	var shape CampaignShape
	on := c.At.In(calendar.Zone).Format(time.DateOnly)
	targets := c.Targets
	if len(targets) == 0 {
		rows, err := tx.Query(ctx, `SELECT id FROM units WHERE parent_id = $1 AND kind = $2
			AND valid_from <= $3::date AND (valid_to IS NULL OR valid_to > $3::date) ORDER BY id`, c.UnitID, AdministrativeKind, on)
		if err != nil {
			return shape, postgres.Translate(op, err)
		}
		if targets, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
			return shape, postgres.Translate(op, err)
		}
	} else {
		var below []string
		rows, err := tx.Query(ctx, `WITH RECURSIVE down AS (
				SELECT id FROM units WHERE parent_id = $1 AND valid_from <= $2::date AND (valid_to IS NULL OR valid_to > $2::date)
				UNION ALL SELECT u.id FROM units u JOIN down ON u.parent_id = down.id
				WHERE u.valid_from <= $2::date AND (u.valid_to IS NULL OR u.valid_to > $2::date))
			SELECT id FROM down WHERE id = ANY($3)`, c.UnitID, on, targets)
		if err != nil {
			return shape, postgres.Translate(op, err)
		}
		if below, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
			return shape, postgres.Translate(op, err)
		}
		for i, t := range targets {
			if !slices.Contains(below, t) {
				return shape, domain.Invalid("a target unit is not below the requesting unit",
					domain.FieldError{Field: fmt.Sprintf("target_unit_ids[%d]", i), Message: t + " is not a unit in force below " + c.UnitID})
			}
		}
	}
	if len(targets) == 0 {
		return shape, domain.Invalid("no unit below the requesting unit would report",
			domain.FieldError{Field: "target_unit_ids", Message: "the requesting unit has no administrative units below it"})
	}
	tpl, err := json.Marshal(c.Template)
	if err != nil {
		return shape, postgres.Translate(op, err)
	}
	explicit, err := json.Marshal(nonNilTimes(c.Explicit))
	if err != nil {
		return shape, postgres.Translate(op, err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO review_campaigns (id, workflow_id, movement_id, unit_id, kind, title, period_label,
			letter_number, letter_date, template, final_deadline, gap_days, reminder_days, explicit_deadlines, depths,
			schedule_key, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 0, $15, $16, $17)`,
		c.ID, c.WorkflowID, c.MovementID, c.UnitID, string(c.Kind), c.Title, c.PeriodLabel, c.LetterNumber, c.LetterDate,
		tpl, c.FinalDeadline, c.GapDays, c.ReminderDays, explicit, reviewNullable(c.ScheduleKey), reviewNullID(c.CreatedBy), c.At); err != nil {
		return shape, postgres.Translate(op, err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO review_reports (campaign_id, unit_id, depth, status, updated_at)
		VALUES ($1, $2, 0, 'collecting', $3)`, c.ID, c.UnitID, c.At); err != nil {
		return shape, postgres.Translate(op, err)
	}
	tag, err := tx.Exec(ctx, `WITH RECURSIVE t(unit_id, parent_unit_id, depth) AS (
			SELECT u.id, $2::text, 1 FROM units u WHERE u.id = ANY($3)
			UNION ALL
			SELECT c.id, t.unit_id, t.depth + 1 FROM units c JOIN t ON c.parent_id = t.unit_id
			WHERE c.kind = $4 AND c.valid_from <= $5::date AND (c.valid_to IS NULL OR c.valid_to > $5::date)
				AND ($6 = 0 OR t.depth < $6))
		INSERT INTO review_reports (campaign_id, unit_id, parent_unit_id, depth, updated_at)
		SELECT $1, unit_id, parent_unit_id, depth, $7 FROM t`,
		c.ID, c.UnitID, targets, AdministrativeKind, on, c.MaxDepth, c.At)
	if err != nil {
		return shape, postgres.Translate(op, err)
	}
	shape.Units = int(tag.RowsAffected())
	// Each unit starts with all its children missing.
	var maxChildren int
	if err := tx.QueryRow(ctx, `WITH k AS (
			SELECT parent_unit_id AS unit_id, count(*) AS n, array_agg(unit_id ORDER BY unit_id) AS ids
			FROM review_reports WHERE campaign_id = $1 AND parent_unit_id IS NOT NULL GROUP BY parent_unit_id),
		upd AS (
			UPDATE review_reports r SET children_total = k.n, missing_units = k.ids
			FROM k WHERE r.campaign_id = $1 AND r.unit_id = k.unit_id RETURNING k.n)
		SELECT coalesce(max(n), 0) FROM upd`, c.ID).Scan(&maxChildren); err != nil {
		return shape, postgres.Translate(op, err)
	}
	if maxChildren > MaxChildrenPerUnit {
		return shape, domain.Invalid(fmt.Sprintf("one unit would have %d units reporting to it; at most %d", maxChildren, MaxChildrenPerUnit),
			domain.FieldError{Field: "target_unit_ids", Message: "split the campaign or limit its depth"})
	}
	if err := tx.QueryRow(ctx, `UPDATE review_campaigns SET depths = (SELECT max(depth) FROM review_reports WHERE campaign_id = $1),
		units = $2 WHERE id = $1 RETURNING depths`, c.ID, shape.Units).Scan(&shape.Depths); err != nil {
		return shape, postgres.Translate(op, err)
	}
	return shape, nil
}

func nonNilTimes(ts []time.Time) []time.Time {
	if ts == nil {
		return []time.Time{}
	}
	return ts
}

// CampaignByScheduleKey returns the id of the campaign a schedule opened for a day, or
// "" when there is none.
func (s *Store) CampaignByScheduleKey(ctx context.Context, key string) (string, error) {
	var id string
	err := s.Pool.QueryRow(ctx, `SELECT id FROM review_campaigns WHERE schedule_key = $1`, key).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	return id, postgres.Translate("campaigns.CampaignByScheduleKey", err)
}

// Campaign is a review campaign as the read model holds it.
type Campaign struct {
	ID            string              `json:"id"`
	WorkflowID    string              `json:"workflow_id"`
	MovementID    string              `json:"movement_id"`
	MovementName  string              `json:"movement_name"`
	UnitID        string              `json:"unit_id"`
	UnitName      string              `json:"unit_name"`
	Kind          review.CampaignKind `json:"kind"`
	Title         string              `json:"title"`
	PeriodLabel   string              `json:"period_label,omitempty"`
	LetterNumber  string              `json:"letter_number,omitempty"`
	LetterDate    string              `json:"letter_date,omitempty"`
	TemplateCode  string              `json:"template_code"`
	Template      review.Template     `json:"-"`
	FinalDeadline time.Time           `json:"final_deadline"`
	GapDays       int                 `json:"gap_working_days"`
	ReminderDays  int                 `json:"reminder_working_days"`
	Explicit      []time.Time         `json:"explicit_deadlines,omitempty"`
	Depths        int                 `json:"depths"`
	Levels        []review.LevelPlan  `json:"levels"`
	Status        string              `json:"status"`
	ScheduleKey   string              `json:"schedule_key,omitempty"`
	Units         int                 `json:"units"`
	CreatedBy     int64               `json:"created_by,omitempty"`
	CreatedAt     time.Time           `json:"created_at"`
	ClosedAt      *time.Time          `json:"closed_at,omitempty"`
}

const campaignColumns = `c.id, c.workflow_id, c.movement_id, m.name, c.unit_id, u.name, c.kind, c.title, c.period_label,
	c.letter_number, c.letter_date, c.template, c.final_deadline, c.gap_days, c.reminder_days, c.explicit_deadlines,
	c.depths, c.levels, c.status, coalesce(c.schedule_key, ''), c.units,
	coalesce(c.created_by, 0), c.created_at, c.closed_at`

const campaignFrom = ` FROM review_campaigns c JOIN movements m ON m.id = c.movement_id JOIN units u ON u.id = c.unit_id`

func scanCampaign(row pgx.Row) (Campaign, error) {
	var c Campaign
	var letter *time.Time
	var tpl, explicit, levels []byte
	err := row.Scan(&c.ID, &c.WorkflowID, &c.MovementID, &c.MovementName, &c.UnitID, &c.UnitName, &c.Kind, &c.Title,
		&c.PeriodLabel, &c.LetterNumber, &letter, &tpl, &c.FinalDeadline, &c.GapDays, &c.ReminderDays, &explicit,
		&c.Depths, &levels, &c.Status, &c.ScheduleKey, &c.Units, &c.CreatedBy, &c.CreatedAt, &c.ClosedAt)
	if err != nil {
		return c, err
	}
	c.LetterDate = reviewDateOnly(letter)
	if c.Template, err = campaignTemplates.parse(c.ID, tpl); err != nil {
		return c, err
	}
	c.TemplateCode = c.Template.Code
	if err := json.Unmarshal(explicit, &c.Explicit); err != nil {
		return c, err
	}
	return c, json.Unmarshal(levels, &c.Levels)
}

// Campaign returns one campaign with its template snapshot; KindNotFound if unknown.
func (s *Store) Campaign(ctx context.Context, id string) (Campaign, error) {
	if !postgres.IsUUID(id) {
		return Campaign{}, &domain.Error{Op: "Campaign", Kind: domain.KindNotFound, Message: "no such review campaign"}
	}
	c, err := scanCampaign(s.Pool.QueryRow(ctx, `SELECT `+campaignColumns+campaignFrom+` WHERE c.id = $1`, id))
	return c, postgres.Translate("Campaign", err)
}

// CampaignFilter narrows a campaign list. Units (the units where the caller may read
// reviews) is always applied: a campaign is listed when one of them takes part.
type CampaignFilter struct {
	Units      []string
	MovementID string
	Status     string
}

// Campaigns lists campaigns in which one of f.Units takes part, newest first.
func (s *Store) Campaigns(ctx context.Context, f CampaignFilter) ([]Campaign, error) {
	rows, err := s.Pool.Query(ctx, `SELECT `+campaignColumns+campaignFrom+`
		WHERE EXISTS (SELECT 1 FROM review_reports r WHERE r.campaign_id = c.id AND r.unit_id = ANY($1))
			AND ($2 = '' OR c.movement_id::text = $2) AND ($3 = '' OR c.status = $3)
		ORDER BY c.created_at DESC, c.id LIMIT 200`, f.Units, f.MovementID, f.Status)
	if err != nil {
		return nil, postgres.Translate("campaigns.Campaigns", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Campaign, error) { return scanCampaign(r) })
	return out, postgres.Translate("campaigns.Campaigns", err)
}

// CampaignChildren returns the units that report to unitID in the campaign, by id.
func (s *Store) CampaignChildren(ctx context.Context, campaignID, unitID string) ([]string, error) {
	rows, err := s.Pool.Query(ctx, `SELECT unit_id FROM review_reports WHERE campaign_id = $1 AND parent_unit_id = $2 ORDER BY unit_id`,
		campaignID, unitID)
	if err != nil {
		return nil, postgres.Translate("campaigns.CampaignChildren", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return out, postgres.Translate("campaigns.CampaignChildren", err)
}
