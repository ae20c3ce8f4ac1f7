package httpapi

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/strictjson"
)

// problem is an RFC 9457 problem document.
type problem struct {
	Type   string              `json:"type"`
	Title  string              `json:"title"`
	Status int                 `json:"status"`
	Detail string              `json:"detail,omitempty"`
	Errors []domain.FieldError `json:"errors,omitempty"`
}

// problemTypes maps each error kind to its HTTP status and stable problem type, in
// one table. Anything not an application error is "Internal error".
var problemTypes = map[domain.ErrorKind]struct {
	status int
	title  string
}{
	domain.KindInvalid:      {http.StatusBadRequest, "Invalid request"},
	domain.KindUnauthorized: {http.StatusUnauthorized, "Authentication required"},
	domain.KindForbidden:    {http.StatusForbidden, "Not allowed"},
	domain.KindNotFound:     {http.StatusNotFound, "Not found"},
	domain.KindConflict:     {http.StatusConflict, "Conflict"},
	domain.KindInternal:     {http.StatusInternalServerError, "Internal error"},
	kindTooLarge:            {http.StatusRequestEntityTooLarge, "Request body too large"},
	domain.KindTooMany:      {http.StatusTooManyRequests, "Too many requests"},
	kindPreconditionFailed:  {http.StatusPreconditionFailed, "Precondition failed"},
	kindPreconditionNeeded:  {http.StatusPreconditionRequired, "Precondition required"},
	kindUnprocessable:       {http.StatusUnprocessableEntity, "Idempotency key reused"},
}

// kindTooLarge is the HTTP layer's own kind for a body over the limit.
const kindTooLarge = strictjson.KindTooLarge

// ProblemType returns the stable type URI of an error kind.
func ProblemType(k domain.ErrorKind) string { return "/problems/" + string(k) }

// fail writes err as application/problem+json and aborts the request.
func (s *Server) fail(c *gin.Context, err error) {
	kind := domain.KindOf(err)
	pt, ok := problemTypes[kind]
	if !ok {
		kind, pt = domain.KindInternal, problemTypes[domain.KindInternal]
	}
	p := problem{Type: ProblemType(kind), Title: pt.title, Status: pt.status}
	var de *domain.Error
	if kind != domain.KindInternal && errors.As(err, &de) {
		p.Detail = de.Message
		p.Errors = de.Fields
	}
	if kind == domain.KindInternal {
		s.Log.Error("request failed", slog.String("path", c.FullPath()), slog.Any("err", err))
	}
	c.Header("Content-Type", "application/problem+json")
	c.AbortWithStatusJSON(pt.status, p)
}
