package web_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/dossiers"
	"github.com/tdkt/tdkt/internal/seed"
)

// provinceCouncil are the provincial council's members who vote in the demo.
var provinceCouncil = []string{"tinh.council_chair", "tinh.council_vice", "tinh.council_member", "tinh.council_member2",
	"tinh.council_member3", "tinh.council_member4"}

// decideProvinceAward takes a commune's dossier for a province-level award
// through the district and the province's council to the chair's decision, and
// returns the decision's year.
func (b *bundle) decideProvinceAward(award, kind string, names ...string) int {
	b.t.Helper()
	return b.decideProvinceDossier(b.newDossier(award, kind, names...))
}

// decideProvinceDossier takes a submitted dossier of the commune for a
// province-level award to the province's decision and returns its year.
func (b *bundle) decideProvinceDossier(n domain.Nomination) int {
	b.t.Helper()
	award := n.AwardCode
	b.actAs("huyen.appraiser", n.ID, dossiers.ActInput{Action: "accept"})
	b.actAs("huyen.appraiser", n.ID, dossiers.ActInput{Action: "approve"})
	b.actAs("huyen.decider", n.ID, dossiers.ActInput{Action: "forward"})
	b.actAs("tinh.appraiser", n.ID, dossiers.ActInput{Action: "accept"})
	b.actAs("tinh.appraiser", n.ID, dossiers.ActInput{Action: "approve"})
	for _, v := range provinceCouncil {
		if _, err := b.svc.Vote(context.Background(), b.userID(v), n.ID, "yes"); err != nil {
			b.t.Fatalf("%s votes: %v", v, err)
		}
	}
	b.actAs("tinh.council_chair", n.ID, dossiers.ActInput{Action: "close_vote"})
	n = b.actAs("tinh.decider", n.ID, dossiers.ActInput{Action: "decide"})
	if n.Status != "decided" || len(n.Decisions) == 0 {
		b.t.Fatalf("%s: %s", award, n.Status)
	}
	return n.Decisions[len(n.Decisions)-1].Year
}

// TestStatisticsPage decides two Bằng khen tỉnh dossiers and reads form 0603.N on
// the page (its lines and total), downloads its XLSX (the same total), is refused
// to a commune clerk asking for the province, and fits a phone and a desk in
// Chromium, with screenshots in docs/screens/.
func TestStatisticsPage(t *testing.T) {
	b := setup(t)
	b.decideProvinceAward("BK_TINH", "individual", "Hoàng Văn Tùng", "Lý Thị Hoa Ban")
	year := b.decideProvinceAward("BK_TINH", "household", "Hộ ông Lý Văn Páo")
	// A seniority dossier with an enterprise and categorised individuals, so that
	// the page shows the breakdown's columns filled.
	in := dossiers.CreateNominationInput{UnitID: seed.DemoCommune, AwardCode: "BK_TINH", Kind: "seniority", Year: 2025,
		Nominees: []dossiers.NomineeInput{
			{Kind: "collective", Name: "Công ty TNHH Chè Bảo Lâm", Enterprise: true, Achievements: "Doanh nghiệp tiêu biểu"},
			{Kind: "individual", Name: "Nông Văn Dũng", LeadershipLevel: "leader_division", Achievements: "Chủ tịch UBND xã"},
			{Kind: "individual", Name: "Đàm Thị Mai", LeadershipLevel: "worker", Achievements: "Nông dân sản xuất giỏi"},
		}}
	created, err := b.svc.CreateNomination(context.Background(), b.userID("xa.clerk"), in)
	if err != nil {
		t.Fatal(err)
	}
	b.decideProvinceDossier(b.actAs("xa.clerk", created.ID, dossiers.ActInput{Action: "submit"}))
	path := fmt.Sprintf("/statistics?form=0603&year=%d&unit=%s", year, seed.Province)

	appraiser := b.login("tinh.appraiser")
	p := appraiser.get(path).must(t, http.StatusOK).has(t, "Biểu 0603.N", "Bằng khen của Chủ tịch UBND tỉnh", "Theo cơ quan trình khen thưởng",
		"Trong đó: doanh nghiệp", "Lãnh đạo cấp phòng, xã", "Niên hạn", "Chưa ghi")
	// The by-award table's first line is the total: at least the three awardees decided here.
	total := statTotal(t, p.body)
	if total < 6 {
		t.Fatalf("0603.N total %d, want at least the 6 awardees decided here", total)
	}
	x := appraiser.get(strings.Replace(path, "/statistics?", "/statistics/export?", 1)).must(t, http.StatusOK)
	wb, err := excelize.OpenReader(bytes.NewReader([]byte(x.body)))
	if err != nil {
		t.Fatalf("the XLSX does not open: %v", err)
	}
	if v, _ := wb.GetCellValue(wb.GetSheetName(0), "C10"); v != fmt.Sprint(total) {
		t.Fatalf("XLSX total %q, page total %d", v, total)
	}
	b.login("xa2.clerk").get(path).must(t, http.StatusForbidden)
	appraiser.get("/statistics?form=0699&year=2025").must(t, http.StatusBadRequest)

	tb := newTab(t, b.url)
	tb.do(chromedp.EmulateViewport(1280, 900))
	tb.login("tinh.admin") // the longest menu: with the administration
	out := docsScreens(t)
	if problems := tb.shotAt(out, "statistics", path); len(problems) > 0 {
		t.Errorf("the statistics page does not fit:\n%s", strings.Join(problems, "\n"))
	}
	if errs := tb.pageErrors(); len(errs) > 0 {
		t.Fatalf("the page reported errors:\n%s", strings.Join(errs, "\n"))
	}
}

// statTotal reads the total line of the page's first statistics table.
func statTotal(t *testing.T, body string) int {
	t.Helper()
	i := strings.Index(body, `<tr class="total">`)
	if i < 0 {
		t.Fatal("no total line")
	}
	rest := body[i:]
	j := strings.Index(rest, `class="num">`)
	if j < 0 {
		t.Fatal("no total cell")
	}
	var n int
	if _, err := fmt.Sscanf(rest[j+len(`class="num">`):], "%d", &n); err != nil {
		t.Fatalf("total cell: %v", err)
	}
	return n
}

// TestNomineeCategoriesThroughTheForm: the clerk gives a collective a leadership
// level on the create form and is told, on the row, that only individuals have
// one, with nothing stored; the corrected form (an enterprise, an individual's
// level, a seniority dossier) is stored as entered and shown again on the edit
// form, which fits a phone and a desk (screenshots in docs/screens/).
func TestNomineeCategoriesThroughTheForm(t *testing.T) {
	b := setup(t)
	clerk := b.login("xa.clerk")
	f := url.Values{"unit_id": {seed.DemoCommune}, "award_code": {"BK_TINH"}, "kind": {"seniority"}, "year": {"2025"}, "title": {""}}
	row := func(kind, name, level, enterprise string) {
		f.Add("nominee_kind", kind)
		f.Add("nominee_name", name)
		f.Add("nominee_job", "")
		f.Add("nominee_org", "")
		f.Add("nominee_achievements", "Thành tích tiêu biểu")
		f.Add("nominee_level", level)
		f.Add("nominee_enterprise", enterprise)
	}
	row("collective", "Công ty TNHH Chè Bảo Lâm", "leader_central", "1")
	row("individual", "Nông Văn Dũng", "leader_division", "")
	clerk.post("/dossiers/new", f).must(t, http.StatusUnprocessableEntity).has(t, "Chỉ cá nhân mới có phân loại này", `aria-invalid="true"`)
	if n := b.count("nominations"); n != 0 {
		t.Fatalf("a refused form left %d dossiers", n)
	}
	f["nominee_level"] = []string{"", "leader_division"}
	p := clerk.post("/dossiers/new", f).must(t, http.StatusOK).has(t, "Đã tạo hồ sơ")
	id := p.dossierID(t)
	var kind string
	if err := b.pool.QueryRow(context.Background(), `SELECT kind FROM nominations WHERE id = $1`, id).Scan(&kind); err != nil || kind != "seniority" {
		t.Fatalf("dossier kind %q, %v", kind, err)
	}
	rows, err := b.pool.Query(context.Background(), `SELECT enterprise, leadership_level FROM nominees WHERE nomination_id = $1 ORDER BY position`, id)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var e bool
		var l string
		if err := rows.Scan(&e, &l); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprint(e, "/", l))
	}
	if strings.Join(got, ",") != "true/,false/leader_division" {
		t.Fatalf("nominees stored as %v", got)
	}
	clerk.get("/dossiers/"+id+"/edit").must(t, http.StatusOK).
		has(t, `<option value="leader_division" selected>`, `<option value="1" selected>`)

	tb := newTab(t, b.url)
	tb.do(chromedp.EmulateViewport(1280, 900))
	tb.login("xa.clerk")
	problems := tb.shotAt(docsScreens(t), "dossier-nominee-categories", "/dossiers/"+id+"/edit")
	// The create form with its kind of commendation.
	problems = append(problems, tb.shotAt(docsScreens(t), "dossier-new", "/dossiers/new")...)
	if len(problems) > 0 {
		t.Errorf("the forms do not fit:\n%s", strings.Join(problems, "\n"))
	}
	if errs := tb.pageErrors(); len(errs) > 0 {
		t.Fatalf("the page reported errors:\n%s", strings.Join(errs, "\n"))
	}
}
