package inbox_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/inbox"

	"github.com/tdkt/tdkt/internal/password"
	"github.com/tdkt/tdkt/internal/pgtest"
	"github.com/tdkt/tdkt/internal/seed"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// seedDossiers inserts n dossiers spread over every commune of the demo, each with
// one open task: a third waiting for the commune clerk, a third for the district's
// appraiser, a third for the province's decider, plus a closed task each.
func seedDossiers(tb testing.TB, n int) *inbox.Store {
	tb.Helper()
	ctx := context.Background()
	pool := pgtest.NewPool(tb)
	if _, err := seed.Demo(ctx, pool, password.Hasher{Cost: bcrypt.MinCost}.Hash); err != nil {
		tb.Fatal(err)
	}
	_, err := pool.Exec(ctx, `
		WITH communes AS (
			SELECT c.id, c.parent_id, row_number() OVER (ORDER BY c.id) - 1 AS i, count(*) OVER () AS total
			FROM units c WHERE c.level = 'commune'),
		clerk AS (SELECT id FROM users WHERE username = 'xa.clerk'),
		gen AS (
			SELECT g, c.id AS unit_id, c.parent_id AS district_id
			FROM generate_series(1, $1) g JOIN communes c ON c.i = g % c.total)
		INSERT INTO nominations (workflow_id, unit_id, award_code, year, title, status, current_step, current_unit_id, route, version, created_by, created_at)
		SELECT 'bench-' || g, unit_id, 'BK_TINH', 2020 + g % 7, 'Hồ sơ ' || g,
			CASE g % 3 WHEN 0 THEN 'draft' WHEN 1 THEN 'appraising' ELSE 'deciding' END,
			CASE g % 3 WHEN 0 THEN 'submit' WHEN 1 THEN 'appraise' ELSE 'decide' END,
			CASE g % 3 WHEN 0 THEN unit_id WHEN 1 THEN district_id ELSE 'LS' END,
			'[]', g % 3, (SELECT id FROM clerk), now() - (g || ' minutes')::interval
		FROM gen`, n)
	if err != nil {
		tb.Fatal(err)
	}
	_, err = pool.Exec(ctx, `
		INSERT INTO tasks (nomination_id, seq, step, unit_id, role, status, due_at, created_at)
		SELECT id, version, current_step, current_unit_id,
			CASE current_step WHEN 'submit' THEN 'clerk' WHEN 'appraise' THEN 'appraiser' ELSE 'decider' END,
			'open', CASE WHEN current_step = 'submit' THEN NULL ELSE created_at + interval '14 days' END, created_at
		FROM nominations;
		INSERT INTO tasks (nomination_id, seq, step, unit_id, role, status, due_at, created_at, done_at)
		SELECT id, version + 100, 'appraise', current_unit_id, 'appraiser', 'done', created_at, created_at, created_at
		FROM nominations;
		ANALYZE`)
	if err != nil {
		tb.Fatal(err)
	}
	return inbox.NewStore(pool)
}

func userID(tb testing.TB, s *inbox.Store, username string) int64 {
	var id int64
	if err := s.Pool.QueryRow(context.Background(), `SELECT id FROM users WHERE username = $1`, username).Scan(&id); err != nil {
		tb.Fatal(err)
	}
	return id
}

// BenchmarkInbox measures the inbox query (with assignees and delegated roles, as
// the API and the web serve it) of a district appraiser with 100,000 dossiers in
// the database, and logs its plan to show that it uses the index.
func BenchmarkInbox(b *testing.B) {
	s := seedDossiers(b, 100_000)
	ctx := context.Background()
	uid := userID(b, s, "huyen.appraiser")
	rows, err := s.Pool.Query(ctx, "EXPLAIN "+inbox.InboxWithAssigneesQuery, uid, 100, calendar.DateOf(time.Now().In(calendar.Zone)).Time(time.UTC))
	if err != nil {
		b.Fatal(err)
	}
	var plan []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			b.Fatal(err)
		}
		plan = append(plan, line)
	}
	b.Logf("inbox plan with 100,000 dossiers:\n%s", strings.Join(plan, "\n"))
	if !strings.Contains(strings.Join(plan, "\n"), "tasks_inbox_idx") {
		b.Fatal("the inbox query does not use tasks_inbox_idx")
	}
	now := time.Now()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tasks, err := s.InboxWithAssignees(ctx, uid, 100, calendar.DateOf(now.In(calendar.Zone)), now)
		if err != nil {
			b.Fatal(err)
		}
		if len(tasks) == 0 {
			b.Fatal("empty inbox")
		}
	}
}

// TestInboxUsesItsIndexAt100kDossiers keeps the plan property under test in every
// run, without timing anything.
func TestInboxUsesItsIndexAt100kDossiers(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds 100,000 dossiers")
	}
	s := seedDossiers(t, 100_000)
	ctx := context.Background()
	for _, user := range []string{"huyen.appraiser", "tinh.decider", "xa.clerk"} {
		uid := userID(t, s, user)
		var plan []string
		rows, err := s.Pool.Query(ctx, "EXPLAIN "+inbox.InboxWithAssigneesQuery, uid, 100, calendar.DateOf(time.Now().In(calendar.Zone)).Time(time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, line)
		}
		if !strings.Contains(strings.Join(plan, "\n"), "tasks_inbox_idx") {
			t.Errorf("inbox of %s does not use tasks_inbox_idx:\n%s", user, strings.Join(plan, "\n"))
		}
		tasks, err := s.InboxWithAssignees(ctx, uid, 100, calendar.DateOf(time.Now().In(calendar.Zone)), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if len(tasks) != 100 {
			t.Errorf("inbox of %s has %d tasks, want the first 100", user, len(tasks))
		}
		for i := 1; i < len(tasks); i++ {
			a, b := tasks[i-1].DueAt, tasks[i].DueAt
			if a != nil && b != nil && a.After(*b) {
				t.Fatalf("inbox of %s not ordered by due date at %d", user, i)
			}
		}
	}
}
