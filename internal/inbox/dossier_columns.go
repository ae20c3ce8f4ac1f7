package inbox

import (
	"context"
	"time"

	"github.com/tdkt/tdkt/internal/domain"
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
	cal, err := s.refdata.Store.LoadCalendar(ctx)
	if err != nil {
		return err
	}
	limits, err := s.refdata.Store.StepLimits(ctx)
	if err != nil {
		return err
	}
	now := s.Clock()
	for i := range entries {
		e := &entries[i]
		r := rows[e.NominationID]
		e.DossierCode, e.SenderUnitID, e.SenderUnitName, e.NomineeCount = r.Code, r.SenderUnitID, r.SenderUnitName, r.Nominees
		e.NomineeNames = r.NomineeNames
		if e.DueAt != nil {
			left := cal.WorkingDaysBetween(now, *e.DueAt)
			e.WorkingDaysLeft = &left
			e.AtRisk = !e.Overdue && AtRisk(cal, limits[e.Step].WorkingDays, *e.DueAt, now)
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
