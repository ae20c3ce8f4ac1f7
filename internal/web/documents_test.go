package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/tdkt/tdkt/internal/documents"
	"github.com/tdkt/tdkt/internal/documents/keys"
	"github.com/tdkt/tdkt/internal/dossiers"
)

var (
	pkiOnce sync.Once
	pki     *keys.DevPKI
	pkiErr  error
)

// testPKI is the development CA the web tests sign with, made once per run.
func testPKI() (*keys.DevPKI, error) {
	pkiOnce.Do(func() {
		dir, err := os.MkdirTemp("", "tdkt-web-pki-")
		if err != nil {
			pkiErr = err
			return
		}
		pki, pkiErr = keys.OpenDevPKI(dir)
	})
	return pki, pkiErr
}

// decidedDossier drives a Giấy khen dossier of the demo commune to the district's
// decision and returns its id.
func decidedDossier(t *testing.T, b *bundle) string {
	t.Helper()
	clerk := b.login("xa.clerk")
	p := clerk.post("/dossiers/new", gkForm("Hộ ông Lý Văn Páo", "Hộ bà Hoàng Thị Mai")).must(t, 200)
	id := p.dossierID(t)
	clerk.act(id, p, "submit", url.Values{"submit_anyway": {"1"}}).must(t, 200) // nothing attached: sent anyway
	appraiser := b.login("huyen.appraiser")
	p = appraiser.get("/dossiers/"+id).must(t, 200)
	have := url.Values{"checklist": {"1"}, "have": {"submission", "report", "minutes"}}
	if strings.Contains(p.body, `value="accept"`) {
		p = appraiser.act(id, p, "accept", have).must(t, 200)
	}
	appraiser.act(id, p, "approve", have).must(t, 200)
	decider := b.login("huyen.decider")
	p = decider.get("/dossiers/"+id).must(t, 200)
	decider.act(id, p, "decide", nil).must(t, 200).has(t, "1/QĐ-UBND")
	return id
}

// TestDecisionPDFIssuedSignedAndVerified: the decision's PDF is issued once with
// the căn cứ in force on its date for a district, signed with the district's dev
// key, verified as the issued revision; the public page shows the award and gives
// the same answer for an unknown and a malformed code.
func TestDecisionPDFIssuedSignedAndVerified(t *testing.T) {
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext is not installed: apt-get install poppler-utils (make test does it when root)")
	}
	b := setup(t)
	id := decidedDossier(t, b)
	clerk := b.login("xa.clerk")
	first := clerk.get("/dossiers/"+id+"/decision.pdf").must(t, 200)
	if !strings.HasPrefix(first.body, "%PDF-") || first.header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("not a PDF: %q", first.header.Get("Content-Type"))
	}
	code := first.header.Get("X-Verification-Code")
	again := clerk.get("/dossiers/"+id+"/decision.pdf").must(t, 200)
	if again.body != first.body || again.header.Get("X-Verification-Code") != code {
		t.Fatal("the decision was issued twice")
	}
	if n := b.count("issued_documents"); n != 1 {
		t.Fatalf("%d issued documents", n)
	}
	path := filepath.Join(t.TempDir(), "qd.pdf")
	os.WriteFile(path, []byte(first.body), 0o644)
	out, err := exec.Command(pdftotext, "-layout", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	flat := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{"Số: 1/QĐ-UBND", "ỦY BAN NHÂN DÂN HUYỆN CAO LỘC", "Cao Lộc, ngày",
		"Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;", "Tặng Giấy khen cho 2 hộ gia đình", "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
		"Căn cứ Nghị định số 98/2023/NĐ-CP", "Hộ ông Lý Văn Páo", "2.106.000", "Hai triệu một trăm linh sáu nghìn đồng", "Mã tra cứu: " + code} {
		if !strings.Contains(flat, want) {
			t.Errorf("the decision lacks %q:\n%s", want, out)
		}
	}
	// Decree 152/2025 is cited by provinces, Decree 129/2025 by communes: a
	// district's decision cites neither; the appearance reads as text.
	if strings.Contains(flat, "152/2025") || strings.Contains(flat, "129/2025") || strings.Contains(flat, "19 tháng 02 năm 2025") {
		t.Error("the decision cites a basis not in force for a district on its date")
	}
	if !strings.Contains(flat, "Ký bởi: Ủy ban nhân dân huyện Cao Lộc") {
		t.Errorf("the signature block does not read as text:\n%s", out)
	}

	// The API's verification: valid, signed by the district, the issued revision.
	resp, err := http.Post(b.url+"/api/v1/documents/verify", "application/pdf", strings.NewReader(first.body))
	if err != nil {
		t.Fatal(err)
	}
	var v documents.Verification
	json.NewDecoder(resp.Body).Decode(&v)
	resp.Body.Close()
	if resp.StatusCode != 200 || !v.Valid || !v.Tdkt || !v.IssuedRevision || v.Code != code || v.Reference != "1/QĐ-UBND" ||
		!strings.Contains(v.Signer, "Cao Lộc") {
		t.Fatalf("verification: %d %+v", resp.StatusCode, v)
	}
	tampered := []byte(first.body)
	i := bytes.Index(tampered, []byte("/Title"))
	tampered[i+8] ^= 1
	resp, _ = http.Post(b.url+"/api/v1/documents/verify", "application/pdf", bytes.NewReader(tampered))
	v = documents.Verification{}
	json.NewDecoder(resp.Body).Decode(&v)
	resp.Body.Close()
	if v.Valid {
		t.Errorf("a tampered decision is valid: %+v", v)
	}

	// The decision page links the PDF and each certificate, and offers the upload
	// of a copy signed elsewhere; a tampered copy is refused, and an original
	// already signed is not replaced.
	clerk.get("/dossiers/"+id+"/decision").must(t, 200).has(t, `id="decision-pdf"`, "/certificate.pdf?code=")
	decider := b.login("huyen.decider")
	decider.get("/dossiers/"+id+"/decision").must(t, 200)
	decider.upload("/dossiers/"+id+"/decision.pdf?code="+url.QueryEscape("1/QĐ-UBND"), url.Values{}, "qd.pdf", tampered).
		must(t, http.StatusBadRequest)
	decider.upload("/dossiers/"+id+"/decision.pdf?code="+url.QueryEscape("1/QĐ-UBND"), url.Values{}, "qd.pdf", []byte(first.body)).
		must(t, http.StatusConflict)

	// The certificate of the first awardee.
	clerk.get("/dossiers/"+id+"/certificate.pdf?nominee=0").must(t, http.StatusNotFound)
	var nominee int64
	if err := b.pool.QueryRow(context.Background(), `SELECT da.nominee_id FROM decision_awardees da JOIN nominees n ON n.id = da.nominee_id
		WHERE n.name = 'Hộ ông Lý Văn Páo'`).Scan(&nominee); err != nil {
		t.Fatal(err)
	}
	cert := clerk.get(fmt.Sprintf("/dossiers/%s/certificate.pdf?nominee=%d", id, nominee)).must(t, 200)
	certCode := cert.header.Get("X-Verification-Code")
	os.WriteFile(path, []byte(cert.body), 0o644)
	out, _ = exec.Command(pdftotext, "-layout", path, "-").CombinedOutput()
	flat = strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{"GIẤY KHEN", "Hộ ông Lý Văn Páo", "Quyết định số: 1/QĐ-UBND", "Mã tra cứu: " + certCode} {
		if !strings.Contains(flat, want) {
			t.Errorf("the certificate lacks %q:\n%s", want, out)
		}
	}
	if st, body := getPublic(t, b.url+"/verify/"+certCode); st != 200 || !strings.Contains(body, "Hộ ông Lý Văn Páo") || strings.Contains(body, "Hoàng Thị Mai") {
		t.Errorf("the certificate's public page: %d %s", st, body)
	}

	// The public page: no login.
	get := func(p string) (int, string) { return getPublic(t, b.url+p) }
	st, body := get("/verify/" + code)
	if st != 200 || !strings.Contains(body, "1/QĐ-UBND") || !strings.Contains(body, "Còn hiệu lực") || !strings.Contains(body, "Giấy khen") {
		t.Errorf("public page: %d %s", st, body)
	}
	st1, unknown := get("/verify/ZZZZ-ZZZZ")
	st2, malformed := get("/verify/%3Cscript%3E")
	if st1 != st2 || unknown != malformed || st1 != http.StatusNotFound {
		t.Errorf("unknown %d %q, malformed %d %q", st1, unknown, st2, malformed)
	}
	// Rate limited: 30 requests a minute per address, then 429.
	limited := false
	for range 40 {
		if st, _ := get("/verify/ZZZZ-ZZZZ"); st == http.StatusTooManyRequests {
			limited = true
			break
		}
	}
	if !limited {
		t.Error("the public page is not rate limited")
	}
}

// getPublic fetches a page without a session.
func getPublic(t *testing.T, u string) (int, string) {
	t.Helper()
	r, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(r.Body)
	return r.StatusCode, buf.String()
}

// TestSubmissionLetterPDF: the district's forwarding of a Bằng khen tỉnh has a
// numbered tờ trình; its PDF is issued once, linked from the dossier's history, and
// addressed to the province's chair with the nominees.
func TestSubmissionLetterPDF(t *testing.T) {
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext is not installed: apt-get install poppler-utils (make test does it when root)")
	}
	b := setup(t)
	n := b.newDossier("BK_TINH", "individual", "Hoàng Văn Tùng")
	id := n.ID
	b.actAs("huyen.appraiser", id, dossiers.ActInput{Action: "accept"})
	b.actAs("huyen.appraiser", id, dossiers.ActInput{Action: "approve"})
	b.actAs("huyen.decider", id, dossiers.ActInput{Action: "forward"})
	clerk := b.login("huyen.decider")
	var letter string
	if err := b.pool.QueryRow(context.Background(), `SELECT code FROM submission_letters WHERE nomination_id = $1 ORDER BY seq LIMIT 1`, id).
		Scan(&letter); err != nil {
		t.Fatalf("no submission letter: %v", err)
	}
	clerk.get("/dossiers/"+id).must(t, 200).has(t, "/submission.pdf?letter="+url.QueryEscape(letter))
	tt := clerk.get("/dossiers/"+id+"/submission.pdf?letter="+url.QueryEscape(letter)).must(t, 200)
	if again := clerk.get("/dossiers/"+id+"/submission.pdf?letter="+url.QueryEscape(letter)).must(t, 200); again.body != tt.body {
		t.Error("the submission letter was issued twice")
	}
	path := filepath.Join(t.TempDir(), "tt.pdf")
	os.WriteFile(path, []byte(tt.body), 0o644)
	out, _ := exec.Command(pdftotext, "-layout", path, "-").CombinedOutput()
	flat := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{"TỜ TRÌNH", "Số: " + letter, "Ủy ban nhân dân huyện Cao Lộc kính trình", "Kính gửi: Chủ tịch Ủy ban nhân dân tỉnh Lạng Sơn",
		"Căn cứ Luật Thi đua, khen thưởng", "Hoàng Văn Tùng", "Nơi nhận:"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the submission letter lacks %q:\n%s", want, out)
		}
	}
	clerk.get("/dossiers/"+id+"/submission.pdf?letter=99/TTr-UBND").must(t, http.StatusNotFound)

}
