package inbox

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/tdkt/tdkt/internal/history"
	"github.com/tdkt/tdkt/internal/postgres"
)

// maxSearchWords caps the words of a dossier text search (each is one condition).
const maxSearchWords = 8

// DossierTextMatch returns the conditions of a dossier text search over the
// nominations aliased n, appending their arguments: every word of query must be
// found in the dossier's code, its title or the name of one of its nominees, with
// or without Vietnamese diacritics. Words are folded by history.Fold, the fold of
// nominations.title_folded and nominees.name_folded (migration 0017).
func DossierTextMatch(query string, args *[]any) string {
	return textMatch(query, args, "")
}

// textMatch is dossierTextMatch where each word may also be found in the text
// column also, folded the same way, e.g. a decision's number (12/QĐ-UBND).
func textMatch(query string, args *[]any, also string) string {
	var b strings.Builder
	words := strings.Fields(history.Fold(query))
	if len(words) > maxSearchWords {
		words = words[:maxSearchWords]
	}
	if also != "" && len(words) > 0 {
		*args = append(*args, history.FoldFrom, history.FoldTo)
		also = fmt.Sprintf("lower(translate(%s, $%d, $%d))", also, len(*args)-1, len(*args))
	}
	for _, w := range words {
		*args = append(*args, "%"+postgres.LikeEscape(w)+"%")
		k := len(*args)
		b.WriteString(" AND (")
		if also != "" {
			fmt.Fprintf(&b, "%s LIKE $%d OR ", also, k)
		}
		fmt.Fprintf(&b, `n.code ILIKE $%d OR n.title_folded LIKE $%d OR EXISTS (
			SELECT 1 FROM nominees nm WHERE nm.nomination_id = n.id AND nm.name_folded LIKE $%d))`, k, k, k)
	}
	return b.String()
}

// DossierRow is what the inbox shows of a dossier beyond its task: its code, the
// submitting (sender) unit and its nominees.
type DossierRow struct {
	NominationID   string
	Code           string
	SenderUnitID   string
	SenderUnitName string
	Nominees       int
	// NomineeNames are the nominees' names, in order, separated by "; ".
	NomineeNames string
}

// DossierRows returns the inbox's columns of the dossiers ids, by dossier; unknown
// ids are skipped. The caller has already established that the user may read them.
// The nominees are counted and named from one read of each dossier's nominees.
// (It also read each dossier's open task, which the inbox holds already and the
// dossier list reads with OpenTasksOf: 2.7 ms of PostgreSQL for an inbox page of
// 100 dossiers at 1M dossiers, 0.8 ms without the task and 2.3 ms with it and the
// nominees read once, psql on a warm cache.)
func (s *Store) DossierRows(ctx context.Context, ids []string) (map[string]DossierRow, error) {
	const op = "inbox.DossierRows"
	valid := validIDs(ids)
	out := make(map[string]DossierRow, len(valid))
	if len(valid) == 0 {
		return out, nil
	}
	rows, err := s.Pool.Query(ctx, `SELECT n.id, n.code, n.unit_id, u.name, nm.n, coalesce(nm.names, '')
		FROM nominations n JOIN units u ON u.id = n.unit_id
		CROSS JOIN LATERAL (SELECT count(*) AS n, string_agg(nm.name, '; ' ORDER BY nm.position) AS names
			FROM nominees nm WHERE nm.nomination_id = n.id) nm
		WHERE n.id = ANY($1::uuid[])`, valid)
	if err != nil {
		return nil, postgres.Translate(op, err)
	}
	var d DossierRow
	_, err = pgx.ForEachRow(rows, []any{&d.NominationID, &d.Code, &d.SenderUnitID, &d.SenderUnitName, &d.Nominees, &d.NomineeNames},
		func() error {
			out[d.NominationID] = d
			return nil
		})
	return out, postgres.Translate(op, err)
}

// OpenTasksOf returns the open task of each of the dossiers ids that has one, with
// the name of the unit holding it and of who has claimed it; unknown ids and
// dossiers without an open task are skipped. Of several open tasks (the council's
// vote opens one per role) the newest is taken. The caller has already established
// that the user may read the dossiers; WorkingDaysLeft and AtRisk are left to it,
// which holds the calendar.
func (s *Store) OpenTasksOf(ctx context.Context, ids []string) (map[string]OpenTaskColumns, error) {
	const op = "inbox.OpenTasksOf"
	valid := validIDs(ids)
	out := make(map[string]OpenTaskColumns, len(valid))
	if len(valid) == 0 {
		return out, nil
	}
	rows, err := s.Pool.Query(ctx, `SELECT n.id, t.id, t.step, tu.name, t.due_at, coalesce(t.assignee_id, 0), coalesce(a.full_name, '')
		FROM unnest($1::uuid[]) AS n(id)
		CROSS JOIN LATERAL (SELECT t.id, t.step, t.unit_id, t.due_at, t.assignee_id FROM tasks t
			WHERE t.nomination_id = n.id AND t.status = 'open' ORDER BY t.id DESC LIMIT 1) t
		JOIN units tu ON tu.id = t.unit_id
		LEFT JOIN users a ON a.id = t.assignee_id`, valid)
	if err != nil {
		return nil, postgres.Translate(op, err)
	}
	var id string
	var t OpenTaskColumns
	_, err = pgx.ForEachRow(rows, []any{&id, &t.TaskID, &t.Step, &t.UnitName, &t.DueAt, &t.AssigneeID, &t.AssigneeName},
		func() error {
			out[id] = t
			return nil
		})
	return out, postgres.Translate(op, err)
}

// validIDs are the ids that are UUIDs (dossier ids); the others name no dossier.
func validIDs(ids []string) []string {
	valid := make([]string, 0, len(ids))
	for _, id := range ids {
		if postgres.IsUUID(id) {
			valid = append(valid, id)
		}
	}
	return valid
}

// decisionFilterConditions returns the conditions of the decisions register's
// filters beyond the year (DecisionFilter), over decisions d and nominations n.
func decisionFilterConditions(f DecisionFilter, args *[]any) string {
	var b strings.Builder
	add := func(cond string, v any) {
		*args = append(*args, v)
		b.WriteString(" AND ")
		b.WriteString(strings.ReplaceAll(cond, "$?", fmt.Sprintf("$%d", len(*args))))
	}
	if f.UnitID != "" {
		add("(n.unit_id = $? OR d.unit_id = $?)", f.UnitID)
	}
	if f.AwardCode != "" {
		add("n.award_code = $?", f.AwardCode)
	}
	if f.Kind != "" {
		add("n.kind = $?", f.Kind)
	}
	b.WriteString(textMatch(f.Query, args, "d.code"))
	return b.String()
}
