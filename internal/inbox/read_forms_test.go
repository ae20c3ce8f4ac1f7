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
	st := inbox.NewStore(pool)
	byKey := func(a, b inbox.DeadlineCount) int {
		return cmp.Or(cmp.Compare(a.UnitID, b.UnitID), cmp.Compare(a.Step, b.Step))
	}
	for scopeName, units := range scopes {
		for limitName, atRisk := range limits {
			got, err := st.DeadlineCounts(ctx, units, now, soon, atRisk)
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
			want, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (inbox.DeadlineCount, error) {
				var c inbox.DeadlineCount
				err := r.Scan(&c.UnitID, &c.Step, &c.Open, &c.DueSoon, &c.Overdue, &c.AtRisk)
				return c, err
			})
			if err != nil {
				t.Fatal(err)
			}
			slices.SortFunc(got, byKey)
			slices.SortFunc(want, byKey)
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
