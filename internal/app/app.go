// Package app holds tdkt's use cases — log in, create a dossier, act on it, read
// lists and inboxes — behind one Service that both the JSON API and the web UI
// call, so that every entry point applies the same validation and the same Casbin
// checks. It returns domain errors; callers map them to HTTP.
package app

import (
	"context"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/password"
	"github.com/tdkt/tdkt/internal/store"
)

// Authorizer answers whether a user may perform act on obj in a unit. It is the
// Casbin enforcer in the product; declared here, where it is used.
type Authorizer interface {
	Allow(userID int64, unitID, obj, act string) (bool, error)
	VisibleUnits(userID int64, obj, act string) []string
}

// Service is the application: its dependencies and its use cases.
type Service struct {
	Store    *store.Store
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

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

// Allow checks a permission; a denial is a KindForbidden error.
func (s *Service) Allow(userID int64, unitID, obj, act string) error {
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
func (s *Service) Can(userID int64, unitID, obj, act string) bool {
	ok, err := s.Authz.Allow(userID, unitID, obj, act)
	return err == nil && ok
}

// UnitNode is a unit with its children, for the tree views.
type UnitNode struct {
	domain.Unit
	Children []*UnitNode `json:"children,omitempty"`
}

// Units returns the forest of units in force today that the user may read: each
// root is a unit whose parent the user cannot see.
func (s *Service) Units(ctx context.Context, userID int64) ([]*UnitNode, error) {
	all, err := s.Store.Units(ctx, s.now())
	if err != nil {
		return nil, err
	}
	visible := map[string]bool{}
	for _, id := range s.Authz.VisibleUnits(userID, "unit", "read") {
		visible[id] = true
	}
	nodes := map[string]*UnitNode{}
	roots := []*UnitNode{}
	for _, u := range all { // parents come before children
		if !visible[u.ID] {
			continue
		}
		n := &UnitNode{Unit: u}
		nodes[u.ID] = n
		if p, ok := nodes[u.ParentID]; ok {
			p.Children = append(p.Children, n)
		} else {
			roots = append(roots, n)
		}
	}
	return roots, nil
}
