package dossiers

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/tdkt/tdkt/internal/postgres"
)

// ConsultationComment is a comment filed during a public consultation.
type ConsultationComment struct {
	Round     int       `json:"round"`
	Author    string    `json:"author"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

// Consultation is a dossier's consultation windows and comments, and its
// concurrence requests with their answers.
type Consultation struct {
	Windows      []ConsultationWindow  `json:"windows"`
	Comments     []ConsultationComment `json:"comments"`
	Concurrences []ConcurrenceAnswer   `json:"concurrences"`
}

// ConsultationWindow is one public consultation window.
type ConsultationWindow struct {
	Round    int       `json:"round"`
	UnitID   string    `json:"unit_id"`
	OpensAt  time.Time `json:"opens_at"`
	ClosesAt time.Time `json:"closes_at"`
}

// ConcurrenceAnswer is one concurrence request and its answer (silent = no answer
// by the deadline, counted as no objection).
type ConcurrenceAnswer struct {
	Round      int        `json:"round"`
	UnitID     string     `json:"unit_id"`
	DueAt      time.Time  `json:"due_at"`
	Answer     *string    `json:"answer,omitempty"`
	Note       string     `json:"note,omitempty"`
	AnsweredAt *time.Time `json:"answered_at,omitempty"`
}

// ConsultationOf returns a dossier's consultations, comments and concurrences.
func (s *Store) ConsultationOf(ctx context.Context, nominationID string) (Consultation, error) {
	const op = "dossiers.ConsultationOf"
	var c Consultation
	rows, err := s.Pool.Query(ctx, `SELECT round, unit_id, opens_at, closes_at FROM consultations WHERE nomination_id = $1 ORDER BY round`, nominationID)
	if err != nil {
		return c, postgres.Translate(op, err)
	}
	if c.Windows, err = pgx.CollectRows(rows, pgx.RowToStructByPos[ConsultationWindow]); err != nil {
		return c, postgres.Translate(op, err)
	}
	rows, err = s.Pool.Query(ctx, `SELECT c.round, u.full_name, c.body, c.created_at FROM consultation_comments c
		JOIN users u ON u.id = c.author_id WHERE c.nomination_id = $1 ORDER BY c.id`, nominationID)
	if err != nil {
		return c, postgres.Translate(op, err)
	}
	if c.Comments, err = pgx.CollectRows(rows, pgx.RowToStructByPos[ConsultationComment]); err != nil {
		return c, postgres.Translate(op, err)
	}
	rows, err = s.Pool.Query(ctx, `SELECT round, unit_id, due_at, answer, note, answered_at FROM concurrences
		WHERE nomination_id = $1 ORDER BY round, unit_id`, nominationID)
	if err != nil {
		return c, postgres.Translate(op, err)
	}
	c.Concurrences, err = pgx.CollectRows(rows, pgx.RowToStructByPos[ConcurrenceAnswer])
	return c, postgres.Translate(op, err)
}
