package web

import (
	"io/fs"
	"regexp"
	"sort"
	"testing"
	"time"

	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/domain"
)

func TestNumbersAndMoneyAreWrittenTheVietnameseWay(t *testing.T) {
	for _, tc := range []struct {
		n    int64
		want string
	}{
		{0, "0"}, {7, "7"}, {999, "999"}, {1000, "1.000"}, {702000, "702.000"}, {2340000, "2.340.000"},
		{3468179900, "3.468.179.900"}, {-1053000, "-1.053.000"}, {-9223372036854775808, "-9.223.372.036.854.775.808"},
	} {
		if got := FormatNumber(tc.n); got != tc.want {
			t.Errorf("formatNumber(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
	if got := FormatMoney(3468179900); got != "3.468.179.900 đ" {
		t.Errorf("formatMoney = %q", got)
	}
	for x, want := range map[float64]string{0.3: "0,3", 1.5: "1,5", 12: "12", 4.5: "4,5"} {
		if got := FormatDecimal(x); got != want {
			t.Errorf("formatDecimal(%v) = %q, want %q", x, got, want)
		}
	}
}

func TestDatesAreDayMonthYearInVietnam(t *testing.T) {
	// 20:30 UTC on 31/12/2025 is already 1 January 2026 in Vietnam.
	at := time.Date(2025, 12, 31, 20, 30, 0, 0, time.UTC)
	if got := FormatDate(at); got != "01/01/2026" {
		t.Errorf("formatDate = %q", got)
	}
	if got := formatDateTime(at); got != "03:30 01/01/2026" {
		t.Errorf("formatDateTime = %q", got)
	}
	if got := FormatDateHourMinute(at); got != "01/01/2026 03:30" {
		t.Errorf("formatDateHourMinute = %q", got)
	}
	if got := FormatISODate("2026-11-26"); got != "26/11/2026" {
		t.Errorf("formatISODate = %q", got)
	}
	if FormatDate(time.Time{}) != "" || FormatDateHourMinute(time.Time{}) != "" || FormatISODate("soon") != "soon" {
		t.Error("zero and malformed dates")
	}
}

// TestDueDatesCountWorkingDays: a deadline across a weekend and across Tết counts
// only working days, and overdue is measured the same way.
func TestDueDatesCountWorkingDays(t *testing.T) {
	cal, err := calendar.New(calendar.Published())
	if err != nil {
		t.Fatal(err)
	}
	friday := time.Date(2026, 11, 27, 9, 0, 0, 0, calendar.Zone)
	due := cal.AddWorkingDays(friday, 3) // Monday, Tuesday, Wednesday
	if d := dueIn(cal, friday, due); d.Days != 3 || d.Overdue {
		t.Errorf("Friday + 3 working days: %+v", d)
	}
	if d := dueIn(cal, due.Add(-time.Hour), due); d.Days != 0 || d.Overdue {
		t.Errorf("on the due date: %+v", d)
	}
	nextMonday := time.Date(2026, 12, 7, 9, 0, 0, 0, calendar.Zone)
	if d := dueIn(cal, nextMonday, due); d.Days != -3 || !d.Overdue {
		t.Errorf("three working days late (Thu, Fri, Mon): %+v", d)
	}
	p := &Page{Lang: "vi", s: &Server{cal: calendarCache{cal: cal}, cfg: Config{Now: time.Now}}, now: nextMonday}
	if v := p.Due(&due); v.Text != "Quá hạn 3 ngày làm việc" || v.Class != "due-overdue" || v.Date != "02/12/2026" {
		t.Errorf("overdue view: %+v", v)
	}
	p.now = friday
	if v := p.Due(&due); v.Text != "Còn 3 ngày làm việc" || v.Class != "due-ok" {
		t.Errorf("due view: %+v", v)
	}
	if v := p.Due(nil); v.Text != "Không có hạn" {
		t.Errorf("no due date: %+v", v)
	}
}

func TestLanguageNegotiation(t *testing.T) {
	for header, want := range map[string]string{
		"":                             "vi",
		"en":                           "en",
		"en-GB,en;q=0.9":               "en",
		"vi-VN,vi;q=0.9,en-US;q=0.8":   "vi",
		"fr,en;q=0.5,vi;q=0.7":         "vi",
		"de-DE":                        "vi",
		"en;q=0,vi;q=0.1":              "vi",
		"EN-us;q=0.8, fr;q=0.9, *;q=1": "en",
	} {
		if got := fromAcceptLanguage(header); got != want {
			t.Errorf("Accept-Language %q → %s, want %s", header, got, want)
		}
	}
}

func TestLoginTargetsAndNotificationLinksStayOnTheSite(t *testing.T) {
	for next, want := range map[string]string{
		"/inbox?step=appraise": "/inbox?step=appraise", "": "/", "//evil.example": "/", "https://evil.example/": "/",
		`/\evil.example`: "/", "inbox": "/", "/dossiers/x#actions": "/dossiers/x#actions",
	} {
		if got := safeNext(next); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", next, got, want)
		}
	}
	for link, want := range map[string]string{
		"/api/v1/nominations/abc": "/dossiers/abc", "/nominations/abc": "/dossiers/abc", "/inbox": "/inbox",
		"https://evil.example": "", "/api/v1/inbox": "", "javascript:alert(1)": "",
	} {
		if got := WebLink(link); got != want {
			t.Errorf("webLink(%q) = %q, want %q", link, got, want)
		}
	}
}

func TestCSRFTokensAreBoundToTheirKeyAndLabel(t *testing.T) {
	tok := csrfToken("session-a", csrfLabel)
	if !validCSRF("session-a", csrfLabel, tok) {
		t.Fatal("own token refused")
	}
	if validCSRF("session-b", csrfLabel, tok) || validCSRF("session-a", loginCSRFLabel, tok) ||
		validCSRF("", csrfLabel, csrfToken("", csrfLabel)) || validCSRF("session-a", csrfLabel, "") {
		t.Fatal("a token was accepted for another session, label or an empty key")
	}
}

func TestChartScalesBarsToTheLargestRow(t *testing.T) {
	c := NewChart("c", "Hồ sơ", []ChartInput{
		{Label: "A", Values: []ChartValue{{Value: 10, Class: "x"}}},
		{Label: "B", Values: []ChartValue{{Value: 3, Class: "x", Name: "in"}, {Value: 2, Class: "y", Name: "late"}}},
		{Label: "C", Values: []ChartValue{{Value: 0, Class: "x"}}},
		{Label: "D", Values: []ChartValue{{Value: 1, Class: "x"}}},
	}, []LegendItem{{Class: "x", Label: "in"}})
	if w := c.Rows[0].Segments[0].W; w != chartBarMax {
		t.Errorf("largest bar is %d wide, want %d", w, chartBarMax)
	}
	b := c.Rows[1]
	if b.Total != 5 || b.Segments[0].W != 120 || b.Segments[1].X != chartBarX+120 || b.Segments[1].W != 80 {
		t.Errorf("stacked row: %+v", b)
	}
	if c.Rows[2].Segments[0].W != 0 || c.Rows[3].Segments[0].W != 40 {
		t.Errorf("zero and small rows: %+v %+v", c.Rows[2], c.Rows[3])
	}
	if c.Height != chartPad+5*chartRowH+chartPad || len(c.Legend) != 1 {
		t.Errorf("height %d, legend %v", c.Height, c.Legend)
	}
	empty := NewChart("e", "", []ChartInput{{Label: "A", Values: []ChartValue{{Value: 0}}}}, nil)
	if empty.Rows[0].Segments[0].W != 0 {
		t.Error("an all-zero chart draws a bar")
	}
}

// TestCatalogue: both message files (i18n/vi.json and i18n/en.json) have the same
// keys, every key a template or a handler names exists, every error page has its
// message, and every status, step, action, role and nominee kind of the procedure
// has a label.
func TestCatalogue(t *testing.T) {
	vi, en := catalogue["vi"], catalogue["en"]
	for k := range vi {
		if _, ok := en[k]; !ok {
			t.Errorf("English lacks %q", k)
		}
	}
	for k := range en {
		if _, ok := vi[k]; !ok {
			t.Errorf("Vietnamese lacks %q", k)
		}
	}
	used := map[string]bool{}
	keyRe := regexp.MustCompile(`\bT "([a-z_.0-9]+)"`)
	err := fs.WalkDir(templateFS, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(templateFS, path)
		for _, m := range keyRe.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(used) < 100 {
		t.Fatalf("found only %d keys in the templates", len(used))
	}
	for _, s := range AllStatuses {
		used["status."+string(s)] = true
	}
	for _, s := range AllSteps {
		used["step."+string(s)] = true
	}
	for _, r := range domain.AllRoles {
		used["role."+r] = true
	}
	for _, k := range NomineeKinds {
		used["kind."+k] = true
	}
	for _, st := range []string{domain.NomineePending, domain.NomineeHeld, domain.NomineeAwarded, domain.NomineeDowngraded,
		domain.NomineeRejected, domain.NomineeWithdrawn} {
		used["nstatus."+st] = true
	}
	for _, m := range fieldMessages {
		used[m.key] = true
	}
	for _, n := range navItems {
		used["nav."+n.Key] = true
	}
	for _, k := range errorPages {
		used[k], used[k+".title"] = true, true
	}
	for _, k := range []string{"login.locked", "error.method", "error.method.title", "error.internal", "error.internal.title"} {
		used[k] = true
	}
	var missing []string
	for k := range used {
		if _, ok := vi[k]; !ok {
			missing = append(missing, k)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Fatalf("keys without a message: %v", missing)
	}
}

// TestTemplatesParse: every page parses with the layout and renders its title.
func TestTemplatesParse(t *testing.T) {
	s := &Server{assets: map[string]string{}}
	pages, err := parseTemplates(s.funcs())
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"login", "error", "dashboard", "inbox", "dossiers", "dossier_form", "dossier", "decision",
		"decisions", "units", "notifications", "reviews", "review", "calendar"} {
		if pages[name] == nil || pages[name].Lookup("title") == nil || pages[name].Lookup("layout") == nil {
			t.Errorf("page %s is missing or lacks title/layout", name)
		}
	}
}
