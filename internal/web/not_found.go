package web

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// NotFound renders the "page not found" page, in the reader's language with the
// security headers of every page, for an unknown URL outside /api/ asked by a
// browser (Accept: text/html). It reports whether it answered; the API's own
// "no such endpoint" JSON remains for everything else. The API server's NoRoute
// handler calls it first.
func (s *Server) NotFound(c *gin.Context) bool {
	if strings.HasPrefix(c.Request.URL.Path, "/api/") || !strings.Contains(c.GetHeader("Accept"), "text/html") {
		return false
	}
	s.secureHeaders(c)
	s.language(c)
	c.Abort()
	s.renderError(c, http.StatusNotFound, "error.notfound.title", "error.notfound")
	return true
}
