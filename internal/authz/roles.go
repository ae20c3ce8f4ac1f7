package authz

import (
	"strings"

	"github.com/tdkt/tdkt/policies"
)

// PolicyRoles returns the roles the embedded policy (policies/policy.csv) grants
// anything to, in the order they first appear there. The administration offers
// exactly these roles, so a role added to the policy can be granted without a
// second list to keep in step, and a role the policy does not know (which would
// grant nothing) cannot be.
func PolicyRoles() []string {
	var out []string
	seen := map[string]bool{}
	for _, line := range strings.Split(policies.Policy, "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "p,") {
			continue
		}
		fields := strings.Split(line, ",")
		if len(fields) < 2 {
			continue
		}
		role := strings.TrimSpace(fields[1])
		if role != "" && !seen[role] {
			seen[role] = true
			out = append(out, role)
		}
	}
	return out
}
