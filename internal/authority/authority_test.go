package authority

import (
	"strings"
	"testing"
)

// reformTree is Lạng Sơn's shape before and after the 2025 reform: district LS-09
// and commune LS-09-003 end on 2025-07-01; the merged commune LS-X01 starts then,
// directly under the province.
var reformTree = MapTree{
	"TW":        {ID: "TW", Name: "Chính phủ", Level: "central", Kind: "government"},
	"LS":        {ID: "LS", ParentID: "TW", Name: "UBND tỉnh Lạng Sơn", Level: "province", Kind: "people_committee"},
	"LS-SNV":    {ID: "LS-SNV", ParentID: "LS", Name: "Sở Nội vụ", Level: "province", Kind: "department"},
	"LS-09":     {ID: "LS-09", ParentID: "LS", Name: "UBND huyện Cao Lộc", Level: "district", Kind: "people_committee", ValidTo: "2025-07-01"},
	"LS-09-003": {ID: "LS-09-003", ParentID: "LS-09", Name: "UBND xã Bảo Lâm", Level: "commune", Kind: "people_committee", ValidTo: "2025-07-01"},
	"LS-X01":    {ID: "LS-X01", ParentID: "LS", Name: "UBND xã Cao Lộc", Level: "commune", Kind: "people_committee", ValidFrom: "2025-07-01"},
}

var rules = []Rule{
	{ID: 1, AwardCode: "BK_TTG", SubmitterLevel: "commune", DecisionLevel: "central", Procedure: "standard", ValidFrom: "2000-01-01",
		Stages: []Stage{{Level: "province", Council: true}, {Level: "central", Council: true, Concurrence: true}}},
	{ID: 2, AwardCode: "GK", SubmitterLevel: "commune", DecisionLevel: "district", Procedure: "standard", ValidFrom: "2000-01-01", ValidTo: "2025-07-01"},
	{ID: 3, AwardCode: "GK", SubmitterLevel: "commune", DecisionLevel: "commune", Procedure: "standard", ValidFrom: "2025-07-01"},
	{ID: 4, AwardCode: "BK_TINH", SubmitterLevel: "province", DecisionLevel: "province", Procedure: "standard", ValidFrom: "2000-01-01",
		Stages: []Stage{{Level: "province", Council: true}}},
	{ID: 5, AwardCode: "BK_TINH", SubmitterLevel: "province", SubmitterKind: "department", NomineeKind: "individual",
		DecisionLevel: "province", Procedure: "simplified", ValidFrom: "2000-01-01"},
}

func routeString(t *testing.T, unit, award, kind, day string) string {
	t.Helper()
	u := reformTree[unit]
	r, err := SelectRule(rules, award, u.Level, u.Kind, kind, day)
	if err != nil {
		return "error: " + err.Error()
	}
	route, err := DeriveRoute(reformTree, r, unit, day)
	if err != nil {
		return "error: " + err.Error()
	}
	var parts []string
	for _, s := range route {
		p := s.UnitID
		if s.Council {
			p += "+council"
		}
		if s.Concurrence {
			p += "+hiepy"
		}
		if s.Decides {
			p += "*"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, ">")
}

func TestRoutesBeforeAndAfterTheDistrictReform(t *testing.T) {
	for _, tc := range []struct{ name, unit, award, kind, day, want string }{
		{"PM's Bằng khen from a commune before the reform", "LS-09-003", "BK_TTG", "individual", "2025-06-30", "LS-09>LS+council>TW+council+hiepy*"},
		{"PM's Bằng khen from a commune after the reform", "LS-X01", "BK_TTG", "individual", "2025-07-01", "LS+council>TW+council+hiepy*"},
		{"Giấy khen from a commune before: the district decides", "LS-09-003", "GK", "", "2025-06-01", "LS-09*"},
		{"Giấy khen from a commune after: the commune decides", "LS-X01", "GK", "", "2025-08-01", "LS-X01*"},
		{"an abolished commune cannot propose after the reform", "LS-09-003", "GK", "", "2025-08-01", "error: unit LS-09-003 is not in force on 2025-08-01"},
		{"a merged commune did not exist before", "LS-X01", "GK", "", "2025-01-01", "error: unit LS-X01 is not in force on 2025-01-01"},
		{"no rule for a commune proposing a provincial-level-only award", "LS-X01", "BK_TINH", "", "2026-01-01", "error: no authority rule lets this unit propose this award"},
		{"a department's Bằng khen tỉnh stops at the province", "LS-SNV", "BK_TINH", "collective", "2026-01-01", "LS+council*"},
		{"the more specific rule wins: department, individual → simplified", "LS-SNV", "BK_TINH", "individual", "2026-01-01", "LS*"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := routeString(t, tc.unit, tc.award, tc.kind, tc.day); got != tc.want {
				t.Fatalf("route %s, want %s", got, tc.want)
			}
		})
	}
}

func TestRouteKeepsTheAbolitionDateOfItsStops(t *testing.T) {
	r, _ := SelectRule(rules, "BK_TTG", "commune", "people_committee", "", "2025-06-01")
	route, err := DeriveRoute(reformTree, r, "LS-09-003", "2025-06-01")
	if err != nil {
		t.Fatal(err)
	}
	if route[0].UnitID != "LS-09" || route[0].ValidTo != "2025-07-01" {
		t.Fatalf("the district stop should carry its end date: %+v", route[0])
	}
}

func BenchmarkDeriveRoute(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		r, err := SelectRule(rules, "BK_TTG", "commune", "people_committee", "individual", "2025-06-01")
		if err != nil {
			b.Fatal(err)
		}
		route, err := DeriveRoute(reformTree, r, "LS-09-003", "2025-06-01")
		if err != nil || len(route) != 3 {
			b.Fatal(err)
		}
	}
}
