package accounts

import (
	"context"
	"fmt"
	"unicode/utf8"

	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/domain"
)

// maxDelegationDays bounds a delegation: acting authority is for an absence (leave,
// a mission, treatment), not a standing transfer of office.
const maxDelegationDays = 366

// DelegationInput is a delegation as the giver enters it; dates are yyyy-mm-dd and
// both are included.
type DelegationInput struct {
	ToUserID  int64  `json:"to_user_id"`
	ValidFrom string `json:"valid_from"`
	ValidTo   string `json:"valid_to"`
	Reason    string `json:"reason"`
}

// DelegationView is a delegation with whether it is in force today.
type DelegationView struct {
	Delegation
	Active bool `json:"active"`
}

// Delegations lists what a user gave and received.
type Delegations struct {
	Given    []DelegationView `json:"given"`
	Received []DelegationView `json:"received"`
}

// CreateDelegation records that the user hands acting authority (ủy quyền) over all
// of their roles to another user for a range of days, and notifies the receiver.
// The range may not end before today or span more than 366 days; the giver must
// hold at least one role and the receiver must be able to hold it (see
// checkDelegationTarget). KindInvalid lists every offending field.
func (s *Service) CreateDelegation(ctx context.Context, userID int64, in DelegationInput) (DelegationView, error) {
	var fields []domain.FieldError
	today := s.Today()
	from, errFrom := calendar.ParseDate(in.ValidFrom)
	to, errTo := calendar.ParseDate(in.ValidTo)
	if errFrom != nil {
		fields = append(fields, domain.FieldError{Field: "valid_from", Message: "required, as yyyy-mm-dd"})
	}
	if errTo != nil {
		fields = append(fields, domain.FieldError{Field: "valid_to", Message: "required, as yyyy-mm-dd"})
	}
	if errFrom == nil && errTo == nil {
		switch {
		case to.Before(from):
			fields = append(fields, domain.FieldError{Field: "valid_to", Message: "must not be before valid_from"})
		case to.Before(today):
			fields = append(fields, domain.FieldError{Field: "valid_to", Message: "must not be in the past"})
		case from.AddDays(maxDelegationDays - 1).Before(to):
			fields = append(fields, domain.FieldError{Field: "valid_to", Message: fmt.Sprintf("a delegation lasts at most %d days", maxDelegationDays)})
		}
	}
	switch {
	case in.ToUserID <= 0:
		fields = append(fields, domain.FieldError{Field: "to_user_id", Message: "required"})
	case in.ToUserID == userID:
		fields = append(fields, domain.FieldError{Field: "to_user_id", Message: "you cannot delegate to yourself"})
	}
	in.Reason = domain.Clean(in.Reason)
	if in.Reason == "" {
		fields = append(fields, domain.FieldError{Field: "reason", Message: "give the reason, e.g. đi công tác, nghỉ phép"})
	} else if utf8.RuneCountInString(in.Reason) > 500 {
		fields = append(fields, domain.FieldError{Field: "reason", Message: "at most 500 characters"})
	}
	if len(fields) > 0 {
		return DelegationView{}, domain.Invalid("the delegation has invalid fields", fields...)
	}
	giver, err := s.Store.User(ctx, userID)
	if err != nil {
		return DelegationView{}, err
	}
	if len(giver.Roles) == 0 {
		return DelegationView{}, domain.Errorf(domain.KindInvalid, "you hold no role to delegate")
	}
	if err := s.checkDelegationTarget(ctx, giver, in.ToUserID); err != nil {
		return DelegationView{}, err
	}
	d, err := s.Store.CreateDelegation(ctx, NewDelegation{FromUserID: userID, ToUserID: in.ToUserID,
		ValidFrom: from, ValidTo: to, Reason: in.Reason, At: s.Clock()})
	if err != nil {
		return DelegationView{}, err
	}
	return DelegationView{Delegation: d, Active: d.ActiveOn(today)}, nil
}

// Delegations returns the delegations the user gave and received, newest first.
func (s *Service) Delegations(ctx context.Context, userID int64) (Delegations, error) {
	given, received, err := s.Store.Delegations(ctx, userID)
	if err != nil {
		return Delegations{}, err
	}
	today := s.Today()
	view := func(ds []Delegation) []DelegationView {
		out := make([]DelegationView, len(ds))
		for i, d := range ds {
			out[i] = DelegationView{Delegation: d, Active: d.ActiveOn(today)}
		}
		return out
	}
	return Delegations{Given: view(given), Received: view(received)}, nil
}

// RevokeDelegation ends a delegation at once; only its giver may. KindNotFound,
// KindForbidden or KindConflict (already revoked), see store.RevokeDelegation.
func (s *Service) RevokeDelegation(ctx context.Context, userID, id int64) error {
	return s.Store.RevokeDelegation(ctx, id, userID, s.Clock())
}

// AllowActing authorises an action for a user who may act in their own right or
// as the acting holder of someone else's roles. It returns onBehalfOf 0 when the
// user is allowed directly; otherwise the giver of a delegation to the user that
// is in force today (Vietnam time, both ends included, not revoked) and whose giver
// is allowed — the oldest such delegation when several are. Every action taken
// under it records the giver. A KindForbidden error when neither holds; other
// errors when the authorizer or the database fails.
func (s *Service) AllowActing(ctx context.Context, userID int64, unitID, obj, act string) (onBehalfOf int64, err error) {
	ok, err := s.Authz.Allow(userID, unitID, obj, act)
	if err != nil {
		return 0, err
	}
	if ok {
		return 0, nil
	}
	givers, err := s.Store.ActiveDelegators(ctx, userID, s.Today())
	if err != nil {
		return 0, err
	}
	for _, g := range givers {
		ok, err := s.Authz.Allow(g, unitID, obj, act)
		if err != nil {
			return 0, err
		}
		if ok {
			return g, nil
		}
	}
	return 0, domain.Errorf(domain.KindForbidden, "you may not %s this %s", act, obj)
}
