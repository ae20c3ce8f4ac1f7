package web_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// chromiumPath finds Debian's Chromium (or Chrome). A missing browser fails the
// test with the way to install it: the browser tests are part of `make test`,
// whose chromium target installs it when it runs as root.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("no Chromium on PATH: the browser tests need it. Run `make chromium` as root, or " +
		"`apt-get install -y chromium` (Debian), then run the tests again.")
	return ""
}

// screenshotDir is testdata/screenshots at the module root (ignored by git).
func screenshotDir(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
	out := filepath.Join(dir, "testdata", "screenshots")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	return out
}

// tab is a headless Chromium tab on the test server, with the page errors it
// has seen (script exceptions, console errors, CSP violations).
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string
	shot string

	mu     sync.Mutex
	errors []string
}

func newTab(t *testing.T, base string) *tab {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("lang", "vi-VN"),
		chromedp.Flag("accept-lang", "vi-VN,vi"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	// A bound on the whole tab (each step has its own 20 s): the every-page test
	// visits some 60 pages and screenshots, 40 s alone here, more under a loaded
	// machine's make test.
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelTab(); cancelAlloc() })
	tb := &tab{t: t, ctx: ctx, base: base, shot: screenshotDir(t)}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	// Accept the confirmations of irreversible actions, and collect page errors.
	dialogs := chromedp.Events(ctx, cdppage.JavascriptDialogOpening)
	go func() {
		for _, err := range dialogs {
			if err != nil {
				return
			}
			if _, err := chromedp.Call(ctx, cdppage.HandleJavaScriptDialog, cdppage.HandleJavaScriptDialogParams{Accept: true}); err != nil {
				tb.fail("accept dialog: %v", err)
			}
		}
	}()
	entries := chromedp.Events(ctx, log.EntryAdded)
	go func() {
		for ev, err := range entries {
			if err != nil {
				return
			}
			if ev.Entry.Level == log.EntryLevelError || ev.Entry.Source == log.EntrySourceSecurity || ev.Entry.Source == log.EntrySourceViolation {
				tb.fail("%s %s: %s", ev.Entry.Source, ev.Entry.URL, ev.Entry.Text)
			}
		}
	}()
	exceptions := chromedp.Events(ctx, runtime.ExceptionThrown)
	go func() {
		for ev, err := range exceptions {
			if err != nil {
				return
			}
			tb.fail("exception: %s", ev.ExceptionDetails.Text)
		}
	}()
	return tb
}

// fail records a page error; the test fails at its end if there was any.
func (tb *tab) fail(format string, args ...any) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	tb.errors = append(tb.errors, fmt.Sprintf(format, args...))
}

func (tb *tab) pageErrors() []string {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	return append([]string(nil), tb.errors...)
}

// step bounds one browser step, so that a missing element fails the test quickly
// with the step's name instead of waiting for the whole test's deadline.
func (tb *tab) step() (context.Context, context.CancelFunc) {
	return context.WithTimeout(tb.ctx, 20*time.Second)
}

// open loads a path and checks that it answered 200.
func (tb *tab) open(path string) {
	tb.t.Helper()
	ctx, cancel := tb.step()
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Navigate(tb.base+path))
	if err != nil {
		tb.t.Fatalf("open %s: %v", path, err)
	}
	if resp.Status != 200 {
		tb.t.Fatalf("open %s: status %d", path, resp.Status)
	}
}

// submit clicks a button that sends a form and waits for the page it leads to.
func (tb *tab) submit(sel string) {
	tb.t.Helper()
	ctx, cancel := tb.step()
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		tb.t.Fatalf("click %s: %v", sel, err)
	}
	if resp.Status != 200 {
		html, _ := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("main")))
		tb.t.Fatalf("click %s: status %d\n%s", sel, resp.Status, html)
	}
}

func (tb *tab) do(actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := tb.step()
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		tb.t.Fatal(err)
	}
}

// text returns the text of the first element matching sel.
func (tb *tab) text(sel string) string {
	tb.t.Helper()
	ctx, cancel := tb.step()
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		tb.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// js evaluates an expression in the page.
func js[T any](tb *tab, expr string) T {
	tb.t.Helper()
	ctx, cancel := tb.step()
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		tb.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

func (tb *tab) exists(sel string) bool {
	return js[bool](tb, fmt.Sprintf("document.querySelector(%q) !== null", sel))
}

// expectText fails unless the element's text contains want.
func (tb *tab) expectText(sel, want string) {
	tb.t.Helper()
	if got := tb.text(sel); !strings.Contains(got, want) {
		tb.t.Fatalf("%s shows %q, want %q", sel, got, want)
	}
}

// waitFor polls a condition in the page (a swap done by htmx).
func (tb *tab) waitFor(expr string) {
	tb.t.Helper()
	ctx, cancel := tb.step()
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		tb.t.Fatalf("waiting for %s: %v", expr, err)
	}
}

// screenshot saves the whole page as a PNG.
func (tb *tab) screenshot(name string) {
	tb.t.Helper()
	ctx, cancel := tb.step()
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		tb.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(tb.shot, name), png, 0o644); err != nil {
		tb.t.Fatal(err)
	}
}

func (tb *tab) login(user string) {
	tb.t.Helper()
	tb.open("/login")
	tb.do(chromedp.SendKeys(chromedp.ID("username"), user), chromedp.SendKeys(chromedp.ID("password"), "tdkt-demo-2026"))
	tb.submit("#login-form button[type=submit]")
	tb.expectText("h1", "Xin chào")
}

func (tb *tab) logout() {
	tb.t.Helper()
	tb.submit(`form[action="/logout"] button`)
	tb.expectText(".flash", "Bạn đã đăng xuất")
}

// openTaskFor opens the inbox and follows the link of the dossier's task.
func (tb *tab) openTaskFor(id string) {
	tb.t.Helper()
	tb.open("/inbox")
	tb.submit(fmt.Sprintf(`tr[data-dossier=%q] a`, id))
}

// acceptIntake takes the intake step when the procedure has one, ticking the
// required parts of the dossier (nothing is ticked before the appraiser checks).
func (tb *tab) acceptIntake() {
	tb.t.Helper()
	tb.tickChecklist()
	if tb.exists("#act-accept") {
		tb.submit("#act-accept")
		tb.expectText(".flash", "Đã tiếp nhận hồ sơ")
	}
}

// tickChecklist ticks the required parts of the appraisal form's checklist.
func (tb *tab) tickChecklist() {
	tb.t.Helper()
	js[bool](tb, `(() => { ['submission', 'report', 'minutes'].forEach(k => {
		const b = document.getElementById('have-' + k); if (b) b.checked = true }); return true })()`)
}

// TestBrowserNominationFromCommuneClerkToPrintedDecision drives Chromium through
// the whole procedure of a Giấy khen that the district decides: the commune clerk
// logs in, creates the dossier (adding a nominee row in place with htmx) and
// submits it; the district appraiser filters the inbox (htmx, no reload) and
// returns the dossier with a missing part; the clerk supplements and resubmits;
// the appraiser approves; the district's leader decides after a confirmation; the
// printable decision shows its number and signer. It fails on any script error or
// Content-Security-Policy violation, and saves screenshots of the main pages.
func TestBrowserNominationFromCommuneClerkToPrintedDecision(t *testing.T) {
	b := setup(t)
	tb := newTab(t, b.url)

	tb.open("/login")
	tb.screenshot("01-login.png")
	tb.login("xa.clerk")

	tb.open("/dossiers/new")
	tb.do(chromedp.SetValue(chromedp.ID("award_code"), "GK"),
		chromedp.SendKeys(chromedp.CSS("#nominee-rows fieldset:nth-of-type(1) input[name=nominee_name]"), "Hộ ông Lý Văn Páo"),
		chromedp.SetValue(chromedp.CSS("#nominee-rows fieldset:nth-of-type(1) select"), "household"),
		chromedp.SendKeys(chromedp.CSS("#nominee-rows fieldset:nth-of-type(1) textarea"), "Hộ tiêu biểu thoát nghèo bền vững năm 2025"))
	js[bool](tb, "(window.tdktMarker = true)")
	tb.do(chromedp.Click(chromedp.ID("add-row")), chromedp.WaitVisible(chromedp.CSS("#nominee-rows fieldset:nth-of-type(2)")))
	if !js[bool](tb, "window.tdktMarker === true") {
		t.Fatal("adding a nominee row reloaded the page instead of swapping a row in")
	}
	if focused := js[string](tb, "document.activeElement && document.activeElement.name"); focused != "nominee_name" {
		t.Errorf("after adding a row the focus is on %q, want the new row's name", focused)
	}
	tb.do(chromedp.SendKeys(chromedp.CSS("#nominee-rows fieldset:nth-of-type(2) input[name=nominee_name]"), "Bà Hoàng Thị Mai"),
		chromedp.SendKeys(chromedp.CSS("#nominee-rows fieldset:nth-of-type(2) input[name=nominee_job]"), "Chi hội trưởng Hội Phụ nữ"))
	tb.screenshot("02-new-dossier.png")
	tb.submit("#create")
	tb.expectText(".flash", "Đã tạo hồ sơ")
	id := js[string](tb, "location.pathname.split('/')[2]")
	tb.expectText("#nominees", "Bà Hoàng Thị Mai")
	tb.do(chromedp.Click(chromedp.ID("submit_anyway")))
	tb.submit("#act-submit")
	tb.expectText(".flash", "Đã gửi hồ sơ")
	tb.logout()

	tb.login("huyen.appraiser")
	tb.open("/inbox")
	js[bool](tb, "(window.tdktMarker = true)")
	js[bool](tb, `(() => { const s = document.querySelector('#f-step'); s.value = 'decide';
		s.dispatchEvent(new Event('change', {bubbles: true})); return true })()`)
	tb.waitFor(`location.search.includes('step=decide') && document.querySelector('#inbox-results tr[data-dossier]') === null`)
	js[bool](tb, `(() => { const s = document.querySelector('#f-step'); s.value = '';
		s.dispatchEvent(new Event('change', {bubbles: true})); return true })()`)
	tb.waitFor(fmt.Sprintf(`document.querySelector('#inbox-results tr[data-dossier=%q]') !== null`, id))
	if !js[bool](tb, "window.tdktMarker === true") {
		t.Fatal("filtering the inbox reloaded the page instead of swapping the results")
	}
	tb.screenshot("03-inbox.png")
	tb.openTaskFor(id)
	tb.acceptIntake()
	tb.tickChecklist()
	tb.do(chromedp.Click(chromedp.ID("have-minutes")),
		chromedp.SendKeys(chromedp.ID("missing_other"), "Xác nhận của Trưởng thôn Bản Loỏng"))
	tb.submit("#act-return")
	tb.expectText(".flash", "Đã trả lại hồ sơ")
	tb.expectText("#missing-items", "Biên bản họp Hội đồng Thi đua – Khen thưởng")
	tb.expectText("#missing-items", "Xác nhận của Trưởng thôn Bản Loỏng")
	tb.logout()

	tb.login("xa.clerk")
	tb.openTaskFor(id)
	tb.submit("#edit-link")
	tb.expectText("#missing-h", "yêu cầu bổ sung")
	tb.do(chromedp.SetValue(chromedp.CSS("#nominee-rows fieldset:nth-of-type(1) textarea"),
		"Hộ tiêu biểu thoát nghèo bền vững năm 2025 (kèm biên bản họp Hội đồng Thi đua – Khen thưởng xã)"))
	tb.submit("#save-submit")
	tb.expectText(".flash", "Đã gửi hồ sơ")
	tb.logout()

	tb.login("huyen.appraiser")
	tb.openTaskFor(id)
	tb.acceptIntake()
	if tb.exists("#act-return") {
		t.Fatal("a dossier returned once is offered a second return")
	}
	tb.tickChecklist()
	tb.submit("#act-approve")
	tb.expectText(".flash", "thẩm định đạt")
	tb.logout()

	tb.login("huyen.decider")
	tb.openTaskFor(id)
	tb.submit("#act-decide")
	tb.expectText(".flash", "Đã ký quyết định khen thưởng")
	tb.expectText("#dossier-status", "Đã quyết định khen thưởng")
	tb.expectText("#nominees", "Được khen thưởng")
	tb.expectText("#timeline", "Trả lại, yêu cầu bổ sung")
	tb.screenshot("04-dossier.png")
	tb.submit(".decision-link")
	tb.expectText("#doc-number", "1/QĐ-UBND")
	tb.expectText("#doc-signer", "Nông Đức Toàn")
	tb.expectText(".doc-issuer", "ỦY BAN NHÂN DÂN HUYỆN CAO LỘC")
	tb.expectText("#doc-awardees", "Bà Hoàng Thị Mai")
	tb.screenshot("05-decision.png")

	b.moreDossiers(6)
	tb.open("/")
	tb.logout()
	tb.login("huyen.appraiser")
	tb.waitFor(`document.querySelectorAll('.chart svg rect.bar-overdue').length > 0`)
	tb.screenshot("06-dashboard.png")
	tb.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	tb.open("/dossiers/" + id)
	tb.screenshot("07-dossier-phone.png")

	// Keyboard: the first Tab reaches the skip link, which moves focus to the content.
	tb.do(chromedp.EmulateViewport(1280, 900))
	tb.open("/inbox")
	tb.do(chromedp.KeyEvent("\t"))
	if got := js[string](tb, "document.activeElement.className"); got != "skip" {
		t.Errorf("the first Tab focuses %q, want the skip link", got)
	}

	tb.open("/calendar?year=2026")
	tb.expectText("#holidays", "Tết Nguyên đán")
	tb.screenshot("08-calendar.png")

	if errs := tb.pageErrors(); len(errs) > 0 {
		t.Fatalf("the pages reported errors:\n%s", strings.Join(errs, "\n"))
	}
}
