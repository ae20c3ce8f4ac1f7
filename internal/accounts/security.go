package accounts

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tdkt/tdkt/internal/admin"
	"github.com/tdkt/tdkt/internal/domain"
)

// Login throttling (chống dò mật khẩu): failures are counted in PostgreSQL, so that
// every API replica agrees.
const (
	// AccountFailures failed logins of one account within FailureWindow lock it.
	AccountFailures = 5
	// IPFailures failed logins from one address within FailureWindow lock the
	// address (higher: an office shares one address behind NAT).
	IPFailures = 20
	// FailureWindow is how far back failures count.
	FailureWindow = 15 * time.Minute
	// LockoutDuration is how long a lockout lasts unless an administrator clears it.
	LockoutDuration = 15 * time.Minute
)

// API tokens (khóa truy cập API).
const (
	// APITokenPrefix starts every personal API token, so that Authenticate knows
	// where to look and secret scanners recognise a leaked one.
	APITokenPrefix = "tdkt_"
	// MaxAPITokenTTL is the longest life of a token; DefaultAPITokenTTL applies
	// when the request names none.
	MaxAPITokenTTL     = 365 * 24 * time.Hour
	DefaultAPITokenTTL = 90 * 24 * time.Hour
	// MaxLiveAPITokens is how many unexpired, unrevoked tokens a user may hold.
	MaxLiveAPITokens = 20
)

type clientIPKey struct{}

// WithClientIP attaches the client's address to ctx for the per-address login
// throttle. The HTTP layer sets it from the connection (or a trusted proxy).
func WithClientIP(ctx context.Context, ip string) context.Context {
	return context.WithValue(ctx, clientIPKey{}, ip)
}

func clientIP(ctx context.Context) string {
	ip, _ := ctx.Value(clientIPKey{}).(string)
	return ip
}

func loginSubject(username string) string {
	username = strings.ToLower(strings.TrimSpace(username))
	if len(username) > 200 {
		username = username[:200]
	}
	return username
}

// checkLockout refuses a login while the account or the client's address is
// locked out, whatever the password: KindTooMany.
func (s *Service) checkLockout(ctx context.Context, username string) error {
	now := s.Clock()
	if _, locked, err := s.Store.ActiveLockout(ctx, admin.LockAccount, loginSubject(username), now); err != nil {
		return err
	} else if locked {
		return domain.Errorf(domain.KindTooMany, "too many failed logins for this account: it is locked for %d minutes or until an administrator unlocks it", int(LockoutDuration.Minutes()))
	}
	if ip := clientIP(ctx); ip != "" {
		if _, locked, err := s.Store.ActiveLockout(ctx, admin.LockIP, ip, now); err != nil {
			return err
		} else if locked {
			return domain.Errorf(domain.KindTooMany, "too many failed logins from this address: try again in %d minutes", int(LockoutDuration.Minutes()))
		}
	}
	return nil
}

// loginFailed records a failure and locks the account or the address when it
// reaches its threshold. The failure is reported even if recording fails.
func (s *Service) loginFailed(ctx context.Context, username string) error {
	now, subject, ip := s.Clock(), loginSubject(username), clientIP(ctx)
	if err := s.Store.RecordLoginAttempt(ctx, subject, ip, false, now); err != nil {
		return err
	}
	for _, c := range []struct {
		kind      admin.LockoutKind
		subject   string
		threshold int
	}{{admin.LockAccount, subject, AccountFailures}, {admin.LockIP, ip, IPFailures}} {
		if c.subject == "" {
			continue
		}
		n, err := s.Store.RecentFailures(ctx, c.kind, c.subject, now.Add(-FailureWindow))
		if err != nil {
			return err
		}
		if n >= c.threshold {
			if err := s.Store.Lock(ctx, c.kind, c.subject, now, now.Add(LockoutDuration)); err != nil {
				return err
			}
		}
	}
	return nil
}

// loginSucceeded records the success (which resets the account's failure count),
// prunes the account's old attempts and, when the service has a Passwords hasher,
// replaces a bcrypt or outdated hash with a new argon2id one.
func (s *Service) loginSucceeded(ctx context.Context, username string, userID int64, hash, pw string) error {
	now, subject := s.Clock(), loginSubject(username)
	if err := s.Store.RecordLoginAttempt(ctx, subject, clientIP(ctx), true, now); err != nil {
		return err
	}
	if err := s.Store.PruneLoginAttempts(ctx, subject, now.Add(-30*24*time.Hour)); err != nil {
		return err
	}
	if s.Passwords != nil && s.Passwords.NeedsRehash(hash) {
		h, err := s.Passwords.Hash(pw)
		if err != nil {
			return err
		}
		return s.Store.SetPasswordHash(ctx, userID, h)
	}
	return nil
}

// ClearLockout lets an administrator unlock an account: one who manages users in
// the account's home unit or above. Failures before the clearing no longer count.
// KindNotFound for an unknown account.
func (s *Service) ClearLockout(ctx context.Context, adminID int64, username string) error {
	_, unit, err := s.Store.UserByUsername(ctx, username)
	if err != nil {
		return err
	}
	if err := s.Allow(adminID, unit, "user", "manage"); err != nil {
		return err
	}
	_, err = s.admin.Store.ClearLockouts(ctx, admin.LockAccount, loginSubject(username), s.admin.Change(adminID))
	return err
}

// NewAPIToken is a token as created: the secret is shown this once.
type NewAPIToken struct {
	APIToken
	Token string `json:"token"`
}

// CreateAPIToken issues a personal API token that authenticates like a session
// until it expires (ttl; 0 takes DefaultAPITokenTTL) or is revoked. Only its hash
// is stored.
func (s *Service) CreateAPIToken(ctx context.Context, userID int64, name string, ttl time.Duration) (NewAPIToken, error) {
	name = domain.Clean(name)
	var fields []domain.FieldError
	if name == "" || utf8.RuneCountInString(name) > 100 {
		fields = append(fields, domain.FieldError{Field: "name", Message: "1 to 100 characters"})
	}
	if ttl == 0 {
		ttl = DefaultAPITokenTTL
	}
	if ttl < time.Minute || ttl > MaxAPITokenTTL {
		fields = append(fields, domain.FieldError{Field: "expires_in", Message: fmt.Sprintf("between 60 and %d seconds", int(MaxAPITokenTTL.Seconds()))})
	}
	if len(fields) > 0 {
		return NewAPIToken{}, domain.Invalid("the token has invalid fields", fields...)
	}
	now := s.Clock()
	n, err := s.Store.CountLiveAPITokens(ctx, userID, now)
	if err != nil {
		return NewAPIToken{}, err
	}
	if n >= MaxLiveAPITokens {
		return NewAPIToken{}, domain.Errorf(domain.KindConflict, "you hold %d live tokens; revoke one first", n)
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return NewAPIToken{}, err
	}
	tok := APITokenPrefix + base64.RawURLEncoding.EncodeToString(raw)
	t, err := s.Store.CreateAPIToken(ctx, userID, name, HashToken(tok), now, now.Add(ttl))
	if err != nil {
		return NewAPIToken{}, err
	}
	return NewAPIToken{APIToken: t, Token: tok}, nil
}

// APITokens lists the user's tokens without their secrets.
func (s *Service) APITokens(ctx context.Context, userID int64) ([]APIToken, error) {
	return s.Store.APITokens(ctx, userID)
}

// RevokeAPIToken revokes one of the user's own tokens; KindNotFound otherwise.
func (s *Service) RevokeAPIToken(ctx context.Context, userID, id int64) error {
	return s.Store.RevokeAPIToken(ctx, userID, id, s.Clock())
}

// authenticateAPIToken resolves a personal API token to its user.
func (s *Service) authenticateAPIToken(ctx context.Context, tok string) (int64, error) {
	id, err := s.Store.APITokenUser(ctx, HashToken(tok), s.Clock())
	if domain.IsKind(err, domain.KindNotFound) {
		return 0, domain.Errorf(domain.KindUnauthorized, "API token expired, revoked or invalid")
	}
	return id, err
}
