package inbox

import (
	"testing"
	"time"

	"github.com/tdkt/tdkt/internal/calendar"
)

// TestAtRiskFromThreeQuartersOfTheLimit: a ten-working-day appraisal opened on
// Monday 2 June 2025 is due on the tenth working day; it is not at risk after 7
// working days (70 %), at risk on the eighth (75 % passed) and on its due day, and
// overdue (not "at risk") after it; a step without a limit is never at risk.
func TestAtRiskFromThreeQuartersOfTheLimit(t *testing.T) {
	cal, err := calendar.New(calendar.Published())
	if err != nil {
		t.Fatal(err)
	}
	opened := time.Date(2025, 6, 2, 9, 0, 0, 0, calendar.Zone)
	due := cal.AddWorkingDays(opened, 10)
	day := func(n int) time.Time { return cal.AddWorkingDays(opened, n).Add(-8 * time.Hour) } // working day n, afternoon
	for _, c := range []struct {
		n    int
		want bool
	}{{1, false}, {6, false}, {7, false}, {8, true}, {10, true}} {
		if got := AtRisk(cal, 10, due, day(c.n)); got != c.want {
			t.Errorf("working day %d (%s): at risk %v, want %v", c.n, day(c.n).Format(time.DateTime), got, c.want)
		}
	}
	if AtRisk(cal, 10, due, due.Add(time.Hour)) {
		t.Error("an overdue task is reported at risk")
	}
	if AtRisk(cal, 0, due, day(9)) {
		t.Error("a step without a limit is at risk")
	}
}

// TestAtRiskOnTheDueDayOfAShortLimit: a three-working-day intake is at risk only
// on its due day (75 % of 3 days has run only then).
func TestAtRiskOnTheDueDayOfAShortLimit(t *testing.T) {
	cal, err := calendar.New(calendar.Published())
	if err != nil {
		t.Fatal(err)
	}
	opened := time.Date(2025, 6, 2, 9, 0, 0, 0, calendar.Zone)
	due := cal.AddWorkingDays(opened, 3)
	if AtRisk(cal, 3, due, cal.AddWorkingDays(opened, 2).Add(-time.Hour)) {
		t.Error("at risk on the second of three working days")
	}
	if !AtRisk(cal, 3, due, due.Add(-time.Hour)) {
		t.Error("not at risk on the due day")
	}
}
