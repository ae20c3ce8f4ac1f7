// Package strictjson decodes request bodies strictly: one JSON value, no unknown
// fields (a status, unit or version smuggled into a request — mass assignment —
// is refused), no key twice, no key in other letter case than its field, no null
// body, no text with control characters or invalid UTF-8, nothing but white
// space after the value, and a body over the reader's limit reported as such. Errors are domain errors with a message safe to show.
// It is its own package, free of the HTTP stack, so that its fuzz target runs fast.
package strictjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/tdkt/tdkt/internal/domain"
)

// KindTooLarge is the error kind of a body over the limit of an
// http.MaxBytesReader (413 in the API).
const KindTooLarge domain.ErrorKind = "too-large"

// Decode reads one JSON value from r into v: KindInvalid (with the field when
// known) for an empty body, malformed JSON, invalid UTF-8, a null body, a
// duplicate key, a key in the wrong letter case, a control character in text, a
// wrong type, an unknown field or trailing data; KindTooLarge when r is an
// http.MaxBytesReader past its limit. The body is read whole (the reader's limit
// bounds it) and checked token by token before encoding/json sees it.
func Decode(r io.Reader, v any) error {
	body, err := io.ReadAll(r)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return &domain.Error{Kind: KindTooLarge, Message: "request body too large"}
		}
		return domain.Invalid("could not read the request body")
	}
	if !utf8.Valid(body) {
		return domain.Invalid("request body is not valid UTF-8")
	}
	if err := prepass(body, reflect.TypeOf(v)); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return domain.Invalid("request body is empty")
		}
		var ute *json.UnmarshalTypeError
		if errors.As(err, &ute) {
			return domain.Invalid("malformed JSON", domain.FieldError{Field: ute.Field, Message: "wrong type: expected " + ute.Type.String()})
		}
		if strings.HasPrefix(err.Error(), "json: unknown field ") {
			field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return domain.Invalid("unknown field", domain.FieldError{Field: field, Message: "not accepted here"})
		}
		return domain.Invalid("malformed JSON: " + err.Error())
	}
	// Only white space may follow the value (dec.More misses a stray "}" or "]").
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return domain.Invalid("malformed JSON: trailing data after the object")
	}
	return nil
}
