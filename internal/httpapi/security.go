package httpapi

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/accounts"
	"github.com/tdkt/tdkt/internal/domain"
)

// securityRoutes registers personal API tokens and the lockout administration.
func (s *Server) securityRoutes(g *gin.RouterGroup) {
	g.POST("/me/tokens", s.createAPIToken)
	g.GET("/me/tokens", s.apiTokens)
	g.DELETE("/me/tokens/:id", s.revokeAPIToken)
	g.POST("/me/logout-everywhere", s.logoutEverywhere)
	g.DELETE("/admin/lockouts/:username", s.clearLockout)
}

type createTokenRequest struct {
	Name string `json:"name"`
	// ExpiresIn is the token's life in seconds (default 90 days, at most 365).
	ExpiresIn int64 `json:"expires_in"`
}

// createAPIToken issues a token; the secret is in this answer only. A token
// cannot mint tokens: that needs a login session, so a leaked token cannot
// outlive its expiry.
func (s *Server) createAPIToken(c *gin.Context) {
	if strings.HasPrefix(TokenOf(c), accounts.APITokenPrefix) {
		s.fail(c, domain.Errorf(domain.KindForbidden, "log in to create API tokens; a token cannot create tokens"))
		return
	}
	var req createTokenRequest
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	if req.ExpiresIn < 0 || req.ExpiresIn > int64(accounts.MaxAPITokenTTL/time.Second) {
		s.fail(c, domain.Invalid("invalid expiry", domain.FieldError{Field: "expires_in", Message: "seconds, at most one year"}))
		return
	}
	t, err := s.App.CreateAPIToken(ctx(c), userID(c), req.Name, time.Duration(req.ExpiresIn)*time.Second)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusCreated, t)
}

func (s *Server) apiTokens(c *gin.Context) {
	ts, err := s.App.APITokens(ctx(c), userID(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"tokens": ts})
}

func (s *Server) revokeAPIToken(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		s.fail(c, domain.Errorf(domain.KindNotFound, "no such token"))
		return
	}
	if err := s.App.RevokeAPIToken(ctx(c), userID(c), id); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// clearLockout unlocks an account locked by failed logins (admin of the
// account's unit or above).
func (s *Server) clearLockout(c *gin.Context) {
	if err := s.App.ClearLockout(ctx(c), userID(c), c.Param("username")); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// logoutEverywhere ends all of the caller's sessions and revokes all of their
// API tokens; the cookie of this browser is cleared too.
func (s *Server) logoutEverywhere(c *gin.Context) {
	if err := s.App.LogoutEverywhere(ctx(c), userID(c)); err != nil {
		s.fail(c, err)
		return
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode})
	c.Status(http.StatusNoContent)
}
