package nomination

import (
	"fmt"

	"github.com/tdkt/tdkt/internal/domain"
)

// Reason says why the core refuses an action. The workflow turns it into the type
// of a non-retryable application error; the use cases into a domain error kind.
type Reason string

// Reasons for a refusal.
const (
	StaleVersion = Reason("StaleVersion")       // the actor saw another version (409)
	WrongState   = Reason("WrongState")         // not possible in this state (409)
	WrongUnit    = Reason("WrongUnit")          // not in the unit the dossier is at (409)
	Invalid      = Reason("InvalidAction")      // a required field is missing or malformed (400)
	Separation   = Reason("SeparationOfDuties") // the person may not hold this duty here (403)
)

// Error is a refusal by the core: why, a message a person can read, and for
// Invalid the offending fields.
type Error struct {
	Reason  Reason
	Message string
	Fields  []domain.FieldError
}

func (e *Error) Error() string { return e.Message }

// Kind is the application error kind of a refusal.
func (r Reason) Kind() domain.ErrorKind {
	switch r {
	case Invalid:
		return domain.KindInvalid
	case Separation:
		return domain.KindForbidden
	}
	return domain.KindConflict
}

// AsDomain converts a refusal to the application error the API and the web show.
func (e *Error) AsDomain() *domain.Error {
	return &domain.Error{Kind: e.Reason.Kind(), Message: e.Message, Fields: e.Fields}
}

func refuse(r Reason, format string, args ...any) *Error {
	return &Error{Reason: r, Message: fmt.Sprintf(format, args...)}
}

func invalid(field, message string) *Error {
	return &Error{Reason: Invalid, Message: message, Fields: []domain.FieldError{{Field: field, Message: message}}}
}
