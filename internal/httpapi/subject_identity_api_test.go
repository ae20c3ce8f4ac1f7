package httpapi_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/tdkt/tdkt/internal/seed"
)

// A person is one subject across units when the same citizen identity number
// (CCCD) is recorded: recorded again in another commune (she moved), she is the
// subject she was, now of the new commune, and her whole chain counts there. An
// import (bulk entry) does the same; a unit's own code is never shared.
func TestAPersonIsOneSubjectPerCCCDAcrossUnits(t *testing.T) {
	b := setup(t)
	const lan, tung = "012345678901", "098765432109"
	b.must(http.StatusOK, "xa.clerk", "POST", "/api/v1/history", map[string]any{
		"unit_id":  seed.DemoCommune,
		"subjects": []map[string]any{{"code": lan, "kind": "individual", "name": "Hoàng Thị Lan", "job_title": "Công chức xã"}},
		"ratings": []map[string]any{{"subject_code": lan, "year": 2022, "rating": "htxs"}, {"subject_code": lan, "year": 2023, "rating": "htxs"},
			{"subject_code": lan, "year": 2024, "rating": "htxs"}},
		"awards": []map[string]any{
			{"subject_code": lan, "year": 2022, "award_code": "CSTDCS", "level": "district", "decision_code": "12/QĐ-UBND", "decision_date": "10/12/2022"},
			{"subject_code": lan, "year": 2023, "award_code": "CSTDCS", "level": "district", "decision_code": "15/QĐ-UBND", "decision_date": "11/12/2023"},
			{"subject_code": lan, "year": 2024, "award_code": "CSTDCS", "level": "district", "decision_code": "17/QĐ-UBND", "decision_date": "12/12/2024"}},
	})
	first := b.must(http.StatusOK, "xa.clerk", "GET", "/api/v1/subjects?q=Hoang+Thi+Lan", nil).body["subjects"].([]any)
	if len(first) != 1 {
		t.Fatalf("recorded: %v", first)
	}
	id := first[0].(map[string]any)["id"].(float64)

	// She moves to xã Ái Quốc, whose clerk records her with her CCCD.
	moved := b.must(http.StatusCreated, "xa2.clerk", "POST", "/api/v1/subjects", map[string]any{
		"unit_id": seed.OtherCommune, "code": lan, "kind": "individual", "name": "Hoàng Thị Lan", "job_title": "Phó Chủ tịch UBND xã"}).body
	if moved["id"].(float64) != id || moved["unit_id"] != seed.OtherCommune || moved["job_title"] != "Phó Chủ tịch UBND xã" {
		t.Fatalf("recorded again in another commune: %v (first id %v)", moved, id)
	}
	chk := b.must(http.StatusOK, "xa2.clerk", "GET", "/api/v1/eligibility?subject_id="+strconv.FormatFloat(id, 'f', 0, 64)+"&award=CSTD_TINH&year=2024", nil).body
	var chain map[string]any
	for _, c := range chk["result"].(map[string]any)["criteria"].([]any) {
		if c.(map[string]any)["id"] == "cstdcs_chain" {
			chain = c.(map[string]any)
		}
	}
	if chain == nil || chain["met"] != true {
		t.Fatalf("the CSTĐCS chain recorded in her former commune: %v", chk["result"])
	}
	if n := b.count("subject_units WHERE unit_id = '" + seed.DemoCommune + "'"); n != 1 {
		t.Fatalf("%d former units recorded", n)
	}
	if n := b.count("subjects WHERE code = '" + lan + "'"); n != 1 {
		t.Fatalf("%d subjects with her CCCD", n)
	}

	// Bulk entry: a man known in xã Ái Quốc is recorded in xã Bảo Lâm with a rating.
	tungID := b.must(http.StatusCreated, "xa2.clerk", "POST", "/api/v1/subjects", map[string]any{
		"unit_id": seed.OtherCommune, "code": tung, "kind": "individual", "name": "Hoàng Văn Tùng"}).body["id"].(float64)
	b.must(http.StatusOK, "xa.clerk", "POST", "/api/v1/history", map[string]any{
		"unit_id":  seed.DemoCommune,
		"subjects": []map[string]any{{"code": tung, "kind": "individual", "name": "Hoàng Văn Tùng", "job_title": "Trưởng thôn"}},
		"ratings":  []map[string]any{{"subject_code": tung, "year": 2024, "rating": "htt"}},
	})
	// xã Bảo Lâm's clerk now reads him: he is a subject of her commune.
	b.must(http.StatusOK, "xa.clerk", "GET", "/api/v1/subjects/"+strconv.FormatFloat(tungID, 'f', 0, 64), nil)
	if n := b.count("subjects WHERE id = " + strconv.FormatFloat(tungID, 'f', 0, 64) + " AND unit_id = '" + seed.DemoCommune + "'"); n != 1 {
		t.Fatal("imported in another commune, he is not the subject he was")
	}
	if n := b.count("subjects WHERE code = '" + tung + "'"); n != 1 {
		t.Fatalf("%d subjects with his CCCD", n)
	}

	// A unit's own code identifies nobody elsewhere.
	for _, u := range []struct{ user, unit string }{{"xa.clerk", seed.DemoCommune}, {"xa2.clerk", seed.OtherCommune}} {
		b.must(http.StatusCreated, u.user, "POST", "/api/v1/subjects", map[string]any{
			"unit_id": u.unit, "code": "NV-01", "kind": "individual", "name": "Nguyễn Văn A"})
	}
	if n := b.count("subjects WHERE code = 'NV-01'"); n != 2 {
		t.Fatalf("%d subjects with an internal code, want one per unit", n)
	}
}
