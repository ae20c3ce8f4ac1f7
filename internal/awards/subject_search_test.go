package awards_test

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/tdkt/tdkt/internal/awards"
	"github.com/tdkt/tdkt/internal/history"
	"github.com/tdkt/tdkt/internal/postgres"

	"github.com/tdkt/tdkt/internal/seed"
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
		subs, err := f.st.Subjects(context.Background(), awards.SubjectFilter{Units: []string{seed.DemoCommune}, Query: q})
		if err != nil {
			t.Fatal(err)
		}
		if len(subs) != 1 || subs[0].Name != want {
			t.Errorf("search %q found %v, want only %s", q, subs, want)
		}
	}
	subs, err := f.st.Subjects(context.Background(), awards.SubjectFilter{Units: []string{seed.DemoCommune}, Query: "nguyen"})
	if err != nil || len(subs) != 0 {
		t.Fatalf("search nguyen: %v, %v; want nothing", subs, err)
	}
}

// TestFoldedNameColumnsUseHistoryFold: the generated columns the searches read
// (subjects.name_folded, users.name_folded) are written with exactly
// history.Fold's map, so that the query and the names are folded alike.
func TestFoldedNameColumnsUseHistoryFold(t *testing.T) {
	ms, err := postgres.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	folded := regexp.MustCompile(`ADD COLUMN name_folded text\s+GENERATED ALWAYS AS \(lower\(translate\((\w+), '([^']*)', '([^']*)'\)\)\) STORED`)
	var columns []string
	for _, m := range ms {
		for _, g := range folded.FindAllStringSubmatch(m.Up, -1) {
			if g[2] != history.FoldFrom || g[3] != history.FoldTo {
				t.Errorf("migration %s folds %s with another map than history.FoldFrom/FoldTo", m.Name, g[1])
			}
			columns = append(columns, g[1])
		}
		if n := strings.Count(m.Up, "name_folded text"); n != len(folded.FindAllString(m.Up, -1)) {
			t.Errorf("migration %s adds a name_folded column this test cannot read", m.Name)
		}
	}
	if !slices.Equal(columns, []string{"name", "full_name", "name"}) {
		t.Fatalf("folded columns %v, want subjects' name, users' full_name and nominees' name (0017)", columns)
	}
}
