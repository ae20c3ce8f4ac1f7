package lunar

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

type ymd struct {
	y int
	m time.Month
	d int
}

func (v ymd) String() string { return fmt.Sprintf("%04d-%02d-%02d", v.y, int(v.m), v.d) }

func solar(t *testing.T, d, m, y int, leap bool) ymd {
	t.Helper()
	sy, sm, sd, err := ToSolar(d, m, y, leap)
	if err != nil {
		t.Fatalf("ToSolar(%d, %d, %d, %v): %v", d, m, y, leap, err)
	}
	return ymd{sy, sm, sd}
}

// Tết as announced in Vietnam. 2030 differs from the Chinese new year
// (2030-02-03): the new moon is at 23:07 in Hanoi on 2 February.
func TestNewYearMatchesVietnameseTet2020To2030(t *testing.T) {
	want := map[int]ymd{
		2020: {2020, time.January, 25},
		2021: {2021, time.February, 12},
		2022: {2022, time.February, 1},
		2023: {2023, time.January, 22},
		2024: {2024, time.February, 10},
		2025: {2025, time.January, 29},
		2026: {2026, time.February, 17},
		2027: {2027, time.February, 6},
		2028: {2028, time.January, 26},
		2029: {2029, time.February, 13},
		2030: {2030, time.February, 2},
	}
	for y := 2020; y <= 2030; y++ {
		got := solar(t, 1, 1, y, false)
		if got != want[y] {
			t.Errorf("Tết %d = %s, want %s", y, got, want[y])
		}
		ny, nm, nd := NewYear(y)
		if (ymd{ny, nm, nd}) != want[y] {
			t.Errorf("NewYear(%d) = %s, want %s", y, ymd{ny, nm, nd}, want[y])
		}
	}
}

func TestHungKingsDayIsTenthOfThirdLunarMonth(t *testing.T) {
	tests := []struct {
		year int
		want ymd
	}{
		{2021, ymd{2021, time.April, 21}},
		{2023, ymd{2023, time.April, 29}}, // after leap month 2
		{2024, ymd{2024, time.April, 18}},
		{2025, ymd{2025, time.April, 7}},
		{2026, ymd{2026, time.April, 26}},
		{2027, ymd{2027, time.April, 16}},
	}
	for _, tt := range tests {
		if got := solar(t, 10, 3, tt.year, false); got != tt.want {
			t.Errorf("10/3 lunar %d = %s, want %s", tt.year, got, tt.want)
		}
	}
}

// The Vietnamese calendar is computed at UTC+7; the Chinese one at UTC+8
// gives a different new year in these years.
func TestVietnameseNotChineseNewYear(t *testing.T) {
	tests := []struct {
		year        int
		vn, chinese ymd
	}{
		{1985, ymd{1985, time.January, 21}, ymd{1985, time.February, 20}},
		{2007, ymd{2007, time.February, 17}, ymd{2007, time.February, 18}},
		{2030, ymd{2030, time.February, 2}, ymd{2030, time.February, 3}},
	}
	for _, tt := range tests {
		got := solar(t, 1, 1, tt.year, false)
		if got != tt.vn {
			t.Errorf("Tết %d = %s, want Vietnamese %s (Chinese is %s)", tt.year, got, tt.vn, tt.chinese)
		}
		if d, m, y, leap := FromSolar(tt.chinese.y, tt.chinese.m, tt.chinese.d); d == 1 && m == 1 && y == tt.year && !leap {
			t.Errorf("FromSolar(%s) = Tết, but that is the Chinese new year", tt.chinese)
		}
	}
}

func TestFromSolarKnownDates(t *testing.T) {
	tests := []struct {
		in               ymd
		day, month, year int
		leap             bool
	}{
		{ymd{2024, time.February, 8}, 29, 12, 2023, false},  // first day of Tết 2024 off, "29 tháng Chạp Quý Mão"
		{ymd{2025, time.January, 25}, 26, 12, 2024, false},  // "26 tháng Chạp Giáp Thìn"
		{ymd{2026, time.February, 14}, 27, 12, 2025, false}, // "27 tháng Chạp Ất Tỵ"
		{ymd{2026, time.February, 22}, 6, 1, 2026, false},   // "mùng 6 tháng Giêng Bính Ngọ"
		{ymd{2023, time.March, 22}, 1, 2, 2023, true},       // leap month 2 of Quý Mão
		{ymd{2025, time.July, 25}, 1, 6, 2025, true},        // leap month 6 of Ất Tỵ
		{ymd{2020, time.May, 23}, 1, 4, 2020, true},         // leap month 4 of Canh Tý
	}
	for _, tt := range tests {
		d, m, y, leap := FromSolar(tt.in.y, tt.in.m, tt.in.d)
		if d != tt.day || m != tt.month || y != tt.year || leap != tt.leap {
			t.Errorf("FromSolar(%s) = %d/%d/%d leap=%v, want %d/%d/%d leap=%v", tt.in, d, m, y, leap, tt.day, tt.month, tt.year, tt.leap)
		}
	}
}

func TestLeapMonths(t *testing.T) {
	tests := []struct{ year, leap int }{
		{2017, 6}, {2019, 0}, {2020, 4}, {2023, 2}, {2024, 0}, {2025, 6}, {2026, 0}, {2028, 5}, {2033, 11},
	}
	for _, tt := range tests {
		if got := LeapMonth(tt.year); got != tt.leap {
			t.Errorf("LeapMonth(%d) = %d, want %d", tt.year, got, tt.leap)
			continue
		}
		if tt.leap == 0 {
			if _, _, _, err := ToSolar(1, 1, tt.year, true); !errors.Is(err, ErrInvalidDate) {
				t.Errorf("ToSolar(1, 1, %d, leap) error = %v, want ErrInvalidDate (no leap month)", tt.year, err)
			}
			continue
		}
		// The leap month follows the regular month of the same number.
		regular := solar(t, 1, tt.leap, tt.year, false)
		leap := solar(t, 1, tt.leap, tt.year, true)
		gap := time.Date(leap.y, leap.m, leap.d, 0, 0, 0, 0, time.UTC).Sub(time.Date(regular.y, regular.m, regular.d, 0, 0, 0, 0, time.UTC)).Hours() / 24
		if gap != 29 && gap != 30 {
			t.Errorf("%d: leap month %d starts %v days after the regular one, want 29 or 30", tt.year, tt.leap, gap)
		}
		other := tt.leap%12 + 1
		if _, _, _, err := ToSolar(1, other, tt.year, true); !errors.Is(err, ErrInvalidDate) {
			t.Errorf("ToSolar(1, %d, %d, leap) error = %v, want ErrInvalidDate (leap month is %d)", other, tt.year, err, tt.leap)
		}
	}
}

func TestToSolarRejectsDatesThatDoNotExist(t *testing.T) {
	tests := []struct{ d, m, y int }{
		{0, 1, 2025}, {31, 1, 2025}, {1, 0, 2025}, {1, 13, 2025},
		{30, 12, 2024}, // tháng Chạp Giáp Thìn has 29 days: 2025-01-28 is its last day
	}
	for _, tt := range tests {
		if _, _, _, err := ToSolar(tt.d, tt.m, tt.y, false); !errors.Is(err, ErrInvalidDate) {
			t.Errorf("ToSolar(%d, %d, %d) error = %v, want ErrInvalidDate", tt.d, tt.m, tt.y, err)
		}
	}
	// tháng Chạp Quý Mão has 30 days: 2024-02-09 is "30 Tết".
	if got := solar(t, 30, 12, 2023, false); got != (ymd{2024, time.February, 9}) {
		t.Errorf("30/12 lunar 2023 = %s, want 2024-02-09", got)
	}
}

// Every day from 1900 to 2100 converts to a lunar date and back, and
// consecutive days are consecutive lunar days: months of 29 or 30 days, 12 or
// 13 months a year, months in order with the leap month after its namesake.
func TestRoundTripEveryDay1900To2100(t *testing.T) {
	day := time.Date(1900, time.January, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(2101, time.January, 1, 0, 0, 0, 0, time.UTC)
	pd, pm, py, pleap := FromSolar(1899, time.December, 31)
	for ; day.Before(end); day = day.AddDate(0, 0, 1) {
		d, m, y, leap := FromSolar(day.Year(), day.Month(), day.Day())
		sy, sm, sd, err := ToSolar(d, m, y, leap)
		if err != nil || sy != day.Year() || sm != day.Month() || sd != day.Day() {
			t.Fatalf("%s -> %d/%d/%d leap=%v -> %04d-%02d-%02d, %v", day.Format(time.DateOnly), d, m, y, leap, sy, sm, sd, err)
		}
		switch {
		case d == pd+1 && m == pm && y == py && leap == pleap:
		case d == 1 && (pd == 29 || pd == 30):
			nextRegular := m == pm%12+1 && !leap && (y == py || (m == 1 && y == py+1))
			leapAfterRegular := m == pm && leap && !pleap && y == py
			if !nextRegular && !leapAfterRegular {
				t.Fatalf("%s: %d/%d/%d leap=%v does not follow %d/%d/%d leap=%v", day.Format(time.DateOnly), d, m, y, leap, pd, pm, py, pleap)
			}
		default:
			t.Fatalf("%s: %d/%d/%d leap=%v does not follow %d/%d/%d leap=%v", day.Format(time.DateOnly), d, m, y, leap, pd, pm, py, pleap)
		}
		pd, pm, py, pleap = d, m, y, leap
	}
}

func TestJulianDayMatchesTimePackage(t *testing.T) {
	// JD 2440588 is 1970-01-01.
	for _, day := range []time.Time{
		time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1582, time.October, 15, 0, 0, 0, 0, time.UTC),
		time.Date(1900, time.March, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2000, time.February, 29, 0, 0, 0, 0, time.UTC),
		time.Date(2199, time.December, 31, 0, 0, 0, 0, time.UTC),
	} {
		want := 2440588 + int(day.Unix()/86400)
		if got := julianDay(day.Year(), day.Month(), day.Day()); got != want {
			t.Errorf("julianDay(%s) = %d, want %d", day.Format(time.DateOnly), got, want)
		}
		if y, m, d := fromJulianDay(want); y != day.Year() || m != day.Month() || d != day.Day() {
			t.Errorf("fromJulianDay(%d) = %d-%d-%d, want %s", want, y, m, d, day.Format(time.DateOnly))
		}
	}
}
