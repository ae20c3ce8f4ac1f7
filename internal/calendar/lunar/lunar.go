// Package lunar converts between the Gregorian calendar and the Vietnamese
// lunar calendar (âm lịch).
//
// The conversion follows Hồ Ngọc Đức's astronomical algorithm ("Âm lịch Việt
// Nam", 2004), itself built on Jean Meeus' "Astronomical Algorithms": a lunar
// month starts on the civil day that contains the new moon, month 11 is the
// month containing the December solstice, and in a year with 13 months the
// first month without a major solar term is the leap month. All of it is
// evaluated at UTC+7, Vietnam's time zone. That is what makes the Vietnamese
// calendar differ from the Chinese one (evaluated at UTC+8) in some years: a new
// moon shortly before midnight in Hanoi falls on the next day in Beijing, so the
// 1985 Tết fell on 21 January in Vietnam and on 20 February in China, and the
// 2007 Tết on 17 February in Vietnam and on 18 February in China.
//
// The algorithm is accurate for the years 1800–2199, well beyond what a
// working-day calendar needs. Gregorian dates are proleptic: the package never
// switches to the Julian calendar.
package lunar

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// timeZone is Vietnam's offset from UTC in hours. Vietnam has no daylight
// saving time, and the offset is what defines the Vietnamese calendar.
const timeZone = 7.0

const (
	// synodicMonth is the mean length of a lunation in days.
	synodicMonth = 29.530588853
	// epochNewMoon is the Julian day of the new moon that the lunation count
	// k = 0 refers to (1900-01-01, 13:52 UTC).
	epochNewMoon = 2415021.076998695
)

// ErrInvalidDate reports a lunar date that does not exist: a day or month out
// of range, a day 30 in a 29-day month, or a leap flag on a month that is not
// the leap month of that year.
var ErrInvalidDate = errors.New("lunar: no such lunar date")

// ToSolar converts the Vietnamese lunar date day d of month m (1–12) of lunar
// year y, in the leap (intercalary) month when leap is true, to the Gregorian
// date of the civil day it falls on in Vietnam (UTC+7).
//
// The lunar year y is numbered like the Gregorian year in which its first day
// falls: lunar 1/1 of year 2026 is 2026-02-17. It returns an error wrapping
// ErrInvalidDate when the lunar date does not exist.
func ToSolar(d, m, y int, leap bool) (year int, month time.Month, day int, err error) {
	if m < 1 || m > 12 || d < 1 || d > 30 {
		return 0, 0, 0, fmt.Errorf("%w: day %d of month %d", ErrInvalidDate, d, m)
	}
	var a11, b11 int
	if m < 11 {
		a11 = lunarMonth11(y - 1)
		b11 = lunarMonth11(y)
	} else {
		a11 = lunarMonth11(y)
		b11 = lunarMonth11(y + 1)
	}
	k := int(math.Floor(0.5 + (float64(a11)-epochNewMoon)/synodicMonth))
	off := m - 11
	if off < 0 {
		off += 12
	}
	if b11-a11 > 365 {
		leapOff := leapMonthOffset(a11)
		leapMonth := leapOff - 2
		if leapMonth < 0 {
			leapMonth += 12
		}
		if leap && m != leapMonth {
			return 0, 0, 0, fmt.Errorf("%w: month %d of year %d is not a leap month", ErrInvalidDate, m, y)
		}
		if leap || off >= leapOff {
			off++
		}
	} else if leap {
		return 0, 0, 0, fmt.Errorf("%w: lunar year %d has no leap month", ErrInvalidDate, y)
	}
	monthStart := newMoonDay(k + off)
	if next := newMoonDay(k + off + 1); d > next-monthStart {
		return 0, 0, 0, fmt.Errorf("%w: month %d of year %d has %d days, not %d", ErrInvalidDate, m, y, next-monthStart, d)
	}
	year, month, day = fromJulianDay(monthStart + d - 1)
	return year, month, day, nil
}

// FromSolar converts the Gregorian date year-month-day, taken as a civil day in
// Vietnam, to the Vietnamese lunar date: day d of month m of lunar year y, leap
// reporting whether m is the leap month of that year.
func FromSolar(year int, month time.Month, day int) (d, m, y int, leap bool) {
	dayNumber := julianDay(year, month, day)
	k := int(math.Floor((float64(dayNumber) - epochNewMoon) / synodicMonth))
	// k estimates the last new moon from the mean lunation; the true new moon
	// can be a day away from the mean one, so step back until it is not after
	// the day. (The reference code stops after one step back and answers
	// "day 0" for a few days such as 2054-05-07.)
	monthStart := newMoonDay(k + 1)
	for monthStart > dayNumber {
		k--
		monthStart = newMoonDay(k + 1)
	}
	a11 := lunarMonth11(year)
	b11 := a11
	if a11 >= monthStart {
		y = year
		a11 = lunarMonth11(year - 1)
	} else {
		y = year + 1
		b11 = lunarMonth11(year + 1)
	}
	d = dayNumber - monthStart + 1
	diff := (monthStart - a11) / 29
	m = diff + 11
	if b11-a11 > 365 {
		leapDiff := leapMonthOffset(a11)
		if diff >= leapDiff {
			m = diff + 10
			leap = diff == leapDiff
		}
	}
	if m > 12 {
		m -= 12
	}
	if m >= 11 && diff < 4 {
		y--
	}
	return d, m, y, leap
}

// NewYear returns the Gregorian date of Tết, the first day of the first month
// of lunar year y.
func NewYear(y int) (year int, month time.Month, day int) {
	// Day 1 of month 1 exists in every lunar year, so ToSolar cannot fail.
	year, month, day, _ = ToSolar(1, 1, y, false)
	return year, month, day
}

// LeapMonth returns the leap month of lunar year y, or 0 when the year has 12
// months. Month 11 and 12 of lunar year y belong to the span that starts in
// Gregorian year y, so a leap month 11 or 12 is reported for that year.
func LeapMonth(y int) int {
	a11 := lunarMonth11(y - 1)
	b11 := lunarMonth11(y)
	if b11-a11 > 365 {
		lm := leapMonthOffset(a11) - 2
		if lm <= 0 {
			lm += 12
		}
		if lm <= 10 {
			return lm
		}
	}
	// A leap 11 or 12 lies between month 11 of year y and month 1 of y+1.
	a11, b11 = b11, lunarMonth11(y+1)
	if b11-a11 > 365 {
		if lm := leapMonthOffset(a11) - 2 + 12; lm >= 11 && lm <= 12 {
			return lm
		}
	}
	return 0
}

// julianDay returns the Julian day number of a proleptic Gregorian date.
func julianDay(year int, month time.Month, day int) int {
	a := (14 - int(month)) / 12
	y := year + 4800 - a
	m := int(month) + 12*a - 3
	return day + (153*m+2)/5 + 365*y + floorDiv(y, 4) - floorDiv(y, 100) + floorDiv(y, 400) - 32045
}

// fromJulianDay is the inverse of julianDay.
func fromJulianDay(jd int) (year int, month time.Month, day int) {
	a := jd + 32044
	b := floorDiv(4*a+3, 146097)
	c := a - floorDiv(146097*b, 4)
	d := floorDiv(4*c+3, 1461)
	e := c - floorDiv(1461*d, 4)
	m := (5*e + 2) / 153
	day = e - (153*m+2)/5 + 1
	month = time.Month(m + 3 - 12*(m/10))
	year = 100*b + d - 4800 + m/10
	return year, month, day
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// newMoon returns the Julian date (UT) of the k-th new moon after the one of
// 1900-01-01 (Meeus, ch. 49, with the coefficients used by Hồ Ngọc Đức).
func newMoon(k int) float64 {
	const dr = math.Pi / 180
	kf := float64(k)
	t := kf / 1236.85
	t2 := t * t
	t3 := t2 * t
	jd1 := 2415020.75933 + 29.53058868*kf + 0.0001178*t2 - 0.000000155*t3
	jd1 += 0.00033 * math.Sin((166.56+132.87*t-0.009173*t2)*dr)
	mSun := 359.2242 + 29.10535608*kf - 0.0000333*t2 - 0.00000347*t3
	mMoon := 306.0253 + 385.81691806*kf + 0.0107306*t2 + 0.00001236*t3
	f := 21.2964 + 390.67050646*kf - 0.0016528*t2 - 0.00000239*t3
	c1 := (0.1734-0.000393*t)*math.Sin(mSun*dr) + 0.0021*math.Sin(2*dr*mSun)
	c1 = c1 - 0.4068*math.Sin(mMoon*dr) + 0.0161*math.Sin(dr*2*mMoon)
	c1 -= 0.0004 * math.Sin(dr*3*mMoon)
	c1 = c1 + 0.0104*math.Sin(dr*2*f) - 0.0051*math.Sin(dr*(mSun+mMoon))
	c1 = c1 - 0.0074*math.Sin(dr*(mSun-mMoon)) + 0.0004*math.Sin(dr*(2*f+mSun))
	c1 = c1 - 0.0004*math.Sin(dr*(2*f-mSun)) - 0.0006*math.Sin(dr*(2*f+mMoon))
	c1 = c1 + 0.0010*math.Sin(dr*(2*f-mMoon)) + 0.0005*math.Sin(dr*(2*mMoon+mSun))
	var deltaT float64
	if t < -11 {
		deltaT = 0.001 + 0.000839*t + 0.0002261*t2 - 0.00000845*t3 - 0.000000081*t*t3
	} else {
		deltaT = -0.000278 + 0.000265*t + 0.000262*t2
	}
	return jd1 + c1 - deltaT
}

// newMoonDay returns the Julian day number of the civil day in Vietnam that
// contains the k-th new moon.
func newMoonDay(k int) int {
	return int(math.Floor(newMoon(k) + 0.5 + timeZone/24))
}

// sunLongitude returns the sun's apparent longitude in radians, in [0, 2π),
// at Julian date jdn (Meeus, ch. 25, low accuracy).
func sunLongitude(jdn float64) float64 {
	const dr = math.Pi / 180
	t := (jdn - 2451545.0) / 36525
	t2 := t * t
	m := 357.52910 + 35999.05030*t - 0.0001559*t2 - 0.00000048*t*t2
	l0 := 280.46645 + 36000.76983*t + 0.0003032*t2
	dl := (1.914600 - 0.004817*t - 0.000014*t2) * math.Sin(dr*m)
	dl += (0.019993-0.000101*t)*math.Sin(dr*2*m) + 0.000290*math.Sin(dr*3*m)
	l := (l0 + dl) * dr
	return l - 2*math.Pi*math.Floor(l/(2*math.Pi))
}

// sunSector returns which of the 12 major solar terms' 30° sectors (0–11) the
// sun is in at the start of the civil day dayNumber in Vietnam.
func sunSector(dayNumber int) int {
	return int(math.Floor(sunLongitude(float64(dayNumber)-0.5-timeZone/24) / math.Pi * 6))
}

// lunarMonth11 returns the Julian day number of the first day of lunar month
// 11, the month containing the December solstice, of Gregorian year y.
func lunarMonth11(y int) int {
	off := julianDay(y, time.December, 31) - 2415021
	k := int(math.Floor(float64(off) / synodicMonth))
	nm := newMoonDay(k)
	if sunSector(nm) >= 9 {
		nm = newMoonDay(k - 1)
	}
	return nm
}

// leapMonthOffset returns the position, counted in months after the month 11
// starting on day a11, of the leap month of a 13-month lunar year: the first
// month during which the sun does not enter a new sector.
func leapMonthOffset(a11 int) int {
	k := int(math.Floor((float64(a11)-epochNewMoon)/synodicMonth + 0.5))
	i := 1
	arc := sunSector(newMoonDay(k + i))
	for {
		last := arc
		i++
		arc = sunSector(newMoonDay(k + i))
		if arc == last || i >= 14 {
			break
		}
	}
	return i - 1
}
