package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/tdkt/tdkt/internal/dossiers"
	"github.com/tdkt/tdkt/internal/seed"
)

// uploadAndSend chooses a file for a file input, as a user does in the browser's
// file dialog, clicks the form's button and returns the status of the page it
// leads to.
func (tb *tab) uploadAndSend(input, button, file string) int64 {
	tb.t.Helper()
	tb.do(chromedp.SetUploadFiles(chromedp.CSS(input), []string{file}))
	ctx, cancel := tb.step()
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(button), chromedp.NodeVisible))
	if err != nil {
		tb.t.Fatalf("send %s: %v", file, err)
	}
	return resp.Status
}

// TestBrowserNomineeImportAndHistoryRegister drives Chromium through the
// spreadsheet pages: the commune clerk uploads a nominee workbook with a bad row
// on a draft's edit page (the row's error is listed, nothing changes), then the
// corrected one, and sees the imported rows on the dossier; she imports the
// commune's award history, finds a subject by typing its name without diacritics
// (the list is filtered in place by htmx) and checks Bằng khen tỉnh on the
// subject's page. It fails on any script error or CSP violation and saves
// screenshots of each page.
func TestBrowserNomineeImportAndHistoryRegister(t *testing.T) {
	b := setup(t)
	n, err := b.svc.CreateNomination(context.Background(), b.userID("xa.clerk"), dossiers.CreateNominationInput{UnitID: seed.DemoCommune,
		AwardCode: "GK", Year: 2025, Nominees: []dossiers.NomineeInput{{Kind: "household", Name: "Hộ ông Lý Văn Páo"}}})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	bad := write("sai.xlsx", nomineeBook(t,
		map[string]any{"kind": "Cá nhân", "name": "Hoàng Văn Tùng"},
		map[string]any{"kind": "Đoàn thể", "name": "Hội Nông dân xã Bảo Lâm"}))
	good := write("danh-sach.xlsx", nomineeBook(t,
		map[string]any{"kind": "Cá nhân", "name": "Hoàng Văn Tùng", "job_title": "Trưởng thôn", "organisation": "Thôn Bản Loỏng"},
		map[string]any{"kind": "Tập thể", "name": "Hội Nông dân xã Bảo Lâm"},
		map[string]any{"kind": "Hộ gia đình", "name": "Hộ bà Nông Thị Hoa"}))
	historyFile := write("lich-su.xlsx", mohaBook(t, ""))

	tb := newTab(t, b.url)
	tb.login("xa.clerk")

	tb.open("/dossiers/" + n.ID + "/edit")
	if status := tb.uploadAndSend("#nominee-file", "#nominee-import-submit", bad); status != 422 {
		t.Fatalf("a file with a bad row answered %d, want 422", status)
	}
	tb.expectText("#row-errors", "Đoàn thể")
	tb.expectText("#row-errors", "không phải là loại đối tượng")
	tb.screenshot("import-01-row-errors.png")
	if c := b.count("nominees WHERE nomination_id = '" + n.ID + "'"); c != 1 {
		t.Fatalf("%d nominees after a refused file, want 1", c)
	}

	if status := tb.uploadAndSend("#nominee-file", "#nominee-import-submit", good); status != 200 {
		t.Fatalf("the corrected file answered %d", status)
	}
	tb.expectText(".flash", "Đã nhập 3 đối tượng")
	for _, name := range []string{"Hoàng Văn Tùng", "Hội Nông dân xã Bảo Lâm", "Hộ bà Nông Thị Hoa"} {
		tb.expectText("#nominees", name)
	}
	if js[int](tb, "document.querySelectorAll('#nominees tbody tr').length") != 3 {
		t.Fatal("the dossier does not list exactly the 3 imported nominees")
	}
	tb.screenshot("import-02-dossier.png")

	tb.open("/history/import")
	if status := tb.uploadAndSend("#i-file", "#history-import-submit", historyFile); status != 200 {
		t.Fatalf("the history file answered %d", status)
	}
	tb.expectText(".flash", "Đã nhập tệp lịch sử")
	tb.do(chromedp.SendKeys(chromedp.ID("f-q"), "hoang thi lan\r"))
	tb.waitFor(`location.search.includes('q=hoang') && document.querySelectorAll('#subjects tr.subject').length === 1`)
	tb.expectText("#subjects", "Hoàng Thị Lan")
	tb.screenshot("import-03-history.png")

	tb.submit("#subjects a")
	tb.do(chromedp.SetValue(chromedp.ID("c-award"), "BK_TINH"), chromedp.SetValue(chromedp.ID("c-year"), "2024"))
	tb.submit("#check-submit")
	tb.expectText("#elig-result", "Đủ tiêu chuẩn")
	tb.expectText("#elig-result", "2 năm liên tục (cần 2): đạt")
	tb.screenshot("import-04-subject.png")

	// The refused file's page answers 422 on purpose, which Chromium logs as a
	// failed load; anything else is a real error.
	var errs []string
	for _, e := range tb.pageErrors() {
		if !strings.Contains(e, "/nominees/import") || !strings.Contains(e, "status of 422") {
			errs = append(errs, e)
		}
	}
	if len(errs) > 0 {
		t.Fatalf("the pages reported errors:\n%s", strings.Join(errs, "\n"))
	}
}
