package httpapi

import (
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/domain"
)

// HTTP-layer kinds of the conditional and idempotent requests.
const (
	// kindPreconditionFailed: If-Match names another version of the dossier (412).
	kindPreconditionFailed domain.ErrorKind = "precondition-failed"
	// kindPreconditionNeeded: the server requires If-Match and it is missing (428).
	kindPreconditionNeeded domain.ErrorKind = "precondition-required"
	// kindUnprocessable: an Idempotency-Key reused for another request (422).
	kindUnprocessable domain.ErrorKind = "idempotency-key-reused"
)

// ETag is the entity tag of a dossier: its version, quoted.
func ETag(version int) string { return `"` + strconv.Itoa(version) + `"` }

// parseETag reads an If-Match value: "3", W/"3" or 3. A list or "*" is refused:
// a dossier has one current version and the client must say which it saw.
func parseETag(v string) (int, bool) {
	v = strings.TrimSpace(v)
	v = strings.TrimPrefix(v, "W/")
	v = strings.Trim(v, `"`)
	n, err := strconv.Atoi(v)
	return n, err == nil && n >= 0
}

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
		want, ok := parseETag(im)
		if !ok {
			s.fail(c, domain.Invalid("If-Match must be the dossier version", domain.FieldError{Field: "If-Match", Message: `one version, e.g. "3"`}))
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
		if n.Version != want {
			c.Header("ETag", ETag(n.Version))
			s.fail(c, domain.Errorf(kindPreconditionFailed, "the dossier is at version %d, not %d: reload it", n.Version, want))
			return
		}
		c.Next()
	}
}
