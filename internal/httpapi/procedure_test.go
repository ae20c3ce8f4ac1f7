package httpapi_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tdkt/tdkt/internal/seed"
)

// centralCouncil adds three members of the central emulation council, so that the
// central level's vote can reach its quorum in a test.
func (b *bundle) centralCouncil() []string {
	b.t.Helper()
	members := []string{"tw.member1", "tw.member2", "tw.member3"}
	for i, m := range members {
		b.addUser(m, fmt.Sprintf("Ủy viên Trung ương %d", i+1), "council_member", seed.Central)
	}
	b.addUser("tw.chair", "Chủ tịch Hội đồng TĐKT Trung ương", "council_chair", seed.Central)
	b.reloadAuthz()
	return append(members, "tw.chair")
}

// throughCentral takes a dossier at the central level's intake to the decision:
// intake, concurrence from the province's standing body, appraisal, the central
// council's vote, and the Prime Minister's decision.
func (b *bundle) throughCentral(id string, voters []string) map[string]any {
	b.t.Helper()
	b.actOn(http.StatusOK, "tw.appraiser", id, map[string]any{"action": "accept"})
	// State awards need concurrence first.
	b.actOn(http.StatusConflict, "tw.appraiser", id, map[string]any{"action": "approve"})
	n := b.actOn(http.StatusOK, "tw.appraiser", id, map[string]any{"action": "request_concurrence", "units": []string{seed.Province}})
	if n["status"] != "concurring" {
		b.t.Fatalf("after the concurrence request: %v", n)
	}
	n = b.actOn(http.StatusOK, "tinh.appraiser", id, map[string]any{"action": "concur", "answer": "agree", "note": "Không có ý kiến khác"})
	if n["status"] != "appraising" {
		b.t.Fatalf("after the only concurrence answer: %v", n)
	}
	b.actOn(http.StatusOK, "tw.appraiser", id, map[string]any{"action": "approve"})
	n = b.councilVotes(id, "tw.chair", voters, "yes")
	if n["status"] != "deciding" {
		b.t.Fatalf("after the central council: %v", n)
	}
	n = b.actOn(http.StatusOK, "tw.decider", id, map[string]any{"action": "decide"})
	if n["status"] != "decided" || n["decision"].(map[string]any)["code"] != "1/QĐ-TTg" {
		b.t.Fatalf("after the Prime Minister's decision: %v", n)
	}
	return n
}

func routeUnits(n map[string]any) []string {
	var out []string
	for _, r := range n["route"].([]any) {
		out = append(out, r.(map[string]any)["unit_id"].(string))
	}
	return out
}

// TestPrimeMinistersBangKhenFromACommuneBeforeTheReform passes every level:
// commune → district → province (council) → central (concurrence, council) → PM.
func TestPrimeMinistersBangKhenFromACommuneBeforeTheReform(t *testing.T) {
	b := setup(t, withClock(beforeReform))
	voters := b.centralCouncil()
	n := b.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations", map[string]any{
		"unit_id": seed.DemoCommune, "award_code": "BK_TTG", "year": 2025,
		"nominees": []map[string]any{{"kind": "individual", "name": "Hoàng Văn Tùng"}}}).body
	id := n["id"].(string)
	if got := fmt.Sprint(routeUnits(n)); got != fmt.Sprint([]string{seed.DemoDistrict, seed.Province, seed.Central}) {
		t.Fatalf("route %s", got)
	}
	b.must(http.StatusOK, "xa.clerk", "POST", "/api/v1/nominations/"+id+"/submit", nil)
	b.actOn(http.StatusOK, "huyen.appraiser", id, map[string]any{"action": "accept"})
	b.actOn(http.StatusOK, "huyen.appraiser", id, map[string]any{"action": "approve"})
	b.actOn(http.StatusOK, "huyen.decider", id, map[string]any{"action": "forward"})
	b.actOn(http.StatusOK, "tinh.appraiser", id, map[string]any{"action": "accept"})
	b.actOn(http.StatusOK, "tinh.appraiser", id, map[string]any{"action": "approve"})
	if n := b.councilVotes(id, "tinh.council_chair", provincialCouncil[:7], "yes"); n["status"] != "forwarding" {
		t.Fatalf("after the provincial council: %v", n)
	}
	b.actOn(http.StatusOK, "tinh.decider", id, map[string]any{"action": "forward"})
	n = b.throughCentral(id, voters)
	var letters int
	b.pool.QueryRow(context.Background(), `SELECT count(*) FROM submission_letters WHERE nomination_id = $1`, id).Scan(&letters)
	if letters != 2 {
		t.Fatalf("%d submission letters, want 2 (district → province, province → centre)", letters)
	}
	// The secret ballot keeps the tally and who voted, never who voted what.
	var withChoice int
	b.pool.QueryRow(context.Background(), `SELECT count(*) FROM council_attendance a JOIN council_sessions s
		ON s.nomination_id = a.nomination_id AND s.session = a.session WHERE s.secret AND a.choice IS NOT NULL`).Scan(&withChoice)
	if withChoice != 0 {
		t.Fatalf("%d attendance rows of a secret ballot carry the voter's choice", withChoice)
	}
}

// TestPrimeMinistersBangKhenFromACommuneAfterTheReform: in the 2025 shape a commune
// sits directly under the province.
func TestPrimeMinistersBangKhenFromACommuneAfterTheReform(t *testing.T) {
	b := setup(t, withClock(func() time.Time { return time.Date(2025, 8, 4, 3, 0, 0, 0, time.UTC) }))
	ctx := context.Background()
	if _, err := b.pool.Exec(ctx, `INSERT INTO units (id, parent_id, name, level, kind, subkind, valid_from)
		VALUES ('LS-X01', 'LS', 'UBND xã Cao Lộc (mới)', 'commune', 'people_committee', 'xa', '2025-07-01')`); err != nil {
		t.Fatal(err)
	}
	b.addUser("xamoi.clerk", "Nông Thị Hằng", "clerk", "LS-X01")
	voters := b.centralCouncil()
	n := b.must(http.StatusCreated, "xamoi.clerk", "POST", "/api/v1/nominations", map[string]any{
		"unit_id": "LS-X01", "award_code": "BK_TTG", "year": 2025,
		"nominees": []map[string]any{{"kind": "collective", "name": "Hợp tác xã Chè Cao Lộc"}}}).body
	id := n["id"].(string)
	if got := fmt.Sprint(routeUnits(n)); got != fmt.Sprint([]string{seed.Province, seed.Central}) {
		t.Fatalf("route %s", got)
	}
	b.must(http.StatusOK, "xamoi.clerk", "POST", "/api/v1/nominations/"+id+"/submit", nil)
	b.actOn(http.StatusOK, "tinh.appraiser", id, map[string]any{"action": "accept"})
	b.actOn(http.StatusOK, "tinh.appraiser", id, map[string]any{"action": "approve"})
	b.councilVotes(id, "tinh.council_chair", provincialCouncil, "yes")
	b.actOn(http.StatusOK, "tinh.decider", id, map[string]any{"action": "forward"})
	b.throughCentral(id, voters)
}

// TestBatchDossierDowngradeRejectForward: at the district one nominee is decided
// there with a lower award, one rejected, one forwarded; the province decides the
// one that came on; each nominee's path is in the history.
func TestBatchDossierDowngradeRejectForward(t *testing.T) {
	b := setup(t, withClock(beforeReform))
	n := b.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations", map[string]any{
		"unit_id": seed.DemoCommune, "award_code": "BK_TINH", "year": 2025,
		"nominees": []map[string]any{
			{"kind": "individual", "name": "Nguyễn Văn An"},
			{"kind": "individual", "name": "Trần Thị Bình"},
			{"kind": "collective", "name": "Chi hội Phụ nữ thôn Nà Pàn"},
		}}).body
	id := n["id"].(string)
	ids := []float64{}
	for _, nm := range n["nominees"].([]any) {
		ids = append(ids, nm.(map[string]any)["id"].(float64))
	}
	b.must(http.StatusOK, "xa.clerk", "POST", "/api/v1/nominations/"+id+"/submit", nil)
	b.actOn(http.StatusOK, "huyen.appraiser", id, map[string]any{"action": "accept"})
	b.actOn(http.StatusOK, "huyen.appraiser", id, map[string]any{"action": "approve"})
	// A downgrade to an award the district may not grant is refused.
	b.actOn(http.StatusBadRequest, "huyen.decider", id, map[string]any{"action": "forward", "outcomes": []map[string]any{
		{"nominee_id": ids[0], "outcome": "downgrade", "award_code": "CSTD_TINH"}}})
	n = b.actOn(http.StatusOK, "huyen.decider", id, map[string]any{"action": "forward", "outcomes": []map[string]any{
		{"nominee_id": ids[0], "outcome": "downgrade", "award_code": "GK", "reason": "Thành tích ở phạm vi huyện"},
		{"nominee_id": ids[1], "outcome": "reject", "reason": "Chưa đủ tiêu chuẩn"},
	}})
	if n["status"] != "intake" || n["current_unit_id"] != seed.Province {
		t.Fatalf("after the district's forwarding: %v", n)
	}
	if d := n["decision"].(map[string]any); d["unit_id"] != seed.DemoDistrict || len(d["awardees"].([]any)) != 1 {
		t.Fatalf("the district's decision for the downgraded nominee: %v", d)
	}
	b.actOn(http.StatusOK, "tinh.appraiser", id, map[string]any{"action": "accept"})
	b.actOn(http.StatusOK, "tinh.appraiser", id, map[string]any{"action": "approve"})
	b.councilVotes(id, "tinh.council_chair", provincialCouncil[:6], "yes")
	n = b.actOn(http.StatusOK, "tinh.decider", id, map[string]any{"action": "decide"})
	if n["status"] != "decided" || len(n["decisions"].([]any)) != 2 {
		t.Fatalf("after the province's decision: %v", n)
	}
	statuses := map[float64]string{}
	for _, nm := range n["nominees"].([]any) {
		m := nm.(map[string]any)
		statuses[m["id"].(float64)] = m["status"].(string)
	}
	if statuses[ids[0]] != "downgraded" || statuses[ids[1]] != "rejected" || statuses[ids[2]] != "awarded" {
		t.Fatalf("nominee statuses %v", statuses)
	}
	var paths int
	b.pool.QueryRow(context.Background(), `SELECT count(*) FROM nominee_outcomes WHERE nomination_id = $1`, id).Scan(&paths)
	if paths != 4 { // downgraded, rejected, forwarded at the district; awarded at the province
		t.Fatalf("%d nominee outcomes recorded, want 4", paths)
	}
}

// TestCouncilFailsQuorumThenPasses: three of nine members vote; the chair closes:
// no quorum, a new session opens; then six vote and it passes.
func TestCouncilFailsQuorumThenPasses(t *testing.T) {
	b := setup(t)
	id := b.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations", bkTinhDossier(seed.DemoCommune)).body["id"].(string)
	b.must(http.StatusOK, "xa.clerk", "POST", "/api/v1/nominations/"+id+"/submit", nil)
	b.actOn(http.StatusOK, "huyen.appraiser", id, map[string]any{"action": "accept"})
	b.actOn(http.StatusOK, "huyen.appraiser", id, map[string]any{"action": "approve"})
	b.actOn(http.StatusOK, "huyen.decider", id, map[string]any{"action": "forward"})
	b.actOn(http.StatusOK, "tinh.appraiser", id, map[string]any{"action": "accept"})
	b.actOn(http.StatusOK, "tinh.appraiser", id, map[string]any{"action": "approve"})
	// A member with a conflict of interest declares it and is recused.
	b.must(http.StatusNoContent, "tinh.council_member7", "POST", "/api/v1/nominations/"+id+"/conflicts", map[string]any{"reason": "Người thân của người được đề nghị"})
	b.must(http.StatusForbidden, "tinh.council_member7", "POST", "/api/v1/nominations/"+id+"/votes", map[string]any{"choice": "yes"})
	n := b.councilVotes(id, "tinh.council_chair", provincialCouncil[:3], "yes")
	if n["status"] != "voting" {
		t.Fatalf("without quorum the vote should be held again: %v", n)
	}
	n = b.councilVotes(id, "tinh.council_chair", provincialCouncil[:6], "yes")
	if n["status"] != "deciding" {
		t.Fatalf("with quorum and a majority: %v", n)
	}
	sessions := b.must(http.StatusOK, "tinh.council_secretary", "GET", "/api/v1/nominations/"+id+"/council", nil).body["sessions"].([]any)
	first, second := sessions[0].(map[string]any)["tally"].(map[string]any), sessions[1].(map[string]any)["tally"].(map[string]any)
	if first["result"] != "no_quorum" || first["members"].(float64) != 8 || second["result"] != "passed" || second["present"].(float64) != 6 {
		t.Fatalf("minutes: %v / %v", first, second)
	}
}

// TestConsultationCommentBlocksUntilTheWindowCloses: a cultured-household title goes
// through 10 working days of public consultation (a second each here); comments are
// filed during the window, and the decision waits for it to close.
func TestConsultationCommentBlocksUntilTheWindowCloses(t *testing.T) {
	b := setup(t, withFastDeadlines(time.Second))
	n := b.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations", map[string]any{
		"unit_id": seed.DemoCommune, "award_code": "GDVH", "year": 2026,
		"nominees": []map[string]any{{"kind": "household", "name": "Hộ bà Hoàng Thị Nga"}}}).body
	id := n["id"].(string)
	b.must(http.StatusOK, "xa.clerk", "POST", "/api/v1/nominations/"+id+"/submit", nil)
	b.actOn(http.StatusOK, "xa.appraiser", id, map[string]any{"action": "accept"})
	n = b.actOn(http.StatusOK, "xa.appraiser", id, map[string]any{"action": "approve"})
	if n["status"] != "consulting" {
		t.Fatalf("after appraisal: %v", n)
	}
	opened := time.Now()
	// Anyone who may read the dossier may comment; an outsider may not.
	b.actOn(http.StatusForbidden, "xa2.clerk", id, map[string]any{"action": "comment", "note": "Không rõ"})
	b.actOn(http.StatusOK, "xa.head", id, map[string]any{"action": "comment", "note": "Gia đình gương mẫu, đồng ý đề nghị"})
	// The decision cannot start before the window closes.
	b.actOn(http.StatusConflict, "xa.decider", id, map[string]any{"action": "decide"})
	b.waitStatus(id, "deciding", 30*time.Second)
	if waited := time.Since(opened); waited < 5*time.Second {
		t.Fatalf("the 10-day window (10 s here) closed after %v", waited)
	}
	n = b.actOn(http.StatusOK, "xa.decider", id, map[string]any{"action": "decide"})
	if n["status"] != "decided" {
		t.Fatalf("after the window: %v", n)
	}
	co := b.must(http.StatusOK, "xa.clerk", "GET", "/api/v1/nominations/"+id+"/consultation", nil).body
	if c := co["comments"].([]any); len(c) != 1 || c[0].(map[string]any)["body"] != "Gia đình gương mẫu, đồng ý đề nghị" {
		t.Fatalf("comments: %v", co)
	}
}

// TestConcurrentDecisionsOverHTTPGetGaplessNumbers: the district's decider signs
// four dossiers at the same moment; the numbers are 1..4.
func TestConcurrentDecisionsOverHTTPGetGaplessNumbers(t *testing.T) {
	b := setup(t, withClock(beforeReform))
	const n = 4
	ids := make([]string, n)
	for i := range ids {
		ids[i] = b.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations", map[string]any{
			"unit_id": seed.DemoCommune, "award_code": "GK", "year": 2025,
			"nominees": []map[string]any{{"kind": "individual", "name": fmt.Sprintf("Người thứ %d", i+1)}}}).body["id"].(string)
		b.must(http.StatusOK, "xa.clerk", "POST", "/api/v1/nominations/"+ids[i]+"/submit", nil)
		b.actOn(http.StatusOK, "huyen.appraiser", ids[i], map[string]any{"action": "accept"})
		b.actOn(http.StatusOK, "huyen.appraiser", ids[i], map[string]any{"action": "approve"})
	}
	b.token("huyen.decider")
	var wg sync.WaitGroup
	numbers := make([]int, n)
	for i := range ids {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			r := b.do("huyen.decider", "POST", "/api/v1/nominations/"+ids[i]+"/actions", map[string]any{"action": "decide"})
			if r.status == http.StatusOK {
				numbers[i] = int(r.body["decision"].(map[string]any)["number"].(float64))
			}
		}(i)
	}
	wg.Wait()
	sort.Ints(numbers)
	if fmt.Sprint(numbers) != "[1 2 3 4]" {
		t.Fatalf("decision numbers %v", numbers)
	}
}

// TestOverdueTaskIsEscalatedToTheHeadOfTheBody: nobody takes the intake; after its
// time limit (a second per working day here) the task is flagged overdue and the
// district's head is notified.
func TestOverdueTaskIsEscalatedToTheHeadOfTheBody(t *testing.T) {
	b := setup(t, withClock(beforeReform), withFastDeadlines(time.Second))
	id := b.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations", map[string]any{
		"unit_id": seed.DemoCommune, "award_code": "GK", "year": 2025,
		"nominees": []map[string]any{{"kind": "individual", "name": "Lục Văn Sáng"}}}).body["id"].(string)
	b.must(http.StatusOK, "xa.clerk", "POST", "/api/v1/nominations/"+id+"/submit", nil)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		var overdue int
		b.pool.QueryRow(context.Background(), `SELECT count(*) FROM tasks WHERE nomination_id = $1 AND overdue_at IS NOT NULL`, id).Scan(&overdue)
		if overdue > 0 {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	kinds := func(user string) map[string]int {
		out := map[string]int{}
		for _, n := range b.must(http.StatusOK, user, "GET", "/api/v1/notifications", nil).body["notifications"].([]any) {
			out[n.(map[string]any)["kind"].(string)]++
		}
		return out
	}
	if k := kinds("huyen.appraiser"); k["task"] != 1 || k["reminder"] != 1 || k["overdue"] != 1 {
		t.Fatalf("the district appraiser's notifications: %v", k)
	}
	if k := kinds("huyen.head"); k["escalation"] != 1 {
		t.Fatalf("the district head's notifications: %v", k)
	}
	task := b.taskFor("huyen.appraiser", id)
	if task["overdue"] != true {
		t.Fatalf("the inbox should flag the task overdue: %v", task)
	}
}

// TestHoldBlocksOneNomineeAndRevocationRecordsRecovery: a nominee under
// investigation is held while the other is decided; released, they are decided
// too; then a decision is revoked for a false declaration.
func TestHoldBlocksOneNomineeAndRevocationRecordsRecovery(t *testing.T) {
	b := setup(t, withClock(beforeReform))
	n := b.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations", map[string]any{
		"unit_id": seed.DemoCommune, "award_code": "GK", "year": 2025,
		"nominees": []map[string]any{{"kind": "individual", "name": "Hà Văn Tư"}, {"kind": "individual", "name": "Vi Thị Năm"}}}).body
	id := n["id"].(string)
	held := n["nominees"].([]any)[1].(map[string]any)["id"].(float64)
	b.must(http.StatusOK, "xa.clerk", "POST", "/api/v1/nominations/"+id+"/submit", nil)
	b.actOn(http.StatusOK, "huyen.appraiser", id, map[string]any{"action": "accept"})
	b.actOn(http.StatusBadRequest, "huyen.appraiser", id, map[string]any{"action": "hold", "nominee_id": held})
	b.actOn(http.StatusOK, "huyen.appraiser", id, map[string]any{"action": "hold", "nominee_id": held, "reason": "Đang bị thanh tra"})
	b.actOn(http.StatusOK, "huyen.appraiser", id, map[string]any{"action": "approve"})
	n = b.actOn(http.StatusOK, "huyen.decider", id, map[string]any{"action": "decide"})
	if n["status"] != "deciding" || len(n["decisions"].([]any)) != 1 {
		t.Fatalf("with one nominee held: %v", n)
	}
	b.actOn(http.StatusOK, "huyen.appraiser", id, map[string]any{"action": "release", "nominee_id": held})
	n = b.actOn(http.StatusOK, "huyen.decider", id, map[string]any{"action": "decide"})
	if n["status"] != "decided" || len(n["decisions"].([]any)) != 2 {
		t.Fatalf("after the release: %v", n)
	}
	code := n["decisions"].([]any)[1].(map[string]any)["code"].(string)
	path := "/api/v1/nominations/" + id + "/revocations"
	b.must(http.StatusBadRequest, "huyen.decider", "POST", path, map[string]any{"decision_code": code, "ground": "dislike"})
	b.must(http.StatusForbidden, "huyen.appraiser", "POST", path, map[string]any{"decision_code": code, "ground": "false_declaration"})
	n = b.must(http.StatusOK, "huyen.decider", "POST", path, map[string]any{"decision_code": code, "ground": "false_declaration",
		"note": "Kê khai sai thành tích năm 2024"}).body
	dec := n["decisions"].([]any)[1].(map[string]any)
	if dec["revoked_at"] == nil || dec["revoke_ground"] != "false_declaration" || dec["awardees"].([]any)[0].(map[string]any)["recovered"] != true {
		t.Fatalf("revoked decision: %v", dec)
	}
	b.must(http.StatusConflict, "huyen.decider", "POST", path, map[string]any{"decision_code": code, "ground": "false_declaration"})
	h := b.must(http.StatusOK, "huyen.decider", "GET", "/api/v1/nominations/"+id+"/history", nil).body["events"].([]any)
	if last := h[len(h)-1].(map[string]any); last["action"] != "revoke" {
		t.Fatalf("the history should end with the revocation: %v", last)
	}
}

// TestDocumentsChecklistAndUploadLimits: the checklist shows what is missing; an
// upload is typed from its bytes, stored with its SHA-256 and served as an attachment.
func TestDocumentsChecklistAndUploadLimits(t *testing.T) {
	b := setup(t)
	id := b.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations", bkTinhDossier(seed.DemoCommune)).body["id"].(string)
	cl := b.must(http.StatusOK, "xa.clerk", "GET", "/api/v1/nominations/"+id+"/checklist", nil).body["checklist"].([]any)
	if len(cl) != 3 {
		t.Fatalf("checklist of a standard commendation: %v", cl)
	}
	pdf := []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
	d := b.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations/"+id+"/documents?kind=to_trinh&name=../../T%E1%BB%9D%20tr%C3%ACnh.pdf", pdf).body
	if d["file_name"] != "Tờ trình.pdf" || d["content_type"] != "application/pdf" || len(d["sha256"].(string)) != 64 {
		t.Fatalf("stored document: %v", d)
	}
	// An executable dressed as a PDF is refused.
	b.must(http.StatusBadRequest, "xa.clerk", "POST", "/api/v1/nominations/"+id+"/documents?kind=to_trinh&name=x.pdf", []byte("MZ\x90\x00binary"))
	b.must(http.StatusForbidden, "xa2.clerk", "POST", "/api/v1/nominations/"+id+"/documents?kind=to_trinh&name=x.pdf", pdf)
	cl = b.must(http.StatusOK, "xa.clerk", "GET", "/api/v1/nominations/"+id+"/checklist", nil).body["checklist"].([]any)
	present := 0
	for _, c := range cl {
		if c.(map[string]any)["present"] == true {
			present++
		}
	}
	if present != 1 {
		t.Fatalf("checklist after one upload: %v", cl)
	}
	req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/documents/%v", b.url, d["id"]), nil)
	req.Header.Set("Authorization", "Bearer "+b.token("huyen.appraiser"))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !bytes.Equal(body, pdf) || res.Header.Get("X-Content-Type-Options") != "nosniff" ||
		!strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment;") {
		t.Fatalf("download: %d %v", res.StatusCode, res.Header)
	}
}

// TestAuthorityMatrixIsDataAdministeredCentrally: only a central administrator
// changes the matrix; a dossier keeps the route it was created with.
func TestAuthorityMatrixIsDataAdministeredCentrally(t *testing.T) {
	b := setup(t)
	rules := b.must(http.StatusOK, "xa.clerk", "GET", "/api/v1/authority-rules?award=GK", nil).body["rules"].([]any)
	if len(rules) < 4 {
		t.Fatalf("GK rules: %v", rules)
	}
	id := b.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations", bkTinhDossier(seed.DemoCommune)).body["id"].(string)
	var target map[string]any
	for _, r := range b.must(http.StatusOK, "xa.clerk", "GET", "/api/v1/authority-rules?award=BK_TINH", nil).body["rules"].([]any) {
		m := r.(map[string]any)
		if m["submitter_level"] == "commune" {
			target = m
		}
	}
	target["stages"] = []map[string]any{{"level": "province", "council": true, "consultation_days": 5}}
	path := fmt.Sprintf("/api/v1/authority-rules/%v", target["id"])
	b.must(http.StatusForbidden, "tinh.admin", "PUT", path, target)
	bad := map[string]any{"award_code": "BK_TINH", "submitter_level": "hamlet", "decision_level": "province", "valid_from": "2026-13-01"}
	b.must(http.StatusBadRequest, "tw.admin", "POST", "/api/v1/authority-rules", bad)
	got := b.must(http.StatusOK, "tw.admin", "PUT", path, target).body
	if got["stages"].([]any)[0].(map[string]any)["consultation_days"].(float64) != 5 {
		t.Fatalf("saved rule: %v", got)
	}
	// The existing dossier keeps its route; a new one gets the consultation window.
	old := b.must(http.StatusOK, "xa.clerk", "GET", "/api/v1/nominations/"+id, nil).body
	if d := old["route"].([]any)[1].(map[string]any)["consultation_days"]; d != nil {
		t.Fatalf("an existing dossier's route changed: %v", old["route"])
	}
	fresh := b.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations", bkTinhDossier(seed.DemoCommune)).body
	if d := fresh["route"].([]any)[1].(map[string]any)["consultation_days"]; d != float64(5) {
		t.Fatalf("a new dossier's route: %v", fresh["route"])
	}
}

// TestExtraordinaryAchievementUsesTheSimplifiedProcedure: no intake, no council.
func TestExtraordinaryAchievementUsesTheSimplifiedProcedure(t *testing.T) {
	b := setup(t)
	body := bkTinhDossier(seed.DemoCommune)
	body["kind"] = "extraordinary"
	n := b.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations", body).body
	id := n["id"].(string)
	if n["procedure"] != "standard" {
		t.Fatalf("the clerk's proposal applies only once confirmed; procedure %v", n["procedure"])
	}
	if n = b.must(http.StatusOK, "xa.clerk", "POST", "/api/v1/nominations/"+id+"/submit", nil).body; n["status"] != "intake" {
		t.Fatalf("after submit: %v", n)
	}
	// The district's appraiser confirms the simplified procedure at intake.
	if n = b.actOn(http.StatusOK, "huyen.appraiser", id, map[string]any{"action": "accept", "confirm_simplified": true}); n["procedure"] != "simplified" {
		t.Fatalf("after the confirmation: %v", n["procedure"])
	}
	b.actOn(http.StatusOK, "huyen.appraiser", id, map[string]any{"action": "approve"})
	b.actOn(http.StatusOK, "huyen.decider", id, map[string]any{"action": "forward"})
	b.actOn(http.StatusOK, "tinh.appraiser", id, map[string]any{"action": "approve"})
	if n = b.actOn(http.StatusOK, "tinh.decider", id, map[string]any{"action": "decide"}); n["status"] != "decided" {
		t.Fatalf("after decide: %v", n)
	}
	cl := b.must(http.StatusOK, "xa.clerk", "GET", "/api/v1/nominations/"+id+"/checklist", nil).body["checklist"].([]any)
	for _, c := range cl {
		if c.(map[string]any)["doc_kind"] == "bien_ban_hoi_dong" {
			t.Fatalf("the simplified procedure needs no council minutes: %v", cl)
		}
	}
}

// TestActionUnderDelegationIsRecordedOnBehalfOfTheGiver: the district's appraiser
// delegates to a colleague, who accepts a dossier; the audit names both.
func TestActionUnderDelegationIsRecordedOnBehalfOfTheGiver(t *testing.T) {
	b := setup(t)
	b.addUser("huyen.staff", "Lục Thị Thơm", "auditor", seed.DemoDistrict)
	b.reloadAuthz()
	giver := meID(b, "huyen.appraiser")
	today := time.Now().In(time.FixedZone("ICT", 7*3600)).Format("2006-01-02")
	b.must(http.StatusCreated, "huyen.appraiser", "POST", "/api/v1/delegations", map[string]any{
		"to_user_id": meID(b, "huyen.staff"), "valid_from": today, "valid_to": today, "reason": "Đi công tác"})
	id := b.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations", bkTinhDossier(seed.DemoCommune)).body["id"].(string)
	b.must(http.StatusOK, "xa.clerk", "POST", "/api/v1/nominations/"+id+"/submit", nil)
	b.actOn(http.StatusOK, "huyen.staff", id, map[string]any{"action": "accept"})
	var behalf int64
	if err := b.pool.QueryRow(context.Background(), `SELECT on_behalf_of FROM audit_events WHERE nomination_id = $1 AND action = 'accept'`, id).Scan(&behalf); err != nil || behalf != giver {
		t.Fatalf("on_behalf_of = %d (%v), want %d", behalf, err, giver)
	}
}

// TestMarkAllNotificationsRead: an empty body marks every notification of the user
// read, and only theirs.
func TestMarkAllNotificationsRead(t *testing.T) {
	b := setup(t)
	id := b.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations", bkTinhDossier(seed.DemoCommune)).body["id"].(string)
	b.must(http.StatusOK, "xa.clerk", "POST", "/api/v1/nominations/"+id+"/submit", nil)
	unread := func(user string) int {
		return len(b.must(http.StatusOK, user, "GET", "/api/v1/notifications?unread=1", nil).body["notifications"].([]any))
	}
	if unread("huyen.appraiser") != 1 {
		t.Fatalf("the district appraiser should have one unread task notification")
	}
	if got := b.must(http.StatusOK, "huyen.appraiser", "POST", "/api/v1/notifications/read", map[string]any{}).body["marked"]; got != float64(1) {
		t.Fatalf("marked %v", got)
	}
	if unread("huyen.appraiser") != 0 {
		t.Fatal("still unread after marking all")
	}
}
