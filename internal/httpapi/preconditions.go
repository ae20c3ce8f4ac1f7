package httpapi

import (
	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/httpx"
)

// dossierPrecondition applies the server's If-Match policy to a mutating dossier
// request: no header is 428 Precondition Required when the server requires it
// (RequireIfMatch), and a malformed one is 400. It does not compare versions: the
// header travels to the workflow as the version the user saw, and the workflow's
// validator alone decides staleness (nomination.Validate); act answers a stale
// If-Match with 412 and the current ETag. Outsiders are refused by the use case
// before any version is compared, so they never learn one.
func (s *Server) dossierPrecondition(bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.GetHeader("If-Match") == "" {
			if s.RequireIfMatch {
				s.fail(c, domain.Errorf(kindPreconditionNeeded, "send If-Match with the dossier version you saw (its ETag)"))
				return
			}
			c.Next()
			return
		}
		if _, err := httpx.IfMatch(c, "dossier"); err != nil {
			s.fail(c, err)
			return
		}
		c.Next()
	}
}
