package app

import (
	"context"

	"github.com/tdkt/tdkt/internal/store"
)

// Assignable is a person a task may be given to.
type Assignable struct {
	UserID int64  `json:"user_id"`
	Name   string `json:"name"`
}

// AssignChoices returns, for each of tasks that the user may assign (AssignTask:
// the head of the task's unit, unit_head or decider there, directly or under a
// delegation in force today), the active users holding the task's role in that
// unit, by task id. Tasks the user may not assign are absent.
func (s *Service) AssignChoices(ctx context.Context, userID int64, tasks []store.InboxEntry) (map[int64][]Assignable, error) {
	out := map[int64][]Assignable{}
	today := s.todayInVietnam()
	heads := map[string]bool{}
	var units []string
	for _, t := range tasks {
		if _, seen := heads[t.UnitID]; seen {
			continue
		}
		head, err := s.Store.ActsInRole(ctx, userID, t.UnitID, headRoles, today)
		if err != nil {
			return nil, err
		}
		heads[t.UnitID] = head
		if head {
			units = append(units, t.UnitID)
		}
	}
	if len(units) == 0 {
		return out, nil
	}
	holders, err := s.Store.RoleHolders(ctx, units)
	if err != nil {
		return nil, err
	}
	for _, t := range tasks {
		if !heads[t.UnitID] {
			continue
		}
		list := []Assignable{}
		for _, h := range holders {
			if h.UnitID == t.UnitID && h.Role == t.Role {
				list = append(list, Assignable{UserID: h.UserID, Name: h.Name})
			}
		}
		out[t.ID] = list
	}
	return out, nil
}

// DossierTask is the open task of a dossier with who handles it and, when the user
// may assign it, the people it may be given to.
type DossierTask struct {
	store.InboxEntry
	// Choices is nil when the user may not assign the task.
	Choices []Assignable `json:"choices,omitempty"`
}

// DossierTaskAssignment returns the open task of a dossier the user may read, with
// its assignee and the assignment choices (AssignChoices). KindNotFound when the
// dossier has no open task.
func (s *Service) DossierTaskAssignment(ctx context.Context, userID int64, nominationID string) (DossierTask, error) {
	t, err := s.OpenTask(ctx, userID, nominationID)
	if err != nil {
		return DossierTask{}, err
	}
	e, err := s.Store.OpenTaskWithAssignee(ctx, t.ID, s.now())
	if err != nil {
		return DossierTask{}, err
	}
	choices, err := s.AssignChoices(ctx, userID, []store.InboxEntry{e})
	if err != nil {
		return DossierTask{}, err
	}
	filled := []store.InboxEntry{e}
	if err := s.fillInboxColumns(ctx, filled); err != nil {
		return DossierTask{}, err
	}
	d := DossierTask{InboxEntry: filled[0]}
	if c, ok := choices[e.ID]; ok {
		d.Choices = c
	}
	return d, nil
}
