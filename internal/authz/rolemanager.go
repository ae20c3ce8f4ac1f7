package authz

import (
	"errors"
	"slices"

	"github.com/casbin/casbin/v2/log"
	"github.com/casbin/casbin/v2/rbac"
)

// linkManager is the casbin role manager of g and g2: a set of (user, role, unit)
// links in a plain map. tdkt's grouping lines only ever link a user to a role in a
// unit (roles never inherit roles, and no domain pattern is used), so a direct lookup
// answers HasLink exactly as casbin's default role manager does, which keeps a Role
// object with several sync.Maps per user and unit: at national scale (100,000
// assignments, about 630,000 g2 links) that is most of the enforcer's heap and of a
// decision's time. It is not safe for concurrent writes; the snapshot's lock orders
// them before reads.
type linkManager struct {
	links map[link]struct{}
}

type link struct{ name1, name2, domain string }

var _ rbac.RoleManager = (*linkManager)(nil)

var errOneDomain = errors.New("authz: a grouping link needs exactly one domain (the unit)")

func newLinkManager() *linkManager { return &linkManager{links: make(map[link]struct{})} }

// Clear removes every link.
func (m *linkManager) Clear() error {
	m.links = make(map[link]struct{})
	return nil
}

// AddLink links name1 to name2 in the domain.
func (m *linkManager) AddLink(name1, name2 string, domain ...string) error {
	if len(domain) != 1 {
		return errOneDomain
	}
	m.links[link{name1, name2, domain[0]}] = struct{}{}
	return nil
}

// BuildRelationship is AddLink (casbin's interface keeps it for compatibility).
func (m *linkManager) BuildRelationship(name1, name2 string, domain ...string) error {
	return m.AddLink(name1, name2, domain...)
}

// DeleteLink removes the link; removing an absent link is not an error.
func (m *linkManager) DeleteLink(name1, name2 string, domain ...string) error {
	if len(domain) != 1 {
		return errOneDomain
	}
	delete(m.links, link{name1, name2, domain[0]})
	return nil
}

// HasLink reports whether name1 is linked to name2 in the domain; a name is linked to
// itself, as in casbin's default role manager.
func (m *linkManager) HasLink(name1, name2 string, domain ...string) (bool, error) {
	if len(domain) != 1 {
		return false, errOneDomain
	}
	if name1 == name2 {
		return true, nil
	}
	_, ok := m.links[link{name1, name2, domain[0]}]
	return ok, nil
}

// scan returns, sorted and distinct, pick(l) of every link keep(l) accepts.
func (m *linkManager) scan(keep func(link) bool, pick func(link) string) []string {
	var out []string
	for l := range m.links {
		if keep(l) {
			out = append(out, pick(l))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// GetRoles returns the roles name holds in the domain (a scan: no request path uses it).
func (m *linkManager) GetRoles(name string, domain ...string) ([]string, error) {
	if len(domain) != 1 {
		return nil, errOneDomain
	}
	return m.scan(func(l link) bool { return l.name1 == name && l.domain == domain[0] }, func(l link) string { return l.name2 }), nil
}

// GetUsers returns the users holding the role name in the domain (a scan).
func (m *linkManager) GetUsers(name string, domain ...string) ([]string, error) {
	if len(domain) != 1 {
		return nil, errOneDomain
	}
	return m.scan(func(l link) bool { return l.name2 == name && l.domain == domain[0] }, func(l link) string { return l.name1 }), nil
}

// GetImplicitRoles is GetRoles: roles inherit no roles.
func (m *linkManager) GetImplicitRoles(name string, domain ...string) ([]string, error) {
	return m.GetRoles(name, domain...)
}

// GetImplicitUsers is GetUsers: roles inherit no roles.
func (m *linkManager) GetImplicitUsers(name string, domain ...string) ([]string, error) {
	return m.GetUsers(name, domain...)
}

// GetDomains returns the domains where name has a link (a scan).
func (m *linkManager) GetDomains(name string) ([]string, error) {
	return m.scan(func(l link) bool { return l.name1 == name }, func(l link) string { return l.domain }), nil
}

// GetAllDomains returns every domain with a link (a scan).
func (m *linkManager) GetAllDomains() ([]string, error) {
	return m.scan(func(link) bool { return true }, func(l link) string { return l.domain }), nil
}

// DeleteDomain removes every link of the domain.
func (m *linkManager) DeleteDomain(domain string) error {
	for l := range m.links {
		if l.domain == domain {
			delete(m.links, l)
		}
	}
	return nil
}

// PrintRoles prints nothing: the links are the assignments, listed by the admin area.
func (m *linkManager) PrintRoles() error { return nil }

// SetLogger is ignored: the manager logs nothing.
func (m *linkManager) SetLogger(log.Logger) {}

// Match compares names exactly: the model uses no pattern.
func (m *linkManager) Match(str, pattern string) bool { return str == pattern }

// AddMatchingFunc is ignored: the model uses no name pattern, and the manager compares
// names exactly.
func (m *linkManager) AddMatchingFunc(string, rbac.MatchingFunc) {}

// AddDomainMatchingFunc is ignored: g2's lines are expanded over the subtree instead of
// matched by a domain pattern (see snapshotAdapter).
func (m *linkManager) AddDomainMatchingFunc(string, rbac.MatchingFunc) {}
