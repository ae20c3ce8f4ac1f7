package web_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/tdkt/tdkt/internal/dossiers"
	"github.com/tdkt/tdkt/internal/seed"
)

// screenPage is one page of the screens walk: who looks at it, and its path.
type screenPage struct {
	name, user, path string
}

// docsScreens is docs/screens at the module root, where the screenshots of every
// page at both widths are written for the documentation.
func docsScreens(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(filepath.Dir(screenshotDir(t)), "..", "docs", "screens")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestBrowserEveryPageFitsAPhoneAndADesk opens every page of the web UI in
// Chromium, as the people who use it, at 1280 px and at 390 px (a phone). It fails
// when a page scrolls horizontally at 390 px (the document is wider than the
// screen), when the menu wraps onto a second row at 1280 px, when the phone's menu
// is not folded behind its button, or when any page logs a console error, throws,
// or violates the Content-Security-Policy. It writes a screenshot of each page at
// both widths under docs/screens/.
func TestBrowserEveryPageFitsAPhoneAndADesk(t *testing.T) {
	b := setup(t)
	b.moreDossiers(6)
	fwd := b.newDossier("BK_TINH", "individual", "Hoàng Văn Tùng", "Lý Thị Hoa Ban")
	b.actAs("huyen.appraiser", fwd.ID, dossiers.ActInput{Action: "accept"})
	b.actAs("huyen.appraiser", fwd.ID, dossiers.ActInput{Action: "approve"})
	campaign := b.districtCampaign()
	movement := b.provinceMovement()
	// The province's appraiser reads every unit of the demo (about 240): from 100
	// units the dashboard's figures are shared ones and say when they were counted,
	// as the ministry's are at national scale.
	b.svc.Worklists.SharedStatsMinUnits = 100
	draft := b.newDossier("GK", "household", "Hộ ông Lý Văn Páo")
	b.actAs("huyen.appraiser", draft.ID, dossiers.ActInput{Action: "accept"})
	b.actAs("huyen.appraiser", draft.ID, dossiers.ActInput{Action: "return", MissingItems: []string{"Biên bản họp"}})

	pages := []screenPage{
		{"dashboard", "huyen.appraiser", "/"},
		{"inbox", "huyen.appraiser", "/inbox"},
		{"dossiers", "huyen.appraiser", "/dossiers"},
		{"deadlines", "huyen.appraiser", "/deadlines"},
		{"dossier-forward", "huyen.decider", "/dossiers/" + fwd.ID},
		{"dossier-returned", "xa.clerk", "/dossiers/" + draft.ID},
		{"dossier-edit", "xa.clerk", "/dossiers/" + draft.ID + "/edit"},
		{"dossier-new", "xa.clerk", "/dossiers/new"},
		{"decisions", "huyen.appraiser", "/decisions"},
		{"reviews", "huyen.appraiser", "/reviews"},
		{"review", "huyen.appraiser", "/reviews/" + campaign},
		{"review-report", "xa.clerk", "/reviews/" + campaign + "/reports/" + seed.DemoCommune},
		{"dashboard-shared", "tinh.appraiser", "/"},
		{"campaign-new", "tinh.appraiser", "/reviews/new"},
		{"movements", "tinh.appraiser", "/movements"},
		{"movement", "tinh.appraiser", "/movements/" + movement},
		{"movement-new", "tinh.appraiser", "/movements/new"},
		{"history", "huyen.appraiser", "/history"},
		{"units", "huyen.appraiser", "/units"},
		{"calendar", "huyen.appraiser", "/calendar?year=2026"},
		{"notifications", "xa.clerk", "/notifications"},
		{"admin-units", "tinh.admin", "/admin"},
		{"admin-users", "tinh.admin", "/admin/users"},
	}
	out := docsScreens(t)
	tb := newTab(t, b.url)
	tb.open("/login")
	tb.shotAt(out, "login", "/login")

	var problems []string
	user := ""
	for _, pg := range pages {
		if pg.user != user {
			if user != "" {
				tb.do(chromedp.EmulateViewport(1280, 900))
				tb.open("/")
				tb.logout()
			}
			tb.do(chromedp.EmulateViewport(1280, 900))
			tb.login(pg.user)
			user = pg.user
		}
		problems = append(problems, tb.shotAt(out, pg.name, pg.path)...)
	}
	// The per-nominee outcomes, opened, on the phone: the selects have the width.
	tb.do(chromedp.EmulateViewport(1280, 900))
	tb.open("/")
	tb.logout()
	tb.login("huyen.decider")
	tb.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	tb.open("/dossiers/" + fwd.ID)
	js[bool](tb, "(document.getElementById('outcomes').open = true)")
	if w := js[int](tb, "Math.round(document.querySelector('#outcomes select[name^=award_]').getBoundingClientRect().width)"); w < 250 {
		problems = append(problems, fmt.Sprintf("the lower-award select is %d px wide at 390 px", w))
	}
	if js[bool](tb, "document.documentElement.scrollWidth > innerWidth") {
		problems = append(problems, "the opened outcomes scroll horizontally at 390 px")
	}
	tb.elementShot(out, "dossier-outcomes-390.png", "#pass-on")
	if len(problems) > 0 {
		t.Errorf("pages that do not fit:\n%s", strings.Join(problems, "\n"))
	}
	if errs := tb.pageErrors(); len(errs) > 0 {
		t.Fatalf("the pages reported errors:\n%s", strings.Join(errs, "\n"))
	}
}

// shotAt opens path at 1280 px and at 390 px, checks that it fits each width, and
// writes <name>-1280.png and <name>-390.png into dir. It returns what does not fit.
func (tb *tab) shotAt(dir, name, path string) []string {
	tb.t.Helper()
	var problems []string
	for _, w := range []int{1280, 390} {
		if w == 390 {
			tb.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
		} else {
			tb.do(chromedp.EmulateViewport(1280, 900))
		}
		tb.open(path)
		if w == 390 {
			if js[bool](tb, "document.documentElement.scrollWidth > innerWidth") {
				wide := js[string](tb, `[...document.querySelectorAll('main *, header *')]
					.filter(e => e.getBoundingClientRect().right > innerWidth + 1)
					.slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : '') +
						' ' + Math.round(e.getBoundingClientRect().right)).join(', ')`)
				problems = append(problems, fmt.Sprintf("%s at 390 px: %d px wide (%s)", path,
					js[int](tb, "document.documentElement.scrollWidth"), wide))
			}
			if tb.exists(".main-nav") && js[bool](tb, "getComputedStyle(document.querySelector('.main-nav ul')).display !== 'none'") {
				problems = append(problems, path+" at 390 px: the menu is not folded")
			}
		} else if tb.exists(".main-nav") {
			if rows := js[int](tb, "new Set([...document.querySelectorAll('.main-nav li')].map(l => l.offsetTop)).size"); rows != 1 {
				problems = append(problems, fmt.Sprintf("%s at 1280 px: the menu takes %d rows", path, rows))
			}
		}
		tb.screenshotTo(dir, fmt.Sprintf("%s-%d.png", name, w))
	}
	return problems
}

// screenshotTo saves the whole page as a PNG into dir.
func (tb *tab) screenshotTo(dir, name string) {
	tb.t.Helper()
	ctx, cancel := tb.step()
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		tb.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		tb.t.Fatal(err)
	}
}

// elementShot saves one element of the page as a PNG into dir.
func (tb *tab) elementShot(dir, name, sel string) {
	tb.t.Helper()
	ctx, cancel := tb.step()
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS(sel)))
	if err != nil {
		tb.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		tb.t.Fatal(err)
	}
}
