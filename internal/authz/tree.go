package authz

import (
	"fmt"
	"slices"
)

// UnitNode is one unit of the tree in force: its id and its parent's id ("" for a root).
type UnitNode struct {
	ID       string
	ParentID string
}

// unitTree is the unit hierarchy in force, indexed both ways: upwards for "is this unit
// below that one" and downwards for "every unit below this one".
type unitTree struct {
	parent   map[string]string   // unit → parent; "" for a root
	children map[string][]string // unit → direct children, sorted
}

// newUnitTree indexes units. A parent that is not among the units (not in force) makes the
// unit a root, so an abolished parent's role holders reach nothing through it. Duplicate
// ids, empty ids and cycles are errors: authorization must not guess at a broken tree.
func newUnitTree(units []UnitNode) (unitTree, error) {
	t := unitTree{
		parent:   make(map[string]string, len(units)),
		children: make(map[string][]string, len(units)),
	}
	for _, u := range units {
		if u.ID == "" {
			return unitTree{}, fmt.Errorf("authz: unit with an empty id")
		}
		if _, dup := t.parent[u.ID]; dup {
			return unitTree{}, fmt.Errorf("authz: unit %q listed twice", u.ID)
		}
		t.parent[u.ID] = u.ParentID
	}
	for id, p := range t.parent {
		if _, ok := t.parent[p]; !ok {
			t.parent[id] = ""
			continue
		}
		t.children[p] = append(t.children[p], id)
	}
	for _, c := range t.children {
		slices.Sort(c)
	}
	for id := range t.parent {
		steps := 0
		for p := t.parent[id]; p != ""; p = t.parent[p] {
			steps++
			if steps > len(t.parent) {
				return unitTree{}, fmt.Errorf("authz: unit %q is part of a parent cycle", id)
			}
		}
	}
	return t, nil
}

// has reports whether id is a unit in force.
func (t unitTree) has(id string) bool {
	_, ok := t.parent[id]
	return ok
}

// inSubtree reports whether unit is root or lies below it; false if either is unknown.
func (t unitTree) inSubtree(unit, root string) bool {
	if !t.has(unit) || !t.has(root) {
		return false
	}
	for u := unit; u != ""; u = t.parent[u] {
		if u == root {
			return true
		}
	}
	return false
}

// subtree appends root and every unit below it to dst, parents before children.
func (t unitTree) subtree(dst []string, root string) []string {
	if !t.has(root) {
		return dst
	}
	dst = append(dst, root)
	for _, c := range t.children[root] {
		dst = t.subtree(dst, c)
	}
	return dst
}
