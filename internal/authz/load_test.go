package authz_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tdkt/tdkt/internal/authz"
	"github.com/tdkt/tdkt/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// seedTree inserts a province whose district LS-H01 and its commune are abolished on
// 2025-07-01, a commune created under the province on that day, and one created in 2030:
//
//	LS                      2000 –
//	├── LS-H01              2000 – 2025-07-01
//	│   └── LS-H01-X01      2000 – 2025-07-01
//	├── LS-X01              2025-07-01 –
//	└── LS-X02              2030-01-01 –
func seedTree(t *testing.T, db *pgxpool.Pool) {
	t.Helper()
	exec(t, db, `INSERT INTO levels (code, name, rank) VALUES
		('commune', 'xã', 1), ('district', 'huyện', 2), ('province', 'tỉnh', 3)
		ON CONFLICT DO NOTHING`)
	exec(t, db, `INSERT INTO units (id, parent_id, name, level, kind, valid_from, valid_to) VALUES
		('LS',         NULL,     'Lạng Sơn',     'province', 'people_committee', '2000-01-01', NULL),
		('LS-H01',     'LS',     'Huyện Một',    'district', 'people_committee', '2000-01-01', '2025-07-01'),
		('LS-H01-X01', 'LS-H01', 'Xã Một',       'commune',  'people_committee', '2000-01-01', '2025-07-01'),
		('LS-X01',     'LS',     'Xã Mới',       'commune',  'people_committee', '2025-07-01', NULL),
		('LS-X02',     'LS',     'Xã Tương Lai', 'commune',  'people_committee', '2030-01-01', NULL)`)
}

func exec(t *testing.T, db *pgxpool.Pool, sql string, args ...any) {
	t.Helper()
	if _, err := db.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("exec %q: %v", sql, err)
	}
}

// addUser inserts an active user of unit LS holding the given role in the given unit.
func addUser(t *testing.T, db *pgxpool.Pool, name, role, unit string) int64 {
	t.Helper()
	var id int64
	err := db.QueryRow(context.Background(), `
		INSERT INTO users (username, full_name, password_hash, unit_id)
		VALUES ($1, $1, 'x', 'LS') RETURNING id`, name).Scan(&id)
	if err != nil {
		t.Fatalf("insert user %s: %v", name, err)
	}
	exec(t, db, `INSERT INTO role_assignments (user_id, role, unit_id) VALUES ($1, $2, $3)`, id, role, unit)
	return id
}

type check struct {
	user           int64
	unit, obj, act string
	want           bool
}

func assertChecks(t *testing.T, e *authz.Enforcer, label string, checks []check) {
	t.Helper()
	for _, c := range checks {
		got, err := e.Allow(c.user, c.unit, c.obj, c.act)
		if err != nil {
			t.Fatalf("%s: Allow: %v", label, err)
		}
		if got != c.want {
			t.Errorf("%s: Allow(user %d, %s %s in %s) = %v, want %v", label, c.user, c.obj, c.act, c.unit, got, c.want)
		}
	}
}

func TestLoadReadsUnitsInForceAndActiveAssignments(t *testing.T) {
	ctx := context.Background()
	db := pgtest.NewPool(t)
	seedTree(t, db)
	districtAppraiser := addUser(t, db, "appraiser-h01", authz.RoleAppraiser, "LS-H01")
	oldClerk := addUser(t, db, "clerk-h01-x01", authz.RoleClerk, "LS-H01-X01")
	newClerk := addUser(t, db, "clerk-x01", authz.RoleClerk, "LS-X01")
	auditor := addUser(t, db, "auditor", authz.RoleAuditor, "LS")
	retired := addUser(t, db, "retired-admin", authz.RoleAdmin, "LS")
	exec(t, db, `UPDATE users SET active = false WHERE id = $1`, retired)

	before, err := authz.Load(ctx, db, time.Date(2025, 6, 30, 12, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	assertChecks(t, before, "2025-06-30", []check{
		{districtAppraiser, "LS-H01-X01", "nomination", "read", true},
		{districtAppraiser, "LS-H01", "nomination", "appraise", true},
		{oldClerk, "LS-H01-X01", "nomination", "create", true},
		{newClerk, "LS-X01", "nomination", "create", false}, // not yet in force
		{auditor, "LS-H01-X01", "nomination", "read", true},
		{retired, "LS", "unit", "manage", false},
	})
	if got := before.Roles(districtAppraiser); len(got) != 1 || got[0].UnitID != "LS-H01" {
		t.Errorf("2025-06-30: Roles(district appraiser) = %v, want the appraiser role in LS-H01", got)
	}

	// 00:30 on 1 July in Hà Nội is still 30 June in UTC: the date is taken in on's location.
	hanoi := time.FixedZone("ICT", 7*60*60)
	after, err := authz.Load(ctx, db, time.Date(2025, 7, 1, 0, 30, 0, 0, hanoi))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	assertChecks(t, after, "2025-07-01", []check{
		{districtAppraiser, "LS-H01", "nomination", "appraise", false},
		{districtAppraiser, "LS-H01-X01", "nomination", "read", false},
		{oldClerk, "LS-H01-X01", "nomination", "create", false},
		{newClerk, "LS-X01", "nomination", "create", true},
		{auditor, "LS-X01", "nomination", "read", true},
		{auditor, "LS-X02", "nomination", "read", false}, // from 2030
		{retired, "LS", "unit", "manage", false},
	})
	if got := after.Roles(districtAppraiser); len(got) != 0 {
		t.Errorf("2025-07-01: Roles(district appraiser) = %v, want none", got)
	}
	if got, want := after.VisibleUnits(auditor, "nomination", "read"), []string{"LS", "LS-X01"}; !slices.Equal(got, want) {
		t.Errorf("2025-07-01: VisibleUnits(auditor) = %v, want %v", got, want)
	}
}

func TestReloadPicksUpNewAndRemovedAssignments(t *testing.T) {
	ctx := context.Background()
	db := pgtest.NewPool(t)
	seedTree(t, db)
	on := time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)
	clerk := addUser(t, db, "clerk", authz.RoleClerk, "LS-X01")
	e, err := authz.Load(ctx, db, on)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}

	var appraiser int64
	if err := db.QueryRow(ctx, `INSERT INTO users (username, full_name, password_hash, unit_id)
		VALUES ('appraiser', 'appraiser', 'x', 'LS') RETURNING id`).Scan(&appraiser); err != nil {
		t.Fatalf("insert user: %v", err)
	}
	exec(t, db, `INSERT INTO role_assignments (user_id, role, unit_id) VALUES ($1, 'appraiser', 'LS')`, appraiser)
	exec(t, db, `DELETE FROM role_assignments WHERE user_id = $1`, clerk)

	assertChecks(t, e, "before Reload", []check{
		{clerk, "LS-X01", "nomination", "edit", true},
		{appraiser, "LS", "nomination", "appraise", false},
	})
	if err := e.Reload(ctx, db, on); err != nil {
		t.Fatalf("Reload: %v", err)
	}
	assertChecks(t, e, "after Reload", []check{
		{clerk, "LS-X01", "nomination", "edit", false},
		{appraiser, "LS", "nomination", "appraise", true},
		{appraiser, "LS-X01", "nomination", "read", true},
	})
	if got := e.Roles(clerk); len(got) != 0 {
		t.Errorf("after Reload: Roles(clerk) = %v, want none", got)
	}

	// A failed Reload keeps the previous snapshot.
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := e.Reload(cancelled, db, on); err == nil {
		t.Fatal("Reload with a cancelled context succeeded, want an error")
	}
	assertChecks(t, e, "after a failed Reload", []check{
		{appraiser, "LS", "nomination", "appraise", true},
	})
}

// TestAllowDuringReloadIsConsistent runs Allow from several goroutines while the
// assignments flip and Reload swaps snapshots; run it with -race. Answers that do not
// depend on the flipping assignment must never change.
func TestAllowDuringReloadIsConsistent(t *testing.T) {
	ctx := context.Background()
	db := pgtest.NewPool(t)
	seedTree(t, db)
	on := time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)
	auditor := addUser(t, db, "auditor", authz.RoleAuditor, "LS")
	clerk := addUser(t, db, "clerk", authz.RoleClerk, "LS-X01")
	flipping := addUser(t, db, "decider", authz.RoleDecider, "LS")
	e, err := authz.Load(ctx, db, on)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}

	var stop atomic.Bool
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	var sawGranted, sawRevoked atomic.Bool
	var reads atomic.Int64
	for g := range 4 {
		wg.Go(func() {
			for i := 0; !stop.Load(); i++ {
				unit := []string{"LS", "LS-X01"}[(g+i)%2]
				for _, c := range []check{
					{auditor, unit, "nomination", "read", true},
					{clerk, "LS-X01", "nomination", "submit", true},
					{clerk, "LS", "nomination", "appraise", false},
				} {
					got, err := e.Allow(c.user, c.unit, c.obj, c.act)
					if err != nil || got != c.want {
						errs <- fmt.Errorf("Allow(user %d, %s %s in %s) = %v, %v; want %v", c.user, c.obj, c.act, c.unit, got, err, c.want)
						return
					}
				}
				if ok, _ := e.Allow(flipping, "LS", "nomination", "decide"); ok {
					sawGranted.Store(true)
				} else {
					sawRevoked.Store(true)
				}
				_ = e.VisibleUnits(auditor, "nomination", "read")
				_ = e.Roles(flipping)
				reads.Add(1)
			}
		})
	}
	for i := range 20 {
		if i%2 == 0 {
			exec(t, db, `DELETE FROM role_assignments WHERE user_id = $1`, flipping)
		} else {
			exec(t, db, `INSERT INTO role_assignments (user_id, role, unit_id) VALUES ($1, 'decider', 'LS')`, flipping)
		}
		if err := e.Reload(ctx, db, on); err != nil {
			t.Errorf("Reload %d: %v", i, err)
		}
		// Let the readers run against this snapshot before the next swap.
		for seen := reads.Load(); reads.Load() < seen+8 && len(errs) == 0; {
			time.Sleep(time.Millisecond)
		}
	}
	stop.Store(true)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if !sawGranted.Load() || !sawRevoked.Load() {
		t.Errorf("the readers saw granted=%v revoked=%v; want both, or Reload did not swap while they ran", sawGranted.Load(), sawRevoked.Load())
	}
}

// TestFollowAppliesAChangeCommittedElsewhere: a replica that follows the database
// sees a role granted (and a user deactivated) through another connection without
// waiting for its periodic reload.
func TestFollowAppliesAChangeCommittedElsewhere(t *testing.T) {
	db := pgtest.NewPool(t)
	seedTree(t, db)
	clerk := addUser(t, db, "clerk.ls", "clerk", "LS")
	replica, err := authz.Load(context.Background(), db, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		replica.Follow(ctx, db, time.Now, 50*time.Millisecond, func(err error) { t.Logf("follow: %v", err) })
	}()
	t.Cleanup(func() { cancel(); <-done })

	allowed := func() bool {
		ok, err := replica.Allow(clerk, "LS-X01", "nomination", "create")
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	waitFor := func(what string, want bool) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			if allowed() == want {
				return
			}
		}
		t.Fatalf("the following replica never saw %s", what)
	}
	if allowed() {
		t.Fatal("the clerk of LS may create a dossier in LS-X01 before any grant")
	}
	exec(t, db, `INSERT INTO role_assignments (user_id, role, unit_id) VALUES ($1, 'clerk', 'LS-X01')`, clerk)
	waitFor("the grant", true)
	exec(t, db, `UPDATE users SET active = false WHERE id = $1`, clerk)
	waitFor("the deactivation", false)
}

// TestUsernamesAreUniqueInAnyLetterCase: the database itself refuses a second
// account whose username differs only in case (logins compare lower case).
func TestUsernamesAreUniqueInAnyLetterCase(t *testing.T) {
	db := pgtest.NewPool(t)
	seedTree(t, db)
	addUser(t, db, "xa.clerk", "clerk", "LS")
	_, err := db.Exec(context.Background(), `INSERT INTO users (username, full_name, password_hash, unit_id)
		VALUES ('Xa.Clerk', 'x', 'x', 'LS')`)
	if err == nil {
		t.Fatal("a second xa.clerk in other letter case was accepted")
	}
}
