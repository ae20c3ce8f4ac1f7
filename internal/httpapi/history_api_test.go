package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/tdkt/tdkt/internal/seed"
)

// upload sends a file as the raw body (contentType) and decodes the JSON answer.
func (b *bundle) upload(want int, user, path, contentType string, data []byte) response {
	b.t.Helper()
	req, err := http.NewRequest("POST", b.url+path, bytes.NewReader(data))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Authorization", "Bearer "+b.token(user))
	return b.send(want, req)
}

func (b *bundle) send(want int, req *http.Request) response {
	b.t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	r := response{status: res.StatusCode, header: res.Header, raw: raw}
	if strings.Contains(res.Header.Get("Content-Type"), "json") {
		if err := json.Unmarshal(raw, &r.body); err != nil {
			b.t.Fatalf("%s %s: %v: %s", req.Method, req.URL.Path, err, raw)
		}
	}
	if r.status != want {
		b.t.Fatalf("%s %s as %s: status %d, want %d: %s", req.Method, req.URL.Path, req.Header.Get("Authorization")[:12], r.status, want, raw)
	}
	return r
}

// download GETs a file.
func (b *bundle) download(user, path string) response {
	b.t.Helper()
	req, err := http.NewRequest("GET", b.url+path, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+b.token(user))
	return b.send(http.StatusOK, req)
}

// subjectID creates a subject in the demo commune as its clerk.
func (b *bundle) subjectID(code, kind, name string) float64 {
	b.t.Helper()
	s := b.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/subjects", map[string]any{
		"unit_id": seed.DemoCommune, "code": code, "kind": kind, "name": name, "job_title": "Công chức xã"}).body
	return s["id"].(float64)
}

// decideCSTDCS takes a commune's CSTĐCS dossier for one nominee through the
// procedure before the reform: the district's standing body, its council and its
// chair decide (DOMAIN.md §2: CSTĐCS from a commune is decided at the district).
func (b *bundle) decideCSTDCS(subject float64, year int) (id, code string) {
	b.t.Helper()
	n := b.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations", map[string]any{
		"unit_id": seed.DemoCommune, "award_code": "CSTDCS", "year": year,
		"nominees": []map[string]any{{"kind": "individual", "name": "Hoàng Thị Lan", "subject_id": subject}}}).body
	id = n["id"].(string)
	b.must(http.StatusOK, "xa.clerk", "POST", "/api/v1/nominations/"+id+"/submit", nil)
	b.actOn(http.StatusOK, "huyen.appraiser", id, map[string]any{"action": "accept"})
	b.actOn(http.StatusOK, "huyen.appraiser", id, map[string]any{"action": "approve"})
	b.councilVotes(id, "huyen.council_chair", []string{"huyen.council_member", "huyen.council_chair"}, "yes")
	n = b.actOn(http.StatusOK, "huyen.decider", id, map[string]any{"action": "decide"})
	if n["status"] != "decided" {
		b.t.Fatalf("CSTĐCS %d: %v", year, n["status"])
	}
	return id, n["decision"].(map[string]any)["code"].(string)
}

// criterion finds a criterion of the first nominee's result in a dossier's eligibility.
func criterion(t *testing.T, elig map[string]any, id string) map[string]any {
	t.Helper()
	res := elig["nominees"].([]any)[0].(map[string]any)["result"].(map[string]any)
	for _, c := range res["criteria"].([]any) {
		if c.(map[string]any)["id"] == id {
			return c.(map[string]any)
		}
	}
	t.Fatalf("no criterion %s in %v", id, res)
	return nil
}

// problemFields lists the field names of a problem document's errors.
func problemFields(r response) map[string]bool {
	out := map[string]bool{}
	errs, _ := r.body["errors"].([]any)
	for _, e := range errs {
		out[e.(map[string]any)["field"].(string)] = true
	}
	return out
}

func firstNominee(elig map[string]any) map[string]any {
	return elig["nominees"].([]any)[0].(map[string]any)
}

// TestDecisionsCountInTheNextEligibilityCheck issues three CSTĐCS decisions through
// the workflow for one subject, records her provincial-scope initiative, and sees
// the next check for CSTĐ tỉnh count them; the appraiser's override and the
// revocation of a decision are reflected too.
func TestDecisionsCountInTheNextEligibilityCheck(t *testing.T) {
	b := setup(t, withClock(beforeReform))
	lan := b.subjectID("012345678901", "individual", "Hoàng Thị Lan")

	var ids, codes []string
	for _, year := range []int{2022, 2023, 2024} {
		id, code := b.decideCSTDCS(lan, year)
		ids, codes = append(ids, id), append(codes, code)
	}
	// The decisions are in her history, at the district's level, as merit awards.
	rec := b.must(http.StatusOK, "xa.clerk", "GET", fmt.Sprintf("/api/v1/subjects/%v", lan), nil).body
	awards := rec["awards"].([]any)
	if len(awards) != 3 {
		t.Fatalf("history has %d awards, want the 3 decisions: %v", len(awards), awards)
	}
	for i, a := range awards {
		a := a.(map[string]any)
		if a["award_code"] != "CSTDCS" || a["year"].(float64) != float64(2022+i) || a["level"] != "district" ||
			a["award_kind"] != "merit" || a["source"] != "decision" || a["decision_code"] != codes[i] || a["nomination_id"] != ids[i] {
			t.Fatalf("award %d: %v", i, a)
		}
	}

	// The CSTĐ tỉnh dossier for 2024: the chain is met, the initiative is missing.
	cstd := b.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations", map[string]any{
		"unit_id": seed.DemoCommune, "award_code": "CSTD_TINH", "year": 2024,
		"nominees": []map[string]any{{"kind": "individual", "name": "Hoàng Thị Lan", "subject_id": lan}}}).body
	cstdID := cstd["id"].(string)
	elig := cstd["eligibility"].(map[string]any)
	if c := criterion(t, elig, "cstdcs_chain"); c["met"] != true || !strings.Contains(c["explanation"].(string), "CSTĐCS 2022, 2023, 2024 — 3 lần liên tục (cần 3): đạt") {
		t.Fatalf("chain criterion: %v", c)
	}
	if c := criterion(t, elig, "initiative"); c["met"] != false {
		t.Fatalf("initiative criterion without an initiative: %v", c)
	}
	if w := firstNominee(elig)["warnings"].([]any); len(w) != 1 || !strings.Contains(w[0].(string), "Sáng kiến") || elig["flagged"].(float64) != 1 {
		t.Fatalf("the clerk should be warned of the missing initiative only: %v", elig)
	}

	// The commune's clerk records the initiative with the year's ratings, in bulk.
	b.must(http.StatusOK, "xa.clerk", "POST", "/api/v1/history", map[string]any{
		"unit_id": seed.DemoCommune,
		"ratings": []map[string]any{{"subject_code": "012345678901", "year": 2024, "rating": "htxs"}},
		"initiatives": []map[string]any{{"subject_code": "012345678901", "year": 2024, "title": "Số hóa hồ sơ hộ nghèo toàn tỉnh",
			"scope": "province", "recognised_by": "Hội đồng sáng kiến tỉnh Lạng Sơn"}},
	})
	elig = b.must(http.StatusOK, "huyen.appraiser", "GET", "/api/v1/nominations/"+cstdID+"/eligibility", nil).body
	res := firstNominee(elig)["result"].(map[string]any)
	if res["status"] != "eligible" || res["rule_version"] != "2024-01-01" || len(firstNominee(elig)["warnings"].([]any)) != 0 {
		t.Fatalf("after the initiative: %v", elig)
	}
	// The dossier read carries the same answer.
	n := b.must(http.StatusOK, "xa.clerk", "GET", "/api/v1/nominations/"+cstdID, nil).body
	if firstNominee(n["eligibility"].(map[string]any))["result"].(map[string]any)["eligible"] != true {
		t.Fatalf("dossier read: %v", n["eligibility"])
	}
	// The standalone check says the same, and flags the dossier in flight.
	chk := b.must(http.StatusOK, "xa.clerk", "GET", fmt.Sprintf("/api/v1/eligibility?subject_id=%v&award=CSTD_TINH&year=2024", lan), nil).body
	if chk["result"].(map[string]any)["eligible"] != true || len(chk["conflicts"].([]any)) != 1 ||
		chk["conflicts"].([]any)[0].(map[string]any)["kind"] != "in_flight" {
		t.Fatalf("standalone check: %v", chk)
	}

	post := b.must(http.StatusOK, "huyen.appraiser", "POST", "/api/v1/eligibility", map[string]any{"subject_id": lan, "award_code": "CSTD_TINH", "year": 2024}).body
	if post["result"].(map[string]any)["eligible"] != true {
		t.Fatalf("POST check: %v", post)
	}
	// A subject of another commune answers as an unknown one (its ID is sequential).
	b.must(http.StatusNotFound, "xa2.clerk", "POST", "/api/v1/eligibility", map[string]any{"subject_id": lan, "award_code": "CSTD_TINH", "year": 2024})
	if v := b.must(http.StatusOK, "xa2.clerk", "GET", "/api/v1/eligibility/rules", nil).body["versions"].([]any); len(v) != 2 {
		t.Fatalf("published rule versions: %v", v)
	}

	// One achievement, one award: a second CSTĐCS 2024 is flagged as already awarded.
	dup := b.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations", map[string]any{
		"unit_id": seed.DemoCommune, "award_code": "CSTDCS", "year": 2024,
		"nominees": []map[string]any{{"kind": "individual", "name": "Hoàng Thị Lan", "subject_id": lan}}}).body
	conflicts := firstNominee(dup["eligibility"].(map[string]any))["conflicts"].([]any)
	if len(conflicts) != 1 || conflicts[0].(map[string]any)["kind"] != "already_awarded" || conflicts[0].(map[string]any)["decision_code"] != codes[2] {
		t.Fatalf("second CSTĐCS 2024: %v", conflicts)
	}

	// Revoking the 2023 decision removes it from the history: the chain breaks.
	b.must(http.StatusOK, "huyen.decider", "POST", "/api/v1/nominations/"+ids[1]+"/revocations",
		map[string]any{"decision_code": codes[1], "ground": "false_declaration", "note": "Kê khai sai"})
	elig = b.must(http.StatusOK, "huyen.appraiser", "GET", "/api/v1/nominations/"+cstdID+"/eligibility", nil).body
	c := criterion(t, elig, "cstdcs_chain")
	if c["met"] != false || !strings.Contains(c["explanation"].(string), "CSTĐCS 2024 — 1 lần liên tục (cần 3); không liên tục: 2022") {
		t.Fatalf("after the revocation: %v", c)
	}

	// The appraiser overrides the chain with a reason, once the dossier reaches her;
	// a clerk may not, and a reason is required.
	b.must(http.StatusOK, "xa.clerk", "POST", "/api/v1/nominations/"+cstdID+"/submit", nil)
	path := "/api/v1/nominations/" + cstdID + "/eligibility/override"
	nominee := firstNominee(elig)["nominee_id"]
	b.must(http.StatusForbidden, "xa.clerk", "POST", path, map[string]any{"nominee_id": nominee, "criterion": "cstdcs_chain", "met": true, "reason": "x"})
	b.must(http.StatusBadRequest, "huyen.appraiser", "POST", path, map[string]any{"nominee_id": nominee, "criterion": "cstdcs_chain", "met": true})
	b.must(http.StatusBadRequest, "huyen.appraiser", "POST", path, map[string]any{"nominee_id": nominee, "criterion": "vibes", "met": true, "reason": "x"})
	elig = b.must(http.StatusOK, "huyen.appraiser", "POST", path, map[string]any{"nominee_id": nominee, "criterion": "cstdcs_chain", "met": true,
		"reason": "QĐ CSTĐCS 2023 được ban hành lại theo QĐ 45/QĐ-UBND"}).body
	res = firstNominee(elig)["result"].(map[string]any)
	c = criterion(t, elig, "cstdcs_chain")
	o, _ := c["override"].(map[string]any)
	if res["eligible"] != true || res["machine_eligible"] != false || c["met"] != false || o == nil ||
		o["actor_name"] != "Mã Thị Thu" || !strings.Contains(o["reason"].(string), "45/QĐ-UBND") {
		t.Fatalf("after the override: %v", elig)
	}
}

// TestBulkEntryAndSpreadsheetsAreAllOrNothing: a bulk entry or a file with one bad
// row records nothing and names the row; an exported workbook imports back
// unchanged; the clerk of another commune may neither read nor record.
func TestBulkEntryAndSpreadsheetsAreAllOrNothing(t *testing.T) {
	b := setup(t, withClock(beforeReform))
	ctx := context.Background()
	count := func() int {
		var n int
		b.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM subjects) + (SELECT count(*) FROM task_ratings) + (SELECT count(*) FROM initiatives)`).Scan(&n)
		return n
	}
	batch := map[string]any{
		"unit_id": seed.DemoCommune,
		"subjects": []map[string]any{
			{"code": "001", "kind": "individual", "name": "Nông Văn Thắng"},
			{"code": "002", "kind": "cá nhân", "name": "Lộc Thị Mai"},
		},
		"ratings": []map[string]any{
			{"subject_code": "001", "year": 2024, "rating": "htxs"},
			{"subject_code": "002", "year": 2024, "rating": "giỏi"},
			{"subject_code": "003", "year": 2024, "rating": "htt"},
		},
	}
	r := b.must(http.StatusBadRequest, "xa.clerk", "POST", "/api/v1/history", batch)
	if got := problemFields(r); !got["ratings[1].rating"] || len(got) != 1 || len(r.body["rows"].([]any)) != 1 {
		t.Fatalf("bad bulk entry: %s", r.raw)
	}
	if count() != 0 {
		t.Fatal("a bad bulk entry recorded rows")
	}
	batch["ratings"].([]map[string]any)[1]["rating"] = "Hoàn thành tốt nhiệm vụ"
	r = b.must(http.StatusBadRequest, "xa.clerk", "POST", "/api/v1/history", batch)
	if got := problemFields(r); !got["ratings[2].subject_code"] || len(got) != 1 {
		t.Fatalf("unknown subject: %s", r.raw)
	}
	batch["ratings"] = batch["ratings"].([]map[string]any)[:2]
	if res := b.must(http.StatusOK, "xa.clerk", "POST", "/api/v1/history", batch).body; res["subjects_created"].(float64) != 2 || res["ratings"].(float64) != 2 {
		t.Fatalf("bulk entry: %v", res)
	}
	b.must(http.StatusForbidden, "xa2.clerk", "POST", "/api/v1/history", batch)
	b.must(http.StatusForbidden, "huyen.appraiser", "POST", "/api/v1/history", batch)
	if subs := b.must(http.StatusOK, "xa2.clerk", "GET", "/api/v1/subjects", nil).body["subjects"].([]any); len(subs) != 0 {
		t.Fatalf("another commune's clerk sees %d subjects", len(subs))
	}
	if subs := b.must(http.StatusOK, "huyen.appraiser", "GET", "/api/v1/subjects?q=thắng", nil).body["subjects"].([]any); len(subs) != 1 {
		t.Fatalf("the district's appraiser finds %d subjects named Thắng", len(subs))
	}

	// A CSV whose last row is bad imports nothing, and says which row and why.
	csv := "\ufeffMã đối tượng,Năm,Tên sáng kiến,Phạm vi ảnh hưởng\n001,2024,Sổ tay tiếp dân,Cấp cơ sở\n002,2024,Ứng dụng bản đồ số,cấp thôn\n"
	before := count()
	r = b.upload(http.StatusBadRequest, "xa.clerk", "/api/v1/history/import?unit="+seed.DemoCommune+"&sheet=initiatives", "text/csv", []byte(csv))
	rows := r.body["rows"].([]any)
	if len(rows) != 1 || rows[0].(map[string]any)["row"].(float64) != 3 || rows[0].(map[string]any)["column"] != "Phạm vi ảnh hưởng" {
		t.Fatalf("bad CSV: %s", r.raw)
	}
	if count() != before {
		t.Fatal("a file with a bad row imported some rows")
	}
	b.upload(http.StatusForbidden, "xa2.clerk", "/api/v1/history/import?unit="+seed.DemoCommune+"&sheet=initiatives", "text/csv", []byte(csv))

	// A good workbook, typed with combining marks, sent as a form upload.
	wb := excelize.NewFile()
	wb.SetSheetName("Sheet1", "Sáng kiến")
	for i, row := range [][]any{
		{"Mã đối tượng *", "Năm *", "Tên sáng kiến *", "Phạm vi ảnh hưởng *"},
		{"001", 2024, "So\u0302̉ tay tie\u0302́p dân", "Cấp cơ sở"},
	} {
		wb.SetSheetRow("Sáng kiến", fmt.Sprintf("A%d", i+1), &row)
	}
	var file bytes.Buffer
	wb.WriteTo(&file)
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	part, _ := mw.CreateFormFile("file", "sang-kien.xlsx")
	part.Write(file.Bytes())
	mw.Close()
	res := b.upload(http.StatusOK, "xa.clerk", "/api/v1/history/import?unit="+seed.DemoCommune, mw.FormDataContentType(), form.Bytes()).body
	if res["initiatives"].(float64) != 1 {
		t.Fatalf("workbook import: %v", res)
	}

	// Export, then import the export: nothing changes; the title comes back in NFC.
	export := b.download("xa.clerk", "/api/v1/history/export?unit="+seed.DemoCommune)
	if !strings.Contains(export.header.Get("Content-Disposition"), ".xlsx") {
		t.Fatalf("export headers: %v", export.header)
	}
	res = b.upload(http.StatusOK, "xa.clerk", "/api/v1/history/import?unit="+seed.DemoCommune, "application/octet-stream", export.raw).body
	for k, v := range res {
		if v.(float64) != 0 {
			t.Fatalf("re-importing the export changed %s: %v", k, res)
		}
	}
	// A mistyped initiative is deleted by id; only once.
	var lan float64
	for _, s := range b.must(http.StatusOK, "xa.clerk", "GET", "/api/v1/subjects?q=001", nil).body["subjects"].([]any) {
		lan = s.(map[string]any)["id"].(float64)
	}
	inits := b.must(http.StatusOK, "xa.clerk", "GET", fmt.Sprintf("/api/v1/subjects/%v", lan), nil).body["initiatives"].([]any)
	if len(inits) != 1 {
		t.Fatalf("initiatives of 001: %v", inits)
	}
	del := fmt.Sprintf("/api/v1/history/initiatives/%v", inits[0].(map[string]any)["id"])
	b.must(http.StatusForbidden, "xa2.clerk", "DELETE", del, nil)
	b.must(http.StatusNoContent, "xa.clerk", "DELETE", del, nil)
	b.must(http.StatusNotFound, "xa.clerk", "DELETE", del, nil)
	b.upload(http.StatusOK, "xa.clerk", "/api/v1/history/import?unit="+seed.DemoCommune, "application/octet-stream", export.raw)

	csvOut := b.download("xa.clerk", "/api/v1/history/export?unit="+seed.DemoCommune+"&format=csv&sheet=initiatives")
	if !strings.Contains(string(csvOut.raw), "Sổ tay tiếp dân") {
		t.Fatalf("CSV export is not NFC: %q", csvOut.raw)
	}

	// The template and its documented columns.
	tpl := b.download("xa.clerk", "/api/v1/history/template")
	if ct := tpl.header.Get("Content-Type"); !strings.Contains(ct, "spreadsheetml") || len(tpl.raw) < 1000 {
		t.Fatalf("template: %s, %d bytes", ct, len(tpl.raw))
	}
	cols := b.must(http.StatusOK, "xa.clerk", "GET", "/api/v1/history/template?format=json", nil).body["sheets"].([]any)
	if len(cols) != 5 {
		t.Fatalf("documented sheets: %v", cols)
	}
}

// TestNomineeListImportLinksSubjects: a nominee list names subjects by code; a
// code unknown to the unit is a bad row and the dossier keeps its nominees.
func TestNomineeListImportLinksSubjects(t *testing.T) {
	b := setup(t, withClock(beforeReform))
	lan := b.subjectID("012345678901", "individual", "Hoàng Thị Lan")
	id := b.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations", bkTinhDossier(seed.DemoCommune)).body["id"].(string)
	path := "/api/v1/nominations/" + id + "/nominees/import"
	bad := "Mã đối tượng,Loại đối tượng,\"Họ tên, tên tập thể\"\n012345678901,Cá nhân,Hoàng Thị Lan\n999,Cá nhân,Ai đó\n"
	r := b.upload(http.StatusBadRequest, "xa.clerk", path, "text/csv", []byte(bad))
	if rows := r.body["rows"].([]any); len(rows) != 1 || rows[0].(map[string]any)["row"].(float64) != 3 {
		t.Fatalf("unknown code: %s", r.raw)
	}
	good := "Mã đối tượng,Loại đối tượng,\"Họ tên, tên tập thể\",Tóm tắt thành tích\n012345678901,Cá nhân,Hoàng Thị Lan,Dẫn đầu phong trào\n,Tập thể,Hội Nông dân xã Bảo Lâm,\n"
	n := b.upload(http.StatusOK, "xa.clerk", path, "text/csv", []byte(good)).body
	nominees := n["nominees"].([]any)
	if len(nominees) != 2 || nominees[0].(map[string]any)["subject_id"] != lan || nominees[1].(map[string]any)["subject_id"] != nil {
		t.Fatalf("imported nominees: %v", nominees)
	}
	if w := n["eligibility"].(map[string]any)["nominees"].([]any)[1].(map[string]any)["warnings"].([]any); len(w) == 0 {
		t.Fatal("a nominee without a subject should be warned about")
	}
	out := b.download("xa.clerk", "/api/v1/nominations/"+id+"/nominees/export?format=csv")
	if !strings.Contains(string(out.raw), "012345678901,Cá nhân,Hoàng Thị Lan") {
		t.Fatalf("exported list: %s", out.raw)
	}
	b.upload(http.StatusForbidden, "xa2.clerk", path, "text/csv", []byte(good))
	// A subject of another kind, or one the user may not read, is refused on create.
	b.must(http.StatusBadRequest, "xa.clerk", "POST", "/api/v1/nominations", map[string]any{
		"unit_id": seed.DemoCommune, "award_code": "BK_TINH", "year": 2025,
		"nominees": []map[string]any{{"kind": "collective", "name": "Hội", "subject_id": lan}}})
	b.must(http.StatusBadRequest, "xa2.clerk", "POST", "/api/v1/nominations", map[string]any{
		"unit_id": seed.OtherCommune, "award_code": "BK_TINH", "year": 2025,
		"nominees": []map[string]any{{"kind": "individual", "name": "Hoàng Thị Lan", "subject_id": lan}}})
}
