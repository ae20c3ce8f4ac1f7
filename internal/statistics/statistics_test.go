package statistics

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"
)

// The levels' ranks of the seed (central, province, district, commune) and the
// lowest deciding rank of a few awards as the authority matrix gives them.
var (
	ranks  = []int{4, 3, 2, 1}
	awards = []AwardLowestLevel{
		{AwardCode: "BK_TTG", AwardName: "Bằng khen của Thủ tướng Chính phủ", Rank: 4},
		{AwardCode: "HCLD_3", AwardName: "Huân chương Lao động hạng Ba", Rank: 4},
		{AwardCode: "BK_TINH", AwardName: "Bằng khen của Chủ tịch UBND tỉnh", Rank: 3},
		{AwardCode: "CO_TINH", AwardName: "Cờ thi đua của UBND tỉnh", Rank: 3},
		{AwardCode: "GK", AwardName: "Giấy khen", Rank: 1}, // decided at the province too, but also below
	}
)

func tally(unit, nomineeKind, kind, award string, n int) AwardTally {
	return AwardTally{SubmitterID: unit, SubmitterName: "UBND " + unit, NomineeKind: nomineeKind, Kind: kind, AwardCode: award, Count: n}
}

func TestFormAwardsComeFromTheLowestDecidingLevel(t *testing.T) {
	for _, tc := range []struct {
		form string
		want []string
	}{
		{FormState, []string{"BK_TTG", "HCLD_3"}},
		{FormProvince, []string{"BK_TINH", "CO_TINH"}},
		{FormMovements, nil},
	} {
		var got []string
		for _, a := range FormAwards(tc.form, awards, ranks) {
			got = append(got, a.AwardCode)
		}
		if len(got) != len(tc.want) {
			t.Fatalf("%s: awards %v, want %v", tc.form, got, tc.want)
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Fatalf("%s: awards %v, want %v", tc.form, got, tc.want)
			}
		}
	}
}

func TestBuildAwardForm(t *testing.T) {
	tallies := []AwardTally{
		tally("A", "individual", "merit", "BK_TINH", 3),
		tally("A", "collective", "movement", "BK_TINH", 2),
		tally("B", "household", "extraordinary", "BK_TINH", 1),
		tally("B", "collective", "merit", "CO_TINH", 1),
		tally("B", "individual", "long_service", "BK_TTG", 4), // state level: not in 0603
		tally("A", "individual", "merit", "GK", 9),            // below the province: in no form
	}
	for _, tc := range []struct {
		form                              string
		total, coll, hh, ind              int
		regular, thematic, extra, contrib int
		submitters                        int
		firstAward                        string
		firstAwardTotal                   int
	}{
		{FormProvince, 7, 3, 1, 3, 4, 2, 1, 0, 2, "BK_TINH", 6},
		{FormState, 4, 0, 0, 4, 0, 0, 0, 4, 1, "BK_TTG", 4},
	} {
		f, err := BuildAwardForm(tc.form, 2025, awards, ranks, tallies)
		if err != nil {
			t.Fatal(err)
		}
		c := f.Total
		if c.Total != tc.total || c.Collectives != tc.coll || c.Households != tc.hh || c.Individuals != tc.ind {
			t.Errorf("%s: total %+v", tc.form, c)
		}
		if c.ByKind[KindRegular] != tc.regular || c.ByKind[KindThematic] != tc.thematic ||
			c.ByKind[KindExtraordinary] != tc.extra || c.ByKind[KindContribution] != tc.contrib {
			t.Errorf("%s: by kind %v", tc.form, c.ByKind)
		}
		if len(f.BySubmitter) != tc.submitters {
			t.Errorf("%s: %d submitters, want %d", tc.form, len(f.BySubmitter), tc.submitters)
		}
		if f.ByAward[0].Code != tc.firstAward || f.ByAward[0].Total != tc.firstAwardTotal {
			t.Errorf("%s: first award line %+v", tc.form, f.ByAward[0])
		}
		sum := 0
		for _, l := range f.BySubmitter {
			sum += l.Total
		}
		if sum != c.Total {
			t.Errorf("%s: submitter lines sum to %d, total %d", tc.form, sum, c.Total)
		}
	}
}

func TestBuildAwardFormRefusesAnUnknownKind(t *testing.T) {
	if _, err := BuildAwardForm(FormProvince, 2025, awards, ranks, []AwardTally{tally("A", "individual", "bribe", "BK_TINH", 1)}); err == nil {
		t.Fatal("an unknown kind was counted")
	}
	if _, err := BuildAwardForm(FormProvince, 2025, awards, ranks, []AwardTally{tally("A", "village", "merit", "BK_TINH", 1)}); err == nil {
		t.Fatal("an unknown nominee kind was counted")
	}
}

// TestBuildAwardFormBreaksDownSubjects checks the subject columns of 0602.N:
// enterprises among collectives, individuals by category, and the seniority kind.
func TestBuildAwardFormBreaksDownSubjects(t *testing.T) {
	cat := func(t AwardTally, enterprise bool, level string) AwardTally {
		t.Enterprise, t.LeadershipLevel = enterprise, level
		return t
	}
	for _, tc := range []struct {
		name               string
		tallies            []AwardTally
		coll, ent, hh, ind int
		levels             map[string]int
		seniority, regular int
	}{
		{"enterprises among collectives", []AwardTally{
			cat(tally("A", "collective", "merit", "BK_TTG", 2), true, ""),
			cat(tally("A", "collective", "merit", "BK_TTG", 3), false, ""),
		}, 5, 2, 0, 0, map[string]int{}, 0, 5},
		{"individuals by category", []AwardTally{
			cat(tally("A", "individual", "merit", "HCLD_3", 1), false, "leader_central"),
			cat(tally("A", "individual", "merit", "HCLD_3", 2), false, "leader_department"),
			cat(tally("B", "individual", "merit", "BK_TTG", 4), false, "worker"),
			cat(tally("B", "individual", "merit", "BK_TTG", 5), false, ""),
			cat(tally("B", "individual", "movement", "BK_TTG", 1), false, "businessperson"),
		}, 0, 0, 0, 13, map[string]int{"leader_central": 1, "leader_department": 2, "worker": 4, "not_stated": 5, "businessperson": 1}, 0, 12},
		{"seniority", []AwardTally{
			cat(tally("A", "individual", "seniority", "HCLD_3", 3), false, "other"),
			tally("A", "household", "seniority", "BK_TTG", 1),
		}, 0, 0, 1, 3, map[string]int{"other": 3}, 4, 0},
	} {
		f, err := BuildAwardForm(FormState, 2025, awards, ranks, tc.tallies)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		c := f.Total
		if c.Collectives != tc.coll || c.Enterprises != tc.ent || c.Households != tc.hh || c.Individuals != tc.ind {
			t.Errorf("%s: subjects %+v", tc.name, c)
		}
		for i, name := range f.Levels {
			if c.ByLevel[i] != tc.levels[name] {
				t.Errorf("%s: %s = %d, want %d", tc.name, name, c.ByLevel[i], tc.levels[name])
			}
		}
		if c.ByKind[KindSeniority] != tc.seniority || c.ByKind[KindRegular] != tc.regular {
			t.Errorf("%s: by kind %v", tc.name, c.ByKind)
		}
		levels, kinds := 0, 0
		for _, v := range c.ByLevel {
			levels += v
		}
		for _, v := range c.ByKind {
			kinds += v
		}
		if levels != c.Individuals || kinds != c.Total || c.Collectives+c.Households+c.Individuals != c.Total {
			t.Errorf("%s: columns do not add up: %+v", tc.name, c)
		}
	}
	if _, err := BuildAwardForm(FormState, 2025, awards, ranks, []AwardTally{cat(tally("A", "individual", "merit", "BK_TTG", 1), false, "minister")}); err == nil {
		t.Fatal("an unknown leadership level was counted")
	}
}

func TestBuildMovementForm(t *testing.T) {
	f := BuildMovementForm(2025, []MovementTally{
		{LevelCode: "province", LevelName: "tỉnh", Registrations: 5},
		{LevelCode: "district", LevelName: "huyện", Implements: true, Registrations: 2},
		{LevelCode: "district", LevelName: "huyện", Registrations: 0},
	})
	if f.Total.Launched != 3 || f.Total.Implementing != 1 || f.Total.Registrations != 7 {
		t.Fatalf("total %+v", f.Total)
	}
	if len(f.ByLevel) != 2 || f.ByLevel[0].LevelCode != "province" || f.ByLevel[1].Launched != 2 || f.ByLevel[1].Registrations != 2 {
		t.Fatalf("by level %+v", f.ByLevel)
	}
}

// TestXLSXHasTheTotalsAndNoFormulas writes a form with a submitting body named like
// a formula and reads the workbook back.
func TestXLSXHasTheTotalsAndNoFormulas(t *testing.T) {
	ts := []AwardTally{tally("A", "individual", "merit", "BK_TINH", 3)}
	ts[0].SubmitterName = "=HYPERLINK(\"http://x\")"
	f, err := BuildAwardForm(FormProvince, 2025, awards, ranks, ts)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, Result{Awards: &f}, "UBND tỉnh"); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	sheet := x.GetSheetName(0)
	if v, _ := x.GetCellValue(sheet, "A1"); v != "Biểu số 0603.N/BNV-TĐKT" {
		t.Errorf("A1 = %q", v)
	}
	for cell, want := range map[string]string{
		"C10": "3", // total
		"G10": "3", // individuals
		"N10": "3", // of which not stated
		"O10": "3", // regular
		"E8":  "Trong đó: Doanh nghiệp",
		"H8":  "Lãnh đạo cấp bộ, tỉnh trở lên",
		"T7":  "Niên hạn",
		"C9":  "1", "T9": "18", // the columns' numbers
	} {
		if v, _ := x.GetCellValue(sheet, cell); v != want {
			t.Errorf("%s = %q, want %q", cell, v, want)
		}
	}
	rows, _ := x.GetRows(sheet)
	found := false
	for i, r := range rows {
		for j, v := range r {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if fm, _ := x.GetCellFormula(sheet, cell); fm != "" {
				t.Errorf("%s holds a formula %q", cell, fm)
			}
			if v == ts[0].SubmitterName {
				found = true
			}
		}
	}
	if !found {
		t.Error("the submitting body's name is missing")
	}
}
