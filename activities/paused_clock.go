package activities

import (
	"context"
	"fmt"

	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/dossiers"
)

// calendar returns the working-day calendar in force (the published one when the
// activities have no loader).
func (a *Activities) calendar(ctx context.Context) (*calendar.Calendar, error) {
	if a.Calendar != nil {
		cal, err := a.Calendar(ctx)
		if err != nil {
			return nil, fmt.Errorf("calendar: %w", err)
		}
		return cal, nil
	}
	cal, err := calendar.New(calendar.Published())
	if err != nil {
		return nil, fmt.Errorf("calendar: %w", err)
	}
	return cal, nil
}

// resumeClocks makes the time limit of a level pause while the dossier is
// returned for supplementation and resume when it is resubmitted (the law counts
// the time limit from a complete dossier): on a resubmission, each task opened at
// a level whose task a return had closed is due at that task's due date extended
// by the working days the dossier spent returned, instead of a full new limit. A
// reminder that would come after the new due date is dropped. With the test hook
// AddWorkingDays the paused time is added as elapsed time.
func (a *Activities) resumeClocks(ctx context.Context, t domain.Transition, tm *dossiers.Timing) error {
	if t.Action != domain.ActionSubmit || t.FromStatus != domain.StatusReturned {
		return nil
	}
	var cal *calendar.Calendar
	for _, o := range t.Open {
		if _, ok := tm.Due[o.Step]; !ok {
			continue
		}
		due, returned, ok, err := a.Dossiers.PausedClock(ctx, t.NominationID, o.UnitID)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		resumed := due
		if a.AddWorkingDays != nil {
			if t.At.After(returned) {
				resumed = due.Add(t.At.Sub(returned))
			}
		} else {
			if cal == nil {
				if cal, err = a.calendar(ctx); err != nil {
					return err
				}
			}
			if paused := cal.WorkingDaysBetween(returned, t.At); paused > 0 {
				resumed = cal.AddWorkingDays(due, paused)
			}
		}
		tm.Due[o.Step] = resumed
		if r, ok := tm.Remind[o.Step]; ok && !r.Before(resumed) {
			delete(tm.Remind, o.Step)
		}
	}
	return nil
}
