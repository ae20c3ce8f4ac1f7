package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tdkt/tdkt/internal/dossiers"
	"github.com/tdkt/tdkt/internal/seed"
)

// TestInboxAndListShowTheDossierCodeAndSearchIt: two dossiers of the demo commune
// get consecutive codes of the commune and the year (LS-09-003/2025/000N); the
// district appraiser's inbox shows each code, the sender unit, the number of
// nominees and the working days left, and the API's inbox returns them; the inbox
// and the dossier list find a dossier by a nominee's name typed without
// diacritics and by its code, and not the other one.
func TestInboxAndListShowTheDossierCodeAndSearchIt(t *testing.T) {
	b := setup(t)
	first := b.newDossier("GK", "household", "Hộ ông Lý Văn Páo", "Hộ bà Hoàng Thị Lụa")
	second := b.newDossier("GK", "individual", "Nông Thị Thảo")
	codeRe := regexp.MustCompile(`^` + regexp.QuoteMeta(seed.DemoCommune) + `/(\d{4})/(\d{4})$`)
	m1, m2 := codeRe.FindStringSubmatch(first.Code), codeRe.FindStringSubmatch(second.Code)
	if m1 == nil || m2 == nil {
		t.Fatalf("codes %q and %q are not the commune's code/year/number", first.Code, second.Code)
	}
	var n1, n2 int
	fmt.Sscan(m1[2], &n1)
	fmt.Sscan(m2[2], &n2)
	if m1[1] != m2[1] || n2 != n1+1 {
		t.Fatalf("codes %q then %q are not consecutive in one year", first.Code, second.Code)
	}

	appraiser := b.login("huyen.appraiser")
	p := appraiser.get("/inbox").must(t, 200).has(t, first.Code, second.Code, `data-label="Đơn vị gửi">UBND xã Bảo Lâm</td>`,
		`data-label="Số đối tượng" class="num">2</td>`, `data-label="Số đối tượng" class="num">1</td>`)
	if !regexp.MustCompile(`Còn \d+ ngày làm việc|Hạn trong hôm nay`).MatchString(p.body) {
		t.Fatalf("the inbox shows no working days left:\n%s", p.body)
	}
	appraiser.get("/inbox?q=ly+van+pao").must(t, 200).has(t, first.Code).lacks(t, second.Code)
	appraiser.get("/inbox?q="+url.QueryEscape(second.Code)).must(t, 200).has(t, second.Code).lacks(t, first.Code)

	appraiser.get("/dossiers?q=hoang+thi+lua").must(t, 200).has(t, first.Code, "Chưa phân công").lacks(t, second.Code)
	appraiser.get("/dossiers?q=THẢO").must(t, 200).has(t, second.Code).lacks(t, first.Code)
	appraiser.get("/dossiers?q="+url.QueryEscape(first.Code)).must(t, 200).has(t, first.Code).lacks(t, second.Code)
	appraiser.get("/dossiers?q=khong+co+ai").must(t, 200).lacks(t, first.Code, second.Code)
	appraiser.get("/dossiers/"+first.ID).must(t, 200).has(t, `id="dossier-code">`+first.Code+`<`)

	tasks, err := b.svc.InboxWithAssignees(context.Background(), b.userID("huyen.appraiser"))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range tasks {
		if e.NominationID == first.ID {
			found = true
			if e.DossierCode != first.Code || e.SenderUnitID != seed.DemoCommune || e.NomineeCount != 2 || e.WorkingDaysLeft == nil {
				t.Fatalf("the inbox entry lacks its columns: %+v", e)
			}
		}
	}
	if !found {
		t.Fatal("the first dossier is not in the appraiser's inbox")
	}
	list, err := b.svc.DossierList(context.Background(), b.userID("huyen.appraiser"), dossiers.NominationFilter{Query: "pao"})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Code != first.Code || list[0].NomineeCount != 2 || list[0].OpenTask == nil ||
		list[0].OpenTask.WorkingDaysLeft == nil {
		t.Fatalf("the list read by the API: %+v", list)
	}
}

// TestHeadAssignsATaskFromTheDossierPage: the district's leader (the decider, a
// head of the unit for AssignTask; unit_head does not read the communes' dossiers)
// opens a dossier waiting for the district's standing body and gives its task to
// the appraiser by name, without JavaScript; the page then names her, her inbox
// shows the task as hers with a release button, and she is notified. A person
// without the task's role cannot receive it; the appraiser herself gets no assign
// form, and her posting one is refused.
func TestHeadAssignsATaskFromTheDossierPage(t *testing.T) {
	b := setup(t)
	n := b.newDossier("GK", "household", "Hộ ông Lý Văn Páo")
	head := b.login("huyen.decider")
	p := head.get("/dossiers/"+n.ID).must(t, 200).has(t, `id="task-assignee"><span class="muted">Chưa phân công</span>`,
		`class="assign-form"`, ">Mã Thị Thu</option>")
	m := regexp.MustCompile(`action="/inbox/tasks/(\d+)/assign"`).FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("no assign form:\n%s", p.body)
	}
	task := m[1]
	appraiserID := fmt.Sprint(b.userID("huyen.appraiser"))

	// Someone who does not hold the task's role in the district cannot receive it.
	head.post("/inbox/tasks/"+task+"/assign", url.Values{"user_id": {fmt.Sprint(b.userID("xa.clerk"))}, "dossier": {n.ID}}).
		must(t, http.StatusBadRequest).has(t, "Thông tin chưa hợp lệ")
	p = head.post("/inbox/tasks/"+task+"/assign", url.Values{"user_id": {appraiserID}, "dossier": {n.ID}}).must(t, 200).
		has(t, "Đã giao việc cho người được chọn.", `id="task-assignee">Mã Thị Thu</span>`)
	if !strings.Contains(p.url, "/dossiers/"+n.ID) {
		t.Fatalf("the form went to %s, not back to the dossier", p.url)
	}

	appraiser := b.login("huyen.appraiser")
	appraiser.get("/inbox").must(t, 200).has(t, `action="/inbox/tasks/`+task+`/release"`).lacks(t, `action="/inbox/tasks/`+task+`/assign"`)
	appraiser.get("/dossiers/"+n.ID).must(t, 200).lacks(t, `class="assign-form"`)
	appraiser.post("/inbox/tasks/"+task+"/assign", url.Values{"user_id": {appraiserID}}).must(t, http.StatusForbidden)
	appraiser.get("/notifications").must(t, 200).has(t, "Được giao xử lý hồ sơ: "+n.Title)
}

// TestDecisionsRegisterFiltersByUnitAwardKindAndText: a Giấy khen decided by the
// district and a Bằng khen tỉnh decided by the province appear in the register;
// the award, the issuing unit, the kind of commendation and a nominee's name typed
// without diacritics each keep the right one.
func TestDecisionsRegisterFiltersByUnitAwardKindAndText(t *testing.T) {
	b := setup(t)
	gk := b.newDossier("GK", "household", "Hộ ông Lý Văn Páo")
	b.actAs("huyen.appraiser", gk.ID, dossiers.ActInput{Action: "accept"})
	b.actAs("huyen.appraiser", gk.ID, dossiers.ActInput{Action: "approve"})
	gk = b.actAs("huyen.decider", gk.ID, dossiers.ActInput{Action: "decide"})
	if gk.Decision == nil {
		t.Fatalf("the Giấy khen is %s, not decided", gk.Status)
	}
	b.decideProvinceAward("BK_TINH", "individual", "Hoàng Văn Tùng")
	var bkID string
	if err := b.pool.QueryRow(context.Background(), `SELECT nomination_id FROM nominees WHERE name = 'Hoàng Văn Tùng'
		ORDER BY id DESC LIMIT 1`).Scan(&bkID); err != nil {
		t.Fatal(err)
	}

	r := b.login("tinh.appraiser")
	gkRow, bkRow := `/dossiers/`+gk.ID+`"`, `/dossiers/`+bkID+`"`
	r.get("/decisions").must(t, 200).has(t, gkRow, bkRow, `id="f-kind"`)
	r.get("/decisions?award=GK").must(t, 200).has(t, gkRow).lacks(t, bkRow)
	r.get("/decisions?unit="+seed.Province).must(t, 200).has(t, bkRow).lacks(t, gkRow)
	r.get("/decisions?unit="+seed.DemoDistrict).must(t, 200).has(t, gkRow).lacks(t, bkRow)
	r.get("/decisions?q=hoang+van+tung").must(t, 200).has(t, bkRow).lacks(t, gkRow)
	r.get("/decisions?q="+url.QueryEscape(gk.Decision.Code)+"+pao").must(t, 200).has(t, gkRow).lacks(t, bkRow)
	r.get("/decisions?kind=merit").must(t, 200).has(t, gkRow, bkRow)
	r.get("/decisions?kind=extraordinary").must(t, 200).lacks(t, gkRow, bkRow).has(t, `<option value="extraordinary" selected>`)
}
