package inbox

import (
	"context"
)

// Notifications lists the user's in-app notifications, newest first.
func (s *Service) Notifications(ctx context.Context, userID int64, unreadOnly bool) ([]Notification, error) {
	return s.Store.Notifications(ctx, userID, unreadOnly, 100)
}

// MarkNotificationsRead marks the given notifications of the user (all when ids is
// empty) read; ids of other users' notifications are ignored.
func (s *Service) MarkNotificationsRead(ctx context.Context, userID int64, ids []int64) (int64, error) {
	return s.Store.MarkNotificationsRead(ctx, userID, ids, s.Clock())
}
