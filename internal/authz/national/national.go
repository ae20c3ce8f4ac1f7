// Package national generates a unit tree and role assignments of national size for
// authorization benchmarks and tests: the national skeleton of seed.NationalSkeleton
// (the central level above the 34 provinces of 2025-07-01 above their 3,321 communes,
// as many per province as the statistics office lists, the same ids `tdkt seed
// national` loads), and a given number of role assignments spread over it. The
// output is deterministic for a seed.
package national

import (
	"fmt"
	"math/rand/v2"

	"github.com/tdkt/tdkt/internal/authz"
	demo "github.com/tdkt/tdkt/internal/seed"
)

// Sizes of the national tree after the 2025 reform.
const (
	Provinces = demo.NationalProvinces
	Communes  = demo.NationalCommunes
	// Root is the id of the central level above the provinces.
	Root = demo.Central
)

// Tree is a generated national tree and its role assignments.
type Tree struct {
	Units       []authz.UnitNode
	Assignments []authz.Assignment
	// ProvinceIDs and CommuneIDs list the generated units by level.
	ProvinceIDs, CommuneIDs []string
	// NextUser is the first user id the generator did not use.
	NextUser int64
}

// rootRoles, provinceRoles and communeRoles are the roles handed out at each level, in
// rotation; the levels above hold the standing bodies, the communes mostly clerks.
var (
	rootRoles     = []string{authz.RoleAppraiser, authz.RoleCouncilMember, authz.RoleDecider, authz.RoleAdmin, authz.RoleAuditor, authz.RoleCouncilSecretary, authz.RoleCouncilChair}
	provinceRoles = []string{authz.RoleAppraiser, authz.RoleCouncilMember, authz.RoleCouncilMember, authz.RoleClerk, authz.RoleDecider, authz.RoleAdmin, authz.RoleUnitHead}
	communeRoles  = []string{authz.RoleClerk, authz.RoleClerk, authz.RoleUnitHead, authz.RoleCouncilMember, authz.RoleCouncilMember, authz.RoleDecider, authz.RoleAppraiser, authz.RoleCouncilSecretary}
)

// Per-level counts of assignments: the ministry and each province hold a fixed number,
// the communes share the rest.
const (
	RootAssignments     = 40
	ProvinceAssignments = 120
)

// Generate builds the tree and n role assignments (n ≥ 40 + 34×120 = 4,120). One
// assignment in ten goes to a user who already holds another role (a council member
// who is also an appraiser, say), so users with several roles are exercised.
func Generate(n int, seed uint64) (Tree, error) {
	fixed := RootAssignments + Provinces*ProvinceAssignments
	if n < fixed {
		return Tree{}, fmt.Errorf("national: %d assignments is fewer than the %d the ministry and provinces hold", n, fixed)
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	t := Tree{Units: make([]authz.UnitNode, 0, 1+Provinces+Communes), Assignments: make([]authz.Assignment, 0, n), NextUser: 1}
	skeleton, err := demo.NationalSkeleton()
	if err != nil {
		return Tree{}, err
	}
	for _, u := range skeleton.Units {
		t.Units = append(t.Units, authz.UnitNode{ID: u.ID, ParentID: u.ParentID})
		switch {
		case u.ParentID == Root:
			t.ProvinceIDs = append(t.ProvinceIDs, u.ID)
		case u.ParentID != "":
			t.CommuneIDs = append(t.CommuneIDs, u.ID)
		}
	}
	seen := make(map[authz.Assignment]bool, n)
	add := func(unit string, roles []string, i int) {
		for {
			user := t.NextUser
			if t.NextUser > 1 && rng.IntN(10) == 0 {
				user = 1 + rng.Int64N(t.NextUser-1)
			}
			a := authz.Assignment{UserID: user, Role: roles[(i+rng.IntN(2))%len(roles)], UnitID: unit}
			if seen[a] {
				continue
			}
			seen[a] = true
			if user == t.NextUser {
				t.NextUser++
			}
			t.Assignments = append(t.Assignments, a)
			return
		}
	}
	for i := range RootAssignments {
		add(Root, rootRoles, i)
	}
	for _, p := range t.ProvinceIDs {
		for i := range ProvinceAssignments {
			add(p, provinceRoles, i)
		}
	}
	for i := range n - fixed {
		add(t.CommuneIDs[i%Communes], communeRoles, i/Communes)
	}
	return t, nil
}
