package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

func (s *Server) awards(c *gin.Context) {
	as, err := s.App.Awards(ctx(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"awards": as})
}
