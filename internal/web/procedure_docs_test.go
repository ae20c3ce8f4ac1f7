package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/tdkt/tdkt/internal/dossiers"
)

// pdfTools returns pdftotext, pdffonts and qpdf, skipping the test when they are
// not installed.
func pdfTools(t *testing.T) (pdftotext, pdffonts, qpdf string) {
	t.Helper()
	var err error
	for _, p := range []struct {
		dst       *string
		name, pkg string
	}{{&pdftotext, "pdftotext", "poppler-utils"}, {&pdffonts, "pdffonts", "poppler-utils"}, {&qpdf, "qpdf", "qpdf"}} {
		if *p.dst, err = exec.LookPath(p.name); err != nil {
			t.Skipf("%s is not installed: apt-get install %s (make test does it when root)", p.name, p.pkg)
		}
	}
	return
}

// checkPDF has the tools read a served PDF: pdftotext finds every text, pdffonts
// sees only embedded fonts, qpdf --check passes. It returns the text's pages.
func checkPDF(t *testing.T, name, body string, want ...string) []string {
	t.Helper()
	pdftotext, pdffonts, qpdf := pdfTools(t)
	if !strings.HasPrefix(body, "%PDF-") {
		t.Fatalf("%s is not a PDF: %.80q", name, body)
	}
	path := filepath.Join(t.TempDir(), name+".pdf")
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("DOCS_DUMP"); dir != "" {
		os.WriteFile(filepath.Join(dir, name+".pdf"), []byte(body), 0o644)
	}
	out, err := exec.Command(pdftotext, "-layout", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("%s: pdftotext: %v\n%s", name, err, out)
	}
	flat := strings.Join(strings.Fields(string(out)), " ")
	for _, w := range want {
		if !strings.Contains(flat, w) {
			t.Errorf("%s lacks %q:\n%s", name, w, out)
		}
	}
	fonts, err := exec.Command(pdffonts, path).CombinedOutput()
	lines := strings.Split(strings.TrimSpace(string(fonts)), "\n")
	if err != nil || len(lines) < 3 {
		t.Errorf("%s: pdffonts: %v\n%s", name, err, fonts)
	}
	for _, l := range lines[min(2, len(lines)):] {
		if f := strings.Fields(l); len(f) < 7 || f[len(f)-5] != "yes" {
			t.Errorf("%s: font not embedded: %q", name, l)
		}
	}
	if o, err := exec.Command(qpdf, "--check", path).CombinedOutput(); err != nil {
		t.Errorf("%s: qpdf --check: %v\n%s", name, err, o)
	}
	return strings.Split(strings.TrimSuffix(string(out), "\f"), "\f")
}

var paperRe = regexp.MustCompile(`href="(/dossiers/[^"]+\.pdf\?[^"]+)" class="paper-view"`)

// fullProcedure takes a Bằng khen tỉnh dossier with two nominees through a return
// by the district, the district's and the province's appraisals, the provincial
// council's vote and the decision of the province's decider, whom the province's
// administrator records as a vice-chair on the user's page. It returns the
// dossier and the decision's number.
func (b *bundle) fullProcedure(t *testing.T) (id, decision string) {
	t.Helper()
	n := b.newDossier("BK_TINH", "individual", "Hoàng Văn Tùng", "Lý Thị Hoa Ban")
	id = n.ID
	b.actAs("huyen.appraiser", id, dossiers.ActInput{Action: "return", MissingItems: []string{"Báo cáo thành tích của ông Hoàng Văn Tùng"}})
	b.actAs("xa.clerk", id, dossiers.ActInput{Action: "submit"})
	b.actAs("huyen.appraiser", id, dossiers.ActInput{Action: "accept"})
	b.actAs("huyen.appraiser", id, dossiers.ActInput{Action: "approve", Note: "Đã đối chiếu sổ khen thưởng của xã"})
	b.actAs("huyen.decider", id, dossiers.ActInput{Action: "forward"})
	b.actAs("tinh.appraiser", id, dossiers.ActInput{Action: "accept"})
	b.actAs("tinh.appraiser", id, dossiers.ActInput{Action: "approve"})
	for _, v := range provinceCouncil {
		if _, err := b.svc.Vote(context.Background(), b.userID(v), id, "yes"); err != nil {
			t.Fatalf("%s votes: %v", v, err)
		}
	}
	b.actAs("tinh.council_chair", id, dossiers.ActInput{Action: "close_vote"})
	admin := b.login("tinh.admin")
	decider := fmt.Sprint(b.userID("tinh.decider"))
	admin.get("/admin/users/"+decider).must(t, 200).has(t, `id="user-title"`, `value="vice_chair"`)
	admin.post("/admin/users/"+decider+"/title", url.Values{"title": {"deputy"}}).must(t, http.StatusUnprocessableEntity)
	admin.post("/admin/users/"+decider+"/title", url.Values{"title": {"vice_chair"}}).must(t, 200).
		has(t, "Đã lưu chức danh ký quyết định.", `value="vice_chair" selected`)
	n = b.actAs("tinh.decider", id, dossiers.ActInput{Action: "decide"})
	return id, n.Decisions[len(n.Decisions)-1].Code
}

// TestProcedureDocumentsOnTheDossierPage takes a Bằng khen tỉnh dossier through a
// return by the district, the appraisals, the provincial council and the decision
// of a vice-chair. The dossier page then offers every document of the procedure,
// to view and to download: the return letter (numbered in the district's register
// of return letters, gapless across dossiers), the appraisal notes, the council
// minutes, the tờ trình, the decision signed "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH" and its
// certificates in one PDF, one page per awardee. Each is issued once and read by
// poppler and qpdf; a user who cannot see the dossier gets 404 for each.
func TestProcedureDocumentsOnTheDossierPage(t *testing.T) {
	pdfTools(t)
	b := setup(t)
	id, decision := b.fullProcedure(t)

	// A second dossier returned by the district takes the next number.
	other := b.newDossier("GK", "household", "Hộ ông Nông Văn Dũng")
	b.actAs("huyen.appraiser", other.ID, dossiers.ActInput{Action: "return", MissingItems: []string{"Biên bản họp xét"}})
	var codes []string
	rows, err := b.pool.Query(context.Background(), `SELECT code FROM return_letters WHERE unit_id = (SELECT unit_id FROM return_letters
		WHERE nomination_id = $1) ORDER BY number`, id)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var c string
		rows.Scan(&c)
		codes = append(codes, c)
	}
	if strings.Join(codes, " ") != "1/UBND-TĐKT 2/UBND-TĐKT" {
		t.Fatalf("the district's return letters are numbered %v", codes)
	}

	clerk := b.login("xa.clerk")
	p := clerk.get("/dossiers/"+id).must(t, 200).has(t, `id="papers"`, "Công văn số 1/UBND-TĐKT trả lại hồ sơ",
		"Biên bản họp Hội đồng số 1/BB-HĐTĐKT", "Phiếu thẩm định", "Quyết định số "+decision, "Tải về")
	links := paperRe.FindAllStringSubmatch(p.body, -1)
	byKind := map[string]string{}
	for _, l := range links {
		u := strings.ReplaceAll(l[1], "&amp;", "&")
		kind := strings.TrimSuffix(filepath.Base(strings.SplitN(u, "?", 2)[0]), ".pdf")
		if kind == "appraisal" && byKind[kind] != "" {
			kind = "appraisal2" // the province's, after the district's
		}
		byKind[kind] = u
	}
	for _, k := range []string{"return-letter", "appraisal", "appraisal2", "minutes", "submission", "decision", "certificates"} {
		if byKind[k] == "" {
			t.Fatalf("the dossier page offers no %s: %v", k, links)
		}
	}
	if !strings.Contains(p.body, `href="`+strings.ReplaceAll(byKind["minutes"], "&", "&amp;")+`&amp;download=1"`) {
		t.Error("the minutes have no download link")
	}

	get := func(u string) (string, string) {
		t.Helper()
		first := clerk.get(u).must(t, 200)
		if again := clerk.get(u).must(t, 200); again.body != first.body {
			t.Errorf("%s is issued twice", u)
		}
		return first.body, first.header.Get("X-Verification-Code")
	}
	body, _ := get(byKind["return-letter"])
	checkPDF(t, "return-letter", body, "Số: 1/UBND-TĐKT", "ỦY BAN NHÂN DÂN HUYỆN CAO", "Kính gửi: Ủy ban nhân dân xã Bảo Lâm.", "V/v trả lại hồ sơ đề nghị khen thưởng",
		"1. Báo cáo thành tích của ông Hoàng Văn Tùng;", "TL. CHỦ TỊCH", "Nơi nhận:")
	body, _ = get(byKind["appraisal"])
	checkPDF(t, "appraisal", body, "PHIẾU THẨM ĐỊNH", "PHÒNG NỘI VỤ", "Hồ sơ đề nghị tặng Bằng khen", "Công văn số 1/UBND-TĐKT",
		"Báo cáo thành tích của ông Hoàng Văn Tùng", "Hoàng Văn Tùng", "Lý Thị Hoa Ban", "Đã đối chiếu sổ khen thưởng của xã",
		"Tờ trình đề nghị cấp trên khen thưởng", "thành phần hồ sơ còn thiếu: Báo cáo thành tích", "NGƯỜI THẨM ĐỊNH")
	body, _ = get(byKind["appraisal2"])
	checkPDF(t, "appraisal-province", body, "PHIẾU THẨM ĐỊNH", "SỞ NỘI VỤ", "trình Hội đồng Thi đua - Khen thưởng")
	body, _ = get(byKind["minutes"])
	checkPDF(t, "minutes", body, "BIÊN BẢN", "Số: 1/BB-HĐTĐKT", "HỘI ĐỒNG THI ĐUA", "Hoàng Văn Tùng 6 0 0 Đạt",
		"Lý Thị Hoa Ban 6 0 0 Đạt", "có mặt 6 người", "CHỦ TỊCH HỘI ĐỒNG", "Hội đồng thống nhất đề nghị tặng")
	body, _ = get(byKind["decision"])
	checkPDF(t, "decision-vice-chair", body, "Số: "+decision, "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
	clerk.get("/dossiers/"+id+"/decision?code="+url.QueryEscape(decision)).must(t, 200).
		has(t, `id="certificates-pdf"`, "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")

	all := clerk.get(byKind["certificates"]).must(t, 200)
	pages := checkPDF(t, "certificates", all.body, "BẰNG KHEN", "Hoàng Văn Tùng", "Lý Thị Hoa Ban", "KT. CHỦ TỊCH")
	if len(pages) != 2 {
		t.Fatalf("%d pages for 2 awardees", len(pages))
	}
	// Each page carries its awardee's certificate code, the one the single
	// certificate was issued with.
	var certCodes []string
	if rows, err := b.pool.Query(context.Background(), `SELECT code FROM issued_documents WHERE kind = 'certificate' AND nomination_id = $1
		ORDER BY nominee_id`, id); err == nil {
		for rows.Next() {
			var c string
			rows.Scan(&c)
			certCodes = append(certCodes, c)
		}
	}
	if len(certCodes) != 2 {
		t.Fatalf("%d certificates issued for 2 awardees", len(certCodes))
	}
	for i, pg := range pages {
		if !strings.Contains(pg, "Mã tra cứu: "+certCodes[i]) {
			t.Errorf("page %d does not carry the certificate code %s:\n%s", i+1, certCodes[i], pg)
		}
	}
	if d := clerk.get(byKind["certificates"]+"&download=1").must(t, 200).header.Get("Content-Disposition"); !strings.HasPrefix(d, "attachment") {
		t.Errorf("download disposition %q", d)
	}

	// Unknown documents of a seen dossier, and every document of an unseen one.
	for _, u := range []string{"/return-letter.pdf?letter=9/UBND-TĐKT", "/minutes.pdf?session=7", "/minutes.pdf?session=x",
		"/appraisal.pdf?event=1", "/certificates.pdf?code=9/QĐ-UBND"} {
		clerk.get("/dossiers/"+id+u).must(t, http.StatusNotFound)
	}
	stranger := b.login("xa2.clerk")
	for _, u := range byKind {
		stranger.get(u).must(t, http.StatusNotFound)
	}
}

// TestBrowserDossierPapersFit shows the dossier page with its documents, the
// decision signed by a vice-chair and the user page with the title form in
// Chromium at 1280 and 390 px, checks they fit, and writes the screenshots into
// docs/screens/.
func TestBrowserDossierPapersFit(t *testing.T) {
	b := setup(t)
	id, decision := b.fullProcedure(t)
	tb := newTab(t, b.url)
	tb.do(chromedp.EmulateViewport(1280, 900))
	tb.login("xa.clerk")
	out := docsScreens(t)
	problems := tb.shotAt(out, "dossier-papers", "/dossiers/"+id)
	tb.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	tb.open("/dossiers/" + id)
	tb.elementShot(out, "dossier-papers-section-390.png", "#papers")
	problems = append(problems, tb.shotAt(out, "decision", "/dossiers/"+id+"/decision?code="+url.QueryEscape(decision))...)
	tb.do(chromedp.EmulateViewport(1280, 900))
	tb.open("/")
	tb.logout()
	tb.login("tinh.admin")
	problems = append(problems, tb.shotAt(out, "admin-user", fmt.Sprintf("/admin/users/%d", b.userID("tinh.decider")))...)
	if len(problems) > 0 {
		t.Errorf("pages that do not fit:\n%s", strings.Join(problems, "\n"))
	}
	if errs := tb.pageErrors(); len(errs) > 0 {
		t.Fatalf("the pages reported errors:\n%s", strings.Join(errs, "\n"))
	}
}
