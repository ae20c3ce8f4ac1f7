package campaigns_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tdkt/tdkt/internal/campaigns"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/inbox"
	"github.com/tdkt/tdkt/internal/pgtest"
	"github.com/tdkt/tdkt/internal/review"
	"github.com/tdkt/tdkt/internal/seed"
)

// reviewFixture is a small tree in a fresh database:
//
//	TW ── P ─┬─ D1 ─┬─ C11
//	         │      └─ C12
//	         ├─ D2 ─── C21
//	         └─ S (a department: takes no part)
type reviewFixture struct {
	pool       *pgxpool.Pool
	st         *campaigns.Store
	movementID string
	users      map[string]int64 // "role@unit" → user id
}

func newReviewFixture(t *testing.T) *reviewFixture {
	t.Helper()
	ctx := context.Background()
	pool := pgtest.NewPool(t)
	if err := seed.Reference(ctx, pool); err != nil {
		t.Fatal(err)
	}
	units := [][5]string{
		{"TW", "", "Trung ương", "central", "government"},
		{"P", "TW", "UBND tỉnh P", "province", "people_committee"},
		{"S", "P", "Sở S", "province", "department"},
		{"D1", "P", "UBND huyện D1", "district", "people_committee"},
		{"D2", "P", "UBND huyện D2", "district", "people_committee"},
		{"C11", "D1", "UBND xã C11", "commune", "people_committee"},
		{"C12", "D1", "UBND xã C12", "commune", "people_committee"},
		{"C21", "D2", "UBND xã C21", "commune", "people_committee"},
	}
	for _, u := range units {
		var parent any
		if u[1] != "" {
			parent = u[1]
		}
		if _, err := pool.Exec(ctx, `INSERT INTO units (id, parent_id, name, level, kind) VALUES ($1, $2, $3, $4, $5)`,
			u[0], parent, u[2], u[3], u[4]); err != nil {
			t.Fatal(err)
		}
	}
	f := &reviewFixture{pool: pool, st: campaigns.NewStore(pool), users: map[string]int64{}}
	for _, ra := range [][2]string{{"clerk", "C11"}, {"clerk", "C12"}, {"clerk", "D1"}, {"appraiser", "D1"}, {"clerk", "P"}} {
		var id int64
		if err := pool.QueryRow(ctx, `INSERT INTO users (username, full_name, password_hash, unit_id) VALUES ($1, $1, 'x', $2) RETURNING id`,
			ra[0]+"@"+ra[1], ra[1]).Scan(&id); err != nil {
			t.Fatal(err)
		}
		if _, err := pool.Exec(ctx, `INSERT INTO role_assignments (user_id, role, unit_id) VALUES ($1, $2, $3)`, id, ra[0], ra[1]); err != nil {
			t.Fatal(err)
		}
		f.users[ra[0]+"@"+ra[1]] = id
	}
	f.movementID = "00000000-0000-4000-8000-00000000000a"
	tx, err := f.st.BeginTx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck
	if err := campaigns.CreateMovementTx(ctx, tx, campaigns.NewMovement{ID: f.movementID, WorkflowID: "movement-x", UnitID: "TW",
		Name: "Phong trào", PeriodStart: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), PeriodEnd: time.Date(2030, 12, 31, 0, 0, 0, 0, time.UTC),
		TemplateCode: review.Template1258, At: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *reviewFixture) campaign(t *testing.T, id string, mod func(*campaigns.NewCampaign)) (campaigns.CampaignShape, error) {
	t.Helper()
	ctx := context.Background()
	tpl, err := f.st.ReviewTemplate(ctx, review.Template1258)
	if err != nil {
		t.Fatal(err)
	}
	nc := campaigns.NewCampaign{ID: id, WorkflowID: "review-" + id, MovementID: f.movementID, UnitID: "TW", Kind: review.KindAnnual,
		Title: "Sơ kết năm", Template: tpl, FinalDeadline: time.Now().Add(30 * 24 * time.Hour), GapDays: 5, ReminderDays: 2, At: time.Now()}
	if mod != nil {
		mod(&nc)
	}
	tx, err := f.st.BeginTx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck
	shape, err := campaigns.CreateCampaignTx(ctx, tx, nc)
	if err != nil {
		return shape, err
	}
	return shape, tx.Commit(ctx)
}

func TestCreateCampaignBuildsTheTreeOfAdministrativeUnits(t *testing.T) {
	f := newReviewFixture(t)
	ctx := context.Background()
	const id = "00000000-0000-4000-8000-0000000000c1"
	shape, err := f.campaign(t, id, nil)
	if err != nil {
		t.Fatal(err)
	}
	if shape.Units != 6 || shape.Depths != 3 {
		t.Fatalf("shape %+v, want 6 units over 3 levels (the department takes no part)", shape)
	}
	// The number is kept with the campaign (migration 0028), as its reports count it.
	if c, err := f.st.Campaign(ctx, id); err != nil || c.Units != 6 || c.Depths != 3 {
		t.Fatalf("campaign read back: units %d, depths %d (%v); want 6 over 3", c.Units, c.Depths, err)
	}
	children, err := f.st.ChildReports(ctx, id, "P", false)
	if err != nil || len(children) != 2 || children[0].UnitID != "D1" || children[1].UnitID != "D2" || children[0].Values.Numbers != nil {
		t.Fatalf("P's children without values: %+v, %v; want D1 and D2", children, err)
	}
	rows, err := f.st.Reports(ctx, id, "TW", false)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, fmt.Sprintf("%s<%s@%d:%d%v", r.UnitID, r.ParentUnitID, r.Depth, r.ChildrenTotal, r.Missing))
	}
	want := "[TW<@0:1[P] P<TW@1:2[D1 D2] D1<P@2:2[C11 C12] D2<P@2:1[C21] C11<D1@3:0[] C12<D1@3:0[] C21<D2@3:0[]]"
	if fmt.Sprint(got) != want {
		t.Fatalf("reports\n got %v\nwant %s", got, want)
	}
	kids, err := f.st.CampaignChildren(ctx, id, "D1")
	if err != nil || fmt.Sprint(kids) != "[C11 C12]" {
		t.Fatalf("children of D1: %v, %v", kids, err)
	}
	// Only the first level; a target outside the requesting unit's subtree is refused.
	shape, err = f.campaign(t, "00000000-0000-4000-8000-0000000000c2", func(c *campaigns.NewCampaign) { c.MaxDepth = 1 })
	if err != nil || shape.Units != 1 {
		t.Fatalf("max depth 1: %+v, %v", shape, err)
	}
	_, err = f.campaign(t, "00000000-0000-4000-8000-0000000000c3", func(c *campaigns.NewCampaign) { c.UnitID, c.Targets = "D2", []string{"C11"} })
	if !domain.IsKind(err, domain.KindInvalid) {
		t.Fatalf("a target outside the subtree: %v, want invalid", err)
	}
	shape, err = f.campaign(t, "00000000-0000-4000-8000-0000000000c4", func(c *campaigns.NewCampaign) { c.UnitID, c.Targets = "P", []string{"D2"} })
	if err != nil || shape.Units != 2 {
		t.Fatalf("province asking one district: %+v, %v", shape, err)
	}
}

func TestRecordReviewAggregatesFollowsAndIsIdempotent(t *testing.T) {
	f := newReviewFixture(t)
	ctx := context.Background()
	const id = "00000000-0000-4000-8000-0000000000d1"
	if _, err := f.campaign(t, id, nil); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
	past := at.Add(-time.Hour)
	// The communes' deadline is already past: their submissions are late.
	plan := []review.LevelPlan{{Depth: 1, Deadline: at.Add(72 * time.Hour)}, {Depth: 2, Deadline: at.Add(48 * time.Hour)}, {Depth: 3, Deadline: past}}
	seqs := map[string]int{}
	versions := map[string]int{}
	rec := func(unit string, a review.Action, from, to review.Status, v review.Values, mod ...func(*review.Transition)) review.RecordResult {
		t.Helper()
		seqs[unit]++
		if a != review.ActionPlan && a != review.ActionRemind && a != review.ActionOverdue {
			versions[unit]++
		}
		tr := review.Transition{CampaignID: id, UnitID: unit, Seq: seqs[unit], Version: versions[unit], At: at, ActorID: 0,
			Action: a, FromStatus: from, ToStatus: to, Values: v, Plan: plan}
		for _, m := range mod {
			m(&tr)
		}
		res, err := f.st.RecordReview(ctx, tr)
		if err != nil {
			t.Fatalf("record %s %s: %v", unit, a, err)
		}
		// A retry of the same event changes nothing and answers the same.
		again, err := f.st.RecordReview(ctx, tr)
		if err != nil || again != res {
			t.Fatalf("retry of %s %s: %+v, %v; first %+v", unit, a, again, err, res)
		}
		at = at.Add(time.Minute)
		return res
	}
	report := func(unit string) campaigns.Report {
		t.Helper()
		r, err := f.st.Report(ctx, id, unit)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	nums := func(kv ...int64) review.Values {
		return review.Values{Numbers: map[string]int64{"so_ho": kv[0], "so_ho_ngheo": kv[1], "nha_xay_moi": kv[2]}}
	}
	rec("TW", review.ActionPlan, review.StatusCollecting, review.StatusCollecting, review.Values{})
	if d := report("C11").Deadline; d == nil || !d.Equal(past) {
		t.Fatalf("C11's deadline after the plan: %v, want %v", d, past)
	}

	if res := rec("C11", review.ActionSubmit, review.StatusNotStarted, review.StatusSubmitted, nums(100, 20, 1)); !res.Late || res.ParentComplete {
		t.Errorf("C11's submission, after the deadline and before C12's: %+v, want late, D1's set incomplete", res)
	}
	d1 := report("D1")
	if d1.Aggregate.Numbers["so_ho"] != 100 || d1.ChildrenReported != 1 || fmt.Sprint(d1.Missing) != "[C12]" {
		t.Fatalf("D1 after C11: aggregate %v, reported %d, missing %v", d1.Aggregate.Numbers, d1.ChildrenReported, d1.Missing)
	}
	// D1 is pre-filled with what arrived; it corrects one figure.
	rec("D1", review.ActionPrefill, review.StatusNotStarted, review.StatusDraft, review.Values{})
	if v := report("D1").Values.Numbers; v["so_ho"] != 100 || v["so_ho_ngheo"] != 20 {
		t.Fatalf("D1 pre-filled with %v", v)
	}
	rec("D1", review.ActionSave, review.StatusDraft, review.StatusDraft, review.Values{Numbers: map[string]int64{"nha_xay_moi": 5}})
	// C12 arrives: the draft follows the aggregate except the corrected figure.
	if res := rec("C12", review.ActionSubmit, review.StatusNotStarted, review.StatusSubmitted, nums(50, 10, 2)); !res.ParentComplete {
		t.Errorf("C12's submission completes D1's set: %+v", res)
	}
	d1 = report("D1")
	if v := d1.Values.Numbers; v["so_ho"] != 150 || v["so_ho_ngheo"] != 30 || v["nha_xay_moi"] != 5 {
		t.Fatalf("D1 after C12: values %v, want so_ho 150, so_ho_ngheo 30 following, nha_xay_moi kept at 5", v)
	}
	if len(d1.Missing) != 0 || d1.ChildrenReported != 2 {
		t.Fatalf("D1 missing %v, reported %d", d1.Missing, d1.ChildrenReported)
	}
	// Returned: C12 leaves the aggregate until it is submitted again.
	if res := rec("C12", review.ActionReturn, review.StatusSubmitted, review.StatusReturned, review.Values{},
		func(tr *review.Transition) { tr.Reason = "Sai số hộ"; tr.ActorID = f.users["appraiser@D1"] }); res.ParentComplete {
		t.Errorf("a return completes no set: %+v", res)
	}
	d1 = report("D1")
	if d1.Aggregate.Numbers["so_ho"] != 100 || d1.Values.Numbers["so_ho"] != 100 || fmt.Sprint(d1.Missing) != "[C12]" {
		t.Fatalf("D1 after C12's return: aggregate %v values %v missing %v", d1.Aggregate.Numbers, d1.Values.Numbers, d1.Missing)
	}
	if c12 := report("C12"); c12.ReturnedCount != 1 || c12.ReturnReason != "Sai số hộ" {
		t.Fatalf("C12 after the return: %+v", c12)
	}
	// D1 submits; then C12 comes back: D1 is stale, its clerk is told; the aggregate moves, its values do not.
	if res := rec("D1", review.ActionSubmit, review.StatusDraft, review.StatusSubmitted, review.Values{}); res.ParentComplete {
		t.Errorf("D1's submission, D2 not in: P's set complete %+v", res)
	}
	if res := rec("C12", review.ActionSubmit, review.StatusReturned, review.StatusSubmitted, nums(60, 12, 2)); !res.ParentComplete {
		t.Errorf("C12's resubmission completes D1's set again: %+v", res)
	}
	d1 = report("D1")
	if !d1.Stale || d1.Aggregate.Numbers["so_ho"] != 160 || d1.Values.Numbers["so_ho"] != 100 {
		t.Fatalf("D1 after a report that came after its own: stale %v aggregate %v values %v", d1.Stale, d1.Aggregate.Numbers, d1.Values.Numbers)
	}
	// The province's aggregate counts D1's submitted figures.
	if p := report("P"); p.Aggregate.Numbers["so_ho"] != 100 || p.Aggregate.Numbers["nha_xay_moi"] != 5 || fmt.Sprint(p.Missing) != "[D2]" {
		t.Fatalf("P's aggregate %v missing %v", p.Aggregate.Numbers, p.Missing)
	}
	// A gap in the events is refused.
	if _, err := f.st.RecordReview(ctx, review.Transition{CampaignID: id, UnitID: "C21", Seq: 3, Action: review.ActionSave}); err == nil {
		t.Fatal("an event out of order was recorded")
	}
	notes := func(user string) []string {
		ns, err := inbox.NewStore(f.st.Pool).Notifications(ctx, f.users[user], false, 50)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, n := range ns {
			out = append(out, n.Title)
		}
		return out
	}
	if n := notes("clerk@C12"); len(n) != 1 || n[0] != "Báo cáo bị trả lại: Sơ kết năm" {
		t.Errorf("C12's clerk was told %q", n)
	}
	if n := notes("appraiser@D1"); len(n) != 3 {
		t.Errorf("D1's standing body was told %q, want the 3 late submissions", n)
	}
	if n := notes("clerk@D1"); len(n) != 2 {
		t.Errorf("D1's clerk was told %q, want the pre-fill and the report that came after its own", n)
	}
	evs, err := f.st.ReviewEvents(ctx, id, "C12")
	if err != nil || len(evs) != 3 || evs[1].Action != "return" || evs[1].Details["reason"] != "Sai số hộ" {
		t.Fatalf("C12's events: %+v, %v", evs, err)
	}
}
