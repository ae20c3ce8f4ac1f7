package campaigns

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/postgres"
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
	rows, err := s.Pool.Query(ctx, `SELECT definition FROM review_templates ORDER BY code`)
	if err != nil {
		return nil, postgres.Translate("campaigns.ReviewTemplates", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (review.Template, error) {
		var t review.Template
		var def []byte
		if err := r.Scan(&def); err != nil {
			return t, err
		}
		return t, json.Unmarshal(def, &t)
	})
	return out, postgres.Translate("campaigns.ReviewTemplates", err)
}

// ReviewTemplate returns one template; KindNotFound if unknown.
func (s *Store) ReviewTemplate(ctx context.Context, code string) (review.Template, error) {
	var t review.Template
	var def []byte
	if err := s.Pool.QueryRow(ctx, `SELECT definition FROM review_templates WHERE code = $1`, code).Scan(&def); err != nil {
		return t, postgres.Translate("campaigns.ReviewTemplate", err)
	}
	return t, postgres.Translate("campaigns.ReviewTemplate", json.Unmarshal(def, &t))
}

// PutReviewTemplate inserts a template or replaces the one with its code. Running
// campaigns keep the snapshot they started with.
func (s *Store) PutReviewTemplate(ctx context.Context, t review.Template) error {
	def, err := json.Marshal(t)
	if err != nil {
		return postgres.Translate("campaigns.PutReviewTemplate", err)
	}
	_, err = s.Pool.Exec(ctx, `INSERT INTO review_templates (code, name, definition) VALUES ($1, $2, $3)
		ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, definition = EXCLUDED.definition, updated_at = now()`,
		t.Code, t.Name, def)
	return postgres.Translate("campaigns.PutReviewTemplate", err)
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
	return postgres.Translate("campaigns.CreateMovement", err)
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
	if !postgres.IsUUID(id) {
		return Movement{}, &domain.Error{Op: "Movement", Kind: domain.KindNotFound, Message: "no such movement"}
	}
	m, err := scanMovement(s.Pool.QueryRow(ctx, `SELECT `+movementColumns+` FROM movements m JOIN units u ON u.id = m.unit_id WHERE m.id = $1`, id))
	return m, postgres.Translate("Movement", err)
}

// Movements lists the movements that concern the given units: launched by one of
// them, by a unit below one of them, or by a unit above one of them (a commune sees
// the Prime Minister's movement it takes part in). Newest period first.
func (s *Store) Movements(ctx context.Context, units []string, status string) ([]Movement, error) {
	rows, err := s.Pool.Query(ctx, `WITH RECURSIVE up AS (
			SELECT u.id, u.parent_id FROM units u WHERE u.id = ANY($1)
			UNION SELECT p.id, p.parent_id FROM units p JOIN up ON p.id = up.parent_id)
		SELECT `+movementColumns+` FROM movements m JOIN units u ON u.id = m.unit_id
		WHERE (m.unit_id = ANY($1) OR m.unit_id IN (SELECT id FROM up)) AND ($2 = '' OR m.status = $2)
		ORDER BY m.period_start DESC, m.created_at DESC LIMIT 500`, units, status)
	if err != nil {
		return nil, postgres.Translate("campaigns.Movements", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Movement, error) { return scanMovement(r) })
	return out, postgres.Translate("campaigns.Movements", err)
}

// IsAncestorOrSelf reports whether ancestor is unit or lies above it in the unit tree.
func (s *Store) IsAncestorOrSelf(ctx context.Context, ancestor, unit string) (bool, error) {
	var ok bool
	err := s.Pool.QueryRow(ctx, `WITH RECURSIVE up AS (
			SELECT id, parent_id FROM units WHERE id = $2
			UNION SELECT p.id, p.parent_id FROM units p JOIN up ON p.id = up.parent_id)
		SELECT EXISTS (SELECT 1 FROM up WHERE id = $1)`, ancestor, unit).Scan(&ok)
	return ok, postgres.Translate("campaigns.IsAncestorOrSelf", err)
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
	const op = "campaigns.RecordMovement"
	return s.InTx(ctx, op, func(tx pgx.Tx) error {
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
	rows, err := s.Pool.Query(ctx, `SELECT r.movement_id, r.unit_id, u.name, r.commitments, coalesce(r.registered_by, 0), r.registered_at, r.updated_at
		FROM movement_registrations r JOIN units u ON u.id = r.unit_id WHERE r.movement_id = $1 ORDER BY r.unit_id`, movementID)
	if err != nil {
		return nil, postgres.Translate("Registrations", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Registration, error) {
		var g Registration
		err := r.Scan(&g.MovementID, &g.UnitID, &g.UnitName, &g.Commitments, &g.RegisteredBy, &g.RegisteredAt, &g.UpdatedAt)
		return g, err
	})
	return out, postgres.Translate("Registrations", err)
}
