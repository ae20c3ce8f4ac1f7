package dossiers

import (
	"context"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/inbox"
)

// DossierListEntry is a line of the dossier list: the dossier (with its code and
// number of nominees) and its open task, if any.
type DossierListEntry struct {
	domain.Nomination
	OpenTask *inbox.OpenTaskColumns `json:"open_task,omitempty"`
}

// DossierList lists the dossiers the user may read, newest first, as Nominations
// does, each with its open task.
func (s *Service) DossierList(ctx context.Context, userID int64, f NominationFilter) ([]DossierListEntry, error) {
	ns, err := s.Nominations(ctx, userID, f)
	if err != nil {
		return nil, err
	}
	out := make([]DossierListEntry, len(ns))
	if len(ns) == 0 {
		return out, nil
	}
	ids := make([]string, len(ns))
	for i, n := range ns {
		ids[i] = n.ID
	}
	tasks, err := s.inbox.Store.OpenTasksOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	clock, err := s.inbox.DueClock(ctx)
	if err != nil {
		return nil, err
	}
	for i, n := range ns {
		out[i].Nomination = n
		t, ok := tasks[n.ID]
		if !ok {
			continue
		}
		if t.DueAt != nil {
			left, atRisk := clock.Of(t.Step, *t.DueAt)
			t.WorkingDaysLeft, t.AtRisk = &left, atRisk
		}
		out[i].OpenTask = &t
	}
	return out, nil
}
