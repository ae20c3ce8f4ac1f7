package inbox

import (
	"context"

	"github.com/tdkt/tdkt/internal/domain"
)

// HeadRoles are the roles that lead a unit and may reassign its tasks (thủ trưởng).
var HeadRoles = []string{domain.RoleUnitHead, domain.RoleDecider}

// InboxWithAssignees returns the open tasks of the user's roles, and of the roles
// the user acts in under a delegation in force today, soonest due first, each with
// the user who has claimed it so that everyone holding the role sees who has it.
func (s *Service) InboxWithAssignees(ctx context.Context, userID int64) ([]InboxEntry, error) {
	entries, err := s.inboxEntries(ctx, userID)
	if err != nil {
		return nil, err
	}
	return entries, s.FillInboxColumns(ctx, entries)
}

// inboxLimit is the number of tasks the inbox lists.
const inboxLimit = 100

// inboxEntries are the tasks of the user's inbox, as of today: what the inbox
// lists and the dashboard counts.
func (s *Service) inboxEntries(ctx context.Context, userID int64) ([]InboxEntry, error) {
	return s.Store.InboxWithAssignees(ctx, userID, inboxLimit, s.Today(), s.Clock())
}

// Workload is what the dashboard shows of the user's inbox: its number of tasks
// (at most the inbox's limit, as the inbox lists them) and how many of them are
// overdue.
type Workload struct {
	Tasks, Overdue int
}

// InboxWorkload counts the tasks of the user's inbox (InboxWithAssignees) and the
// overdue ones, for the dashboard. It reads the inbox's statement only: the
// dossiers' columns the inbox page shows (FillInboxColumns: codes, nominee names,
// working days left) cost the dashboard 6.7 ms of PostgreSQL's time on average
// at 1M dossiers (cmd/tdkt-bench -scenario reads), and it shows none of them.
func (s *Service) InboxWorkload(ctx context.Context, userID int64) (Workload, error) {
	entries, err := s.inboxEntries(ctx, userID)
	if err != nil {
		return Workload{}, err
	}
	w := Workload{Tasks: len(entries)}
	for _, e := range entries {
		if e.Overdue {
			w.Overdue++
		}
	}
	return w, nil
}

// ClaimTask makes the user the one handling an open task (nhận xử lý). The user
// must hold the task's role in the task's unit, directly or under a delegation in
// force today. Errors: KindNotFound for an unknown or closed task, KindForbidden
// without the role, KindConflict when another user has claimed it.
func (s *Service) ClaimTask(ctx context.Context, userID, taskID int64) (InboxEntry, error) {
	t, err := s.Store.OpenTaskWithAssignee(ctx, taskID, s.Clock())
	if err != nil {
		return t, err
	}
	ok, err := s.Store.ActsInRole(ctx, userID, t.UnitID, []string{t.Role}, s.Today())
	if err != nil {
		return t, err
	}
	if !ok {
		return t, domain.Errorf(domain.KindForbidden, "only a %s of %s can claim this task", t.Role, t.UnitName)
	}
	if err := s.Store.ClaimTask(ctx, taskID, userID); err != nil {
		return t, err
	}
	return s.Store.OpenTaskWithAssignee(ctx, taskID, s.Clock())
}

// AssignTask gives an open task to another user (phân công): the head of the
// task's unit (unit_head or decider there) reassigns it to a user who holds the
// task's role in that unit, and the new assignee is notified. Errors: KindNotFound
// for an unknown or closed task, KindForbidden when the user does not lead the
// unit, KindInvalid when the assignee does not hold the role there.
func (s *Service) AssignTask(ctx context.Context, userID, taskID, assigneeID int64) (InboxEntry, error) {
	t, err := s.Store.OpenTaskWithAssignee(ctx, taskID, s.Clock())
	if err != nil {
		return t, err
	}
	today := s.Today()
	head, err := s.Store.ActsInRole(ctx, userID, t.UnitID, HeadRoles, today)
	if err != nil {
		return t, err
	}
	if !head {
		return t, domain.Errorf(domain.KindForbidden, "only the head of %s can assign its tasks", t.UnitName)
	}
	holds := false
	if assigneeID > 0 {
		if holds, err = s.Store.ActsInRole(ctx, assigneeID, t.UnitID, []string{t.Role}, today); err != nil {
			return t, err
		}
	}
	if !holds {
		return t, domain.Invalid("the assignee cannot handle this task",
			domain.FieldError{Field: "user_id", Message: "must be a user holding the role " + t.Role + " in " + t.UnitName})
	}
	if err := s.Store.AssignTask(ctx, taskID, assigneeID, userID, s.Clock()); err != nil {
		return t, err
	}
	return s.Store.OpenTaskWithAssignee(ctx, taskID, s.Clock())
}

// UnclaimTask releases an open task so that anyone holding its role may claim it:
// its assignee releases their own claim, the head of the unit any claim.
// Errors: KindNotFound for an unknown or closed task, KindForbidden for a user
// with neither the role nor the headship, KindConflict when another user holds the
// claim.
func (s *Service) UnclaimTask(ctx context.Context, userID, taskID int64) (InboxEntry, error) {
	t, err := s.Store.OpenTaskWithAssignee(ctx, taskID, s.Clock())
	if err != nil {
		return t, err
	}
	today := s.Today()
	head, err := s.Store.ActsInRole(ctx, userID, t.UnitID, HeadRoles, today)
	if err != nil {
		return t, err
	}
	only := int64(0)
	if !head {
		holds, err := s.Store.ActsInRole(ctx, userID, t.UnitID, []string{t.Role}, today)
		if err != nil {
			return t, err
		}
		if !holds {
			return t, domain.Errorf(domain.KindForbidden, "only the assignee or the head of %s can release this task", t.UnitName)
		}
		only = userID
	}
	if err := s.Store.ReleaseTask(ctx, taskID, only); err != nil {
		return t, err
	}
	return s.Store.OpenTaskWithAssignee(ctx, taskID, s.Clock())
}
