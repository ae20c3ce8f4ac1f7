package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/xuri/excelize/v2"

	"github.com/tdkt/tdkt/internal/accounts"
	"github.com/tdkt/tdkt/internal/awards"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/dossiers"
	"github.com/tdkt/tdkt/internal/seed"
)

// TestForwardFormOffersOnlyLowerAwardsAndKeepsTheChoices: the district's leader
// forwards a commune's Bằng khen tỉnh with two nominees. The per-nominee outcomes
// sit in the main column and offer, as a lower award, only the Giấy khen that the
// district may grant (not a Huân chương, not the Prime Minister's Bằng khen, not
// the proposed award itself). A downgrade without an award, or to an award the
// district may not grant, is refused with the nominee named and every choice
// kept; a valid downgrade forwards the other nominee and gives this one the lower
// award.
func TestForwardFormOffersOnlyLowerAwardsAndKeepsTheChoices(t *testing.T) {
	b := setup(t)
	n := b.newDossier("BK_TINH", "individual", "Hoàng Văn Tùng", "Lý Thị Hoa")
	id := n.ID
	b.actAs("huyen.appraiser", id, dossiers.ActInput{Action: "accept"})
	b.actAs("huyen.appraiser", id, dossiers.ActInput{Action: "approve"})
	ids := b.nomineeIDs(id)

	head := b.login("huyen.decider")
	p := head.get("/dossiers/"+id).must(t, 200).has(t, `id="pass-on"`, `id="forward-form" data-confirm="Ký tờ trình`, `id="go-outcomes"`,
		`<select id="award_`+ids[0]+`" name="award_`+ids[0]+`"><option value=""></option><option value="GK" >Giấy khen</option></select>`)
	main := p.body[:strings.Index(p.body, `<aside class="col-side"`)]
	if !strings.Contains(main, `id="forward-form"`) {
		t.Fatal("the forwarding form is not in the main column")
	}
	for _, higher := range []string{`value="HCLD_1"`, `value="BK_TTG"`, `value="BK_TINH"`, `value="CSTD_TINH"`} {
		if strings.Contains(p.body, higher) {
			t.Fatalf("the lower awards include %s", higher)
		}
	}

	refused := head.act(id, p, "forward", url.Values{"outcome_" + ids[0]: {"downgrade"}, "award_" + ids[0]: {"HCLD_1"},
		"oreason_" + ids[0]: {"Thành tích ở mức cơ sở"}, "outcome_" + ids[1]: {"reject"}, "oreason_" + ids[1]: {"Chưa đủ năm công tác"}})
	refused.must(t, http.StatusUnprocessableEntity).
		has(t, "Hoàng Văn Tùng: chọn hình thức khen thấp hơn mà cấp này được quyết định.",
			`<details class="outcomes" id="outcomes" open>`, `<option value="downgrade" selected>`, `<option value="reject" selected>`,
			`value="Thành tích ở mức cơ sở"`, `value="Chưa đủ năm công tác"`).
		lacks(t, "Lý Thị Hoa: chọn")
	head.act(id, p, "forward", url.Values{"outcome_" + ids[1]: {"downgrade"}}).must(t, http.StatusUnprocessableEntity).
		has(t, "Lý Thị Hoa: chưa chọn hình thức khen thấp hơn.")
	if got, _ := b.svc.Nomination(context.Background(), b.userID("huyen.decider"), id); got.Version != n.Version+2 {
		t.Fatalf("a refused form changed the dossier: version %d", got.Version)
	}

	head.act(id, p, "forward", url.Values{"outcome_" + ids[0]: {"downgrade"}, "award_" + ids[0]: {"GK"},
		"oreason_" + ids[0]: {"Thành tích ở mức cơ sở"}}).must(t, 200).has(t, "Đã trình hồ sơ lên cấp trên")
	got, err := b.svc.Nomination(context.Background(), b.userID("huyen.decider"), id)
	if err != nil {
		t.Fatal(err)
	}
	status := map[string]string{}
	for _, nm := range got.Nominees {
		status[nm.Name] = string(nm.Status) + "/" + nm.AwardCode
	}
	if status["Hoàng Văn Tùng"] != "downgraded/GK" || !strings.HasPrefix(status["Lý Thị Hoa"], "pending") {
		t.Fatalf("after the forwarding: %v", status)
	}
}

// TestDeadlinePageCountsPerUnitAndListsTheOverdueTasks: with six dossiers of the
// demo commune and one district task two days overdue, the district's appraiser
// sees on /deadlines the open and overdue counts per unit (the district's own
// tasks and the commune's) and the overdue task with its working days late; the
// commune's clerk sees no overdue task; a horizon out of range is refused.
func TestDeadlinePageCountsPerUnitAndListsTheOverdueTasks(t *testing.T) {
	b := setup(t)
	b.moreDossiers(6)
	district := b.login("huyen.appraiser")
	district.get("/").must(t, 200).has(t, `href="/deadlines"`)
	p := district.get("/deadlines").must(t, 200).has(t, "Theo dõi thời hạn xử lý", `id="deadline-units"`, `id="overdue-tasks"`,
		"UBND huyện Cao Lộc", "Đề nghị tặng Giấy khen hộ gia đình tiêu biểu")
	if !regexp.MustCompile(`id="total-overdue"><span class="badge due-overdue">1</span>`).MatchString(p.body) {
		t.Fatalf("the district's total shows no overdue task:\n%s", p.body)
	}
	// Five submitted dossiers wait at the district, one of them overdue; the draft
	// waits at the commune.
	if !regexp.MustCompile(`id="total-open">6<`).MatchString(p.body) ||
		!regexp.MustCompile(`(?s)data-unit="`+seed.DemoDistrict+`">.*?data-label="Đang mở">5</td>.*?data-label="Quá hạn"><span class="badge due-overdue">1<`).MatchString(p.body) ||
		!regexp.MustCompile(`(?s)data-unit="`+seed.DemoCommune+`">.*?data-label="Đang mở">1</td>.*?data-label="Quá hạn">0<`).MatchString(p.body) {
		t.Fatalf("the counts per unit are not 5 (1 overdue) at the district and 1 at the commune:\n%s", p.body)
	}
	if n := strings.Count(p.body, `<tr class="overdue" data-dossier=`); n != 1 {
		t.Fatalf("%d overdue tasks listed, want 1", n)
	}
	b.login("xa.clerk").get("/deadlines").must(t, 200).lacks(t, `id="overdue-tasks"`)
	district.get("/deadlines?soon=99").must(t, http.StatusBadRequest).has(t, "Thông tin chưa hợp lệ")
}

// TestInboxShowsAwardAssigneeAndDelegationAndClaimsFromThePage: the district's
// appraiser sees each task's award and that nobody handles it yet, claims one from
// the inbox (it then shows her name and a release button), and releases it. The
// district's head, who receives the appraiser's roles by delegation, sees the same
// task marked as delegated; a task id that does not exist is not found.
func TestInboxShowsAwardAssigneeAndDelegationAndClaimsFromThePage(t *testing.T) {
	b := setup(t)
	n := b.newDossier("GK", "household", "Hộ ông Lý Văn Páo")
	appraiser := b.login("huyen.appraiser")
	p := appraiser.get("/inbox").must(t, 200).has(t, `data-label="Hình thức khen thưởng">Giấy khen</td>`, "Chưa phân công")
	m := regexp.MustCompile(`action="/inbox/tasks/(\d+)/claim"`).FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("no claim button:\n%s", p.body)
	}
	task := m[1]
	p = appraiser.post("/inbox/tasks/"+task+"/claim", url.Values{}).must(t, 200).
		has(t, "Bạn đã nhận xử lý việc này.", "Mã Thị Thu", `action="/inbox/tasks/`+task+`/release"`).
		lacks(t, `action="/inbox/tasks/`+task+`/claim"`)
	appraiser.post("/inbox/tasks/"+task+"/release", url.Values{}).must(t, 200).
		has(t, "Đã trả lại việc cho những người cùng vai trò.", `action="/inbox/tasks/`+task+`/claim"`)
	appraiser.post("/inbox/tasks/999999/claim", url.Values{}).must(t, http.StatusNotFound)

	if _, err := b.svc.CreateDelegation(context.Background(), b.userID("huyen.appraiser"), accounts.DelegationInput{
		ToUserID: b.userID("huyen.head"), ValidFrom: "2025-06-16", ValidTo: "2025-06-30", Reason: "Đi công tác"}); err != nil {
		t.Fatal(err)
	}
	b.login("huyen.head").get("/inbox").must(t, 200).has(t, n.ID, `<span class="tag delegated"`)
	appraiser.get("/inbox").must(t, 200).lacks(t, `<span class="tag delegated"`)
}

// TestOutcomeNotificationNamesTheDossierForTheClerk: the notification the Record
// activity writes at a return (dossiers.NotifyOutcomeTx) reaches the commune's clerk
// with the dossier's title, the unit, a Vietnamese date and time, the reason and
// the missing items; writing it twice (a retried activity) leaves one; an action
// that is not an outcome (a comment) writes nothing.
func TestOutcomeNotificationNamesTheDossierForTheClerk(t *testing.T) {
	b := setup(t)
	n := b.newDossier("GK", "household", "Hộ ông Lý Văn Páo")
	at := time.Date(2025, 6, 17, 2, 30, 0, 0, time.UTC)
	tr := domain.Transition{NominationID: n.ID, Seq: 99, At: at, Action: domain.ActionReturn, UnitID: seed.DemoDistrict,
		Reason: "Thiếu biên bản", MissingItems: []string{"Biên bản họp Hội đồng"}}
	ctx := context.Background()
	for range 2 {
		if err := pgx.BeginFunc(ctx, b.pool, func(tx pgx.Tx) error {
			_, err := dossiers.NotifyOutcomeTx(ctx, tx, tr)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	tr.Action, tr.Seq = domain.ActionComment, 100
	if err := pgx.BeginFunc(ctx, b.pool, func(tx pgx.Tx) error {
		got, err := dossiers.NotifyOutcomeTx(ctx, tx, tr)
		if got != 0 {
			t.Errorf("a comment told %d users", got)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	p := b.login("xa.clerk").get("/notifications").must(t, 200).
		has(t, "Hồ sơ bị trả lại, yêu cầu bổ sung: "+n.Title, "UBND huyện Cao Lộc, lúc 09:30 ngày 17/06/2025.",
			"Lý do: Thiếu biên bản.", "Biên bản họp Hội đồng")
	if c := strings.Count(p.body, "Hồ sơ bị trả lại, yêu cầu bổ sung: "); c != 1 {
		t.Fatalf("the notification is shown %d times, want once", c)
	}
	b.login("huyen.appraiser").get("/notifications").must(t, 200).lacks(t, "Hồ sơ bị trả lại, yêu cầu bổ sung")
}

// TestBulkActionFromTheInboxReportsEachDossier: the district's appraiser checks
// three submitted dossiers and a draft the district cannot act on, and accepts them
// with one comment: the page reports the three accepted and the draft refused, each
// by its title, and each accepted dossier went through its own action (its status
// and history). A return without a comment, or nothing checked, is refused before
// anything is done.
func TestBulkActionFromTheInboxReportsEachDossier(t *testing.T) {
	b := setup(t)
	var ids []string
	for _, name := range []string{"Hộ ông A", "Hộ ông B", "Hộ ông C"} {
		ids = append(ids, b.newDossier("GK", "household", name).ID)
	}
	draft, err := b.svc.CreateNomination(context.Background(), b.userID("xa.clerk"), dossiers.CreateNominationInput{UnitID: seed.DemoCommune,
		AwardCode: "GK", Year: 2025, Title: "Hồ sơ còn đang soạn", Nominees: []dossiers.NomineeInput{{Kind: "household", Name: "Hộ ông D"}}})
	if err != nil {
		t.Fatal(err)
	}
	appraiser := b.login("huyen.appraiser")
	appraiser.get("/inbox").must(t, 200).has(t, `id="bulk-form"`, `form="bulk-form"`, `value="`+ids[0]+`"`)
	appraiser.post("/inbox/bulk", url.Values{"bulk_action": {"return"}, "dossier": ids}).must(t, http.StatusUnprocessableEntity)
	appraiser.post("/inbox/bulk", url.Values{"bulk_action": {"accept"}}).must(t, http.StatusUnprocessableEntity)

	p := appraiser.post("/inbox/bulk", url.Values{"bulk_action": {"accept"}, "bulk_note": {"Đã kiểm tra thành phần"},
		"dossier": append(append([]string{}, ids...), draft.ID)}).must(t, 200).
		has(t, "Đã xử lý 3 trên 4 hồ sơ đã chọn.", "Hồ sơ còn đang soạn")
	if ok := strings.Count(p.body, `class="bulk-ok"`); ok != 3 {
		t.Fatalf("%d dossiers reported done, want 3:\n%s", ok, p.body)
	}
	if !regexp.MustCompile(`(?s)class="bulk-refused" data-dossier="` + draft.ID + `">.*?✗ `).MatchString(p.body) {
		t.Fatalf("the draft is not reported refused:\n%s", p.body)
	}
	for _, id := range ids {
		appraiser.get("/dossiers/"+id).must(t, 200).has(t, "Đang thẩm định", "Đã kiểm tra thành phần")
	}
	if got, _ := b.svc.Nomination(context.Background(), b.userID("xa.clerk"), draft.ID); got.Status != domain.StatusDraft {
		t.Fatalf("the draft became %s", got.Status)
	}
}

// TestInboxExportsTheFilteredListToXLSX: the district's appraiser exports the inbox
// filtered by words without diacritics; the workbook holds the header and exactly
// the matching dossier, with its award and unit.
func TestInboxExportsTheFilteredListToXLSX(t *testing.T) {
	b := setup(t)
	b.newDossier("GK", "household", "Hộ ông Lý Văn Páo")
	in := dossiers.CreateNominationInput{UnitID: seed.DemoCommune, AwardCode: "GK", Year: 2025, Title: "Đề nghị khen hộ Bản Loỏng",
		Nominees: []dossiers.NomineeInput{{Kind: "household", Name: "Hộ bà Vi Thị Năm"}}}
	n, err := b.svc.CreateNomination(context.Background(), b.userID("xa.clerk"), in)
	if err != nil {
		t.Fatal(err)
	}
	b.actAs("xa.clerk", n.ID, dossiers.ActInput{Action: "submit"})
	br := b.login("huyen.appraiser")
	br.get("/inbox?q=ban+loong").must(t, 200).has(t, `href="/inbox/export.xlsx?q=ban`)
	p := br.get("/inbox/export.xlsx?q=ban+loong").must(t, 200)
	if ct := p.header.Get("Content-Type"); !strings.Contains(ct, "spreadsheetml") {
		t.Fatalf("content type %q", ct)
	}
	f, err := excelize.OpenReader(strings.NewReader(p.body))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0][0] != "Số hồ sơ" || rows[1][0] != n.Code || rows[1][1] != "UBND xã Bảo Lâm" || rows[1][2] != "1" ||
		rows[1][3] != "Đề nghị khen hộ Bản Loỏng" || rows[1][4] != "Giấy khen" || rows[1][6] != "UBND huyện Cao Lộc" {
		t.Fatalf("the workbook's rows: %q", rows)
	}
}

// TestSavedViewsArePerUser: the district's appraiser saves the inbox filtered to
// overdue tasks matching "ban loong" as "Quá hạn Bản Loỏng"; the inbox then lists
// the view, whose link applies the filters; saving the same name again replaces it;
// a nameless view is refused; another user does not see it, cannot delete it, and
// its owner deletes it.
func TestSavedViewsArePerUser(t *testing.T) {
	b := setup(t)
	b.newDossier("GK", "household", "Hộ ông Lý Văn Páo")
	br := b.login("huyen.appraiser")
	br.get("/inbox?overdue=1&q=ban+loong").must(t, 200).has(t, `name="query" value="overdue=1&amp;q=ban&#43;loong"`)
	br.post("/inbox/views", url.Values{"name": {"Quá hạn Bản Loỏng"}, "query": {"overdue=1&q=ban+loong"}}).must(t, 200).
		has(t, "Đã lưu bộ lọc.", `class="view-link">Quá hạn Bản Loỏng</a>`, `id="f-overdue" name="overdue" value="1" checked`)
	br.post("/inbox/views", url.Values{"name": {"Quá hạn Bản Loỏng"}, "query": {"step=intake"}}).must(t, 200)
	p := br.get("/inbox").must(t, 200).has(t, `href="/inbox?step=intake" class="view-link">Quá hạn Bản Loỏng</a>`)
	if n := b.count("saved_views"); n != 1 {
		t.Fatalf("%d saved views, want 1 (a name saved again replaces its view)", n)
	}
	br.post("/inbox/views", url.Values{"name": {"  "}, "query": {"step=intake"}}).must(t, http.StatusBadRequest)
	id := regexp.MustCompile(`action="/inbox/views/(\d+)/delete"`).FindStringSubmatch(p.body)[1]

	other := b.login("huyen.head")
	other.get("/inbox").must(t, 200).lacks(t, "Quá hạn Bản Loỏng")
	other.post("/inbox/views/"+id+"/delete", url.Values{}).must(t, http.StatusNotFound)
	br.post("/inbox/views/"+id+"/delete", url.Values{}).must(t, 200).has(t, "Đã xóa bộ lọc.").lacks(t, "Quá hạn Bản Loỏng")
}

// TestNomineesAreLinkedToSubjectsFromTheForm: on the create form the clerk types
// the code of a subject of the commune for one nominee and a new code for another,
// and leaves a blank row: the first is linked to the existing subject, the second
// to a subject created from its row, and the edit form shows both codes; clearing
// a code on the edit form unlinks that nominee.
func TestNomineesAreLinkedToSubjectsFromTheForm(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	lan, err := b.svc.CreateSubject(ctx, b.userID("xa.clerk"), awards.SubjectInput{UnitID: seed.DemoCommune, Code: "HGD-001",
		Kind: "household", Name: "Hộ ông Lý Văn Páo"})
	if err != nil {
		t.Fatal(err)
	}
	clerk := b.login("xa.clerk")
	clerk.get("/dossiers/new").must(t, 200).has(t, `name="nominee_subject_code"`, "Mã đối tượng (lịch sử thi đua)")
	f := gkForm("Hộ ông Lý Văn Páo", "Hộ bà Vi Thị Năm", "")
	f["nominee_subject_code"] = []string{" HGD-001 ", "HGD-077", ""}
	p := clerk.post("/dossiers/new", f).must(t, 200).has(t, "Đã tạo hồ sơ")
	id := p.dossierID(t)
	n, err := b.svc.Nomination(ctx, b.userID("xa.clerk"), id)
	if err != nil {
		t.Fatal(err)
	}
	if len(n.Nominees) != 2 || n.Nominees[0].SubjectID == nil || *n.Nominees[0].SubjectID != lan.ID || n.Nominees[1].SubjectID == nil {
		t.Fatalf("nominees after the form: %+v", n.Nominees)
	}
	rec, err := b.svc.SubjectHistory(ctx, b.userID("xa.clerk"), *n.Nominees[1].SubjectID)
	if err != nil || rec.Subject.Code != "HGD-077" || rec.Subject.Name != "Hộ bà Vi Thị Năm" || rec.Subject.UnitID != seed.DemoCommune {
		t.Fatalf("the subject created inline: %+v, %v", rec, err)
	}
	edit := clerk.get("/dossiers/"+id+"/edit").must(t, 200).has(t, `name="nominee_subject_code" value="HGD-001"`, `value="HGD-077"`)
	save := gkForm("Hộ ông Lý Văn Páo", "Hộ bà Vi Thị Năm")
	save["nominee_subject_code"] = []string{"HGD-001", ""}
	save.Set("csrf", regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(edit.body)[1])
	clerk.post("/dossiers/"+id+"/edit", save).must(t, 200)
	if n, _ = b.svc.Nomination(ctx, b.userID("xa.clerk"), id); n.Nominees[0].SubjectID == nil || n.Nominees[1].SubjectID != nil {
		t.Fatalf("after clearing the second code: %+v", n.Nominees)
	}
}
