package inbox

import (
	"context"
	"time"

	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/domain"
)

// AtRiskPercent is the share of a step's time limit after which an open task is
// "at risk" (sắp quá hạn); past its due date it is overdue.
const AtRiskPercent = 75

// atRiskUntil returns the latest due date that is at risk at now for a step of
// limit working days: a task is at risk once AtRiskPercent of its limit has run,
// that is once the working days left are at most (100-AtRiskPercent) % of the
// limit, counted back from the due date (so a clock resumed after a return for
// supplementation, activities.resumeClocks, is judged on the same limit). ok is
// false for a step without a limit, never at risk.
func atRiskUntil(cal *calendar.Calendar, limit int, now time.Time) (until time.Time, ok bool) {
	if limit <= 0 {
		return time.Time{}, false
	}
	if k := limit * (100 - AtRiskPercent) / 100; k > 0 {
		return cal.AddWorkingDays(now, k), true
	}
	// Nothing left but the due day: at risk on that day.
	return calendar.DateOf(now.In(calendar.Zone)).AddDays(1).Time(calendar.Zone).Add(-time.Microsecond), true
}

// AtRisk reports whether a task with a limit of limit working days, due at due,
// is at risk at now: not overdue, and due no later than atRiskUntil.
func AtRisk(cal *calendar.Calendar, limit int, due, now time.Time) bool {
	until, ok := atRiskUntil(cal, limit, now)
	return ok && !now.After(due) && !due.After(until)
}

// atRiskLimits returns, for each step with a time limit, the latest due date at
// risk at now (atRiskUntil), for DeadlineCounts.
func (s *Service) atRiskLimits(ctx context.Context, cal *calendar.Calendar, now time.Time) (map[domain.Step]time.Time, error) {
	limits, err := s.refdata.Store.StepLimits(ctx)
	if err != nil {
		return nil, err
	}
	until := map[domain.Step]time.Time{}
	for st, l := range limits {
		if u, ok := atRiskUntil(cal, l.WorkingDays, now); ok {
			until[st] = u
		}
	}
	return until, nil
}
