package httpapi

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/app"
	"github.com/tdkt/tdkt/internal/domain"
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

// login checks a username and password and returns a bearer token; it also sets an
// HttpOnly, SameSite session cookie carrying the same token for the web UI.
func (s *Server) login(c *gin.Context) {
	var req loginRequest
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	sess, err := s.App.Login(app.WithClientIP(ctx(c), c.ClientIP()), req.Username, req.Password)
	if err != nil {
		if domain.IsKind(err, domain.KindTooMany) {
			c.Header("Retry-After", strconv.Itoa(int(app.LockoutDuration.Seconds())))
		}
		s.fail(c, err)
		return
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: SessionCookie, Value: sess.Token, Path: "/", Expires: sess.ExpiresAt,
		HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode})
	c.JSON(http.StatusOK, loginResponse{Token: sess.Token, ExpiresAt: sess.ExpiresAt.UTC().Format("2006-01-02T15:04:05Z"), User: sess.User})
}

// logout revokes the session so the token stops working, and clears the cookie.
func (s *Server) logout(c *gin.Context) {
	if err := s.App.Logout(ctx(c), TokenOf(c)); err != nil {
		s.fail(c, err)
		return
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode})
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
