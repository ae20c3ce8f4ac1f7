package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/campaigns"
	"github.com/tdkt/tdkt/internal/review"
	"github.com/tdkt/tdkt/internal/seed"
)

// districtCampaign launches, through the application as the district's standing
// body, a movement of huyện Cao Lộc and its annual review to which only the demo
// commune reports (the district is the requesting unit, so its report is the
// aggregate), and waits until the commune's report workflow runs. The deadline is 40
// days from the real clock, which the Temporal server's timers follow.
func (b *bundle) districtCampaign() string {
	b.t.Helper()
	ctx := context.Background()
	huyen := b.userID("huyen.appraiser")
	m, err := b.svc.LaunchMovement(ctx, huyen, campaigns.LaunchMovementInput{UnitID: seed.DemoDistrict,
		Name: "Cao Lộc chung tay vì người nghèo", PeriodStart: "2025-01-01", PeriodEnd: "2030-12-31", TemplateCode: review.Template1258})
	if err != nil {
		b.t.Fatal(err)
	}
	final := time.Now().In(calendar.Zone).AddDate(0, 0, 40).Format(time.DateOnly)
	c, err := b.svc.LaunchCampaign(ctx, huyen, campaigns.LaunchCampaignInput{MovementID: m.ID, Kind: "annual", FinalDeadline: final,
		LetterNumber: "15/UBND-NV", TargetUnitIDs: []string{seed.DemoCommune}})
	if err != nil {
		b.t.Fatal(err)
	}
	b.eventually("the commune's report workflow", func() bool {
		_, err := b.svc.Temporal.DescribeWorkflowExecution(ctx, review.UnitWorkflowID(c.ID, seed.DemoCommune), "")
		return err == nil
	})
	return c.ID
}

// eventually polls cond every 100 ms for up to 20 s.
func (b *bundle) eventually(what string, cond func() bool) {
	b.t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if cond() {
			return
		}
	}
	b.t.Fatalf("timed out waiting for %s", what)
}

// reportEvents counts a report's recorded events.
func (b *bundle) reportEvents(campaignID, unitID string) int {
	b.t.Helper()
	var n int
	if err := b.pool.QueryRow(context.Background(), `SELECT count(*) FROM review_events e JOIN review_reports r ON r.id = e.report_id
		WHERE r.campaign_id = $1 AND r.unit_id = $2`, campaignID, unitID).Scan(&n); err != nil {
		b.t.Fatal(err)
	}
	return n
}

var reportVersionRe = regexp.MustCompile(`name="version" value="(\d+)"`)

// reportForm is the report form's fields with the version the page shows.
func reportForm(t *testing.T, p page, action string, fields map[string]string) url.Values {
	t.Helper()
	m := reportVersionRe.FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("%s has no report form:\n%s", p.url, p.body)
	}
	f := url.Values{"action": {action}, "version": {m[1]}}
	for k, v := range fields {
		f.Set(k, v)
	}
	return f
}

// TestReviewReportReturnedResubmittedAndAcceptedThroughTheForms: the commune clerk
// finds "my unit's report" on the campaign page (its head may only submit), types
// figures the Vietnamese way and sees malformed ones refused next to their fields
// with nothing recorded; saves a draft and submits; a clerk of another district is refused the page and its
// actions; the district's standing body must give a reason to return the report,
// returns it; the clerk sees the reason, corrects and resubmits; the district accepts.
// The district's report, pre-filled with the aggregate, carries the commune's
// figures and the percentage computed from them, and the history lists every step.
func TestReviewReportReturnedResubmittedAndAcceptedThroughTheForms(t *testing.T) {
	b := setup(t)
	id := b.districtCampaign()
	reportPath := "/reviews/" + id + "/reports/" + seed.DemoCommune

	clerk := b.login("xa.clerk")
	clerk.get("/reviews/"+id).must(t, 200).has(t, `id="my-reports"`, `href="`+reportPath+`"`, "Báo cáo của đơn vị tôi")
	p := clerk.get(reportPath).must(t, 200).has(t, `id="report-form"`, `name="n.so_ho"`, `id="report-save"`, `id="report-submit"`,
		"Chưa thực hiện", "ngày làm việc", `href="/api/v1/reviews/`+id+`/reports/`+seed.DemoCommune+`/export?format=docx"`, "tự tính").
		lacks(t, `href="/reviews/`+id+`/reports/`+seed.DemoDistrict+`"`) // the district's report is not the commune's to read

	// The commune's head may submit it but keeps no drafts.
	b.login("xa.head").get(reportPath).must(t, 200).has(t, `id="report-submit"`).lacks(t, `id="report-save"`)

	// Malformed figures: re-rendered with the errors beside the fields, nothing recorded.
	before := b.reportEvents(id, seed.DemoCommune)
	bad := clerk.post(reportPath, reportForm(t, p, "save", map[string]string{
		"n.so_ho": "12,5", "n.so_ho_ngheo": "-3", "n.so_ho_can_ngheo": "nhiều", "n.dan_so": "5.000", "t.ket_qua": "Đã rà soát hộ nghèo."}))
	bad.must(t, http.StatusUnprocessableEntity).has(t, `id="form-error"`, "Nhập số nguyên không âm", `value="12,5"`, `value="nhiều"`,
		`aria-describedby="err-n.so_ho"`, `id="err-n.so_ho_ngheo"`, "Đã rà soát hộ nghèo.")
	if strings.Count(bad.body, `class="error" id="err-n.`) != 3 {
		t.Fatalf("want 3 field errors:\n%s", bad.body)
	}
	if after := b.reportEvents(id, seed.DemoCommune); after != before {
		t.Fatalf("an invalid form recorded %d events", after-before)
	}

	// A draft, then the submission.
	p = clerk.post(reportPath, reportForm(t, bad, "save", map[string]string{
		"n.so_ho": "1.200", "n.so_ho_ngheo": "150", "t.ket_qua": "Đã rà soát hộ nghèo."})).must(t, 200).
		has(t, "Đã lưu nháp báo cáo", `value="1.200"`, "Đang soạn")
	p = clerk.post(reportPath, reportForm(t, p, "submit", nil)).must(t, 200).has(t, "Đã gửi báo cáo lên cấp trên", "Đã gửi").
		lacks(t, `id="report-form"`)

	// Another district's clerk may neither read the report nor act on it.
	other := b.login("xa2.clerk")
	other.get(reportPath).must(t, http.StatusForbidden)
	other.post(reportPath, url.Values{"action": {"save"}, "n.so_ho": {"1"}}).must(t, http.StatusForbidden)
	other.post(reportPath, url.Values{"action": {"save"}, "n.so_ho": {"không phải số"}}).must(t, http.StatusForbidden)

	// The district returns it: a reason is required.
	appraiser := b.login("huyen.appraiser")
	ap := appraiser.get(reportPath).must(t, 200).has(t, `id="report-accept"`, `id="report-return"`, "1.200", "12,5",
		`href="/reviews/`+id+`/reports/`+seed.DemoDistrict+`"`).lacks(t, `id="report-form"`)
	appraiser.post(reportPath, reportForm(t, ap, "return", nil)).must(t, http.StatusUnprocessableEntity).has(t, "Ghi rõ nội dung cần chỉnh sửa")
	appraiser.post(reportPath, reportForm(t, ap, "return", map[string]string{"reason": "Số hộ nghèo chưa khớp danh sách rà soát"})).
		must(t, 200).has(t, "Đã trả lại báo cáo kèm lý do", "Bị trả lại")

	// The clerk sees why, corrects and sends it again.
	p = clerk.get(reportPath).must(t, 200).has(t, `id="return-reason"`, "Số hộ nghèo chưa khớp danh sách rà soát", "Gửi lại báo cáo")
	clerk.post(reportPath, reportForm(t, p, "submit", map[string]string{"n.so_ho_ngheo": "160"})).must(t, 200).has(t, "Đã gửi báo cáo lên cấp trên")
	ap = appraiser.get(reportPath).must(t, 200).has(t, "160", "13,33")
	appraiser.post(reportPath, reportForm(t, ap, "accept", nil)).must(t, 200).has(t, "Đã tiếp nhận báo cáo", "Đã tiếp nhận")
	clerk.get(reportPath).must(t, 200).has(t, `id="report-history"`, "Lưu nháp", "Trả lại", "Lý do: Số hộ nghèo chưa khớp danh sách rà soát",
		"Tiếp nhận", "Hoàng Thị Lan", "Mã Thị Thu").lacks(t, `id="report-accept"`)

	// The district's own report is the aggregate, pre-filled from the commune.
	districtPath := "/reviews/" + id + "/reports/" + seed.DemoDistrict
	b.eventually("the district's pre-filled aggregate", func() bool {
		d := appraiser.get(districtPath)
		return d.status == 200 && strings.Contains(d.body, `<tr id="ind-so_ho_ngheo">`) &&
			regexp.MustCompile(`(?s)<tr id="ind-so_ho_ngheo">.*?tổng hợp.*?160.*?</tr>`).MatchString(d.body)
	})
	appraiser.get(districtPath).must(t, 200).has(t, "Tổng hợp từ đơn vị trực thuộc", "1.200", "13,33", "1/1 đơn vị trực thuộc đã báo cáo",
		`href="`+reportPath+`"`)
	appraiser.get("/reviews/"+id).must(t, 200).has(t, `href="`+reportPath+`"`, "160")

	// The same pages in English.
	en := b.login("xa.clerk")
	en.lang = "en"
	en.get("/reviews/"+id).must(t, 200).has(t, "My unit&#39;s report")
	en.get(reportPath).must(t, 200).has(t, "Unit&#39;s figure", "History", "Reason: Số hộ nghèo chưa khớp danh sách rà soát", "Accepted")
}

// TestMovementScheduleAndCampaignThroughTheForms: the province's standing body
// launches a movement (a malformed date is refused beside its field); the commune
// clerk registers the commune and cannot touch the schedules; the standing body
// creates the annual review's schedule (an hour outside the working day is
// refused), pauses it, resumes it and runs it now, which opens a campaign; it then
// requests a final review of the districts through the campaign form (a past
// deadline is refused), which a district reads but may not run, moves its deadline
// and closes it.
func TestMovementScheduleAndCampaignThroughTheForms(t *testing.T) {
	b := setup(t)
	tinh := b.login("tinh.appraiser")
	tinh.get("/movements").must(t, 200).has(t, `id="movement-new"`, `href="/movements"`)
	tinh.get("/movements/new").must(t, 200).has(t, `id="movement-form"`)
	movements := b.count("movements")
	form := url.Values{"unit_id": {seed.Province}, "name": {"Lạng Sơn chung sức xây dựng nông thôn mới"}, "decision_number": {"12/KH-UBND"},
		"decision_date": {"05/01/2026"}, "period_start": {"32/01/2026"}, "period_end": {"31/12/2030"},
		"goals": {"Đến năm 2030 có 60% số xã đạt chuẩn nông thôn mới."}, "template_code": {review.TemplateGeneral}}
	tinh.post("/movements/new", form).must(t, http.StatusUnprocessableEntity).has(t, "Nhập ngày theo dạng dd/mm/yyyy", `value="32/01/2026"`)
	if b.count("movements") != movements {
		t.Fatal("a malformed movement was stored")
	}
	form.Set("period_start", "01/01/2026")
	mp := tinh.post("/movements/new", form).must(t, 200).has(t, "Đã phát động phong trào thi đua", "01/01/2026 – 31/12/2030", `id="schedule-new"`)
	movementPath := strings.TrimPrefix(strings.SplitN(mp.url, "?", 2)[0], b.url)

	// The commune registers; it sees no schedule forms and may not use them.
	clerk := b.login("xa.clerk")
	clerk.get(movementPath).must(t, 200).has(t, `id="register-form"`, "UBND xã Bảo Lâm").lacks(t, `id="schedule-new"`, `id="campaign-new"`)
	clerk.post(movementPath+"/register", url.Values{"unit_id": {seed.DemoCommune}, "commitments": {""}}).
		must(t, http.StatusUnprocessableEntity).has(t, "Nêu các nội dung đơn vị đăng ký thi đua")
	clerk.post(movementPath+"/register", url.Values{"unit_id": {seed.DemoCommune}, "commitments": {"Xây dựng 2 thôn nông thôn mới kiểu mẫu."}}).
		must(t, 200).has(t, "Đã đăng ký thi đua cho đơn vị", "Xây dựng 2 thôn nông thôn mới kiểu mẫu.")
	clerk.post(movementPath+"/schedules", url.Values{"kind": {"annual"}}).must(t, http.StatusForbidden)

	// The annual review's schedule: created, paused with a note, resumed, run now.
	schedules := b.count("review_schedules")
	tinh.post(movementPath+"/schedules", url.Values{"kind": {"annual"}, "hour": {"3"}}).
		must(t, http.StatusUnprocessableEntity).has(t, "Chọn giờ trong ngày làm việc, từ 7 đến 23")
	if b.count("review_schedules") != schedules {
		t.Fatal("a refused schedule was stored")
	}
	tinh.post(movementPath+"/schedules", url.Values{"kind": {"annual"}, "day": {"15"}, "month": {"11"}, "hour": {"9"}, "max_depth": {"1"}}).
		must(t, 200).has(t, "Đã lập lịch sơ kết, tổng kết định kỳ", `id="schedule-annual"`, "Hằng năm ngày 15/11, lúc 9 giờ")
	tinh.post(movementPath+"/schedules/annual/pause", url.Values{"note": {"Chờ hướng dẫn của Trung ương"}}).
		must(t, 200).has(t, "Đã tạm dừng lịch", `id="schedule-annual-paused"`, "Chờ hướng dẫn của Trung ương", `id="schedule-unpause-annual"`)
	tinh.post(movementPath+"/schedules/annual", url.Values{"day": {"1"}, "month": {"12"}, "hour": {"8"}, "max_depth": {"1"}, "deadline_working_days": {"20"}}).
		must(t, 200).has(t, "Đã lưu lịch", "Hằng năm ngày 1/12, lúc 8 giờ", "Hạn báo cáo sau 20 ngày làm việc")
	tinh.post(movementPath+"/schedules/annual/unpause", url.Values{}).must(t, 200).has(t, "Đã tiếp tục lịch").lacks(t, `id="schedule-annual-paused"`)
	tinh.post(movementPath+"/schedules/annual/trigger", url.Values{}).must(t, 200).has(t, "Đã cho chạy lịch ngay")
	b.eventually("the scheduled campaign on the movement's page", func() bool {
		return strings.Contains(tinh.get(movementPath).body, `id="movement-campaigns"`)
	})

	// A final review requested through the form: a past deadline is refused.
	cf := tinh.get("/reviews/new?movement="+strings.TrimPrefix(movementPath, "/movements/")).must(t, 200).has(t, `id="campaign-form"`)
	campaigns := b.count("review_campaigns")
	launch := url.Values{"movement_id": {strings.TrimPrefix(movementPath, "/movements/")}, "unit_id": {seed.Province}, "kind": {"final"},
		"letter_number": {"88/UBND-NV"}, "letter_date": {"20/11/2026"}, "final_deadline": {"01/01/2020"}, "gap_working_days": {"5"},
		"reminder_working_days": {"2"}, "max_depth": {"1"}}
	for _, m := range targetBoxRe.FindAllStringSubmatch(cf.body, -1) { // every district, checked by default
		if m[3] != "" {
			launch.Add("targets."+seed.Province, m[2])
		}
	}
	tinh.post("/reviews/new", launch).must(t, http.StatusUnprocessableEntity).has(t, "Thời hạn phải sau hôm nay", `value="01/01/2020"`)
	if b.count("review_campaigns") != campaigns {
		t.Fatal("a refused campaign was stored")
	}
	final := time.Now().In(calendar.Zone).AddDate(0, 0, 30)
	launch.Set("final_deadline", final.Format("02/01/2006"))
	cp := tinh.post("/reviews/new", launch).must(t, 200).has(t, "Đã gửi yêu cầu báo cáo đến các đơn vị", "88/UBND-NV", `id="campaign-manage"`,
		"Tổng kết", final.Format("02/01/2006"))
	campaignPath := strings.TrimPrefix(strings.SplitN(cp.url, "?", 2)[0], b.url)
	// A district taking part reads it but may not run it; the commune takes no part.
	district := b.login("huyen.clerk")
	district.get(campaignPath).must(t, 200).has(t, `id="my-reports"`).lacks(t, `id="campaign-manage"`)
	district.post(campaignPath+"/close", url.Values{}).must(t, http.StatusForbidden)
	clerk.get(campaignPath).must(t, http.StatusForbidden)

	// The campaign's workflow records its deadline plan as it starts; the requesting
	// unit acts on it once that is done (as a person would, a moment later).
	campaignID := strings.TrimPrefix(campaignPath, "/reviews/")
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		var planned bool
		if err := b.pool.QueryRow(context.Background(), `SELECT EXISTS (SELECT 1 FROM review_events e JOIN review_reports r ON r.id = e.report_id
			WHERE r.campaign_id = $1 AND e.action = 'plan')`,
			campaignID).Scan(&planned); err != nil {
			t.Fatal(err)
		}
		if planned {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the campaign recorded no deadline plan")
		}
	}
	later := final.AddDate(0, 0, 7).Format("02/01/2006")
	tinh.post(campaignPath+"/deadlines", url.Values{"final_deadline": {"31/02/2027"}}).must(t, http.StatusUnprocessableEntity).
		has(t, "Nhập ngày theo dạng dd/mm/yyyy")
	tinh.post(campaignPath+"/deadlines", url.Values{"final_deadline": {later}, "note": {"Gia hạn theo đề nghị của các huyện"}}).
		must(t, 200).has(t, "Đã điều chỉnh thời hạn báo cáo", later)
	tinh.post(campaignPath+"/close", url.Values{"note": {"Kết thúc đợt"}}).must(t, 200).has(t, "Đã kết thúc đợt sơ kết, tổng kết", "Đã kết thúc").
		lacks(t, `id="campaign-manage"`)
}

// provinceMovement launches, through the application as the province's standing
// body, a movement of the province running to 2035.
func (b *bundle) provinceMovement() string {
	b.t.Helper()
	m, err := b.svc.LaunchMovement(context.Background(), b.userID("tinh.appraiser"), campaigns.LaunchMovementInput{UnitID: seed.Province,
		Name: "Lạng Sơn thi đua chuyển đổi số", PeriodStart: "2026-01-01", PeriodEnd: "2035-12-31", TemplateCode: review.TemplateGeneral})
	if err != nil {
		b.t.Fatal(err)
	}
	return m.ID
}

// campaignReportUnits lists the units that report in a campaign, by depth then id.
func (b *bundle) campaignReportUnits(campaignID string) []string {
	b.t.Helper()
	rows, err := b.pool.Query(context.Background(), `SELECT unit_id FROM review_reports WHERE campaign_id = $1 ORDER BY depth, unit_id`, campaignID)
	if err != nil {
		b.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			b.t.Fatal(err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		b.t.Fatal(err)
	}
	return out
}

var targetBoxRe = regexp.MustCompile(`<input type="checkbox" id="target-` + seed.Province + `-([^"]+)" name="targets\.` + seed.Province + `" value="([^"]+)"( checked)?>`)

// TestCampaignFormChoosesTheReportingUnits: the campaign form lists the districts
// directly below the province, all checked; with none checked it comes back with
// the error beside the fieldset and nothing is written; a unit outside the
// province (forged) is refused by the application with nothing written; with two
// districts checked only those two report to the province.
func TestCampaignFormChoosesTheReportingUnits(t *testing.T) {
	b := setup(t)
	movement := b.provinceMovement()
	tinh := b.login("tinh.appraiser")
	f := tinh.get("/reviews/new?movement="+movement).must(t, 200).
		has(t, `id="targets-`+seed.Province+`"`, "Đơn vị báo cáo cho UBND tỉnh Lạng Sơn", `value="`+seed.DemoDistrict+`"`, `value="`+seed.OtherDistrict+`"`).
		lacks(t, `value="`+seed.DemoCommune+`"`) // only the units directly below
	boxes := targetBoxRe.FindAllStringSubmatch(f.body, -1)
	if len(boxes) < 3 {
		t.Fatalf("want the province's districts as checkboxes, got %d:\n%s", len(boxes), f.body)
	}
	var other string // a district left unchecked
	for _, m := range boxes {
		if m[3] == "" {
			t.Fatalf("district %s is not checked by default", m[2])
		}
		if m[2] != seed.DemoDistrict && m[2] != seed.OtherDistrict && other == "" {
			other = m[2]
		}
	}

	final := time.Now().In(calendar.Zone).AddDate(0, 0, 30).Format("02/01/2006")
	launch := url.Values{"movement_id": {movement}, "unit_id": {seed.Province}, "kind": {"annual"}, "letter_number": {"21/UBND-NV"},
		"final_deadline": {final}, "gap_working_days": {"5"}, "reminder_working_days": {"2"}, "max_depth": {"1"}}
	campaigns, reports := b.count("review_campaigns"), b.count("review_reports")
	nothingWritten := func(what string) {
		t.Helper()
		if b.count("review_campaigns") != campaigns || b.count("review_reports") != reports {
			t.Fatalf("%s wrote a campaign", what)
		}
	}

	// None checked: the error beside the fieldset, the boxes as they were posted.
	empty := tinh.post("/reviews/new", launch).must(t, http.StatusUnprocessableEntity).
		has(t, `id="err-targets-`+seed.Province+`"`, "Chọn ít nhất một đơn vị báo cáo", `aria-describedby="err-targets-`+seed.Province+`"`, "21/UBND-NV")
	for _, m := range targetBoxRe.FindAllStringSubmatch(empty.body, -1) {
		if m[3] != "" {
			t.Fatalf("district %s is checked again after an empty choice", m[2])
		}
	}
	nothingWritten("an empty choice")

	// A unit outside the province, forged into the form: the application refuses it.
	launch["targets."+seed.Province] = []string{seed.DemoDistrict, seed.Central}
	tinh.post("/reviews/new", launch).must(t, http.StatusUnprocessableEntity).
		has(t, `id="err-targets-`+seed.Province+`"`, "Có đơn vị được chọn không trực thuộc đơn vị yêu cầu báo cáo")
	nothingWritten("a forged unit")

	// Two districts: only they report to the province.
	launch["targets."+seed.Province] = []string{seed.DemoDistrict, seed.OtherDistrict}
	cp := tinh.post("/reviews/new", launch).must(t, 200).has(t, "Đã gửi yêu cầu báo cáo đến các đơn vị", "21/UBND-NV")
	id := strings.TrimPrefix(strings.SplitN(cp.url, "?", 2)[0], b.url+"/reviews/")
	if got, want := strings.Join(b.campaignReportUnits(id), " "), strings.Join([]string{seed.Province, seed.DemoDistrict, seed.OtherDistrict}, " "); got != want {
		t.Fatalf("reports of %s: %s, want %s", id, got, want)
	}
	tinh.get("/reviews/"+id).must(t, 200).has(t, `href="/reviews/`+id+`/reports/`+seed.DemoDistrict+`"`, `href="/reviews/`+id+`/reports/`+seed.OtherDistrict+`"`).
		lacks(t, `href="/reviews/`+id+`/reports/`+other+`"`)
	tinh.get("/reviews/"+id+"/reports/"+seed.OtherDistrict).must(t, 200)
	tinh.get("/reviews/"+id+"/reports/"+other).must(t, http.StatusNotFound)
}

// TestMovementPageShowsTheNextRunsOfASchedule: an annual schedule created through
// the form shows its next three runs (dd/mm/yyyy HH:mm in Vietnam, as Temporal
// computes them), "paused" once paused, and "—" when Temporal cannot describe it,
// the page still opening.
func TestMovementPageShowsTheNextRunsOfASchedule(t *testing.T) {
	b := setup(t)
	movement := b.provinceMovement()
	path := "/movements/" + movement
	tinh := b.login("tinh.appraiser")
	tinh.post(path+"/schedules", url.Values{"kind": {"annual"}, "day": {"15"}, "month": {"11"}, "hour": {"9"}, "max_depth": {"1"}}).
		must(t, 200).has(t, `id="schedule-annual"`, "Lần mở đợt tới")

	now := time.Now().In(calendar.Zone)
	y := now.Year()
	if !time.Date(y, 11, 15, 9, 0, 0, 0, calendar.Zone).After(now) {
		y++
	}
	next := fmt.Sprintf(`<td data-label="Lần mở đợt tới" id="schedule-annual-next">15/11/%d 09:00<br>15/11/%d 09:00<br>15/11/%d 09:00</td>`, y, y+1, y+2)
	tinh.get(path).must(t, 200).has(t, next)
	// A reader of the movement sees them too, through the same authorization.
	b.login("xa.clerk").get(path).must(t, 200).has(t, fmt.Sprintf("15/11/%d 09:00", y))

	tinh.post(path+"/schedules/annual/pause", url.Values{}).must(t, 200).
		has(t, `id="schedule-annual-next">tạm dừng</td>`).lacks(t, fmt.Sprintf("15/11/%d 09:00", y))

	// The schedule gone from Temporal: "—" for it, and the page still opens.
	ctx := context.Background()
	if err := b.svc.Temporal.ScheduleClient().GetHandle(ctx, review.ScheduleID(movement, review.KindAnnual)).Delete(ctx); err != nil {
		t.Fatal(err)
	}
	tinh.get(path).must(t, 200).has(t, `id="schedule-annual-next">—</td>`, `id="schedule-annual"`)
}
