package councils

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/postgres"
)

// CouncilSession is a vote session with its minutes once closed.
type CouncilSession struct {
	Session   int                   `json:"session"`
	UnitID    string                `json:"unit_id"`
	OpenedAt  time.Time             `json:"opened_at"`
	ClosedAt  *time.Time            `json:"closed_at,omitempty"`
	Secret    bool                  `json:"secret"`
	Quorum    float64               `json:"quorum"`
	Threshold float64               `json:"threshold"`
	Tally     *domain.CouncilResult `json:"tally,omitempty"`
	// Voters lists who voted, with their choice only on an open ballot.
	Voters []Voter `json:"voters"`
	// Conflicts lists the members who declared a conflict and were recused.
	Conflicts []Conflict `json:"conflicts,omitempty"`
}

// Voter is an attendance record of a vote session.
type Voter struct {
	UserID  int64     `json:"user_id"`
	Name    string    `json:"name"`
	VotedAt time.Time `json:"voted_at"`
	Choice  string    `json:"choice,omitempty"`
}

// Conflict is a recusal declared by a council member.
type Conflict struct {
	UserID int64  `json:"user_id"`
	Name   string `json:"name"`
	Reason string `json:"reason"`
}

// OpenCouncilSession returns the open vote session of a dossier; KindConflict when
// no vote is open.
func (s *Store) OpenCouncilSession(ctx context.Context, nominationID string) (session int, unitID string, secret bool, err error) {
	err = s.Pool.QueryRow(ctx, `SELECT session, unit_id, secret FROM council_sessions
		WHERE nomination_id = $1 AND closed_at IS NULL ORDER BY session DESC LIMIT 1`, nominationID).Scan(&session, &unitID, &secret)
	if err == pgx.ErrNoRows {
		return 0, "", false, domain.Errorf(domain.KindConflict, "no council vote is open on this dossier")
	}
	return session, unitID, secret, postgres.Translate("councils.OpenCouncilSession", err)
}

// CastVote records one member's vote in the open session: attendance (who voted)
// and the ballot (what was voted) in separate rows, and, for a secret ballot, no
// link between them. A second vote by the same member is a conflict.
func (s *Store) CastVote(ctx context.Context, nominationID string, session int, userID int64, choice string, secret bool, at time.Time) error {
	const op = "councils.CastVote"
	return s.InTx(ctx, op, func(tx pgx.Tx) error {
		var open bool
		if err := tx.QueryRow(ctx, `SELECT closed_at IS NULL FROM council_sessions WHERE nomination_id = $1 AND session = $2 FOR SHARE`,
			nominationID, session).Scan(&open); err != nil {
			return err
		}
		if !open {
			return domain.Errorf(domain.KindConflict, "the vote is closed")
		}
		var attChoice any
		if !secret {
			attChoice = choice
		}
		tag, err := tx.Exec(ctx, `INSERT INTO council_attendance (nomination_id, session, user_id, voted_at, choice)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, nominationID, session, userID, at, attChoice)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return domain.Errorf(domain.KindConflict, "you have already voted in this session")
		}
		_, err = tx.Exec(ctx, `INSERT INTO council_ballots (nomination_id, session, choice) VALUES ($1, $2, $3)`, nominationID, session, choice)
		return err
	})
}

// DeclareConflict records a member's conflict of interest; they are recused.
func (s *Store) DeclareConflict(ctx context.Context, nominationID string, userID int64, reason string, at time.Time) error {
	_, err := s.Pool.Exec(ctx, `INSERT INTO council_conflicts (nomination_id, user_id, reason, declared_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (nomination_id, user_id) DO UPDATE SET reason = EXCLUDED.reason`, nominationID, userID, reason, at)
	return postgres.Translate("councils.DeclareConflict", err)
}

// CouncilSessions returns a dossier's vote sessions with attendance, recusals and
// the minutes of closed ones.
func (s *Store) CouncilSessions(ctx context.Context, nominationID string) ([]CouncilSession, error) {
	const op = "councils.CouncilSessions"
	rows, err := s.Pool.Query(ctx, `SELECT session, unit_id, opened_at, closed_at, secret, quorum::float8, threshold::float8,
		members, present, yes, no, abstain, result FROM council_sessions WHERE nomination_id = $1 ORDER BY session`, nominationID)
	if err != nil {
		return nil, postgres.Translate(op, err)
	}
	sessions, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (CouncilSession, error) {
		var cs CouncilSession
		var members, present, yes, no, abstain *int
		var result *string
		err := r.Scan(&cs.Session, &cs.UnitID, &cs.OpenedAt, &cs.ClosedAt, &cs.Secret, &cs.Quorum, &cs.Threshold,
			&members, &present, &yes, &no, &abstain, &result)
		if err == nil && result != nil {
			cs.Tally = &domain.CouncilResult{Session: cs.Session, Members: *members, Present: *present, Yes: *yes, No: *no,
				Abstain: *abstain, Result: *result}
		}
		return cs, err
	})
	if err != nil {
		return nil, postgres.Translate(op, err)
	}
	for i := range sessions {
		rows, err := s.Pool.Query(ctx, `SELECT a.user_id, u.full_name, a.voted_at, coalesce(a.choice, '') FROM council_attendance a
			JOIN users u ON u.id = a.user_id WHERE a.nomination_id = $1 AND a.session = $2 ORDER BY a.voted_at`, nominationID, sessions[i].Session)
		if err != nil {
			return nil, postgres.Translate(op, err)
		}
		sessions[i].Voters, err = pgx.CollectRows(rows, pgx.RowToStructByPos[Voter])
		if err != nil {
			return nil, postgres.Translate(op, err)
		}
	}
	rows, err = s.Pool.Query(ctx, `SELECT c.user_id, u.full_name, c.reason FROM council_conflicts c JOIN users u ON u.id = c.user_id
		WHERE c.nomination_id = $1 ORDER BY c.declared_at`, nominationID)
	if err != nil {
		return nil, postgres.Translate(op, err)
	}
	conflicts, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Conflict])
	if err != nil {
		return nil, postgres.Translate(op, err)
	}
	for i := range sessions {
		sessions[i].Conflicts = conflicts
	}
	return sessions, nil
}
