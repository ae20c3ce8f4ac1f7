package web

import (
	"math"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
)

// expensivePages are the pages that search, list many rows or import files;
// Config.Limit meters them per user like the API's expensive routes.
var expensivePages = map[string]bool{
	"GET /dossiers":                      true,
	"GET /decisions":                     true,
	"GET /history":                       true,
	"POST /history/import":               true,
	"POST /dossiers/:id/nominees/import": true,
	"GET /admin/users":                   true,
}

// limitExpensive answers 429 with Retry-After and an error page when the user
// has run out of expensive requests (see Config.Limit).
func (s *Server) limitExpensive(c *gin.Context) {
	if s.cfg.Limit == nil || !expensivePages[c.Request.Method+" "+c.FullPath()] {
		c.Next()
		return
	}
	ok, wait := s.cfg.Limit(UserID(c))
	if !ok {
		c.Header("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		s.RenderError(c, http.StatusTooManyRequests, "error.toomany.title", "error.toomany")
		return
	}
	c.Next()
}
