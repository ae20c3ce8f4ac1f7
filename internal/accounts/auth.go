package accounts

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"time"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/password"
)

// Session is a login: the bearer token (also the cookie value), its expiry and the user.
type Session struct {
	Token     string
	ExpiresAt time.Time
	User      domain.User
}

// HashToken is what the sessions table stores of a token.
func HashToken(tok string) []byte {
	h := sha256.Sum256([]byte(tok))
	return h[:]
}

// Login checks a username and password and opens a session. A wrong username and a
// wrong password are the same KindUnauthorized error and take the same time.
func (s *Service) Login(ctx context.Context, username, pw string) (Session, error) {
	if s.PasswordLoginDisabled {
		return Session{}, ErrPasswordLoginDisabled
	}
	if username == "" || pw == "" {
		return Session{}, domain.Invalid("username and password are required",
			domain.FieldError{Field: "username", Message: "required"}, domain.FieldError{Field: "password", Message: "required"})
	}
	if err := s.checkLockout(ctx, username); err != nil {
		return Session{}, err
	}
	id, hash, err := s.Store.Credentials(ctx, username)
	if err != nil && !domain.IsKind(err, domain.KindNotFound) {
		return Session{}, err
	}
	if !password.Verify(hash, pw) {
		if err := s.loginFailed(ctx, username); err != nil {
			return Session{}, err
		}
		return Session{}, domain.Errorf(domain.KindUnauthorized, "wrong username or password")
	}
	if err := s.loginSucceeded(ctx, username, id, hash, pw); err != nil {
		return Session{}, err
	}
	return s.openSession(ctx, id)
}

// openSession creates the session of an authenticated user: a random token whose
// hash is stored, valid for SessionTTL. Every way of logging in ends here.
func (s *Service) openSession(ctx context.Context, id int64) (Session, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return Session{}, err
	}
	tok := base64.RawURLEncoding.EncodeToString(raw)
	ttl := s.SessionTTL
	if ttl == 0 {
		ttl = 12 * time.Hour
	}
	expires := s.Clock().Add(ttl)
	if err := s.Store.CreateSession(ctx, HashToken(tok), id, expires); err != nil {
		return Session{}, err
	}
	u, err := s.Store.User(ctx, id)
	if err != nil {
		return Session{}, err
	}
	return Session{Token: tok, ExpiresAt: expires, User: u}, nil
}

// Authenticate resolves a token to its user; KindUnauthorized if it is missing,
// expired or revoked.
func (s *Service) Authenticate(ctx context.Context, tok string) (int64, error) {
	if tok == "" {
		return 0, domain.Errorf(domain.KindUnauthorized, "log in first")
	}
	if strings.HasPrefix(tok, APITokenPrefix) {
		return s.authenticateAPIToken(ctx, tok)
	}
	id, err := s.Store.SessionUser(ctx, HashToken(tok), s.Clock())
	if domain.IsKind(err, domain.KindNotFound) {
		return 0, domain.Errorf(domain.KindUnauthorized, "session expired or invalid; log in again")
	}
	return id, err
}

// Logout revokes the session so its token stops working.
func (s *Service) Logout(ctx context.Context, tok string) error {
	return s.Store.RevokeSession(ctx, HashToken(tok), s.Clock())
}

// Me returns the user with their roles.
func (s *Service) Me(ctx context.Context, userID int64) (domain.User, error) {
	return s.Store.User(ctx, userID)
}
