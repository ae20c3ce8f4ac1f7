package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tdkt/tdkt/internal/history"

	"github.com/tdkt/tdkt/internal/seed"
	"github.com/tdkt/tdkt/internal/store"
)

// TestSubjectSearchIgnoresDiacriticsAndCase: the subject list finds "Hoàng Thị
// Lan" and "Hội Nông dân xã Bảo Lâm" typed with or without diacritics, in any
// case, and still by exact code; a word that is in neither name finds nothing.
func TestSubjectSearchIgnoresDiacriticsAndCase(t *testing.T) {
	f := newHistoryFixture(t)
	if _, err := f.apply(lanBatch()); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]string{
		"hoang thi":       "Hoàng Thị Lan",
		"HOÀNG THỊ":       "Hoàng Thị Lan",
		"hoàng thị lan":   "Hoàng Thị Lan",
		"hoi nong dan":    "Hội Nông dân xã Bảo Lâm",
		"BAO LAM":         "Hội Nông dân xã Bảo Lâm",
		"012345678901":    "Hoàng Thị Lan",
		"Hoa\u0300ng Thi": "Hoàng Thị Lan", // typed with combining marks
	} {
		subs, err := f.st.Subjects(context.Background(), store.SubjectFilter{Units: []string{seed.DemoCommune}, Query: q})
		if err != nil {
			t.Fatal(err)
		}
		if len(subs) != 1 || subs[0].Name != want {
			t.Errorf("search %q found %v, want only %s", q, subs, want)
		}
	}
	subs, err := f.st.Subjects(context.Background(), store.SubjectFilter{Units: []string{seed.DemoCommune}, Query: "nguyen"})
	if err != nil || len(subs) != 0 {
		t.Fatalf("search nguyen: %v, %v; want nothing", subs, err)
	}
}

// TestFoldedNameColumnUsesHistoryFold: the generated column the search reads is
// written with exactly history.Fold's map, so that the query and the names are
// folded alike.
func TestFoldedNameColumnUsesHistoryFold(t *testing.T) {
	ms, err := store.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	want := "lower(translate(name, '" + history.FoldFrom + "', '" + history.FoldTo + "'))"
	for _, m := range ms {
		if strings.Contains(m.Up, "name_folded") {
			if !strings.Contains(m.Up, want) {
				t.Fatalf("migration %s does not fold with history.FoldFrom/FoldTo", m.Name)
			}
			return
		}
	}
	t.Fatal("no migration adds subjects.name_folded")
}
