package httpapi_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
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
	n := b.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations", map[string]any{
		"unit_id": seed.DemoCommune, "award_code": "BK_TINH", "year": 2025, "nominees": nominees}).body
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
	if v, _ := wb.GetCellValue(sheet, "B8"); v != "Tổng số" {
		t.Fatalf("B8 = %q", v)
	}
	if v, _ := wb.GetCellValue(sheet, "C8"); v != fmt.Sprint(formTotal(f)) {
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
