package calendar

import (
	"errors"
	"slices"
	"sync"
	"testing"
	"time"
)

func mustDate(t testing.TB, s string) Date {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// at parses "2006-01-02 15:04" as a time in Vietnam.
func at(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, Zone)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func mustNew(t testing.TB, overrides []Override) *Calendar {
	t.Helper()
	c, err := New(overrides)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// span is a run of consecutive days off, with the working days that must
// surround it.
type span struct {
	name                  string
	from, to              string
	workBefore, workAfter string
}

func checkSpans(t *testing.T, c *Calendar, spans []span) {
	t.Helper()
	for _, s := range spans {
		from, to := mustDate(t, s.from), mustDate(t, s.to)
		for d := from; !d.After(to); d = d.AddDays(1) {
			if c.IsWorkingDay(d) {
				t.Errorf("%s: %s (%s) is a working day, want off", s.name, d, d.Weekday())
			}
		}
		for _, w := range []string{s.workBefore, s.workAfter} {
			if d := mustDate(t, w); !c.IsWorkingDay(d) {
				t.Errorf("%s: %s (%s) is off, want a working day", s.name, d, d.Weekday())
			}
		}
	}
}

func TestPublishedSpansAreDaysOff(t *testing.T) {
	c := mustNew(t, Published())
	checkSpans(t, c, []span{
		{"Tết 2024", "2024-02-08", "2024-02-14", "2024-02-07", "2024-02-15"},
		{"Giỗ Tổ 2024", "2024-04-18", "2024-04-18", "2024-04-17", "2024-04-19"},
		{"30/4–1/5 2024", "2024-04-27", "2024-05-01", "2024-04-26", "2024-05-02"},
		{"Quốc khánh 2024", "2024-08-31", "2024-09-03", "2024-08-30", "2024-09-04"},
		{"Tết dương lịch 2025", "2025-01-01", "2025-01-01", "2024-12-31", "2025-01-02"},
		// 2025-02-03 works: the default rule alone would make it the
		// compensatory day for mùng 4 on Saturday 1/2.
		{"Tết 2025", "2025-01-25", "2025-02-02", "2025-01-24", "2025-02-03"},
		{"Giỗ Tổ 2025", "2025-04-05", "2025-04-07", "2025-04-04", "2025-04-08"},
		{"30/4–1/5 2025", "2025-04-30", "2025-05-04", "2025-04-29", "2025-05-05"},
		{"Quốc khánh 2025", "2025-08-30", "2025-09-02", "2025-08-29", "2025-09-03"},
		{"Tết dương lịch 2026", "2026-01-01", "2026-01-04", "2025-12-31", "2026-01-05"},
		{"Tết 2026", "2026-02-14", "2026-02-22", "2026-02-13", "2026-02-23"},
		// Giỗ Tổ 2026 falls on Sunday 26/4: Monday 27/4 is off by art. 111(3).
		{"Giỗ Tổ 2026", "2026-04-25", "2026-04-27", "2026-04-24", "2026-04-28"},
		{"30/4–1/5 2026", "2026-04-30", "2026-05-03", "2026-04-29", "2026-05-04"},
		{"Quốc khánh 2026", "2026-08-29", "2026-09-02", "2026-08-28", "2026-09-03"},
	})
}

func TestPublishedSwappedSaturdaysAreWorkingDays(t *testing.T) {
	c := mustNew(t, Published())
	for _, s := range []string{"2024-05-04", "2025-04-26", "2026-01-10", "2026-08-22"} {
		d := mustDate(t, s)
		if d.Weekday() != time.Saturday {
			t.Fatalf("%s is a %s, not a Saturday", d, d.Weekday())
		}
		if !c.IsWorkingDay(d) {
			t.Errorf("swapped Saturday %s is not a working day", d)
		}
		if name, ok := c.Holiday(d); ok {
			t.Errorf("swapped Saturday %s is holiday %q", d, name)
		}
	}
	if d := mustDate(t, "2025-04-19"); c.IsWorkingDay(d) {
		t.Errorf("ordinary Saturday %s is a working day", d)
	}
}

func TestHolidays2026ListsEveryNamedDayOff(t *testing.T) {
	c := mustNew(t, Published())
	type row struct {
		date   string
		name   string
		source Source
	}
	var want []row
	add := func(from, to, name string, src Source) {
		for d := mustDate(t, from); !d.After(mustDate(t, to)); d = d.AddDays(1) {
			want = append(want, row{d.String(), name, src})
		}
	}
	add("2026-01-01", "2026-01-04", NameNewYear, SourceOverride)
	add("2026-02-14", "2026-02-22", NameTet, SourceOverride)
	add("2026-04-26", "2026-04-26", NameHungKings, SourceStatutory)
	add("2026-04-27", "2026-04-27", "Nghỉ bù "+NameHungKings, SourceStatutory)
	add("2026-04-30", "2026-04-30", NameVictoryDay, SourceStatutory)
	add("2026-05-01", "2026-05-01", NameLabourDay, SourceStatutory)
	add("2026-08-29", "2026-09-02", NameNationalDay, SourceOverride)

	var got []row
	for _, h := range c.Holidays(2026) {
		got = append(got, row{h.Date.String(), h.Name, h.Source})
	}
	if !slices.Equal(got, want) {
		t.Errorf("Holidays(2026) =\n%v\nwant\n%v", got, want)
	}
	for _, r := range want {
		if name, ok := c.Holiday(mustDate(t, r.date)); !ok || name != r.name {
			t.Errorf("Holiday(%s) = %q, %v; want %q", r.date, name, ok, r.name)
		}
	}
	if name, ok := c.Holiday(mustDate(t, "2026-03-10")); ok {
		t.Errorf("Holiday(2026-03-10) = %q, want none", name)
	}
	if _, ok := c.Holiday(mustDate(t, "2026-03-14")); ok {
		t.Error("a plain Saturday is reported as a holiday")
	}
}

// Without overrides the statutory rules reproduce the decisions of past years
// that needed no bridging day, and give the law's answer for future years.
func TestStatutoryRulesWithoutOverrides(t *testing.T) {
	c := mustNew(t, nil)
	checkSpans(t, c, []span{
		// 2021: 2/9 on Thursday, the adjacent day is Friday 3/9 (as decided).
		{"Quốc khánh 2021", "2021-09-02", "2021-09-05", "2021-09-01", "2021-09-06"},
		// 2022: Giỗ Tổ on Sunday 10/4 → Monday 11/4; 30/4 and 1/5 on the weekend
		// → Monday 2/5 and Tuesday 3/5; 2/9 on Friday → Thursday 1/9.
		{"Giỗ Tổ 2022", "2022-04-09", "2022-04-11", "2022-04-08", "2022-04-12"},
		{"30/4–1/5 2022", "2022-04-30", "2022-05-03", "2022-04-29", "2022-05-04"},
		{"Quốc khánh 2022", "2022-09-01", "2022-09-04", "2022-08-31", "2022-09-05"},
		// 2023: Giỗ Tổ on Saturday 29/4, then 30/4 on Sunday and 1/5 on Monday →
		// Tuesday 2/5 and Wednesday 3/5 off; 2/9 on Saturday → Friday 1/9 and
		// Monday 4/9.
		{"Giỗ Tổ–1/5 2023", "2023-04-29", "2023-05-03", "2023-04-28", "2023-05-04"},
		{"Quốc khánh 2023", "2023-09-01", "2023-09-04", "2023-08-31", "2023-09-05"},
		// 2027: default Tết is Friday 5/2 (last day of Bính Ngọ) to Tuesday 9/2
		// (mùng 4), with Wednesday 10/2 and Thursday 11/2 for the weekend days.
		{"Tết 2027 (default)", "2027-02-05", "2027-02-11", "2027-02-04", "2027-02-12"},
		// 2028: 1/1 on Saturday → Monday 3/1.
		{"Tết dương lịch 2028", "2028-01-01", "2028-01-03", "2027-12-31", "2028-01-04"},
		// 2028: 2/9 on Saturday → Friday 1/9 and Monday 4/9.
		{"Quốc khánh 2028", "2028-09-01", "2028-09-04", "2028-08-31", "2028-09-05"},
		// 2029: 2/9 on Sunday → Monday 3/9 (adjacent) and Tuesday 4/9 (compensatory).
		{"Quốc khánh 2029", "2029-09-01", "2029-09-04", "2029-08-31", "2029-09-05"},
	})
	tests := []struct {
		date, name string
	}{
		{"2029-09-02", NameNationalDay},
		{"2029-09-03", NameNationalDay},
		{"2029-09-04", "Nghỉ bù " + NameNationalDay},
		{"2028-01-03", "Nghỉ bù " + NameNewYear},
		{"2027-02-10", "Nghỉ bù " + NameTet},
		{"2023-05-02", "Nghỉ bù " + NameHungKings},
		{"2023-05-03", "Nghỉ bù " + NameVictoryDay},
	}
	for _, tt := range tests {
		if name, ok := c.Holiday(mustDate(t, tt.date)); !ok || name != tt.name {
			t.Errorf("Holiday(%s) = %q, %v; want %q", tt.date, name, ok, tt.name)
		}
	}
	if got := DefaultTet(2026); got[0] != mustDate(t, "2026-02-16") || got[4] != mustDate(t, "2026-02-20") || len(got) != 5 {
		t.Errorf("DefaultTet(2026) = %v, want 2026-02-16 … 2026-02-20", got)
	}
	if d := mustDate(t, "2025-02-03"); c.IsWorkingDay(d) {
		t.Errorf("without overrides %s should be the compensatory day for mùng 4 Tết on Saturday", d)
	}
}

func TestOverridesReplaceRuleBasedDefaults(t *testing.T) {
	t.Run("an off day in the Tết window replaces the default span", func(t *testing.T) {
		c := mustNew(t, []Override{{Date: mustDate(t, "2027-02-04"), Kind: OverrideOff, Name: NameTet}})
		if c.IsWorkingDay(mustDate(t, "2027-02-04")) {
			t.Error("overridden 2027-02-04 is a working day")
		}
		for _, s := range []string{"2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11"} {
			if !c.IsWorkingDay(mustDate(t, s)) {
				t.Errorf("%s is still off although the Tết span was recorded", s)
			}
		}
	})
	t.Run("an off day near 2/9 replaces the default adjacent day but not 2/9", func(t *testing.T) {
		c := mustNew(t, []Override{{Date: mustDate(t, "2027-09-01"), Kind: OverrideOff, Name: NameNationalDay}})
		if c.IsWorkingDay(mustDate(t, "2027-09-03")) == false {
			t.Error("2027-09-03, the default adjacent day, is still off")
		}
		if c.IsWorkingDay(mustDate(t, "2027-09-02")) || c.IsWorkingDay(mustDate(t, "2027-09-01")) {
			t.Error("2/9 or the recorded 1/9 is a working day")
		}
	})
	t.Run("a work override cancels a statutory holiday", func(t *testing.T) {
		c := mustNew(t, []Override{{Date: mustDate(t, "2027-04-30"), Kind: OverrideWork}})
		d := mustDate(t, "2027-04-30")
		if !c.IsWorkingDay(d) {
			t.Error("2027-04-30 overridden to work is off")
		}
		if _, ok := c.Holiday(d); ok {
			t.Error("2027-04-30 overridden to work is still a holiday")
		}
	})
	t.Run("an off override on a weekend holiday records its compensation too", func(t *testing.T) {
		// 30/4/2028 is a Sunday; 1/5 is Monday, so the rule gives Tuesday 2/5.
		if mustNew(t, nil).IsWorkingDay(mustDate(t, "2028-05-02")) {
			t.Fatal("premise: 2028-05-02 should be the compensatory day")
		}
		c := mustNew(t, []Override{{Date: mustDate(t, "2028-04-30"), Kind: OverrideOff, Name: NameVictoryDay}})
		if !c.IsWorkingDay(mustDate(t, "2028-05-02")) {
			t.Error("2028-05-02 is still a compensatory day although 30/4 was recorded")
		}
	})
}

func TestNewRejectsInvalidOverrides(t *testing.T) {
	d := Date{2027, time.March, 1}
	tests := map[string][]Override{
		"invalid date":   {{Date: Date{2027, time.February, 29}, Kind: OverrideOff, Name: "x"}},
		"zero date":      {{Kind: OverrideOff, Name: "x"}},
		"unknown kind":   {{Date: d, Kind: "holiday", Name: "x"}},
		"unnamed off":    {{Date: d, Kind: OverrideOff, Name: "  "}},
		"duplicate date": {{Date: d, Kind: OverrideOff, Name: "x"}, {Date: d, Kind: OverrideWork}},
	}
	for name, overrides := range tests {
		if _, err := New(overrides); !errors.Is(err, ErrInvalidOverride) {
			t.Errorf("%s: New error = %v, want ErrInvalidOverride", name, err)
		}
	}
	if _, err := New([]Override{{Date: d, Kind: OverrideWork}}); err != nil {
		t.Errorf("an unnamed work override is valid: %v", err)
	}
}

func TestAddWorkingDays(t *testing.T) {
	c := mustNew(t, Published())
	tests := []struct {
		name string
		from string // in Vietnam
		n    int
		due  string
	}{
		{"weekday to next weekday", "2025-06-04 09:00", 1, "2025-06-05"},
		{"Friday skips the weekend", "2025-06-06 16:30", 1, "2025-06-09"},
		{"received on Saturday", "2025-06-07 10:00", 1, "2025-06-09"},
		{"10 days over two weekends", "2025-06-02 08:00", 10, "2025-06-16"},
		{"n=0 on a working day is the same day", "2025-06-04 23:59", 0, "2025-06-04"},
		{"n=0 on Saturday is Monday", "2025-06-07 10:00", 0, "2025-06-09"},
		{"negative n is treated as 0", "2026-02-14 10:00", -3, "2026-02-23"},
		// 13/2/2026 is the last working day before Tết (14–22/2).
		{"across Tết 2026", "2026-02-12 10:00", 3, "2026-02-24"},
		// 11, 12, 13/2, then 23–27/2, 2/3, 3/3.
		{"10 days across Tết 2026", "2026-02-10 10:00", 10, "2026-03-03"},
		{"received during Tết 2026", "2026-02-17 10:00", 1, "2026-02-23"},
		// 25/4 Fri, 26/4 Sat (swapped, worked), 28/4, 29/4, then 30/4–4/5 off, 5/5.
		{"across 30/4–1/5 2025 with a swapped Saturday", "2025-04-24 10:00", 5, "2025-05-05"},
		// 24/4 Fri, 27/4 compensatory for Giỗ Tổ, 28/4, 29/4, 30/4–3/5 off, 4/5.
		{"across Giỗ Tổ and 30/4–1/5 2026", "2026-04-23 15:00", 4, "2026-05-04"},
		{"year boundary with 1–4/1/2026", "2025-12-30 10:00", 3, "2026-01-06"},
		// 2026 has 250 working days: 365 - 104 weekend days - 13 weekday
		// holidays (1, 2/1; 16–20/2; 27/4; 30/4; 1/5; 31/8; 1, 2/9) + 2 swapped
		// Saturdays; from 31/12/2025 the 250th is the last working day of 2026.
		{"a year of working days", "2025-12-31 10:00", 250, "2026-12-31"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.AddWorkingDays(at(t, tt.from), tt.n)
			want := mustDate(t, tt.due).AddDays(1).Time(Zone).Add(-time.Microsecond)
			if !got.Equal(want) {
				t.Errorf("AddWorkingDays(%s, %d) = %s, want %s", tt.from, tt.n, got.In(Zone), want)
			}
			if got.Location() != Zone {
				t.Errorf("result is in %v, want %v", got.Location(), Zone)
			}
		})
	}
}

func TestAddWorkingDaysUsesTheDateInVietnam(t *testing.T) {
	c := mustNew(t, Published())
	// Sunday 2025-06-08 18:00 UTC is Monday 01:00 in Vietnam.
	sundayUTC := time.Date(2025, time.June, 8, 18, 0, 0, 0, time.UTC)
	got := c.AddWorkingDays(sundayUTC, 1)
	if d := DateOf(got.In(Zone)); d != (Date{2025, time.June, 10}) {
		t.Errorf("due date = %s, want 2025-06-10 (Monday in Vietnam + 1)", d)
	}
	if h, m, s := got.Clock(); h != 23 || m != 59 || s != 59 || got.Nanosecond() != 999999000 {
		t.Errorf("due instant = %s, want 23:59:59.999999 in Vietnam", got)
	}
}

func TestWorkingDaysBetween(t *testing.T) {
	c := mustNew(t, Published())
	tests := []struct {
		name     string
		from, to string
		want     int
	}{
		{"same day", "2026-02-10 08:00", "2026-02-10 23:00", 0},
		{"due tomorrow", "2026-02-10 08:00", "2026-02-11 12:00", 1},
		{"over Tết 2026", "2026-02-12 08:00", "2026-02-24 12:00", 3},
		{"overdue by 3 over Tết", "2026-02-24 12:00", "2026-02-12 08:00", -3},
		{"to a Saturday", "2026-03-05 08:00", "2026-03-07 08:00", 1},
		{"across years", "2025-12-31 10:00", "2026-12-31 10:00", 250},
	}
	for _, tt := range tests {
		if got := c.WorkingDaysBetween(at(t, tt.from), at(t, tt.to)); got != tt.want {
			t.Errorf("%s: WorkingDaysBetween(%s, %s) = %d, want %d", tt.name, tt.from, tt.to, got, tt.want)
		}
	}
}

// The bitset answers the same as the holiday list and the weekday rule, in and
// out of the cached year range.
func TestWorkingDayBitsMatchHolidayList(t *testing.T) {
	c := mustNew(t, Published())
	work := make(map[Date]bool)
	for _, o := range Published() {
		if o.Kind == OverrideWork {
			work[o.Date] = true
		}
	}
	for _, year := range []int{1850, 1999, 2024, 2025, 2026, 2027, 2199, 2200, 2300} {
		off := make(map[Date]bool)
		for _, h := range c.Holidays(year) {
			off[h.Date] = true
		}
		for d := (Date{year, time.January, 1}); d.Year == year; d = d.AddDays(1) {
			weekend := d.Weekday() == time.Saturday || d.Weekday() == time.Sunday
			want := work[d] || (!off[d] && !weekend)
			if got := c.IsWorkingDay(d); got != want {
				t.Fatalf("IsWorkingDay(%s) = %v, want %v", d, got, want)
			}
		}
	}
	if c.IsWorkingDay(Date{2026, time.February, 30}) {
		t.Error("an invalid date is a working day")
	}
}

func TestAddWorkingDaysAcrossTheCacheBoundary(t *testing.T) {
	c := mustNew(t, nil)
	from := at(t, "2199-12-20 10:00")
	due := c.AddWorkingDays(from, 20)
	if got := c.WorkingDaysBetween(from, due); got != 20 {
		t.Errorf("WorkingDaysBetween = %d, want 20", got)
	}
	if !c.IsWorkingDay(DateOf(due.In(Zone))) {
		t.Errorf("due date %s is not a working day", due)
	}
}

func TestCalendarIsSafeForConcurrentUse(t *testing.T) {
	c := mustNew(t, Published())
	from := at(t, "2024-01-02 09:00")
	want := mustNew(t, Published()).AddWorkingDays(from, 600)
	var wg sync.WaitGroup
	errs := make(chan time.Time, 8)
	for range 8 {
		wg.Go(func() {
			if got := c.AddWorkingDays(from, 600); !got.Equal(want) {
				errs <- got
			}
		})
	}
	wg.Wait()
	close(errs)
	for got := range errs {
		t.Errorf("concurrent AddWorkingDays = %s, want %s", got, want)
	}
}

func BenchmarkAddWorkingDays10(b *testing.B) {
	benchmarkAddWorkingDays(b, 10)
}

func BenchmarkAddWorkingDays250(b *testing.B) {
	benchmarkAddWorkingDays(b, 250)
}

func benchmarkAddWorkingDays(b *testing.B, n int) {
	c := mustNew(b, Published())
	from := at(b, "2025-12-15 10:00")
	c.AddWorkingDays(from, n) // compute the years once, as a long-lived calendar has
	b.ReportAllocs()
	for b.Loop() {
		c.AddWorkingDays(from, n)
	}
}

func FuzzAddWorkingDays(f *testing.F) {
	c := mustNew(f, Published())
	f.Add(int64(0), int16(10))
	f.Add(int64(1771286400), int16(3)) // Tết 2026
	f.Add(int64(1745971200), int16(0)) // 30/4/2025
	f.Add(int64(-1), int16(-1))
	f.Fuzz(func(t *testing.T, sec int64, rawN int16) {
		// Bound the input: instants from 1990 to 2110, n from -5 to 694.
		const lo, span = 631152000, 120 * 365 * 86400
		sec %= span
		if sec < 0 {
			sec += span
		}
		from := time.Unix(lo+sec, 0)
		n := int(rawN)%700 - 5
		if n < -5 {
			n += 700
		}
		due := c.AddWorkingDays(from, n)
		dueDate := DateOf(due.In(Zone))
		if !c.IsWorkingDay(dueDate) {
			t.Fatalf("AddWorkingDays(%s, %d) = %s, not a working day", from, n, dueDate)
		}
		if due.Before(from) {
			t.Fatalf("AddWorkingDays(%s, %d) = %s, before the start", from, n, due)
		}
		if !due.Equal(dueDate.AddDays(1).Time(Zone).Add(-time.Microsecond)) {
			t.Fatalf("AddWorkingDays(%s, %d) = %s, not the end of a day", from, n, due)
		}
		// Count back day by day with IsWorkingDay, independently of the bitset scan.
		start := DateOf(from.In(Zone))
		count := 0
		for d := start.AddDays(1); !d.After(dueDate); d = d.AddDays(1) {
			if c.IsWorkingDay(d) {
				count++
			}
		}
		wantCount := n
		if n <= 0 {
			wantCount = 0
			if !c.IsWorkingDay(start) {
				wantCount = 1
			}
			if c.IsWorkingDay(start) && dueDate != start {
				t.Fatalf("AddWorkingDays(%s, %d) = %s, want the start date", from, n, dueDate)
			}
		}
		if count != wantCount {
			t.Fatalf("AddWorkingDays(%s, %d) = %s: %d working days after the start, want %d", from, n, dueDate, count, wantCount)
		}
		if got := c.WorkingDaysBetween(from, due); got != wantCount {
			t.Fatalf("WorkingDaysBetween(%s, %s) = %d, want %d", from, due, got, wantCount)
		}
		if got := c.WorkingDaysBetween(due, from); got != -wantCount {
			t.Fatalf("WorkingDaysBetween(%s, %s) = %d, want %d", due, from, got, -wantCount)
		}
	})
}
