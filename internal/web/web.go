// Package web is tdkt's web UI (giao diện web) for the people who run the
// procedure every day: commune and department clerks, the appraisers of the
// standing bodies, and the leaders who forward and sign. Pages are rendered on the
// server with html/template, in Vietnamese by default (English on request), and
// work without JavaScript; htmx (vendored in static/, no CDN, no build step) and a
// small script of our own only enhance them: filters that apply as you choose,
// nominee rows added in place, confirmations before irreversible actions.
//
// Every page and every action goes through app.Service, the same use cases as the
// JSON API: the same validation and the same Casbin checks, so no page shows what
// the API would refuse. The session is the API's: the login form calls
// app.Service.Login through httpx.Login, as the API does, and sets the same
// HttpOnly, SameSite cookie (httpx.SessionCookie). The web UI does not import the
// API package: the plumbing both share (the error-kind table, the If-Match
// parser, the upload reader, the login path) lives in internal/httpx.
//
// # Security of the pages
//
//   - The session cookie is HttpOnly, SameSite=Lax, Secure behind TLS, and lives
//     as long as the browser session (closing the browser of a shared office PC
//     ends the login there); the server enforces the session's lifetime.
//   - Every POST carries a CSRF token checked by the csrf middleware before any
//     handler runs. The token is an HMAC-SHA256, keyed with the session token, of a
//     fixed label: it is bound to the session, costs no table, and holds across
//     replicas. The login form, which has no session yet, uses a random
//     SameSite=Strict cookie as the key instead.
//   - The Content-Security-Policy allows scripts, styles, images and form targets
//     from 'self' only: no inline script, no inline style (charts are SVG with
//     presentation attributes and CSS classes), no framing (frame-ancestors 'none',
//     X-Frame-Options DENY), nosniff, no referrer across origins, and pages are
//     never cached.
//
// # Assets
//
// static/htmx.min.js is htmx.org 4.0.1 from the npm registry (`npm pack
// htmx.org@4.0.1`, dist/htmx.min.js, 37,448 bytes; 0BSD, static/htmx.LICENSE.txt);
// static/app.js is ours. They are embedded in the binary and served under
// /static/ with a content hash in the URL, cacheable for a year.
//
// # Packages
//
// This package is the core: the server, its middlewares (session, CSRF, rate
// limit, language, security headers), rendering (Page, Render, Fail, FormError),
// the login, the messages, formats and charts, every template and static asset,
// the dashboard, the unit tree and the notifications. The pages of each feature
// live in a package of their own below it, which registers its routes through
// Config.Pages: dossierpages (the dossiers, their forms and the decisions
// register), documentpages (the documents a dossier issues and their public
// verification), inboxpages (the inbox, its tasks and the deadlines), reviewpages
// (movements and review campaigns) and adminpages (the admin area, the calendar,
// the award history and the statistics). internal/webui composes them all; that
// is what cmd/tdkt mounts.
//
// # Adding a page
//
// A feature that lands adds its pages the same way the existing ones are built:
//
//  1. Write templates/<feature>.html defining "title" and "content" (see
//     inbox.html). Every file in templates/ is parsed with the layout; a file
//     whose name starts with "_" holds shared partials and is not a page.
//  2. Write the handlers in the feature's page package (or a new one, added to
//     internal/webui): read with app.Service, then s.Render(c, http.StatusOK,
//     "<feature>", p) where p := s.page(c, "nav-key", data) wraps s.Page. Errors
//     go through s.Fail(c, err), which renders a page for each domain error kind.
//     A form re-rendered with errors uses p.Fields (p.FormError fills them). The
//     methods the feature's templates call go on the package's page type, which
//     embeds *Page.
//  3. Register the routes in the package's Routes, on the authenticated group so
//     that the session and CSRF middlewares apply. POST handlers redirect (303)
//     to a page with ?ok=<key>, whose message is "flash.<key>".
//  4. Add every message key to both i18n/vi.json and i18n/en.json (TestCatalogue fails on
//     a key missing from either), and a nav entry in navItems when the page
//     belongs in the menu.
//  5. A new action on a dossier (a council vote, a concurrence answer, a hold) adds
//     its form to dossier.html and the action to dossierpages' webActions;
//     actOnDossier sends every action through app.Service.Act.
//  6. Add a handler test (web_test.go shows the cookie-jar "browser" without
//     JavaScript), a step of the Chromium test when the page uses htmx, and a case
//     of BenchmarkPages when the page reads a lot.
//
// Spreadsheets: a dossier's nominee list (dossierpages) and a unit's award
// history (adminpages) are imported from XLSX or CSV through the API's use cases,
// all or nothing, a refused file coming back as a table of its bad rows
// (imports.go here); the blank templates and the exports are the API's
// downloads, opened with the session.
package web

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/app"
	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/documents/keys"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/httpx"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Config holds the web UI's dependencies.
type Config struct {
	// App is the application service every page and action goes through.
	App *app.Service
	// Calendar loads the working-day calendar in force (with the administrator's
	// overrides) for "N working days left"; it is reloaded at most once a minute.
	// The published calendar when nil.
	Calendar func(context.Context) (*calendar.Calendar, error)
	// Log receives internal errors; nothing else of them reaches the user.
	Log *slog.Logger
	// SecureCookies marks cookies Secure (behind TLS).
	SecureCookies bool
	// Now is the clock; tests replace it.
	Now func() time.Time
	// Limit, when set, takes a token from the user's bucket of expensive
	// requests (httpapi.Server.AllowExpensive): searches, lists of many rows and
	// imports answer 429 when it says no (see ratelimit.go).
	Limit func(userID int64) (ok bool, retryAfter time.Duration)
	// Signing signs the documents tdkt issues and verifies signed copies; nil
	// issues them unsigned (documentpages).
	Signing Signing
	// SSO shows the single sign-on button (to /login/sso, internal/sso) on the
	// login page.
	SSO bool
	// Pages registers the pages of the feature page packages (internal/web/…pages,
	// composed by internal/webui).
	Pages []PageRoutes
}

// PageRoutes registers a page package's routes: its public ones on public, the
// rest on authed, the group behind the session, CSRF and rate-limit middlewares.
type PageRoutes func(s *Server, public, authed *gin.RouterGroup)

// Signing gives the issuing units' signing keys and the trust anchors that signed
// copies must chain to (keys.DevPKI in dev mode). Without it documents are
// issued unsigned, to be signed on the signer's own computer.
type Signing interface {
	UnitKey(unitID, unitName string) (*keys.Key, error)
	Roots() *x509.CertPool
}

// Server is the web UI: its dependencies, parsed templates and static assets.
type Server struct {
	cfg    Config
	pages  map[string]*template.Template
	static fs.FS
	// assets maps a static file name to its URL with a content hash, so that it can
	// be cached for a year and still change with each release.
	assets map[string]string
	cal    calendarCache
}

// calendarCache keeps the working-day calendar for a minute between loads.
type calendarCache struct {
	mu   sync.Mutex
	cal  *calendar.Calendar
	at   time.Time
	load func(context.Context) (*calendar.Calendar, error)
}

// calendar returns the calendar in force, reloading it when it is a minute old. A
// failed reload keeps the previous calendar and is logged.
func (s *Server) Calendar(ctx context.Context) *calendar.Calendar {
	cc := &s.cal
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if cc.load != nil && s.Now().Sub(cc.at) > time.Minute {
		cal, err := cc.load(ctx)
		if err != nil {
			s.cfg.Log.Error("working-day calendar reload failed", slog.Any("err", err))
		} else {
			cc.cal = cal
		}
		cc.at = s.Now()
	}
	return cc.cal
}

// New parses the templates and fingerprints the static assets. It fails when a
// template does not parse.
func New(cfg Config) (*Server, error) {
	if cfg.App == nil {
		return nil, fmt.Errorf("web: no application service")
	}
	published, err := calendar.New(calendar.Published())
	if err != nil {
		return nil, fmt.Errorf("web: calendar: %w", err)
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	st, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, fmt.Errorf("web: static files: %w", err)
	}
	s := &Server{cfg: cfg, static: st, assets: map[string]string{}, cal: calendarCache{cal: published, load: cfg.Calendar}}
	err = fs.WalkDir(st, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(st, path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		s.assets[path] = "/static/" + path + "?v=" + hex.EncodeToString(sum[:6])
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: static files: %w", err)
	}
	if s.pages, err = parseTemplates(s.funcs()); err != nil {
		return nil, err
	}
	return s, nil
}

// Mount registers the web UI's routes on the API's Gin engine
// (httpapi.Server.Mount, wired in cmd/tdkt). An unknown URL, or a known one
// called with the wrong method, gets a problem document under /api/ and the web
// UI's error page anywhere else.
func (s *Server) Mount(r *gin.Engine) {
	r.GET("/static/*file", s.serveStatic)
	r.HEAD("/static/*file", s.serveStatic)
	s.routes(r.Group("", s.secureHeaders, s.language))
	r.NoRoute(httpx.APINotFound, s.secureHeaders, s.language, func(c *gin.Context) {
		s.RenderError(c, http.StatusNotFound, "error.notfound.title", "error.notfound")
	})
	r.NoMethod(httpx.MethodNotAllowed, s.secureHeaders, s.language, func(c *gin.Context) {
		s.RenderError(c, http.StatusMethodNotAllowed, "error.method.title", "error.method")
	})
}

// routes is the list of pages and actions. Public pages first, then the
// authenticated group, where every unsafe method is checked for its CSRF token.
func (s *Server) routes(g *gin.RouterGroup) {
	g.GET("/login", s.loginForm)
	g.POST("/login", s.login)

	a := g.Group("", s.authenticate, s.checkCSRF, s.limitExpensive)
	a.POST("/logout", s.logout)
	a.GET("/", s.dashboard)
	a.GET("/units", s.unitTree)
	a.GET("/notifications", s.notifications)
	a.POST("/notifications/read", s.markRead)
	for _, pages := range s.cfg.Pages {
		pages(s, g, a)
	}
	// Notifications link dossiers as /nominations/<id>.
	a.GET("/nominations/:id", func(c *gin.Context) { c.Redirect(http.StatusSeeOther, "/dossiers/"+c.Param("id")) })
}

// navItems is the main menu: the page key, its path and its message key.
var navItems = []struct{ Key, Path string }{
	{"dashboard", "/"},
	{"inbox", "/inbox"},
	{"dossiers", "/dossiers"},
	{"decisions", "/decisions"},
	{"movements", "/movements"},
	{"reviews", "/reviews"},
	{"history", "/history"},
	{"units", "/units"},
	{"calendar", "/calendar"},
	{"notifications", "/notifications"},
	{"admin", "/admin"}, // only for holders of the admin role: see navShown
}

// holdsAdmin reports whether the user holds the admin role in some unit: the
// admin area's menu entry is for them only (the pages check the permission
// themselves).
func holdsAdmin(u *domain.User) bool {
	if u == nil {
		return false
	}
	for _, r := range u.Roles {
		if r.Role == domain.RoleAdmin {
			return true
		}
	}
	return false
}

// navShown holds the menu entries shown only to some users, by key; NavItems
// leaves out an entry whose test fails.
var navShown = map[string]func(*domain.User) bool{"admin": holdsAdmin}

// secureHeaders sets the security headers of every page.
func (s *Server) secureHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cache-Control", "no-store")
	h.Set("Vary", "Cookie, Accept-Language, HX-Request")
	c.Next()
}

// contentSecurityPolicy allows nothing inline and nothing from elsewhere.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// serveStatic serves an embedded asset; with the right ?v= fingerprint it may be
// cached for a year.
func (s *Server) serveStatic(c *gin.Context) {
	name := strings.TrimPrefix(c.Param("file"), "/")
	if _, ok := s.assets[name]; !ok {
		c.Status(http.StatusNotFound)
		return
	}
	h := c.Writer.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	if v := c.Query("v"); v != "" && strings.HasSuffix(s.assets[name], "?v="+v) {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	c.FileFromFS(name, http.FS(s.static))
}

// asset returns the fingerprinted URL of a static file.
func (s *Server) asset(name string) string {
	if u, ok := s.assets[name]; ok {
		return u
	}
	return "/static/" + name
}

// session is the logged-in user of a request.
type session struct {
	token  string
	user   domain.User
	unread int
}

const ctxSession = "tdkt.web.session"

func sessionOf(c *gin.Context) *session {
	if v, ok := c.Get(ctxSession); ok {
		return v.(*session)
	}
	return nil
}

// UserID is the id of the request's logged-in user, 0 without a session.
func UserID(c *gin.Context) int64 {
	if sess := sessionOf(c); sess != nil {
		return sess.user.ID
	}
	return 0
}

// Ctx is the request's context for the application service.
func Ctx(c *gin.Context) context.Context { return httpx.Ctx(c) }

// Now is the server's clock.
func (s *Server) Now() time.Time { return s.cfg.Now() }

// Config returns the server's configuration, defaults filled in.
func (s *Server) Config() Config { return s.cfg }

// User is the request's logged-in user, nil without a session.
func User(c *gin.Context) *domain.User {
	if sess := sessionOf(c); sess != nil {
		return &sess.user
	}
	return nil
}
