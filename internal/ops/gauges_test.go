package ops_test

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tdkt/tdkt/internal/ops"
	"github.com/tdkt/tdkt/internal/pgtest"
	"github.com/tdkt/tdkt/internal/postgres"
	"github.com/tdkt/tdkt/internal/seed"
)

// directCounts runs one of the statements the gauges ran before they summed the
// kept counts, keyed by its labels joined with "/".
func directCounts(t *testing.T, pool *pgxpool.Pool, q string, args ...any) map[string]float64 {
	t.Helper()
	rows, err := pool.Query(context.Background(), q, args...)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			t.Fatal(err)
		}
		labels := make([]string, len(vals)-1)
		for i := range labels {
			labels[i] = vals[i].(string)
		}
		out[strings.Join(labels, "/")] = float64(vals[len(vals)-1].(int64))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func gauge(cs []ops.OpsCount) map[string]float64 {
	out := map[string]float64{}
	for _, c := range cs {
		out[strings.Join(c.Labels, "/")] = c.N
	}
	return out
}

// TestGaugesSumTheKeptCountsAsTheScansCountedThem: the open and overdue tasks and
// the open dossiers of the business gauges, summed from task_counts and
// nomination_counts, equal what the former scans of tasks and nominations
// counted, over dossiers of every status at the commune and the province and
// tasks due before and after now, without a due date, done and moved.
func TestGaugesSumTheKeptCountsAsTheScansCountedThem(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.NewPool(t)
	if _, err := seed.Demo(ctx, pool, func(string) (string, error) { return "x", nil }); err != nil {
		t.Fatal(err)
	}
	now := time.Now().Truncate(time.Microsecond)
	statuses := []string{"draft", "intake", "appraising", "returned", "voting", "deciding", "forwarding", "decided", "rejected", "withdrawn"}
	steps := []string{"submit", "intake", "appraise", "supplement", "vote", "decide", "forward", "", "", ""}
	if _, err := pool.Exec(ctx, `
		INSERT INTO nominations (workflow_id, unit_id, award_code, year, title, status, current_step, current_unit_id, route, created_by, closed_at)
		SELECT 'g-' || i, CASE WHEN i % 4 = 0 THEN $1 ELSE $2 END, (SELECT min(code) FROM awards), 2026, 'Hồ sơ ' || i,
			($3::text[])[1 + i % 10], ($4::text[])[1 + i % 10], CASE WHEN i % 10 >= 7 THEN NULL WHEN i % 2 = 0 THEN $1 ELSE $2 END, '[]', (SELECT min(id) FROM users),
			CASE WHEN i % 10 >= 7 THEN now() END
		FROM generate_series(0, 199) AS i`, seed.Province, seed.DemoCommune, statuses, steps); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `
		INSERT INTO tasks (nomination_id, seq, step, unit_id, role, status, due_at, remind_at, created_at)
		SELECT n.id, 1, n.current_step, n.current_unit_id, 'appraiser', CASE WHEN g.i % 9 = 0 THEN 'done' ELSE 'open' END,
			CASE WHEN g.i % 11 = 0 THEN NULL ELSE $1::timestamptz + (g.i % 13 - 6) * interval '1 day' END,
			$1::timestamptz + (g.i % 13 - 8) * interval '1 day', $1
		FROM nominations n JOIN LATERAL (SELECT substr(n.workflow_id, 3)::int AS i) g ON true
		WHERE n.workflow_id LIKE 'g-%' AND n.current_unit_id IS NOT NULL`, now); err != nil {
		t.Fatal(err)
	}
	// Tasks moved after they opened: due dates pushed back, one handed to the commune.
	if _, err := pool.Exec(ctx, `UPDATE tasks SET due_at = due_at + interval '10 days' WHERE status = 'open' AND id % 5 = 0`); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `UPDATE tasks SET unit_id = $1 WHERE id = (SELECT min(id) FROM tasks WHERE status = 'open')`, seed.DemoCommune); err != nil {
		t.Fatal(err)
	}

	g, err := ops.NewStore(pool).LoadOpsGauges(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		got  []ops.OpsCount
		want map[string]float64
	}{
		{"open tasks", g.OpenTasks, directCounts(t, pool, `SELECT u.level, t.step, count(*)
			FROM tasks t JOIN units u ON u.id = t.unit_id WHERE t.status = 'open' GROUP BY 1, 2`)},
		{"overdue tasks", g.OverdueTasks, directCounts(t, pool, `SELECT u.level, count(*)
			FROM tasks t JOIN units u ON u.id = t.unit_id WHERE t.status = 'open' AND t.due_at < $1 GROUP BY 1`, now)},
		{"tasks at risk", g.AtRiskTasks, directCounts(t, pool, `SELECT u.level, count(*)
			FROM tasks t JOIN units u ON u.id = t.unit_id WHERE t.status = 'open' AND t.remind_at <= $1 AND t.due_at >= $1 GROUP BY 1`, now)},
		{"open dossiers", g.OpenNominations, directCounts(t, pool, `SELECT status, count(*) FROM nominations WHERE closed_at IS NULL GROUP BY 1`)},
	} {
		if len(c.want) < 2 {
			t.Fatalf("%s: the data gives %v, too little to compare", c.name, c.want)
		}
		if got := gauge(c.got); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: gauges %v, scan %v", c.name, got, c.want)
		}
	}
	// Each level's overdue tasks are listed once, in the order of the levels.
	var levels []string
	for _, c := range g.OverdueTasks {
		levels = append(levels, c.Labels[0])
	}
	if !slices.IsSorted(levels) || len(slices.Compact(slices.Clone(levels))) != len(levels) {
		t.Errorf("overdue tasks by level %v", levels)
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM nominations WHERE closed_at IS NULL AND status IN ('decided', 'rejected', 'withdrawn')`).
		Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d closed dossiers without closed_at in the data: %v", n, err)
	}
}

// TestAppendedGaugesEqualTheCountsOfTheLogAndTheDecisions: the audit events by
// action and the decisions by level, summed from appended_counts (migration
// 0030), equal a count of the log and of the decisions after rows written one
// and many to a statement, a statement that wrote none, a transaction rolled
// back, the migration applied again over the rows written, and four writers
// writing while the counts are compacted five times; the last compaction leaves
// one row per gauge and label.
func TestAppendedGaugesEqualTheCountsOfTheLogAndTheDecisions(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.NewPool(t)
	st := ops.NewStore(pool)
	if _, err := seed.Demo(ctx, pool, func(string) (string, error) { return "x", nil }); err != nil {
		t.Fatal(err)
	}
	const (
		actionsSQL   = `SELECT action, count(*) FROM audit_events GROUP BY 1`
		decisionsSQL = `SELECT u.level, count(*) FROM decisions d JOIN units u ON u.id = d.unit_id GROUP BY 1`
	)
	check := func(after string) {
		t.Helper()
		g, err := st.LoadOpsGauges(ctx, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if got, want := gauge(g.Actions), directCounts(t, pool, actionsSQL); !reflect.DeepEqual(got, want) {
			t.Fatalf("after %s: actions gauge %v, log %v", after, got, want)
		}
		if got, want := gauge(g.Decisions), directCounts(t, pool, decisionsSQL); !reflect.DeepEqual(got, want) {
			t.Fatalf("after %s: decisions gauge %v, decisions %v", after, got, want)
		}
	}
	write := func(q string, args ...any) {
		t.Helper()
		if _, err := pool.Exec(ctx, q, args...); err != nil {
			t.Fatal(err)
		}
	}
	write(`INSERT INTO nominations (workflow_id, unit_id, award_code, year, title, status, current_step, route, created_by, closed_at)
		SELECT 'a-' || i, $1, (SELECT min(code) FROM awards), 2026, 'Hồ sơ ' || i, 'decided', '', '[]', (SELECT min(id) FROM users), now()
		FROM generate_series(1, 40) AS i`, seed.DemoCommune)
	// Decisions numbered from $1 at the province and the commune, one for each of
	// $2 dossiers.
	const decisions = `INSERT INTO decisions (nomination_id, unit_id, year, number, code, signed_by, signed_on, seq)
		SELECT n.id, CASE WHEN i % 2 = 0 THEN $3 ELSE $4 END, 2026, $1::int + i, 'x', (SELECT min(id) FROM users), now(), $1::int + i
		FROM (SELECT id, row_number() OVER (ORDER BY id) AS i FROM nominations ORDER BY id LIMIT $2) n`
	write(`INSERT INTO audit_events (seq, at, action) VALUES (0, now(), 'admin.note')`)
	write(decisions, 1000, 1, seed.Province, seed.DemoCommune)
	check("one row")
	write(`INSERT INTO audit_events (seq, at, action) SELECT 0, now(), (ARRAY['admin.note', 'admin.other', 'admin.third'])[1 + i % 3]
		FROM generate_series(1, 50) AS i`)
	write(decisions, 2000, 6, seed.Province, seed.DemoCommune)
	check("many rows in one statement")
	if d := directCounts(t, pool, decisionsSQL); len(d) != 2 || d["province"]+d["commune"] != 7 {
		t.Fatalf("the decisions written: %v, want 7 at the province and the commune", d)
	}
	write(`INSERT INTO audit_events (seq, at, action) SELECT 0, now(), 'admin.none' WHERE false`)
	write(decisions, 3000, 0, seed.Province, seed.DemoCommune)
	check("statements writing none")
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`INSERT INTO audit_events (seq, at, action) SELECT 0, now(), 'admin.rolled_back' FROM generate_series(1, 5)`,
		strings.ReplaceAll(strings.ReplaceAll(strings.ReplaceAll(strings.ReplaceAll(decisions, "$1", "4000"), "$2", "3"), "$3", "'"+seed.Province+"'"), "$4", "'"+seed.DemoCommune+"'")} {
		if _, err := tx.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	check("a transaction rolled back")
	// Migration 0030 applied again over the rows written so far counts them.
	write(`DROP TABLE appended_counts; DROP TRIGGER appended_counts_insert ON audit_events; DROP TRIGGER appended_counts_insert ON decisions;
		DROP FUNCTION appended_counts_actions(); DROP FUNCTION appended_counts_decisions(); DELETE FROM schema_migrations WHERE version = 30`)
	if applied, err := postgres.Migrate(ctx, pool); err != nil || !slices.Equal(applied, []int{30}) {
		t.Fatalf("migrating again applied %v: %v", applied, err)
	}
	check("migration 0030 over the rows written before it")

	var wg sync.WaitGroup
	errs := make(chan error, 6)
	for w := range 4 {
		wg.Go(func() {
			for i := range 30 {
				if _, err := pool.Exec(ctx, `INSERT INTO audit_events (seq, at, action) SELECT 0, now(), 'admin.w' || $1::int
					FROM generate_series(1, $2::int)`, w, 1+i%3); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Go(func() {
		for i := range 8 {
			if _, err := pool.Exec(ctx, decisions, 5000+100*i, 1+i%3, seed.Province, seed.DemoCommune); err != nil {
				errs <- err
				return
			}
		}
	})
	wg.Go(func() {
		for range 5 {
			if _, err := st.CompactAppendedCounts(ctx); err != nil {
				errs <- err
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	check("writers and five compactions at once")
	rows, err := st.CompactAppendedCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	labels := len(directCounts(t, pool, actionsSQL)) + len(directCounts(t, pool, `SELECT unit_id, count(*) FROM decisions GROUP BY 1`))
	if rows != int64(labels) {
		t.Errorf("the last compaction left %d rows for %d labels", rows, labels)
	}
	check("the last compaction")
}
