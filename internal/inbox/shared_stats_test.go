package inbox_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tdkt/tdkt/internal/inbox"
	"github.com/tdkt/tdkt/internal/pgtest"
	"github.com/tdkt/tdkt/internal/seed"
	"github.com/tdkt/tdkt/internal/usecase"
)

// readersAuthz gives each user a fixed set of units where they may read dossiers.
type readersAuthz map[int64][]string

func (a readersAuthz) Allow(userID int64, unitID, _, _ string) (bool, error) {
	for _, u := range a[userID] {
		if u == unitID {
			return true, nil
		}
	}
	return false, nil
}

func (a readersAuthz) VisibleUnits(userID int64, _, _ string) []string { return a[userID] }

// TestDashboardFiguresOfALargeScopeAreSharedForAnIntervalAndSmallScopesStayExact:
// a reader of every unit gets figures counted at most SharedStatsTTL ago, marked
// shared and with the moment they were counted, and a new dossier shows up in them
// once the interval has passed (counted ahead, in its last quarter); a commune's
// reader sees it at once. Both equal a direct count when they are counted.
func TestDashboardFiguresOfALargeScopeAreSharedForAnIntervalAndSmallScopesStayExact(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.NewPool(t)
	if _, err := seed.Demo(ctx, pool, func(string) (string, error) { return "x", nil }); err != nil {
		t.Fatal(err)
	}
	rows, err := pool.Query(ctx, `SELECT id FROM units ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	all, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	var commune string
	var user int64
	var award string
	if err := pool.QueryRow(ctx, `SELECT (SELECT min(id) FROM units WHERE level = 'commune'), (SELECT min(id) FROM users),
			(SELECT min(code) FROM awards)`).Scan(&commune, &user, &award); err != nil {
		t.Fatal(err)
	}
	const ministry, clerk = 1, 2
	now := time.Now().Truncate(time.Second)
	svc := inbox.New(&usecase.Base{Authz: readersAuthz{ministry: all, clerk: {commune}}, Now: func() time.Time { return now }},
		inbox.NewStore(pool), nil, nil)
	svc.SharedStatsMinUnits = 100
	if len(all) < svc.SharedStatsMinUnits {
		t.Fatalf("the demo has %d units, fewer than the shared scope's %d", len(all), svc.SharedStatsMinUnits)
	}
	addDossier := func(name string) {
		t.Helper()
		if _, err := pool.Exec(ctx, `INSERT INTO nominations (workflow_id, unit_id, award_code, year, title, status, current_step,
				current_unit_id, route, created_by, stage_due_at)
			VALUES ($1, $2, $3, 2026, $1, 'appraising', 'appraise', $2, '[]', $4, $5)`,
			name, commune, award, user, now.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	addDossier("shared-1")
	// check reads the figures of a reader and compares them with a direct count as of
	// asOf, and returns the number of overdue dossiers at the appraisal.
	check := func(reader int64, asOf time.Time, shared bool) int {
		t.Helper()
		st, err := svc.DossierStats(ctx, reader)
		if err != nil {
			t.Fatal(err)
		}
		if st.Shared != shared || !st.AsOf.Equal(asOf) {
			t.Fatalf("reader %d at %v: shared %v as of %v, want %v as of %v", reader, now, st.Shared, st.AsOf, shared, asOf)
		}
		if shared && st.Every != svc.SharedStatsTTL {
			t.Errorf("shared figures counted every %v, want %v", st.Every, svc.SharedStatsTTL)
		}
		var overdue int
		for _, s := range st.BySteps {
			if s.Step == "appraise" {
				overdue = s.Overdue
			}
		}
		return overdue
	}
	direct := func(units []string, at time.Time) int {
		t.Helper()
		var n int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM nominations WHERE unit_id = ANY($1) AND current_step = 'appraise'
				AND status NOT IN ('decided', 'rejected', 'withdrawn') AND stage_due_at < $2`, units, at).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	t0 := now
	before := check(ministry, t0, true)
	if want := direct(all, t0); before != want {
		t.Fatalf("shared figures: %d overdue, a direct count %d", before, want)
	}
	if got, want := check(clerk, t0, false), direct([]string{commune}, t0); got != want {
		t.Fatalf("the commune's figures: %d overdue, a direct count %d", got, want)
	}

	addDossier("shared-2")
	now = t0.Add(time.Second)
	if got, want := check(clerk, now, false), direct([]string{commune}, now); got != want || got != 2 {
		t.Fatalf("the commune's figures after a new dossier: %d overdue, a direct count %d, want 2", got, want)
	}
	now = t0.Add(svc.SharedStatsTTL / 2)
	if got := check(ministry, t0, true); got != before {
		t.Fatalf("within the interval the shared figures changed: %d overdue, were %d", got, before)
	}
	// In the interval's last quarter the reader still gets them, and they are
	// counted anew, as of then, in the background; readers after the interval get
	// those, waiting for the count if it has not ended.
	ahead := t0.Add(svc.SharedStatsTTL - time.Second)
	now = ahead
	if got := check(ministry, t0, true); got != before {
		t.Fatalf("in the interval's last quarter the shared figures changed: %d overdue, were %d", got, before)
	}
	now = t0.Add(svc.SharedStatsTTL)
	if got, want := check(ministry, ahead, true), direct(all, ahead); got != want || got != before+1 {
		t.Fatalf("after the interval: %d overdue, a direct count %d, were %d", got, want, before)
	}
	now = ahead

	// The rest of the shared figures equal the exact ones of the same scope.
	shared, err := svc.DossierStats(ctx, ministry)
	if err != nil {
		t.Fatal(err)
	}
	exact, err := svc.Store.NominationStats(ctx, all, now)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(shared.ByStatus, exact.ByStatus) || !reflect.DeepEqual(shared.BySteps, exact.BySteps) ||
		!reflect.DeepEqual(shared.Waiting, exact.Waiting) {
		t.Errorf("shared figures %+v, exact ones %+v", shared, exact)
	}
}
