package admin

import (
	"context"

	"github.com/tdkt/tdkt/internal/domain"
)

// UnitNode is a unit with its children, for the tree views.
type UnitNode struct {
	domain.Unit
	Children []*UnitNode `json:"children,omitempty"`
}

// Units returns the forest of units in force today that the user may read: each
// root is a unit whose parent the user cannot see.
func (s *Service) Units(ctx context.Context, userID int64) ([]*UnitNode, error) {
	all, err := s.Store.Units(ctx, s.Clock())
	if err != nil {
		return nil, err
	}
	visible := map[string]bool{}
	for _, id := range s.Authz.VisibleUnits(userID, "unit", "read") {
		visible[id] = true
	}
	nodes := map[string]*UnitNode{}
	roots := []*UnitNode{}
	for _, u := range all { // parents come before children
		if !visible[u.ID] {
			continue
		}
		n := &UnitNode{Unit: u}
		nodes[u.ID] = n
		if p, ok := nodes[u.ParentID]; ok {
			p.Children = append(p.Children, n)
		} else {
			roots = append(roots, n)
		}
	}
	return roots, nil
}
