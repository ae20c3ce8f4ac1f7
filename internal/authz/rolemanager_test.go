package authz

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	defaultrolemanager "github.com/casbin/casbin/v2/rbac/default-role-manager"
)

// TestLinkManagerAgreesWithCasbinDefault applies the same random series of links and
// unlinks of users to roles in units to linkManager and to casbin's default domain role
// manager, and compares HasLink and GetRoles on every (user, role, unit) after each step.
func TestLinkManagerAgreesWithCasbinDefault(t *testing.T) {
	ours, theirs := newLinkManager(), defaultrolemanager.NewRoleManager(10)
	users := []string{"user:1", "user:2", "user:3", "user:40"}
	roles := []string{RoleClerk, RoleAppraiser, RoleDecider}
	units := []string{"TW", "P01", "P01-X0001", "P02-X0002"}
	rng := rand.New(rand.NewPCG(9, 9))
	for step := range 400 {
		u, r, d := users[rng.IntN(len(users))], roles[rng.IntN(len(roles))], units[rng.IntN(len(units))]
		if rng.IntN(3) == 0 {
			has, _ := theirs.HasLink(u, r, d)
			if has { // casbin's default manager refuses to delete an absent link
				if err := theirs.DeleteLink(u, r, d); err != nil {
					t.Fatal(err)
				}
			}
			if err := ours.DeleteLink(u, r, d); err != nil {
				t.Fatal(err)
			}
		} else {
			if err := theirs.AddLink(u, r, d); err != nil {
				t.Fatal(err)
			}
			if err := ours.AddLink(u, r, d); err != nil {
				t.Fatal(err)
			}
		}
		for _, u := range users {
			for _, d := range units {
				for _, r := range append(slices.Clone(roles), u) {
					got, _ := ours.HasLink(u, r, d)
					want, _ := theirs.HasLink(u, r, d)
					if got != want {
						t.Fatalf("step %d: HasLink(%s, %s, %s) = %v, casbin's default says %v", step, u, r, d, got, want)
					}
				}
				got, _ := ours.GetRoles(u, d)
				want, _ := theirs.GetRoles(u, d)
				slices.Sort(want)
				if fmt.Sprint(got) != fmt.Sprint(want) && len(got)+len(want) > 0 {
					t.Fatalf("step %d: GetRoles(%s, %s) = %v, casbin's default says %v", step, u, d, got, want)
				}
			}
		}
	}
	if _, err := ours.HasLink("user:1", RoleClerk); err == nil {
		t.Error("HasLink without a domain: no error")
	}
}
