package inbox

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tdkt/tdkt/internal/domain"
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

// DossierRow is what a list line shows of a dossier beyond its own columns: its
// code, the submitting (sender) unit, the number of nominees and its open task —
// the step, the unit holding it, the due date and who has claimed it.
type DossierRow struct {
	NominationID   string
	Code           string
	SenderUnitID   string
	SenderUnitName string
	Nominees       int
	// NomineeNames are the nominees' names, in order, separated by "; ".
	NomineeNames string
	TaskID       int64
	Step         domain.Step
	TaskUnitName string
	DueAt        *time.Time
	AssigneeID   int64
	AssigneeName string
}

// DossierRows returns the list columns of the dossiers ids, by dossier; unknown
// ids are skipped. The caller has already established that the user may read them.
// Of several open tasks (the council's vote opens one per role) the newest is taken.
func (s *Store) DossierRows(ctx context.Context, ids []string) (map[string]DossierRow, error) {
	const op = "inbox.DossierRows"
	valid := make([]string, 0, len(ids))
	for _, id := range ids {
		if postgres.IsUUID(id) {
			valid = append(valid, id)
		}
	}
	out := make(map[string]DossierRow, len(valid))
	if len(valid) == 0 {
		return out, nil
	}
	rows, err := s.Pool.Query(ctx, `SELECT n.id, n.code, n.unit_id, u.name,
			(SELECT count(*) FROM nominees nm WHERE nm.nomination_id = n.id),
			coalesce((SELECT string_agg(nm.name, '; ' ORDER BY nm.position) FROM nominees nm WHERE nm.nomination_id = n.id), ''),
			coalesce(t.id, 0), coalesce(t.step, ''), coalesce(tu.name, ''), t.due_at,
			coalesce(t.assignee_id, 0), coalesce(a.full_name, '')
		FROM nominations n JOIN units u ON u.id = n.unit_id
		LEFT JOIN LATERAL (SELECT t.id, t.step, t.unit_id, t.due_at, t.assignee_id FROM tasks t
			WHERE t.nomination_id = n.id AND t.status = 'open' ORDER BY t.id DESC LIMIT 1) t ON true
		LEFT JOIN units tu ON tu.id = t.unit_id
		LEFT JOIN users a ON a.id = t.assignee_id
		WHERE n.id = ANY($1::uuid[])`, valid)
	if err != nil {
		return nil, postgres.Translate(op, err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (DossierRow, error) {
		var d DossierRow
		err := r.Scan(&d.NominationID, &d.Code, &d.SenderUnitID, &d.SenderUnitName, &d.Nominees, &d.NomineeNames, &d.TaskID, &d.Step,
			&d.TaskUnitName, &d.DueAt, &d.AssigneeID, &d.AssigneeName)
		return d, err
	})
	if err != nil {
		return nil, postgres.Translate(op, err)
	}
	for _, d := range list {
		out[d.NominationID] = d
	}
	return out, nil
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
