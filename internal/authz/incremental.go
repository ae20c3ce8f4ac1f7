package authz

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Grant gives the user the role in the unit in the current snapshot, as if the
// assignment had been read by Load: it adds the assignment's g line and its g2 lines
// (its unit and every unit below) to casbin, without rebuilding anything else. An
// assignment already held, or in a unit not in force, changes nothing. The error
// reports an assignment with no role, or casbin refusing a line.
func (e *Enforcer) Grant(a Assignment) error {
	s := e.snap.Load()
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.forgetAnswers()
	return s.grant(a)
}

// Revoke takes the role in the unit from the user in the current snapshot: it removes
// the assignment's g line and those of its g2 lines that no other assignment of the
// same user and role still covers. An assignment not held changes nothing.
func (e *Enforcer) Revoke(a Assignment) error {
	s := e.snap.Load()
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.forgetAnswers()
	return s.revoke(a)
}

// SyncUsers makes the current snapshot's assignments of each listed user exactly those
// given (the user's rows as Load would read them: none for a deactivated user), by
// granting the new ones and revoking the missing ones. Users not listed keep theirs.
// Other requests wait while it runs, so a user's change is seen whole.
func (e *Enforcer) SyncUsers(users []int64, assignments []Assignment) error {
	want := make(map[int64][]Assignment, len(users))
	for _, a := range assignments {
		want[a.UserID] = append(want[a.UserID], a)
	}
	s := e.snap.Load()
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.forgetAnswers()
	for _, u := range users {
		for _, a := range slices.Clone(s.roles[u]) {
			if !slices.Contains(want[u], a) {
				if err := s.revoke(a); err != nil {
					return err
				}
			}
		}
		for _, a := range want[u] {
			if a.UserID != u {
				continue
			}
			if err := s.grant(a); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *snapshot) grant(a Assignment) error {
	if a.Role == "" {
		return fmt.Errorf("authz: assignment of user %d in unit %q has no role", a.UserID, a.UnitID)
	}
	if !s.tree.has(a.UnitID) || slices.Contains(s.roles[a.UserID], a) {
		return nil
	}
	sub := subject(a.UserID)
	if _, err := s.casbin.AddNamedGroupingPolicy("g", sub, a.Role, a.UnitID); err != nil {
		return fmt.Errorf("authz: grant %s %s in %s: %w", sub, a.Role, a.UnitID, err)
	}
	for _, u := range s.tree.subtree(nil, a.UnitID) {
		// A line another assignment already put there is left as it is (false, nil).
		if _, err := s.casbin.AddNamedGroupingPolicy("g2", sub, a.Role, u); err != nil {
			return fmt.Errorf("authz: grant %s %s below %s: %w", sub, a.Role, a.UnitID, err)
		}
	}
	rs := append(s.roles[a.UserID], a)
	slices.SortFunc(rs, func(x, y Assignment) int {
		return cmp.Or(strings.Compare(x.UnitID, y.UnitID), strings.Compare(x.Role, y.Role))
	})
	s.roles[a.UserID] = rs
	return nil
}

func (s *snapshot) revoke(a Assignment) error {
	i := slices.Index(s.roles[a.UserID], a)
	if i < 0 {
		return nil
	}
	rest := slices.Delete(slices.Clone(s.roles[a.UserID]), i, i+1)
	sub := subject(a.UserID)
	if _, err := s.casbin.RemoveNamedGroupingPolicy("g", sub, a.Role, a.UnitID); err != nil {
		return fmt.Errorf("authz: revoke %s %s in %s: %w", sub, a.Role, a.UnitID, err)
	}
	for _, u := range s.tree.subtree(nil, a.UnitID) {
		if s.covered(rest, a.Role, u) {
			continue
		}
		if _, err := s.casbin.RemoveNamedGroupingPolicy("g2", sub, a.Role, u); err != nil {
			return fmt.Errorf("authz: revoke %s %s below %s: %w", sub, a.Role, a.UnitID, err)
		}
	}
	if len(rest) == 0 {
		delete(s.roles, a.UserID)
	} else {
		s.roles[a.UserID] = rest
	}
	return nil
}

// covered reports whether one of the assignments holds role in unit or above it.
func (s *snapshot) covered(assignments []Assignment, role, unit string) bool {
	for _, b := range assignments {
		if b.Role == role && s.tree.inSubtree(unit, b.UnitID) {
			return true
		}
	}
	return false
}

// forgetAnswers drops what the partitions remember of earlier answers. Casbin compiles
// the matcher once per enforcer, and the g and g2 functions compiled into it memoize
// every link they were asked about; the whole-policy enforcer forgets them when a line
// is added or removed through it, but the partitions see the change only through the
// shared role managers, so they must be told. Setting the role manager again is casbin's
// way to make an enforcer recompile its matcher.
func (s *snapshot) forgetAnswers() {
	for _, pe := range s.parts {
		for _, ptype := range []string{"g", "g2"} {
			pe.SetNamedRoleManager(ptype, s.casbin.GetModel()["g"][ptype].RM)
		}
	}
}
