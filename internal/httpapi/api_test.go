package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/tdkt/tdkt/internal/seed"
)

func bkTinhDossier(unit string) map[string]any {
	return map[string]any{
		"unit_id": unit, "award_code": "BK_TINH", "year": 2026,
		"nominees": []map[string]any{
			{"kind": "individual", "name": "Hoàng Văn Tùng", "job_title": "Trưởng thôn", "achievements": "Dẫn đầu phong trào giảm nghèo"},
			{"kind": "collective", "name": "Hội Nông dân xã Bảo Lâm"},
		},
	}
}

// TestNominationPathOverHTTP drives one dossier from the commune clerk to the
// provincial decision as the different users — intake, return for
// supplementation, resubmission, appraisal, forwarding with a tờ trình, the
// province's intake, appraisal and council vote, the decision — checking each inbox
// at each step, the decision with its bonus, and the audit trail.
func TestNominationPathOverHTTP(t *testing.T) {
	b := setup(t)
	n := b.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations", bkTinhDossier(seed.DemoCommune)).body
	id := n["id"].(string)
	if n["status"] != "draft" || n["version"].(float64) != 0 || n["procedure"] != "standard" {
		t.Fatalf("new dossier: %v", n)
	}
	route := n["route"].([]any)
	if len(route) != 2 || route[0].(map[string]any)["unit_id"] != seed.DemoDistrict || route[1].(map[string]any)["unit_id"] != seed.Province ||
		route[1].(map[string]any)["council"] != true {
		t.Fatalf("route of a commune's Bằng khen tỉnh should be district → province (council), got %v", route)
	}
	if task := b.taskFor("xa.clerk", id); task["step"] != "submit" {
		t.Fatalf("clerk's task: %v", task)
	}

	// Submit: the district's standing body receives it (intake) with a due date.
	n = b.must(http.StatusOK, "xa.clerk", "POST", "/api/v1/nominations/"+id+"/submit", map[string]any{"version": 0}).body
	if n["status"] != "intake" || n["current_unit_id"] != seed.DemoDistrict || n["stage_due_at"] == nil {
		t.Fatalf("after submit: %v", n)
	}
	if b.hasTask("xa.clerk", id) {
		t.Fatal("the clerk's submit task is still open after submitting")
	}
	task := b.taskFor("huyen.appraiser", id)
	if task["step"] != "intake" || task["due_at"] == nil {
		t.Fatalf("district appraiser's task: %v", task)
	}
	if b.hasTask("tinh.appraiser", id) {
		t.Fatal("the province sees the dossier before the district forwarded it")
	}
	b.must(http.StatusOK, "huyen.appraiser", "POST", fmt.Sprintf("/api/v1/tasks/%v/actions", task["id"]), map[string]any{"action": "accept"})

	// Return for supplementation, with the complete list of what is missing.
	task = b.taskFor("huyen.appraiser", id)
	n = b.must(http.StatusOK, "huyen.appraiser", "POST", fmt.Sprintf("/api/v1/tasks/%v/actions", task["id"]),
		map[string]any{"action": "return", "missing_items": []string{"Biên bản họp Hội đồng TĐKT xã", "Báo cáo thành tích có xác nhận"}}).body
	if n["status"] != "returned" || len(n["missing_items"].([]any)) != 2 {
		t.Fatalf("after return: %v", n)
	}
	if b.hasTask("huyen.appraiser", id) {
		t.Fatal("the appraisal task is still open after the return")
	}
	if task := b.taskFor("xa.clerk", id); task["step"] != "supplement" {
		t.Fatalf("clerk should supplement, has %v", task)
	}

	// Supplement: edit the nominees, then resubmit; it resumes in appraisal at the district.
	b.must(http.StatusOK, "xa.clerk", "PATCH", "/api/v1/nominations/"+id, map[string]any{
		"nominees": []map[string]any{{"kind": "individual", "name": "Hoàng Văn Tùng", "achievements": "Dẫn đầu phong trào giảm nghèo (bổ sung biên bản)"}},
	})
	n = b.must(http.StatusOK, "xa.clerk", "POST", "/api/v1/nominations/"+id+"/submit", nil).body
	if n["status"] != "appraising" || n["current_unit_id"] != seed.DemoDistrict || len(n["nominees"].([]any)) != 1 {
		t.Fatalf("after resubmit: %v", n)
	}
	// Returned once: a second return is refused.
	b.actOn(http.StatusConflict, "huyen.appraiser", id, map[string]any{"action": "return", "missing_items": []string{"x"}})

	// The district approves, and its head forwards the dossier with a tờ trình.
	task = b.taskFor("huyen.appraiser", id)
	b.must(http.StatusOK, "huyen.appraiser", "POST", fmt.Sprintf("/api/v1/tasks/%v/actions", task["id"]), map[string]any{"action": "approve"})
	task = b.taskFor("huyen.decider", id)
	if task["step"] != "forward" {
		t.Fatalf("district decider should forward, has %v", task)
	}
	// The district may not decide a provincial award.
	b.actOn(http.StatusConflict, "huyen.decider", id, map[string]any{"action": "decide"})
	n = b.must(http.StatusOK, "huyen.decider", "POST", fmt.Sprintf("/api/v1/tasks/%v/actions", task["id"]), map[string]any{"action": "forward"}).body
	if n["status"] != "intake" || n["current_unit_id"] != seed.Province {
		t.Fatalf("after forward: %v", n)
	}

	// The province receives, appraises, and its council votes.
	b.actOn(http.StatusOK, "tinh.appraiser", id, map[string]any{"action": "accept"})
	n = b.actOn(http.StatusOK, "tinh.appraiser", id, map[string]any{"action": "approve"})
	if n["status"] != "voting" {
		t.Fatalf("after the province's appraisal: %v", n)
	}
	if task := b.taskFor("tinh.council_member3", id); task["step"] != "vote" {
		t.Fatalf("council member's task: %v", task)
	}
	// The preparer of a dossier cannot vote; a member votes once.
	b.must(http.StatusForbidden, "xa.clerk", "POST", "/api/v1/nominations/"+id+"/votes", map[string]any{"choice": "yes"})
	n = b.councilVotes(id, "tinh.council_chair", provincialCouncil[:6], "yes")
	b.must(http.StatusConflict, "tinh.council_member", "POST", "/api/v1/nominations/"+id+"/votes", map[string]any{"choice": "no"})
	if n["status"] != "deciding" {
		t.Fatalf("after the vote: %v", n)
	}
	council := b.must(http.StatusOK, "tinh.auditor", "GET", "/api/v1/nominations/"+id+"/council", nil).body["sessions"].([]any)
	tally := council[0].(map[string]any)["tally"].(map[string]any)
	if tally["members"].(float64) != 9 || tally["present"].(float64) != 6 || tally["yes"].(float64) != 6 || tally["result"] != "passed" {
		t.Fatalf("minutes: %v", council[0])
	}
	task = b.taskFor("tinh.decider", id)
	if task["step"] != "decide" {
		t.Fatalf("provincial decider should decide, has %v", task)
	}
	n = b.must(http.StatusOK, "tinh.decider", "POST", fmt.Sprintf("/api/v1/tasks/%v/actions", task["id"]), map[string]any{"action": "decide"}).body
	if n["status"] != "decided" {
		t.Fatalf("after decide: %v", n)
	}
	dec, _ := n["decision"].(map[string]any)
	if dec == nil || dec["number"].(float64) != 1 || dec["code"] != "1/QĐ-UBND" || dec["unit_id"] != seed.Province {
		t.Fatalf("decision: %v", n["decision"])
	}
	for _, nm := range n["nominees"].([]any) {
		if nm.(map[string]any)["status"] != "awarded" {
			t.Errorf("nominee not awarded: %v", nm)
		}
	}
	for _, u := range []string{"xa.clerk", "huyen.appraiser", "huyen.decider", "tinh.appraiser", "tinh.decider", "tinh.council_member7"} {
		if b.hasTask(u, id) {
			t.Errorf("%s still has a task on the decided dossier", u)
		}
	}

	// The audit trail: one event per transition, in order.
	h := b.must(http.StatusOK, "tinh.auditor", "GET", "/api/v1/nominations/"+id+"/history", nil).body
	var actions []string
	for _, e := range h["events"].([]any) {
		actions = append(actions, e.(map[string]any)["action"].(string))
	}
	want := "create,submit,accept,return,submit,approve,forward,accept,approve,close_vote,council_result,decide"
	if got := strings.Join(actions, ","); got != want {
		t.Fatalf("audit trail %s, want %s", got, want)
	}
	if got := b.count("audit_events"); got != 12 {
		t.Fatalf("%d audit events, want 12", got)
	}
	var letter string
	if err := b.pool.QueryRow(t.Context(), `SELECT code FROM submission_letters WHERE nomination_id = $1`, id).Scan(&letter); err != nil || letter != "1/TTr-UBND" {
		t.Fatalf("submission letter %q, %v", letter, err)
	}

	// Acting on a decided dossier is a conflict.
	b.actOn(http.StatusConflict, "huyen.appraiser", id, map[string]any{"action": "approve"})
}

func TestGiayKhenIsDecidedByTheDistrictBeforeTheReform(t *testing.T) {
	b := setup(t, withClock(beforeReform))
	n := b.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations", map[string]any{
		"unit_id": seed.DemoCommune, "award_code": "GK", "year": 2025,
		"nominees": []map[string]any{{"kind": "household", "name": "Hộ ông Lý Văn Páo"}},
	}).body
	id := n["id"].(string)
	if r := n["route"].([]any); len(r) != 1 || r[0].(map[string]any)["unit_id"] != seed.DemoDistrict {
		t.Fatalf("route: %v", r)
	}
	b.must(http.StatusOK, "xa.clerk", "POST", "/api/v1/nominations/"+id+"/submit", nil)
	b.actOn(http.StatusOK, "huyen.appraiser", id, map[string]any{"action": "accept"})
	b.actOn(http.StatusOK, "huyen.appraiser", id, map[string]any{"action": "approve"})
	n = b.actOn(http.StatusOK, "huyen.decider", id, map[string]any{"action": "decide"})
	if n["status"] != "decided" || n["decision"].(map[string]any)["unit_id"] != seed.DemoDistrict {
		t.Fatalf("after decide: %v", n)
	}
	// A household's bonus is 1.5 × the individual one: 0.3 × 2,340,000 × 1.5.
	aw := n["decision"].(map[string]any)["awardees"].([]any)[0].(map[string]any)
	if aw["bonus_vnd"].(float64) != 1053000 {
		t.Fatalf("household bonus %v, want 1053000", aw["bonus_vnd"])
	}
}

func TestStaleVersionIsAConflict(t *testing.T) {
	b := setup(t)
	id := b.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations", bkTinhDossier(seed.DemoCommune)).body["id"].(string)
	b.must(http.StatusOK, "xa.clerk", "POST", "/api/v1/nominations/"+id+"/submit", map[string]any{"version": 0})
	r := b.must(http.StatusConflict, "huyen.appraiser", "POST", "/api/v1/nominations/"+id+"/actions", map[string]any{"action": "accept", "version": 0})
	if r.body["type"] != "/problems/conflict" || r.header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("stale version answer: %s", r.raw)
	}
	// Submitting twice: the second is a wrong-state conflict.
	b.must(http.StatusConflict, "xa.clerk", "POST", "/api/v1/nominations/"+id+"/submit", map[string]any{"version": 1})
}

func TestReadsAndListsAreScopedToTheUsersUnits(t *testing.T) {
	b := setup(t)
	id := b.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations", bkTinhDossier(seed.DemoCommune)).body["id"].(string)
	b.must(http.StatusCreated, "xa2.clerk", "POST", "/api/v1/nominations", bkTinhDossier(seed.OtherCommune))
	list := func(user, query string) int {
		return len(b.must(http.StatusOK, user, "GET", "/api/v1/nominations"+query, nil).body["nominations"].([]any))
	}
	if got := list("xa.clerk", ""); got != 1 {
		t.Errorf("commune clerk sees %d dossiers, want their own 1", got)
	}
	if got := list("huyen.appraiser", ""); got != 1 {
		t.Errorf("district appraiser sees %d dossiers, want the 1 of its district", got)
	}
	if got := list("tinh.appraiser", ""); got != 2 {
		t.Errorf("province appraiser sees %d dossiers, want 2", got)
	}
	if got := list("tinh.appraiser", "?unit="+seed.OtherCommune+"&status=draft&award=BK_TINH&year=2026"); got != 1 {
		t.Errorf("filtered list has %d dossiers, want 1", got)
	}
	if got := list("tinh.appraiser", "?status=decided"); got != 0 {
		t.Errorf("status filter let %d through", got)
	}
	b.must(http.StatusBadRequest, "tinh.appraiser", "GET", "/api/v1/nominations?year=abc", nil)
	b.must(http.StatusNotFound, "xa2.clerk", "GET", "/api/v1/nominations/"+id, nil) // as if it did not exist
	b.must(http.StatusNotFound, "xa2.clerk", "GET", "/api/v1/nominations/00000000-0000-0000-0000-000000000000", nil)
	b.must(http.StatusNotFound, "xa2.clerk", "GET", "/api/v1/nominations/not-a-uuid", nil)

	units := b.must(http.StatusOK, "huyen.appraiser", "GET", "/api/v1/units", nil).body["units"].([]any)
	if len(units) != 1 || units[0].(map[string]any)["id"] != seed.DemoDistrict {
		t.Fatalf("district appraiser's unit tree roots: %v", units)
	}
	awards := b.must(http.StatusOK, "xa.clerk", "GET", "/api/v1/awards", nil).body["awards"].([]any)
	if len(awards) < 10 {
		t.Fatalf("award catalogue has %d entries", len(awards))
	}
	me := b.must(http.StatusOK, "tinh.decider", "GET", "/api/v1/me", nil).body
	if me["username"] != "tinh.decider" || len(me["roles"].([]any)) != 1 {
		t.Fatalf("me: %v", me)
	}
}
