package inbox_test

import (
	"cmp"
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tdkt/tdkt/internal/admin"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/inbox"
	"github.com/tdkt/tdkt/internal/pgtest"
	"github.com/tdkt/tdkt/internal/refdata"
	"github.com/tdkt/tdkt/internal/seed"
	"github.com/tdkt/tdkt/internal/usecase"
)

// oneJoinDeadlineCounts is the statement DeadlineCounts ran before the tasks at
// risk were counted apart: every open task joined with its step's limit in one pass.
const oneJoinDeadlineCounts = `SELECT t.unit_id, t.step, count(*),
		count(*) FILTER (WHERE t.due_at >= $2 AND t.due_at <= $3),
		count(*) FILTER (WHERE t.due_at < $2),
		count(*) FILTER (WHERE t.due_at >= $2 AND t.due_at <= r.until)
	FROM tasks t LEFT JOIN unnest($4::text[], $5::timestamptz[]) AS r(step, until) ON r.step = t.step
	WHERE t.status = 'open' AND t.unit_id = ANY($1)
	GROUP BY t.unit_id, t.step`

// boardAndOneJoin returns the board's counts (DeadlineCounts) and those of
// oneJoinDeadlineCounts for the same units, clock and limits, each sorted by unit
// and step.
func boardAndOneJoin(t *testing.T, pool *pgxpool.Pool, units []string, now, soon time.Time,
	atRisk map[domain.Step]time.Time) (got, want []inbox.DeadlineCount) {
	t.Helper()
	ctx := context.Background()
	got, err := inbox.NewStore(pool).DeadlineCounts(ctx, units, now, soon, atRisk)
	if err != nil {
		t.Fatal(err)
	}
	var steps []string
	var untils []time.Time
	for s, u := range atRisk {
		steps, untils = append(steps, string(s)), append(untils, u)
	}
	rows, err := pool.Query(ctx, oneJoinDeadlineCounts, units, now, soon, steps, untils)
	if err != nil {
		t.Fatal(err)
	}
	want, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (inbox.DeadlineCount, error) {
		var c inbox.DeadlineCount
		err := r.Scan(&c.UnitID, &c.Step, &c.Open, &c.DueSoon, &c.Overdue, &c.AtRisk)
		return c, err
	})
	if err != nil {
		t.Fatal(err)
	}
	byKey := func(a, b inbox.DeadlineCount) int {
		return cmp.Or(cmp.Compare(a.UnitID, b.UnitID), cmp.Compare(a.Step, b.Step))
	}
	slices.SortFunc(got, byKey)
	slices.SortFunc(want, byKey)
	return got, want
}

// seedTasksEverywhere gives every unit of the demo dossiers with one task each, of
// every step, due from 12 days ago to 12 days ahead (some without a due date),
// most open and some done, and returns the units.
func seedTasksEverywhere(t *testing.T, pool *pgxpool.Pool, now time.Time) []string {
	t.Helper()
	ctx := context.Background()
	if _, err := seed.Demo(ctx, pool, func(string) (string, error) { return "x", nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `
		INSERT INTO nominations (workflow_id, unit_id, award_code, year, title, status, current_step, current_unit_id, route, created_by)
		SELECT 'rf-' || u.id || '-' || i, u.id, (SELECT min(code) FROM awards), 2026, 'Hồ sơ ' || i, 'appraising', 'appraise',
			u.id, '[]', (SELECT min(id) FROM users)
		FROM units u CROSS JOIN generate_series(0, 23) AS i`); err != nil {
		t.Fatal(err)
	}
	steps := []string{"submit", "supplement", "intake", "appraise", "concur", "vote", "forward", "decide"}
	if _, err := pool.Exec(ctx, `
		INSERT INTO tasks (nomination_id, seq, step, unit_id, role, status, due_at, created_at)
		SELECT n.id, 1, ($1::text[])[1 + (g.i + g.h) % 8], n.unit_id, 'appraiser', CASE WHEN g.h % 7 = 0 THEN 'done' ELSE 'open' END,
			CASE WHEN g.h % 10 = 0 THEN NULL ELSE $2::timestamptz + ((g.h * 37 + g.i) % 577 - 288) * interval '1 hour' END, $2
		FROM nominations n
		JOIN LATERAL (SELECT split_part(n.workflow_id, '-', -1)::int AS i, hashtext(n.workflow_id) & 1048575 AS h) g ON true
		WHERE n.workflow_id LIKE 'rf-%'`, steps, now); err != nil {
		t.Fatal(err)
	}
	rows, err := pool.Query(ctx, `SELECT id FROM units ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	units, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return units
}

// TestDeadlineCountsEqualTheOneJoinFormForTheMinistryAProvinceAndACommune: the
// board's counts, with the tasks at risk counted apart, are those of the statement
// that joined every open task with its step's limit, over the whole tree (the
// ministry's scope), the province's subtree and one commune, for limits on some
// steps (one of them already past), none, and the same limit for every step.
func TestDeadlineCountsEqualTheOneJoinFormForTheMinistryAProvinceAndACommune(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.NewPool(t)
	now := time.Now().Truncate(time.Microsecond)
	all := seedTasksEverywhere(t, pool, now)
	rows, err := pool.Query(ctx, `WITH RECURSIVE sub AS (SELECT id FROM units WHERE id = $1
			UNION ALL SELECT u.id FROM units u JOIN sub ON u.parent_id = sub.id)
		SELECT id FROM sub ORDER BY id`, seed.Province)
	if err != nil {
		t.Fatal(err)
	}
	province, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	scopes := map[string][]string{"ministry": all, "province": province, "commune": {seed.DemoCommune}}
	if len(province) < 10 || len(all) <= len(province) {
		t.Fatalf("the demo's scopes are too small: %d units, %d in the province", len(all), len(province))
	}
	limits := map[string]map[domain.Step]time.Time{
		"some steps": {"appraise": now.Add(30 * time.Hour), "vote": now.Add(70 * time.Hour), "decide": now,
			"intake": now.Add(-5 * time.Hour), "forward": now.Add(200 * time.Hour)},
		"none": {},
		"every step": {"submit": now.Add(50 * time.Hour), "supplement": now.Add(50 * time.Hour), "intake": now.Add(50 * time.Hour),
			"appraise": now.Add(50 * time.Hour), "concur": now.Add(50 * time.Hour), "vote": now.Add(50 * time.Hour),
			"forward": now.Add(50 * time.Hour), "decide": now.Add(50 * time.Hour)},
	}
	soon := now.Add(90 * time.Hour)
	for scopeName, units := range scopes {
		for limitName, atRisk := range limits {
			got, want := boardAndOneJoin(t, pool, units, now, soon, atRisk)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s, limits on %s:\n got %v\nwant %v", scopeName, limitName, got, want)
			}
			var open, atRiskSeen int
			for _, c := range want {
				open += c.Open
				atRiskSeen += c.AtRisk
			}
			if open == 0 || (limitName != "none" && scopeName != "commune" && atRiskSeen == 0) {
				t.Errorf("%s, limits on %s: the data tests too little: %d open, %d at risk", scopeName, limitName, open, atRiskSeen)
			}
		}
	}
}

// TestInboxWorkloadIsTheInboxCountedForTheMinistryAProvinceAndACommune: the
// dashboard's workload (InboxWorkload) is the number of tasks the inbox lists
// (InboxWithAssignees, at most its limit) and the number of them overdue, for an
// appraiser at the centre, one at the province (more tasks than the inbox lists)
// and a commune clerk, with tasks overdue by their due date or flagged by the
// workflow's timer, and without a due date.
func TestInboxWorkloadIsTheInboxCountedForTheMinistryAProvinceAndACommune(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.NewPool(t)
	if _, err := seed.Demo(ctx, pool, func(string) (string, error) { return "x", nil }); err != nil {
		t.Fatal(err)
	}
	now := time.Now().Truncate(time.Microsecond)
	for _, w := range []struct {
		unit, role string
		n          int
	}{{seed.Central, "appraiser", 17}, {seed.Province, "appraiser", 130}, {seed.DemoCommune, "clerk", 9}} {
		if _, err := pool.Exec(ctx, `
			INSERT INTO nominations (workflow_id, unit_id, award_code, year, title, status, current_step, current_unit_id, route, created_by)
			SELECT 'wl-' || $1 || '-' || i, $1, (SELECT min(code) FROM awards), 2026, 'Hồ sơ ' || i, 'appraising', 'appraise',
				$1, '[]', (SELECT min(id) FROM users)
			FROM generate_series(1, $2) AS i`, w.unit, w.n); err != nil {
			t.Fatal(err)
		}
		if _, err := pool.Exec(ctx, `
			INSERT INTO tasks (nomination_id, seq, step, unit_id, role, status, due_at, overdue_at, created_at)
			SELECT n.id, 1, 'appraise', $1, $2, 'open',
				CASE WHEN i % 6 = 0 THEN NULL ELSE $3::timestamptz + (i % 9 - 4) * interval '1 day' END,
				CASE WHEN i % 11 = 0 THEN $3::timestamptz END, $3
			FROM nominations n JOIN LATERAL (SELECT split_part(n.workflow_id, '-', -1)::int AS i) g ON true
			WHERE n.workflow_id LIKE 'wl-' || $1 || '-%'`, w.unit, w.role, now); err != nil {
			t.Fatal(err)
		}
	}
	base := &usecase.Base{Now: func() time.Time { return now }}
	ad := admin.New(base, admin.NewStore(pool))
	svc := inbox.New(base, inbox.NewStore(pool), ad, refdata.New(base, refdata.NewStore(pool), ad))
	for _, username := range []string{"tw.appraiser", "tinh.appraiser", "xa.clerk"} {
		uid := userID(t, svc.Store, username)
		entries, err := svc.InboxWithAssignees(ctx, uid)
		if err != nil {
			t.Fatal(err)
		}
		want := inbox.Workload{Tasks: len(entries)}
		for _, e := range entries {
			if e.Overdue {
				want.Overdue++
			}
		}
		got, err := svc.InboxWorkload(ctx, uid)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s: workload %+v, the inbox counts %+v", username, got, want)
		}
		if want.Tasks == 0 || want.Overdue == 0 || want.Overdue == want.Tasks {
			t.Errorf("%s: the data tests too little: %+v", username, want)
		}
	}
}

// oneStatementDossierRows is the statement that read both the inbox's columns of
// dossiers and their open task, before the inbox (DossierRows) and the dossier
// list (OpenTasksOf) each read only its own.
const oneStatementDossierRows = `SELECT n.id, n.code, n.unit_id, u.name,
		(SELECT count(*) FROM nominees nm WHERE nm.nomination_id = n.id),
		coalesce((SELECT string_agg(nm.name, '; ' ORDER BY nm.position) FROM nominees nm WHERE nm.nomination_id = n.id), ''),
		coalesce(t.id, 0), coalesce(t.step, ''), coalesce(tu.name, ''), t.due_at,
		coalesce(t.assignee_id, 0), coalesce(a.full_name, '')
	FROM nominations n JOIN units u ON u.id = n.unit_id
	LEFT JOIN LATERAL (SELECT t.id, t.step, t.unit_id, t.due_at, t.assignee_id FROM tasks t
		WHERE t.nomination_id = n.id AND t.status = 'open' ORDER BY t.id DESC LIMIT 1) t ON true
	LEFT JOIN units tu ON tu.id = t.unit_id
	LEFT JOIN users a ON a.id = t.assignee_id
	WHERE n.id = ANY($1::uuid[])`

// TestDossierRowsAndOpenTasksOfEqualTheOneStatementTheyReplace: over dossiers
// with no, one and three nominees (written out of order), with no task, only done
// tasks, one open task (claimed or not, due or not) and two open ones (the newest
// is taken), the inbox's columns (DossierRows) and the list's open task
// (OpenTasksOf) are what the one statement read; ids that are not UUIDs or name
// no dossier are skipped by both, and no ids read nothing.
func TestDossierRowsAndOpenTasksOfEqualTheOneStatementTheyReplace(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.NewPool(t)
	if _, err := seed.Demo(ctx, pool, func(string) (string, error) { return "x", nil }); err != nil {
		t.Fatal(err)
	}
	now := time.Now().Truncate(time.Microsecond)
	if _, err := pool.Exec(ctx, `
		INSERT INTO nominations (workflow_id, unit_id, award_code, year, title, status, current_step, current_unit_id, route, created_by)
		SELECT 'dr-' || i, u.id, (SELECT min(code) FROM awards), 2026, 'Hồ sơ ' || i, 'appraising', 'appraise', u.id, '[]',
			(SELECT min(id) FROM users)
		FROM generate_series(0, 59) AS i
		JOIN LATERAL (SELECT id FROM units ORDER BY id OFFSET i % 7 LIMIT 1) u ON true`); err != nil {
		t.Fatal(err)
	}
	// Nominees: none for i % 3 = 0, one for 1, three for 2, inserted last position first.
	if _, err := pool.Exec(ctx, `
		INSERT INTO nominees (nomination_id, position, kind, name)
		SELECT n.id, p, 'individual', 'Người ' || p || ' của ' || n.workflow_id
		FROM nominations n JOIN LATERAL (SELECT split_part(n.workflow_id, '-', 2)::int AS i) g ON true
		CROSS JOIN LATERAL generate_series(CASE g.i % 3 WHEN 0 THEN 0 WHEN 1 THEN 1 ELSE 3 END, 1, -1) AS p
		WHERE n.workflow_id LIKE 'dr-%'`); err != nil {
		t.Fatal(err)
	}
	// Tasks by i % 5: 0 none, 1 one done, 2 one open without a due date, 3 one open
	// due and claimed, 4 a done one and two open ones (a council's vote).
	if _, err := pool.Exec(ctx, `
		INSERT INTO tasks (nomination_id, seq, step, unit_id, role, status, due_at, created_at, assignee_id)
		SELECT n.id, k.seq, k.step, n.unit_id, k.role, k.status,
			CASE WHEN g.i % 5 = 2 THEN NULL ELSE $1::timestamptz + g.i * interval '1 hour' + k.seq * interval '1 day' END, $1,
			CASE WHEN g.i % 5 = 3 THEN (SELECT min(id) FROM users) END
		FROM nominations n JOIN LATERAL (SELECT split_part(n.workflow_id, '-', 2)::int AS i) g ON true
		JOIN (VALUES (1, 1, 'intake', 'clerk', 'done'), (2, 1, 'appraise', 'appraiser', 'open'), (3, 1, 'appraise', 'appraiser', 'open'),
			(4, 1, 'intake', 'clerk', 'done'), (4, 2, 'vote', 'council_member', 'open'), (4, 2, 'vote', 'council_chair', 'open'))
			AS k(kind, seq, step, role, status) ON k.kind = g.i % 5
		WHERE n.workflow_id LIKE 'dr-%'`, now); err != nil {
		t.Fatal(err)
	}
	rows, err := pool.Query(ctx, `SELECT id::text FROM nominations WHERE workflow_id LIKE 'dr-%' ORDER BY workflow_id`)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 60 {
		t.Fatalf("%d dossiers seeded, want 60", len(ids))
	}

	wantRows := map[string]inbox.DossierRow{}
	wantTasks := map[string]inbox.OpenTaskColumns{}
	rows, err = pool.Query(ctx, oneStatementDossierRows, ids)
	if err != nil {
		t.Fatal(err)
	}
	var d inbox.DossierRow
	var task inbox.OpenTaskColumns
	if _, err := pgx.ForEachRow(rows, []any{&d.NominationID, &d.Code, &d.SenderUnitID, &d.SenderUnitName, &d.Nominees, &d.NomineeNames,
		&task.TaskID, &task.Step, &task.UnitName, &task.DueAt, &task.AssigneeID, &task.AssigneeName}, func() error {
		wantRows[d.NominationID] = d
		if task.TaskID != 0 {
			wantTasks[d.NominationID] = task
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// The data covers every case the statements tell apart.
	var named, withoutNominees, claimed, undated int
	for _, r := range wantRows {
		if r.Nominees == 3 && r.NomineeNames != "" {
			named++
		}
		if r.Nominees == 0 {
			withoutNominees++
		}
	}
	for _, tk := range wantTasks {
		if tk.AssigneeName != "" {
			claimed++
		}
		if tk.DueAt == nil {
			undated++
		}
	}
	if len(wantRows) != 60 || len(wantTasks) != 36 || named == 0 || withoutNominees == 0 || claimed == 0 || undated == 0 {
		t.Fatalf("the one statement read %d dossiers, %d open tasks (%d claimed, %d undated), %d dossiers with three named nominees, %d without",
			len(wantRows), len(wantTasks), claimed, undated, named, withoutNominees)
	}

	store := inbox.NewStore(pool)
	asked := append(slices.Clone(ids), "not-a-uuid", "00000000-0000-0000-0000-000000000000")
	gotRows, err := store.DossierRows(ctx, asked)
	if err != nil {
		t.Fatal(err)
	}
	sameByDossier(t, "DossierRows", gotRows, wantRows)
	gotTasks, err := store.OpenTasksOf(ctx, asked)
	if err != nil {
		t.Fatal(err)
	}
	sameByDossier(t, "OpenTasksOf", gotTasks, wantTasks)
	if got, ok := gotTasks[ids[0]]; ok { // ids are in workflow_id order: dr-0 first
		t.Fatalf("dossier dr-0 has no task, OpenTasksOf gave %+v", got)
	}
	// A dossier with two open tasks shows the newest (the council chair's).
	var newest int64
	if err := pool.QueryRow(ctx, `SELECT max(t.id) FROM tasks t JOIN nominations n ON n.id = t.nomination_id
		WHERE n.workflow_id = 'dr-4' AND t.status = 'open'`).Scan(&newest); err != nil {
		t.Fatal(err)
	}
	var dr4 string
	if err := pool.QueryRow(ctx, `SELECT id::text FROM nominations WHERE workflow_id = 'dr-4'`).Scan(&dr4); err != nil {
		t.Fatal(err)
	}
	if got := gotTasks[dr4]; got.TaskID != newest || got.Step != "vote" {
		t.Fatalf("dossier dr-4's open task = %+v, want the newest, %d", got, newest)
	}
	for _, none := range [][]string{nil, {"not-a-uuid"}} {
		if r, err := store.DossierRows(ctx, none); err != nil || len(r) != 0 {
			t.Fatalf("DossierRows(%q) = %v, %v; want nothing", none, r, err)
		}
		if r, err := store.OpenTasksOf(ctx, none); err != nil || len(r) != 0 {
			t.Fatalf("OpenTasksOf(%q) = %v, %v; want nothing", none, r, err)
		}
	}
}

// sameByDossier fails the test unless got holds exactly want's dossiers, each equal.
func sameByDossier[T any](t *testing.T, what string, got, want map[string]T) {
	t.Helper()
	if reflect.DeepEqual(got, want) {
		return
	}
	for id, w := range want {
		if g := got[id]; !reflect.DeepEqual(g, w) {
			t.Errorf("%s of %s = %+v, want %+v", what, id, g, w)
		}
	}
	t.Fatalf("%s read %d dossiers, want %d", what, len(got), len(want))
}
