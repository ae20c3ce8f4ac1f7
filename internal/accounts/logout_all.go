package accounts

import "context"

// LogoutEverywhere ends all of the user's sessions, this one included, and
// revokes all of their API tokens: what a user does who fears a token or a
// session has leaked.
func (s *Service) LogoutEverywhere(ctx context.Context, userID int64) error {
	return s.Store.RevokeAllCredentials(ctx, userID, s.Clock())
}
