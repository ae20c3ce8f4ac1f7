// Package password hashes and verifies user passwords with bcrypt.
package password

import (
	"errors"
	"fmt"

	"golang.org/x/crypto/bcrypt"
)

// Hasher hashes passwords at a bcrypt cost; tests use bcrypt.MinCost to stay fast.
type Hasher struct{ Cost int }

// Hash returns the bcrypt hash of pw. It fails for passwords over 72 bytes, which
// bcrypt would silently truncate.
func (h Hasher) Hash(pw string) (string, error) {
	cost := h.Cost
	if cost == 0 {
		cost = bcrypt.DefaultCost
	}
	b, err := bcrypt.GenerateFromPassword([]byte(pw), cost)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return string(b), nil
}

// dummy is compared against when the user does not exist, so that a wrong username
// and a wrong password take the same time.
var dummy, _ = bcrypt.GenerateFromPassword([]byte("tdkt-no-such-user"), bcrypt.DefaultCost)

// Verify reports whether pw matches hash. An empty hash (unknown user) still costs
// one bcrypt comparison and returns false.
func Verify(hash, pw string) bool {
	if hash == "" {
		bcrypt.CompareHashAndPassword(dummy, []byte(pw)) //nolint:errcheck // timing only
		return false
	}
	err := bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw))
	return err == nil && !errors.Is(err, bcrypt.ErrMismatchedHashAndPassword)
}
