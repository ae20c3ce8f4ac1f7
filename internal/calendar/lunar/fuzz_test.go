package lunar

import (
	"errors"
	"testing"
)

// FuzzToSolar feeds arbitrary lunar dates to ToSolar: each is either refused with
// ErrInvalidDate or converted to a Gregorian day that FromSolar converts back to
// the same lunar date (day, month, year and leap flag). Years are kept within the
// algorithm's range, 1800–2199. The seed corpus is in testdata/fuzz/FuzzToSolar;
// a bounded run:
//
//	go test ./internal/calendar/lunar -run='^$' -fuzz=FuzzToSolar -fuzztime=20s
func FuzzToSolar(f *testing.F) {
	f.Add(1, 1, 2026, false)
	f.Add(30, 12, 2025, false)
	f.Add(1, 6, 2025, true)
	f.Fuzz(func(t *testing.T, d, m, y int, leap bool) {
		y = 1800 + ((y%400)+400)%400
		sy, sm, sd, err := ToSolar(d, m, y, leap)
		if err != nil {
			if !errors.Is(err, ErrInvalidDate) {
				t.Fatalf("ToSolar(%d, %d, %d, %v): unexpected error %v", d, m, y, leap, err)
			}
			return
		}
		gd, gm, gy, gleap := FromSolar(sy, sm, sd)
		if gd != d || gm != m || gy != y || gleap != leap {
			t.Fatalf("ToSolar(%d, %d, %d, %v) = %d-%02d-%02d, which is lunar %d/%d/%d leap=%v",
				d, m, y, leap, sy, sm, sd, gd, gm, gy, gleap)
		}
	})
}
