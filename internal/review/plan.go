package review

import (
	"fmt"
	"time"

	"github.com/tdkt/tdkt/internal/calendar"
)

// LevelPlan is the deadline of one depth of a campaign: the units at Depth report to
// their parents by Deadline and are reminded at RemindAt (zero: no reminder). Depth 1
// holds the units that report to the requesting unit.
type LevelPlan struct {
	Depth    int       `json:"depth"`
	Deadline time.Time `json:"deadline"`
	RemindAt time.Time `json:"remind_at,omitzero"`
}

// PlanInput is what a campaign's deadline plan is computed from.
type PlanInput struct {
	// FinalDeadline is when the units at depth 1 report to the requesting unit.
	FinalDeadline time.Time
	// Depths is how many levels report (1 = only the requesting unit's children).
	Depths int
	// GapWorkingDays is how many working days each level's deadline falls before its
	// parent's, so that the parent has time to aggregate.
	GapWorkingDays int
	// ReminderWorkingDays is how many working days before its deadline a unit is
	// reminded; 0 sends no reminder.
	ReminderWorkingDays int
	// Explicit, when set, gives the deadlines of the first len(Explicit) depths as the
	// requesting unit set them; deeper levels are computed from the last one.
	Explicit []time.Time
}

// reminderHour is when reminders go out, in Vietnam: the start of the working day.
const reminderHour = 8

// Plan computes the deadline of every depth on the calendar: depth 1 reports by the
// final deadline, each deeper level GapWorkingDays working days before its parent, each
// level is reminded ReminderWorkingDays working days before its deadline at 08:00. It
// fails when an explicit deadline falls after its parent's.
func Plan(cal *calendar.Calendar, in PlanInput) ([]LevelPlan, error) {
	if in.Depths < 1 {
		return nil, nil
	}
	if in.GapWorkingDays < 0 || in.ReminderWorkingDays < 0 {
		return nil, fmt.Errorf("review plan: working days must not be negative")
	}
	out := make([]LevelPlan, in.Depths)
	for d := 1; d <= in.Depths; d++ {
		var deadline time.Time
		switch {
		case d <= len(in.Explicit):
			deadline = in.Explicit[d-1]
			if d > 1 && deadline.After(out[d-2].Deadline) {
				return nil, fmt.Errorf("review plan: the deadline of level %d (%s) is after its parent's (%s)",
					d, deadline.Format(time.RFC3339), out[d-2].Deadline.Format(time.RFC3339))
			}
		case d == 1:
			deadline = in.FinalDeadline
		default:
			deadline = WorkingDaysBefore(cal, out[d-2].Deadline, in.GapWorkingDays)
		}
		lp := LevelPlan{Depth: d, Deadline: deadline.UTC()}
		if in.ReminderWorkingDays > 0 {
			day := calendar.DateOf(WorkingDaysBefore(cal, deadline, in.ReminderWorkingDays).In(calendar.Zone))
			lp.RemindAt = day.Time(calendar.Zone).Add(reminderHour * time.Hour).UTC()
		}
		out[d-1] = lp
	}
	return out, nil
}

// EndOfDay returns the last microsecond of date d in Vietnam: a deadline "by d".
func EndOfDay(d calendar.Date) time.Time {
	return d.AddDays(1).Time(calendar.Zone).Add(-time.Microsecond).UTC()
}

// WorkingDaysBefore returns the end of the working day that lies n working days before
// t's date in Vietnam: the deadline of a level that must leave its parent n working
// days to aggregate. For n <= 0 it returns t.
func WorkingDaysBefore(cal *calendar.Calendar, t time.Time, n int) time.Time {
	if n <= 0 {
		return t
	}
	d := calendar.DateOf(t.In(calendar.Zone))
	for left := n; left > 0; {
		d = d.AddDays(-1)
		if cal.IsWorkingDay(d) {
			left--
		}
	}
	return EndOfDay(d)
}

// PlanAt returns the plan of one depth, and false when the plan has no such depth.
func PlanAt(plan []LevelPlan, depth int) (LevelPlan, bool) {
	for _, p := range plan {
		if p.Depth == depth {
			return p, true
		}
	}
	return LevelPlan{}, false
}
