package httpx

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/strictjson"
)

// Error kinds of the HTTP layer itself, next to the application's domain kinds.
const (
	// KindTooLarge: a request body or an uploaded file over the limit (413).
	KindTooLarge = strictjson.KindTooLarge
	// KindPreconditionFailed: If-Match names another version than the current one (412).
	KindPreconditionFailed domain.ErrorKind = "precondition-failed"
	// KindPreconditionRequired: the server requires If-Match and it is missing (428).
	KindPreconditionRequired domain.ErrorKind = "precondition-required"
	// KindIdempotencyKeyReused: an Idempotency-Key reused for another request (422).
	KindIdempotencyKeyReused domain.ErrorKind = "idempotency-key-reused"
)

// kinds maps each error kind to its HTTP status and its title, in one table for
// the API and the web UI. Anything not listed is an internal error.
var kinds = map[domain.ErrorKind]Kind{
	domain.KindInvalid:       {http.StatusBadRequest, "Invalid request"},
	domain.KindUnauthorized:  {http.StatusUnauthorized, "Authentication required"},
	domain.KindForbidden:     {http.StatusForbidden, "Not allowed"},
	domain.KindNotFound:      {http.StatusNotFound, "Not found"},
	domain.KindConflict:      {http.StatusConflict, "Conflict"},
	domain.KindInternal:      {http.StatusInternalServerError, "Internal error"},
	domain.KindTooMany:       {http.StatusTooManyRequests, "Too many requests"},
	KindTooLarge:             {http.StatusRequestEntityTooLarge, "Request body too large"},
	KindPreconditionFailed:   {http.StatusPreconditionFailed, "Precondition failed"},
	KindPreconditionRequired: {http.StatusPreconditionRequired, "Precondition required"},
	KindIdempotencyKeyReused: {http.StatusUnprocessableEntity, "Idempotency key reused"},
}

// Kind is how an error kind is answered over HTTP.
type Kind struct {
	Status int
	Title  string
}

// KindOf returns the error kind of err as the HTTP layer answers it, and its
// status and title: a kind outside the table is an internal error.
func KindOf(err error) (domain.ErrorKind, Kind) {
	k := domain.KindOf(err)
	if h, ok := kinds[k]; ok {
		return k, h
	}
	return domain.KindInternal, kinds[domain.KindInternal]
}

// ProblemType returns the stable type URI of an error kind.
func ProblemType(k domain.ErrorKind) string { return "/problems/" + string(k) }

// Problem is an RFC 9457 problem document.
type Problem struct {
	Type   string              `json:"type"`
	Title  string              `json:"title"`
	Status int                 `json:"status"`
	Detail string              `json:"detail,omitempty"`
	Errors []domain.FieldError `json:"errors,omitempty"`
}

// ProblemOf builds the problem document of err. An internal error carries no
// detail: its cause is for the log only.
func ProblemOf(err error) Problem {
	kind, h := KindOf(err)
	p := Problem{Type: ProblemType(kind), Title: h.Title, Status: h.Status}
	var de *domain.Error
	if kind != domain.KindInternal && errors.As(err, &de) {
		p.Detail = de.Message
		p.Errors = de.Fields
	}
	return p
}

// WriteProblem answers err as application/problem+json and aborts the request;
// an internal error is logged to log.
func WriteProblem(c *gin.Context, log *slog.Logger, err error) {
	p := ProblemOf(err)
	if p.Status == http.StatusInternalServerError && log != nil {
		log.ErrorContext(c.Request.Context(), "request failed", slog.String("path", c.Request.URL.Path), slog.Any("err", err))
	}
	WriteProblemDoc(c, p.Status, p)
}

// WriteProblemDoc answers a problem document (or a document that embeds one) with
// its status, as application/problem+json, and aborts the request.
func WriteProblemDoc(c *gin.Context, status int, doc any) {
	c.Header("Content-Type", "application/problem+json")
	c.AbortWithStatusJSON(status, doc)
}

// APINotFound answers an unknown URL under /api/ with a problem document and
// goes on to the next handler (the web UI's 404 page) for any other.
func APINotFound(c *gin.Context) {
	if IsAPI(c) {
		WriteProblem(c, nil, domain.Errorf(domain.KindNotFound, "no such endpoint"))
		return
	}
	c.Next()
}

// MethodNotAllowed answers a known URL called with the wrong method with a
// problem document under /api/ and goes on to the next handler for any other.
func MethodNotAllowed(c *gin.Context) {
	if IsAPI(c) {
		WriteProblemDoc(c, http.StatusMethodNotAllowed, Problem{Type: "/problems/method-not-allowed",
			Title: "Method not allowed", Status: http.StatusMethodNotAllowed})
		return
	}
	c.Next()
}
