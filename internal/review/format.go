package review

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tdkt/tdkt/internal/calendar"
)

// FormatInt writes n in Vietnamese notation, with a dot between thousands: 36.544,
// 3.468.179.900.
func FormatInt(n int64) string {
	neg := n < 0
	u := uint64(n)
	if neg {
		u = uint64(-(n + 1)) + 1 // also right for math.MinInt64
	}
	s := strconv.FormatUint(u, 10)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	lead := len(s) % 3
	if lead == 0 {
		lead = 3
	}
	b.WriteString(s[:lead])
	for i := lead; i < len(s); i += 3 {
		b.WriteByte('.')
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

// FormatFixed writes q / 10^d in Vietnamese notation, with a comma before the decimals
// and dots between thousands: FormatFixed(1907, 2) is "19,07".
func FormatFixed(q int64, d int) string {
	neg := q < 0
	if neg {
		q = -q
	}
	scale := int64(1)
	for i := 0; i < d; i++ {
		scale *= 10
	}
	s := FormatInt(q / scale)
	if d > 0 {
		s += "," + fmt.Sprintf("%0*d", d, q%scale)
	}
	if neg {
		s = "-" + s
	}
	return s
}

// FormatDate writes the date of t in Vietnam as official documents do: "ngày 18
// tháng 6 năm 2018".
func FormatDate(t time.Time) string {
	t = t.In(calendar.Zone)
	return fmt.Sprintf("ngày %d tháng %d năm %d", t.Day(), int(t.Month()), t.Year())
}

// FormatShortDate writes the date of t in Vietnam as 18/6/2018.
func FormatShortDate(t time.Time) string {
	t = t.In(calendar.Zone)
	return fmt.Sprintf("%d/%d/%d", t.Day(), int(t.Month()), t.Year())
}
