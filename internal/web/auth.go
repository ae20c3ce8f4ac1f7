package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/accounts"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/httpx"
)

// Labels the CSRF HMACs sign, so that a token of one kind is never valid as another.
const (
	csrfLabel      = "tdkt web csrf v1"
	loginCSRFLabel = "tdkt web login csrf v1"
	// loginCookie keys the login form's CSRF token before any session exists.
	loginCookie = "tdkt_login"
	// csrfField is the hidden form field (or X-CSRF-Token header) carrying the token.
	csrfField = "csrf"
)

// csrfToken derives the CSRF token of a session: HMAC-SHA256 keyed with the session
// token. Only someone who holds the session cookie can compute it, and the page
// that carries it is never cached.
func csrfToken(key, label string) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(label))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// validCSRF compares a submitted token with the expected one in constant time.
func validCSRF(key, label, got string) bool {
	if key == "" || got == "" {
		return false
	}
	return hmac.Equal([]byte(csrfToken(key, label)), []byte(got))
}

// authenticate resolves the session cookie to a user. Without a live session a page
// request is redirected to the login form (htmx requests get HX-Redirect), keeping
// where the user wanted to go.
func (s *Server) authenticate(c *gin.Context) {
	tok, _ := c.Cookie(httpx.SessionCookie)
	id, err := s.cfg.App.Authenticate(Ctx(c), tok)
	if err != nil {
		if !domain.IsKind(err, domain.KindUnauthorized) {
			s.Fail(c, err)
			return
		}
		target := "/login"
		if c.Request.Method == http.MethodGet && c.Request.URL.Path != "/" {
			target += "?next=" + url.QueryEscape(c.Request.URL.RequestURI())
		}
		if c.GetHeader("HX-Request") != "" {
			c.Header("HX-Redirect", target)
			c.AbortWithStatus(http.StatusNoContent)
			return
		}
		c.Redirect(http.StatusSeeOther, target)
		c.Abort()
		return
	}
	u, err := s.cfg.App.Me(Ctx(c), id)
	if err != nil {
		s.Fail(c, err)
		return
	}
	unread, err := s.cfg.App.UnreadNotifications(Ctx(c), id)
	if err != nil {
		s.Fail(c, err)
		return
	}
	c.Set(ctxSession, &session{token: tok, user: u, unread: unread})
	c.Next()
}

// checkCSRF refuses an unsafe request of a logged-in user whose form field (or
// X-CSRF-Token header) does not carry the session's token.
func (s *Server) checkCSRF(c *gin.Context) {
	switch c.Request.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		c.Next()
		return
	}
	got := c.GetHeader("X-CSRF-Token")
	if got == "" && strings.HasPrefix(c.ContentType(), "multipart/") {
		// An upload over the body limit fails while the form is read: say so
		// rather than report a missing token.
		var tooLarge *http.MaxBytesError
		if err := c.Request.ParseMultipartForm(httpx.MultipartMemory); errors.As(err, &tooLarge) {
			s.Fail(c, &domain.Error{Kind: httpx.KindTooLarge, Message: "file too large"})
			return
		}
	}
	if got == "" {
		got = c.PostForm(csrfField)
	}
	if sess := sessionOf(c); sess == nil || !validCSRF(sess.token, csrfLabel, got) {
		s.RenderError(c, http.StatusForbidden, "error.csrf.title", "error.csrf")
		c.Abort()
		return
	}
	c.Next()
}

// loginData is the login page's content.
type loginData struct {
	Username string
	Next     string
	Failed   string // message key
	// Minutes is how long a lockout lasts, for the message login.locked.
	Minutes int
	// SSO shows the single sign-on button; Password the username and password form.
	SSO, Password bool
}

// loginForm shows the login page, or goes on to the requested page when the
// session is still live.
func (s *Server) loginForm(c *gin.Context) {
	next := safeNext(c.Query("next"))
	if tok, err := c.Cookie(httpx.SessionCookie); err == nil && tok != "" {
		if _, err := s.cfg.App.Authenticate(Ctx(c), tok); err == nil {
			c.Redirect(http.StatusSeeOther, next)
			return
		}
	}
	d := loginData{Next: next}
	if r := c.Query("sso"); ssoReasons[r] {
		d.Failed = "login.sso." + r
	}
	s.showLogin(c, http.StatusOK, d)
}

// ssoReasons are the refusals internal/sso sends back as /login?sso=<reason>.
var ssoReasons = map[string]bool{"failed": true, "unknown": true, "locked": true, "unit": true, "provider": true}

// showLogin renders the login form with its pre-session CSRF key: the browser's
// current one (so that two open login tabs both work), or a fresh random one.
func (s *Server) showLogin(c *gin.Context, status int, d loginData) {
	key, _ := c.Cookie(loginCookie)
	if len(key) != 43 {
		raw := make([]byte, 32)
		if _, err := rand.Read(raw); err != nil {
			s.Fail(c, err)
			return
		}
		key = base64.RawURLEncoding.EncodeToString(raw)
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: loginCookie, Value: key, Path: "/login", MaxAge: 3600,
		HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteStrictMode})
	d.SSO, d.Password = s.cfg.SSO, !s.cfg.App.PasswordLoginDisabled
	p := s.Page(c, "", d)
	p.CSRF = csrfToken(key, loginCSRFLabel)
	s.Render(c, status, "login", p)
}

// login checks the credentials through httpx.Login, the API's login path with
// its per-account and per-address lockouts, and sets the session cookie the API
// reads (same name, HttpOnly, SameSite=Lax). A locked account or address shows
// the form again with 429, how long the lock lasts and Retry-After.
func (s *Server) login(c *gin.Context) {
	if s.cfg.App.PasswordLoginDisabled {
		s.showLogin(c, http.StatusForbidden, loginData{Failed: "login.password_disabled", Next: safeNext(c.PostForm("next"))})
		return
	}
	key, _ := c.Cookie(loginCookie)
	if !validCSRF(key, loginCSRFLabel, c.PostForm(csrfField)) {
		s.RenderError(c, http.StatusForbidden, "error.csrf.title", "error.csrf")
		return
	}
	d := loginData{Username: strings.TrimSpace(c.PostForm("username")), Next: safeNext(c.PostForm("next"))}
	sess, err := httpx.Login(c, s.cfg.App, d.Username, c.PostForm("password"))
	switch {
	case domain.IsKind(err, domain.KindTooMany):
		d.Failed, d.Minutes = "login.locked", int(accounts.LockoutDuration.Minutes())
		s.showLogin(c, http.StatusTooManyRequests, d)
		return
	case domain.IsKind(err, domain.KindInvalid):
		d.Failed = "login.required"
		s.showLogin(c, http.StatusUnprocessableEntity, d)
		return
	case domain.IsKind(err, domain.KindUnauthorized):
		d.Failed = "login.failed"
		s.showLogin(c, http.StatusUnauthorized, d)
		return
	case err != nil:
		s.Fail(c, err)
		return
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: loginCookie, Value: "", Path: "/login", MaxAge: -1,
		HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteStrictMode})
	// A browser-session cookie: closing the browser of a shared office PC ends the
	// login there; the server enforces the session's lifetime either way.
	httpx.SetSessionCookie(c, sess.Token, time.Time{}, s.cfg.SecureCookies)
	c.Redirect(http.StatusSeeOther, d.Next)
}

// logout revokes the session and clears the cookie.
func (s *Server) logout(c *gin.Context) {
	if err := s.cfg.App.Logout(Ctx(c), sessionOf(c).token); err != nil {
		s.Fail(c, err)
		return
	}
	httpx.ClearSessionCookie(c, s.cfg.SecureCookies)
	c.Redirect(http.StatusSeeOther, "/login?ok=loggedout")
}

// safeNext keeps a post-login target only when it is a path on this site, so the
// login form cannot be used to send users elsewhere.
func safeNext(next string) string { return httpx.SafeNext(next) }
