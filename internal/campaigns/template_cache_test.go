package campaigns

import (
	"fmt"
	"testing"
)

// The cache answers what parsing the stored bytes answers: the same template for the
// same bytes, the new one when a campaign's bytes differ (a test database reusing a
// campaign id), an error for bytes that do not parse, which it does not keep.
func TestTemplateCacheAnswersWhatParsingAnswers(t *testing.T) {
	c := templateCache{m: map[string]cachedTemplate{}}
	a := []byte(`{"code":"A","name":"Mẫu A","indicators":[{"code":"so_ho","name":"Số hộ","kind":"count"}]}`)
	b := []byte(`{"code":"B","name":"Mẫu B","indicators":[]}`)
	for i, step := range []struct {
		id      string
		raw     []byte
		want    string // the template's code, or "error"
		entries int
	}{
		{"c1", a, "A", 1},
		{"c1", a, "A", 1},
		{"c1", b, "B", 1},
		{"c2", []byte(`{"code":`), "error", 1},
		{"c2", a, "A", 2},
		{"c1", b, "B", 2},
	} {
		tpl, err := c.parse(step.id, step.raw)
		got := tpl.Code
		if err != nil {
			got = "error"
		}
		if got != step.want || len(c.m) != step.entries {
			t.Fatalf("step %d: %s with %d entries, want %s with %d", i, got, len(c.m), step.want, step.entries)
		}
	}
	if tpl, _ := c.parse("c2", a); len(tpl.Indicators) != 1 || tpl.Indicators[0].Code != "so_ho" {
		t.Fatalf("indicators %+v", tpl.Indicators)
	}
	// Full, it starts again empty: it never holds more than its bound.
	for i := range 2 * maxCachedTemplates {
		if _, err := c.parse(fmt.Sprint("x", i), b); err != nil {
			t.Fatal(err)
		}
		if len(c.m) > maxCachedTemplates {
			t.Fatalf("%d entries, more than %d", len(c.m), maxCachedTemplates)
		}
	}
	if len(c.m) == maxCachedTemplates {
		t.Fatal("the cache never started again")
	}
}
