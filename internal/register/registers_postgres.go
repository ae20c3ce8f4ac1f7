package register

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/postgres"
)

// IssuedReturnLetter is a numbered return letter of a dossier.
type IssuedReturnLetter struct {
	ID         int64
	Seq        int
	Code       string
	UnitID     string
	SignedOn   time.Time
	SignerName string
}

// ReturnLetters lists a dossier's return letters, oldest first.
func (s *Store) ReturnLetters(ctx context.Context, nominationID string) ([]IssuedReturnLetter, error) {
	rows, err := s.Pool.Query(ctx, `SELECT l.id, l.seq, l.code, l.unit_id, l.signed_on, u.full_name
		FROM return_letters l JOIN users u ON u.id = l.signed_by WHERE l.nomination_id = $1 ORDER BY l.seq`, nominationID)
	if err != nil {
		return nil, postgres.Translate("register.ReturnLetters", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[IssuedReturnLetter])
	return out, postgres.Translate("register.ReturnLetters", err)
}

// MinutesRecord is what the minutes of a closed council vote print.
type MinutesRecord struct {
	Session            int
	UnitID             string
	Code               string
	OpenedAt, ClosedAt time.Time
	Secret             bool
	Tally              domain.CouncilResult
	// Members are the eligible members when the vote closed; Voters who voted.
	Members, Voters []string
	// Chair and Secretary are the unit's council chair and secretary (the one who
	// closed the vote when they hold the role), "" when the unit has none.
	Chair, Secretary string
}

// CouncilMinutes returns the minutes of a closed, numbered vote session of a
// dossier; KindNotFound when there are none.
func (s *Store) CouncilMinutes(ctx context.Context, nominationID string, session int) (MinutesRecord, error) {
	const op = "register.CouncilMinutes"
	m := MinutesRecord{Session: session}
	var raw []byte
	err := s.Pool.QueryRow(ctx, `SELECT unit_id, minutes_code, opened_at, closed_at, secret, members, present, yes, no, abstain, result, minutes
		FROM council_sessions WHERE nomination_id = $1 AND session = $2 AND minutes_code IS NOT NULL`, nominationID, session).
		Scan(&m.UnitID, &m.Code, &m.OpenedAt, &m.ClosedAt, &m.Secret, &m.Tally.Members, &m.Tally.Present, &m.Tally.Yes,
			&m.Tally.No, &m.Tally.Abstain, &m.Tally.Result, &raw)
	if errors.Is(err, pgx.ErrNoRows) {
		return m, domain.Errorf(domain.KindNotFound, "the dossier has no minutes of council vote %d", session)
	}
	if err != nil {
		return m, postgres.Translate(op, err)
	}
	m.Tally.Session = session
	var rec struct {
		MemberIDs []int64 `json:"member_ids"`
		ClosedBy  int64   `json:"closed_by"`
	}
	_ = json.Unmarshal(raw, &rec)
	rows, err := s.Pool.Query(ctx, `SELECT full_name FROM users WHERE id = ANY($1) ORDER BY full_name`, rec.MemberIDs)
	if err != nil {
		return m, postgres.Translate(op, err)
	}
	if m.Members, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		return m, postgres.Translate(op, err)
	}
	rows, err = s.Pool.Query(ctx, `SELECT u.full_name FROM council_attendance a JOIN users u ON u.id = a.user_id
		WHERE a.nomination_id = $1 AND a.session = $2 AND a.user_id = ANY($3) ORDER BY a.voted_at`, nominationID, session, rec.MemberIDs)
	if err != nil {
		return m, postgres.Translate(op, err)
	}
	if m.Voters, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		return m, postgres.Translate(op, err)
	}
	holder := func(role string) (string, error) {
		var name string
		err := s.Pool.QueryRow(ctx, `SELECT u.full_name FROM users u JOIN role_assignments r ON r.user_id = u.id
			WHERE r.unit_id = $1 AND r.role = $2 ORDER BY (u.id = $3) DESC, u.active DESC, u.id LIMIT 1`, m.UnitID, role, rec.ClosedBy).Scan(&name)
		if errors.Is(err, pgx.ErrNoRows) {
			return "", nil
		}
		return name, err
	}
	if m.Chair, err = holder(domain.RoleCouncilChair); err != nil {
		return m, postgres.Translate(op, err)
	}
	if m.Secretary, err = holder(domain.RoleCouncilSecretary); err != nil {
		return m, postgres.Translate(op, err)
	}
	return m, nil
}

// DecisionSignerTitle returns the title its signer held when a decision was
// signed: chair, vice_chair, acting_chair, or "" when none was recorded.
func (s *Store) DecisionSignerTitle(ctx context.Context, decisionID int64) (string, error) {
	var t string
	err := s.Pool.QueryRow(ctx, `SELECT signer_title FROM decisions WHERE id = $1`, decisionID).Scan(&t)
	return t, postgres.Translate("register.DecisionSignerTitle", err)
}

// FindIssuedByRef returns a dossier's document of a kind named by ref (a return
// letter, council minutes, an appraisal note), or nil.
func (s *Store) FindIssuedByRef(ctx context.Context, kind, nominationID, ref string) (*IssuedDocument, error) {
	d, err := scanIssued(s.Pool.QueryRow(ctx, `SELECT `+issuedColumns+` FROM issued_documents
		WHERE kind = $1 AND nomination_id = $2 AND ref = $3 AND decision_id IS NULL AND letter_id IS NULL AND nominee_id IS NULL`,
		kind, nominationID, ref))
	return d, postgres.Translate("register.FindIssuedByRef", err)
}
