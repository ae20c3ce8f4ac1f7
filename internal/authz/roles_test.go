package authz_test

import (
	"slices"
	"testing"

	"github.com/tdkt/tdkt/internal/authz"
	"github.com/tdkt/tdkt/internal/domain"
)

// TestPolicyRolesAreTheRolesOfThePolicy checks that the role catalogue the
// administration offers is read from policy.csv, once per role, in the order the
// policy lists them, and holds every role the domain knows.
func TestPolicyRolesAreTheRolesOfThePolicy(t *testing.T) {
	got := authz.PolicyRoles()
	want := []string{authz.RoleClerk, authz.RoleUnitHead, authz.RoleAppraiser, authz.RoleCouncilMember,
		authz.RoleCouncilSecretary, authz.RoleCouncilChair, authz.RoleDecider, authz.RoleAdmin, authz.RoleAuditor}
	if !slices.Equal(got, want) {
		t.Fatalf("PolicyRoles() = %v, want %v", got, want)
	}
	for _, r := range domain.AllRoles {
		if !slices.Contains(got, r) {
			t.Errorf("the policy grants nothing to the domain's role %s", r)
		}
	}
}
