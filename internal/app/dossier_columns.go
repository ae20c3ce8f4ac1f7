package app

import (
	"context"
	"time"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/store"
)

// fillInboxColumns adds to inbox entries their dossier's columns (code, sender
// unit, number of nominees) and the working days left until each due date, with
// the calendar in force.
func (s *Service) fillInboxColumns(ctx context.Context, entries []store.InboxEntry) error {
	if len(entries) == 0 {
		return nil
	}
	ids := make([]string, len(entries))
	for i, e := range entries {
		ids[i] = e.NominationID
	}
	rows, err := s.Store.DossierRows(ctx, ids)
	if err != nil {
		return err
	}
	cal, err := s.Store.LoadCalendar(ctx)
	if err != nil {
		return err
	}
	limits, err := s.Store.StepLimits(ctx)
	if err != nil {
		return err
	}
	now := s.now()
	for i := range entries {
		e := &entries[i]
		r := rows[e.NominationID]
		e.DossierCode, e.SenderUnitID, e.SenderUnitName, e.NomineeCount = r.Code, r.SenderUnitID, r.SenderUnitName, r.Nominees
		e.NomineeNames = r.NomineeNames
		if e.DueAt != nil {
			left := cal.WorkingDaysBetween(now, *e.DueAt)
			e.WorkingDaysLeft = &left
			e.AtRisk = !e.Overdue && atRisk(cal, limits[e.Step].WorkingDays, *e.DueAt, now)
		}
	}
	return nil
}

// OpenTaskColumns is the open task of a dossier as a list shows it: the step, the
// unit holding it, the due date with the working days left (negative when
// overdue) and who has claimed it.
type OpenTaskColumns struct {
	TaskID          int64       `json:"task_id"`
	Step            domain.Step `json:"step"`
	UnitName        string      `json:"unit_name"`
	DueAt           *time.Time  `json:"due_at,omitempty"`
	WorkingDaysLeft *int        `json:"working_days_left,omitempty"`
	// AtRisk: at least AtRiskPercent of the step's limit has run (not overdue).
	AtRisk       bool   `json:"at_risk,omitempty"`
	AssigneeID   int64  `json:"assignee_id,omitempty"`
	AssigneeName string `json:"assignee_name,omitempty"`
}

// DossierListEntry is a line of the dossier list: the dossier (with its code and
// number of nominees) and its open task, if any.
type DossierListEntry struct {
	domain.Nomination
	OpenTask *OpenTaskColumns `json:"open_task,omitempty"`
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
	rows, err := s.Store.DossierRows(ctx, ids)
	if err != nil {
		return nil, err
	}
	cal, err := s.Store.LoadCalendar(ctx)
	if err != nil {
		return nil, err
	}
	limits, err := s.Store.StepLimits(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	for i, n := range ns {
		out[i].Nomination = n
		r, ok := rows[n.ID]
		if !ok || r.TaskID == 0 {
			continue
		}
		t := &OpenTaskColumns{TaskID: r.TaskID, Step: r.Step, UnitName: r.TaskUnitName, DueAt: r.DueAt,
			AssigneeID: r.AssigneeID, AssigneeName: r.AssigneeName}
		if r.DueAt != nil {
			left := cal.WorkingDaysBetween(now, *r.DueAt)
			t.WorkingDaysLeft = &left
			t.AtRisk = atRisk(cal, limits[r.Step].WorkingDays, *r.DueAt, now)
		}
		out[i].OpenTask = t
	}
	return out, nil
}
