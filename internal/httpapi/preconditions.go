package httpapi

import (
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/httpx"
)

// dossierPrecondition checks If-Match on a mutating dossier request against the
// dossier's version in the read model, before anything changes: a different
// version is 412 Precondition Failed; no header is 428 Precondition Required when
// the server requires it (RequireIfMatch). The dossier is read with the caller's
// rights first, so an outsider gets 403 or 404, never a version. The header then
// also travels to the workflow as the version the user saw, so a change that lands
// between this check and the update is still refused (409).
func (s *Server) dossierPrecondition(byTask bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		im := c.GetHeader("If-Match")
		if im == "" {
			if s.RequireIfMatch {
				s.fail(c, domain.Errorf(kindPreconditionNeeded, "send If-Match with the dossier version you saw (its ETag)"))
				return
			}
			c.Next()
			return
		}
		want, err := httpx.IfMatch(c, "dossier")
		if err != nil {
			s.fail(c, err)
			return
		}
		id := c.Param("id")
		if byTask {
			taskID, err := strconv.ParseInt(id, 10, 64)
			if err != nil {
				s.fail(c, domain.Errorf(domain.KindNotFound, "no such task"))
				return
			}
			if id, err = s.App.TaskNominationID(ctx(c), userID(c), taskID); err != nil {
				s.fail(c, err)
				return
			}
		}
		n, err := s.App.Nomination(ctx(c), userID(c), id)
		if err != nil {
			s.fail(c, err)
			return
		}
		if n.Version != *want {
			c.Header("ETag", httpx.ETag(n.Version))
			s.fail(c, domain.Errorf(kindPreconditionFailed, "the dossier is at version %d, not %d: reload it", n.Version, *want))
			return
		}
		c.Next()
	}
}
