package inbox_test

import (
	"context"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/inbox"
	"github.com/tdkt/tdkt/internal/pgtest"
	"github.com/tdkt/tdkt/internal/seed"
)

// The deadline board's kept counts (task_counts, migration 0026) against a direct
// count of the open tasks, after every kind of write, and the board's figures
// against the statement that read every open task.

type taskKey struct {
	unit, step string
	due        time.Time // time.Time{} for a task without a due date
}

func taskCounts(t *testing.T, pool *pgxpool.Pool, q string) map[taskKey]int64 {
	t.Helper()
	rows, err := pool.Query(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	out := map[taskKey]int64{}
	var k taskKey
	var due *time.Time // NULL: a task without a due date
	var n int64
	if _, err := pgx.ForEachRow(rows, []any{&k.unit, &k.step, &due, &n}, func() error {
		k.due = time.Time{}
		if due != nil {
			k.due = due.UTC()
		}
		out[k] = n
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func assertTaskCountsKept(t *testing.T, pool *pgxpool.Pool, after string) {
	t.Helper()
	want := taskCounts(t, pool, `SELECT unit_id, step, due_at, count(*) FROM tasks WHERE status = 'open' GROUP BY 1, 2, 3`)
	got := taskCounts(t, pool, `SELECT unit_id, step, CASE WHEN due_at = 'infinity' THEN NULL ELSE due_at END, sum(n)::bigint
		FROM task_counts GROUP BY 1, 2, 3 HAVING sum(n) <> 0`)
	if len(want) == 0 {
		t.Fatalf("after %s: no open task to count", after)
	}
	assertKeptAsCounted(t, after, want, got)
}

// assertBoardAsReadFromTasks compares the board's counts with the statement that
// read every open task, over every unit, with limits at risk on some steps.
func assertBoardAsReadFromTasks(t *testing.T, pool *pgxpool.Pool, units []string, now time.Time, after string) {
	t.Helper()
	atRisk := map[domain.Step]time.Time{"appraise": now.Add(30 * time.Hour), "vote": now.Add(70 * time.Hour), "decide": now}
	if got, want := boardAndOneJoin(t, pool, units, now, now.Add(90*time.Hour), atRisk); !reflect.DeepEqual(got, want) {
		t.Fatalf("after %s, the board's counts:\n got %v\nwant %v", after, got, want)
	}
}

func TestTaskCountsAreKeptThroughEveryWrite(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.NewPool(t)
	// Due dates to the microsecond, as PostgreSQL keeps them.
	now := time.Now().Truncate(time.Microsecond)
	units := seedTasksEverywhere(t, pool, now) // a bulk insert, open and done, some without a due date
	assertTaskCountsKept(t, pool, "a bulk insert")
	assertBoardAsReadFromTasks(t, pool, units, now, "a bulk insert")

	var nomination string
	if err := pool.QueryRow(ctx, `SELECT nomination_id::text FROM tasks WHERE unit_id = $1 AND status = 'open' ORDER BY id LIMIT 1`,
		seed.DemoCommune).Scan(&nomination); err != nil {
		t.Fatal(err)
	}
	day := now.Add(48 * time.Hour)
	for _, u := range []struct {
		what, sql string
		args      []any
	}{
		{"one task opened, as a step opens", `INSERT INTO tasks (nomination_id, seq, step, unit_id, role, due_at, created_at)
			VALUES ($1, 2, 'appraise', $2, 'appraiser', $3, $3)`, []any{nomination, seed.Province, day}},
		{"one task opened without a due date", `INSERT INTO tasks (nomination_id, seq, step, unit_id, role, created_at)
			VALUES ($1, 3, 'vote', $2, 'council', now())`, []any{nomination, seed.Province}},
		{"a done task written as done", `INSERT INTO tasks (nomination_id, seq, step, unit_id, role, status, due_at, created_at)
			VALUES ($1, 4, 'decide', $2, 'decider', 'done', $3, $3)`, []any{nomination, seed.Province, day}},
		{"tasks closed, as an action closes its stage", `UPDATE tasks SET status = 'done', done_at = now(), outcome = 'accept'
			WHERE nomination_id = $1 AND status = 'open'`, []any{nomination}},
		{"tasks cancelled", `UPDATE tasks SET status = 'cancelled' WHERE id IN (SELECT id FROM tasks WHERE status = 'open' ORDER BY id LIMIT 40)`, nil},
		{"a done task opened again", `UPDATE tasks SET status = 'open' WHERE id = (SELECT min(id) FROM tasks WHERE status = 'done')`, nil},
		{"due dates moved, as a paused clock resumes", `UPDATE tasks SET due_at = due_at + interval '3 days'
			WHERE status = 'open' AND unit_id = $1`, []any{seed.DemoCommune}},
		{"a due date removed and one set", `UPDATE tasks SET due_at = CASE WHEN due_at IS NULL THEN $1::timestamptz END
			WHERE id IN (SELECT id FROM tasks WHERE status = 'open' ORDER BY id DESC LIMIT 6)`, []any{day}},
		{"tasks handed over to another unit", `UPDATE tasks SET unit_id = $1 WHERE status = 'open' AND unit_id = $2`,
			[]any{seed.Province, seed.DemoCommune}},
		{"a step renamed on open and done tasks", `UPDATE tasks SET step = 'concur' WHERE step = 'forward'`, nil},
		{"a claim and a reminder, which move no count", `UPDATE tasks SET assignee_id = (SELECT min(id) FROM users), reminded_at = now()
			WHERE status = 'open' AND step = 'appraise'`, nil},
		{"an update of no row", `UPDATE tasks SET status = 'done' WHERE id = -1`, nil},
		{"a task deleted", `DELETE FROM tasks WHERE id = (SELECT max(id) FROM tasks WHERE status = 'open')`, nil},
		{"a dossier deleted with its tasks", `DELETE FROM nominations WHERE id = (SELECT nomination_id FROM tasks
			WHERE status = 'open' ORDER BY id LIMIT 1)`, nil},
	} {
		if _, err := pool.Exec(ctx, u.sql, u.args...); err != nil {
			t.Fatalf("%s: %v", u.what, err)
		}
		assertTaskCountsKept(t, pool, u.what)
	}
	assertBoardAsReadFromTasks(t, pool, units, now, "the single writes")

	// A change rolled back leaves the counts as they were.
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `UPDATE tasks SET status = 'done' WHERE status = 'open' AND unit_id = $1`, seed.Province); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	assertTaskCountsKept(t, pool, "a rolled back update")

	// Concurrent writers: each closes, opens, moves and hands over random tasks in
	// its own transactions, some held open a moment (so that the others find the
	// counters taken), some rolled back.
	rows, err := pool.Query(ctx, `SELECT id FROM tasks ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		t.Fatal(err)
	}
	writeConcurrently(t, pool, 2, func(tx pgx.Tx, rng *rand.Rand) error {
		for _, id := range pickInOrder(rng, ids) {
			status := []string{"open", "open", "done", "cancelled"}[rng.IntN(4)]
			// Few due dates, as the calendar gives them: the writers meet on the same counters.
			due := now.Add(time.Duration(rng.IntN(4)-2) * 24 * time.Hour)
			if _, err := tx.Exec(ctx, `UPDATE tasks SET status = $2, due_at = $3,
					unit_id = CASE WHEN $4 THEN $5 ELSE unit_id END WHERE id = $1`,
				id, status, due, rng.IntN(10) == 0, units[rng.IntN(len(units))]); err != nil {
				return err
			}
		}
		return nil
	})
	assertTaskCountsKept(t, pool, "concurrent writers")
	assertBoardAsReadFromTasks(t, pool, units, now, "concurrent writers")

	// The empty counters are purged in batches, and the counts stay.
	var empty int64
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM task_counts WHERE n = 0`).Scan(&empty); err != nil {
		t.Fatal(err)
	}
	if empty < 2 {
		t.Fatalf("%d empty counters after closing and moving tasks; the purge has nothing to show", empty)
	}
	st := inbox.NewStore(pool)
	if n, err := st.PurgeTaskCounts(ctx, 1); err != nil || n != 1 {
		t.Fatalf("a purge of at most 1 removed %d: %v", n, err)
	}
	if n, err := st.PurgeTaskCounts(ctx, 10_000); err != nil || n != empty-1 {
		t.Fatalf("the purge removed %d of the %d left: %v", n, empty-1, err)
	}
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM task_counts WHERE n = 0`).Scan(&empty); err != nil || empty != 0 {
		t.Fatalf("%d empty counters after the purge: %v", empty, err)
	}
	assertTaskCountsKept(t, pool, "the purge")
	assertBoardAsReadFromTasks(t, pool, units, now, "the purge")
	// A task opened at a purged key counts again.
	if _, err := pool.Exec(ctx, `UPDATE tasks SET status = 'open', due_at = $1 WHERE id = (SELECT min(id) FROM tasks WHERE status <> 'open')`,
		now.Add(-72*time.Hour)); err != nil {
		t.Fatal(err)
	}
	assertTaskCountsKept(t, pool, "a task opened after the purge")

	// TRUNCATE empties the counts with the tasks.
	if _, err := pool.Exec(ctx, `TRUNCATE tasks`); err != nil {
		t.Fatal(err)
	}
	var left int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM task_counts`).Scan(&left); err != nil || left != 0 {
		t.Fatalf("%d counter rows after TRUNCATE tasks: %v", left, err)
	}
}
