package faulttest

import (
	"context"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/temporalproto"
	"go.temporal.io/server/temporaltest"
	"golang.org/x/crypto/bcrypt"

	"github.com/tdkt/tdkt/internal/password"
	"github.com/tdkt/tdkt/internal/seed"
	"github.com/tdkt/tdkt/workflows/contract"
)

// updateHistories makes TestRecordHistories run representative dossiers through
// the API and write their workflow histories to workflows/testdata/histories, which
// workflows.TestReplayRecordedHistories replays in every run of the suite:
//
//	go test ./internal/faulttest -run TestRecordHistories -update-histories
//
// Record again only when a change is meant to be incompatible with running
// dossiers (and those are migrated); never to make the replay test pass.
var updateHistories = flag.Bool("update-histories", false, "record workflow histories into workflows/testdata/histories")

// historiesDir is where the recorded histories live, from this package's folder.
const historiesDir = "../../workflows/testdata/histories"

// TestRecordHistories records the histories of representative dossiers: decided
// at the first level; a batch forwarded with a downgrade and a rejection and
// decided after a council vote; returned, supplemented and rejected; held,
// released and withdrawn; reminded and escalated by timers; the simplified
// procedure; concurrence and the central council.
func TestRecordHistories(t *testing.T) {
	if !*updateHistories {
		t.Skip("records histories only with -update-histories")
	}
	pool := newDemoDB(t)
	ts := temporaltest.NewServer(temporaltest.WithT(t))
	tc := ts.GetDefaultClient()
	ctx := context.Background()
	addUser := func(username, name, role, unit string) {
		h, _ := password.Hasher{Cost: bcrypt.MinCost}.Hash(seed.DemoPassword)
		if _, err := pool.Exec(ctx, `WITH u AS (INSERT INTO users (username, full_name, password_hash, unit_id) VALUES ($1, $2, $3, $4) RETURNING id)
			INSERT INTO role_assignments (user_id, role, unit_id) SELECT id, $5, $4 FROM u`, username, name, h, unit, role); err != nil {
			t.Fatal(err)
		}
	}
	centralCouncil := []string{"tw.member1", "tw.member2", "tw.member3"}
	for _, m := range centralCouncil {
		addUser(m, "Ủy viên "+m, "council_member", seed.Central)
	}
	addUser("tw.chair", "Chủ tịch Hội đồng Trung ương", "council_chair", seed.Central)
	e := newEnv(t, pool, pool, tc)
	// Three working days last three seconds, so that reminders and escalations fire.
	e.days = func(from time.Time, n int) time.Time { return from.Add(time.Duration(n) * time.Second) }
	w := e.startWorker(tc, pool)
	defer w.Stop()

	create := func(body map[string]any) string {
		return e.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations", body, nil).body["id"].(string)
	}
	act := func(user, id string, body map[string]any) map[string]any {
		return e.must(http.StatusOK, user, "POST", "/api/v1/nominations/"+id+"/actions", body, nil).body
	}
	submit := func(id string) {
		e.must(http.StatusOK, "xa.clerk", "POST", "/api/v1/nominations/"+id+"/submit", nil, nil)
	}
	votes := func(id, chair string, voters []string) {
		for _, v := range voters {
			e.must(http.StatusOK, v, "POST", "/api/v1/nominations/"+id+"/votes", map[string]any{"choice": "yes"}, nil)
		}
		act(chair, id, map[string]any{"action": "close_vote"})
	}
	provincialCouncil := []string{"tinh.council_chair", "tinh.council_vice", "tinh.council_member", "tinh.council_member2",
		"tinh.council_member3", "tinh.council_member4", "tinh.council_member5"}
	bkTinh := func(nominees ...map[string]any) map[string]any {
		return map[string]any{"unit_id": seed.DemoCommune, "award_code": "BK_TINH", "year": 2025, "nominees": nominees}
	}
	person := func(name string) map[string]any { return map[string]any{"kind": "individual", "name": name} }
	recorded := map[string]string{}

	// Decided at the district, after the intake task was reminded and escalated.
	id := create(giayKhen())
	submit(id)
	within(t, 30*time.Second, "the intake reminder and escalation", func() bool {
		var n int
		_ = pool.QueryRow(ctx, `SELECT count(*) FROM tasks WHERE nomination_id = $1 AND status = 'open' AND reminded_at IS NOT NULL AND overdue_at IS NOT NULL`, id).Scan(&n)
		return n == 1
	})
	e.finish(id)
	recorded["gk-reminded-escalated-decided"] = id

	// A batch: the district decides a downgrade, rejects one, forwards one; the
	// provincial council votes; the province decides.
	id = create(bkTinh(person("Nguyễn Văn An"), person("Trần Thị Bình"), map[string]any{"kind": "collective", "name": "Chi hội Phụ nữ thôn Nà Pàn"}))
	var nominees []float64
	for _, nm := range e.must(http.StatusOK, "xa.clerk", "GET", "/api/v1/nominations/"+id, nil, nil).body["nominees"].([]any) {
		nominees = append(nominees, nm.(map[string]any)["id"].(float64))
	}
	submit(id)
	act("huyen.appraiser", id, map[string]any{"action": "accept"})
	act("huyen.appraiser", id, map[string]any{"action": "approve"})
	act("huyen.decider", id, map[string]any{"action": "forward", "outcomes": []map[string]any{
		{"nominee_id": nominees[0], "outcome": "downgrade", "award_code": "GK", "reason": "Thành tích ở phạm vi huyện"},
		{"nominee_id": nominees[1], "outcome": "reject", "reason": "Chưa đủ tiêu chuẩn"}}})
	act("tinh.appraiser", id, map[string]any{"action": "accept"})
	act("tinh.appraiser", id, map[string]any{"action": "approve"})
	votes(id, "tinh.council_chair", provincialCouncil)
	act("tinh.decider", id, map[string]any{"action": "decide"})
	recorded["bktinh-batch-council-decided"] = id

	// Returned for supplementation, resubmitted, rejected.
	id = create(giayKhen())
	submit(id)
	act("huyen.appraiser", id, map[string]any{"action": "return", "missing_items": []string{"Báo cáo thành tích có xác nhận"}})
	submit(id)
	act("huyen.appraiser", id, map[string]any{"action": "accept"})
	act("huyen.appraiser", id, map[string]any{"action": "reject", "reason": "Thành tích chưa tiêu biểu"})
	recorded["gk-returned-resubmitted-rejected"] = id

	// A nominee held and released, then the dossier withdrawn.
	id = create(bkTinh(person("Lộc Văn Sơn")))
	nomineeID := e.must(http.StatusOK, "xa.clerk", "GET", "/api/v1/nominations/"+id, nil, nil).body["nominees"].([]any)[0].(map[string]any)["id"]
	submit(id)
	act("huyen.appraiser", id, map[string]any{"action": "accept"})
	act("huyen.appraiser", id, map[string]any{"action": "hold", "nominee_id": nomineeID, "reason": "Đang thanh tra"})
	act("huyen.appraiser", id, map[string]any{"action": "release", "nominee_id": nomineeID, "reason": "Kết luận thanh tra"})
	act("xa.clerk", id, map[string]any{"action": "withdraw", "reason": "Rút để bổ sung thành tích năm sau"})
	recorded["bktinh-hold-release-withdrawn"] = id

	// The simplified procedure of an extraordinary achievement.
	body := giayKhen()
	body["kind"] = "extraordinary"
	id = create(body)
	submit(id)
	e.finish(id)
	recorded["gk-extraordinary-simplified"] = id

	// The Prime Minister's Bằng khen: province council, central concurrence and council.
	id = create(map[string]any{"unit_id": seed.DemoCommune, "award_code": "BK_TTG", "year": 2025, "nominees": []map[string]any{person("Hoàng Văn Tùng")}})
	submit(id)
	act("huyen.appraiser", id, map[string]any{"action": "accept"})
	act("huyen.appraiser", id, map[string]any{"action": "approve"})
	act("huyen.decider", id, map[string]any{"action": "forward"})
	act("tinh.appraiser", id, map[string]any{"action": "accept"})
	act("tinh.appraiser", id, map[string]any{"action": "approve"})
	votes(id, "tinh.council_chair", provincialCouncil)
	act("tinh.decider", id, map[string]any{"action": "forward"})
	act("tw.appraiser", id, map[string]any{"action": "accept"})
	act("tw.appraiser", id, map[string]any{"action": "request_concurrence", "units": []string{seed.Province}})
	act("tinh.appraiser", id, map[string]any{"action": "concur", "answer": "agree", "note": "Không có ý kiến khác"})
	act("tw.appraiser", id, map[string]any{"action": "approve"})
	votes(id, "tw.chair", centralCouncil)
	act("tw.decider", id, map[string]any{"action": "decide"})
	recorded["bkttg-concurrence-central-council"] = id

	if err := os.MkdirAll(historiesDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, id := range recorded {
		if st, _, _ := e.state(id); st != "decided" && st != "rejected" && st != "withdrawn" {
			t.Fatalf("%s ended %s", name, st)
		}
		wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		var final contract.NominationState
		if err := tc.GetWorkflow(wctx, contract.NominationWorkflowID(id), "").Get(wctx, &final); err != nil {
			cancel()
			t.Fatalf("%s: %v", name, err)
		}
		var events []*historypb.HistoryEvent
		it := tc.GetWorkflowHistory(wctx, contract.NominationWorkflowID(id), "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
		for it.HasNext() {
			ev, err := it.Next()
			if err != nil {
				cancel()
				t.Fatal(err)
			}
			events = append(events, ev)
		}
		cancel()
		js, err := temporalproto.CustomJSONMarshalOptions{Indent: " "}.Marshal(&historypb.History{Events: events})
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(historiesDir, name+".json"), append(js, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d events, %d bytes", name, len(events), len(js))
	}
}
