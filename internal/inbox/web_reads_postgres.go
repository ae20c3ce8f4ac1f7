package inbox

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/postgres"
)

// The reads in this file serve the web UI's pages: names of units for a form,
// the open task of one dossier, the dashboard's counts and the decisions register.
// Every read that lists dossiers takes the set of units the caller may read, as
// Nominations does, and always applies it.

// UnitsByID returns the units with the given ids, ordered by id; unknown ids are skipped.
func (s *Store) UnitsByID(ctx context.Context, ids []string) ([]domain.Unit, error) {
	const op = "inbox.UnitsByID"
	rows, err := s.Pool.Query(ctx, `SELECT id, coalesce(parent_id, ''), name, level, kind, subkind, valid_to
		FROM units WHERE id = ANY($1) ORDER BY id`, ids)
	if err != nil {
		return nil, postgres.Translate(op, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Unit, error) {
		var u domain.Unit
		err := r.Scan(&u.ID, &u.ParentID, &u.Name, &u.Level, &u.Kind, &u.Subkind, &u.ValidTo)
		return u, err
	})
	return out, postgres.Translate(op, err)
}

// OpenTaskOf returns the open task of a dossier (at most one is open at a time);
// KindNotFound when the dossier has none, as a closed dossier has not.
func (s *Store) OpenTaskOf(ctx context.Context, nominationID string) (domain.Task, error) {
	var t domain.Task
	if !postgres.IsUUID(nominationID) {
		return t, &domain.Error{Op: "inbox.OpenTaskOf", Kind: domain.KindNotFound, Message: "no such dossier"}
	}
	err := s.Pool.QueryRow(ctx, `SELECT t.id, t.nomination_id, n.title, n.award_code, n.status, n.version, t.step,
		t.unit_id, u.name, t.role, t.due_at, t.created_at
		FROM tasks t JOIN nominations n ON n.id = t.nomination_id JOIN units u ON u.id = t.unit_id
		WHERE t.nomination_id = $1 AND t.status = 'open' ORDER BY t.id DESC LIMIT 1`, nominationID).
		Scan(&t.ID, &t.NominationID, &t.NominationTitle, &t.AwardCode, &t.Status, &t.Version, &t.Step,
			&t.UnitID, &t.UnitName, &t.Role, &t.DueAt, &t.CreatedAt)
	return t, postgres.Translate("inbox.OpenTaskOf", err)
}

// StatusCount is the number of dossiers in one status.
type StatusCount struct {
	Status domain.Status `json:"status"`
	Count  int           `json:"count"`
}

// StepCount is the number of open dossiers waiting at one step, and how many of
// them are past the step's due date.
type StepCount struct {
	Step    domain.Step `json:"step"`
	Open    int         `json:"open"`
	Overdue int         `json:"overdue"`
}

// UnitLoad is the number of open dossiers waiting in one unit, and how many of
// them are past their step's due date.
type UnitLoad struct {
	UnitID   string `json:"unit_id"`
	UnitName string `json:"unit_name"`
	Open     int    `json:"open"`
	Overdue  int    `json:"overdue"`
}

// NominationStats are the dashboard's counts over the dossiers of a set of units.
type NominationStats struct {
	ByStatus []StatusCount `json:"by_status"`
	BySteps  []StepCount   `json:"by_step"`
	// Waiting lists the units where open dossiers wait, most overdue first, at most 10.
	Waiting []UnitLoad `json:"waiting"`
	// AsOf is the moment the figures were counted at; Shared is set when that may be
	// earlier than the read (Service.DossierStats, a very large scope), and Every is
	// then the interval between two counts.
	AsOf   time.Time     `json:"as_of"`
	Shared bool          `json:"shared"`
	Every  time.Duration `json:"-"`
}

// NominationStats counts the dossiers of units (the caller's visible units) by
// status, the open ones by the step they wait at and by the unit holding them,
// each with how many are past the step's due date (stage_due_at before now). The
// counts are the ones kept by nominations' triggers (nomination_counts, migration
// 0022), so the read does not grow with the dossiers; the overdue ones depend on
// the clock and are counted from the open dossiers past due, read from
// nominations_open_due_idx alone. It is planned for its arguments each time
// (QueryExecModeExec): a cached generic plan cannot hash the list of units and
// compares every row with every unit.
func (s *Store) NominationStats(ctx context.Context, units []string, now time.Time) (NominationStats, error) {
	const op = "NominationStats"
	rows, err := s.Pool.Query(ctx, `SELECT g.status, g.step, g.unit_id, coalesce(u.name, ''), g.n, coalesce(o.overdue, 0) FROM (
			SELECT status, current_step AS step, current_unit_id AS unit_id, sum(n)::bigint AS n
			FROM nomination_counts WHERE unit_id = ANY($1) GROUP BY 1, 2, 3 HAVING sum(n) <> 0) g
		LEFT JOIN (
			SELECT status, current_step AS step, coalesce(current_unit_id, '') AS unit_id, count(*) AS overdue
			FROM nominations WHERE unit_id = ANY($1) AND stage_due_at < $2
				AND status NOT IN ('decided', 'rejected', 'withdrawn')
			GROUP BY 1, 2, 3) o ON o.status = g.status AND o.step = g.step AND o.unit_id = g.unit_id
		LEFT JOIN units u ON u.id = g.unit_id`, pgx.QueryExecModeExec, units, now)
	if err != nil {
		return NominationStats{}, postgres.Translate(op, err)
	}
	type group struct {
		status         domain.Status
		step           domain.Step
		unit, name     string
		count, overdue int
	}
	groups, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (group, error) {
		var g group
		err := r.Scan(&g.status, &g.step, &g.unit, &g.name, &g.count, &g.overdue)
		return g, err
	})
	if err != nil {
		return NominationStats{}, postgres.Translate(op, err)
	}
	byStatus := map[domain.Status]int{}
	bySteps := map[domain.Step]*StepCount{}
	byUnit := map[string]*UnitLoad{}
	var st NominationStats
	for _, g := range groups {
		if _, ok := byStatus[g.status]; !ok {
			st.ByStatus = append(st.ByStatus, StatusCount{Status: g.status})
		}
		byStatus[g.status] += g.count
		if g.status.Terminal() || g.step == "" {
			continue
		}
		if bySteps[g.step] == nil {
			bySteps[g.step] = &StepCount{Step: g.step}
		}
		bySteps[g.step].Open += g.count
		bySteps[g.step].Overdue += g.overdue
		if g.unit != "" {
			if byUnit[g.unit] == nil {
				byUnit[g.unit] = &UnitLoad{UnitID: g.unit, UnitName: g.name}
			}
			byUnit[g.unit].Open += g.count
			byUnit[g.unit].Overdue += g.overdue
		}
	}
	for i := range st.ByStatus {
		st.ByStatus[i].Count = byStatus[st.ByStatus[i].Status]
	}
	for _, c := range bySteps {
		st.BySteps = append(st.BySteps, *c)
	}
	slices.SortFunc(st.BySteps, func(a, b StepCount) int { return strings.Compare(string(a.Step), string(b.Step)) })
	for _, l := range byUnit {
		st.Waiting = append(st.Waiting, *l)
	}
	slices.SortFunc(st.Waiting, func(a, b UnitLoad) int {
		return cmp.Or(cmp.Compare(b.Overdue, a.Overdue), cmp.Compare(b.Open, a.Open), strings.Compare(a.UnitID, b.UnitID))
	})
	if len(st.Waiting) > 10 {
		st.Waiting = st.Waiting[:10]
	}
	return st, nil
}

// DecisionFilter narrows the decisions register. Units is the set of submitting
// units whose dossiers the caller may read; it is always applied.
type DecisionFilter struct {
	Units []string
	Year  int
	// UnitID keeps the decisions issued by the unit or on its dossiers; AwardCode
	// and Kind those on dossiers of that award and kind of commendation; Query the
	// decisions whose number, dossier code, title or nominee names hold its words.
	UnitID    string
	AwardCode string
	Kind      string
	Query     string
	Limit     int
	Offset    int
}

// DecisionEntry is one line of the decisions register: the decision and its dossier.
type DecisionEntry struct {
	domain.Decision
	IssuerName    string `json:"issuer_name"`
	Title         string `json:"title"`
	AwardCode     string `json:"award_code"`
	AwardName     string `json:"award_name"`
	SubmitterID   string `json:"submitting_unit_id"`
	SubmitterName string `json:"submitting_unit_name"`
	Nominees      int    `json:"nominees"`
	// AwardeeCount is the number of awardees of this decision (a dossier's
	// nominees may be decided in several decisions, or rejected).
	AwardeeCount int `json:"awardee_count"`
}

// Decisions lists decisions on the dossiers of f.Units, newest first, planned for
// its arguments each time like NominationStats.
func (s *Store) Decisions(ctx context.Context, f DecisionFilter) ([]DecisionEntry, error) {
	const op = "inbox.Decisions"
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	q := `SELECT d.nomination_id, d.unit_id, d.year, d.number, d.code, d.signed_by, d.signed_on, d.created_at,
		iu.name, n.title, n.award_code, a.name, n.unit_id, su.name,
		(SELECT count(*) FROM nominees nm WHERE nm.nomination_id = n.id),
		(SELECT count(*) FROM decision_awardees da WHERE da.decision_id = d.id), d.revoked_at
		FROM decisions d JOIN nominations n ON n.id = d.nomination_id
		JOIN units iu ON iu.id = d.unit_id JOIN units su ON su.id = n.unit_id JOIN awards a ON a.code = n.award_code
		WHERE n.unit_id = ANY($1)`
	args := []any{f.Units}
	if f.Year != 0 {
		args = append(args, f.Year)
		q += fmt.Sprintf(" AND d.year = $%d", len(args))
	}
	q += decisionFilterConditions(f, &args)
	args = append(args, f.Limit, f.Offset)
	q += fmt.Sprintf(" ORDER BY d.signed_on DESC, d.created_at DESC, d.id DESC LIMIT $%d OFFSET $%d", len(args)-1, len(args))
	rows, err := s.Pool.Query(ctx, q, append([]any{pgx.QueryExecModeExec}, args...)...)
	if err != nil {
		return nil, postgres.Translate(op, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (DecisionEntry, error) {
		var e DecisionEntry
		var signedOn time.Time
		err := r.Scan(&e.NominationID, &e.UnitID, &e.Year, &e.Number, &e.Code, &e.SignedBy, &signedOn, &e.CreatedAt,
			&e.IssuerName, &e.Title, &e.AwardCode, &e.AwardName, &e.SubmitterID, &e.SubmitterName, &e.Nominees,
			&e.AwardeeCount, &e.RevokedAt)
		e.SignedOn = signedOn.Format("2006-01-02")
		return e, err
	})
	return out, postgres.Translate(op, err)
}

// UnreadNotifications counts the user's unread notifications, for the badge in the
// web UI's menu.
func (s *Store) UnreadNotifications(ctx context.Context, userID int64) (int, error) {
	var n int
	err := s.Pool.QueryRow(ctx, `SELECT count(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL`, userID).Scan(&n)
	return n, postgres.Translate("inbox.UnreadNotifications", err)
}

// UsersWithRoles lists the users who hold a role somewhere.
func (s *Store) UsersWithRoles(ctx context.Context) ([]int64, error) {
	rows, err := s.Pool.Query(ctx, `SELECT DISTINCT user_id FROM role_assignments ORDER BY user_id`)
	if err != nil {
		return nil, postgres.Translate("inbox.UsersWithRoles", err)
	}
	users, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	return users, postgres.Translate("inbox.UsersWithRoles", err)
}
