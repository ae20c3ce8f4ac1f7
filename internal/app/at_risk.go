package app

import (
	"time"

	"github.com/tdkt/tdkt/internal/calendar"
)

// AtRiskPercent is the share of a step's time limit after which an open task is
// "at risk" (sắp quá hạn); past its due date it is overdue.
const AtRiskPercent = 75

// atRisk reports whether a task with a time limit of limit working days, due at
// due, is at risk at now: not overdue, and at least AtRiskPercent of the limit has
// run. The share is counted back from the due date, so a clock resumed after a
// return for supplementation (activities.resumeClocks) is judged on the same
// limit. A step without a limit is never at risk.
func atRisk(cal *calendar.Calendar, limit int, due, now time.Time) bool {
	if limit <= 0 || now.After(due) {
		return false
	}
	used := limit - cal.WorkingDaysBetween(now, due)
	return used*100 >= limit*AtRiskPercent
}
