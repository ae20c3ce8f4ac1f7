package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/seed"
	"github.com/tdkt/tdkt/internal/store"
)

// TestUnitLevelsFollowTheChainExceptForAgenciesAtTheirParentsLevel checks the
// level rule of CreateUnit against the levels table: a people's committee sits
// strictly below its parent, a department may sit at its parent's level, nothing
// above it; a refused unit leaves no row and no audit event.
func TestUnitLevelsFollowTheChainExceptForAgenciesAtTheirParentsLevel(t *testing.T) {
	st := demoStore(t)
	ctx := context.Background()
	ch := store.AdminChange{ActorID: 1, At: time.Date(2025, 6, 16, 3, 0, 0, 0, time.UTC)}
	day := time.Date(2025, 6, 16, 0, 0, 0, 0, time.UTC)
	count := func(q string) int {
		var n int
		if err := st.Pool().QueryRow(ctx, q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	events := count(`SELECT count(*) FROM audit_events`)
	for _, c := range []struct {
		unit store.NewUnit
		kind domain.ErrorKind // "" for success
	}{
		{store.NewUnit{ID: "LS-SKHCN", ParentID: seed.Province, Name: "Sở Khoa học và Công nghệ", Level: "province", Kind: "department", Subkind: "so", ValidFrom: day}, ""},
		{store.NewUnit{ID: "LS-12", ParentID: seed.Province, Name: "UBND huyện Mới", Level: "district", Kind: "people_committee", Subkind: "huyen", ValidFrom: day}, ""},
		{store.NewUnit{ID: "LS-13", ParentID: seed.Province, Name: "UBND tỉnh trong tỉnh", Level: "province", Kind: "people_committee", ValidFrom: day}, domain.KindInvalid},
		{store.NewUnit{ID: "LS-14", ParentID: seed.Province, Name: "Bộ trong tỉnh", Level: "central", Kind: "ministry", ValidFrom: day}, domain.KindInvalid},
		{store.NewUnit{ID: "LS-15", ParentID: "NO-SUCH", Name: "Mồ côi", Level: "commune", Kind: "people_committee", ValidFrom: day}, domain.KindInvalid},
		{store.NewUnit{ID: "ls-12", ParentID: seed.Province, Name: "Trùng mã", Level: "district", Kind: "people_committee", ValidFrom: day}, domain.KindConflict},
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
	if err := st.Pool().QueryRow(ctx, `SELECT id FROM users WHERE username = 'tinh.admin'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	ch := store.AdminChange{ActorID: id, At: time.Now()}
	if err := st.GrantRole(ctx, id, store.RoleAdmin, seed.DemoDistrict, store.AdminChange{ActorID: 1, At: time.Now()}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, unit := range []string{seed.Province, seed.DemoDistrict} {
		wg.Go(func() { errs[i] = st.RevokeRole(ctx, id, store.RoleAdmin, unit, ch) })
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
	if err := st.Pool().QueryRow(ctx, `SELECT count(*) FROM role_assignments WHERE user_id = $1 AND role = 'admin'`, id).Scan(&left); err != nil {
		t.Fatal(err)
	}
	if ok != 1 || refused != 1 || left != 1 {
		t.Fatalf("%d revoked, %d refused, %d admin roles left; want 1, 1, 1", ok, refused, left)
	}
}
