package web_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

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
	n := b.newDossier(award, kind, names...)
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
	path := fmt.Sprintf("/statistics?form=0603&year=%d&unit=%s", year, seed.Province)

	appraiser := b.login("tinh.appraiser")
	p := appraiser.get(path).must(t, http.StatusOK).has(t, "Biểu 0603.N", "Bằng khen của Chủ tịch UBND tỉnh", "Theo cơ quan trình khen thưởng")
	// The by-award table's first line is the total: at least the three awardees decided here.
	total := statTotal(t, p.body)
	if total < 3 {
		t.Fatalf("0603.N total %d, want at least the 3 awardees decided here", total)
	}
	x := appraiser.get(strings.Replace(path, "/statistics?", "/statistics/export?", 1)).must(t, http.StatusOK)
	wb, err := excelize.OpenReader(bytes.NewReader([]byte(x.body)))
	if err != nil {
		t.Fatalf("the XLSX does not open: %v", err)
	}
	if v, _ := wb.GetCellValue(wb.GetSheetName(0), "C8"); v != fmt.Sprint(total) {
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
