package calendar

import (
	"encoding/json"
	"errors"
	"testing"
	"time"
)

func TestDateArithmeticMatchesTimePackage(t *testing.T) {
	day := time.Date(1899, time.December, 25, 0, 0, 0, 0, time.UTC)
	end := time.Date(2201, time.January, 10, 0, 0, 0, 0, time.UTC)
	for ; day.Before(end); day = day.AddDate(0, 0, 1) {
		d := DateOf(day)
		if got := dateOfDays(d.days()); got != d {
			t.Fatalf("dateOfDays(days(%s)) = %s", d, got)
		}
		if got, want := d.days(), int(day.Unix()/86400); got != want {
			t.Fatalf("%s.days() = %d, want %d", d, got, want)
		}
		if d.Weekday() != day.Weekday() {
			t.Fatalf("%s.Weekday() = %s, want %s", d, d.Weekday(), day.Weekday())
		}
		if got, want := d.AddDays(40), DateOf(day.AddDate(0, 0, 40)); got != want {
			t.Fatalf("%s.AddDays(40) = %s, want %s", d, got, want)
		}
		if got, want := d.AddDays(-3), DateOf(day.AddDate(0, 0, -3)); got != want {
			t.Fatalf("%s.AddDays(-3) = %s, want %s", d, got, want)
		}
	}
}

func TestParseDate(t *testing.T) {
	d, err := ParseDate("2026-02-17")
	if err != nil || d != (Date{2026, time.February, 17}) {
		t.Fatalf("ParseDate(2026-02-17) = %v, %v", d, err)
	}
	if d.String() != "2026-02-17" {
		t.Errorf("String() = %q", d.String())
	}
	for _, bad := range []string{"", "2025-02-29", "2026-2-17", "17/02/2026", "2026-13-01"} {
		if _, err := ParseDate(bad); !errors.Is(err, ErrInvalidDate) {
			t.Errorf("ParseDate(%q) error = %v, want ErrInvalidDate", bad, err)
		}
	}
}

func TestDateCompareAndValidity(t *testing.T) {
	a, b := Date{2025, time.December, 31}, Date{2026, time.January, 1}
	if !a.Before(b) || a.After(b) || !b.After(a) || a.Compare(a) != 0 || b.Compare(a) != 1 {
		t.Errorf("ordering of %s and %s is wrong", a, b)
	}
	valid := []Date{{2024, time.February, 29}, {2000, time.February, 29}, {2026, time.December, 31}}
	invalid := []Date{{}, {2025, time.February, 29}, {1900, time.February, 29}, {2026, time.April, 31}, {2026, 13, 1}, {2026, time.January, 0}}
	for _, d := range valid {
		if !d.IsValid() {
			t.Errorf("%v.IsValid() = false", d)
		}
	}
	for _, d := range invalid {
		if d.IsValid() {
			t.Errorf("%v.IsValid() = true", d)
		}
	}
	if !(Date{}).IsZero() || b.IsZero() {
		t.Error("IsZero is wrong")
	}
}

func TestDateTimeIsMidnightInLocation(t *testing.T) {
	got := Date{2026, time.February, 17}.Time(Zone)
	if want := time.Date(2026, time.February, 16, 17, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("Time(Zone) = %s, want %s", got, want)
	}
}

func TestDateJSONRoundTrip(t *testing.T) {
	in := Override{Date: Date{2026, time.January, 10}, Kind: OverrideWork, Name: "Làm bù"}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"date":"2026-01-10","kind":"work","name":"Làm bù"}`; string(b) != want {
		t.Errorf("json = %s, want %s", b, want)
	}
	var out Override
	if err := json.Unmarshal(b, &out); err != nil || out != in {
		t.Errorf("round trip = %+v, %v", out, err)
	}
	if err := json.Unmarshal([]byte(`{"date":"2026-02-30"}`), &out); !errors.Is(err, ErrInvalidDate) {
		t.Errorf("unmarshal of 2026-02-30: error = %v, want ErrInvalidDate", err)
	}
	if _, err := json.Marshal(Date{}); !errors.Is(err, ErrInvalidDate) {
		t.Errorf("marshal of the zero Date: error = %v, want ErrInvalidDate", err)
	}
}
