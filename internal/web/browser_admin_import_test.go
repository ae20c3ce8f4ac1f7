package web_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/tdkt/tdkt/internal/seed"
)

// TestBrowserAdminImportsAReorganisation drives Chromium through the admin
// area's import form at 1280 and 390 px: a list with a bad row is refused with
// the row listed, the corrected list shows what the import changed; neither page
// scrolls sideways on a phone. It saves screenshots of each.
func TestBrowserAdminImportsAReorganisation(t *testing.T) {
	b := setup(t)
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	bad := write("sap-xep-sai.csv", reorgCSV(
		"LS-77001,Bảo Lâm Mới,xa,"+seed.Province+",2027-01-01,"+seed.DemoCommune,
		"LS-77002,Thử,xa,LS-KHONG-CO,2027-01-01,"))
	good := write("sap-xep.csv", reorgCSV("LS-77001,Bảo Lâm Mới,xa,"+seed.Province+",2027-01-01,"+seed.DemoCommune))

	tb := newTab(t, b.url)
	tb.login("tinh.admin")
	fits := func(what string) {
		t.Helper()
		if w := js[int](tb, "document.documentElement.scrollWidth"); w > 390 {
			t.Errorf("%s scrolls sideways on a phone: %d px wide", what, w)
		}
	}
	tb.open("/admin/units/import")
	tb.do(chromedp.SetValue(chromedp.ID("imp-source"), "NQ 9999/NQ-UBTVQH15"))
	if status := tb.uploadAndSend("#imp-file", "#units-import-submit", bad); status != 422 {
		t.Fatalf("a file with a bad row answered %d, want 422", status)
	}
	tb.expectText("#row-errors", "no unit LS-KHONG-CO")
	tb.screenshot("admin-import-01-row-errors.png")
	tb.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	tb.open("/admin/units/import")
	tb.do(chromedp.SetValue(chromedp.ID("imp-source"), "NQ 9999/NQ-UBTVQH15"))
	if status := tb.uploadAndSend("#imp-file", "#units-import-submit", bad); status != 422 {
		t.Fatalf("a file with a bad row answered %d on a phone", status)
	}
	fits("the refused file")
	tb.screenshot("admin-import-02-row-errors-phone.png")
	if status := tb.uploadAndSend("#imp-file", "#units-import-submit", good); status != 200 {
		t.Fatalf("the corrected file answered %d", status)
	}
	tb.expectText("#import-result", seed.DemoCommune)
	fits("the result")
	tb.screenshot("admin-import-03-result-phone.png")
	tb.do(chromedp.EmulateViewport(1280, 900))
	tb.open("/admin/units/import")
	tb.screenshot("admin-import-04-form.png")

	var errs []string
	for _, e := range tb.pageErrors() {
		if !strings.Contains(e, "/admin/units/import") || !strings.Contains(e, "status of 422") {
			errs = append(errs, e)
		}
	}
	if len(errs) > 0 {
		t.Fatalf("the pages reported errors:\n%s", strings.Join(errs, "\n"))
	}
}
