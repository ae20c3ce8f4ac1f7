package authz_test

import (
	"context"
	"testing"
	"time"

	"github.com/tdkt/tdkt/internal/authz"
	"github.com/tdkt/tdkt/internal/pgtest"
)

// TestFollowAppliesAssignmentChangesIncrementally: a grant, a statement granting to two
// users and a revocation, each committed in PostgreSQL, reach a following replica
// without a full reload (the notification names the users, migration 0013), while a
// change of the unit tree still reloads everything.
func TestFollowAppliesAssignmentChangesIncrementally(t *testing.T) {
	db := pgtest.NewPool(t)
	seedTree(t, db)
	clerk := addUser(t, db, "clerk.ls", "clerk", "LS")
	head := addUser(t, db, "head.ls", "unit_head", "LS")
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

	waitFor := func(what string, user int64, act string, want bool) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
			ok, err := replica.Allow(user, "LS-X01", "nomination", act)
			if err != nil {
				t.Fatal(err)
			}
			if ok == want {
				return
			}
		}
		t.Fatalf("the following replica never saw %s", what)
	}
	// Follow reloads once when it starts listening; wait for that before counting.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if r, _ := replica.FollowCounts(); r >= 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("Follow never loaded")
		}
	}
	reloads0, syncs0 := replica.FollowCounts()

	exec(t, db, `INSERT INTO role_assignments (user_id, role, unit_id) VALUES ($1, 'clerk', 'LS-X01')`, clerk)
	waitFor("the grant", clerk, "create", true)
	exec(t, db, `INSERT INTO role_assignments (user_id, role, unit_id) VALUES ($1, 'unit_head', 'LS-X01'), ($2, 'appraiser', 'LS-X01')`, head, clerk)
	waitFor("the head's grant", head, "submit", true)
	waitFor("the clerk's second grant", clerk, "appraise", true)
	exec(t, db, `DELETE FROM role_assignments WHERE user_id = $1 AND role = 'clerk' AND unit_id = 'LS-X01'`, clerk)
	waitFor("the revocation", clerk, "create", false)
	if ok, _ := replica.Allow(clerk, "LS-X01", "nomination", "appraise"); !ok {
		t.Error("revoking the clerk role also took the appraiser role")
	}
	reloads, syncs := replica.FollowCounts()
	if reloads != reloads0 {
		t.Errorf("%d full reloads for three assignment changes, want none", reloads-reloads0)
	}
	if syncs < syncs0+3 {
		t.Errorf("%d incremental applications for three assignment changes, want 3", syncs-syncs0)
	}

	// A unit change is not about users: it reloads.
	exec(t, db, `UPDATE units SET name = 'Xã Mới Đổi Tên' WHERE id = 'LS-X01'`)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if r, _ := replica.FollowCounts(); r > reloads {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("a unit change did not reload")
		}
	}
}

func TestNotifiedUsersPayload(t *testing.T) {
	for payload, want := range map[string][]int64{
		"users:7":          {7},
		"users:1,20,300":   {1, 20, 300},
		"users:":           nil,
		"users:1,x":        nil,
		"role_assignments": nil,
		"units":            nil,
	} {
		got, ok := authz.NotifiedUsers(payload)
		if ok != (want != nil) || len(got) != len(want) {
			t.Errorf("notifiedUsers(%q) = %v, %v; want %v", payload, got, ok, want)
			continue
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("notifiedUsers(%q) = %v, want %v", payload, got, want)
			}
		}
	}
}
