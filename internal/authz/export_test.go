package authz

import "slices"

// AllowWholePolicy answers as Allow does but asks the casbin enforcer that holds every
// policy line, not the partition of the request's object and action; tests compare the
// two and benchmarks measure what the partitioning saves.
func (e *Enforcer) AllowWholePolicy(userID int64, unitID, obj, act string) (bool, error) {
	s := e.snap.Load()
	if !s.tree.has(unitID) {
		return false, nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.casbin.Enforce(subject(userID), unitID, obj, act)
}

// PolicyRequests returns every (object, action) pair of the policy, sorted.
func PolicyRequests() [][2]string {
	e, err := New(nil, nil)
	if err != nil {
		panic(err)
	}
	var out [][2]string
	for k := range e.snap.Load().parts {
		if !slices.Contains(out, [2]string{k.obj, k.act}) {
			out = append(out, [2]string{k.obj, k.act})
		}
	}
	slices.SortFunc(out, func(a, b [2]string) int {
		if a[0] != b[0] {
			if a[0] < b[0] {
				return -1
			}
			return 1
		}
		if a[1] < b[1] {
			return -1
		}
		if a[1] > b[1] {
			return 1
		}
		return 0
	})
	return out
}

// NotifiedUsers exposes notifiedUsers to the tests.
var NotifiedUsers = notifiedUsers
