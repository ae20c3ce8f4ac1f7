package inbox_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tdkt/tdkt/internal/inbox"
	"github.com/tdkt/tdkt/internal/pgtest"
	"github.com/tdkt/tdkt/internal/seed"
)

// The dashboard's kept counts (nomination_counts, migration 0022) against a
// direct count of the dossiers, after every kind of write.

// countKey is one group of the dashboard's counts.
type countKey struct{ unit, status, step, current string }

func directCounts(t *testing.T, pool *pgxpool.Pool) map[countKey]int64 {
	t.Helper()
	return groupCounts(t, pool, `SELECT unit_id, status, current_step, coalesce(current_unit_id, ''), count(*)
		FROM nominations GROUP BY 1, 2, 3, 4`)
}

func keptCounts(t *testing.T, pool *pgxpool.Pool) map[countKey]int64 {
	t.Helper()
	return groupCounts(t, pool, `SELECT unit_id, status, current_step, current_unit_id, sum(n)::bigint
		FROM nomination_counts GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0`)
}

func groupCounts(t *testing.T, pool *pgxpool.Pool, q string) map[countKey]int64 {
	t.Helper()
	rows, err := pool.Query(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	out := map[countKey]int64{}
	var k countKey
	var n int64
	if _, err := pgx.ForEachRow(rows, []any{&k.unit, &k.status, &k.step, &k.current, &n}, func() error {
		out[k] = n
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func assertCountsKept(t *testing.T, pool *pgxpool.Pool, after string) {
	t.Helper()
	assertKeptAsCounted(t, after, directCounts(t, pool), keptCounts(t, pool))
}

// assertKeptAsCounted fails the test, naming every key that differs, unless the
// kept counts equal the counted ones.
func assertKeptAsCounted[K comparable](t *testing.T, after string, counted, kept map[K]int64) {
	t.Helper()
	if reflect.DeepEqual(counted, kept) {
		return
	}
	for k, n := range counted {
		if kept[k] != n {
			t.Errorf("after %s: %v counted %d, kept %d", after, k, n, kept[k])
		}
	}
	for k, n := range kept {
		if _, ok := counted[k]; !ok {
			t.Errorf("after %s: %v kept %d, counted 0", after, k, n)
		}
	}
	t.FailNow()
}

// statsDirect is the dashboard's former statement, a grouped scan of every dossier.
func statsDirect(t *testing.T, pool *pgxpool.Pool, units []string, now time.Time) map[countKey][2]int {
	t.Helper()
	rows, err := pool.Query(context.Background(), `SELECT status, current_step, coalesce(current_unit_id, ''), count(*),
			count(*) FILTER (WHERE stage_due_at < $2)
		FROM nominations WHERE unit_id = ANY($1) AND status NOT IN ('decided', 'rejected', 'withdrawn') AND current_step <> ''
		GROUP BY 1, 2, 3`, units, now)
	if err != nil {
		t.Fatal(err)
	}
	out := map[countKey][2]int{}
	var k countKey
	var n, overdue int
	if _, err := pgx.ForEachRow(rows, []any{&k.status, &k.step, &k.current, &n, &overdue}, func() error {
		out[k] = [2]int{n, overdue}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

var countStatuses = []struct{ status, step string }{
	{"draft", "submit"}, {"intake", "intake"}, {"appraising", "appraise"}, {"returned", "supplement"},
	{"voting", "vote"}, {"deciding", "decide"}, {"forwarding", "forward"},
	{"decided", ""}, {"rejected", ""}, {"withdrawn", ""},
}

func TestDossierCountsAreKeptThroughEveryWrite(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.NewPool(t)
	if _, err := seed.Demo(ctx, pool, func(string) (string, error) { return "x", nil }); err != nil {
		t.Fatal(err)
	}
	var communes []string
	rows, err := pool.Query(ctx, `SELECT id FROM units WHERE level = 'commune' ORDER BY id LIMIT 12`)
	if err != nil {
		t.Fatal(err)
	}
	if communes, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil || len(communes) < 12 {
		t.Fatalf("communes %v: %v", communes, err)
	}
	var user int64
	var award string
	if err := pool.QueryRow(ctx, `SELECT (SELECT min(id) FROM users), (SELECT min(code) FROM awards)`).Scan(&user, &award); err != nil {
		t.Fatal(err)
	}
	now := time.Now()

	// A bulk insert: 600 dossiers over the communes, every status, some waiting at
	// the province, some without a current unit, due dates around now.
	if _, err := pool.Exec(ctx, `INSERT INTO nominations (workflow_id, unit_id, award_code, year, title, status, current_step,
			current_unit_id, route, created_by, stage_due_at)
		SELECT 'count-' || i, ($1::text[])[1 + i % 12], $2, 2026, 'Hồ sơ ' || i, ($3::text[])[1 + i % 10], ($4::text[])[1 + i % 10],
			CASE WHEN i % 7 = 0 THEN NULL WHEN i % 3 = 0 THEN $5 ELSE ($1::text[])[1 + i % 12] END,
			'[]', $6, CASE WHEN i % 10 < 7 THEN $7::timestamptz + (i % 11 - 5) * interval '1 day' END
		FROM generate_series(0, 599) AS i`,
		communes, award, column(countStatuses, 0), column(countStatuses, 1), seed.Province, user, now); err != nil {
		t.Fatal(err)
	}
	assertCountsKept(t, pool, "a bulk insert")
	// One more, as the app creates one.
	if _, err := pool.Exec(ctx, `INSERT INTO nominations (workflow_id, unit_id, award_code, year, title, status, current_unit_id, route, created_by)
		VALUES ('count-one', $1, $2, 2026, 'Một hồ sơ', 'draft', $1, '[]', $3)`, communes[0], award, user); err != nil {
		t.Fatal(err)
	}
	assertCountsKept(t, pool, "one insert")

	for _, u := range []struct{ what, sql string }{
		{"a step forward (status, step, current unit, due date)", `UPDATE nominations SET status = 'appraising', current_step = 'appraise',
			current_unit_id = '` + seed.Province + `', stage_due_at = now() - interval '1 day' WHERE workflow_id = 'count-one'`},
		{"a return to the commune", `UPDATE nominations SET status = 'returned', current_step = 'supplement', current_unit_id = unit_id
			WHERE workflow_id IN ('count-one', 'count-12', 'count-24')`},
		{"closing dossiers", `UPDATE nominations SET status = 'decided', current_step = '', current_unit_id = NULL, stage_due_at = NULL,
			closed_at = now() WHERE workflow_id IN ('count-2', 'count-5', 'count-one')`},
		{"a current unit handed over", `UPDATE nominations SET current_unit_id = '` + communes[1] + `' WHERE current_unit_id = '` + communes[0] + `'`},
		{"a reorganisation moving the dossiers of a commune", `UPDATE nominations SET unit_id = '` + communes[2] + `' WHERE unit_id = '` + communes[3] + `'`},
		{"a change that moves no count (the title)", `UPDATE nominations SET title = title || ' (sửa)' WHERE unit_id = '` + communes[4] + `'`},
		{"an update of no row", `UPDATE nominations SET status = 'draft' WHERE workflow_id = 'nobody'`},
		{"a step within the same status", `UPDATE nominations SET current_step = 'intake' WHERE status = 'appraising' AND workflow_id LIKE 'count-1%'`},
		{"a delete of one dossier", `DELETE FROM nominations WHERE workflow_id = 'count-7'`},
		{"a delete of several", `DELETE FROM nominations WHERE unit_id = '` + communes[5] + `'`},
	} {
		if _, err := pool.Exec(ctx, u.sql); err != nil {
			t.Fatalf("%s: %v", u.what, err)
		}
		assertCountsKept(t, pool, u.what)
	}

	// A change rolled back leaves the counts as they were.
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `UPDATE nominations SET status = 'withdrawn', current_step = '' WHERE unit_id = $1`, communes[6]); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	assertCountsKept(t, pool, "a rolled back update")

	// The dashboard's figures equal the former grouped scan's, for a commune, a
	// province's units and everyone.
	st := inbox.NewStore(pool)
	for _, units := range [][]string{communes[:1], communes, append(append([]string{}, communes...), seed.Province)} {
		got, err := st.NominationStats(ctx, units, now)
		if err != nil {
			t.Fatal(err)
		}
		want := statsDirect(t, pool, units, now)
		steps := map[string][2]int{}
		byUnit := map[string][2]int{}
		for k, v := range want {
			s := steps[k.step]
			steps[k.step] = [2]int{s[0] + v[0], s[1] + v[1]}
			if k.current != "" {
				u := byUnit[k.current]
				byUnit[k.current] = [2]int{u[0] + v[0], u[1] + v[1]}
			}
		}
		gotSteps := map[string][2]int{}
		for _, s := range got.BySteps {
			gotSteps[string(s.Step)] = [2]int{s.Open, s.Overdue}
		}
		if !reflect.DeepEqual(steps, gotSteps) {
			t.Errorf("units %v: by step %v, want %v", units, gotSteps, steps)
		}
		for _, w := range got.Waiting {
			if byUnit[w.UnitID] != [2]int{w.Open, w.Overdue} {
				t.Errorf("units %v: %s waits %d (%d overdue), want %v", units, w.UnitID, w.Open, w.Overdue, byUnit[w.UnitID])
			}
		}
		var byStatus int
		for _, s := range got.ByStatus {
			byStatus += s.Count
		}
		var total int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM nominations WHERE unit_id = ANY($1)`, units).Scan(&total); err != nil {
			t.Fatal(err)
		}
		if byStatus != total {
			t.Errorf("units %v: %d dossiers by status, %d in all", units, byStatus, total)
		}
	}

	// Concurrent writers: each moves random dossiers in its own transactions, some
	// held open a moment (so others find the counters taken), some rolled back.
	var ids []string
	rows, err = pool.Query(ctx, `SELECT id::text FROM nominations ORDER BY workflow_id`)
	if err != nil {
		t.Fatal(err)
	}
	if ids, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		t.Fatal(err)
	}
	writeConcurrently(t, pool, 1, func(tx pgx.Tx, rng *rand.Rand) error {
		for _, id := range pickInOrder(rng, ids) {
			s := countStatuses[rng.IntN(len(countStatuses))]
			cur := communes[rng.IntN(len(communes))]
			if _, err := tx.Exec(ctx, `UPDATE nominations SET status = $2, current_step = $3, current_unit_id = $4,
					unit_id = CASE WHEN $5 THEN $6 ELSE unit_id END WHERE id = $1`,
				id, s.status, s.step, cur, rng.IntN(10) == 0, communes[rng.IntN(len(communes))]); err != nil {
				return err
			}
		}
		return nil
	})
	assertCountsKept(t, pool, "concurrent writers")
	var keys, counters int
	if err := pool.QueryRow(ctx, `SELECT count(DISTINCT (unit_id, status, current_step, current_unit_id)), count(*) FROM nomination_counts`).Scan(&keys, &counters); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d keys in %d counter rows after the concurrent writers", keys, counters)

}

var errRollback = errors.New("rolled back on purpose")

// pickInOrder picks one to three of ids at random, sorted: writers that take rows
// in id order do not deadlock on the rows themselves.
func pickInOrder[T cmp.Ordered](rng *rand.Rand, ids []T) []T {
	pick := make([]T, 1+rng.IntN(3))
	for j := range pick {
		pick[j] = ids[rng.IntN(len(ids))]
	}
	slices.Sort(pick)
	return pick
}

// writeConcurrently runs 8 writers of 40 transactions each, write making one
// transaction's changes with its writer's random source (seeded with seed). A
// quarter of the transactions are held open 5 ms before they end, so that the
// others find the counters taken, and every 9th is rolled back. A writer that
// fails fails the test: a writer never waits on a counter, so none deadlocks.
func writeConcurrently(t *testing.T, pool *pgxpool.Pool, seed uint64, write func(tx pgx.Tx, rng *rand.Rand) error) {
	t.Helper()
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := range 8 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), seed))
			for i := range 40 {
				err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
					if err := write(tx, rng); err != nil {
						return err
					}
					if rng.IntN(4) == 0 {
						time.Sleep(5 * time.Millisecond)
					}
					if i%9 == 0 {
						return errRollback
					}
					return nil
				})
				if err != nil && !errors.Is(err, errRollback) {
					errs <- fmt.Errorf("writer %d: %w", w, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func column(xs []struct{ status, step string }, i int) []string {
	out := make([]string, len(xs))
	for j, x := range xs {
		out[j] = x.status
		if i == 1 {
			out[j] = x.step
		}
	}
	return out
}
