package awards

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/history"
	"github.com/tdkt/tdkt/internal/postgres"
)

const subjectColumns = `id, unit_id, code, kind, name, job_title, organisation, created_at, updated_at`

func scanSubject(r pgx.Row) (history.Subject, error) {
	var s history.Subject
	err := r.Scan(&s.ID, &s.UnitID, &s.Code, &s.Kind, &s.Name, &s.JobTitle, &s.Organisation, &s.CreatedAt, &s.UpdatedAt)
	return s, err
}

// CreateSubject stores a new subject; KindConflict when the unit already has the
// code, KindInvalid for an unknown unit.
// A person another unit knows by the same citizen identity number is that subject,
// moved here (createOrAdoptSubject).
func (s *Store) CreateSubject(ctx context.Context, sub history.Subject) (history.Subject, error) {
	var out history.Subject
	err := s.InTx(ctx, "awards.CreateSubject", func(tx pgx.Tx) error {
		var err error
		out, err = createOrAdoptSubject(ctx, tx, sub)
		return err
	})
	return out, err
}

// Subject returns one subject; KindNotFound if unknown.
func (s *Store) Subject(ctx context.Context, id int64) (history.Subject, error) {
	out, err := scanSubject(s.Pool.QueryRow(ctx, `SELECT `+subjectColumns+` FROM subjects WHERE id = $1`, id))
	return out, postgres.Translate("awards.Subject", err)
}

// SubjectByCode returns the subject a unit knows by code; KindNotFound if none.
func (s *Store) SubjectByCode(ctx context.Context, unitID, code string) (history.Subject, error) {
	out, err := scanSubject(s.Pool.QueryRow(ctx, `SELECT `+subjectColumns+` FROM subjects WHERE unit_id = $1 AND code = $2`, unitID, code))
	return out, postgres.Translate("awards.SubjectByCode", err)
}

// SubjectsByID returns the subjects with the given ids that exist.
func (s *Store) SubjectsByID(ctx context.Context, ids []int64) (map[int64]history.Subject, error) {
	rows, err := s.Pool.Query(ctx, `SELECT `+subjectColumns+` FROM subjects WHERE id = ANY($1)`, ids)
	if err != nil {
		return nil, postgres.Translate("awards.SubjectsByID", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (history.Subject, error) { return scanSubject(r) })
	if err != nil {
		return nil, postgres.Translate("awards.SubjectsByID", err)
	}
	out := make(map[int64]history.Subject, len(list))
	for _, sub := range list {
		out[sub.ID] = sub
	}
	return out, nil
}

// SubjectFilter narrows a subject list. Units is the set the caller may read; it is
// always applied. Query matches the code exactly or the name in part.
type SubjectFilter struct {
	Units  []string
	UnitID string
	Kind   string
	Query  string
	Limit  int
	Offset int
}

// NameGramLength is the length of the pieces of a folded name that the index
// subjects_name_grams_idx holds (name_grams, migration 0025): a query at least this
// long is looked up there, a shorter one in the trigram index.
const NameGramLength = 5

// namePieceStride is how far apart the pieces of a query asked of the index start.
const namePieceStride = NameGramLength - 2

// namePieceTiling returns the pieces of a folded query that the index of the names'
// pieces is asked for: NameGramLength letters every namePieceStride letters from
// the start, and the last NameGramLength letters, so that together they cover every
// letter of the query and each overlaps the next; none for a shorter query. Any
// piece of the query is a piece of every name containing it, so the names holding
// all of them are the candidates, and the LIKE decides. The index reads each
// piece's list of names (common pieces, "tran " or " thi ", hold tens of
// thousands), so asking for every piece costs more than a few; but pieces laid end
// to end ("dang ", "xuan ", " xuan") miss the joins that make a name rare: among
// 1.5M subjects they drew 7,664 candidates for "dang xuan xuan", which nobody is
// called, each read from the table (80–89 ms warm). Overlapping by two letters
// ("dang ", "g xua", "uan x", " xuan") they draw none (0.3 ms); over nine names
// the read took 0.2–18 ms against 0.2–80 ms end to end and 0.4–26 ms for every
// piece (psql, warm cache, 8 December). The pieces are cut as name_grams
// (migration 0025) cuts them, by letter.
func namePieceTiling(folded string) []string {
	r := []rune(folded)
	if len(r) < NameGramLength {
		return nil
	}
	var out []string
	for p := 0; p+NameGramLength <= len(r); p += namePieceStride {
		out = append(out, string(r[p:p+NameGramLength]))
	}
	if (len(r)-NameGramLength)%namePieceStride != 0 {
		out = append(out, string(r[len(r)-NameGramLength:]))
	}
	return out
}

// Subjects lists subjects by unit and name. The name matches in part, with or
// without Vietnamese diacritics and in any case: the query is folded by
// history.Fold and compared with the name the database folded the same way
// (subjects.name_folded, migration 0008).
func (s *Store) Subjects(ctx context.Context, f SubjectFilter) ([]history.Subject, error) {
	q := `SELECT ` + subjectColumns + ` FROM subjects WHERE unit_id = ANY($1)`
	args := []any{f.Units}
	add := func(cond string, v any) {
		args = append(args, v)
		q += fmt.Sprintf(" AND "+cond, len(args))
	}
	if f.UnitID != "" {
		add("unit_id = $%d", f.UnitID)
	}
	if f.Kind != "" {
		add("kind = $%d", f.Kind)
	}
	if f.Query != "" {
		folded := history.Fold(f.Query)
		args = append(args, f.Query, "%"+postgres.LikeEscape(folded)+"%")
		code, name := len(args)-1, fmt.Sprintf("name_folded LIKE $%d", len(args))
		if pieces := namePieceTiling(folded); len(pieces) > 0 {
			// Every piece of the query is a piece of a matching name: the index of
			// the names' pieces finds the candidates, the LIKE decides.
			args = append(args, pieces)
			name = fmt.Sprintf("(%s AND name_grams(name_folded) @> $%d::text[])", name, len(args))
		}
		q += fmt.Sprintf(" AND (code = $%d OR %s)", code, name)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	args = append(args, f.Limit, f.Offset)
	q += fmt.Sprintf(" ORDER BY unit_id, name, id LIMIT $%d OFFSET $%d", len(args)-1, len(args))
	rows, err := s.Pool.Query(ctx, q, args...)
	if err != nil {
		return nil, postgres.Translate("awards.Subjects", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (history.Subject, error) { return scanSubject(r) })
	return out, postgres.Translate("awards.Subjects", err)
}

// SubjectRecords returns the whole history of each subject, keyed by id: the
// facts the eligibility rules read, in five queries whatever the number of subjects.
func (s *Store) SubjectRecords(ctx context.Context, ids []int64) (map[int64]*history.Record, error) {
	out, err := subjectRecords(ctx, s.Pool, ids)
	return out, postgres.Translate("awards.SubjectRecords", err)
}

func subjectRecords(ctx context.Context, q postgres.Querier, ids []int64) (map[int64]*history.Record, error) {
	out := map[int64]*history.Record{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := q.Query(ctx, `SELECT `+subjectColumns+` FROM subjects WHERE id = ANY($1)`, ids)
	if err != nil {
		return nil, err
	}
	subjects, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (history.Subject, error) { return scanSubject(r) })
	if err != nil {
		return nil, err
	}
	for _, sub := range subjects {
		out[sub.ID] = &history.Record{Subject: sub, Ratings: []history.TaskRating{}, Awards: []history.AwardRecord{},
			Initiatives: []history.Initiative{}, Holds: []history.Hold{}}
	}
	each := func(sql string, scan func(pgx.Rows) error) error {
		rows, err := q.Query(ctx, sql, ids)
		if err != nil {
			return err
		}
		return forEach(rows, scan)
	}
	var id int64
	err = each(`SELECT subject_id, year, rating FROM task_ratings WHERE subject_id = ANY($1) ORDER BY subject_id, year`,
		func(r pgx.Rows) error {
			var tr history.TaskRating
			if err := r.Scan(&id, &tr.Year, &tr.Rating); err != nil {
				return err
			}
			out[id].Ratings = append(out[id].Ratings, tr)
			return nil
		})
	if err != nil {
		return nil, err
	}
	err = each(`SELECT subject_id, id, award_code, year, coalesce(level, ''), kind, decision_code,
			coalesce(to_char(decision_date, 'YYYY-MM-DD'), ''), coalesce(deciding_unit_id, ''), coalesce(nomination_id::text, ''), source, note
		FROM award_records WHERE subject_id = ANY($1) ORDER BY subject_id, year, award_code, id`,
		func(r pgx.Rows) error {
			var a history.AwardRecord
			if err := r.Scan(&id, &a.ID, &a.AwardCode, &a.Year, &a.Level, &a.Kind, &a.DecisionCode, &a.DecisionDate,
				&a.DecidingUnitID, &a.NominationID, &a.Source, &a.Note); err != nil {
				return err
			}
			out[id].Awards = append(out[id].Awards, a)
			return nil
		})
	if err != nil {
		return nil, err
	}
	err = each(`SELECT subject_id, id, year, title, scope, recognised_by, decision_code,
			coalesce(to_char(recognised_on, 'YYYY-MM-DD'), ''), source
		FROM initiatives WHERE subject_id = ANY($1) ORDER BY subject_id, year, id`,
		func(r pgx.Rows) error {
			var in history.Initiative
			if err := r.Scan(&id, &in.ID, &in.Year, &in.Title, &in.Scope, &in.RecognisedBy, &in.DecisionCode, &in.RecognisedOn, &in.Source); err != nil {
				return err
			}
			out[id].Initiatives = append(out[id].Initiatives, in)
			return nil
		})
	if err != nil {
		return nil, err
	}
	err = each(`SELECT subject_id, id, kind, to_char(starts_on, 'YYYY-MM-DD'), coalesce(to_char(ends_on, 'YYYY-MM-DD'), ''),
			reason, decision_code, source
		FROM subject_holds WHERE subject_id = ANY($1) ORDER BY subject_id, starts_on, id`,
		func(r pgx.Rows) error {
			var h history.Hold
			if err := r.Scan(&id, &h.ID, &h.Kind, &h.StartsOn, &h.EndsOn, &h.Reason, &h.DecisionCode, &h.Source); err != nil {
				return err
			}
			out[id].Holds = append(out[id].Holds, h)
			return nil
		})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// SubjectRecord returns a subject with its history and the dossiers that name it;
// KindNotFound if unknown.
func (s *Store) SubjectRecord(ctx context.Context, id int64) (*history.Record, error) {
	const op = "awards.SubjectRecord"
	recs, err := subjectRecords(ctx, s.Pool, []int64{id})
	if err != nil {
		return nil, postgres.Translate(op, err)
	}
	rec, ok := recs[id]
	if !ok {
		return nil, &domain.Error{Op: op, Kind: domain.KindNotFound, Message: "no such subject"}
	}
	rows, err := s.Pool.Query(ctx, `SELECT n.id::text, coalesce(nm.award_code, n.award_code), n.year, n.status, nm.id
		FROM nominees nm JOIN nominations n ON n.id = nm.nomination_id
		WHERE nm.subject_id = $1 ORDER BY n.year, n.created_at`, id)
	if err != nil {
		return nil, postgres.Translate(op, err)
	}
	rec.Nominations, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (history.NominationOf, error) {
		var n history.NominationOf
		err := r.Scan(&n.NominationID, &n.AwardCode, &n.Year, &n.Status, &n.NomineeID)
		return n, err
	})
	return rec, postgres.Translate(op, err)
}
