package domain

import (
	"errors"
	"fmt"
)

// ErrorKind classifies an application error; the HTTP layer maps each kind to one
// status and one stable problem type, in one table.
type ErrorKind string

// Error kinds.
const (
	KindInvalid      ErrorKind = "invalid"      // malformed or invalid input (400)
	KindUnauthorized ErrorKind = "unauthorized" // not logged in (401)
	KindForbidden    ErrorKind = "forbidden"    // logged in, not allowed (403)
	KindNotFound     ErrorKind = "not-found"    // unknown object (404)
	KindConflict     ErrorKind = "conflict"     // wrong state, stale version, duplicate (409)
	KindInternal     ErrorKind = "internal"     // everything else (500, "Internal error")
)

// KindTooMany is a request refused for its rate: too many failed logins (the
// account or the address is locked out) or too many expensive requests (429).
const KindTooMany ErrorKind = "too-many-requests"

// FieldError names one invalid input field and why.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is the application error: an operation, a kind, a message safe to show to
// the user, optional field errors, and the wrapped cause (never shown).
type Error struct {
	Op      string
	Kind    ErrorKind
	Message string
	Fields  []FieldError
	Err     error
}

func (e *Error) Error() string {
	msg := e.Message
	if e.Err != nil {
		if msg != "" {
			msg += ": "
		}
		msg += e.Err.Error()
	}
	if e.Op != "" {
		return e.Op + ": " + msg
	}
	return msg
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an Error of the given kind with a user-facing message.
func Errorf(kind ErrorKind, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// Invalid builds a KindInvalid error listing the offending fields.
func Invalid(msg string, fields ...FieldError) *Error {
	return &Error{Kind: KindInvalid, Message: msg, Fields: fields}
}

// KindOf returns the kind of the first *Error in err's chain, or KindInternal.
func KindOf(err error) ErrorKind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

// IsKind reports whether err is an application error of kind k.
func IsKind(err error, k ErrorKind) bool { return err != nil && KindOf(err) == k }
