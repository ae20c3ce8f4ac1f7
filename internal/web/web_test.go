package web_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/dossiers"
	"github.com/tdkt/tdkt/internal/inbox"
	"github.com/tdkt/tdkt/internal/seed"
)

// gkForm is the create form of a Giấy khen dossier of the demo commune, which the
// district decides.
func gkForm(names ...string) url.Values {
	f := url.Values{"unit_id": {seed.DemoCommune}, "award_code": {"GK"}, "year": {"2025"}, "title": {""}}
	for _, n := range names {
		org, ach := "Thôn Bản Loỏng", "Hộ gia đình tiêu biểu thoát nghèo bền vững"
		if n == "" { // a row left blank
			org, ach = "", ""
		}
		f.Add("nominee_kind", "household")
		f.Add("nominee_name", n)
		f.Add("nominee_job", "")
		f.Add("nominee_org", org)
		f.Add("nominee_achievements", ach)
	}
	return f
}

// act posts one action from the dossier page's forms.
func (br *browser) act(id string, p page, action string, extra url.Values) page {
	br.b.t.Helper()
	f := url.Values{"action": {action}, "version": {p.version(br.b.t)}}
	for k, v := range extra {
		f[k] = v
	}
	return br.post("/dossiers/"+id+"/act", f)
}

// TestDossierFromCommuneToDistrictDecisionThroughTheForms drives a Giấy khen dossier
// through the pages without JavaScript: the clerk creates it (a bad row is refused
// in Vietnamese, a blank row is dropped, "add a nominee" works without script) and
// submits it; the district's standing body returns it with the checklist's missing
// parts; the clerk supplements and resubmits; the standing body approves (refused
// while the checklist is incomplete) and the district's leader decides; the
// printable decision carries the number, the issuing body, the signer and the bonus.
func TestDossierFromCommuneToDistrictDecisionThroughTheForms(t *testing.T) {
	b := setup(t)
	clerk := b.login("xa.clerk")
	clerk.get("/dossiers/new").must(t, 200).has(t, "Tạo hồ sơ đề nghị khen thưởng", "UBND xã Bảo Lâm", "Giấy khen")

	bad := gkForm("Hộ ông Lý Văn Páo")
	bad.Set("nominee_name", "")
	clerk.post("/dossiers/new", bad).must(t, http.StatusUnprocessableEntity).
		has(t, "Thông tin chưa hợp lệ", "Bắt buộc nhập.", `aria-invalid="true"`)
	if n := b.count("nominations"); n != 0 {
		t.Fatalf("a refused form left %d dossiers", n)
	}

	more := gkForm("Hộ ông Lý Văn Páo")
	more.Set("op", "add_row")
	clerk.post("/dossiers/new", more).must(t, 200).has(t, "Đối tượng 2", "Hộ ông Lý Văn Páo")

	form := gkForm("Hộ ông Lý Văn Páo", "")
	p := clerk.post("/dossiers/new", form).must(t, 200).has(t, "Đã tạo hồ sơ", "Đang soạn", "Hộ ông Lý Văn Páo", "Giấy khen")
	id := p.dossierID(t)
	if n := b.count("nominees"); n != 1 {
		t.Fatalf("%d nominees stored; the blank row should have been dropped", n)
	}
	// Nothing is attached: the submit form warns, and sending is refused until the
	// clerk confirms sending the incomplete dossier anyway.
	p.has(t, `id="submit-missing"`, "Hồ sơ còn thiếu thành phần bắt buộc:", `name="submit_anyway"`)
	clerk.act(id, p, "submit", nil).must(t, http.StatusUnprocessableEntity).
		has(t, "hãy bổ sung tài liệu, hoặc xác nhận vẫn gửi", "Đang soạn")
	p = clerk.act(id, p, "submit", url.Values{"submit_anyway": {"1"}}).must(t, 200).has(t, "Đã gửi hồ sơ")

	appraiser := b.login("huyen.appraiser")
	appraiser.get("/inbox").must(t, 200).has(t, "Đề nghị Giấy khen năm 2025", "ngày làm việc")
	p = appraiser.get("/dossiers/"+id).must(t, 200).has(t, `id="appraise-form"`)
	if strings.Contains(p.body, `name="have" value="minutes" checked`) {
		t.Fatal("the intake checklist comes pre-ticked")
	}
	if strings.Contains(p.body, `value="accept"`) {
		p = appraiser.act(id, p, "accept", url.Values{"checklist": {"1"}, "have": {"submission", "report", "minutes"}}).
			must(t, 200).has(t, "Đã tiếp nhận hồ sơ")
	}
	p = appraiser.act(id, p, "return", url.Values{"checklist": {"1"}, "have": {"submission", "report"},
		"missing_other": {"Xác nhận của Trưởng thôn Bản Loỏng\n\n"}}).must(t, 200).
		has(t, "Đã trả lại hồ sơ", "Biên bản họp Hội đồng Thi đua – Khen thưởng", "Xác nhận của Trưởng thôn Bản Loỏng")

	p = clerk.get("/dossiers/"+id+"/edit").must(t, 200).has(t, "Cơ quan thẩm định yêu cầu bổ sung", "Xác nhận của Trưởng thôn Bản Loỏng")
	edit := gkForm("Hộ ông Lý Văn Páo", "Hộ bà Hoàng Thị Mai")
	edit.Set("title", "Đề nghị tặng Giấy khen hộ gia đình tiêu biểu (đã bổ sung)")
	edit.Set("then", "submit")
	clerk.post("/dossiers/"+id+"/edit", edit).must(t, 200).has(t, "Đã gửi hồ sơ", "Hộ bà Hoàng Thị Mai", "(đã bổ sung)")

	p = appraiser.get("/dossiers/"+id).must(t, 200).has(t, "chỉ có thể thẩm định đạt hoặc từ chối").lacks(t, `value="return"`)
	if strings.Contains(p.body, `value="accept"`) {
		p = appraiser.act(id, p, "accept", url.Values{"checklist": {"1"}, "have": {"submission", "report", "minutes"}}).must(t, 200)
	}
	appraiser.act(id, p, "approve", url.Values{"checklist": {"1"}, "have": {"submission", "report"}}).
		must(t, http.StatusUnprocessableEntity).has(t, "còn thiếu thành phần bắt buộc")
	p = appraiser.act(id, p, "approve", url.Values{"checklist": {"1"}, "have": {"submission", "report", "minutes"}}).
		must(t, 200).has(t, "Đã ghi nhận kết quả thẩm định đạt")

	decider := b.login("huyen.decider")
	p = decider.get("/dossiers/"+id).must(t, 200).has(t, `id="act-decide"`)
	p = decider.act(id, p, "decide", nil).must(t, 200).has(t, "Đã ký quyết định khen thưởng", "1/QĐ-UBND", "Được khen thưởng")
	if strings.Contains(p.body, `id="appraise-form"`) || strings.Contains(p.body, `id="act-decide"`) {
		t.Fatal("a decided dossier still offers actions")
	}

	doc := clerk.get("/dossiers/"+id+"/decision").must(t, 200).
		has(t, "QUYẾT ĐỊNH", "1/QĐ-UBND", "ỦY BAN NHÂN DÂN HUYỆN CAO LỘC", "Cao Lộc, ngày", "Về việc tặng Giấy khen",
			"Nông Đức Toàn", "Hộ ông Lý Văn Páo", "Hộ bà Hoàng Thị Mai")
	// 0,3 × the base salary of 2.340.000 đ, × 1,5 for a household; two households.
	doc.has(t, "Tiền thưởng</th>", "1.053.000 đ", "2.106.000 đ")
	clerk.get("/decisions").must(t, 200).has(t, "1/QĐ-UBND", "/dossiers/"+id+"/decision")
	b.login("tinh.auditor").get("/dossiers/"+id).must(t, 200).has(t, "Lịch sử xử lý", "Bạn không có thao tác nào")
}

// TestPagesAndActionsAreAuthorisedLikeTheAPI: a clerk of another district gets the
// "not allowed" page for the dossier, its edit form, its decision and its actions,
// and never sees it in a list; nothing changes.
func TestPagesAndActionsAreAuthorisedLikeTheAPI(t *testing.T) {
	b := setup(t)
	clerk := b.login("xa.clerk")
	p := clerk.post("/dossiers/new", gkForm("Hộ ông Lý Văn Páo")).must(t, 200)
	id := p.dossierID(t)
	version := p.version(t)

	// Another commune's dossier answers exactly as an unknown one.
	other := b.login("xa2.clerk")
	for _, path := range []string{"/dossiers/" + id, "/dossiers/" + id + "/edit", "/dossiers/" + id + "/decision"} {
		other.get(path).must(t, http.StatusNotFound).has(t, "Không tìm thấy")
	}
	other.get("/dossiers").must(t, 200).lacks(t, id)
	other.get("/inbox").must(t, 200).lacks(t, id)
	for _, action := range []string{"submit", "withdraw", "approve", "decide"} {
		other.post("/dossiers/"+id+"/act", url.Values{"action": {action}, "version": {version}}).must(t, http.StatusNotFound)
	}
	other.post("/dossiers/"+id+"/edit", gkForm("Người lạ")).must(t, http.StatusNotFound)
	// A district appraiser may read it but not edit or submit it.
	appraiser := b.login("huyen.appraiser")
	appraiser.get("/dossiers/"+id).must(t, 200).lacks(t, `id="act-submit"`, `id="edit-link"`)
	appraiser.post("/dossiers/"+id+"/act", url.Values{"action": {"submit"}, "version": {version}}).must(t, http.StatusForbidden)
	// Unknown dossiers are "not found".
	clerk.get("/dossiers/00000000-0000-0000-0000-000000000000").must(t, http.StatusNotFound).has(t, "Không tìm thấy")
	if n := b.count("audit_events"); n != 1 {
		t.Fatalf("%d audit events after refused requests, want only the creation", n)
	}
}

// TestEveryPostNeedsTheSessionsCSRFToken: a form without the token, with a token
// of another session, or with a made-up one is refused and changes nothing; the
// login form has its own token.
func TestEveryPostNeedsTheSessionsCSRFToken(t *testing.T) {
	b := setup(t)
	clerk := b.login("xa.clerk")
	clerk.get("/dossiers/new")
	own := clerk.csrf
	other := b.login("xa.head")
	other.get("/")
	for name, tok := range map[string]string{"missing": "", "another session's": other.csrf, "made up": strings.Repeat("A", len(own))} {
		f := gkForm("Hộ ông Lý Văn Páo")
		f.Set("csrf", tok)
		clerk.post("/dossiers/new", f).must(t, http.StatusForbidden).has(t, "Biểu mẫu đã hết hạn")
		if n := b.count("nominations"); n != 0 {
			t.Fatalf("a form with a %s token created a dossier", name)
		}
	}
	logout := url.Values{"csrf": {""}}
	clerk.post("/logout", logout).must(t, http.StatusForbidden)
	clerk.get("/").must(t, 200).has(t, "Xin chào, Hoàng Thị Lan")

	anon := b.anonymous()
	anon.post("/login", url.Values{"username": {"xa.clerk"}, "password": {seed.DemoPassword}, "csrf": {""}}).
		must(t, http.StatusForbidden)
	anon.get("/login")
	anon.post("/login", url.Values{"username": {"xa.clerk"}, "password": {"sai mật khẩu"}}).
		must(t, http.StatusUnauthorized).has(t, "Sai tên đăng nhập hoặc mật khẩu.", `aria-invalid="true"`)

	// The right token works, and logging out ends the session.
	clerk.post("/dossiers/new", gkForm("Hộ ông Lý Văn Páo")).must(t, 200).has(t, "Đã tạo hồ sơ")
	clerk.post("/logout", url.Values{}).must(t, 200).has(t, "Bạn đã đăng xuất.", `action="/login"`)
	if p := clerk.get("/inbox"); !strings.Contains(p.url, "/login?next=%2Finbox") {
		t.Fatalf("after logout /inbox went to %s", p.url)
	}
}

// TestPagesCarryTheSecurityHeadersAndTheSessionCookieIsHttpOnly checks the headers
// of a page, the cookie the login form sets, the redirect of an anonymous visitor,
// a login target on another site, and the static assets.
func TestPagesCarryTheSecurityHeadersAndTheSessionCookieIsHttpOnly(t *testing.T) {
	b := setup(t)
	anon := b.anonymous()
	anon.client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	p := anon.get("/dossiers?status=draft")
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/login?next=%2Fdossiers%3Fstatus%3Ddraft" {
		t.Fatalf("anonymous visit: %d to %q", p.status, p.header.Get("Location"))
	}
	p = anon.get("/login").must(t, 200)
	csp := p.header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "form-action 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("CSP allows inline code: %q", csp)
	}
	for h, want := range map[string]string{"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"} {
		if got := p.header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	if strings.Contains(p.body, "<script>") || strings.Contains(p.body, " style=") || strings.Contains(p.body, " onclick=") {
		t.Error("the page has inline script or style")
	}
	res := anon.post("/login", url.Values{"username": {"xa.clerk"}, "password": {seed.DemoPassword}, "next": {"//evil.example/x"}})
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/" {
		t.Fatalf("login with a foreign next: %d to %q", res.status, res.header.Get("Location"))
	}
	var session *http.Cookie
	for _, c := range (&http.Response{Header: res.header}).Cookies() {
		if c.Name == "tdkt_session" {
			session = c
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Path != "/" {
		t.Fatalf("session cookie: %+v", session)
	}
	// Static assets: the right type, cached for a year when fingerprinted, and less
	// than 50 KB of JavaScript in all.
	home := anon.get("/").must(t, 200)
	total := 0
	for _, m := range assetRe.FindAllStringSubmatch(home.body, -1) {
		a := anon.get(m[1]).must(t, 200)
		if !strings.Contains(a.header.Get("Cache-Control"), "immutable") {
			t.Errorf("%s: Cache-Control %q", m[1], a.header.Get("Cache-Control"))
		}
		if strings.Contains(m[1], ".js") {
			total += len(a.body)
			if !strings.HasPrefix(a.header.Get("Content-Type"), "text/javascript") {
				t.Errorf("%s: Content-Type %q", m[1], a.header.Get("Content-Type"))
			}
		}
	}
	if total == 0 || total >= 50<<10 {
		t.Fatalf("the pages ship %d bytes of JavaScript; the budget is under 50 KB", total)
	}
	t.Logf("JavaScript shipped: %d bytes", total)
	anon.get("/static/nothing.js").must(t, http.StatusNotFound)
}

// TestLanguageIsVietnameseByDefaultAndEnglishOnRequest: Vietnamese without a
// preference, English from Accept-Language or ?lang=en (remembered in a cookie).
func TestLanguageIsVietnameseByDefaultAndEnglishOnRequest(t *testing.T) {
	b := setup(t)
	clerk := b.login("xa.clerk")
	clerk.get("/inbox").must(t, 200).has(t, `<html lang="vi">`, "Việc cần xử lý", "Bỏ qua, đến nội dung chính")
	clerk.get("/inbox?lang=en").must(t, 200).has(t, `<html lang="en">`, "My tasks", "Skip to main content")
	clerk.get("/dossiers").must(t, 200).has(t, "Award nomination dossiers")
	clerk.get("/dossiers?lang=vi").must(t, 200).has(t, "Hồ sơ đề nghị khen thưởng")

	fresh := b.login("xa.head")
	fresh.lang = "en-US,en;q=0.9,vi;q=0.5"
	fresh.get("/").must(t, 200).has(t, "Overview", "Hello, Nông Văn Thắng")
	fresh.lang = "fr-FR,vi;q=0.8,en;q=0.3"
	fresh.get("/").must(t, 200).has(t, "Tổng quan")
}

// TestDashboardUnitsNotificationsAndFilters checks the remaining pages: the
// dashboard's SVG charts count the visible dossiers, the unit tree shows the
// user's subtree only, the inbox filters by step and by words without diacritics,
// and a notification links to its dossier and can be marked read.
func TestDashboardUnitsNotificationsAndFilters(t *testing.T) {
	b := setup(t)
	clerk := b.login("xa.clerk")
	p := clerk.post("/dossiers/new", gkForm("Hộ ông Lý Văn Páo")).must(t, 200)
	id := p.dossierID(t)
	clerk.act(id, p, "submit", url.Values{"submit_anyway": {"1"}}).must(t, 200)
	clerk.post("/dossiers/new", gkForm("Hộ bà Hoàng Thị Mai")).must(t, 200)

	dash := clerk.get("/").must(t, 200).has(t, "<svg", `role="img"`, "Hồ sơ theo trạng thái", "Hồ sơ đang xử lý theo bước")
	if !strings.Contains(dash.body, `<td><a href="/dossiers?status=draft">Đang soạn</a></td><td class="num">1</td>`) {
		t.Fatalf("the status table does not count 1 draft:\n%s", dash.body)
	}
	b.login("xa2.clerk").get("/").must(t, 200).has(t, "Chưa có hồ sơ nào trong phạm vi của bạn.")
	b.moreDossiers(4) // 1 more draft, 3 submitted (1 of them accepted), 1 task overdue
	dash = b.login("huyen.appraiser").get("/").must(t, 200).has(t, `class="bar-overdue"`, "1 việc quá hạn")
	for _, row := range []string{
		`<td><a href="/dossiers?status=draft">Đang soạn</a></td><td class="num">2</td>`,
		`<td><a href="/dossiers?status=intake">Đang tiếp nhận</a></td><td class="num">3</td>`,
		`<td><a href="/dossiers?status=appraising">Đang thẩm định</a></td><td class="num">1</td>`,
		`<td>UBND huyện Cao Lộc</td>`,
	} {
		if !strings.Contains(dash.body, row) && !strings.Contains(dash.body, strings.Replace(row, "<td>", `<td data-label="Đơn vị">`, 1)) {
			t.Errorf("the dashboard lacks %s", row)
		}
	}

	appraiser := b.login("huyen.appraiser")
	appraiser.get("/units").must(t, 200).has(t, "UBND huyện Cao Lộc", "UBND xã Bảo Lâm").lacks(t, "UBND huyện Lộc Bình", "UBND tỉnh Lạng Sơn")
	appraiser.get("/inbox?q=giay+khen").must(t, 200).has(t, "/dossiers/"+id)
	appraiser.get("/inbox?q=bang+khen").must(t, 200).lacks(t, "/dossiers/"+id)
	appraiser.get("/inbox?step=decide").must(t, 200).lacks(t, "/dossiers/"+id)
	appraiser.get("/dossiers?status=draft").must(t, 200).lacks(t, "/dossiers/"+id)

	var uid int64
	if err := b.pool.QueryRow(context.Background(), `SELECT id FROM users WHERE username = 'huyen.appraiser'`).Scan(&uid); err != nil {
		t.Fatal(err)
	}
	if _, err := b.svc.Worklists.Store.Notify(context.Background(), inbox.NewNotification{UserID: uid, Kind: "task",
		Title: "Hồ sơ Giấy khen cần thẩm định", Link: "/api/v1/nominations/" + id}); err != nil {
		t.Fatal(err)
	}
	appraiser.get("/notifications?unread=1").must(t, 200).has(t, "Hồ sơ Giấy khen cần thẩm định", `href="/dossiers/`+id+`"`, "Chưa đọc")
	appraiser.get("/").must(t, 200).has(t, `id="unread-badge"`)
	appraiser.post("/notifications/read", url.Values{}).must(t, 200).has(t, "Đã đánh dấu đã đọc").lacks(t, "Chưa đọc", `id="unread-badge"`)
	if opened := appraiser.get("/nominations/"+id).must(t, 200); opened.dossierID(t) != id {
		t.Fatalf("a notification's /nominations/ link opened %s", opened.url)
	}
}

var assetRe = regexp.MustCompile(`(?:src|href)="(/static/[^"]+)"`)

// TestBangKhenIsForwardedFromTheDistrictToTheProvince: a commune's Bằng khen tỉnh is
// taken on and approved by the district, whose leader signs the submission letter
// up; the dossier page then shows the district's stop done and the province's in
// progress, and the province's standing body finds it in its inbox and takes it on.
func TestBangKhenIsForwardedFromTheDistrictToTheProvince(t *testing.T) {
	b := setup(t)
	clerk := b.login("xa.clerk")
	f := gkForm("Hoàng Văn Tùng")
	f.Set("award_code", "BK_TINH")
	f.Set("nominee_kind", "individual")
	p := clerk.post("/dossiers/new", f).must(t, 200).has(t, "Bằng khen", "UBND huyện Cao Lộc", "UBND tỉnh Lạng Sơn")
	id := p.dossierID(t)
	clerk.act(id, p, "submit", url.Values{"submit_anyway": {"1"}}).must(t, 200)

	all := url.Values{"checklist": {"1"}, "have": {"submission", "report", "minutes"}}
	district := b.login("huyen.appraiser")
	p = district.get("/dossiers/"+id).must(t, 200)
	p = district.act(id, p, "accept", all).must(t, 200)
	district.act(id, p, "approve", all).must(t, 200).has(t, "Chờ trình cấp trên")

	head := b.login("huyen.decider")
	p = head.get("/dossiers/"+id).must(t, 200).has(t, `id="act-forward"`).lacks(t, `id="act-decide"`)
	p = head.act(id, p, "forward", url.Values{"note": {"Kèm Tờ trình của UBND huyện Cao Lộc"}}).must(t, 200).
		has(t, "Đã trình hồ sơ lên cấp trên", "Kèm Tờ trình của UBND huyện Cao Lộc", "Tờ trình số ")
	if !regexp.MustCompile(`(?s)stop stop-done.*UBND huyện Cao Lộc.*stop stop-current" aria-current="step">\s*<span class="stop-unit">UBND tỉnh Lạng Sơn`).MatchString(p.body) {
		t.Fatalf("the route does not show the district done and the province current:\n%s", p.body)
	}
	head.get("/inbox").must(t, 200).lacks(t, id)

	province := b.login("tinh.appraiser")
	province.get("/inbox").must(t, 200).has(t, id, "Tiếp nhận hồ sơ", "UBND tỉnh Lạng Sơn")
	p = province.get("/dossiers/"+id).must(t, 200)
	province.act(id, p, "accept", all).must(t, 200).has(t, "Đã tiếp nhận hồ sơ", "Đang thẩm định")
}

// upload posts a multipart form with one file in the part "file", as a browser's
// file input sends it, with the CSRF token of the last page (see uploadAs).
func (br *browser) upload(path string, fields url.Values, fileName string, content []byte) page {
	br.b.t.Helper()
	return br.uploadAs(path, fields, "file", fileName, content)
}

// actAs takes an action through the application as a demo user, to bring a
// dossier to the step a test is about.
func (b *bundle) actAs(user, id string, in dossiers.ActInput) domain.Nomination {
	b.t.Helper()
	n, err := b.svc.Act(context.Background(), b.userID(user), id, in, "")
	if err != nil {
		b.t.Fatalf("%s %s: %v", user, in.Action, err)
	}
	return n
}

// newDossier creates and submits a dossier of the demo commune as its clerk.
func (b *bundle) newDossier(award, kind string, names ...string) domain.Nomination {
	b.t.Helper()
	in := dossiers.CreateNominationInput{UnitID: seed.DemoCommune, AwardCode: award, Year: 2025}
	for _, n := range names {
		in.Nominees = append(in.Nominees, dossiers.NomineeInput{Kind: kind, Name: n, Achievements: "Thành tích tiêu biểu trong năm"})
	}
	n, err := b.svc.CreateNomination(context.Background(), b.userID("xa.clerk"), in)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.actAs("xa.clerk", n.ID, dossiers.ActInput{Action: "submit"})
}

// TestCouncilVotesThroughTheForms: a Bằng khen tỉnh reaches the provincial council;
// a member declares a conflict of interest on the page and is recused; six of the
// other members vote yes with the form (a second ballot is refused), the chair
// closes the vote, and the dossier goes to the decider with the minutes shown:
// members, present, yes/no/abstain, the result and, on an open ballot, the choices.
func TestCouncilVotesThroughTheForms(t *testing.T) {
	b := setup(t)
	n := b.newDossier("BK_TINH", "individual", "Hoàng Văn Tùng")
	id := n.ID
	b.actAs("huyen.appraiser", id, dossiers.ActInput{Action: "accept"})
	b.actAs("huyen.appraiser", id, dossiers.ActInput{Action: "approve"})
	b.actAs("huyen.decider", id, dossiers.ActInput{Action: "forward"})
	b.actAs("tinh.appraiser", id, dossiers.ActInput{Action: "accept"})
	b.actAs("tinh.appraiser", id, dossiers.ActInput{Action: "approve"})

	// Nobody outside the council sees a ballot.
	b.login("tinh.appraiser").get("/dossiers/"+id).must(t, 200).has(t, "Hội đồng đang bỏ phiếu").lacks(t, `id="vote-form"`)

	m7 := b.login("tinh.council_member7")
	m7.get("/dossiers/"+id).must(t, 200).has(t, `id="vote-form"`, "Khai báo xung đột lợi ích")
	m7.post("/dossiers/"+id+"/conflict", url.Values{"reason": {""}}).must(t, http.StatusUnprocessableEntity).has(t, "Bắt buộc nhập.")
	m7.post("/dossiers/"+id+"/conflict", url.Values{"reason": {"Người thân của người được đề nghị"}}).must(t, 200).
		has(t, "Đã ghi nhận khai báo xung đột lợi ích", "không tham gia bỏ phiếu hồ sơ này").lacks(t, `id="vote-form"`)
	m7.post("/dossiers/"+id+"/vote", url.Values{"choice": {"yes"}}).must(t, http.StatusForbidden)

	voters := []string{"tinh.council_vice", "tinh.council_member", "tinh.council_member2", "tinh.council_member3",
		"tinh.council_member4", "tinh.council_member5"}
	for i, u := range voters {
		br := b.login(u)
		br.get("/dossiers/"+id).must(t, 200).has(t, `id="vote-form"`)
		choice := "yes"
		if i == 0 {
			br.post("/dossiers/"+id+"/vote", url.Values{"choice": {"maybe"}}).must(t, http.StatusUnprocessableEntity).has(t, "Chọn một ý kiến.")
		}
		br.post("/dossiers/"+id+"/vote", url.Values{"choice": {choice}}).must(t, 200).
			has(t, "Đã ghi nhận phiếu của bạn", "Bạn đã bỏ phiếu trong phiên này").lacks(t, `id="vote-form"`)
		if i == 0 {
			br.post("/dossiers/"+id+"/vote", url.Values{"choice": {"no"}}).must(t, http.StatusConflict)
		}
	}

	chair := b.login("tinh.council_chair")
	p := chair.get("/dossiers/"+id).must(t, 200).has(t, `id="act-close_vote"`, "Đã có 6 thành viên bỏ phiếu.")
	p = chair.act(id, p, "close_vote", nil).must(t, 200).
		has(t, "Đã kết thúc phiên bỏ phiếu", "Chờ quyết định", "Phiên bỏ phiếu 1", "Thông qua",
			"Đặng Văn Hòa – Người thân của người được đề nghị")
	minutes := regexp.MustCompile(`(?s)<td data-label="Thành viên">(\d+)</td><td data-label="Có mặt">(\d+)</td>\s*` +
		`<td data-label="Đồng ý">(\d+)</td><td data-label="Không đồng ý">(\d+)</td>`).FindStringSubmatch(p.body)
	if minutes == nil || minutes[1] != "8" || minutes[2] != "6" || minutes[3] != "6" || minutes[4] != "0" {
		t.Fatalf("minutes (members, present, yes, no) = %v:\n%s", minutes, p.body)
	}
	// The council's result is not shown as a reason for a rejection.
	p.lacks(t, "Lý do từ chối", "Lý do: passed")
	if c := strings.Count(p.body, "– Đồng ý"); c != 6 {
		t.Fatalf("an open ballot lists each voter's choice: %d of 6 shown", c)
	}
	if got, _ := b.svc.Nomination(context.Background(), b.userID("tinh.decider"), id); got.Status != domain.StatusDeciding {
		t.Fatalf("after the vote the dossier is %s", got.Status)
	}
}

// TestConcurrenceHoldOutcomesAndAttachmentsThroughTheForms: the district's
// appraiser asks the commune for its concurrence and the commune's appraiser
// answers on the page; a nominee is held (a reason is required) and released; the
// clerk's attachments are listed with the checklist and downloaded with the session;
// the decider rejects one nominee of three on the decision form.
func TestConcurrenceHoldOutcomesAndAttachmentsThroughTheForms(t *testing.T) {
	b := setup(t)
	in := dossiers.CreateNominationInput{UnitID: seed.DemoCommune, AwardCode: "GK", Year: 2025,
		Nominees: []dossiers.NomineeInput{{Kind: "household", Name: "Hộ ông Lý Văn Páo"}, {Kind: "household", Name: "Hộ bà Vi Thị Năm"},
			{Kind: "household", Name: "Hộ ông Hà Văn Tư"}}}
	n, err := b.svc.CreateNomination(context.Background(), b.userID("xa.clerk"), in)
	if err != nil {
		t.Fatal(err)
	}
	id := n.ID

	// Attachments: the clerk uploads the submission letter; a file that is not what
	// it says is refused; the checklist shows what is present and what is missing.
	clerk := b.login("xa.clerk")
	clerk.get("/dossiers/"+id).must(t, 200).has(t, `id="upload-form"`, "Chưa có tài liệu đính kèm.")
	pdf := []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
	clerk.upload("/dossiers/"+id+"/documents", url.Values{"kind": {"to_trinh"}}, "x.pdf", []byte("MZ\x90\x00binary")).
		must(t, http.StatusUnprocessableEntity).has(t, "Chỉ nhận tệp PDF, DOCX, XLSX, JPEG hoặc PNG.")
	p := clerk.upload("/dossiers/"+id+"/documents", url.Values{"kind": {"to_trinh"}}, "Tờ trình.pdf", pdf).must(t, 200).
		has(t, "Đã đính kèm tài liệu", "Tờ trình.pdf", "✓ Tờ trình đề nghị khen thưởng", "✗ Báo cáo thành tích")
	link := regexp.MustCompile(`href="(/api/v1/documents/\d+)"`).FindStringSubmatch(p.body)
	if link == nil {
		t.Fatalf("no download link:\n%s", p.body)
	}
	req, _ := http.NewRequest(http.MethodGet, b.url+link[1], nil)
	res, err := clerk.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !bytes.Equal(got, pdf) {
		t.Fatalf("download with the session cookie: %d, %d bytes", res.StatusCode, len(got))
	}
	b.login("xa2.clerk").get(link[1]).must(t, http.StatusNotFound)
	b.actAs("xa.clerk", id, dossiers.ActInput{Action: "submit"})
	b.actAs("huyen.appraiser", id, dossiers.ActInput{Action: "accept"})

	// Concurrence: the commune (the submitting unit) is offered; none chosen is refused.
	district := b.login("huyen.appraiser")
	p = district.get("/dossiers/"+id).must(t, 200).has(t, `id="concurrence-request"`, `value="`+seed.DemoCommune+`"`)
	district.act(id, p, "request_concurrence", nil).must(t, http.StatusUnprocessableEntity).has(t, "Chọn ít nhất một đơn vị.")
	district.act(id, p, "request_concurrence", url.Values{"units": {seed.DemoCommune}}).must(t, 200).
		has(t, "Đã gửi đề nghị hiệp y", "Chờ ý kiến hiệp y", "Chưa trả lời")
	commune := b.login("xa.appraiser")
	p = commune.get("/dossiers/"+id).must(t, 200).has(t, `id="concur-form"`)
	commune.act(id, p, "concur", url.Values{"unit_id": {seed.DemoCommune}, "answer": {"agree"}, "note": {"Thống nhất đề nghị"}}).
		must(t, 200).has(t, "Đã gửi ý kiến hiệp y", "Đang thẩm định", `class="concur-answer">Đồng ý`, "Thống nhất đề nghị").
		lacks(t, `id="concur-form"`)

	// Hold and release a nominee.
	p = district.get("/dossiers/"+id).must(t, 200).has(t, `id="hold-form"`).lacks(t, `id="release-form"`)
	ids := b.nomineeIDs(id)
	district.act(id, p, "hold", url.Values{"nominee_id": {ids[2]}, "reason": {""}}).must(t, http.StatusUnprocessableEntity)
	p = district.act(id, p, "hold", url.Values{"nominee_id": {ids[2]}, "reason": {"Đang bị thanh tra"}}).must(t, 200).
		has(t, "Đã tạm hoãn xét đối tượng", "Đang bị thanh tra", `id="release-form"`)
	district.act(id, p, "release", url.Values{"nominee_id": {ids[2]}}).must(t, 200).has(t, "Đã hết tạm hoãn đối tượng")
	b.actAs("huyen.appraiser", id, dossiers.ActInput{Action: "approve", Version: nil})

	// The decider rejects one nominee on the decision form and awards the others.
	decider := b.login("huyen.decider")
	p = decider.get("/dossiers/"+id).must(t, 200).has(t, "Kết quả từng đối tượng", `name="outcome_`+ids[1]+`"`)
	decider.act(id, p, "decide", url.Values{"outcome_" + ids[1]: {"reject"}, "oreason_" + ids[1]: {"Chưa đủ tiêu chuẩn"}}).
		must(t, 200).has(t, "Đã ký quyết định khen thưởng")
	final, err := b.svc.Nomination(context.Background(), b.userID("huyen.decider"), id)
	if err != nil {
		t.Fatal(err)
	}
	statuses := map[string]string{}
	for _, nm := range final.Nominees {
		statuses[nm.Name] = string(nm.Status)
	}
	if final.Status != domain.StatusDecided || statuses["Hộ ông Lý Văn Páo"] != "awarded" || statuses["Hộ bà Vi Thị Năm"] != "rejected" ||
		statuses["Hộ ông Hà Văn Tư"] != "awarded" {
		t.Fatalf("after the decision: %s %v", final.Status, statuses)
	}
}

// nomineeIDs returns a dossier's nominee ids in order, as form values.
func (b *bundle) nomineeIDs(id string) []string {
	b.t.Helper()
	n, err := b.svc.Nomination(context.Background(), b.userID("xa.clerk"), id)
	if err != nil {
		b.t.Fatal(err)
	}
	var out []string
	for _, nm := range n.Nominees {
		out = append(out, strconv.FormatInt(nm.ID, 10))
	}
	return out
}

// TestPublicConsultationCommentThroughTheForm: a cultured-household title is in its
// consultation window; the page shows when it closes (Vietnam time) and anyone who
// may read the dossier files a comment, which is listed; an empty one is refused.
func TestPublicConsultationCommentThroughTheForm(t *testing.T) {
	b := setup(t)
	n := b.newDossier("GDVH", "household", "Hộ bà Hoàng Thị Nga")
	b.actAs("xa.appraiser", n.ID, dossiers.ActInput{Action: "accept"})
	if n = b.actAs("xa.appraiser", n.ID, dossiers.ActInput{Action: "approve"}); n.Status != domain.StatusConsulting {
		t.Fatalf("after appraisal: %s", n.Status)
	}
	head := b.login("xa.head")
	p := head.get("/dossiers/"+n.ID).must(t, 200).has(t, `id="comment-form"`, "Thời gian lấy ý kiến kết thúc lúc ")
	if !regexp.MustCompile(`kết thúc lúc \d{2}/\d{2}/\d{4} \d{2}:\d{2} \(giờ Việt Nam\)`).MatchString(p.body) {
		t.Fatalf("the window's end is not dd/mm/yyyy HH:mm:\n%s", p.body)
	}
	head.act(n.ID, p, "comment", url.Values{"note": {"  "}}).must(t, http.StatusUnprocessableEntity).has(t, "Nhập nội dung góp ý.")
	head.act(n.ID, p, "comment", url.Values{"note": {"Gia đình gương mẫu, đồng ý đề nghị"}}).must(t, 200).
		has(t, "Đã ghi nhận góp ý", "Nông Văn Thắng", "Gia đình gương mẫu, đồng ý đề nghị")
	b.login("xa2.clerk").get("/dossiers/"+n.ID).must(t, http.StatusNotFound)
}

// TestReviewCampaignProgressAndAggregate: the demo's mid-term review of movement
// 1258 is listed; its page shows the counts per level, a bar per district drawn on
// the server with its communes' progress, and the aggregate the report quotes; a
// district's page narrows the tree to its communes.
func TestReviewCampaignProgressAndAggregate(t *testing.T) {
	b := setup(t)
	if err := seed.Review1258(context.Background(), b.pool); err != nil {
		t.Fatal(err)
	}
	br := b.login("tinh.appraiser")
	br.get("/reviews").must(t, 200).has(t, `href="/reviews/`+seed.Campaign1258ID+`"`, "Sơ kết giữa kỳ")
	p := br.get("/reviews/"+seed.Campaign1258ID).must(t, 200).
		has(t, `id="chart-progress-title"`, "<svg", "UBND huyện Cao Lộc", "UBND huyện Văn Lãng", "Tiến độ theo cấp", "36.544", "3.468.179.900", "19,07")
	wide := p.body[strings.Index(p.body, `class="chart chart-wide"`):strings.Index(p.body, `class="chart chart-narrow"`)]
	if bars := strings.Count(wide, `<g class="chart-row">`); bars != 11 {
		t.Fatalf("%d district bars, want 11", bars)
	}
	br.get("/reviews/"+seed.Campaign1258ID+"?unit="+seed.DemoDistrict).must(t, 200).has(t, "UBND xã Bảo Lâm").lacks(t, "UBND huyện Văn Lãng")
	b.login("xa2.clerk").get("/reviews/"+seed.Campaign1258ID+"?unit="+seed.DemoDistrict).must(t, http.StatusForbidden)
}

// TestHolidayCalendarIsReadByAllAndEditedByTheCentralAdministrator: a commune clerk
// reads the year's holidays (no form, and a post is refused); the central
// administrator records a day off, which the calendar then counts; a malformed
// line is refused in Vietnamese and nothing changes.
func TestHolidayCalendarIsReadByAllAndEditedByTheCentralAdministrator(t *testing.T) {
	b := setup(t)
	clerk := b.login("xa.clerk")
	p := clerk.get("/calendar?year=2026").must(t, 200).has(t, "Tết Nguyên đán", "Giỗ Tổ Hùng Vương").lacks(t, `id="calendar-form"`)
	days := regexp.MustCompile(`Năm có (\d+) ngày làm việc`).FindStringSubmatch(p.body)
	if days == nil {
		t.Fatalf("no working-day count:\n%s", p.body)
	}
	clerk.post("/calendar", url.Values{"year": {"2026"}, "overrides": {"05/06/2026; nghỉ; Ngày nghỉ thử"}}).must(t, http.StatusForbidden)

	admin := b.login("tw.admin")
	admin.get("/calendar?year=2026").must(t, 200).has(t, `id="calendar-form"`)
	admin.post("/calendar", url.Values{"year": {"2026"}, "overrides": {"31/02/2026; nghỉ; Không có ngày này"}}).
		must(t, http.StatusUnprocessableEntity).has(t, "Có dòng chưa đúng mẫu")
	p = admin.post("/calendar", url.Values{"year": {"2026"}, "overrides": {"05/06/2026; nghỉ; Ngày nghỉ thử"}}).must(t, 200).
		has(t, "Đã lưu lịch làm việc", "05/06/2026", "Thứ Sáu", "Ngày nghỉ thử")
	before, _ := strconv.Atoi(days[1])
	if after := regexp.MustCompile(`Năm có (\d+) ngày làm việc`).FindStringSubmatch(p.body); after == nil || after[1] != strconv.Itoa(before-1) {
		t.Fatalf("working days %v after a Friday off, want %d", after, before-1)
	}
}
