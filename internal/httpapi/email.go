package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// emailRoutes registers the user's own e-mail address for notifications.
func (s *Server) emailRoutes(g *gin.RouterGroup) {
	g.PUT("/me/email", s.putEmail)
}

type emailRequest struct {
	Email string `json:"email"`
}

// putEmail sets (or, with "", clears) the address notifications are e-mailed to.
func (s *Server) putEmail(c *gin.Context) {
	var req emailRequest
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	email, err := s.App.SetEmail(ctx(c), userID(c), req.Email)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, emailRequest{Email: email})
}
