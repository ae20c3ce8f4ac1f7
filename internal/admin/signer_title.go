package admin

import (
	"context"
	"slices"

	"github.com/tdkt/tdkt/internal/domain"
)

// SetUserTitle sets the title a user of the caller's subtree signs decisions
// with: chair, vice_chair, acting_chair, or "" for none. A decision records its
// signer's title on the day it is signed, and its documents write the signature
// authority from it (TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH, KT. CHỦ TỊCH / PHÓ CHỦ TỊCH,
// Q. CHỦ TỊCH).
func (s *Service) SetUserTitle(ctx context.Context, userID, id int64, title string) error {
	title = domain.Clean(title)
	if title != "" && !slices.Contains(SignerTitles, title) {
		return domain.Invalid("unknown title", domain.FieldError{Field: "title", Message: "one of chair, vice_chair, acting_chair"})
	}
	u, err := s.ManagedUser(ctx, userID, id)
	if err != nil {
		return err
	}
	return s.Store.SetUserTitle(ctx, u.ID, title, s.Change(userID))
}

// UserTitle returns the title a user of the caller's subtree signs decisions with.
func (s *Service) UserTitle(ctx context.Context, userID, id int64) (string, error) {
	u, err := s.ManagedUser(ctx, userID, id)
	if err != nil {
		return "", err
	}
	return s.Store.UserTitle(ctx, u.ID)
}
