// Package policies carries tdkt's Casbin authorization model and role policy as embedded
// files, so that the binary enforces exactly the rules reviewed in model.conf and
// policy.csv. internal/authz loads them together with the unit tree and role assignments.
package policies

import _ "embed"

// Model is the Casbin model (model.conf): RBAC with domains, where the domain is a unit,
// and policy lines scoped to a unit or to its whole subtree.
//
//go:embed model.conf
var Model string

// Policy is the role policy (policy.csv): one "p, role, scope, object, action" line per
// permission; anything not listed is denied.
//
//go:embed policy.csv
var Policy string
