package inbox_test

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tdkt/tdkt/internal/admin"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/inbox"
	"github.com/tdkt/tdkt/internal/pgtest"
	"github.com/tdkt/tdkt/internal/seed"
)

// TestDeadlineCountsEqualEachTaskClassifiedOneByOne: the board's one statement
// (open, due soon, overdue and at risk by unit and step) against every open task
// read and classified in Go, for a few units, with steps with and without an
// at-risk limit, tasks without a due date, done tasks and tasks of other units.
func TestDeadlineCountsEqualEachTaskClassifiedOneByOne(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.NewPool(t)
	if _, err := seed.Demo(ctx, pool, func(string) (string, error) { return "x", nil }); err != nil {
		t.Fatal(err)
	}
	rows, err := pool.Query(ctx, `SELECT id FROM units WHERE level = 'commune' ORDER BY id LIMIT 6`)
	if err != nil {
		t.Fatal(err)
	}
	communes, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().Truncate(time.Microsecond)
	steps := []string{"submit", "intake", "appraise", "vote", "decide"}
	if _, err := pool.Exec(ctx, `
		INSERT INTO nominations (workflow_id, unit_id, award_code, year, title, status, current_step, current_unit_id, route, created_by)
		SELECT 'dl-' || i, ($1::text[])[1 + i % 6], (SELECT min(code) FROM awards), 2026, 'Hồ sơ ' || i, 'appraising', 'appraise',
			($1::text[])[1 + i % 6], '[]', (SELECT min(id) FROM users)
		FROM generate_series(0, 299) AS i`, communes); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `
		INSERT INTO tasks (nomination_id, seq, step, unit_id, role, status, due_at, created_at)
		SELECT n.id, 1, ($1::text[])[1 + i % 5], n.unit_id, 'appraiser', CASE WHEN i % 9 = 0 THEN 'done' ELSE 'open' END,
			CASE WHEN i % 11 = 0 THEN NULL ELSE $2::timestamptz + (i % 13 - 6) * interval '17 hours' END, $2
		FROM nominations n JOIN LATERAL (SELECT substr(n.workflow_id, 4)::int AS i) g ON true
		WHERE n.workflow_id LIKE 'dl-%'`, steps, now); err != nil {
		t.Fatal(err)
	}
	soon := now.Add(50 * time.Hour)
	atRisk := map[domain.Step]time.Time{"appraise": now.Add(30 * time.Hour), "vote": now.Add(70 * time.Hour), "decide": now}
	units := communes[:4]

	got, err := inbox.NewStore(pool).DeadlineCounts(ctx, units, now, soon, atRisk)
	if err != nil {
		t.Fatal(err)
	}
	type key struct{ unit, step string }
	gotBy := map[key]inbox.DeadlineCount{}
	for _, c := range got {
		gotBy[key{c.UnitID, string(c.Step)}] = c
	}
	rows, err = pool.Query(ctx, `SELECT unit_id, step, due_at FROM tasks WHERE status = 'open' AND unit_id = ANY($1)`, units)
	if err != nil {
		t.Fatal(err)
	}
	want := map[key]inbox.DeadlineCount{}
	var unit, step string
	var due *time.Time
	if _, err := pgx.ForEachRow(rows, []any{&unit, &step, &due}, func() error {
		k := key{unit, step}
		c := want[k]
		c.UnitID, c.Step = unit, domain.Step(step)
		c.Open++
		if due != nil {
			if !due.Before(now) && !due.After(soon) {
				c.DueSoon++
			}
			if due.Before(now) {
				c.Overdue++
			}
			if until, ok := atRisk[domain.Step(step)]; ok && !due.Before(now) && !due.After(until) {
				c.AtRisk++
			}
		}
		want[k] = c
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(gotBy, want) {
		t.Errorf("counts\n got %v\nwant %v", gotBy, want)
	}
	var atRiskSeen int
	for _, c := range want {
		atRiskSeen += c.AtRisk
	}
	if len(want) < 10 || atRiskSeen == 0 {
		t.Fatalf("the data tests too little: %d groups, %d at risk", len(want), atRiskSeen)
	}
}

// TestBoardUnitsAreTheTreeInForceBelowTheUnit: the units the deadline board reads
// (admin.Subtree, admin.UnitsInForce) are those of the whole tree in force
// (admin.Units) below the unit, or of the ids given, and none for a unit ended.
func TestBoardUnitsAreTheTreeInForceBelowTheUnit(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.NewPool(t)
	if _, err := seed.Demo(ctx, pool, func(string) (string, error) { return "x", nil }); err != nil {
		t.Fatal(err)
	}
	// A district ends: its communes are no longer in the tree in force.
	var district string
	if err := pool.QueryRow(ctx, `SELECT min(parent_id) FROM units WHERE level = 'commune' AND parent_id <> $1`, seed.DemoDistrict).
		Scan(&district); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `UPDATE units SET valid_to = now() - interval '1 day' WHERE id = $1`, district); err != nil {
		t.Fatal(err)
	}
	st := admin.NewStore(pool)
	now := time.Now()
	all, err := st.Units(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	inForce := map[string]domain.Unit{}
	for _, u := range all {
		inForce[u.ID] = u
	}
	if _, ok := inForce[district]; ok {
		t.Fatalf("the ended district %s is in force", district)
	}
	below := func(root string) []string {
		var out []string
		for _, u := range all {
			for id := u.ID; id != ""; id = inForce[id].ParentID {
				if id == root {
					out = append(out, u.ID)
					break
				}
			}
		}
		slices.Sort(out)
		return out
	}
	ids := func(us []domain.Unit) []string {
		out := make([]string, len(us))
		for i, u := range us {
			out[i] = u.ID
			if !reflect.DeepEqual(u, inForce[u.ID]) {
				t.Errorf("unit %+v, in the tree %+v", u, inForce[u.ID])
			}
		}
		slices.Sort(out)
		return out
	}
	for _, root := range []string{seed.Province, seed.DemoDistrict} {
		sub, err := st.Subtree(ctx, root, now)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := ids(sub), below(root); !slices.Equal(got, want) || len(got) < 2 {
			t.Errorf("subtree of %s: %v, want %v", root, got, want)
		}
	}
	if sub, err := st.Subtree(ctx, district, now); err != nil || len(sub) != 0 {
		t.Errorf("subtree of the ended district: %v, %v", sub, err)
	}
	some := []string{seed.Province, seed.DemoDistrict, district, "NOPE"}
	got, err := st.UnitsInForce(ctx, now, some)
	if err != nil {
		t.Fatal(err)
	}
	if ids := ids(got); !slices.Equal(ids, []string{seed.Province, seed.DemoDistrict}) {
		t.Errorf("units in force of %v: %v", some, ids)
	}
}
