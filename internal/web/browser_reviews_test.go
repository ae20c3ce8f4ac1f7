package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/tdkt/tdkt/internal/seed"
)

// TestBrowserCommuneClerkSubmitsItsReviewReport drives Chromium through the report
// form: the commune clerk opens the campaign, follows "my unit's report", types the
// figures the Vietnamese way and a narrative section, and submits; the page shows
// the report as sent with the percentage computed from the figures. It fails on any
// script error or Content-Security-Policy violation, and saves screenshots of the
// form and of the submitted report.
func TestBrowserCommuneClerkSubmitsItsReviewReport(t *testing.T) {
	b := setup(t)
	id := b.districtCampaign()
	tb := newTab(t, b.url)
	tb.login("xa.clerk")

	tb.open("/reviews/" + id)
	tb.expectText("#my-reports", "Báo cáo của đơn vị tôi")
	tb.submit("#my-report-" + seed.DemoCommune)
	tb.do(chromedp.SendKeys(chromedp.CSS(`[id="n.so_ho"]`), "1.250"),
		chromedp.SendKeys(chromedp.CSS(`[id="n.so_ho_ngheo"]`), "125"),
		chromedp.SendKeys(chromedp.CSS(`[id="t.ket_qua"]`), "Rà soát, hỗ trợ 125 hộ nghèo; xây mới 3 nhà Đại đoàn kết."))
	tb.screenshot("09-review-report-form.png")
	tb.submit("#report-submit")
	tb.expectText(".flash", "Đã gửi báo cáo lên cấp trên")
	tb.expectText("#report-status", "Đã gửi")
	tb.expectText("#ind-ty_le_ho_ngheo", "10,00")
	tb.expectText("#report-history", "Gửi báo cáo")
	tb.screenshot("10-review-report-submitted.png")

	if errs := tb.pageErrors(); len(errs) > 0 {
		t.Fatalf("the pages reported errors:\n%s", strings.Join(errs, "\n"))
	}
}
