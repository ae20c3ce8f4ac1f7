package admin_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/tdkt/tdkt/internal/accounts"
	"github.com/tdkt/tdkt/internal/admin"
	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/password"
	"github.com/tdkt/tdkt/internal/pgtest"
	"github.com/tdkt/tdkt/internal/refdata"
	"github.com/tdkt/tdkt/internal/seed"
	"golang.org/x/crypto/bcrypt"
)

// TestUnitLevelsFollowTheChainExceptForAgenciesAtTheirParentsLevel checks the
// level rule of CreateUnit against the levels table: a people's committee sits
// strictly below its parent, a department may sit at its parent's level, nothing
// above it; a refused unit leaves no row and no audit event.
func TestUnitLevelsFollowTheChainExceptForAgenciesAtTheirParentsLevel(t *testing.T) {
	st := demoStore(t)
	ctx := context.Background()
	ch := admin.AdminChange{ActorID: 1, At: time.Date(2025, 6, 16, 3, 0, 0, 0, time.UTC)}
	day := time.Date(2025, 6, 16, 0, 0, 0, 0, time.UTC)
	count := func(q string) int {
		var n int
		if err := st.Pool.QueryRow(ctx, q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	events := count(`SELECT count(*) FROM audit_events`)
	for _, c := range []struct {
		unit admin.NewUnit
		kind domain.ErrorKind // "" for success
	}{
		{admin.NewUnit{ID: "LS-SKHCN", ParentID: seed.Province, Name: "Sở Khoa học và Công nghệ", Level: "province", Kind: "department", Subkind: "so", ValidFrom: day}, ""},
		{admin.NewUnit{ID: "LS-12", ParentID: seed.Province, Name: "UBND huyện Mới", Level: "district", Kind: "people_committee", Subkind: "huyen", ValidFrom: day}, ""},
		{admin.NewUnit{ID: "LS-13", ParentID: seed.Province, Name: "UBND tỉnh trong tỉnh", Level: "province", Kind: "people_committee", ValidFrom: day}, domain.KindInvalid},
		{admin.NewUnit{ID: "LS-14", ParentID: seed.Province, Name: "Bộ trong tỉnh", Level: "central", Kind: "ministry", ValidFrom: day}, domain.KindInvalid},
		{admin.NewUnit{ID: "LS-15", ParentID: "NO-SUCH", Name: "Mồ côi", Level: "commune", Kind: "people_committee", ValidFrom: day}, domain.KindInvalid},
		{admin.NewUnit{ID: "ls-12", ParentID: seed.Province, Name: "Trùng mã", Level: "district", Kind: "people_committee", ValidFrom: day}, domain.KindConflict},
	} {
		err := st.CreateUnit(ctx, c.unit, ch)
		if c.kind == "" && err != nil {
			t.Errorf("%s: %v", c.unit.ID, err)
		}
		if c.kind != "" && domain.KindOf(err) != c.kind {
			t.Errorf("%s: %v, want %s", c.unit.ID, err, c.kind)
		}
	}
	if n := count(`SELECT count(*) FROM units WHERE id IN ('LS-13', 'LS-14', 'LS-15', 'ls-12')`); n != 0 {
		t.Errorf("%d refused units were written", n)
	}
	if n := count(`SELECT count(*) FROM audit_events`) - events; n != 2 {
		t.Errorf("%d audit events for 2 created units", n)
	}
}

// TestConcurrentRevocationsKeepTheAdministratorsLastAdminRole races two
// revocations of an administrator's own two admin roles: one passes, the other is
// refused, and one admin role is left.
func TestConcurrentRevocationsKeepTheAdministratorsLastAdminRole(t *testing.T) {
	st := demoStore(t)
	ctx := context.Background()
	var id int64
	if err := st.Pool.QueryRow(ctx, `SELECT id FROM users WHERE username = 'tinh.admin'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	ch := admin.AdminChange{ActorID: id, At: time.Now()}
	if err := st.GrantRole(ctx, id, admin.RoleAdmin, seed.DemoDistrict, admin.AdminChange{ActorID: 1, At: time.Now()}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, unit := range []string{seed.Province, seed.DemoDistrict} {
		wg.Go(func() { errs[i] = st.RevokeRole(ctx, id, admin.RoleAdmin, unit, ch) })
	}
	wg.Wait()
	ok, refused := 0, 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case domain.IsKind(err, domain.KindConflict):
			refused++
		default:
			t.Fatalf("revoke: %v", err)
		}
	}
	var left int
	if err := st.Pool.QueryRow(ctx, `SELECT count(*) FROM role_assignments WHERE user_id = $1 AND role = 'admin'`, id).Scan(&left); err != nil {
		t.Fatal(err)
	}
	if ok != 1 || refused != 1 || left != 1 {
		t.Fatalf("%d revoked, %d refused, %d admin roles left; want 1, 1, 1", ok, refused, left)
	}
}

// TestReferenceDataAndCredentialChangesAreAudited: every change an administrator
// or a user makes outside dossiers — the holiday calendar, time limits, base
// salaries, a lockout cleared, an API token issued or revoked — leaves its audit
// event with the actor, and a refused change leaves none. A password reset also
// ends the account's lockout.
func TestReferenceDataAndCredentialChangesAreAudited(t *testing.T) {
	st := demoStore(t)
	ctx := context.Background()
	var adminID, clerk int64
	if err := st.Pool.QueryRow(ctx, `SELECT (SELECT id FROM users WHERE username = 'tw.admin'), (SELECT id FROM users WHERE username = 'xa.clerk')`).Scan(&adminID, &clerk); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC)
	ch := admin.AdminChange{ActorID: adminID, At: at}
	actions := func() map[string]int64 {
		rows, err := st.Pool.Query(ctx, `SELECT action, actor_id FROM audit_events WHERE nomination_id IS NULL ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		out := map[string]int64{}
		for rows.Next() {
			var a string
			var actor int64
			if err := rows.Scan(&a, &actor); err != nil {
				t.Fatal(err)
			}
			out[a] = actor
		}
		return out
	}
	before := len(actions())

	day := calendar.Date{Year: 2027, Month: 1, Day: 4}
	if err := refdata.NewStore(st.Pool).PutCalendarOverrides(ctx, 2027, []calendar.Override{{Date: day, Kind: calendar.OverrideOff, Name: "Nghỉ bù"}}, ch); err != nil {
		t.Fatal(err)
	}
	if err := refdata.NewStore(st.Pool).DeleteCalendarOverride(ctx, day, ch); err != nil {
		t.Fatal(err)
	}
	if err := refdata.NewStore(st.Pool).DeleteCalendarOverride(ctx, day, ch); domain.KindOf(err) != domain.KindNotFound {
		t.Fatalf("deleting a missing override: %v", err)
	}
	limits, err := refdata.NewStore(st.Pool).ListStepTimeLimits(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := refdata.NewStore(st.Pool).PutStepTimeLimits(ctx, limits[:1], ch); err != nil {
		t.Fatal(err)
	}
	if err := refdata.NewStore(st.Pool).PutStepTimeLimits(ctx, []refdata.StepTimeLimit{{Step: "no-such-step", WorkingDays: 5}}, ch); domain.KindOf(err) != domain.KindInvalid {
		t.Fatalf("an unknown step: %v", err)
	}
	salaries, err := refdata.NewStore(st.Pool).ListBaseSalaries(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := refdata.NewStore(st.Pool).PutBaseSalaries(ctx, salaries, ch); err != nil {
		t.Fatal(err)
	}
	tok, err := accounts.NewStore(st.Pool).CreateAPIToken(ctx, clerk, "báo cáo", []byte("hash-of-a-token-0123456789abcdef"), at, at.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if err := accounts.NewStore(st.Pool).RevokeAPIToken(ctx, clerk, tok.ID, at); err != nil {
		t.Fatal(err)
	}
	if err := accounts.NewStore(st.Pool).RevokeAPIToken(ctx, adminID, tok.ID, at); domain.KindOf(err) != domain.KindNotFound {
		t.Fatalf("revoking another user's token: %v", err)
	}
	if err := accounts.NewStore(st.Pool).Lock(ctx, admin.LockAccount, "xa.clerk", at, at.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := st.ClearLockouts(ctx, admin.LockAccount, "xa.clerk", ch); err != nil {
		t.Fatal(err)
	}

	got := actions()
	want := map[string]int64{
		"admin.calendar.put": adminID, "admin.calendar.delete": adminID, "admin.time_limits.put": adminID,
		"admin.base_salaries.put": adminID, "security.token.create": clerk, "security.token.revoke": clerk,
		"admin.lockout.clear": adminID,
	}
	for a, actor := range want {
		if got[a] != actor {
			t.Errorf("audit event %s by %d, want by %d (have %v)", a, got[a], actor, got)
		}
	}
	if n := len(got) - before; n != len(want) {
		t.Errorf("%d audit events, want %d: refused changes must leave none", n, len(want))
	}

	// A lockout ends with a password reset.
	if err := accounts.NewStore(st.Pool).Lock(ctx, admin.LockAccount, "xa.clerk", at.Add(time.Minute), at.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, locked, err := accounts.NewStore(st.Pool).ActiveLockout(ctx, admin.LockAccount, "xa.clerk", at.Add(2*time.Minute)); err != nil || !locked {
		t.Fatalf("locked before the reset: %v, %v", locked, err)
	}
	if err := st.ResetPassword(ctx, clerk, "new-hash", admin.AdminChange{ActorID: adminID, At: at.Add(2 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if _, locked, err := accounts.NewStore(st.Pool).ActiveLockout(ctx, admin.LockAccount, "xa.clerk", at.Add(3*time.Minute)); err != nil || locked {
		t.Fatalf("still locked after the password reset: %v, %v", locked, err)
	}
}

func demoStore(t *testing.T) *admin.Store {
	t.Helper()
	pool := pgtest.NewPool(t)
	if _, err := seed.Demo(context.Background(), pool, password.Hasher{Cost: bcrypt.MinCost}.Hash); err != nil {
		t.Fatal(err)
	}
	return admin.NewStore(pool)
}
