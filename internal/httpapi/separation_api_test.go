package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tdkt/tdkt/internal/seed"
)

// The tests in this file vary who the person is — the preparer, a nominee under
// another spelling, a delegate, a recused member, an administrator's own account —
// and check that each hole of separation of duties is closed over HTTP.

// deptDossier creates a Bằng khen tỉnh dossier of the provincial department of
// education (decided by the province, with its council) naming nominees, submits it
// and returns its id.
func (b *bundle) deptDossier(names ...string) string {
	b.t.Helper()
	if !b.hasUser("so.clerk") {
		b.addUser("so.clerk", "Nông Thị Lan", "clerk", "LS-SGDDT")
		b.reloadAuthz()
	}
	var nominees []map[string]any
	for _, n := range names {
		nominees = append(nominees, map[string]any{"kind": "individual", "name": n, "achievements": "Hoàn thành xuất sắc nhiệm vụ"})
	}
	n := b.must(http.StatusCreated, "so.clerk", "POST", "/api/v1/nominations", map[string]any{
		"unit_id": "LS-SGDDT", "award_code": "BK_TINH", "year": 2026, "nominees": nominees}).body
	id := n["id"].(string)
	b.must(http.StatusOK, "so.clerk", "POST", "/api/v1/nominations/"+id+"/submit", nil)
	return id
}

func (b *bundle) hasUser(username string) bool {
	var ok bool
	if err := b.pool.QueryRow(context.Background(), `SELECT EXISTS (SELECT 1 FROM users WHERE username = $1)`, username).Scan(&ok); err != nil {
		b.t.Fatal(err)
	}
	return ok
}

func (b *bundle) fullName(username string) string {
	var name string
	if err := b.pool.QueryRow(context.Background(), `SELECT full_name FROM users WHERE username = $1`, username).Scan(&name); err != nil {
		b.t.Fatal(err)
	}
	return name
}

func problemDetail(r response) string { return fmt.Sprint(r.body["detail"]) }

func TestARecusedMembersVoteIsWithdrawnFromTheTally(t *testing.T) {
	b := setup(t)
	id := b.deptDossier("Hoàng Văn Tùng")
	b.actOn(http.StatusOK, "tinh.appraiser", id, map[string]any{"action": "accept"})
	if n := b.actOn(http.StatusOK, "tinh.appraiser", id, map[string]any{"action": "approve"}); n["status"] != "voting" {
		t.Fatalf("after approval: %v", n)
	}
	for i, m := range provincialCouncil {
		choice := "yes"
		if i >= 5 {
			choice = "no"
		}
		b.must(http.StatusOK, m, "POST", "/api/v1/nominations/"+id+"/votes", map[string]any{"choice": choice})
	}
	// Five yes of nine passed; one of the yes voters now declares a conflict of interest.
	recused := provincialCouncil[4]
	b.must(http.StatusNoContent, recused, "POST", "/api/v1/nominations/"+id+"/conflicts", map[string]any{"reason": "Người thân của người được đề nghị"})
	if r := b.must(http.StatusForbidden, recused, "POST", "/api/v1/nominations/"+id+"/votes", map[string]any{"choice": "yes"}); !strings.Contains(problemDetail(r), "recused") {
		t.Errorf("the recused member's second vote: %s", r.raw)
	}
	n := b.actOn(http.StatusOK, "tinh.council_chair", id, map[string]any{"action": "close_vote"})
	if n["status"] != "rejected" {
		t.Fatalf("with the recused member's yes withdrawn, 4 yes of 8 is not a majority; dossier %v", n["status"])
	}
	sessions := b.must(http.StatusOK, "tinh.council_secretary", "GET", "/api/v1/nominations/"+id+"/council", nil).body["sessions"].([]any)
	tally := sessions[0].(map[string]any)["tally"].(map[string]any)
	if tally["members"].(float64) != 8 || tally["present"].(float64) != 8 || tally["yes"].(float64) != 4 || tally["result"] != "failed" {
		t.Fatalf("minutes %v", tally)
	}
}

func TestNomineesUnderOtherSpellingsMayNotVote(t *testing.T) {
	b := setup(t)
	for i, name := range []string{"VI VĂN QUÝ", "Vi  Văn Quý", "Vi Van Quy"} {
		b.addUser(fmt.Sprintf("tinh.quy%d", i), name, "council_member", seed.Province)
	}
	b.reloadAuthz()
	id := b.deptDossier("Vi Văn Quý", "Lương Thị Mai")
	b.actOn(http.StatusOK, "tinh.appraiser", id, map[string]any{"action": "accept"})
	b.actOn(http.StatusOK, "tinh.appraiser", id, map[string]any{"action": "approve"})
	for i := range 3 {
		r := b.must(http.StatusForbidden, fmt.Sprintf("tinh.quy%d", i), "POST", "/api/v1/nominations/"+id+"/votes", map[string]any{"choice": "yes"})
		if !strings.Contains(problemDetail(r), "recused") {
			t.Errorf("vote of a namesake of the nominee: %s", r.raw)
		}
	}
	if got := b.count("council_ballots"); got != 0 {
		t.Fatalf("refused votes left %d ballots", got)
	}
	// The namesakes are not counted as members either: nine eligible, as before.
	n := b.councilVotes(id, "tinh.council_chair", provincialCouncil[:6], "yes")
	sessions := b.must(http.StatusOK, "tinh.council_secretary", "GET", "/api/v1/nominations/"+id+"/council", nil).body["sessions"].([]any)
	if tally := sessions[0].(map[string]any)["tally"].(map[string]any); tally["members"].(float64) != 9 || n["status"] != "deciding" {
		t.Fatalf("tally %v, status %v", tally, n["status"])
	}
}

func TestAppraiserAndDeciderNamedAsNomineesAreRefused(t *testing.T) {
	b := setup(t)
	appraiser, decider := b.fullName("tinh.appraiser"), b.fullName("tinh.decider")

	own := b.deptDossier(strings.ToUpper(appraiser))
	r := b.must(http.StatusForbidden, "tinh.appraiser", "POST", "/api/v1/nominations/"+own+"/actions", map[string]any{"action": "accept"})
	if !strings.Contains(problemDetail(r), "nominee") {
		t.Fatalf("the appraiser accepted a dossier naming them: %s", r.raw)
	}
	if b.status(own) != "intake" {
		t.Fatalf("refused accept changed the dossier: %s", b.status(own))
	}

	id := b.deptDossier(decider, "Lương Thị Mai")
	b.actOn(http.StatusOK, "tinh.appraiser", id, map[string]any{"action": "accept"})
	b.actOn(http.StatusOK, "tinh.appraiser", id, map[string]any{"action": "approve"})
	if n := b.councilVotes(id, "tinh.council_chair", provincialCouncil[:6], "yes"); n["status"] != "deciding" {
		t.Fatalf("after the council: %v", n["status"])
	}
	// The page offers the decider no decide button, and the API refuses the decision.
	if acts := b.must(http.StatusOK, "tinh.decider", "GET", "/api/v1/nominations/"+id, nil).body; acts["status"] != "deciding" {
		t.Fatalf("dossier %v", acts)
	}
	r = b.must(http.StatusForbidden, "tinh.decider", "POST", "/api/v1/nominations/"+id+"/actions", map[string]any{"action": "decide"})
	if !strings.Contains(problemDetail(r), "nominee") {
		t.Fatalf("the decider decided their own award: %s", r.raw)
	}
}

func TestOnePersonHoldsOneDutyPerLevelEvenUnderADelegation(t *testing.T) {
	b := setup(t)
	today := time.Now().In(time.FixedZone("ICT", 7*3600)).Format("2006-01-02")
	b.must(http.StatusCreated, "tinh.decider", "POST", "/api/v1/delegations", map[string]any{
		"to_user_id": meID(b, "tinh.appraiser"), "valid_from": today, "valid_to": today, "reason": "Đi công tác"})
	id := b.deptDossier("Hoàng Văn Tùng")
	b.actOn(http.StatusOK, "tinh.appraiser", id, map[string]any{"action": "accept"})
	b.actOn(http.StatusOK, "tinh.appraiser", id, map[string]any{"action": "approve"})
	b.councilVotes(id, "tinh.council_chair", provincialCouncil[:6], "yes")
	r := b.must(http.StatusForbidden, "tinh.appraiser", "POST", "/api/v1/nominations/"+id+"/actions", map[string]any{"action": "decide"})
	if !strings.Contains(problemDetail(r), "already appraised") {
		t.Fatalf("the appraiser decided under the decider's delegation: %s", r.raw)
	}
	if b.status(id) != "deciding" {
		t.Fatalf("refused decision changed the dossier: %s", b.status(id))
	}
	// Another delegate decides for the decider: the history shows on whose behalf.
	b.addUser("tinh.staff", "Lục Thị Thơm", "auditor", seed.Province)
	b.reloadAuthz()
	b.must(http.StatusCreated, "tinh.decider", "POST", "/api/v1/delegations", map[string]any{
		"to_user_id": meID(b, "tinh.staff"), "valid_from": today, "valid_to": today, "reason": "Đi công tác"})
	if n := b.actOn(http.StatusOK, "tinh.staff", id, map[string]any{"action": "decide"}); n["status"] != "decided" {
		t.Fatalf("after the delegate's decision: %v", n["status"])
	}
	events := b.must(http.StatusOK, "tinh.decider", "GET", "/api/v1/nominations/"+id+"/history", nil).body["events"].([]any)
	last := events[len(events)-1].(map[string]any)
	if last["action"] != "decide" || int64(last["on_behalf_of"].(float64)) != meID(b, "tinh.decider") || last["on_behalf_of_name"] != b.fullName("tinh.decider") {
		t.Fatalf("the history does not show on whose behalf the decision was taken: %v", last)
	}
}

func TestNoAdministratorObtainsARoleThroughAnAccountTheyMade(t *testing.T) {
	b := setup(t)
	// An administrator of the province whose home unit is a commune of Cao Lộc.
	b.addUser("tinh.admin2", "Hà Văn Khải", "admin", seed.Province)
	if _, err := b.pool.Exec(context.Background(), `UPDATE users SET unit_id = $1 WHERE username = 'tinh.admin2'`, seed.DemoCommune); err != nil {
		t.Fatal(err)
	}
	b.reloadAuthz()
	// An admin role at the province is granted from above it, not by the province's own admin.
	clerk := meID(b, "xa.clerk")
	r := b.must(http.StatusForbidden, "tinh.admin", "POST", fmt.Sprintf("/api/v1/admin/users/%d/roles", clerk),
		map[string]any{"role": "admin", "unit_id": seed.Province})
	if !strings.Contains(problemDetail(r), "above") {
		t.Fatalf("admin at the province granted by its own admin: %s", r.raw)
	}
	// tinh.admin2 makes an account administering the district (from above: allowed)…
	u := b.must(http.StatusCreated, "tinh.admin2", "POST", "/api/v1/admin/users", map[string]any{
		"username": "huyen.admin9", "full_name": "Bế Văn Chín", "unit_id": seed.DemoDistrict, "password": seed.DemoPassword}).body
	made := int64(u["id"].(float64))
	g := b.must(http.StatusCreated, "tinh.admin2", "POST", fmt.Sprintf("/api/v1/admin/users/%d/roles", made),
		map[string]any{"role": "admin", "unit_id": seed.DemoDistrict}).body
	if roles := g["roles"].([]any); int64(roles[0].(map[string]any)["granted_by"].(float64)) != meID(b, "tinh.admin2") {
		t.Fatalf("the grant does not record its grantor: %v", roles)
	}
	// …which then tries to give its maker a decider role in the district: refused.
	r = b.must(http.StatusForbidden, "huyen.admin9", "POST", fmt.Sprintf("/api/v1/admin/users/%d/roles", meID(b, "tinh.admin2")),
		map[string]any{"role": "decider", "unit_id": seed.DemoDistrict})
	if !strings.Contains(problemDetail(r), "created your account") {
		t.Fatalf("an account granted a role to the administrator who made it: %s", r.raw)
	}
	var n int
	if err := b.pool.QueryRow(context.Background(), `SELECT count(*) FROM role_assignments r JOIN users u ON u.id = r.user_id
		WHERE u.username = 'tinh.admin2' AND r.role = 'decider'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("decider roles of tinh.admin2: %d (%v)", n, err)
	}
}

func TestExtraordinaryProcedureAppliesOnlyOnceTheAppraiserConfirmsIt(t *testing.T) {
	b := setup(t)
	b.addUser("so.clerk", "Nông Thị Lan", "clerk", "LS-SGDDT")
	b.reloadAuthz()
	create := func() string {
		n := b.must(http.StatusCreated, "so.clerk", "POST", "/api/v1/nominations", map[string]any{
			"unit_id": "LS-SGDDT", "award_code": "BK_TINH", "year": 2026, "kind": "extraordinary",
			"nominees": []map[string]any{{"kind": "individual", "name": "Hoàng Văn Tùng", "achievements": "Cứu người trong lũ"}}}).body
		if n["procedure"] != "standard" {
			t.Fatalf("a clerk's proposal changed the procedure at once: %v", n["procedure"])
		}
		for _, st := range n["route"].([]any) {
			if st.(map[string]any)["unit_id"] == seed.Province && st.(map[string]any)["council"] != true {
				t.Fatalf("the proposal removed the council stage: %v", n["route"])
			}
		}
		id := n["id"].(string)
		b.must(http.StatusOK, "so.clerk", "POST", "/api/v1/nominations/"+id+"/submit", nil)
		return id
	}
	unconfirmed := create()
	if n := b.actOn(http.StatusOK, "tinh.appraiser", unconfirmed, map[string]any{"action": "accept"}); n["status"] != "appraising" {
		t.Fatalf("accept: %v", n["status"])
	}
	if n := b.actOn(http.StatusOK, "tinh.appraiser", unconfirmed, map[string]any{"action": "approve"}); n["status"] != "voting" {
		t.Fatalf("an unconfirmed proposal skipped the council: %v", n["status"])
	}
	confirmed := create()
	b.actOn(http.StatusBadRequest, "tinh.appraiser", confirmed, map[string]any{"action": "approve", "confirm_simplified": true})
	n := b.actOn(http.StatusOK, "tinh.appraiser", confirmed, map[string]any{"action": "accept", "confirm_simplified": true})
	if n["procedure"] != "simplified" {
		t.Fatalf("confirmation not recorded: %v", n["procedure"])
	}
	if n = b.actOn(http.StatusOK, "tinh.appraiser", confirmed, map[string]any{"action": "approve"}); n["status"] != "deciding" {
		t.Fatalf("the confirmed simplified procedure should skip the council: %v", n["status"])
	}
}
