// Package usecase holds what every feature package's use cases share: the
// authorizer, the Temporal client, the clock and the session settings (Base), and
// the one way a denial becomes a domain error. The use cases themselves live in
// the feature packages (dossiers, inbox, campaigns, awards, admin, accounts);
// internal/app composes them into the one Service the API and the web UI call.
package usecase

import (
	"context"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/password"
)

// Authorizer answers whether a user may perform act on obj in a unit. It is the
// Casbin enforcer in the product; declared here, where it is used.
type Authorizer interface {
	Allow(userID int64, unitID, obj, act string) (bool, error)
	VisibleUnits(userID int64, obj, act string) []string
}

// Base is what every feature's use cases depend on.
type Base struct {
	Authz    Authorizer
	Temporal client.Client
	// TaskQueue is the Temporal task queue dossier workflows run on.
	TaskQueue string
	// Now is the clock; tests replace it.
	Now func() time.Time
	// SessionTTL is how long a login lasts.
	SessionTTL time.Duration
	// PasswordLoginDisabled refuses Login (single sign-on only; see LoginVerified).
	PasswordLoginDisabled bool
	// Passwords, when set, replaces on login a stored hash it would not write
	// (bcrypt, or argon2id with other parameters) with its own.
	Passwords *password.Hasher
	// ReloadAuthz, when set, reloads the authorization data (unit tree, role
	// assignments, active users) in this process; the administration calls it
	// after each such change so that it applies from the very next request. It
	// reports its own failures (the change is committed either way, and the
	// periodic reload catches up).
	ReloadAuthz func(context.Context)
	// SyncAuthzUsers, when set, applies a change of these users' role assignments or
	// active flag to the authorization data of this process incrementally (their rows
	// only, authz.Enforcer.SyncUsersFrom) instead of ReloadAuthz's full reload, which
	// takes a second at national scale. Like ReloadAuthz it reports its own failures.
	SyncAuthzUsers func(ctx context.Context, users ...int64)
}

// Clock is the current time of the application clock.
func (s *Base) Clock() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

// Allow checks a permission; a denial is a KindForbidden error.
func (s *Base) Allow(userID int64, unitID, obj, act string) error {
	ok, err := s.Authz.Allow(userID, unitID, obj, act)
	if err != nil {
		return err
	}
	if !ok {
		return domain.Errorf(domain.KindForbidden, "you may not %s this %s", act, obj)
	}
	return nil
}

// Can reports whether the user holds a permission, for showing or hiding actions.
func (s *Base) Can(userID int64, unitID, obj, act string) bool {
	ok, err := s.Authz.Allow(userID, unitID, obj, act)
	return err == nil && ok
}

// Today is the current date in Vietnam, the date delegations are checked against.
func (s *Base) Today() calendar.Date {
	return calendar.DateOf(s.Clock().In(calendar.Zone))
}
