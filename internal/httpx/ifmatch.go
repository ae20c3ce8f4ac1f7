package httpx

import (
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/domain"
)

// ETag is the entity tag of a versioned record (a dossier, a review report): its
// version, quoted.
func ETag(version int) string { return `"` + strconv.Itoa(version) + `"` }

// ParseETag reads one version from an If-Match value (or a form's version
// field): "3", W/"3" or 3. A list or "*" is refused: a record has one current
// version and the client must say which it saw.
func ParseETag(v string) (int, bool) {
	v = strings.TrimSpace(v)
	v = strings.TrimPrefix(v, "W/")
	v = strings.Trim(v, `"`)
	n, err := strconv.Atoi(v)
	return n, err == nil && n >= 0
}

// Version parses a version sent by a client in field (the If-Match header or a
// form's version field; what names the record, e.g. "dossier"): nil when it is
// empty, KindInvalid when it is not one version.
func Version(v, field, what string) (*int, error) {
	if strings.TrimSpace(v) == "" {
		return nil, nil
	}
	n, ok := ParseETag(v)
	if !ok {
		return nil, domain.Invalid(field+" must be the "+what+" version",
			domain.FieldError{Field: field, Message: `one version, e.g. "3"`})
	}
	return &n, nil
}

// IfMatch returns the version named by the request's If-Match header: nil
// without one, KindInvalid when it is not one version.
func IfMatch(c *gin.Context, what string) (*int, error) {
	return Version(c.GetHeader("If-Match"), "If-Match", what)
}
