package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/domain"
)

// unitNode is a unit with its children, for the tree endpoint.
type unitNode struct {
	domain.Unit
	Children []*unitNode `json:"children,omitempty"`
}

// units returns the forest of units in force today that the user may read: each
// root is a unit whose parent the user cannot see.
func (s *Server) units(c *gin.Context) {
	all, err := s.Store.Units(ctx(c), s.Now())
	if err != nil {
		s.fail(c, err)
		return
	}
	visible := map[string]bool{}
	for _, id := range s.Authz.VisibleUnits(userID(c), "unit", "read") {
		visible[id] = true
	}
	nodes := map[string]*unitNode{}
	roots := []*unitNode{}
	for _, u := range all { // parents come before children
		if !visible[u.ID] {
			continue
		}
		n := &unitNode{Unit: u}
		nodes[u.ID] = n
		if p, ok := nodes[u.ParentID]; ok {
			p.Children = append(p.Children, n)
		} else {
			roots = append(roots, n)
		}
	}
	c.JSON(http.StatusOK, gin.H{"units": roots})
}

func (s *Server) awards(c *gin.Context) {
	as, err := s.Store.Awards(ctx(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"awards": as})
}
