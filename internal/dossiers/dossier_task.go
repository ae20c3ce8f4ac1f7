package dossiers

import (
	"context"

	"github.com/tdkt/tdkt/internal/inbox"
)

// DossierTask is the open task of a dossier with who handles it and, when the user
// may assign it, the people it may be given to.
type DossierTask struct {
	inbox.InboxEntry
	// Choices is nil when the user may not assign the task.
	Choices []inbox.Assignable `json:"choices,omitempty"`
}

// DossierTaskAssignment returns the open task of a dossier the user may read, with
// its assignee and the assignment choices (AssignChoices). KindNotFound when the
// dossier has no open task.
func (s *Service) DossierTaskAssignment(ctx context.Context, userID int64, nominationID string) (DossierTask, error) {
	t, err := s.OpenTask(ctx, userID, nominationID)
	if err != nil {
		return DossierTask{}, err
	}
	e, err := s.inbox.Store.OpenTaskWithAssignee(ctx, t.ID, s.Clock())
	if err != nil {
		return DossierTask{}, err
	}
	choices, err := s.inbox.AssignChoices(ctx, userID, []inbox.InboxEntry{e})
	if err != nil {
		return DossierTask{}, err
	}
	filled := []inbox.InboxEntry{e}
	if err := s.inbox.FillInboxColumns(ctx, filled); err != nil {
		return DossierTask{}, err
	}
	d := DossierTask{InboxEntry: filled[0]}
	if c, ok := choices[e.ID]; ok {
		d.Choices = c
	}
	return d, nil
}
