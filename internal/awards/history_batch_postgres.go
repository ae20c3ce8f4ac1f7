package awards

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/history"
	"github.com/tdkt/tdkt/internal/postgres"
)

// ApplyHistoryBatch writes a validated batch (history.Batch.Validate) for its unit
// in one transaction: subjects are created or updated first, then ratings,
// awards, initiatives and holds, all naming their subject by code. Re-applying the
// same batch changes nothing. Rows the database refuses — an unknown subject code
// or award, a subject whose kind would change, a level that cannot be guessed, a
// merit award already recorded under another decision — are reported together as
// a KindInvalid error wrapping history.RowErrors, and nothing is written.
func (s *Store) ApplyHistoryBatch(ctx context.Context, b *history.Batch, source string, actor int64, at time.Time) (history.BatchResult, error) {
	const op = "awards.ApplyHistoryBatch"
	var res history.BatchResult
	err := s.InTx(ctx, op, func(tx pgx.Tx) error {
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
		return 0, &domain.Error{Op: "awards.ApplyHistoryBatch", Kind: domain.KindInvalid, Message: "the batch has bad rows", Err: sortedRows(errs)}
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
	const op = "awards.UnitHistory"
	rows, err := s.Pool.Query(ctx, `SELECT id FROM subjects WHERE unit_id = $1 ORDER BY code`, unitID)
	if err != nil {
		return nil, postgres.Translate(op, err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, postgres.Translate(op, err)
	}
	recs, err := subjectRecords(ctx, s.Pool, ids)
	if err != nil {
		return nil, postgres.Translate(op, err)
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
		return "", false, &domain.Error{Op: "awards.HistoryEntryUnit", Kind: domain.KindNotFound, Message: "no such kind of entry"}
	}
	err = s.Pool.QueryRow(ctx, `SELECT s.unit_id, e.source = 'decision' FROM `+table+` e JOIN subjects s ON s.id = e.subject_id
		WHERE e.id = $1`, id).Scan(&unitID, &fromDecision)
	return unitID, fromDecision, postgres.Translate("awards.HistoryEntryUnit", err)
}

// DeleteHistoryEntry removes an award, initiative or hold entered by hand or by
// import. Awards the engine recorded from a decision are removed only by revoking
// the decision: KindConflict.
func (s *Store) DeleteHistoryEntry(ctx context.Context, section string, id int64) error {
	const op = "awards.DeleteHistoryEntry"
	table, ok := historyTables[section]
	if !ok {
		return &domain.Error{Op: op, Kind: domain.KindNotFound, Message: "no such kind of entry"}
	}
	tag, err := s.Pool.Exec(ctx, `DELETE FROM `+table+` WHERE id = $1 AND source <> 'decision'`, id)
	if err != nil {
		return postgres.Translate(op, err)
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
