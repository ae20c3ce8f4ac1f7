package httpapi_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/tdkt/tdkt/internal/app"
	"github.com/tdkt/tdkt/internal/inbox"
	"github.com/tdkt/tdkt/internal/seed"
	"github.com/tdkt/tdkt/internal/usecase"
)

// decideBKTinh takes a commune's Bằng khen tỉnh dossier through the procedure
// before the reform (commune, district, province) and returns the dossier and the
// province's decision number and year (the year it is signed in, on the workflow's clock).
func (b *bundle) decideBKTinh(nominees []map[string]any) (id, code string, year int) {
	b.t.Helper()
	return b.decideBKTinhOfKind("", nominees)
}

// decideBKTinhOfKind is decideBKTinh for a dossier of a kind of commendation.
func (b *bundle) decideBKTinhOfKind(kind string, nominees []map[string]any) (id, code string, year int) {
	b.t.Helper()
	n := b.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations", map[string]any{
		"unit_id": seed.DemoCommune, "award_code": "BK_TINH", "kind": kind, "year": 2025, "nominees": nominees}).body
	id = n["id"].(string)
	b.must(http.StatusOK, "xa.clerk", "POST", "/api/v1/nominations/"+id+"/submit", nil)
	b.actOn(http.StatusOK, "huyen.appraiser", id, map[string]any{"action": "accept"})
	b.actOn(http.StatusOK, "huyen.appraiser", id, map[string]any{"action": "approve"})
	b.actOn(http.StatusOK, "huyen.decider", id, map[string]any{"action": "forward"})
	b.actOn(http.StatusOK, "tinh.appraiser", id, map[string]any{"action": "accept"})
	b.actOn(http.StatusOK, "tinh.appraiser", id, map[string]any{"action": "approve"})
	b.councilVotes(id, "tinh.council_chair", provincialCouncil[:6], "yes")
	n = b.actOn(http.StatusOK, "tinh.decider", id, map[string]any{"action": "decide"})
	if n["status"] != "decided" {
		b.t.Fatalf("BK_TINH: %v", n["status"])
	}
	d := n["decision"].(map[string]any)
	return id, d["code"].(string), int(d["year"].(float64))
}

// registerAwardees counts, from the decisions register as the user sees it, the
// awardees of the unrevoked decisions of the year whose award is in awards.
func (b *bundle) registerAwardees(user string, year int, awards map[string]bool) int {
	b.t.Helper()
	var uid int64
	if err := b.pool.QueryRow(context.Background(), `SELECT id FROM users WHERE username = $1`, user).Scan(&uid); err != nil {
		b.t.Fatal(err)
	}
	svc := app.New(b.pool, &usecase.Base{Authz: b.enf})
	total := 0
	for off := 0; ; off += 200 {
		es, err := svc.Decisions(context.Background(), uid, inbox.DecisionFilter{Year: year, Limit: 200, Offset: off})
		if err != nil {
			b.t.Fatal(err)
		}
		for _, e := range es {
			if e.RevokedAt == nil && awards[e.AwardCode] {
				total += e.AwardeeCount
			}
		}
		if len(es) < 200 {
			return total
		}
	}
}

func formTotal(r response) int {
	return int(r.body["total"].(map[string]any)["total"].(float64))
}

// TestStatisticsFormsMatchTheDecisionsRegister decides three Bằng khen tỉnh dossiers
// (individuals, a collective, a household), revokes one decision, and checks that
// form 0603.N counts exactly the unrevoked awardees of the register, over the
// province and over the district's subtree; the XLSX carries the same total, and
// a user outside the unit is refused.
func TestStatisticsFormsMatchTheDecisionsRegister(t *testing.T) {
	b := setup(t, withClock(beforeReform))
	_, _, year := b.decideBKTinh([]map[string]any{{"kind": "individual", "name": "Nguyễn Văn An"}, {"kind": "individual", "name": "Trần Thị Bình"}})
	path := func(form, unit string) string {
		return fmt.Sprintf("/api/v1/statistics/%s?year=%d&unit=%s", form, year, unit)
	}
	before := formTotal(b.must(http.StatusOK, "tinh.appraiser", "GET", path("0603", seed.Province), nil)) - 2
	beforeDistrict := formTotal(b.must(http.StatusOK, "huyen.appraiser", "GET", path("0603", seed.DemoDistrict), nil)) - 2

	b.decideBKTinh([]map[string]any{{"kind": "collective", "name": "Chi hội Phụ nữ thôn Nà Pàn"}})
	id, code, _ := b.decideBKTinh([]map[string]any{{"kind": "household", "name": "Hộ ông Hoàng Văn Cường"}, {"kind": "individual", "name": "Lý Thị Dung"}})
	b.must(http.StatusOK, "tinh.decider", "POST", "/api/v1/nominations/"+id+"/revocations",
		map[string]any{"decision_code": code, "ground": "false_declaration", "note": "Kê khai sai"})

	f := b.must(http.StatusOK, "tinh.appraiser", "GET", path("0603", seed.Province), nil)
	if got := formTotal(f); got != before+3 {
		t.Fatalf("0603.N total %d, want %d + 3 (the revoked decision's 2 awardees left out)", got, before)
	}
	provinceAwards := map[string]bool{}
	for _, a := range f.body["by_award"].([]any) {
		provinceAwards[a.(map[string]any)["code"].(string)] = true
	}
	if !provinceAwards["BK_TINH"] || provinceAwards["BK_TTG"] || provinceAwards["GK"] {
		t.Fatalf("0603.N awards: %v", provinceAwards)
	}
	if want := b.registerAwardees("tinh.appraiser", year, provinceAwards); formTotal(f) != want {
		t.Fatalf("0603.N total %d, the register counts %d unrevoked awardees", formTotal(f), want)
	}
	tot := f.body["total"].(map[string]any)
	if int(tot["collectives"].(float64)+tot["households"].(float64)+tot["individuals"].(float64)) != formTotal(f) {
		t.Fatalf("subject columns do not add up: %v", tot)
	}
	if d := formTotal(b.must(http.StatusOK, "huyen.appraiser", "GET", path("0603", seed.DemoDistrict), nil)); d != beforeDistrict+3 {
		t.Fatalf("the district's subtree: %d, want %d + 3", d, beforeDistrict)
	}
	state := b.must(http.StatusOK, "tinh.appraiser", "GET", path("0602", seed.Province), nil)
	stateAwards := map[string]bool{}
	for _, a := range state.body["by_award"].([]any) {
		stateAwards[a.(map[string]any)["code"].(string)] = true
	}
	if !stateAwards["BK_TTG"] || stateAwards["BK_TINH"] {
		t.Fatalf("0602.N awards: %v", stateAwards)
	}
	if want := b.registerAwardees("tinh.appraiser", year, stateAwards); formTotal(state) != want {
		t.Fatalf("0602.N total %d, the register counts %d", formTotal(state), want)
	}

	// The XLSX carries the form's total in its total line.
	x := b.download("tinh.appraiser", path("0603", seed.Province)+"&format=xlsx")
	wb, err := excelize.OpenReader(bytes.NewReader(x.raw))
	if err != nil {
		t.Fatalf("the XLSX does not open: %v", err)
	}
	sheet := wb.GetSheetName(0)
	if v, _ := wb.GetCellValue(sheet, "B10"); v != "Tổng số" {
		t.Fatalf("B10 = %q", v)
	}
	if v, _ := wb.GetCellValue(sheet, "C10"); v != fmt.Sprint(formTotal(f)) {
		t.Fatalf("XLSX total %q, want %d", v, formTotal(f))
	}

	// Another commune's clerk may not see the province's or the commune's forms; an
	// unknown unit, form or year is refused.
	b.must(http.StatusForbidden, "xa2.clerk", "GET", path("0603", seed.Province), nil)
	b.must(http.StatusForbidden, "xa2.clerk", "GET", path("0602", seed.DemoCommune), nil)
	b.must(http.StatusNotFound, "tinh.appraiser", "GET", path("0603", "NO-SUCH-UNIT"), nil)
	b.must(http.StatusBadRequest, "tinh.appraiser", "GET", path("0699", seed.Province), nil)
	b.must(http.StatusBadRequest, "tinh.appraiser", "GET", "/api/v1/statistics/0603?year=abc", nil)
	// Without a unit, the form covers what the user reads: the other commune's clerk sees none of these.
	if got := formTotal(b.must(http.StatusOK, "xa2.clerk", "GET", fmt.Sprintf("/api/v1/statistics/0603?year=%d", year), nil)); got >= formTotal(f) {
		t.Fatalf("the other commune's clerk counts %d of the province's %d", got, formTotal(f))
	}

	// 0601.N counts a movement the province launches in the year.
	m0 := b.must(http.StatusOK, "tinh.appraiser", "GET", path("0601", seed.Province), nil).body["total"].(map[string]any)["launched"].(float64)
	b.must(http.StatusCreated, "tinh.appraiser", "POST", "/api/v1/movements", map[string]any{"unit_id": seed.Province,
		"name": "Phong trào thống kê", "decision_date": fmt.Sprintf("%d-03-01", year), "period_start": "2025-03-01", "period_end": "2025-12-31"})
	m := b.must(http.StatusOK, "tinh.appraiser", "GET", path("0601", seed.Province), nil).body
	if m["total"].(map[string]any)["launched"].(float64) != m0+1 {
		t.Fatalf("0601.N after a launch: %v (before %v)", m["total"], m0)
	}
}

// counts reads the subject and kind columns of a form's total line.
type counts struct {
	total, collectives, enterprises, households, individuals int
	levels, kinds                                            map[string]int
}

func formCounts(t *testing.T, r response) counts {
	t.Helper()
	tot := r.body["total"].(map[string]any)
	c := counts{total: int(tot["total"].(float64)), collectives: int(tot["collectives"].(float64)),
		enterprises: int(tot["enterprises"].(float64)), households: int(tot["households"].(float64)),
		individuals: int(tot["individuals"].(float64)), levels: map[string]int{}, kinds: map[string]int{}}
	for i, name := range r.body["levels"].([]any) {
		c.levels[name.(string)] = int(tot["by_level"].([]any)[i].(float64))
	}
	for i, name := range r.body["kinds"].([]any) {
		c.kinds[name.(string)] = int(tot["by_kind"].([]any)[i].(float64))
	}
	return c
}

// TestStatisticsBreakDownSubjects decides a Bằng khen tỉnh dossier whose nominees
// carry the statistics categories (an enterprise, a collective that is not one,
// individuals at two leadership levels and one not stated) and a seniority
// (niên hạn) dossier, and checks form 0603.N's columns moved by exactly these
// awardees, that its total is the register's, and that the XLSX carries the new
// columns. Bad categories are field errors that leave no dossier behind.
func TestStatisticsBreakDownSubjects(t *testing.T) {
	b := setup(t, withClock(beforeReform))
	_, _, year := b.decideBKTinh([]map[string]any{{"kind": "individual", "name": "Nguyễn Văn Mốc"}})
	path := fmt.Sprintf("/api/v1/statistics/0603?year=%d&unit=%s", year, seed.Province)
	before := formCounts(t, b.must(http.StatusOK, "tinh.appraiser", "GET", path, nil))

	id, _, _ := b.decideBKTinh([]map[string]any{
		{"kind": "collective", "name": "Công ty TNHH Chè Bảo Lâm", "enterprise": true},
		{"kind": "collective", "name": "Chi hội Nông dân thôn Nà Pàn"},
		{"kind": "individual", "name": "Hoàng Văn Tùng", "leadership_level": "leader_department"},
		{"kind": "individual", "name": "Lý Thị Hoa", "leadership_level": "worker"},
		{"kind": "individual", "name": "Nông Văn Dũng"},
	})
	n := b.must(http.StatusOK, "tinh.appraiser", "GET", "/api/v1/nominations/"+id, nil).body
	nms := n["nominees"].([]any)
	if nms[0].(map[string]any)["enterprise"] != true || nms[2].(map[string]any)["leadership_level"] != "leader_department" ||
		nms[4].(map[string]any)["leadership_level"] != nil {
		t.Fatalf("nominees as read: %v", nms)
	}
	b.decideBKTinhOfKind("seniority", []map[string]any{
		{"kind": "individual", "name": "Đàm Văn Lực", "leadership_level": "other"},
		{"kind": "household", "name": "Hộ bà Triệu Thị Mai"},
	})

	f := b.must(http.StatusOK, "tinh.appraiser", "GET", path, nil)
	after := formCounts(t, f)
	for _, tc := range []struct {
		what        string
		got, before int
		delta       int
	}{
		{"total", after.total, before.total, 7},
		{"collectives", after.collectives, before.collectives, 2},
		{"enterprises", after.enterprises, before.enterprises, 1},
		{"households", after.households, before.households, 1},
		{"individuals", after.individuals, before.individuals, 4},
		{"leader_department", after.levels["leader_department"], before.levels["leader_department"], 1},
		{"worker", after.levels["worker"], before.levels["worker"], 1},
		{"other", after.levels["other"], before.levels["other"], 1},
		{"not_stated", after.levels["not_stated"], before.levels["not_stated"], 1},
		{"leader_central", after.levels["leader_central"], before.levels["leader_central"], 0},
		{"regular", after.kinds["regular"], before.kinds["regular"], 5},
		{"seniority", after.kinds["seniority"], before.kinds["seniority"], 2},
	} {
		if tc.got != tc.before+tc.delta {
			t.Errorf("%s: %d, want %d + %d", tc.what, tc.got, tc.before, tc.delta)
		}
	}
	sum := 0
	for _, v := range after.levels {
		sum += v
	}
	if sum != after.individuals || after.collectives+after.households+after.individuals != after.total {
		t.Errorf("columns do not add up: %+v", after)
	}
	awards := map[string]bool{}
	for _, a := range f.body["by_award"].([]any) {
		awards[a.(map[string]any)["code"].(string)] = true
	}
	if want := b.registerAwardees("tinh.appraiser", year, awards); after.total != want {
		t.Fatalf("0603.N total %d, the register counts %d", after.total, want)
	}
	x := b.download("tinh.appraiser", path+"&format=xlsx")
	wb, err := excelize.OpenReader(bytes.NewReader(x.raw))
	if err != nil {
		t.Fatal(err)
	}
	sheet := wb.GetSheetName(0)
	for cell, want := range map[string]int{"C10": after.total, "E10": after.enterprises, "I10": after.levels["leader_department"],
		"N10": after.levels["not_stated"], "T10": after.kinds["seniority"]} {
		if v, _ := wb.GetCellValue(sheet, cell); v != fmt.Sprint(want) {
			t.Errorf("XLSX %s = %q, want %d", cell, v, want)
		}
	}

	// Bad categories: field errors naming the nominee, and nothing stored.
	dossiersBefore, nomineesBefore := b.count("nominations"), b.count("nominees")
	for _, tc := range []struct {
		nominee map[string]any
		field   string
	}{
		{map[string]any{"kind": "collective", "name": "Hội Cựu chiến binh", "leadership_level": "leader_central"}, "nominees[0].leadership_level"},
		{map[string]any{"kind": "household", "name": "Hộ ông Páo", "leadership_level": "worker"}, "nominees[0].leadership_level"},
		{map[string]any{"kind": "individual", "name": "Nông Thị Én", "leadership_level": "minister"}, "nominees[0].leadership_level"},
		{map[string]any{"kind": "individual", "name": "Nông Thị Én", "enterprise": true}, "nominees[0].enterprise"},
	} {
		r := b.must(http.StatusBadRequest, "xa.clerk", "POST", "/api/v1/nominations", map[string]any{
			"unit_id": seed.DemoCommune, "award_code": "BK_TINH", "year": 2025, "nominees": []any{tc.nominee}})
		if !strings.Contains(string(r.raw), `"`+tc.field+`"`) {
			t.Errorf("%v: no field error on %s: %s", tc.nominee, tc.field, r.raw)
		}
	}
	b.must(http.StatusBadRequest, "xa.clerk", "POST", "/api/v1/nominations", map[string]any{
		"unit_id": seed.DemoCommune, "award_code": "BK_TINH", "kind": "bribe", "year": 2025,
		"nominees": []any{map[string]any{"kind": "individual", "name": "An"}}})
	if b.count("nominations") != dossiersBefore || b.count("nominees") != nomineesBefore {
		t.Fatalf("refused dossiers left rows behind")
	}
}
