package authz_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/tdkt/tdkt/internal/authz"
)

// The test tree: the role under test is held in LS-H01.
//
//	LS                      parent
//	├── LS-H01              same unit
//	│   ├── LS-H01-X01      child
//	│   │   └── LS-H01-X01-T01  grandchild
//	│   └── LS-H01-X02
//	└── LS-H02              sibling
//	    └── LS-H02-X01      other branch
var testUnits = []authz.UnitNode{
	{ID: "LS"},
	{ID: "LS-H01", ParentID: "LS"},
	{ID: "LS-H01-X01", ParentID: "LS-H01"},
	{ID: "LS-H01-X01-T01", ParentID: "LS-H01-X01"},
	{ID: "LS-H01-X02", ParentID: "LS-H01"},
	{ID: "LS-H02", ParentID: "LS"},
	{ID: "LS-H02-X01", ParentID: "LS-H02"},
}

const heldIn = "LS-H01"

// relations maps each relation of the request unit to the unit where the role is held.
var relations = []struct {
	name, unit string
	below      bool // the request unit is heldIn or below it
}{
	{"same unit", "LS-H01", true},
	{"child", "LS-H01-X01", true},
	{"grandchild", "LS-H01-X01-T01", true},
	{"parent", "LS", false},
	{"sibling", "LS-H02", false},
	{"other branch", "LS-H02-X01", false},
}

var allObjects = []string{
	authz.ObjectNomination, authz.ObjectUnit, authz.ObjectUser, authz.ObjectAward,
	authz.ObjectAuthority, authz.ObjectCalendar, authz.ObjectAudit,
	authz.ObjectMovement, authz.ObjectReview, authz.ObjectReviewTemplate,
	authz.ObjectHistory,
}

var allActions = []string{
	authz.ActionRead, authz.ActionCreate, authz.ActionEdit, authz.ActionSubmit,
	authz.ActionWithdraw, authz.ActionAppraise, authz.ActionForward, authz.ActionDecide,
	authz.ActionVote, authz.ActionRecord, authz.ActionManage,
	authz.ActionLaunch, authz.ActionRegister,
}

const (
	unitOnly = "unit"    // allowed in the unit where the role is held only
	subtree  = "subtree" // allowed there and in every unit below it
)

// wantPermissions is the product's policy written out by hand, independently of
// policies/policy.csv: role → "object action" → scope. Every pair not listed is denied
// everywhere.
var wantPermissions = map[string]map[string]string{
	authz.RoleClerk: {
		"history read":        subtree,
		"history record":      unitOnly,
		"movement read":       subtree,
		"movement register":   unitOnly,
		"review read":         subtree,
		"review edit":         unitOnly,
		"review submit":       unitOnly,
		"nomination create":   unitOnly,
		"nomination read":     unitOnly,
		"nomination edit":     unitOnly,
		"nomination submit":   unitOnly,
		"nomination withdraw": unitOnly,
		"unit read":           subtree,
	},
	authz.RoleUnitHead: {
		"history read":        subtree,
		"movement read":       subtree,
		"movement register":   unitOnly,
		"review read":         subtree,
		"review submit":       unitOnly,
		"nomination read":     unitOnly,
		"nomination submit":   unitOnly,
		"nomination withdraw": unitOnly,
		"unit read":           subtree,
	},
	authz.RoleAppraiser: {
		"history read":        subtree,
		"movement read":       subtree,
		"movement launch":     unitOnly,
		"movement manage":     unitOnly,
		"review read":         subtree,
		"review launch":       unitOnly,
		"review appraise":     unitOnly,
		"review manage":       unitOnly,
		"nomination appraise": unitOnly,
		"nomination read":     subtree,
		"unit read":           subtree,
	},
	authz.RoleCouncilMember: {
		"history read":    subtree,
		"movement read":   subtree,
		"review read":     subtree,
		"nomination vote": unitOnly,
		"nomination read": subtree,
		"unit read":       subtree,
	},
	authz.RoleCouncilSecretary: {
		"history read":      subtree,
		"movement read":     subtree,
		"review read":       subtree,
		"nomination record": unitOnly,
		"nomination read":   subtree,
		"unit read":         subtree,
	},
	authz.RoleCouncilChair: {
		"history read":      subtree,
		"movement read":     subtree,
		"review read":       subtree,
		"nomination vote":   unitOnly,
		"nomination record": unitOnly,
		"nomination read":   subtree,
		"unit read":         subtree,
	},
	authz.RoleDecider: {
		"history read":       subtree,
		"movement read":      subtree,
		"movement launch":    unitOnly,
		"review read":        subtree,
		"review launch":      unitOnly,
		"nomination decide":  unitOnly,
		"nomination forward": unitOnly,
		"nomination read":    subtree,
		"unit read":          subtree,
	},
	authz.RoleAdmin: {
		"history read":           subtree,
		"history record":         subtree,
		"movement read":          subtree,
		"review read":            subtree,
		"review_template manage": subtree,
		"unit manage":            subtree,
		"user manage":            subtree,
		"award manage":           subtree,
		"authority manage":       subtree,
		"calendar manage":        subtree,
		"nomination read":        subtree,
		"audit read":             subtree,
		"unit read":              subtree,
	},
	authz.RoleAuditor: {
		"history read":    subtree,
		"movement read":   subtree,
		"review read":     subtree,
		"nomination read": subtree,
		"audit read":      subtree,
		"unit read":       subtree,
	},
}

// TestPolicyMatrix checks every role × every (object, action) of the vocabulary × every
// relation of the request unit to the unit where the role is held.
func TestPolicyMatrix(t *testing.T) {
	vocabulary := map[string]bool{}
	for _, o := range allObjects {
		for _, a := range allActions {
			vocabulary[o+" "+a] = true
		}
	}
	for role, perms := range wantPermissions {
		for pair := range perms {
			if !vocabulary[pair] {
				t.Fatalf("expectation table: %s has %q, which is not in the vocabulary", role, pair)
			}
		}
	}

	const user = 7
	checked := 0
	for role, perms := range wantPermissions {
		t.Run(role, func(t *testing.T) {
			e, err := authz.New(testUnits, []authz.Assignment{{UserID: user, Role: role, UnitID: heldIn}})
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			for _, obj := range allObjects {
				for _, act := range allActions {
					scope := perms[obj+" "+act]
					for _, rel := range relations {
						want := scope == unitOnly && rel.unit == heldIn || scope == subtree && rel.below
						got, err := e.Allow(user, rel.unit, obj, act)
						if err != nil {
							t.Fatalf("Allow(%s %s in %s): %v", obj, act, rel.unit, err)
						}
						if got != want {
							t.Errorf("%s held in %s: %s %s in %s (%s) = %v, want %v", role, heldIn, obj, act, rel.unit, rel.name, got, want)
						}
						checked++
					}
				}
			}
		})
	}
	if want := 9 * len(allObjects) * len(allActions) * len(relations); checked != want {
		t.Errorf("checked %d cases, want %d (9 roles × %d objects × %d actions × %d relations)", checked, want, len(allObjects), len(allActions), len(relations))
	}
}

// TestUnknownRoleGrantsNothing: a role name the policy does not know opens nothing.
func TestUnknownRoleGrantsNothing(t *testing.T) {
	e, err := authz.New(testUnits, []authz.Assignment{{UserID: 1, Role: "chairman", UnitID: "LS"}})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	for _, obj := range allObjects {
		for _, act := range allActions {
			if ok, err := e.Allow(1, "LS", obj, act); err != nil || ok {
				t.Errorf("Allow(%s %s) = %v, %v; want false, nil", obj, act, ok, err)
			}
		}
	}
}

func TestUserWithRolesInTwoUnits(t *testing.T) {
	const user = 42
	e, err := authz.New(testUnits, []authz.Assignment{
		{UserID: user, Role: authz.RoleClerk, UnitID: "LS-H01-X01"},
		{UserID: user, Role: authz.RoleAppraiser, UnitID: "LS-H02"},
		{UserID: 43, Role: authz.RoleAdmin, UnitID: "LS"},
	})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	cases := []struct {
		unit, obj, act string
		want           bool
	}{
		{"LS-H01-X01", "nomination", "create", true},      // clerk here
		{"LS-H01-X01", "nomination", "appraise", false},   // the appraiser role is held elsewhere
		{"LS-H01-X01-T01", "nomination", "create", false}, // clerk is unit-scoped
		{"LS-H01-X02", "nomination", "read", false},       // neither role covers it
		{"LS-H02", "nomination", "appraise", true},        // appraiser here
		{"LS-H02", "nomination", "create", false},         // the clerk role is held elsewhere
		{"LS-H02-X01", "nomination", "read", true},        // appraiser reads the subtree
		{"LS-H02-X01", "nomination", "appraise", false},   // appraise is unit-scoped
		{"LS", "nomination", "read", false},               // nothing above
		{"LS-H01-X01", "user", "manage", false},           // another user's admin role
	}
	for _, c := range cases {
		got, err := e.Allow(user, c.unit, c.obj, c.act)
		if err != nil {
			t.Fatalf("Allow: %v", err)
		}
		if got != c.want {
			t.Errorf("Allow(%s %s in %s) = %v, want %v", c.obj, c.act, c.unit, got, c.want)
		}
	}

	want := []authz.Assignment{
		{UserID: user, Role: authz.RoleClerk, UnitID: "LS-H01-X01"},
		{UserID: user, Role: authz.RoleAppraiser, UnitID: "LS-H02"},
	}
	if got := e.Roles(user); !slices.Equal(got, want) {
		t.Errorf("Roles = %v, want %v", got, want)
	}
	if got := e.Roles(999); len(got) != 0 {
		t.Errorf("Roles(unknown user) = %v, want none", got)
	}

	if got, want := e.VisibleUnits(user, "nomination", "read"), []string{"LS-H01-X01", "LS-H02", "LS-H02-X01"}; !slices.Equal(got, want) {
		t.Errorf("VisibleUnits(nomination read) = %v, want %v", got, want)
	}
	if got := e.VisibleUnits(user, "nomination", "decide"); len(got) != 0 {
		t.Errorf("VisibleUnits(nomination decide) = %v, want none", got)
	}
}

func TestUnknownUnitDenies(t *testing.T) {
	e, err := authz.New(testUnits, []authz.Assignment{{UserID: 1, Role: authz.RoleAdmin, UnitID: "LS"}})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if ok, err := e.Allow(1, "LS", "unit", "manage"); err != nil || !ok {
		t.Fatalf("admin at the root: Allow(unit manage in LS) = %v, %v; want true, nil", ok, err)
	}
	for _, unit := range []string{"LS-H09", "", "ls"} {
		if ok, err := e.Allow(1, unit, "unit", "manage"); err != nil || ok {
			t.Errorf("Allow(unit manage in unknown %q) = %v, %v; want false, nil", unit, ok, err)
		}
	}
	if e.InSubtree("LS-H09", "LS") || e.InSubtree("LS", "LS-H09") {
		t.Error("InSubtree with an unknown unit = true, want false")
	}
}

// TestAssignmentInUnitNotInForceIsIgnored: a role held in an abolished unit grants nothing,
// and a unit whose parent is not in force stands as a root.
func TestAssignmentInUnitNotInForceIsIgnored(t *testing.T) {
	units := []authz.UnitNode{
		{ID: "LS"},
		{ID: "LS-X01", ParentID: "LS-H01"}, // LS-H01 abolished, not among the units
	}
	e, err := authz.New(units, []authz.Assignment{
		{UserID: 1, Role: authz.RoleAppraiser, UnitID: "LS-H01"},
		{UserID: 2, Role: authz.RoleAuditor, UnitID: "LS"},
	})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if ok, _ := e.Allow(1, "LS-X01", "nomination", "read"); ok {
		t.Error("role in an abolished unit still reads its former child")
	}
	if got := e.Roles(1); len(got) != 0 {
		t.Errorf("Roles = %v, want none", got)
	}
	if ok, _ := e.Allow(2, "LS-X01", "nomination", "read"); ok {
		t.Error("a unit with an abolished parent is still under LS")
	}
}

func TestInSubtree(t *testing.T) {
	e, err := authz.New(testUnits, nil)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	cases := []struct {
		unit, root string
		want       bool
	}{
		{"LS-H01", "LS-H01", true},
		{"LS-H01-X01", "LS-H01", true},
		{"LS-H01-X01-T01", "LS-H01", true},
		{"LS-H01-X01-T01", "LS", true},
		{"LS", "LS-H01", false},
		{"LS-H02", "LS-H01", false},
		{"LS-H02-X01", "LS-H01", false},
	}
	for _, c := range cases {
		if got := e.InSubtree(c.unit, c.root); got != c.want {
			t.Errorf("InSubtree(%s, %s) = %v, want %v", c.unit, c.root, got, c.want)
		}
	}
}

// TestVisibleUnitsAgreesWithAllow: for every role and every permission, the units
// VisibleUnits lists are exactly those where Allow says yes.
func TestVisibleUnitsAgreesWithAllow(t *testing.T) {
	var assignments []authz.Assignment
	for i, role := range slices.Sorted(mapsKeys(wantPermissions)) {
		assignments = append(assignments,
			authz.Assignment{UserID: int64(i + 1), Role: role, UnitID: heldIn},
			authz.Assignment{UserID: int64(i + 1), Role: role, UnitID: "LS-H02-X01"})
	}
	e, err := authz.New(testUnits, assignments)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	for _, a := range assignments {
		for _, obj := range allObjects {
			for _, act := range allActions {
				var want []string
				for _, u := range testUnits {
					ok, err := e.Allow(a.UserID, u.ID, obj, act)
					if err != nil {
						t.Fatalf("Allow: %v", err)
					}
					if ok {
						want = append(want, u.ID)
					}
				}
				slices.Sort(want)
				if got := e.VisibleUnits(a.UserID, obj, act); !slices.Equal(got, want) {
					t.Errorf("%s: VisibleUnits(%s %s) = %v, Allow says %v", a.Role, obj, act, got, want)
				}
			}
		}
	}
}

func TestNewRejectsBrokenTree(t *testing.T) {
	cases := map[string][]authz.UnitNode{
		"duplicate": {{ID: "A"}, {ID: "A"}},
		"cycle":     {{ID: "R"}, {ID: "A", ParentID: "B"}, {ID: "B", ParentID: "A"}},
		"empty id":  {{ID: ""}},
	}
	for name, units := range cases {
		if _, err := authz.New(units, nil); err == nil {
			t.Errorf("%s: New succeeded, want an error", name)
		}
	}
	if _, err := authz.New(testUnits, []authz.Assignment{{UserID: 1, UnitID: "LS"}}); err == nil {
		t.Error("assignment without a role: New succeeded, want an error")
	}
}

func mapsKeys[K comparable, V any](m map[K]V) func(func(K) bool) {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// communeTree builds a province with 11 districts and 226 communes, as Lạng Sơn before
// 2025-07-01, and typical assignments: a clerk and a head in each commune, an appraiser
// and a decider in each district and at the province, an admin and an auditor at the
// province.
func communeTree() ([]authz.UnitNode, []authz.Assignment) {
	units := []authz.UnitNode{{ID: "LS"}}
	var as []authz.Assignment
	user := int64(0)
	add := func(role, unit string) {
		user++
		as = append(as, authz.Assignment{UserID: user, Role: role, UnitID: unit})
	}
	add(authz.RoleAppraiser, "LS")
	add(authz.RoleDecider, "LS")
	add(authz.RoleAdmin, "LS")
	add(authz.RoleAuditor, "LS")
	for d := 1; d <= 11; d++ {
		did := fmt.Sprintf("LS-H%02d", d)
		units = append(units, authz.UnitNode{ID: did, ParentID: "LS"})
		add(authz.RoleAppraiser, did)
		add(authz.RoleDecider, did)
	}
	for c := range 226 {
		did := fmt.Sprintf("LS-H%02d", c%11+1)
		cid := fmt.Sprintf("%s-X%03d", did, c+1)
		units = append(units, authz.UnitNode{ID: cid, ParentID: did})
		add(authz.RoleClerk, cid)
		add(authz.RoleUnitHead, cid)
	}
	return units, as
}

func BenchmarkAllow(b *testing.B) {
	units, as := communeTree()
	e, err := authz.New(units, as)
	if err != nil {
		b.Fatalf("New: %v", err)
	}
	type req struct {
		user     int64
		unit     string
		obj, act string
	}
	var reqs []req
	for _, a := range as {
		switch a.Role {
		case authz.RoleClerk:
			reqs = append(reqs, req{a.UserID, a.UnitID, "nomination", "edit"}, req{a.UserID, a.UnitID, "nomination", "appraise"})
		case authz.RoleAppraiser:
			for _, u := range units[len(units)-226:] {
				reqs = append(reqs, req{a.UserID, u.ID, "nomination", "read"})
			}
		}
	}
	b.ResetTimer()
	i := 0
	for b.Loop() {
		r := reqs[i%len(reqs)]
		if _, err := e.Allow(r.user, r.unit, r.obj, r.act); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
