package httpapi

import (
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/domain"
)

// CSRFHeader is the header that lets a cookie-authenticated script call the API
// with a body that is not JSON (an upload). A page of another origin cannot set
// it: a custom header needs a CORS preflight, and the API answers none.
const CSRFHeader = "X-CSRF-Token"

// cookieCSRF guards the JSON API against cross-site requests riding on the
// session cookie. An unsafe request (not GET, HEAD or OPTIONS) authenticated by
// the cookie rather than a bearer token must either carry CSRFHeader, or be
// application/json (a cross-site form cannot send that type) and same-origin:
// an Origin equal to the request's own host, or, without Origin,
// Sec-Fetch-Site: same-origin. Otherwise 403. Bearer-token requests carry no
// ambient credential and are unaffected. SameSite=Lax alone lets through a
// top-level cross-site POST from an old browser, or any same-site subdomain.
func (s *Server) cookieCSRF(c *gin.Context) {
	if err := checkCookieCSRF(c.Request); err != nil {
		s.fail(c, err)
		return
	}
	c.Next()
}

// checkCookieCSRF is cookieCSRF's rule, free of Gin.
func checkCookieCSRF(r *http.Request) error {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return nil
	}
	if strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
		return nil
	}
	if _, err := r.Cookie(SessionCookie); err != nil {
		return nil // no credential at all: authentication answers 401
	}
	if r.Header.Get(CSRFHeader) != "" {
		return nil
	}
	if contentType(r) != "application/json" && r.ContentLength != 0 {
		return domain.Errorf(domain.KindForbidden, "a request authenticated by the session cookie must be application/json, or carry the %s header", CSRFHeader)
	}
	if !sameOrigin(r) {
		return domain.Errorf(domain.KindForbidden, "a request authenticated by the session cookie must come from this site (Origin or Sec-Fetch-Site), or carry the %s header", CSRFHeader)
	}
	return nil
}

// sameOrigin reports whether the browser says the request comes from a page of
// this host.
func sameOrigin(r *http.Request) bool {
	if o := r.Header.Get("Origin"); o != "" && o != "null" {
		u, err := url.Parse(o)
		return err == nil && strings.EqualFold(u.Host, r.Host)
	}
	return r.Header.Get("Sec-Fetch-Site") == "same-origin"
}

// contentType is the media type of the request body, without parameters.
func contentType(r *http.Request) string {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mt
}
