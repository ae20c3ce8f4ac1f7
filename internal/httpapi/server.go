// Package httpapi is tdkt's JSON API on Gin: authentication, Casbin checks on every
// action, dossier actions sent as Temporal updates, and reads from the PostgreSQL
// read model. Errors are RFC 9457 problem documents with a stable type per kind.
package httpapi

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/app"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/httpapi/adminapi"
	"github.com/tdkt/tdkt/internal/httpx"
	"github.com/tdkt/tdkt/internal/openapi"
	"github.com/tdkt/tdkt/internal/strictjson"
)

// Server holds the API's dependencies.
type Server struct {
	App *app.Service
	Log *slog.Logger
	// MaxBodyBytes caps every request body while it is read.
	MaxBodyBytes int64
	// SecureCookies marks the session cookie Secure (behind TLS).
	SecureCookies bool
	// Middleware runs before every route (metrics, tracing), after recovery.
	Middleware []gin.HandlerFunc
	// Mount adds routes of other packages (the web UI) to the same engine. A
	// mounted package may answer unknown URLs outside /api/ with its own pages
	// (NoRoute and NoMethod starting with httpx.APINotFound and
	// httpx.MethodNotAllowed).
	Mount []func(r *gin.Engine)
	// RequireIfMatch makes If-Match (the dossier version) mandatory on PATCH
	// /nominations/:id, submit and actions: 428 without it (see preconditions.go).
	RequireIfMatch bool
	// TrustedProxies are the reverse proxies (addresses or CIDRs) whose
	// X-Forwarded-For names the client, for login throttling; none by default.
	TrustedProxies []string
	// ExpensiveRate limits each user's list, search, import and upload requests
	// (see ratelimit.go); the zero value takes the defaults.
	ExpensiveRate RateLimit

	limiter *rateLimiter
}

// SessionCookie is the name of the cookie that carries the session token
// (httpx.SessionCookie, shared with the web UI).
const SessionCookie = httpx.SessionCookie

const ctxUserID = httpx.UserKey

// Handler returns the Gin engine with every route.
func (s *Server) Handler() http.Handler {
	if s.MaxBodyBytes == 0 {
		s.MaxBodyBytes = 1 << 20
	}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	s.secure(r)
	r.Use(gin.Recovery(), s.limitBody, s.checkText)
	r.Use(s.Middleware...)
	r.HandleMethodNotAllowed = true
	r.NoRoute(func(c *gin.Context) { s.fail(c, domain.Errorf(domain.KindNotFound, "no such endpoint")) })
	r.NoMethod(httpx.MethodNotAllowed)
	r.GET("/healthz", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) })

	api := r.Group("/api/v1")
	api.POST("/login", s.login)
	api.GET("/openapi.json", openapi.Serve)
	auth := api.Group("", s.cookieCSRF, s.authenticate, s.rateLimit)
	auth.POST("/logout", s.logout)
	auth.GET("/me", s.me)
	auth.GET("/awards", s.awards)
	auth.GET("/nominations", s.listNominations)
	auth.POST("/nominations", s.idempotent(s.recoverCreate), s.createNomination)
	auth.GET("/nominations/:id", s.getNomination)
	auth.PATCH("/nominations/:id", s.dossierPrecondition(false), s.editNomination)
	auth.POST("/nominations/:id/submit", s.idempotent(s.recoverAction(false)), s.dossierPrecondition(false), s.submitNomination)
	auth.POST("/nominations/:id/actions", s.idempotent(s.recoverAction(false)), s.dossierPrecondition(false), s.actOnNomination)
	auth.GET("/nominations/:id/history", s.history)
	auth.GET("/inbox", s.inbox)
	auth.POST("/tasks/:id/actions", s.idempotent(s.recoverAction(true)), s.dossierPrecondition(true), s.actOnTask)
	auth.GET("/notifications", s.notifications)
	auth.POST("/notifications/read", s.markNotificationsRead)
	// Feature routes: each feature registers its group here with one line.
	s.reviewRoutes(auth)
	s.procedureRoutes(auth)
	adminapi.Routes(auth, s.App, s.Log)
	s.deadlineRoutes(auth)
	s.assignmentRoutes(auth)
	s.delegationRoutes(auth)
	s.emailRoutes(auth)
	s.historyRoutes(auth)
	s.securityRoutes(auth)
	s.adminRoutes(auth)
	for _, m := range s.Mount {
		m(r)
	}
	return r
}

// limitBody caps the body while it is read, so an oversized upload is refused
// without being buffered.
func (s *Server) limitBody(c *gin.Context) {
	if c.Request.Body != nil {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, s.MaxBodyBytes)
	}
	c.Next()
}

// decode reads a JSON body strictly (see strictjson.Decode): unknown fields
// (status, unit, version smuggled into a create) and trailing data are refused with
// 400, a body over the limit with 413.
func decode(c *gin.Context, v any) error { return strictjson.Decode(c.Request.Body, v) }

// TokenOf returns the bearer token or, failing that, the session cookie.
func TokenOf(c *gin.Context) string { return httpx.TokenOf(c) }

// authenticate resolves the bearer token or session cookie to a user; 401 otherwise.
func (s *Server) authenticate(c *gin.Context) {
	id, err := s.App.Authenticate(ctx(c), TokenOf(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Set(ctxUserID, id)
	c.Next()
}

func userID(c *gin.Context) int64 { return httpx.UserID(c) }

func ctx(c *gin.Context) context.Context { return httpx.Ctx(c) }
