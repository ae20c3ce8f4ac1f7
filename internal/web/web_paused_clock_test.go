package web_test

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/dossiers"
	"github.com/tdkt/tdkt/internal/inbox"
)

// TestReturnPausesTheClockAndResubmissionResumesIt: the district's standing body
// accepts a dossier and returns it through the form; the return is then dated a
// week back with two working days left on the appraisal (test data, as if the
// dossier had waited at the commune). When the clerk resubmits through the edit
// form, the appraisal is due at the old due date extended by the working days the
// dossier spent returned, not a full new limit of ten working days, and the
// dossier page shows that date.
func TestReturnPausesTheClockAndResubmissionResumesIt(t *testing.T) {
	b := setup(t)
	n := b.newDossier("GK", "household", "Hộ ông Lý Văn Páo")
	id := n.ID
	b.actAs("huyen.appraiser", id, dossiers.ActInput{Action: "accept"})
	appraiser := b.login("huyen.appraiser")
	p := appraiser.get("/dossiers/"+id).must(t, 200)
	appraiser.act(id, p, "return", url.Values{"checklist": {"1"}, "have": {"submission", "report"},
		"missing_other": {"Xác nhận của Trưởng thôn"}}).must(t, 200).has(t, "Đã trả lại hồ sơ")

	ctx := context.Background()
	cal, err := b.svc.RefData.Store.LoadCalendar(ctx)
	if err != nil {
		t.Fatal(err)
	}
	returned := time.Now().Add(-7 * 24 * time.Hour)
	due := cal.AddWorkingDays(returned, 2)
	tag, err := b.pool.Exec(ctx, `UPDATE tasks SET done_at = $2, due_at = $3
		WHERE nomination_id = $1 AND outcome = 'return' AND step = 'appraise'`, id, returned, due)
	if err != nil || tag.RowsAffected() != 1 {
		t.Fatalf("dating the return back: %v (%d rows)", err, tag.RowsAffected())
	}

	clerk := b.login("xa.clerk")
	edit := gkForm("Hộ ông Lý Văn Páo")
	edit.Set("title", "Đề nghị tặng Giấy khen hộ gia đình (đã bổ sung)")
	edit.Set("then", "submit")
	clerk.post("/dossiers/"+id+"/edit", edit).must(t, 200).has(t, "Đã gửi hồ sơ")

	var got, resubmitted time.Time
	if err := b.pool.QueryRow(ctx, `SELECT due_at, created_at FROM tasks
		WHERE nomination_id = $1 AND status = 'open' AND step = 'appraise'`, id).Scan(&got, &resubmitted); err != nil {
		t.Fatal(err)
	}
	paused := cal.WorkingDaysBetween(returned, resubmitted)
	want := cal.AddWorkingDays(due, paused)
	if paused < 4 || !got.Equal(want) {
		t.Fatalf("resubmitted after %d paused working days: due %s, want %s (the old due %s extended)", paused, got, want, due)
	}
	if fresh := cal.AddWorkingDays(resubmitted, 10); !got.Before(fresh) {
		t.Fatalf("due %s is a full new limit (%s)", got, fresh)
	}
	appraiser.get("/dossiers/"+id).must(t, 200).has(t, got.In(calendar.Zone).Format("02/01/2006"))
}

// TestAtRiskFromThreeQuartersOfTheStepLimit: of two appraisals (ten working days)
// of the district, one due in one working day on the application's clock (9 of 10
// days used) and one due in five, the deadline board counts one at risk, in total
// and for the appraisal step, and the page shows it; the inbox flags that task at
// risk and not the other.
func TestAtRiskFromThreeQuartersOfTheStepLimit(t *testing.T) {
	b := setup(t)
	soon := b.newDossier("GK", "household", "Hộ ông Lý Văn Páo")
	later := b.newDossier("GK", "household", "Hộ bà Hoàng Thị Lụa")
	ctx := context.Background()
	cal, err := b.svc.RefData.Store.LoadCalendar(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for id, days := range map[string]int{soon.ID: 1, later.ID: 5} {
		b.actAs("huyen.appraiser", id, dossiers.ActInput{Action: "accept"})
		if _, err := b.pool.Exec(ctx, `UPDATE tasks SET due_at = $2 WHERE nomination_id = $1 AND status = 'open' AND step = 'appraise'`,
			id, cal.AddWorkingDays(beforeReform(), days)); err != nil {
			t.Fatal(err)
		}
	}
	board, err := b.svc.Deadlines(ctx, b.userID("huyen.appraiser"), inbox.DeadlineQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if board.Totals.AtRisk != 1 || board.Totals.ByStep["appraise"].AtRisk != 1 {
		t.Fatalf("at risk: total %d, appraisal %d; want 1 and 1", board.Totals.AtRisk, board.Totals.ByStep["appraise"].AtRisk)
	}
	br := b.login("huyen.appraiser")
	br.get("/deadlines").must(t, 200).has(t, `id="total-risk"><span class="badge due-soon">1</span>`, "Sắp quá hạn (đã qua 75 % thời hạn)")
	// The inbox's flag, as the API returns it (the page words it with the web
	// server's own clock, which this harness does not set).
	tasks, err := b.svc.InboxWithAssignees(ctx, b.userID("huyen.appraiser"))
	if err != nil {
		t.Fatal(err)
	}
	risk := map[string]bool{}
	for _, e := range tasks {
		risk[e.NominationID] = e.AtRisk
	}
	if !risk[soon.ID] || risk[later.ID] {
		t.Fatalf("inbox at risk: due in 1 day %v, in 5 days %v; want true, false", risk[soon.ID], risk[later.ID])
	}
}
