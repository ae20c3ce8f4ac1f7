package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/httpx"
)

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

type loginResponse struct {
	Token     string      `json:"token"`
	ExpiresAt string      `json:"expires_at"`
	User      domain.User `json:"user"`
}

// login checks a username and password through httpx.Login (the web UI's path
// too, with the per-address lockout) and returns a bearer token; it also sets an
// HttpOnly, SameSite session cookie carrying the same token for the web UI.
func (s *Server) login(c *gin.Context) {
	var req loginRequest
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	sess, err := httpx.Login(c, s.App, req.Username, req.Password)
	if err != nil {
		s.fail(c, err)
		return
	}
	httpx.SetSessionCookie(c, sess.Token, sess.ExpiresAt, s.SecureCookies)
	c.JSON(http.StatusOK, loginResponse{Token: sess.Token, ExpiresAt: sess.ExpiresAt.UTC().Format("2006-01-02T15:04:05Z"), User: sess.User})
}

// logout revokes the session so the token stops working, and clears the cookie.
func (s *Server) logout(c *gin.Context) {
	if err := s.App.Logout(ctx(c), TokenOf(c)); err != nil {
		s.fail(c, err)
		return
	}
	httpx.ClearSessionCookie(c, s.SecureCookies)
	c.Status(http.StatusNoContent)
}

func (s *Server) me(c *gin.Context) {
	u, err := s.App.Me(ctx(c), userID(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, u)
}
