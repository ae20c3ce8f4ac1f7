package httpapi

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/password"
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
	if req.Username == "" || req.Password == "" {
		s.fail(c, domain.Invalid("username and password are required",
			domain.FieldError{Field: "username", Message: "required"}, domain.FieldError{Field: "password", Message: "required"}))
		return
	}
	id, hash, err := s.Store.Credentials(ctx(c), req.Username)
	if err != nil && !domain.IsKind(err, domain.KindNotFound) {
		s.fail(c, err)
		return
	}
	if !password.Verify(hash, req.Password) {
		s.fail(c, domain.Errorf(domain.KindUnauthorized, "wrong username or password"))
		return
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		s.fail(c, err)
		return
	}
	tok := base64.RawURLEncoding.EncodeToString(raw)
	expires := s.Now().Add(s.SessionTTL)
	if err := s.Store.CreateSession(ctx(c), hashToken(tok), id, expires); err != nil {
		s.fail(c, err)
		return
	}
	u, err := s.Store.User(ctx(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: sessionCookie, Value: tok, Path: "/", Expires: expires,
		HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode})
	c.JSON(http.StatusOK, loginResponse{Token: tok, ExpiresAt: expires.UTC().Format("2006-01-02T15:04:05Z"), User: u})
}

// logout revokes the session so the token stops working, and clears the cookie.
func (s *Server) logout(c *gin.Context) {
	if err := s.Store.RevokeSession(ctx(c), hashToken(tokenOf(c)), s.Now()); err != nil {
		s.fail(c, err)
		return
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode})
	c.Status(http.StatusNoContent)
}

func (s *Server) me(c *gin.Context) {
	u, err := s.Store.User(ctx(c), userID(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, u)
}
