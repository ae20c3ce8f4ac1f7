// Package calendar is the Vietnamese working-day calendar behind every time
// limit in the product: "10 working days from a complete dossier" becomes an
// instant here.
//
// Working days are Monday to Friday except public holidays. The holidays come
// from two layers:
//
//   - Statutory rules (Labour Code 2019, art. 111–112): 1/1; five days of Tết
//     Nguyên đán (lunar new year); Giỗ Tổ Hùng Vương (10/3 lunar); 30/4; 1/5;
//     Quốc khánh 2/9 plus one adjacent day; and a compensatory day off on the
//     next working day for a holiday that falls on a Saturday or Sunday
//     (art. 111(3)). Lunar dates use the Vietnamese lunar calendar (package
//     lunar), not the Chinese one.
//   - Overrides: the yearly decisions an administrator records as data — the
//     exact Tết span set by the government, bridging days, swapped working
//     Saturdays, corrections. Published returns the official decisions for
//     2024–2026.
//
// The rules are those of the Labour Code 2019, in force since 2021, and are
// applied to every year; years before 2021 (one day for Quốc khánh, no Giỗ Tổ
// before 2007) are not reproduced.
//
// A Calendar is an immutable snapshot of both layers, safe for concurrent use.
// Build a new one when the overrides change.
package calendar

import (
	"errors"
	"fmt"
	"math/bits"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/tdkt/tdkt/internal/calendar/lunar"
)

// OverrideKind says what an Override does to its day.
type OverrideKind string

const (
	// OverrideOff makes a day a day off: a compensatory day, a day of the Tết
	// span set by the government, a bridging day swapped for a Saturday.
	OverrideOff OverrideKind = "off"
	// OverrideWork makes a day a working day: a Saturday worked in exchange for
	// a bridging day off, or the correction of a holiday that is not one.
	OverrideWork OverrideKind = "work"
)

// Override is one day of a yearly holiday decision, as an administrator
// records it. It wins over the statutory rules for its date.
//
// Recording the span of an occasion whose days the government sets each year
// replaces the rule-based default for that year rather than adding to it:
//
//   - an "off" override within 10 days of lunar new year's day replaces the
//     default Tết span (DefaultTet) and its compensatory days, so record the
//     whole span, weekends included;
//   - an "off" override between 28/8 and 7/9 replaces the default day adjacent
//     to 2/9 (2/9 itself stays a holiday);
//   - an "off" override on a statutory holiday's own date means the decision
//     covering it is recorded, so no compensatory day is derived for it.
type Override struct {
	Date Date         `json:"date"`
	Kind OverrideKind `json:"kind"`
	// Name is shown to users, e.g. "Tết Nguyên đán" or "Làm bù cho thứ Sáu
	// 02/01/2026". It is required for "off" overrides.
	Name string `json:"name"`
}

// Source says where a Holiday comes from.
type Source string

const (
	// SourceStatutory marks a holiday derived from the Labour Code rules.
	SourceStatutory Source = "statutory"
	// SourceOverride marks a day off recorded as an Override.
	SourceOverride Source = "override"
)

// Holiday is a named day off.
type Holiday struct {
	Date   Date   `json:"date"`
	Name   string `json:"name"`
	Source Source `json:"source"`
}

// Holiday names as Vietnamese users know them.
const (
	NameNewYear      = "Tết Dương lịch"
	NameTet          = "Tết Nguyên đán"
	NameHungKings    = "Giỗ Tổ Hùng Vương"
	NameVictoryDay   = "Ngày Chiến thắng"
	NameLabourDay    = "Ngày Quốc tế Lao động"
	NameNationalDay  = "Quốc khánh"
	compensatoryName = "Nghỉ bù "
)

// ErrInvalidOverride reports an override New cannot accept: an invalid date,
// an unknown kind, an "off" override without a name, or two overrides for the
// same date.
var ErrInvalidOverride = errors.New("calendar: invalid override")

// Years in [cacheFirstYear, cacheFirstYear+cacheYears) are computed once per
// Calendar and kept; other years are recomputed on every use.
const (
	cacheFirstYear = 1900
	cacheYears     = 300
)

// Calendar answers working-day questions for one snapshot of the rules and
// overrides. Build one with New and share the pointer: it computes each year
// on first use and keeps it, so it must not be copied.
type Calendar struct {
	overrides map[int][]Override // by year, sorted by date
	cache     [cacheYears]atomic.Pointer[yearData]
}

// yearData is one year of the calendar, computed on first use.
type yearData struct {
	first    int       // day number of 1 January
	length   int       // 365 or 366
	work     [6]uint64 // bit i set: day i of the year (0 = 1 January) is a working day
	holidays []Holiday // days off with a name, sorted by date
}

// New returns a Calendar of the statutory rules plus overrides. It returns an
// error wrapping ErrInvalidOverride when an override is invalid or two
// overrides share a date.
func New(overrides []Override) (*Calendar, error) {
	c := &Calendar{overrides: make(map[int][]Override)}
	seen := make(map[Date]bool, len(overrides))
	for _, o := range overrides {
		if !o.Date.IsValid() {
			return nil, fmt.Errorf("%w: date %d-%d-%d does not exist", ErrInvalidOverride, o.Date.Year, int(o.Date.Month), o.Date.Day)
		}
		if o.Kind != OverrideOff && o.Kind != OverrideWork {
			return nil, fmt.Errorf("%w: %s: kind %q is neither %q nor %q", ErrInvalidOverride, o.Date, o.Kind, OverrideOff, OverrideWork)
		}
		if o.Kind == OverrideOff && strings.TrimSpace(o.Name) == "" {
			return nil, fmt.Errorf("%w: %s: a day off needs a name", ErrInvalidOverride, o.Date)
		}
		if seen[o.Date] {
			return nil, fmt.Errorf("%w: %s is overridden twice", ErrInvalidOverride, o.Date)
		}
		seen[o.Date] = true
		c.overrides[o.Date.Year] = append(c.overrides[o.Date.Year], o)
	}
	for _, list := range c.overrides {
		slices.SortFunc(list, func(a, b Override) int { return a.Date.Compare(b.Date) })
	}
	return c, nil
}

// IsWorkingDay reports whether d is a working day. An invalid date is not.
func (c *Calendar) IsWorkingDay(d Date) bool {
	if !d.IsValid() {
		return false
	}
	yd := c.year(d.Year)
	i := d.days() - yd.first
	return yd.work[i>>6]&(1<<(i&63)) != 0
}

// Holiday returns the name of the holiday on d, if d is a day off other than a
// plain weekend: a statutory holiday, a compensatory day or an "off" override.
// A statutory holiday turned into a working day by an override is not one.
func (c *Calendar) Holiday(d Date) (name string, ok bool) {
	if !d.IsValid() {
		return "", false
	}
	hs := c.year(d.Year).holidays
	i := sort.Search(len(hs), func(i int) bool { return !hs[i].Date.Before(d) })
	if i < len(hs) && hs[i].Date == d {
		return hs[i].Name, true
	}
	return "", false
}

// Holidays returns the holidays of a Gregorian year, sorted by date: statutory
// holidays and compensatory days not overridden, and "off" overrides. Days off
// that fall on weekends are included when they are holidays.
func (c *Calendar) Holidays(year int) []Holiday {
	return slices.Clone(c.year(year).holidays)
}

// AddWorkingDays returns the deadline n working days after instant t: the end
// of the n-th working day after t's date in Vietnam. The day of t itself never
// counts, whatever its time, so "within 10 working days from a complete dossier
// received on day D" is AddWorkingDays(receivedAt, 10).
//
// The end of a day is its last microsecond, 23:59:59.999999 in Zone: it is the
// latest instant still on the due date, so DateOf(deadline.In(Zone)) is the due
// date, "overdue" is now.After(deadline), and the instant survives PostgreSQL's
// microsecond timestamptz unchanged.
//
// For n <= 0 it returns the end of t's date if that is a working day, else the
// end of the next working day.
//
// It runs in time proportional to n/64 and does not allocate once the years it
// crosses have been computed.
func (c *Calendar) AddWorkingDays(t time.Time, n int) time.Time {
	start := DateOf(t.In(Zone)).days()
	var due int
	if n <= 0 {
		due = c.nthWorkingDayAfter(start-1, 1)
	} else {
		due = c.nthWorkingDayAfter(start, n)
	}
	return dateOfDays(due + 1).Time(Zone).Add(-time.Microsecond)
}

// WorkingDaysBetween counts the working days after from's date up to and
// including to's date, both taken in Vietnam; the count is negative when to is
// before from. WorkingDaysBetween(now, deadline) is the number of working days
// left (0 when the deadline is today) and, when negative, how many working days
// the deadline is overdue. For n >= 1,
// WorkingDaysBetween(t, AddWorkingDays(t, n)) == n.
func (c *Calendar) WorkingDaysBetween(from, to time.Time) int {
	a := DateOf(from.In(Zone)).days()
	b := DateOf(to.In(Zone)).days()
	switch {
	case a < b:
		return c.countWorkingDays(a+1, b+1)
	case a > b:
		return -c.countWorkingDays(b+1, a+1)
	default:
		return 0
	}
}

// DefaultTet returns the five days of Tết the calendar uses for a year without
// a recorded decision: the last day of the old lunar year and the first four
// days of the new one, the pattern the government has most often chosen.
// Real years are recorded as overrides because the government sets the span
// each year (and adds weekends and bridging days to it).
func DefaultTet(year int) []Date {
	y, m, d := lunar.NewYear(year)
	first := Date{Year: y, Month: m, Day: d}
	out := make([]Date, 0, 5)
	for i := -1; i <= 3; i++ {
		out = append(out, first.AddDays(i))
	}
	return out
}

// nationalDayAdjacent returns the day the calendar adds to 2/9 when no decision
// is recorded: the neighbour that joins 2/9 to a weekend (3/9 when 2/9 is a
// Monday or Thursday, 1/9 when it is a Tuesday, Friday or Saturday), 1/9 for a
// Wednesday as the government chose in 2026, and 3/9 for a Sunday (with 1/9
// the off days would be the same: Monday 3/9 and Tuesday 4/9).
func nationalDayAdjacent(year int) Date {
	switch (Date{Year: year, Month: time.September, Day: 2}).Weekday() {
	case time.Monday, time.Thursday, time.Sunday:
		return Date{Year: year, Month: time.September, Day: 3}
	default:
		return Date{Year: year, Month: time.September, Day: 1}
	}
}

// year returns the computed data of a Gregorian year, from the cache when the
// year is in its range.
func (c *Calendar) year(y int) *yearData {
	i := y - cacheFirstYear
	if i < 0 || i >= cacheYears {
		return c.compute(y)
	}
	if yd := c.cache[i].Load(); yd != nil {
		return yd
	}
	// Concurrent first uses may both compute; the results are identical and
	// the first stored wins.
	c.cache[i].CompareAndSwap(nil, c.compute(y))
	return c.cache[i].Load()
}

// dayInfo is the state of one day while a year is computed.
type dayInfo struct {
	statutory string // name of the statutory holiday or compensatory day
	override  *Override
}

// compute derives one year from the rules and the overrides.
func (c *Calendar) compute(y int) *yearData {
	first := Date{Year: y, Month: time.January, Day: 1}.days()
	length := 365
	if isLeap(y) {
		length = 366
	}
	days := make([]dayInfo, length)
	overrides := c.overrides[y]
	for i := range overrides {
		days[overrides[i].Date.days()-first].override = &overrides[i]
	}
	offOverrideWithin := func(from, to Date) bool {
		for _, o := range overrides {
			if o.Kind == OverrideOff && !o.Date.Before(from) && !o.Date.After(to) {
				return true
			}
		}
		return false
	}
	var statutory []int // day indexes of statutory holidays, for compensation
	add := func(d Date, name string) {
		if d.Year != y {
			return
		}
		i := d.days() - first
		if days[i].statutory == "" {
			days[i].statutory = name
			statutory = append(statutory, i)
		} else if !strings.Contains(days[i].statutory, name) {
			days[i].statutory += ", " + name
		}
	}

	add(Date{Year: y, Month: time.January, Day: 1}, NameNewYear)
	ty, tm, td := lunar.NewYear(y)
	tet := Date{Year: ty, Month: tm, Day: td}
	if !offOverrideWithin(tet.AddDays(-10), tet.AddDays(10)) {
		for _, d := range DefaultTet(y) {
			add(d, NameTet)
		}
	}
	if hy, hm, hd, err := lunar.ToSolar(10, 3, y, false); err == nil {
		add(Date{Year: hy, Month: hm, Day: hd}, NameHungKings)
	}
	add(Date{Year: y, Month: time.April, Day: 30}, NameVictoryDay)
	add(Date{Year: y, Month: time.May, Day: 1}, NameLabourDay)
	add(Date{Year: y, Month: time.September, Day: 2}, NameNationalDay)
	if !offOverrideWithin(Date{Year: y, Month: time.August, Day: 28}, Date{Year: y, Month: time.September, Day: 7}) {
		add(nationalDayAdjacent(y), NameNationalDay)
	}

	// Art. 111(3): a holiday on the weekly rest day moves to the next working
	// day. Holidays are handled in date order so that consecutive weekend
	// holidays (Tết) get consecutive compensatory days.
	slices.Sort(statutory)
	weekend := func(i int) bool {
		w := ((first+i+int(time.Thursday))%7 + 7) % 7 // 1970-01-01 was a Thursday
		return w == int(time.Saturday) || w == int(time.Sunday)
	}
	for _, i := range statutory {
		if !weekend(i) || days[i].override != nil {
			continue
		}
		j := i + 1
		for j < length && (weekend(j) || days[j].statutory != "" || (days[j].override != nil && days[j].override.Kind == OverrideOff)) {
			j++
		}
		if j < length {
			days[j].statutory = compensatoryName + days[i].statutory
		}
	}

	yd := &yearData{first: first, length: length}
	for i := range days {
		var off bool
		switch {
		case days[i].override != nil && days[i].override.Kind == OverrideWork:
			off = false
		case days[i].override != nil:
			off = true
			yd.holidays = append(yd.holidays, Holiday{Date: dateOfDays(first + i), Name: days[i].override.Name, Source: SourceOverride})
		case days[i].statutory != "":
			off = true
			yd.holidays = append(yd.holidays, Holiday{Date: dateOfDays(first + i), Name: days[i].statutory, Source: SourceStatutory})
		default:
			off = weekend(i)
		}
		if !off {
			yd.work[i>>6] |= 1 << (i & 63)
		}
	}
	return yd
}

// nthWorkingDayAfter returns the day number of the n-th (n >= 1) working day
// strictly after day number after.
func (c *Calendar) nthWorkingDayAfter(after, n int) int {
	pos := after + 1
	y := dateOfDays(pos).Year
	for {
		yd := c.year(y)
		i := pos - yd.first
		for w := i >> 6; w < len(yd.work); w++ {
			word := yd.work[w]
			if w == i>>6 {
				word &= ^uint64(0) << (i & 63)
			}
			if pc := bits.OnesCount64(word); pc < n {
				n -= pc
				continue
			}
			for ; n > 1; n-- {
				word &= word - 1
			}
			return yd.first + w<<6 + bits.TrailingZeros64(word)
		}
		pos = yd.first + yd.length
		y++
	}
}

// countWorkingDays counts the working days with day numbers in [from, to).
func (c *Calendar) countWorkingDays(from, to int) int {
	count := 0
	y := dateOfDays(from).Year
	for from < to {
		yd := c.year(y)
		end := min(to, yd.first+yd.length)
		count += countBits(&yd.work, from-yd.first, end-yd.first)
		from = end
		y++
	}
	return count
}

// countBits counts the set bits of w with indexes in [from, to).
func countBits(w *[6]uint64, from, to int) int {
	count := 0
	for i := from >> 6; i <= (to-1)>>6; i++ {
		word := w[i]
		if i == from>>6 {
			word &= ^uint64(0) << (from & 63)
		}
		if i == (to-1)>>6 && to&63 != 0 {
			word &= ^uint64(0) >> (64 - to&63)
		}
		count += bits.OnesCount64(word)
	}
	return count
}
