package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/eligibility"
	"github.com/tdkt/tdkt/internal/history"
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
	err := s.inTx(ctx, "store.CreateSubject", func(tx pgx.Tx) error {
		var err error
		out, err = createOrAdoptSubject(ctx, tx, sub)
		return err
	})
	return out, err
}

// Subject returns one subject; KindNotFound if unknown.
func (s *Store) Subject(ctx context.Context, id int64) (history.Subject, error) {
	out, err := scanSubject(s.pool.QueryRow(ctx, `SELECT `+subjectColumns+` FROM subjects WHERE id = $1`, id))
	return out, translate("store.Subject", err)
}

// SubjectByCode returns the subject a unit knows by code; KindNotFound if none.
func (s *Store) SubjectByCode(ctx context.Context, unitID, code string) (history.Subject, error) {
	out, err := scanSubject(s.pool.QueryRow(ctx, `SELECT `+subjectColumns+` FROM subjects WHERE unit_id = $1 AND code = $2`, unitID, code))
	return out, translate("store.SubjectByCode", err)
}

// SubjectsByID returns the subjects with the given ids that exist.
func (s *Store) SubjectsByID(ctx context.Context, ids []int64) (map[int64]history.Subject, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+subjectColumns+` FROM subjects WHERE id = ANY($1)`, ids)
	if err != nil {
		return nil, translate("store.SubjectsByID", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (history.Subject, error) { return scanSubject(r) })
	if err != nil {
		return nil, translate("store.SubjectsByID", err)
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
		args = append(args, f.Query, "%"+likeEscape(history.Fold(f.Query))+"%")
		q += fmt.Sprintf(" AND (code = $%d OR name_folded LIKE $%d)", len(args)-1, len(args))
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	args = append(args, f.Limit, f.Offset)
	q += fmt.Sprintf(" ORDER BY unit_id, name, id LIMIT $%d OFFSET $%d", len(args)-1, len(args))
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, translate("store.Subjects", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (history.Subject, error) { return scanSubject(r) })
	return out, translate("store.Subjects", err)
}

// querier is what the history reads need: a pool or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// SubjectRecords returns the whole history of each subject, keyed by id: the
// facts the eligibility rules read, in five queries whatever the number of subjects.
func (s *Store) SubjectRecords(ctx context.Context, ids []int64) (map[int64]*history.Record, error) {
	out, err := subjectRecords(ctx, s.pool, ids)
	return out, translate("store.SubjectRecords", err)
}

func subjectRecords(ctx context.Context, q querier, ids []int64) (map[int64]*history.Record, error) {
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
	const op = "store.SubjectRecord"
	recs, err := subjectRecords(ctx, s.pool, []int64{id})
	if err != nil {
		return nil, translate(op, err)
	}
	rec, ok := recs[id]
	if !ok {
		return nil, &domain.Error{Op: op, Kind: domain.KindNotFound, Message: "no such subject"}
	}
	rows, err := s.pool.Query(ctx, `SELECT n.id::text, coalesce(nm.award_code, n.award_code), n.year, n.status, nm.id
		FROM nominees nm JOIN nominations n ON n.id = nm.nomination_id
		WHERE nm.subject_id = $1 ORDER BY n.year, n.created_at`, id)
	if err != nil {
		return nil, translate(op, err)
	}
	rec.Nominations, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (history.NominationOf, error) {
		var n history.NominationOf
		err := r.Scan(&n.NominationID, &n.AwardCode, &n.Year, &n.Status, &n.NomineeID)
		return n, err
	})
	return rec, translate(op, err)
}

// ApplyHistoryBatch writes a validated batch (history.Batch.Validate) for its unit
// in one transaction: subjects are created or updated first, then ratings,
// awards, initiatives and holds, all naming their subject by code. Re-applying the
// same batch changes nothing. Rows the database refuses — an unknown subject code
// or award, a subject whose kind would change, a level that cannot be guessed, a
// merit award already recorded under another decision — are reported together as
// a KindInvalid error wrapping history.RowErrors, and nothing is written.
func (s *Store) ApplyHistoryBatch(ctx context.Context, b *history.Batch, source string, actor int64, at time.Time) (history.BatchResult, error) {
	const op = "store.ApplyHistoryBatch"
	var res history.BatchResult
	err := s.inTx(ctx, op, func(tx pgx.Tx) error {
		var errs history.RowErrors
		bad := func(section string, row int, field, format string, args ...any) {
			errs = append(errs, history.RowError{Section: section, Row: row, Field: field, Reason: fmt.Sprintf(format, args...)})
		}
		// Subjects named by the batch, as the database has them.
		codes := map[string]bool{}
		for _, e := range b.Subjects {
			codes[e.Code] = true
		}
		for _, e := range b.Ratings {
			codes[e.SubjectCode] = true
		}
		for _, e := range b.Awards {
			codes[e.SubjectCode] = true
		}
		for _, e := range b.Initiatives {
			codes[e.SubjectCode] = true
		}
		for _, e := range b.Holds {
			codes[e.SubjectCode] = true
		}
		type known struct {
			id   int64
			kind string
		}
		existing := map[string]known{}
		var people []string // individuals of the subjects sheet: one subject per CCCD across units
		for _, e := range b.Subjects {
			if e.Kind == string(domain.NomineeIndividual) {
				people = append(people, e.Code)
			}
		}
		if _, err := adoptPeople(ctx, tx, b.UnitID, people, at); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT code, id, kind FROM subjects WHERE unit_id = $1 AND code = ANY($2)`, b.UnitID, keys(codes))
		if err != nil {
			return err
		}
		for rows.Next() {
			var code string
			var k known
			if err := rows.Scan(&code, &k.id, &k.kind); err != nil {
				return err
			}
			existing[code] = k
		}
		if err := rows.Err(); err != nil {
			return err
		}
		kindOf := map[string]string{}
		for code, k := range existing {
			kindOf[code] = k.kind
		}
		for _, e := range b.Subjects {
			if k, ok := existing[e.Code]; ok && k.kind != e.Kind {
				bad(history.SectionSubjects, e.Row, "kind", "subject %s is %s; its kind cannot change", e.Code, strings.ToLower(history.KindLabel(domain.NomineeKind(k.kind))))
			}
			kindOf[e.Code] = e.Kind
		}
		subjectKnown := func(section string, row int, code string) bool {
			if _, ok := kindOf[code]; ok {
				return true
			}
			bad(section, row, "subject_code", "no subject %q in unit %s: add it in the subjects sheet", code, b.UnitID)
			return false
		}
		for _, e := range b.Ratings {
			subjectKnown(history.SectionRatings, e.Row, e.SubjectCode)
		}
		for _, e := range b.Initiatives {
			subjectKnown(history.SectionInitiatives, e.Row, e.SubjectCode)
		}
		for _, e := range b.Holds {
			subjectKnown(history.SectionHolds, e.Row, e.SubjectCode)
		}

		// Awards: known codes that fit the subject's kind, and a level.
		if err := checkAwards(ctx, tx, b, kindOf, subjectKnown, bad); err != nil {
			return err
		}
		if len(errs) > 0 {
			return &domain.Error{Op: op, Kind: domain.KindInvalid, Message: "the batch has bad rows", Err: sortedRows(errs)}
		}

		// Subjects first, so that every code resolves to an id.
		ids := map[string]int64{}
		for code, k := range existing {
			ids[code] = k.id
		}
		if n := len(b.Subjects); n > 0 {
			cs, ks, ns, js, os := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
			for i, e := range b.Subjects {
				cs[i], ks[i], ns[i], js[i], os[i] = e.Code, e.Kind, e.Name, e.JobTitle, e.Organisation
			}
			rows, err := tx.Query(ctx, `INSERT INTO subjects AS s (unit_id, code, kind, name, job_title, organisation, created_at, updated_at)
				SELECT $1::text, *, $7::timestamptz, $7::timestamptz FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
				ON CONFLICT (unit_id, code) DO UPDATE SET name = EXCLUDED.name, job_title = EXCLUDED.job_title,
					organisation = EXCLUDED.organisation, updated_at = EXCLUDED.updated_at
				WHERE (s.name, s.job_title, s.organisation) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.job_title, EXCLUDED.organisation)
				RETURNING code, id, (xmax = 0)`, b.UnitID, cs, ks, ns, js, os, at)
			if err != nil {
				return err
			}
			for rows.Next() {
				var code string
				var id int64
				var inserted bool
				if err := rows.Scan(&code, &id, &inserted); err != nil {
					return err
				}
				ids[code] = id
				if inserted {
					res.SubjectsCreated++
				} else {
					res.SubjectsUpdated++
				}
			}
			if err := rows.Err(); err != nil {
				return err
			}
		}
		var actorArg any
		if actor != 0 {
			actorArg = actor
		}

		if n := len(b.Ratings); n > 0 {
			sid, ys, rs := make([]int64, n), make([]int32, n), make([]string, n)
			for i, e := range b.Ratings {
				sid[i], ys[i], rs[i] = ids[e.SubjectCode], int32(e.Year), e.Rating
			}
			tag, err := tx.Exec(ctx, `INSERT INTO task_ratings AS t (subject_id, year, rating, source, recorded_by, recorded_at)
				SELECT u.s, u.y, u.r, $4::text, $5::bigint, $6::timestamptz FROM unnest($1::bigint[], $2::int[], $3::text[]) AS u(s, y, r)
				ON CONFLICT (subject_id, year) DO UPDATE SET rating = EXCLUDED.rating, source = EXCLUDED.source,
					recorded_by = EXCLUDED.recorded_by, recorded_at = EXCLUDED.recorded_at
				WHERE t.rating <> EXCLUDED.rating`, sid, ys, rs, source, actorArg, at)
			if err != nil {
				return err
			}
			res.Ratings = int(tag.RowsAffected())
		}

		if len(b.Awards) > 0 {
			n, err := applyAwards(ctx, tx, b, ids, source, actorArg, at)
			if err != nil {
				return err
			}
			res.Awards = n
		}

		if n := len(b.Initiatives); n > 0 {
			sid, ys := make([]int64, n), make([]int32, n)
			ts, sc, rb, dc, ro := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]*string, n)
			for i, e := range b.Initiatives {
				sid[i], ys[i], ts[i], sc[i], rb[i], dc[i], ro[i] = ids[e.SubjectCode], int32(e.Year), e.Title, e.Scope, e.RecognisedBy, e.DecisionCode, optional(e.RecognisedOn)
			}
			tag, err := tx.Exec(ctx, `INSERT INTO initiatives AS i (subject_id, year, title, scope, recognised_by, decision_code, recognised_on, source, recorded_by, recorded_at)
				SELECT u.s, u.y, u.t, u.sc, u.rb, u.dc, u.ro::date, $8::text, $9::bigint, $10::timestamptz
				FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS u(s, y, t, sc, rb, dc, ro)
				ON CONFLICT (subject_id, year, title) DO UPDATE SET scope = EXCLUDED.scope, recognised_by = EXCLUDED.recognised_by,
					decision_code = EXCLUDED.decision_code, recognised_on = EXCLUDED.recognised_on,
					recorded_by = EXCLUDED.recorded_by, recorded_at = EXCLUDED.recorded_at
				WHERE (i.scope, i.recognised_by, i.decision_code, i.recognised_on)
					IS DISTINCT FROM (EXCLUDED.scope, EXCLUDED.recognised_by, EXCLUDED.decision_code, EXCLUDED.recognised_on)`,
				sid, ys, ts, sc, rb, dc, ro, source, actorArg, at)
			if err != nil {
				return err
			}
			res.Initiatives = int(tag.RowsAffected())
		}

		if n := len(b.Holds); n > 0 {
			sid := make([]int64, n)
			ks, ss, es, rs, dc := make([]string, n), make([]string, n), make([]*string, n), make([]string, n), make([]string, n)
			for i, e := range b.Holds {
				sid[i], ks[i], ss[i], es[i], rs[i], dc[i] = ids[e.SubjectCode], e.Kind, e.StartsOn, optional(e.EndsOn), e.Reason, e.DecisionCode
			}
			tag, err := tx.Exec(ctx, `INSERT INTO subject_holds AS h (subject_id, kind, starts_on, ends_on, reason, decision_code, source, recorded_by, recorded_at)
				SELECT u.s, u.k, u.st::date, u.en::date, u.r, u.dc, $7::text, $8::bigint, $9::timestamptz
				FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS u(s, k, st, en, r, dc)
				ON CONFLICT (subject_id, kind, starts_on) DO UPDATE SET ends_on = EXCLUDED.ends_on, reason = EXCLUDED.reason,
					decision_code = EXCLUDED.decision_code, recorded_by = EXCLUDED.recorded_by, recorded_at = EXCLUDED.recorded_at
				WHERE (h.ends_on, h.reason, h.decision_code) IS DISTINCT FROM (EXCLUDED.ends_on, EXCLUDED.reason, EXCLUDED.decision_code)`,
				sid, ks, ss, es, rs, dc, source, actorArg, at)
			if err != nil {
				return err
			}
			res.Holds = int(tag.RowsAffected())
		}
		return nil
	})
	return res, err
}

// applyAwards inserts the batch's awards that are not already recorded. An award
// already recorded identically (same subject, award, year, kind and decision) is
// left alone, so re-importing a file changes nothing; a merit award recorded under
// another decision is a bad row.
func applyAwards(ctx context.Context, tx pgx.Tx, b *history.Batch, ids map[string]int64, source string, actor any, at time.Time) (int, error) {
	subjectIDs := make([]int64, 0, len(b.Awards))
	for _, e := range b.Awards {
		subjectIDs = append(subjectIDs, ids[e.SubjectCode])
	}
	type key struct {
		subject int64
		award   string
		year    int
		kind    string
	}
	type have struct {
		decision, source string
	}
	recorded := map[key][]have{}
	rows, err := tx.Query(ctx, `SELECT subject_id, award_code, year, kind, decision_code, source FROM award_records WHERE subject_id = ANY($1)`, subjectIDs)
	if err != nil {
		return 0, err
	}
	for rows.Next() {
		var k key
		var h have
		if err := rows.Scan(&k.subject, &k.award, &k.year, &k.kind, &h.decision, &h.source); err != nil {
			return 0, err
		}
		recorded[k] = append(recorded[k], h)
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	var errs history.RowErrors
	var pending []history.AwardEntry
	for _, e := range b.Awards {
		k := key{ids[e.SubjectCode], e.AwardCode, e.Year, e.AwardKind}
		same := false
		for _, h := range recorded[k] {
			if h.decision == e.DecisionCode {
				same = true
			} else if e.AwardKind == string(history.AwardMerit) {
				errs = append(errs, history.RowError{Section: history.SectionAwards, Row: e.Row, Field: "decision_code",
					Reason: fmt.Sprintf("%s %d is already recorded for %s (decision %q, %s): one achievement, one award",
						e.AwardCode, e.Year, e.SubjectCode, h.decision, h.source)})
				same = true
			}
		}
		if !same {
			pending = append(pending, e)
		}
	}
	if len(errs) > 0 {
		return 0, &domain.Error{Op: "store.ApplyHistoryBatch", Kind: domain.KindInvalid, Message: "the batch has bad rows", Err: sortedRows(errs)}
	}
	n := len(pending)
	if n == 0 {
		return 0, nil
	}
	sid, ys := make([]int64, n), make([]int32, n)
	ac, ks, ls, dc, nt := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	dd := make([]*string, n)
	for i, e := range pending {
		sid[i], ys[i], ac[i], ks[i], ls[i], dc[i], dd[i], nt[i] = ids[e.SubjectCode], int32(e.Year), e.AwardCode, e.AwardKind,
			e.Level, e.DecisionCode, optional(e.DecisionDate), e.Note
	}
	tag, err := tx.Exec(ctx, `INSERT INTO award_records (subject_id, award_code, year, kind, level, decision_code, decision_date, note,
			source, recorded_by, recorded_at)
		SELECT u.s, u.a, u.y, u.k, nullif(u.l, ''), u.dc, u.dd::date, u.nt, $9::text, $10::bigint, $11::timestamptz
		FROM unnest($1::bigint[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) AS u(s, a, y, k, l, dc, dd, nt)`,
		sid, ac, ys, ks, ls, dc, dd, nt, source, actor, at)
	if err != nil {
		return 0, err
	}
	return int(tag.RowsAffected()), nil
}

// checkAwards checks that each award entry names a catalogue award that fits its
// subject's kind, and fills a missing level from the authority rules: the level
// that decides the award for a unit of the batch's level, on the decision date
// (or the last day of the award's year). A level the rules do not settle is a
// bad row.
func checkAwards(ctx context.Context, tx pgx.Tx, b *history.Batch, kindOf map[string]string,
	subjectKnown func(section string, row int, code string) bool, bad func(section string, row int, field, format string, args ...any)) error {
	if len(b.Awards) == 0 {
		return nil
	}
	kinds := map[string][]string{}
	rows, err := tx.Query(ctx, `SELECT code, nominee_kinds FROM awards`)
	if err != nil {
		return err
	}
	err = forEach(rows, func(r pgx.Rows) error {
		var code string
		var ks []string
		if err := r.Scan(&code, &ks); err != nil {
			return err
		}
		kinds[code] = ks
		return nil
	})
	if err != nil {
		return err
	}
	type rule struct {
		level    string
		from, to string // yyyy-mm-dd; to is exclusive, "" when open
	}
	rules := map[string][]rule{}
	rows, err = tx.Query(ctx, `SELECT r.award_code, r.decision_level, to_char(r.valid_from, 'YYYY-MM-DD'), coalesce(to_char(r.valid_to, 'YYYY-MM-DD'), '')
		FROM authority_rules r JOIN units u ON u.level = r.submitter_level WHERE u.id = $1`, b.UnitID)
	if err != nil {
		return err
	}
	err = forEach(rows, func(r pgx.Rows) error {
		var award string
		var x rule
		if err := r.Scan(&award, &x.level, &x.from, &x.to); err != nil {
			return err
		}
		rules[award] = append(rules[award], x)
		return nil
	})
	if err != nil {
		return err
	}
	for i := range b.Awards {
		e := &b.Awards[i]
		ks, ok := kinds[e.AwardCode]
		if !ok {
			bad(history.SectionAwards, e.Row, "award_code", "%q is not in the award catalogue", e.AwardCode)
			continue
		}
		if !subjectKnown(history.SectionAwards, e.Row, e.SubjectCode) {
			continue
		}
		if k := kindOf[e.SubjectCode]; !slices.Contains(ks, k) {
			bad(history.SectionAwards, e.Row, "award_code", "%s is not given to a subject of kind %s", e.AwardCode, strings.ToLower(history.KindLabel(domain.NomineeKind(k))))
		}
		if e.Level != "" {
			continue
		}
		day := e.DecisionDate
		if day == "" {
			day = fmt.Sprintf("%04d-12-31", e.Year)
		}
		var levels []string
		for _, x := range rules[e.AwardCode] {
			if x.from <= day && (x.to == "" || day < x.to) && !slices.Contains(levels, x.level) {
				levels = append(levels, x.level)
			}
		}
		if len(levels) != 1 {
			bad(history.SectionAwards, e.Row, "level", "required: the authority rules do not settle which level decided %s for this unit on %s", e.AwardCode, day)
			continue
		}
		e.Level = levels[0]
	}
	return nil
}

func sortedRows(errs history.RowErrors) history.RowErrors {
	errs.Sort()
	return errs
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// UnitHistory returns every subject of a unit with its history, as a batch in the
// import's shape (the export).
func (s *Store) UnitHistory(ctx context.Context, unitID string) (*history.Batch, error) {
	const op = "store.UnitHistory"
	rows, err := s.pool.Query(ctx, `SELECT id FROM subjects WHERE unit_id = $1 ORDER BY code`, unitID)
	if err != nil {
		return nil, translate(op, err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, translate(op, err)
	}
	recs, err := subjectRecords(ctx, s.pool, ids)
	if err != nil {
		return nil, translate(op, err)
	}
	b := &history.Batch{UnitID: unitID}
	for _, id := range ids {
		r := recs[id]
		sub := r.Subject
		b.Subjects = append(b.Subjects, history.SubjectEntry{Code: sub.Code, Kind: string(sub.Kind), Name: sub.Name,
			JobTitle: sub.JobTitle, Organisation: sub.Organisation})
		for _, x := range r.Ratings {
			b.Ratings = append(b.Ratings, history.RatingEntry{SubjectCode: sub.Code, Year: x.Year, Rating: string(x.Rating)})
		}
		for _, x := range r.Awards {
			b.Awards = append(b.Awards, history.AwardEntry{SubjectCode: sub.Code, Year: x.Year, AwardCode: x.AwardCode,
				AwardKind: string(x.Kind), Level: x.Level, DecisionCode: x.DecisionCode, DecisionDate: x.DecisionDate, Note: x.Note})
		}
		for _, x := range r.Initiatives {
			b.Initiatives = append(b.Initiatives, history.InitiativeEntry{SubjectCode: sub.Code, Year: x.Year, Title: x.Title,
				Scope: string(x.Scope), RecognisedBy: x.RecognisedBy, DecisionCode: x.DecisionCode, RecognisedOn: x.RecognisedOn})
		}
		for _, x := range r.Holds {
			b.Holds = append(b.Holds, history.HoldEntry{SubjectCode: sub.Code, Kind: string(x.Kind), StartsOn: x.StartsOn,
				EndsOn: x.EndsOn, Reason: x.Reason, DecisionCode: x.DecisionCode})
		}
	}
	return b, nil
}

// historyTables maps the sections whose rows can be deleted to their tables.
var historyTables = map[string]string{
	history.SectionAwards:      "award_records",
	history.SectionInitiatives: "initiatives",
	history.SectionHolds:       "subject_holds",
}

// HistoryEntryUnit returns the unit of the subject an award, initiative or hold
// belongs to, and whether the engine wrote it from a decision; KindNotFound if
// there is no such entry.
func (s *Store) HistoryEntryUnit(ctx context.Context, section string, id int64) (unitID string, fromDecision bool, err error) {
	table, ok := historyTables[section]
	if !ok {
		return "", false, &domain.Error{Op: "store.HistoryEntryUnit", Kind: domain.KindNotFound, Message: "no such kind of entry"}
	}
	err = s.pool.QueryRow(ctx, `SELECT s.unit_id, e.source = 'decision' FROM `+table+` e JOIN subjects s ON s.id = e.subject_id
		WHERE e.id = $1`, id).Scan(&unitID, &fromDecision)
	return unitID, fromDecision, translate("store.HistoryEntryUnit", err)
}

// DeleteHistoryEntry removes an award, initiative or hold entered by hand or by
// import. Awards the engine recorded from a decision are removed only by revoking
// the decision: KindConflict.
func (s *Store) DeleteHistoryEntry(ctx context.Context, section string, id int64) error {
	const op = "store.DeleteHistoryEntry"
	table, ok := historyTables[section]
	if !ok {
		return &domain.Error{Op: op, Kind: domain.KindNotFound, Message: "no such kind of entry"}
	}
	tag, err := s.pool.Exec(ctx, `DELETE FROM `+table+` WHERE id = $1 AND source <> 'decision'`, id)
	if err != nil {
		return translate(op, err)
	}
	if tag.RowsAffected() == 0 {
		return domain.Errorf(domain.KindConflict, "no entry %d to delete, or it comes from a decision: revoke the decision instead", id)
	}
	return nil
}

// RecordDecisionHistoryTx writes a decision the engine has just issued into the
// award history, inside the transaction that issues it: one award per awardee whose
// nominee names a subject, with the award (after any downgrade), the dossier's year
// and kind, the level of the deciding unit, and the decision's code and date. A
// subject whose history already holds the same merit award for that year keeps its
// existing entry (the dossier's eligibility check flagged it).
func RecordDecisionHistoryTx(ctx context.Context, tx pgx.Tx, nominationID string, d *domain.Decision) error {
	if d == nil {
		return nil
	}
	_, err := tx.Exec(ctx, `INSERT INTO award_records (subject_id, award_code, year, level, kind, decision_code, decision_date,
			deciding_unit_id, decision_id, nomination_id, nominee_id, source, recorded_by, recorded_at)
		SELECT nm.subject_id, da.award_code, n.year, u.level, n.kind, d.code, d.signed_on, d.unit_id, d.id, n.id, nm.id,
			'decision', d.signed_by, d.created_at
		FROM decisions d
		JOIN decision_awardees da ON da.decision_id = d.id
		JOIN nominees nm ON nm.id = da.nominee_id
		JOIN nominations n ON n.id = d.nomination_id
		JOIN units u ON u.id = d.unit_id
		WHERE d.nomination_id = $1 AND d.code = $2 AND nm.subject_id IS NOT NULL
		ON CONFLICT DO NOTHING`, nominationID, d.Code)
	if err != nil {
		return fmt.Errorf("record decision %s in the award history: %w", d.Code, err)
	}
	return nil
}

// RevokeDecisionHistoryTx removes from the award history what the revoked
// decisions of a dossier had recorded. Call it in the revoking transaction, after
// the decision is marked revoked.
func RevokeDecisionHistoryTx(ctx context.Context, tx pgx.Tx, nominationID string) error {
	_, err := tx.Exec(ctx, `DELETE FROM award_records ar USING decisions d
		WHERE ar.decision_id = d.id AND d.nomination_id = $1 AND d.revoked_at IS NOT NULL`, nominationID)
	if err != nil {
		return fmt.Errorf("remove revoked decisions of %s from the award history: %w", nominationID, err)
	}
	return nil
}

// MaxSameNameDossiers is how many other dossiers NominationConflicts names for one
// nominee name (the newest); when there are more, each message says so.
const MaxSameNameDossiers = 5

// NominationConflicts flags the nominees of a dossier against the rest of the
// system: the same subject with the same award for the same year already recorded
// (already_awarded) or in another open dossier (in_flight); another commendation
// for the same year and kind (same_achievement: one achievement, one award); and,
// for a nominee without a subject, the same name proposed for the same award and
// year in another open dossier (possible_duplicate). Keyed by nominee id.
func (s *Store) NominationConflicts(ctx context.Context, n domain.Nomination) (map[int64][]history.Conflict, error) {
	const op = "store.NominationConflicts"
	out := map[int64][]history.Conflict{}
	bySubject := map[int64][]int64{}
	var subjects []int64
	names := map[string][]int64{}
	var nameList []string
	for _, nm := range n.Nominees {
		if nm.SubjectID != nil {
			if _, seen := bySubject[*nm.SubjectID]; !seen {
				subjects = append(subjects, *nm.SubjectID)
			}
			bySubject[*nm.SubjectID] = append(bySubject[*nm.SubjectID], nm.ID)
		} else {
			k := strings.ToLower(nm.Name)
			if _, seen := names[k]; !seen {
				nameList = append(nameList, k)
			}
			names[k] = append(names[k], nm.ID)
		}
	}
	var category string
	if err := s.pool.QueryRow(ctx, `SELECT category FROM awards WHERE code = $1`, n.AwardCode).Scan(&category); err != nil {
		return nil, translate(op, err)
	}
	kind := n.Kind
	if kind == "" {
		kind = string(history.AwardMerit)
	}
	flag := func(nominees []int64, c history.Conflict) {
		for _, id := range nominees {
			out[id] = append(out[id], c)
		}
	}
	if len(subjects) > 0 {
		rows, err := s.pool.Query(ctx, `SELECT ar.subject_id, ar.award_code, ar.decision_code, coalesce(ar.nomination_id::text, ''), a.category
			FROM award_records ar JOIN awards a ON a.code = ar.award_code
			WHERE ar.subject_id = ANY($1) AND ar.year = $2 AND ar.kind = $3
				AND (ar.nomination_id IS NULL OR ar.nomination_id <> $4::uuid)
			ORDER BY ar.subject_id, ar.award_code, ar.id`, subjects, n.Year, kind, n.ID)
		if err != nil {
			return nil, translate(op, err)
		}
		err = forEach(rows, func(r pgx.Rows) error {
			var subject int64
			var c history.Conflict
			var cat string
			if err := r.Scan(&subject, &c.AwardCode, &c.DecisionCode, &c.NominationID, &cat); err != nil {
				return err
			}
			c.Year = n.Year
			switch {
			case c.AwardCode == n.AwardCode:
				c.Kind = history.ConflictAlreadyAwarded
				c.Message = fmt.Sprintf("Đã được tặng %s năm %d (QĐ %s)", c.AwardCode, n.Year, orDash(c.DecisionCode))
			case cat == "commendation" && category == "commendation":
				c.Kind = history.ConflictSameAchievement
				c.Message = fmt.Sprintf("Đã được khen %s năm %d (QĐ %s): mỗi thành tích chỉ khen một lần", c.AwardCode, n.Year, orDash(c.DecisionCode))
			default:
				return nil
			}
			flag(bySubject[subject], c)
			return nil
		})
		if err != nil {
			return nil, translate(op, err)
		}
		rows, err = s.pool.Query(ctx, `SELECT nm.subject_id, n.id::text, coalesce(nm.award_code, n.award_code), n.status, a.category
			FROM nominees nm JOIN nominations n ON n.id = nm.nomination_id
			JOIN awards a ON a.code = coalesce(nm.award_code, n.award_code)
			WHERE nm.subject_id = ANY($1) AND n.id <> $2::uuid AND n.year = $3 AND n.kind = $4
				AND n.status NOT IN ('decided', 'rejected', 'withdrawn') AND nm.status NOT IN ('rejected', 'withdrawn')
			ORDER BY nm.subject_id, n.created_at`, subjects, n.ID, n.Year, kind)
		if err != nil {
			return nil, translate(op, err)
		}
		err = forEach(rows, func(r pgx.Rows) error {
			var subject int64
			var c history.Conflict
			var status, cat string
			if err := r.Scan(&subject, &c.NominationID, &c.AwardCode, &status, &cat); err != nil {
				return err
			}
			c.Year = n.Year
			switch {
			case c.AwardCode == n.AwardCode:
				c.Kind = history.ConflictInFlight
				c.Message = fmt.Sprintf("Đang được đề nghị %s năm %d trong hồ sơ khác (%s)", c.AwardCode, n.Year, status)
			case cat == "commendation" && category == "commendation":
				c.Kind = history.ConflictSameAchievement
				c.Message = fmt.Sprintf("Đang được đề nghị %s năm %d trong hồ sơ khác: mỗi thành tích chỉ khen một lần", c.AwardCode, n.Year)
			default:
				return nil
			}
			flag(bySubject[subject], c)
			return nil
		})
		if err != nil {
			return nil, translate(op, err)
		}
	}
	if len(nameList) > 0 {
		// The newest few dossiers per name, and whether there are more: a common
		// name can stand in thousands of dossiers of a province's year, and the
		// appraiser needs a few to open, not every one of them (nor a count that
		// would make the database read them all).
		rows, err := s.pool.Query(ctx, `SELECT q.name, d.id::text, d.status
			FROM unnest($4::text[]) AS q(name)
			CROSS JOIN LATERAL (
				SELECT n.id, n.status, n.created_at
				FROM nominees nm JOIN nominations n ON n.id = nm.nomination_id
				WHERE nm.name_key = q.name AND n.award_code = $1 AND n.year = $2 AND n.id <> $3::uuid
					AND n.status NOT IN ('rejected', 'withdrawn') AND nm.status NOT IN ('rejected', 'withdrawn')
				ORDER BY n.created_at DESC, n.id
				LIMIT $5) d
			ORDER BY q.name, d.created_at DESC, d.id`, n.AwardCode, n.Year, n.ID, nameList, MaxSameNameDossiers+1)
		if err != nil {
			return nil, translate(op, err)
		}
		type sameName struct{ id, status string }
		found := map[string][]sameName{}
		err = forEach(rows, func(r pgx.Rows) error {
			var name string
			var d sameName
			if err := r.Scan(&name, &d.id, &d.status); err != nil {
				return err
			}
			found[name] = append(found[name], d)
			return nil
		})
		if err != nil {
			return nil, translate(op, err)
		}
		for _, name := range nameList {
			ds := found[name]
			more := len(ds) > MaxSameNameDossiers
			if more {
				ds = ds[:MaxSameNameDossiers]
			}
			for _, d := range ds {
				c := history.Conflict{Kind: history.ConflictPossibleDuplicate, AwardCode: n.AwardCode, Year: n.Year, NominationID: d.id}
				c.Message = fmt.Sprintf("Cùng tên được đề nghị %s năm %d trong hồ sơ khác (%s); gắn mã đối tượng để kiểm tra chắc chắn", n.AwardCode, n.Year, d.status)
				if more {
					c.Message = fmt.Sprintf("Cùng tên được đề nghị %s năm %d trong hơn %d hồ sơ khác (hồ sơ này: %s); gắn mã đối tượng để kiểm tra chắc chắn", n.AwardCode, n.Year, MaxSameNameDossiers, d.status)
				}
				flag(names[name], c)
			}
		}
	}
	return out, nil
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func forEach(rows pgx.Rows, fn func(pgx.Rows) error) error {
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// EligibilityOverride is an appraiser's decision on one criterion of one nominee.
type EligibilityOverride struct {
	NominationID string
	NomineeID    int64
	Criterion    string
	Met          bool
	Reason       string
	ActorID      int64
	At           time.Time
}

// AddEligibilityOverride records an override; KindInvalid when the nominee is not
// in the dossier.
func (s *Store) AddEligibilityOverride(ctx context.Context, o EligibilityOverride) error {
	tag, err := s.pool.Exec(ctx, `INSERT INTO eligibility_overrides (nomination_id, nominee_id, criterion, met, reason, actor_id, at)
		SELECT $1::uuid, id, $3::text, $4::boolean, $5::text, $6::bigint, $7::timestamptz FROM nominees WHERE nomination_id = $1::uuid AND id = $2`,
		o.NominationID, o.NomineeID, o.Criterion, o.Met, o.Reason, o.ActorID, o.At)
	if err != nil {
		return translate("store.AddEligibilityOverride", err)
	}
	if tag.RowsAffected() == 0 {
		return domain.Invalid("no such nominee in this dossier", domain.FieldError{Field: "nominee_id", Message: "not a nominee of this dossier"})
	}
	return nil
}

// EligibilityOverrides returns the latest override of each criterion of each
// nominee of a dossier, with the appraiser's name.
func (s *Store) EligibilityOverrides(ctx context.Context, nominationID string) (map[int64]map[string]eligibility.Override, error) {
	rows, err := s.pool.Query(ctx, `SELECT DISTINCT ON (o.nominee_id, o.criterion) o.nominee_id, o.criterion, o.met, o.reason,
			o.actor_id, u.full_name, o.at
		FROM eligibility_overrides o JOIN users u ON u.id = o.actor_id
		WHERE o.nomination_id = $1 ORDER BY o.nominee_id, o.criterion, o.at DESC, o.id DESC`, nominationID)
	if err != nil {
		return nil, translate("store.EligibilityOverrides", err)
	}
	out := map[int64]map[string]eligibility.Override{}
	err = forEach(rows, func(r pgx.Rows) error {
		var nominee int64
		var criterion string
		var o eligibility.Override
		if err := r.Scan(&nominee, &criterion, &o.Met, &o.Reason, &o.ActorID, &o.Actor, &o.At); err != nil {
			return err
		}
		if out[nominee] == nil {
			out[nominee] = map[string]eligibility.Override{}
		}
		out[nominee][criterion] = o
		return nil
	})
	return out, translate("store.EligibilityOverrides", err)
}
