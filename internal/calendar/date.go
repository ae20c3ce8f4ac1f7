package calendar

import (
	"errors"
	"fmt"
	"time"
)

// Zone is Vietnam's time zone, UTC+7 all year (no daylight saving time). It is a
// fixed zone rather than time.LoadLocation("Asia/Ho_Chi_Minh") so that deadline
// arithmetic never depends on the tzdata installed on a machine.
var Zone = time.FixedZone("ICT", 7*3600)

// Date is a civil date with no time of day and no time zone: the unit of the
// working-day calendar. The zero Date is not a valid date.
//
// Dates are comparable with == and usable as map keys. They marshal as text in
// the ISO 8601 form 2006-01-02, in JSON too.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ErrInvalidDate reports text that is not a valid date in the form 2006-01-02.
var ErrInvalidDate = errors.New("calendar: invalid date")

// ParseDate parses a date in the form 2006-01-02. It returns an error wrapping
// ErrInvalidDate when s is not such a date (including 2025-02-29).
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("%w %q: %w", ErrInvalidDate, s, err)
	}
	return DateOf(t), nil
}

// DateOf returns the civil date of instant t in the time zone of t's location.
// Convert with t.In(Zone) first to get the date in Vietnam; the calendar's
// own methods do that themselves.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// dateOfDays returns the Date of a day number (days since 1970-01-01).
func dateOfDays(n int) Date {
	// Howard Hinnant's civil_from_days, valid for the whole int range used here.
	n += 719468
	era := n / 146097
	if n < 0 && n%146097 != 0 {
		era--
	}
	doe := n - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	y := yoe + era*400
	if m <= 2 {
		y++
	}
	return Date{Year: y, Month: time.Month(m), Day: d}
}

// days returns the day number of d: days since 1970-01-01. The result is only
// meaningful for a valid d; callers check IsValid first where d comes from
// outside the package.
func (d Date) days() int {
	y := d.Year
	m := int(d.Month)
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d.Day - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// IsValid reports whether d names a day that exists in the Gregorian calendar.
func (d Date) IsValid() bool {
	if d.Month < time.January || d.Month > time.December || d.Day < 1 {
		return false
	}
	return d.Day <= daysIn(d.Year, d.Month)
}

func daysIn(year int, m time.Month) int {
	switch m {
	case time.February:
		if isLeap(year) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	default:
		return 31
	}
}

func isLeap(year int) bool {
	return year%4 == 0 && (year%100 != 0 || year%400 == 0)
}

// String returns d in the form 2006-01-02.
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday {
	// 1970-01-01 was a Thursday.
	w := (d.days() + int(time.Thursday)) % 7
	if w < 0 {
		w += 7
	}
	return time.Weekday(w)
}

// AddDays returns the date n days after d (before d when n is negative).
func (d Date) AddDays(n int) Date { return dateOfDays(d.days() + n) }

// Compare returns -1, 0 or +1 as d is before, equal to or after o.
func (d Date) Compare(o Date) int {
	switch {
	case d.Year != o.Year:
		return cmpInt(d.Year, o.Year)
	case d.Month != o.Month:
		return cmpInt(int(d.Month), int(o.Month))
	default:
		return cmpInt(d.Day, o.Day)
	}
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	default:
		return 0
	}
}

// Before reports whether d is before o.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }

// After reports whether d is after o.
func (d Date) After(o Date) bool { return d.Compare(o) > 0 }

// Time returns the instant at which d begins (00:00) in loc.
func (d Date) Time(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// MarshalText encodes d as 2006-01-02.
func (d Date) MarshalText() ([]byte, error) {
	if !d.IsValid() {
		return nil, fmt.Errorf("%w: %d-%d-%d", ErrInvalidDate, d.Year, int(d.Month), d.Day)
	}
	return []byte(d.String()), nil
}

// UnmarshalText decodes a date in the form 2006-01-02. It returns an error
// wrapping ErrInvalidDate for anything else.
func (d *Date) UnmarshalText(b []byte) error {
	p, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// DMY writes the date the Vietnamese way, dd/mm/yyyy.
func (d Date) DMY() string { return d.Time(time.UTC).Format("02/01/2006") }
