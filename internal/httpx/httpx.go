// Package httpx is the HTTP plumbing that tdkt's JSON API (internal/httpapi) and
// its web UI (internal/web) share, so that both answer the same way: the session
// cookie, the one table from an error kind to an HTTP status (errors.go), the
// If-Match parser (ifmatch.go), the upload reader (upload.go), the login path with
// its lockouts (login.go) and the request-context helpers below. Neither front
// end imports the other; both import this package.
package httpx

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// SessionCookie is the name of the cookie that carries the session token, for
// the API and the web UI alike.
const SessionCookie = "tdkt_session"

// Ctx returns the request's context.
func Ctx(c *gin.Context) context.Context { return c.Request.Context() }

// TokenOf returns the bearer token or, failing that, the session cookie.
func TokenOf(c *gin.Context) string {
	if h := c.GetHeader("Authorization"); strings.HasPrefix(h, "Bearer ") {
		return strings.TrimSpace(strings.TrimPrefix(h, "Bearer "))
	}
	if ck, err := c.Cookie(SessionCookie); err == nil {
		return ck
	}
	return ""
}

// SetSessionCookie sets the HttpOnly, SameSite=Lax session cookie. A zero expires
// makes it a browser-session cookie (the web UI: closing the browser of a shared
// office PC ends the login there); the server enforces the session's lifetime
// either way.
func SetSessionCookie(c *gin.Context, token string, expires time.Time, secure bool) {
	http.SetCookie(c.Writer, &http.Cookie{Name: SessionCookie, Value: token, Path: "/", Expires: expires,
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
}

// ClearSessionCookie removes the session cookie from the browser.
func ClearSessionCookie(c *gin.Context, secure bool) {
	http.SetCookie(c.Writer, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
}

// IsAPI reports whether a request is for the JSON API (under /api/), whose
// errors are problem documents rather than pages.
func IsAPI(c *gin.Context) bool { return strings.HasPrefix(c.Request.URL.Path, "/api/") }
