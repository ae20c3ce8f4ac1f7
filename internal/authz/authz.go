// Package authz decides who may do what, in which unit: RBAC with domains where the
// domain is a unit of the unit tree, and each permission covers either the unit where
// the role is held or that unit's whole subtree. The model and the role policy live in
// package policies; the unit tree and role assignments come from PostgreSQL (Load) or
// from the caller (New). Everything not granted is denied.
package authz

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"
	"github.com/casbin/casbin/v2/persist"

	"github.com/tdkt/tdkt/policies"
)

// Objects a permission is about.
const (
	ObjectNomination = "nomination"
	ObjectUnit       = "unit"
	ObjectUser       = "user"
	ObjectAward      = "award"
	ObjectAuthority  = "authority"
	ObjectCalendar   = "calendar"
	ObjectAudit      = "audit"
	// ObjectMovement is an emulation movement (phong trào thi đua) and its registrations.
	ObjectMovement = "movement"
	// ObjectReview is a review campaign (sơ kết, tổng kết) and its reports.
	ObjectReview = "review"
	// ObjectReviewTemplate is an indicator template of review reports.
	ObjectReviewTemplate = "review_template"
	// ObjectHistory is the award history of a unit's subjects (lịch sử thi đua, khen thưởng).
	ObjectHistory = "history"
)

// Actions a permission allows.
const (
	ActionRead     = "read"
	ActionCreate   = "create"
	ActionEdit     = "edit"
	ActionSubmit   = "submit"
	ActionWithdraw = "withdraw"
	ActionAppraise = "appraise"
	ActionForward  = "forward"
	ActionDecide   = "decide"
	ActionVote     = "vote"
	ActionRecord   = "record"
	ActionManage   = "manage"
	// ActionLaunch launches a movement or requests a review campaign.
	ActionLaunch = "launch"
	// ActionRegister registers a unit for a movement (đăng ký thi đua).
	ActionRegister = "register"
)

// Roles a user may hold in a unit (role_assignments.role, tasks.role).
const (
	RoleClerk            = "clerk"
	RoleUnitHead         = "unit_head"
	RoleAppraiser        = "appraiser"
	RoleCouncilMember    = "council_member"
	RoleCouncilSecretary = "council_secretary"
	RoleCouncilChair     = "council_chair"
	RoleDecider          = "decider"
	RoleAdmin            = "admin"
	RoleAuditor          = "auditor"
)

// Scopes of a policy line (policies/policy.csv, second field).
const (
	scopeUnit    = "unit"
	scopeSubtree = "subtree"
)

// Assignment is a role held by a user in a unit (a row of role_assignments).
type Assignment struct {
	UserID int64
	Role   string
	UnitID string
}

// Enforcer answers authorization questions against one snapshot of the unit tree and the
// role assignments. It is safe for concurrent use: Reload builds a new snapshot and swaps
// it in atomically, so a concurrent Allow sees either the old or the new one, never a mix;
// Grant, Revoke and SyncUsers change the assignments of the current snapshot in place,
// under its write lock, so a concurrent Allow sees a user's change entirely or not at all.
type Enforcer struct {
	snap atomic.Pointer[snapshot]
	// reloads and syncs count full reloads and incremental applications of followed
	// notifications, so tests and the benchmark can tell which path a change took.
	reloads, syncs atomic.Int64
	// update orders Reload and SyncUsersFrom, each of which reads the database and
	// then changes what Allow sees: without it a reload that read before a grant
	// committed could replace a snapshot the grant was just applied to.
	update sync.Mutex
}

// snapshot holds one unit tree; its assignments change only under mu (see incremental.go).
type snapshot struct {
	mu sync.RWMutex
	// casbin holds the whole model: every policy line and every assignment as g and g2
	// lines. Incremental changes go through it, which keeps its role managers current.
	casbin *casbin.Enforcer
	// parts holds, per (role, object, action) of the policy, an enforcer of the same
	// model loaded with only that triple's policy lines (one or two: unit and subtree
	// scope) and sharing casbin's role managers. Casbin evaluates the matcher once per
	// policy line; a line of another object or action never matches (the matcher requires
	// r.obj == p.obj && r.act == p.act), nor does a line of a role the user holds nowhere
	// (g and g2 link users to roles only), so asking the partitions of the user's roles
	// evaluates one or two lines per role instead of the whole policy.
	parts  map[partKey]*casbin.Enforcer
	tree   unitTree
	roles  map[int64][]Assignment // effective assignments per user, sorted
	grants map[string][]grant     // role → permissions, as loaded into casbin
}

// partKey is the (role, object, action) of a policy partition.
type partKey struct{ role, obj, act string }

// grant is one policy line of a role.
type grant struct {
	scope, obj, act string
}

// New builds an enforcer from the embedded model and policy, the given unit tree and role
// assignments. Assignments in a unit that is not in the tree are ignored (the unit is not
// in force). It returns an error if the tree is broken (duplicate id, cycle), an
// assignment has no role, or the embedded model or policy do not load.
func New(units []UnitNode, assignments []Assignment) (*Enforcer, error) {
	s, err := newSnapshot(units, assignments)
	if err != nil {
		return nil, err
	}
	e := &Enforcer{}
	e.snap.Store(s)
	return e, nil
}

func newSnapshot(units []UnitNode, assignments []Assignment) (*snapshot, error) {
	tree, err := newUnitTree(units)
	if err != nil {
		return nil, err
	}
	roles := make(map[int64][]Assignment)
	var effective []Assignment
	for _, a := range assignments {
		if a.Role == "" {
			return nil, fmt.Errorf("authz: assignment of user %d in unit %q has no role", a.UserID, a.UnitID)
		}
		if !tree.has(a.UnitID) {
			continue
		}
		if slices.Contains(roles[a.UserID], a) {
			continue
		}
		roles[a.UserID] = append(roles[a.UserID], a)
		effective = append(effective, a)
	}
	for _, rs := range roles {
		slices.SortFunc(rs, func(x, y Assignment) int {
			return cmp.Or(strings.Compare(x.UnitID, y.UnitID), strings.Compare(x.Role, y.Role))
		})
	}

	m, err := model.NewModelFromString(policies.Model)
	if err != nil {
		return nil, fmt.Errorf("authz: parse embedded model: %w", err)
	}
	ce, err := casbin.NewEnforcer(m)
	if err != nil {
		return nil, fmt.Errorf("authz: create casbin enforcer: %w", err)
	}
	// Both role definitions hold plain links; see linkManager. LoadPolicy clears and
	// fills these instead of creating casbin's default managers.
	ce.SetNamedRoleManager("g", newLinkManager())
	ce.SetNamedRoleManager("g2", newLinkManager())
	ce.SetAdapter(snapshotAdapter{policy: policies.Policy, tree: tree, assignments: effective})
	if err := ce.LoadPolicy(); err != nil {
		return nil, fmt.Errorf("authz: load policy and assignments: %w", err)
	}

	lines, err := ce.GetNamedPolicy("p")
	if err != nil {
		return nil, fmt.Errorf("authz: read loaded policy: %w", err)
	}
	grants := make(map[string][]grant)
	lineParts := make(map[partKey][][]string)
	for _, l := range lines {
		if len(l) != 4 {
			return nil, fmt.Errorf("authz: policy line %q: want role, scope, object, action", strings.Join(l, ", "))
		}
		g := grant{scope: l[1], obj: l[2], act: l[3]}
		if g.scope != scopeUnit && g.scope != scopeSubtree {
			return nil, fmt.Errorf("authz: policy line %q: scope must be %q or %q", strings.Join(l, ", "), scopeUnit, scopeSubtree)
		}
		grants[l[0]] = append(grants[l[0]], g)
		k := partKey{l[0], g.obj, g.act}
		lineParts[k] = append(lineParts[k], l)
	}
	parts := make(map[partKey]*casbin.Enforcer, len(lineParts))
	for k, ls := range lineParts {
		pe, err := partition(ce, ls)
		if err != nil {
			return nil, fmt.Errorf("authz: policy of %s on %s %s: %w", k.role, k.obj, k.act, err)
		}
		parts[k] = pe
	}
	// Incremental changes go to the model only, never to the read-only adapter.
	ce.EnableAutoSave(false)
	return &snapshot{casbin: ce, parts: parts, tree: tree, roles: roles, grants: grants}, nil
}

// partition returns an enforcer of the embedded model holding the given policy lines and
// answering g and g2 from full's role managers, so that an assignment added to or
// removed from full is seen by every partition at once.
func partition(full *casbin.Enforcer, lines [][]string) (*casbin.Enforcer, error) {
	m, err := model.NewModelFromString(policies.Model)
	if err != nil {
		return nil, err
	}
	if err := m.AddPolicies("p", "p", lines); err != nil {
		return nil, err
	}
	pe, err := casbin.NewEnforcer(m)
	if err != nil {
		return nil, err
	}
	pe.EnableAutoSave(false)
	pe.EnableAutoBuildRoleLinks(false)
	// NewEnforcer gives the model role managers of its own; replace them by full's.
	for _, ptype := range []string{"g", "g2"} {
		src, ok := full.GetModel()["g"][ptype]
		if !ok || src.RM == nil {
			return nil, fmt.Errorf("the model has no role definition %s", ptype)
		}
		pe.SetNamedRoleManager(ptype, src.RM)
		pe.GetModel()["g"][ptype].RM = src.RM
	}
	return pe, nil
}

// subject is the casbin subject of a user; role names never take this form.
func subject(userID int64) string {
	return "user:" + strconv.FormatInt(userID, 10)
}

// Allow reports whether the user may perform act on obj in the unit. A unit that is not
// in force is answered false with no error. The error reports a failure to evaluate the
// model, which is a programming error, never a denial.
func (e *Enforcer) Allow(userID int64, unitID, obj, act string) (bool, error) {
	s := e.snap.Load()
	if !s.tree.has(unitID) {
		return false, nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	var asked [8]string // roles already asked; a user holds few
	n := 0
	for _, a := range s.roles[userID] {
		if slices.Contains(asked[:min(n, len(asked))], a.Role) {
			continue
		}
		if n < len(asked) {
			asked[n] = a.Role
		}
		n++
		pe := s.parts[partKey{a.Role, obj, act}]
		if pe == nil {
			continue // the policy grants this role nothing on obj with act
		}
		ok, err := pe.Enforce(subject(userID), unitID, obj, act)
		if err != nil {
			return false, fmt.Errorf("authz: enforce user %d, unit %s, %s %s: %w", userID, unitID, obj, act, err)
		}
		if ok {
			return true, nil
		}
	}
	return false, nil
}

// Roles returns the user's assignments in units in force, sorted by unit then role; nil
// if there are none. The slice is the caller's to keep.
func (e *Enforcer) Roles(userID int64) []Assignment {
	s := e.snap.Load()
	s.mu.RLock()
	defer s.mu.RUnlock()
	return slices.Clone(s.roles[userID])
}

// InSubtree reports whether unitID is rootID or lies below it in the tree in force; false
// if either unit is not in force. List filters use it to keep rows of a visible subtree.
func (e *Enforcer) InSubtree(unitID, rootID string) bool {
	return e.snap.Load().tree.inSubtree(unitID, rootID)
}

// VisibleUnits returns, sorted, every unit in force in which the user may perform act on
// obj, so list queries can filter by unit ("the nominations I may read") instead of
// asking Allow row by row. It agrees with Allow for every unit.
func (e *Enforcer) VisibleUnits(userID int64, obj, act string) []string {
	s := e.snap.Load()
	s.mu.RLock()
	defer s.mu.RUnlock()
	var units []string
	for _, a := range s.roles[userID] {
		for _, g := range s.grants[a.Role] {
			if g.obj != obj || g.act != act {
				continue
			}
			switch g.scope {
			case scopeUnit:
				units = append(units, a.UnitID)
			case scopeSubtree:
				units = s.tree.subtree(units, a.UnitID)
			}
		}
	}
	slices.Sort(units)
	return slices.Compact(units)
}

// snapshotAdapter feeds casbin the embedded policy and one snapshot of the assignments.
// Each assignment becomes a g line in its unit and a g2 line in its unit and in every
// unit below it, so that g2 answers "the role is held here or above" with a plain lookup.
// (A g2 domain matching function would say the same, but casbin then compares every
// assigned unit with every other when it builds the links, and every assigned unit with
// the request unit on a cold request: 1.4 s to build for 3,321 communes.) It is
// read-only: assignments change in PostgreSQL and reach the enforcer through Reload.
type snapshotAdapter struct {
	policy      string
	tree        unitTree
	assignments []Assignment
}

var errReadOnly = errors.New("authz: the policy is read-only; change policies/policy.csv or role_assignments and reload")

// LoadPolicy loads the policy lines, failing on the first malformed one, then the
// assignments.
func (a snapshotAdapter) LoadPolicy(m model.Model) error {
	for i, line := range strings.Split(a.policy, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !strings.HasPrefix(line, "p,") {
			return fmt.Errorf("policy.csv line %d: only p lines belong in the policy file", i+1)
		}
		if err := persist.LoadPolicyLine(line, m); err != nil {
			return fmt.Errorf("policy.csv line %d: %w", i+1, err)
		}
	}
	var g, g2 [][]string
	var below []string
	for _, as := range a.assignments {
		sub := subject(as.UserID)
		g = append(g, []string{sub, as.Role, as.UnitID})
		below = a.tree.subtree(below[:0], as.UnitID)
		for _, u := range below {
			g2 = append(g2, []string{sub, as.Role, u})
		}
	}
	if err := m.AddPolicies("g", "g", g); err != nil {
		return fmt.Errorf("load g assignments: %w", err)
	}
	if err := m.AddPolicies("g", "g2", g2); err != nil {
		return fmt.Errorf("load g2 assignments: %w", err)
	}
	return nil
}

// SavePolicy is refused: see errReadOnly.
func (snapshotAdapter) SavePolicy(model.Model) error { return errReadOnly }

// AddPolicy is refused: see errReadOnly.
func (snapshotAdapter) AddPolicy(string, string, []string) error { return errReadOnly }

// RemovePolicy is refused: see errReadOnly.
func (snapshotAdapter) RemovePolicy(string, string, []string) error { return errReadOnly }

// RemoveFilteredPolicy is refused: see errReadOnly.
func (snapshotAdapter) RemoveFilteredPolicy(string, string, int, ...string) error {
	return errReadOnly
}
