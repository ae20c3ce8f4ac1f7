package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/review"
)

// MaxChildrenPerUnit caps how many units report to one unit in a campaign: each
// unit's workflow starts one child workflow per unit below it, and an execution
// should hold at most a few hundred (Temporal allows 2,000 pending children).
const MaxChildrenPerUnit = 1000

// AdministrativeKind is the unit kind that takes part in review campaigns: the
// People's Committees (UBND) of the administrative tree.
const AdministrativeKind = "people_committee"

// reviewDateOnly formats a date column for JSON.
func reviewDateOnly(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.DateOnly)
}

// ---- Templates ----

// ReviewTemplates returns every indicator template, by code.
func (s *Store) ReviewTemplates(ctx context.Context) ([]review.Template, error) {
	rows, err := s.pool.Query(ctx, `SELECT definition FROM review_templates ORDER BY code`)
	if err != nil {
		return nil, translate("store.ReviewTemplates", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (review.Template, error) {
		var t review.Template
		var def []byte
		if err := r.Scan(&def); err != nil {
			return t, err
		}
		return t, json.Unmarshal(def, &t)
	})
	return out, translate("store.ReviewTemplates", err)
}

// ReviewTemplate returns one template; KindNotFound if unknown.
func (s *Store) ReviewTemplate(ctx context.Context, code string) (review.Template, error) {
	var t review.Template
	var def []byte
	if err := s.pool.QueryRow(ctx, `SELECT definition FROM review_templates WHERE code = $1`, code).Scan(&def); err != nil {
		return t, translate("store.ReviewTemplate", err)
	}
	return t, translate("store.ReviewTemplate", json.Unmarshal(def, &t))
}

// PutReviewTemplate inserts a template or replaces the one with its code. Running
// campaigns keep the snapshot they started with.
func (s *Store) PutReviewTemplate(ctx context.Context, t review.Template) error {
	def, err := json.Marshal(t)
	if err != nil {
		return translate("store.PutReviewTemplate", err)
	}
	_, err = s.pool.Exec(ctx, `INSERT INTO review_templates (code, name, definition) VALUES ($1, $2, $3)
		ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, definition = EXCLUDED.definition, updated_at = now()`,
		t.Code, t.Name, def)
	return translate("store.PutReviewTemplate", err)
}

// ---- Movements ----

// Movement is an emulation movement (phong trào thi đua) as the read model holds it.
type Movement struct {
	ID             string     `json:"id"`
	WorkflowID     string     `json:"workflow_id"`
	ParentID       string     `json:"parent_id,omitempty"`
	UnitID         string     `json:"unit_id"`
	UnitName       string     `json:"unit_name"`
	Name           string     `json:"name"`
	DecisionNumber string     `json:"decision_number,omitempty"`
	DecisionDate   string     `json:"decision_date,omitempty"`
	PeriodStart    string     `json:"period_start"`
	PeriodEnd      string     `json:"period_end"`
	Goals          string     `json:"goals,omitempty"`
	Criteria       string     `json:"criteria,omitempty"`
	TemplateCode   string     `json:"template_code"`
	Status         string     `json:"status"`
	Registrations  int        `json:"registrations"`
	CreatedBy      int64      `json:"created_by,omitempty"`
	CreatedAt      time.Time  `json:"created_at"`
	EndedAt        *time.Time `json:"ended_at,omitempty"`
}

// NewMovement is a validated movement to store.
type NewMovement struct {
	ID, WorkflowID, ParentID, UnitID, Name string
	DecisionNumber                         string
	DecisionDate                           *time.Time
	PeriodStart, PeriodEnd                 time.Time
	Goals, Criteria, TemplateCode          string
	CreatedBy                              int64
	At                                     time.Time
}

func reviewNullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// CreateMovementTx inserts a movement inside tx; the caller commits once its workflow
// has started.
func CreateMovementTx(ctx context.Context, tx pgx.Tx, m NewMovement) error {
	_, err := tx.Exec(ctx, `INSERT INTO movements (id, workflow_id, parent_id, unit_id, name, decision_number, decision_date,
			period_start, period_end, goals, criteria, template_code, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
		m.ID, m.WorkflowID, reviewNullable(m.ParentID), m.UnitID, m.Name, m.DecisionNumber, m.DecisionDate,
		m.PeriodStart, m.PeriodEnd, m.Goals, m.Criteria, m.TemplateCode, reviewNullID(m.CreatedBy), m.At)
	return translate("store.CreateMovement", err)
}

const movementColumns = `m.id, m.workflow_id, coalesce(m.parent_id::text, ''), m.unit_id, u.name, m.name, m.decision_number,
	m.decision_date, m.period_start, m.period_end, m.goals, m.criteria, m.template_code, m.status,
	(SELECT count(*) FROM movement_registrations r WHERE r.movement_id = m.id), coalesce(m.created_by, 0), m.created_at, m.ended_at`

func scanMovement(row pgx.Row) (Movement, error) {
	var m Movement
	var decided *time.Time
	var start, end time.Time
	err := row.Scan(&m.ID, &m.WorkflowID, &m.ParentID, &m.UnitID, &m.UnitName, &m.Name, &m.DecisionNumber, &decided,
		&start, &end, &m.Goals, &m.Criteria, &m.TemplateCode, &m.Status, &m.Registrations, &m.CreatedBy, &m.CreatedAt, &m.EndedAt)
	m.DecisionDate, m.PeriodStart, m.PeriodEnd = reviewDateOnly(decided), reviewDateOnly(&start), reviewDateOnly(&end)
	return m, err
}

// Movement returns one movement; KindNotFound if unknown.
func (s *Store) Movement(ctx context.Context, id string) (Movement, error) {
	if !isUUID(id) {
		return Movement{}, &domain.Error{Op: "store.Movement", Kind: domain.KindNotFound, Message: "no such movement"}
	}
	m, err := scanMovement(s.pool.QueryRow(ctx, `SELECT `+movementColumns+` FROM movements m JOIN units u ON u.id = m.unit_id WHERE m.id = $1`, id))
	return m, translate("store.Movement", err)
}

// Movements lists the movements that concern the given units: launched by one of
// them, by a unit below one of them, or by a unit above one of them (a commune sees
// the Prime Minister's movement it takes part in). Newest period first.
func (s *Store) Movements(ctx context.Context, units []string, status string) ([]Movement, error) {
	rows, err := s.pool.Query(ctx, `WITH RECURSIVE up AS (
			SELECT u.id, u.parent_id FROM units u WHERE u.id = ANY($1)
			UNION SELECT p.id, p.parent_id FROM units p JOIN up ON p.id = up.parent_id)
		SELECT `+movementColumns+` FROM movements m JOIN units u ON u.id = m.unit_id
		WHERE (m.unit_id = ANY($1) OR m.unit_id IN (SELECT id FROM up)) AND ($2 = '' OR m.status = $2)
		ORDER BY m.period_start DESC, m.created_at DESC LIMIT 500`, units, status)
	if err != nil {
		return nil, translate("store.Movements", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Movement, error) { return scanMovement(r) })
	return out, translate("store.Movements", err)
}

// IsAncestorOrSelf reports whether ancestor is unit or lies above it in the unit tree.
func (s *Store) IsAncestorOrSelf(ctx context.Context, ancestor, unit string) (bool, error) {
	var ok bool
	err := s.pool.QueryRow(ctx, `WITH RECURSIVE up AS (
			SELECT id, parent_id FROM units WHERE id = $2
			UNION SELECT p.id, p.parent_id FROM units p JOIN up ON p.id = up.parent_id)
		SELECT EXISTS (SELECT 1 FROM up WHERE id = $1)`, ancestor, unit).Scan(&ok)
	return ok, translate("store.IsAncestorOrSelf", err)
}

// MovementTransition is one event of a movement's workflow: a registration or the end
// of its period. (MovementID, Seq) makes it idempotent.
type MovementTransition struct {
	MovementID  string    `json:"movement_id"`
	Seq         int       `json:"seq"`
	At          time.Time `json:"at"`
	ActorID     int64     `json:"actor_id,omitempty"`
	Action      string    `json:"action"` // register | end
	UnitID      string    `json:"unit_id,omitempty"`
	Commitments string    `json:"commitments,omitempty"`
}

// Movement actions.
const (
	MovementRegister = "register"
	MovementEnd      = "end"
)

// RecordMovement writes one movement event in one transaction: a registration (a
// second registration of a unit replaces its commitments) or the end of the movement.
// It is idempotent on (movement, seq).
func (s *Store) RecordMovement(ctx context.Context, t MovementTransition) error {
	const op = "store.RecordMovement"
	return s.inTx(ctx, op, func(tx pgx.Tx) error {
		var seq int
		if err := tx.QueryRow(ctx, `SELECT seq FROM movements WHERE id = $1 FOR UPDATE`, t.MovementID).Scan(&seq); err != nil {
			return err
		}
		if seq >= t.Seq {
			var action string
			if err := tx.QueryRow(ctx, `SELECT action FROM movement_events WHERE movement_id = $1 AND seq = $2`, t.MovementID, t.Seq).Scan(&action); err != nil {
				return fmt.Errorf("movement at seq %d has no event %d: %w", seq, t.Seq, err)
			}
			if action != t.Action {
				return fmt.Errorf("event %d of movement %s is %q, not %q", t.Seq, t.MovementID, action, t.Action)
			}
			return nil
		}
		if seq != t.Seq-1 {
			return fmt.Errorf("movement %s is at seq %d; cannot record event %d", t.MovementID, seq, t.Seq)
		}
		switch t.Action {
		case MovementRegister:
			if _, err := tx.Exec(ctx, `INSERT INTO movement_registrations (movement_id, unit_id, commitments, registered_by, registered_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $5)
				ON CONFLICT (movement_id, unit_id) DO UPDATE SET commitments = EXCLUDED.commitments,
					registered_by = EXCLUDED.registered_by, updated_at = EXCLUDED.updated_at`,
				t.MovementID, t.UnitID, t.Commitments, reviewNullID(t.ActorID), t.At); err != nil {
				return err
			}
		case MovementEnd:
			if _, err := tx.Exec(ctx, `UPDATE movements SET status = 'ended', ended_at = $2 WHERE id = $1`, t.MovementID, t.At); err != nil {
				return err
			}
		default:
			return fmt.Errorf("unknown movement action %q", t.Action)
		}
		if _, err := tx.Exec(ctx, `UPDATE movements SET seq = $2 WHERE id = $1`, t.MovementID, t.Seq); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO movement_events (movement_id, seq, at, actor_id, action, unit_id) VALUES ($1, $2, $3, $4, $5, $6)`,
			t.MovementID, t.Seq, t.At, reviewNullID(t.ActorID), t.Action, reviewNullable(t.UnitID))
		return err
	})
}

func reviewNullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// Registration is a unit's registration for a movement (đăng ký thi đua).
type Registration struct {
	MovementID   string    `json:"movement_id"`
	UnitID       string    `json:"unit_id"`
	UnitName     string    `json:"unit_name"`
	Commitments  string    `json:"commitments"`
	RegisteredBy int64     `json:"registered_by,omitempty"`
	RegisteredAt time.Time `json:"registered_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// Registrations lists a movement's registrations by unit.
func (s *Store) Registrations(ctx context.Context, movementID string) ([]Registration, error) {
	rows, err := s.pool.Query(ctx, `SELECT r.movement_id, r.unit_id, u.name, r.commitments, coalesce(r.registered_by, 0), r.registered_at, r.updated_at
		FROM movement_registrations r JOIN units u ON u.id = r.unit_id WHERE r.movement_id = $1 ORDER BY r.unit_id`, movementID)
	if err != nil {
		return nil, translate("store.Registrations", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Registration, error) {
		var g Registration
		err := r.Scan(&g.MovementID, &g.UnitID, &g.UnitName, &g.Commitments, &g.RegisteredBy, &g.RegisteredAt, &g.UpdatedAt)
		return g, err
	})
	return out, translate("store.Registrations", err)
}

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
	const op = "store.CreateCampaign"
	var shape CampaignShape
	on := c.At.In(vietnam).Format(time.DateOnly)
	targets := c.Targets
	if len(targets) == 0 {
		rows, err := tx.Query(ctx, `SELECT id FROM units WHERE parent_id = $1 AND kind = $2
			AND valid_from <= $3::date AND (valid_to IS NULL OR valid_to > $3::date) ORDER BY id`, c.UnitID, AdministrativeKind, on)
		if err != nil {
			return shape, translate(op, err)
		}
		if targets, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
			return shape, translate(op, err)
		}
	} else {
		var below []string
		rows, err := tx.Query(ctx, `WITH RECURSIVE down AS (
				SELECT id FROM units WHERE parent_id = $1 AND valid_from <= $2::date AND (valid_to IS NULL OR valid_to > $2::date)
				UNION ALL SELECT u.id FROM units u JOIN down ON u.parent_id = down.id
				WHERE u.valid_from <= $2::date AND (u.valid_to IS NULL OR u.valid_to > $2::date))
			SELECT id FROM down WHERE id = ANY($3)`, c.UnitID, on, targets)
		if err != nil {
			return shape, translate(op, err)
		}
		if below, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
			return shape, translate(op, err)
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
		return shape, translate(op, err)
	}
	explicit, err := json.Marshal(nonNilTimes(c.Explicit))
	if err != nil {
		return shape, translate(op, err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO review_campaigns (id, workflow_id, movement_id, unit_id, kind, title, period_label,
			letter_number, letter_date, template, final_deadline, gap_days, reminder_days, explicit_deadlines, depths,
			schedule_key, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 0, $15, $16, $17)`,
		c.ID, c.WorkflowID, c.MovementID, c.UnitID, string(c.Kind), c.Title, c.PeriodLabel, c.LetterNumber, c.LetterDate,
		tpl, c.FinalDeadline, c.GapDays, c.ReminderDays, explicit, reviewNullable(c.ScheduleKey), reviewNullID(c.CreatedBy), c.At); err != nil {
		return shape, translate(op, err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO review_reports (campaign_id, unit_id, depth, status, updated_at)
		VALUES ($1, $2, 0, 'collecting', $3)`, c.ID, c.UnitID, c.At); err != nil {
		return shape, translate(op, err)
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
		return shape, translate(op, err)
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
		return shape, translate(op, err)
	}
	if maxChildren > MaxChildrenPerUnit {
		return shape, domain.Invalid(fmt.Sprintf("one unit would have %d units reporting to it; at most %d", maxChildren, MaxChildrenPerUnit),
			domain.FieldError{Field: "target_unit_ids", Message: "split the campaign or limit its depth"})
	}
	if err := tx.QueryRow(ctx, `UPDATE review_campaigns SET depths = (SELECT max(depth) FROM review_reports WHERE campaign_id = $1)
		WHERE id = $1 RETURNING depths`, c.ID).Scan(&shape.Depths); err != nil {
		return shape, translate(op, err)
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
	err := s.pool.QueryRow(ctx, `SELECT id FROM review_campaigns WHERE schedule_key = $1`, key).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	return id, translate("store.CampaignByScheduleKey", err)
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
	c.depths, c.levels, c.status, coalesce(c.schedule_key, ''),
	(SELECT count(*) FROM review_reports r WHERE r.campaign_id = c.id AND r.depth > 0),
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
	if err := json.Unmarshal(tpl, &c.Template); err != nil {
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
	if !isUUID(id) {
		return Campaign{}, &domain.Error{Op: "store.Campaign", Kind: domain.KindNotFound, Message: "no such review campaign"}
	}
	c, err := scanCampaign(s.pool.QueryRow(ctx, `SELECT `+campaignColumns+campaignFrom+` WHERE c.id = $1`, id))
	return c, translate("store.Campaign", err)
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
	rows, err := s.pool.Query(ctx, `SELECT `+campaignColumns+campaignFrom+`
		WHERE EXISTS (SELECT 1 FROM review_reports r WHERE r.campaign_id = c.id AND r.unit_id = ANY($1))
			AND ($2 = '' OR c.movement_id::text = $2) AND ($3 = '' OR c.status = $3)
		ORDER BY c.created_at DESC, c.id LIMIT 200`, f.Units, f.MovementID, f.Status)
	if err != nil {
		return nil, translate("store.Campaigns", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Campaign, error) { return scanCampaign(r) })
	return out, translate("store.Campaigns", err)
}

// CampaignChildren returns the units that report to unitID in the campaign, by id.
func (s *Store) CampaignChildren(ctx context.Context, campaignID, unitID string) ([]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT unit_id FROM review_reports WHERE campaign_id = $1 AND parent_unit_id = $2 ORDER BY unit_id`,
		campaignID, unitID)
	if err != nil {
		return nil, translate("store.CampaignChildren", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return out, translate("store.CampaignChildren", err)
}

// ---- Reports ----

// Report is one unit's report of a campaign as the read model holds it.
type Report struct {
	ID               int64         `json:"-"`
	CampaignID       string        `json:"campaign_id"`
	UnitID           string        `json:"unit_id"`
	UnitName         string        `json:"unit_name"`
	Level            string        `json:"level"`
	ParentUnitID     string        `json:"parent_unit_id,omitempty"`
	Depth            int           `json:"depth"`
	Status           review.Status `json:"status"`
	Version          int           `json:"version"`
	Seq              int           `json:"-"`
	Deadline         *time.Time    `json:"deadline,omitempty"`
	RemindAt         *time.Time    `json:"remind_at,omitempty"`
	Values           review.Values `json:"values"`
	Aggregate        review.Values `json:"aggregate"`
	Missing          []string      `json:"missing_unit_ids"`
	ChildrenTotal    int           `json:"children_total"`
	ChildrenReported int           `json:"children_reported"`
	PrefilledAt      *time.Time    `json:"prefilled_at,omitempty"`
	SubmittedAt      *time.Time    `json:"submitted_at,omitempty"`
	SubmittedBy      int64         `json:"submitted_by,omitempty"`
	Late             bool          `json:"late"`
	Stale            bool          `json:"stale"`
	ReturnedCount    int           `json:"returned_count"`
	ReturnReason     string        `json:"return_reason,omitempty"`
	AcceptedAt       *time.Time    `json:"accepted_at,omitempty"`
	AcceptedBy       int64         `json:"accepted_by,omitempty"`
	RemindedAt       *time.Time    `json:"reminded_at,omitempty"`
	OverdueAt        *time.Time    `json:"overdue_at,omitempty"`
	UpdatedAt        time.Time     `json:"updated_at"`
}

const reportColumns = `r.id, r.campaign_id, r.unit_id, u.name, u.level, coalesce(r.parent_unit_id, ''), r.depth, r.status,
	r.version, r.seq, r.deadline, r.remind_at, r.vals, r.aggregate, r.missing_units, r.children_total, r.children_reported,
	r.prefilled_at, r.submitted_at, coalesce(r.submitted_by, 0), r.late, r.stale, r.returned_count, r.return_reason,
	r.accepted_at, coalesce(r.accepted_by, 0), r.reminded_at, r.overdue_at, r.updated_at`

// reportColumnsLight leaves out the values, for dashboards over thousands of units.
const reportColumnsLight = `r.id, r.campaign_id, r.unit_id, u.name, u.level, coalesce(r.parent_unit_id, ''), r.depth, r.status,
	r.version, r.seq, r.deadline, r.remind_at, '{}'::jsonb, '{}'::jsonb, r.missing_units, r.children_total, r.children_reported,
	r.prefilled_at, r.submitted_at, coalesce(r.submitted_by, 0), r.late, r.stale, r.returned_count, r.return_reason,
	r.accepted_at, coalesce(r.accepted_by, 0), r.reminded_at, r.overdue_at, r.updated_at`

func scanReport(row pgx.Row) (Report, error) {
	var r Report
	var vals, agg []byte
	err := row.Scan(&r.ID, &r.CampaignID, &r.UnitID, &r.UnitName, &r.Level, &r.ParentUnitID, &r.Depth, &r.Status,
		&r.Version, &r.Seq, &r.Deadline, &r.RemindAt, &vals, &agg, &r.Missing, &r.ChildrenTotal, &r.ChildrenReported,
		&r.PrefilledAt, &r.SubmittedAt, &r.SubmittedBy, &r.Late, &r.Stale, &r.ReturnedCount, &r.ReturnReason,
		&r.AcceptedAt, &r.AcceptedBy, &r.RemindedAt, &r.OverdueAt, &r.UpdatedAt)
	if err != nil {
		return r, err
	}
	if err := json.Unmarshal(vals, &r.Values); err != nil {
		return r, err
	}
	return r, json.Unmarshal(agg, &r.Aggregate)
}

// Report returns one unit's report of a campaign; KindNotFound if the unit does not
// take part.
func (s *Store) Report(ctx context.Context, campaignID, unitID string) (Report, error) {
	if !isUUID(campaignID) {
		return Report{}, &domain.Error{Op: "store.Report", Kind: domain.KindNotFound, Message: "no such review campaign"}
	}
	r, err := scanReport(s.pool.QueryRow(ctx, `SELECT `+reportColumns+` FROM review_reports r JOIN units u ON u.id = r.unit_id
		WHERE r.campaign_id = $1 AND r.unit_id = $2`, campaignID, unitID))
	if errors.Is(err, pgx.ErrNoRows) {
		return r, &domain.Error{Op: "store.Report", Kind: domain.KindNotFound, Message: "this unit takes no part in the campaign", Err: err}
	}
	return r, translate("store.Report", err)
}

// Reports returns the reports of the campaign's subtree rooted at rootUnitID, parents
// before children (by depth, then unit id). withValues loads the figures too.
func (s *Store) Reports(ctx context.Context, campaignID, rootUnitID string, withValues bool) ([]Report, error) {
	cols := reportColumnsLight
	if withValues {
		cols = reportColumns
	}
	rows, err := s.pool.Query(ctx, `WITH RECURSIVE sub AS (
			SELECT unit_id FROM review_reports WHERE campaign_id = $1 AND unit_id = $2
			UNION ALL SELECT r.unit_id FROM review_reports r JOIN sub ON r.parent_unit_id = sub.unit_id WHERE r.campaign_id = $1)
		SELECT `+cols+` FROM review_reports r JOIN units u ON u.id = r.unit_id
		WHERE r.campaign_id = $1 AND r.unit_id IN (SELECT unit_id FROM sub) ORDER BY r.depth, r.unit_id`, campaignID, rootUnitID)
	if err != nil {
		return nil, translate("store.Reports", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Report, error) { return scanReport(r) })
	return out, translate("store.Reports", err)
}

// ChildReports returns the reports of the units that report to unitID, with values.
func (s *Store) ChildReports(ctx context.Context, campaignID, unitID string) ([]Report, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+reportColumns+` FROM review_reports r JOIN units u ON u.id = r.unit_id
		WHERE r.campaign_id = $1 AND r.parent_unit_id = $2 ORDER BY r.unit_id`, campaignID, unitID)
	if err != nil {
		return nil, translate("store.ChildReports", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Report, error) { return scanReport(r) })
	return out, translate("store.ChildReports", err)
}

// ReviewEvent is one event of a report's history.
type ReviewEvent struct {
	Seq        int            `json:"seq"`
	At         time.Time      `json:"at"`
	ActorID    int64          `json:"actor_id,omitempty"`
	ActorName  string         `json:"actor_name,omitempty"`
	Action     string         `json:"action"`
	FromStatus string         `json:"from_status,omitempty"`
	ToStatus   string         `json:"to_status,omitempty"`
	Details    map[string]any `json:"details,omitempty"`
}

// ReviewEvents returns a report's events in order.
func (s *Store) ReviewEvents(ctx context.Context, campaignID, unitID string) ([]ReviewEvent, error) {
	rows, err := s.pool.Query(ctx, `SELECT e.seq, e.at, coalesce(e.actor_id, 0), coalesce(us.full_name, ''), e.action,
			e.from_status, e.to_status, e.details
		FROM review_events e JOIN review_reports r ON r.id = e.report_id LEFT JOIN users us ON us.id = e.actor_id
		WHERE r.campaign_id = $1 AND r.unit_id = $2 ORDER BY e.seq`, campaignID, unitID)
	if err != nil {
		return nil, translate("store.ReviewEvents", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ReviewEvent, error) {
		var e ReviewEvent
		var details []byte
		if err := r.Scan(&e.Seq, &e.At, &e.ActorID, &e.ActorName, &e.Action, &e.FromStatus, &e.ToStatus, &details); err != nil {
			return e, err
		}
		return e, json.Unmarshal(details, &e.Details)
	})
	return out, translate("store.ReviewEvents", err)
}

// lockedReport is a report row locked for a transition, with what the transition needs.
type lockedReport struct {
	Report
	campaignTitle string
	template      review.Template
}

func lockReport(ctx context.Context, tx pgx.Tx, campaignID, unitID string) (lockedReport, error) {
	var lr lockedReport
	var tpl []byte
	err := tx.QueryRow(ctx, `SELECT c.title, c.template FROM review_campaigns c WHERE c.id = $1`, campaignID).Scan(&lr.campaignTitle, &tpl)
	if err != nil {
		return lr, err
	}
	if err := json.Unmarshal(tpl, &lr.template); err != nil {
		return lr, err
	}
	lr.Report, err = scanReport(tx.QueryRow(ctx, `SELECT `+reportColumns+` FROM review_reports r JOIN units u ON u.id = r.unit_id
		WHERE r.campaign_id = $1 AND r.unit_id = $2 FOR UPDATE OF r`, campaignID, unitID))
	return lr, err
}

// reportLink is where a notification about a report points.
func reportLink(campaignID, unitID string) string {
	return "/api/v1/reviews/" + campaignID + "/reports/" + unitID
}

// RecordReview writes one event of a report in one transaction: the report's new
// status, version and figures; for a child's submission, return or acceptance the
// parent's aggregate, missing units and (in a pre-filled draft) the figures that
// follow the aggregate; for a pre-fill the aggregate written into the draft; for the
// root's plan the deadlines of every level; the notifications; and the event. It is
// idempotent on (report, seq): a retry after a commit returns the first outcome.
func (s *Store) RecordReview(ctx context.Context, t review.Transition) (review.RecordResult, error) {
	const op = "store.RecordReview"
	var res review.RecordResult
	err := s.inTx(ctx, op, func(tx pgx.Tx) error {
		r, err := lockReport(ctx, tx, t.CampaignID, t.UnitID)
		if err != nil {
			return err
		}
		if r.Seq >= t.Seq {
			var action string
			if err := tx.QueryRow(ctx, `SELECT action FROM review_events WHERE report_id = $1 AND seq = $2`, r.ID, t.Seq).Scan(&action); err != nil {
				return fmt.Errorf("report at seq %d has no event %d: %w", r.Seq, t.Seq, err)
			}
			if action != string(t.Action) {
				return fmt.Errorf("event %d of report %s/%s is %q, not %q", t.Seq, t.CampaignID, t.UnitID, action, t.Action)
			}
			res = review.RecordResult{Status: r.Status, Version: r.Version, Late: r.Late}
			return nil
		}
		if r.Seq != t.Seq-1 {
			return fmt.Errorf("report %s/%s is at seq %d; cannot record event %d", t.CampaignID, t.UnitID, r.Seq, t.Seq)
		}
		next := r.Report
		details := map[string]any{}
		var notes []NewNotification
		notify := func(unit, role, kind, title, body string) {
			notes = append(notes, NewNotification{UnitID: unit, Role: role, Kind: kind, Title: title, Body: body,
				Link: reportLink(t.CampaignID, unit), DedupKey: fmt.Sprintf("review:%s:%s:%d:%s:%s", t.CampaignID, t.UnitID, t.Seq, unit, role), At: t.At})
		}
		deadline := ""
		if r.Deadline != nil {
			deadline = review.FormatShortDate(*r.Deadline)
		}
		switch t.Action {
		case review.ActionSave:
			next.Values = review.Merge(r.Values, t.Values, t.Clear)
		case review.ActionSubmit:
			next.Values = review.Merge(r.Values, t.Values, t.Clear)
			next.SubmittedAt, next.SubmittedBy = &t.At, t.ActorID
			next.Late = r.Deadline != nil && t.At.After(*r.Deadline)
			next.Stale = false
			details["late"] = next.Late
		case review.ActionReturn:
			next.ReturnedCount++
			next.ReturnReason = t.Reason
			details["reason"] = t.Reason
			body := "Lý do: " + t.Reason
			notify(t.UnitID, domain.RoleClerk, "review", "Báo cáo bị trả lại: "+r.campaignTitle, body)
			notify(t.UnitID, domain.RoleUnitHead, "review", "Báo cáo bị trả lại: "+r.campaignTitle, body)
		case review.ActionAccept:
			next.AcceptedAt, next.AcceptedBy = &t.At, t.ActorID
		case review.ActionPrefill:
			agg, err := refreshAggregate(ctx, tx, t.CampaignID, &next, r.template)
			if err != nil {
				return err
			}
			next.Values = review.Prefill(r.template, r.Values, agg)
			next.PrefilledAt = &t.At
			details["missing"] = next.Missing
			if r.Status.Open() || r.Depth == 0 {
				notify(t.UnitID, domain.RoleClerk, "review", "Số liệu tổng hợp đã được điền sẵn: "+r.campaignTitle,
					fmt.Sprintf("%d/%d đơn vị đã gửi báo cáo; còn thiếu %d đơn vị.", next.ChildrenReported, next.ChildrenTotal, len(next.Missing)))
			}
		case review.ActionRemind:
			next.RemindedAt = &t.At
			title := "Nhắc hạn gửi báo cáo: " + r.campaignTitle
			notify(t.UnitID, domain.RoleClerk, "reminder", title, "Hạn gửi báo cáo: "+deadline+".")
			notify(t.UnitID, domain.RoleUnitHead, "reminder", title, "Hạn gửi báo cáo: "+deadline+".")
		case review.ActionOverdue:
			next.OverdueAt = &t.At
			title := "Quá hạn gửi báo cáo: " + r.campaignTitle
			notify(t.UnitID, domain.RoleClerk, "overdue", title, "Hạn gửi báo cáo là "+deadline+"; báo cáo vẫn được tiếp nhận nhưng ghi nhận nộp muộn.")
			notify(t.UnitID, domain.RoleUnitHead, "overdue", title, "Hạn gửi báo cáo là "+deadline+".")
			if r.ParentUnitID != "" {
				notes = append(notes, NewNotification{UnitID: r.ParentUnitID, Role: domain.RoleAppraiser, Kind: "overdue",
					Title: r.UnitName + " chưa gửi báo cáo: " + r.campaignTitle, Body: "Đã quá hạn " + deadline + ".",
					Link: reportLink(t.CampaignID, t.UnitID), DedupKey: fmt.Sprintf("review:%s:%s:%d:parent", t.CampaignID, t.UnitID, t.Seq), At: t.At})
			}
		case review.ActionPlan, review.ActionDeadlines:
			if err := writePlan(ctx, tx, t.CampaignID, t.Plan); err != nil {
				return err
			}
			details["plan"] = t.Plan
		case review.ActionComplete, review.ActionClose:
			if _, err := tx.Exec(ctx, `UPDATE review_campaigns SET status = $2, closed_at = $3 WHERE id = $1`,
				t.CampaignID, string(t.ToStatus), t.At); err != nil {
				return err
			}
		default:
			return fmt.Errorf("unknown review action %q", t.Action)
		}
		if t.Note != "" {
			details["note"] = t.Note
		}
		next.Status, next.Version, next.Seq = t.ToStatus, t.Version, t.Seq
		vals, err := json.Marshal(next.Values)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE review_reports SET status = $2, version = $3, seq = $4, vals = $5,
				prefilled_at = $6, submitted_at = $7, submitted_by = $8, late = $9, stale = $10, returned_count = $11,
				return_reason = $12, accepted_at = $13, accepted_by = $14, reminded_at = $15, overdue_at = $16, updated_at = $17
			WHERE id = $1`, r.ID, string(next.Status), next.Version, next.Seq, vals, next.PrefilledAt, next.SubmittedAt,
			reviewNullID(next.SubmittedBy), next.Late, next.Stale, next.ReturnedCount, next.ReturnReason, next.AcceptedAt,
			reviewNullID(next.AcceptedBy), next.RemindedAt, next.OverdueAt, t.At); err != nil {
			return err
		}
		detailsJSON, err := json.Marshal(details)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO review_events (report_id, seq, at, actor_id, action, from_status, to_status, details)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, r.ID, t.Seq, t.At, reviewNullID(t.ActorID), string(t.Action),
			string(t.FromStatus), string(t.ToStatus), detailsJSON); err != nil {
			return err
		}
		if r.ParentUnitID != "" && (t.Action == review.ActionSubmit || t.Action == review.ActionReturn || t.Action == review.ActionAccept) {
			parentNotes, err := refreshParent(ctx, tx, t, r, next)
			if err != nil {
				return err
			}
			notes = append(notes, parentNotes...)
		}
		for _, n := range notes {
			if _, err := NotifyTx(ctx, tx, n); err != nil {
				return err
			}
		}
		res = review.RecordResult{Status: next.Status, Version: next.Version, Late: next.Late}
		return nil
	})
	return res, err
}

// writePlan sets every report's deadline and reminder from the plan of its depth.
func writePlan(ctx context.Context, tx pgx.Tx, campaignID string, plan []review.LevelPlan) error {
	js, err := json.Marshal(plan)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE review_reports r SET deadline = p.deadline, remind_at = p.remind_at
		FROM jsonb_to_recordset($2::jsonb) AS p(depth int, deadline timestamptz, remind_at timestamptz)
		WHERE r.campaign_id = $1 AND r.depth = p.depth`, campaignID, js); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `UPDATE review_campaigns SET levels = $2,
		final_deadline = coalesce(($2::jsonb -> 0 ->> 'deadline')::timestamptz, final_deadline) WHERE id = $1`, campaignID, js)
	return err
}

// refreshAggregate recomputes a report's aggregate from its children's reports that
// have arrived (submitted or accepted), in unit order, and sets its missing units and
// counts on r. The caller holds r's row lock, so concurrent children queue on it.
func refreshAggregate(ctx context.Context, tx pgx.Tx, campaignID string, r *Report, tpl review.Template) (review.Values, error) {
	rows, err := tx.Query(ctx, `SELECT r.unit_id, u.name, r.status, r.vals FROM review_reports r JOIN units u ON u.id = r.unit_id
		WHERE r.campaign_id = $1 AND r.parent_unit_id = $2 ORDER BY r.unit_id`, campaignID, r.UnitID)
	if err != nil {
		return review.Values{}, err
	}
	type child struct {
		id, name string
		status   review.Status
		vals     []byte
	}
	children, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (child, error) {
		var c child
		err := row.Scan(&c.id, &c.name, &c.status, &c.vals)
		return c, err
	})
	if err != nil {
		return review.Values{}, err
	}
	var parts []review.Part
	missing := []string{}
	for _, c := range children {
		if !c.status.Reported() {
			missing = append(missing, c.id)
			continue
		}
		p := review.Part{UnitID: c.id, UnitName: c.name}
		if err := json.Unmarshal(c.vals, &p.Values); err != nil {
			return review.Values{}, err
		}
		parts = append(parts, p)
	}
	agg := review.Aggregate(tpl, parts)
	aggJSON, err := json.Marshal(agg)
	if err != nil {
		return agg, err
	}
	r.Aggregate, r.Missing, r.ChildrenReported, r.ChildrenTotal = agg, missing, len(parts), len(children)
	_, err = tx.Exec(ctx, `UPDATE review_reports SET aggregate = $2, missing_units = $3, children_reported = $4, children_total = $5
		WHERE id = $1`, r.ID, aggJSON, missing, len(parts), len(children))
	return agg, err
}

// refreshParent updates the parent's aggregate after a child's submission, return or
// acceptance: a pre-filled draft follows the new aggregate, a parent that has already
// submitted is marked stale and told, a late report is announced to the parent's
// standing body.
func refreshParent(ctx context.Context, tx pgx.Tx, t review.Transition, child lockedReport, next Report) ([]NewNotification, error) {
	parent, err := lockReport(ctx, tx, t.CampaignID, child.ParentUnitID)
	if err != nil {
		return nil, fmt.Errorf("parent report %s: %w", child.ParentUnitID, err)
	}
	oldAgg := parent.Aggregate
	p := parent.Report
	agg, err := refreshAggregate(ctx, tx, t.CampaignID, &p, parent.template)
	if err != nil {
		return nil, err
	}
	var notes []NewNotification
	if p.PrefilledAt != nil && (p.Status.Open() || p.Depth == 0) {
		p.Values = review.Follow(parent.template, p.Values, oldAgg, agg)
	}
	if t.Action == review.ActionSubmit {
		if p.Status == review.StatusSubmitted || p.Status == review.StatusAccepted {
			p.Stale = true
			notes = append(notes, NewNotification{UnitID: p.UnitID, Role: domain.RoleClerk, Kind: "review",
				Title:    "Báo cáo của " + child.UnitName + " đến sau khi đơn vị đã gửi báo cáo tổng hợp",
				Body:     "Số liệu tổng hợp đã thay đổi: " + child.campaignTitle + ".",
				Link:     reportLink(t.CampaignID, p.UnitID),
				DedupKey: fmt.Sprintf("review:%s:%s:%d:stale", t.CampaignID, t.UnitID, t.Seq), At: t.At})
		}
		if next.Late {
			notes = append(notes, NewNotification{UnitID: p.UnitID, Role: domain.RoleAppraiser, Kind: "review",
				Title:    child.UnitName + " gửi báo cáo muộn: " + child.campaignTitle,
				Link:     reportLink(t.CampaignID, t.UnitID),
				DedupKey: fmt.Sprintf("review:%s:%s:%d:late", t.CampaignID, t.UnitID, t.Seq), At: t.At})
		}
	}
	vals, err := json.Marshal(p.Values)
	if err != nil {
		return nil, err
	}
	_, err = tx.Exec(ctx, `UPDATE review_reports SET vals = $2, stale = $3, updated_at = $4 WHERE id = $1`, p.ID, vals, p.Stale, t.At)
	return notes, err
}

// AwardCounts counts, by award and nominee kind, the awardees of the decisions issued
// (and not revoked) on dossiers linked to the campaign or to its movement or a lower
// level's version of it, submitted by unitID or a unit below it.
func (s *Store) AwardCounts(ctx context.Context, campaignID, unitID string) ([]review.AwardCount, error) {
	rows, err := s.pool.Query(ctx, `WITH RECURSIVE fam AS (
			SELECT c.movement_id AS id FROM review_campaigns c WHERE c.id = $1
			UNION SELECT m.id FROM movements m JOIN fam ON m.parent_id = fam.id),
		sub AS (
			SELECT $2::text AS id
			UNION SELECT u.id FROM units u JOIN sub ON u.parent_id = sub.id)
		SELECT da.award_code, a.name,
			count(*) FILTER (WHERE ne.kind = 'collective'),
			count(*) FILTER (WHERE ne.kind = 'individual'),
			count(*) FILTER (WHERE ne.kind = 'household')
		FROM decision_awardees da
		JOIN decisions d ON d.id = da.decision_id AND d.revoked_at IS NULL
		JOIN nominees ne ON ne.id = da.nominee_id
		JOIN nominations n ON n.id = d.nomination_id
		JOIN awards a ON a.code = da.award_code
		WHERE (n.campaign_id = $1 OR n.movement_id IN (SELECT id FROM fam)) AND n.unit_id IN (SELECT id FROM sub)
		GROUP BY da.award_code, a.name ORDER BY da.award_code`, campaignID, unitID)
	if err != nil {
		return nil, translate("store.AwardCounts", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (review.AwardCount, error) {
		var a review.AwardCount
		err := r.Scan(&a.AwardCode, &a.AwardName, &a.Collective, &a.Individual, &a.Household)
		return a, err
	})
	return out, translate("store.AwardCounts", err)
}

// UnitNames returns the names of the given units.
func (s *Store) UnitNames(ctx context.Context, ids []string) (map[string]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, name FROM units WHERE id = ANY($1)`, ids)
	if err != nil {
		return nil, translate("store.UnitNames", err)
	}
	out := make(map[string]string, len(ids))
	var id, name string
	_, err = pgx.ForEachRow(rows, []any{&id, &name}, func() error { out[id] = name; return nil })
	return out, translate("store.UnitNames", err)
}

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
	_, err := s.pool.Exec(ctx, `INSERT INTO review_schedules (id, movement_id, kind, spec, paused, note, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
		ON CONFLICT (id) DO UPDATE SET spec = EXCLUDED.spec, paused = EXCLUDED.paused, note = EXCLUDED.note, updated_at = EXCLUDED.updated_at`,
		rs.ID, rs.MovementID, string(rs.Kind), []byte(rs.Spec), rs.Paused, rs.Note, reviewNullID(rs.CreatedBy), rs.UpdatedAt)
	return translate("store.PutReviewSchedule", err)
}

// ReviewSchedules lists a movement's schedules.
func (s *Store) ReviewSchedules(ctx context.Context, movementID string) ([]ReviewSchedule, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, movement_id, kind, spec, paused, note, coalesce(created_by, 0), created_at, updated_at
		FROM review_schedules WHERE movement_id = $1 ORDER BY kind`, movementID)
	if err != nil {
		return nil, translate("store.ReviewSchedules", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ReviewSchedule, error) {
		var rs ReviewSchedule
		var spec []byte
		err := r.Scan(&rs.ID, &rs.MovementID, &rs.Kind, &spec, &rs.Paused, &rs.Note, &rs.CreatedBy, &rs.CreatedAt, &rs.UpdatedAt)
		rs.Spec = spec
		return rs, err
	})
	return out, translate("store.ReviewSchedules", err)
}

// ReviewScheduleByID returns one schedule's read model; KindNotFound if unknown.
func (s *Store) ReviewScheduleByID(ctx context.Context, id string) (ReviewSchedule, error) {
	var rs ReviewSchedule
	var spec []byte
	err := s.pool.QueryRow(ctx, `SELECT id, movement_id, kind, spec, paused, note, coalesce(created_by, 0), created_at, updated_at
		FROM review_schedules WHERE id = $1`, id).
		Scan(&rs.ID, &rs.MovementID, &rs.Kind, &spec, &rs.Paused, &rs.Note, &rs.CreatedBy, &rs.CreatedAt, &rs.UpdatedAt)
	rs.Spec = spec
	return rs, translate("store.ReviewScheduleByID", err)
}

// reviewNullUUID is NULL for "" and the id otherwise; a malformed id is refused as invalid
// by PostgreSQL (22P02), an unknown one by the foreign key (23503).
func reviewNullUUID(id string) any {
	if id == "" {
		return nil
	}
	return id
}

// IsAncestorOfAny reports whether ancestor is one of units or lies above one of them.
func (s *Store) IsAncestorOfAny(ctx context.Context, ancestor string, units []string) (bool, error) {
	var ok bool
	err := s.pool.QueryRow(ctx, `WITH RECURSIVE up AS (
			SELECT id, parent_id FROM units WHERE id = ANY($2)
			UNION SELECT p.id, p.parent_id FROM units p JOIN up ON p.id = up.parent_id)
		SELECT EXISTS (SELECT 1 FROM up WHERE id = $1)`, ancestor, units).Scan(&ok)
	return ok, translate("store.IsAncestorOfAny", err)
}

// CampaignHasUnitIn reports whether one of units takes part in the campaign.
func (s *Store) CampaignHasUnitIn(ctx context.Context, campaignID string, units []string) (bool, error) {
	var ok bool
	err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM review_reports WHERE campaign_id = $1 AND unit_id = ANY($2))`,
		campaignID, units).Scan(&ok)
	return ok, translate("store.CampaignHasUnitIn", err)
}

// TopCampaignUnitIn returns, of the given units, the one highest in the campaign's
// tree (smallest depth, then id); KindForbidden when none takes part.
func (s *Store) TopCampaignUnitIn(ctx context.Context, campaignID string, units []string) (string, error) {
	var id string
	err := s.pool.QueryRow(ctx, `SELECT unit_id FROM review_reports WHERE campaign_id = $1 AND unit_id = ANY($2)
		ORDER BY depth, unit_id LIMIT 1`, campaignID, units).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", domain.Errorf(domain.KindForbidden, "you may not read this review campaign")
	}
	return id, translate("store.TopCampaignUnitIn", err)
}
