package accounts

import (
	"context"

	"github.com/tdkt/tdkt/internal/domain"
)

// ErrPasswordLoginDisabled is Login's answer when the installation accepts single
// sign-on only.
var ErrPasswordLoginDisabled = domain.Errorf(domain.KindForbidden, "password login is disabled here: sign in with single sign-on")

// LoginVerified opens a session for username, whose identity an external identity
// provider has already proven (OpenID Connect, internal/sso). The account must
// exist and be active: nobody is created here. The account and address lockouts of
// password login apply (KindTooMany). When unit is not empty it is the unit the
// identity provider places the person in, and it must be the account's home unit
// (KindForbidden otherwise), so that a person moved in the directory does not keep
// the roles of their former unit. The session is the one Login opens.
func (s *Service) LoginVerified(ctx context.Context, username, unit string) (Session, error) {
	if username == "" {
		return Session{}, domain.Errorf(domain.KindUnauthorized, "the identity provider named no user")
	}
	if err := s.checkLockout(ctx, username); err != nil {
		return Session{}, err
	}
	id, _, err := s.Store.Credentials(ctx, username)
	if domain.IsKind(err, domain.KindNotFound) {
		return Session{}, domain.Errorf(domain.KindUnauthorized, "no active tdkt account %q: an administrator must create it", username)
	}
	if err != nil {
		return Session{}, err
	}
	if unit != "" {
		u, err := s.Store.User(ctx, id)
		if err != nil {
			return Session{}, err
		}
		if u.UnitID != unit {
			return Session{}, domain.Errorf(domain.KindForbidden, "the identity provider places %q in unit %q, tdkt in %q: an administrator must move the account", username, unit, u.UnitID)
		}
	}
	if err := s.Store.RecordLoginAttempt(ctx, loginSubject(username), clientIP(ctx), true, s.Clock()); err != nil {
		return Session{}, err
	}
	return s.openSession(ctx, id)
}
