package inbox

import (
	"context"
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
func (s *Service) AssignChoices(ctx context.Context, userID int64, tasks []InboxEntry) (map[int64][]Assignable, error) {
	out := map[int64][]Assignable{}
	today := s.Today()
	heads := map[string]bool{}
	var units []string
	for _, t := range tasks {
		if _, seen := heads[t.UnitID]; seen {
			continue
		}
		head, err := s.Store.ActsInRole(ctx, userID, t.UnitID, HeadRoles, today)
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
