package httpapi

import (
	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/httpx"
)

// The HTTP layer's own error kinds and their statuses live in httpx's one table,
// shared with the web UI; these names keep the API's code short.
const (
	kindTooLarge           = httpx.KindTooLarge
	kindPreconditionFailed = httpx.KindPreconditionFailed
	kindPreconditionNeeded = httpx.KindPreconditionRequired
	kindUnprocessable      = httpx.KindIdempotencyKeyReused
)

// fail writes err as application/problem+json (httpx.WriteProblem: the status and
// the stable problem type of its kind) and aborts the request; an internal error
// is logged and shown without its cause.
func (s *Server) fail(c *gin.Context, err error) { httpx.WriteProblem(c, s.Log, err) }
