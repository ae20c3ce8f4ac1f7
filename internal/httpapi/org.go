package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// units returns the forest of units in force today that the user may read; with
// ?on=yyyy-mm-dd, the tree in force on that day (unitsOn).
func (s *Server) units(c *gin.Context) {
	if _, ok := c.GetQuery("on"); ok {
		s.unitsOn(c)
		return
	}
	roots, err := s.App.Units(ctx(c), userID(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"units": roots})
}

func (s *Server) awards(c *gin.Context) {
	as, err := s.App.Awards(ctx(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"awards": as})
}
