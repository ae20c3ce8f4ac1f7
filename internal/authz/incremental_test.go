package authz_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/tdkt/tdkt/internal/authz"
	"github.com/tdkt/tdkt/internal/authz/national"
)

// compareWithRebuild checks that inc answers every question about the given users in
// the given units exactly as an enforcer built from scratch over assignments does.
func compareWithRebuild(t *testing.T, inc *authz.Enforcer, units []authz.UnitNode, assignments []authz.Assignment, users []int64, probe []string) {
	t.Helper()
	full, err := authz.New(units, assignments)
	if err != nil {
		t.Fatalf("rebuild: %v", err)
	}
	reqs := authz.PolicyRequests()
	mismatches := 0
	for _, u := range users {
		if got, want := inc.Roles(u), full.Roles(u); !slices.Equal(got, want) {
			t.Errorf("user %d: Roles = %v after incremental changes, %v after a rebuild", u, got, want)
		}
		for _, r := range reqs {
			if got, want := inc.VisibleUnits(u, r[0], r[1]), full.VisibleUnits(u, r[0], r[1]); !slices.Equal(got, want) {
				t.Errorf("user %d: VisibleUnits(%s %s) has %d units after incremental changes, %d after a rebuild", u, r[0], r[1], len(got), len(want))
			}
			for _, unit := range probe {
				got, err := inc.Allow(u, unit, r[0], r[1])
				if err != nil {
					t.Fatal(err)
				}
				want, err := full.Allow(u, unit, r[0], r[1])
				if err != nil {
					t.Fatal(err)
				}
				if got != want && mismatches < 20 {
					mismatches++
					t.Errorf("user %d, %s %s in %s: incremental says %v, rebuild says %v", u, r[0], r[1], unit, got, want)
				}
			}
		}
	}
}

// TestIncrementalMatchesRebuildOnNationalTree grants and revokes roles one by one on a
// generated national tree (34 provinces, 3,321 communes) and compares every answer
// about the users concerned with an enforcer rebuilt from the resulting assignments.
// The series includes a role held both in a province and in one of its communes, whose
// g2 lines overlap, so revoking one must keep the lines the other still covers.
func TestIncrementalMatchesRebuildOnNationalTree(t *testing.T) {
	tree, err := national.Generate(10_000, 7)
	if err != nil {
		t.Fatal(err)
	}
	inc, err := authz.New(tree.Units, tree.Assignments)
	if err != nil {
		t.Fatal(err)
	}
	current := slices.Clone(tree.Assignments)
	rng := rand.New(rand.NewPCG(1, 2))
	roles := authz.PolicyRoles()
	touched := map[int64]bool{}
	unitIDs := make([]string, 0, len(tree.Units))
	for _, u := range tree.Units {
		unitIDs = append(unitIDs, u.ID)
	}
	province, commune := tree.ProvinceIDs[3], ""
	for _, c := range tree.CommuneIDs {
		if tree.Units[slices.IndexFunc(tree.Units, func(n authz.UnitNode) bool { return n.ID == c })].ParentID == province {
			commune = c
			break
		}
	}
	overlapUser := tree.NextUser
	steps := []struct {
		a      authz.Assignment
		revoke bool
	}{
		{authz.Assignment{UserID: overlapUser, Role: authz.RoleAppraiser, UnitID: province}, false},
		{authz.Assignment{UserID: overlapUser, Role: authz.RoleAppraiser, UnitID: commune}, false},
		{authz.Assignment{UserID: overlapUser, Role: authz.RoleAppraiser, UnitID: province}, true},
		{authz.Assignment{UserID: overlapUser, Role: authz.RoleDecider, UnitID: national.Root}, false},
		// A grant in a unit not in force, and a revocation of a role never held, change nothing.
		{authz.Assignment{UserID: overlapUser, Role: authz.RoleClerk, UnitID: "NOWHERE"}, false},
		{authz.Assignment{UserID: overlapUser, Role: authz.RoleClerk, UnitID: commune}, true},
	}
	for range 120 {
		if rng.IntN(2) == 0 {
			a := current[rng.IntN(len(current))]
			steps = append(steps, struct {
				a      authz.Assignment
				revoke bool
			}{a, true})
			continue
		}
		a := authz.Assignment{UserID: 1 + rng.Int64N(tree.NextUser+5), Role: roles[rng.IntN(len(roles))], UnitID: unitIDs[rng.IntN(len(unitIDs))]}
		steps = append(steps, struct {
			a      authz.Assignment
			revoke bool
		}{a, false})
	}
	probe := []string{national.Root, province, commune, tree.ProvinceIDs[0], tree.CommuneIDs[0], tree.CommuneIDs[len(tree.CommuneIDs)-1], "NOWHERE"}
	for range 5 {
		probe = append(probe, unitIDs[rng.IntN(len(unitIDs))])
	}
	// Ask every question once before the changes: casbin remembers answers, and the
	// changes must make it forget them.
	warmed := map[int64]bool{}
	for _, st := range steps {
		if warmed[st.a.UserID] {
			continue
		}
		warmed[st.a.UserID] = true
		for _, unit := range probe {
			for _, r := range authz.PolicyRequests() {
				if _, err := inc.Allow(st.a.UserID, unit, r[0], r[1]); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	for _, st := range steps {
		touched[st.a.UserID] = true
		if st.revoke {
			if err := inc.Revoke(st.a); err != nil {
				t.Fatalf("Revoke(%v): %v", st.a, err)
			}
			current = slices.DeleteFunc(current, func(b authz.Assignment) bool { return b == st.a })
			continue
		}
		if err := inc.Grant(st.a); err != nil {
			t.Fatalf("Grant(%v): %v", st.a, err)
		}
		if !slices.Contains(current, st.a) {
			current = append(current, st.a)
		}
	}
	users := slices.Sorted(mapsKeys(touched))
	users = append(users, 1, 2, 3) // untouched users keep their answers too
	compareWithRebuild(t, inc, tree.Units, current, users, probe)

	// The overlapping user still appraises in the commune but no longer in the province.
	if ok, _ := inc.Allow(overlapUser, commune, authz.ObjectNomination, authz.ActionRead); !ok {
		t.Errorf("user %d lost reading in commune %s, still held there", overlapUser, commune)
	}
	if ok, _ := inc.Allow(overlapUser, province, authz.ObjectNomination, authz.ActionAppraise); ok {
		t.Errorf("user %d still appraises in province %s after the revocation", overlapUser, province)
	}
}

// TestSyncUsersMatchesRebuild replaces the assignments of a few users at once, as the
// follower does on a notification naming them, and compares with a rebuild.
func TestSyncUsersMatchesRebuild(t *testing.T) {
	tree, err := national.Generate(10_000, 11)
	if err != nil {
		t.Fatal(err)
	}
	inc, err := authz.New(tree.Units, tree.Assignments)
	if err != nil {
		t.Fatal(err)
	}
	users := []int64{1, 50, 4000, tree.NextUser}
	newRows := []authz.Assignment{
		{UserID: 50, Role: authz.RoleDecider, UnitID: tree.ProvinceIDs[1]},
		{UserID: 4000, Role: authz.RoleClerk, UnitID: tree.CommuneIDs[9]},
		{UserID: tree.NextUser, Role: authz.RoleAuditor, UnitID: national.Root},
	}
	probe := []string{national.Root, tree.ProvinceIDs[1], tree.CommuneIDs[9], tree.CommuneIDs[1], tree.CommuneIDs[35]}
	for _, u := range users {
		for _, unit := range probe {
			for _, r := range authz.PolicyRequests() {
				if _, err := inc.Allow(u, unit, r[0], r[1]); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	// User 1 is deactivated (no rows); 50 and 4000 get different roles; a new user arrives.
	if err := inc.SyncUsers(users, newRows); err != nil {
		t.Fatal(err)
	}
	current := slices.DeleteFunc(slices.Clone(tree.Assignments), func(a authz.Assignment) bool { return slices.Contains(users, a.UserID) })
	current = append(current, newRows...)
	if got := inc.Roles(1); got != nil {
		t.Errorf("deactivated user 1 still holds %v", got)
	}
	compareWithRebuild(t, inc, tree.Units, current, users, probe)
}

// TestPartitionsMatchWholePolicy checks that the per-(object, action) partitions answer
// every question as the enforcer holding the whole policy does.
func TestPartitionsMatchWholePolicy(t *testing.T) {
	tree, err := national.Generate(5_000, 3)
	if err != nil {
		t.Fatal(err)
	}
	e, err := authz.New(tree.Units, tree.Assignments)
	if err != nil {
		t.Fatal(err)
	}
	reqs := append(authz.PolicyRequests(), [2]string{"nomination", "nonexistent"}, [2]string{"nonexistent", "read"})
	rng := rand.New(rand.NewPCG(5, 6))
	allowed := 0
	for range 20_000 {
		a := tree.Assignments[rng.IntN(len(tree.Assignments))]
		unit := a.UnitID
		switch rng.IntN(3) {
		case 1:
			unit = tree.Units[rng.IntN(len(tree.Units))].ID
		case 2:
			unit = tree.CommuneIDs[rng.IntN(len(tree.CommuneIDs))]
		}
		r := reqs[rng.IntN(len(reqs))]
		got, err := e.Allow(a.UserID, unit, r[0], r[1])
		if err != nil {
			t.Fatal(err)
		}
		want, err := e.AllowWholePolicy(a.UserID, unit, r[0], r[1])
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Fatalf("user %d, %s %s in %s: partition says %v, whole policy says %v", a.UserID, r[0], r[1], unit, got, want)
		}
		if got {
			allowed++
		}
	}
	if allowed == 0 || allowed == 20_000 {
		t.Fatalf("%d of 20,000 questions allowed: the sample does not tell allow from deny", allowed)
	}
}

// TestAllowDuringGrantsIsConsistent asks questions from several goroutines while roles
// are granted and revoked (run it with -race): a user granted the clerk and unit_head
// roles in one SyncUsers is never seen holding one without the other.
func TestAllowDuringGrantsIsConsistent(t *testing.T) {
	tree, err := national.Generate(5_000, 13)
	if err != nil {
		t.Fatal(err)
	}
	e, err := authz.New(tree.Units, tree.Assignments)
	if err != nil {
		t.Fatal(err)
	}
	user, unit := tree.NextUser, tree.CommuneIDs[17]
	both := []authz.Assignment{{UserID: user, Role: authz.RoleClerk, UnitID: unit}, {UserID: user, Role: authz.RoleUnitHead, UnitID: unit}}
	stop := make(chan struct{})
	errs := make(chan error, 4)
	for range 3 {
		go func() {
			for {
				select {
				case <-stop:
					errs <- nil
					return
				default:
				}
				// edit needs the clerk role, withdraw is unit_head's too; read by Roles in one go.
				rs := e.Roles(user)
				if len(rs) == 1 {
					errs <- fmt.Errorf("saw %v: half of a change", rs)
					return
				}
				if _, err := e.Allow(user, unit, authz.ObjectNomination, authz.ActionEdit); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for i := range 200 {
		var rows []authz.Assignment
		if i%2 == 0 {
			rows = both
		}
		if err := e.SyncUsers([]int64{user}, rows); err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			if err := e.Grant(authz.Assignment{UserID: user + 1, Role: authz.RoleAppraiser, UnitID: tree.ProvinceIDs[2]}); err != nil {
				t.Fatal(err)
			}
		} else if err := e.Revoke(authz.Assignment{UserID: user + 1, Role: authz.RoleAppraiser, UnitID: tree.ProvinceIDs[2]}); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	for range 3 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}
