package web

import (
	"strconv"
	"strings"
	"time"

	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/review"
)

// Formats Vietnamese readers expect: dates as dd/mm/yyyy in Vietnam's time, whole
// numbers grouped with dots, money in đồng as "3.468.179.900 đ".

// FormatDate returns the date of t in Vietnam as dd/mm/yyyy; "" for the zero time.
func FormatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(calendar.Zone).Format("02/01/2006")
}

// formatDateTime returns t in Vietnam as "15:04 dd/mm/yyyy".
func formatDateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(calendar.Zone).Format("15:04 02/01/2006")
}

// FormatDateHourMinute returns t in Vietnam as "dd/mm/yyyy HH:mm".
func FormatDateHourMinute(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return FormatDate(t) + " " + t.In(calendar.Zone).Format("15:04")
}

// FormatISODate turns a yyyy-mm-dd date (as decisions carry it) into dd/mm/yyyy;
// text that is not such a date is returned as it is.
func FormatISODate(s string) string {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return d.Format("02/01/2006")
}

// FormatNumber groups the digits of n by thousands with dots: 3468179900 →
// "3.468.179.900".
func FormatNumber(n int64) string { return review.FormatInt(n) }

// FormatMoney writes an amount of đồng as "3.468.179.900 đ".
func FormatMoney(dong int64) string { return FormatNumber(dong) + " đ" }

// FormatDecimal writes x with a decimal comma and no trailing zeros: 0.3 → "0,3",
// 1.5 → "1,5", 12 → "12".
func FormatDecimal(x float64) string {
	s := strconv.FormatFloat(x, 'f', -1, 64)
	return strings.Replace(s, ".", ",", 1)
}

// dueState describes a deadline relative to now, in working days.
type dueState struct {
	// Days is the number of working days left (0 on the due date) or, when
	// negative, how many working days the deadline is past.
	Days    int
	Overdue bool
	Due     time.Time
}

// dueIn computes the working days between now and a deadline with the calendar.
func dueIn(cal *calendar.Calendar, now, due time.Time) dueState {
	return dueState{Days: cal.WorkingDaysBetween(now, due), Overdue: now.After(due), Due: due}
}

// ExpandCommittee writes "UBND" out as "Ủy ban nhân dân".
func ExpandCommittee(name string) string {
	if rest, ok := strings.CutPrefix(name, "UBND "); ok {
		return "Ủy ban nhân dân " + rest
	}
	return name
}
