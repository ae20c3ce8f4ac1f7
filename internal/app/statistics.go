package app

import (
	"context"

	"github.com/tdkt/tdkt/internal/statistics"
)

// Statistics computes a statistics form of Thông tư 02/2023/TT-BNV for the user,
// over the dossiers the user may read (as the decisions register does).
func (s *Service) Statistics(ctx context.Context, userID int64, q statistics.Query) (statistics.Result, error) {
	return statistics.Use{Store: s.Store, Authz: s.Authz, Now: s.now}.Form(ctx, userID, q)
}
