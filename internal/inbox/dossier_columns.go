package inbox

import (
	"context"
	"time"

	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/refdata"
)

// FillInboxColumns adds to inbox entries their dossier's columns (code, sender
// unit, number of nominees) and the working days left until each due date, with
// the calendar in force.
func (s *Service) FillInboxColumns(ctx context.Context, entries []InboxEntry) error {
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
	clock, err := s.DueClock(ctx)
	if err != nil {
		return err
	}
	for i := range entries {
		e := &entries[i]
		r := rows[e.NominationID]
		e.DossierCode, e.SenderUnitID, e.SenderUnitName, e.NomineeCount = r.Code, r.SenderUnitID, r.SenderUnitName, r.Nominees
		e.NomineeNames = r.NomineeNames
		if e.DueAt != nil {
			left, atRisk := clock.Of(e.Step, *e.DueAt)
			e.WorkingDaysLeft, e.AtRisk = &left, !e.Overdue && atRisk
		}
	}
	return nil
}

// DueClock tells how a due date stands now: the working days left on the calendar
// in force, and whether a task is at risk of its step's time limit (AtRisk).
type DueClock struct {
	cal    *calendar.Calendar
	limits map[domain.Step]refdata.StepLimitRow
	now    time.Time
}

// DueClock loads the calendar and the steps' time limits in force.
func (s *Service) DueClock(ctx context.Context) (DueClock, error) {
	cal, err := s.refdata.Store.LoadCalendar(ctx)
	if err != nil {
		return DueClock{}, err
	}
	limits, err := s.refdata.Store.StepLimits(ctx)
	if err != nil {
		return DueClock{}, err
	}
	return DueClock{cal: cal, limits: limits, now: s.Clock()}, nil
}

// Of returns the working days left until due (negative when overdue) and whether
// a task of step due then is at risk.
func (d DueClock) Of(step domain.Step, due time.Time) (left int, atRisk bool) {
	return d.cal.WorkingDaysBetween(d.now, due), AtRisk(d.cal, d.limits[step].WorkingDays, due, d.now)
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
