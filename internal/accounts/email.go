package accounts

import (
	"context"
	"net/mail"
	"strings"

	"github.com/tdkt/tdkt/internal/domain"
)

// maxEmailLen is the longest address SMTP carries (RFC 5321 path limit).
const maxEmailLen = 254

// SetEmail sets the address the user's notifications are e-mailed to and returns
// it as stored; an empty address stops e-mail. The address must be a bare address
// (no display name), as net/mail parses it. KindInvalid otherwise.
func (s *Service) SetEmail(ctx context.Context, userID int64, email string) (string, error) {
	email = strings.TrimSpace(email)
	if email != "" {
		addr, err := mail.ParseAddress(email)
		if err != nil || addr.Address != email || addr.Name != "" || len(email) > maxEmailLen {
			return "", domain.Invalid("invalid e-mail address",
				domain.FieldError{Field: "email", Message: "a single address such as ten@langson.gov.vn"})
		}
	}
	if err := s.Store.SetUserEmail(ctx, userID, email); err != nil {
		return "", err
	}
	return email, nil
}
