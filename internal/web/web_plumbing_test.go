package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tdkt/tdkt/internal/accounts"
	"github.com/tdkt/tdkt/internal/seed"
)

// TestWebLoginHasTheAPIsLockouts: the login form goes through the API's login
// path. Five wrong passwords lock the account, and the right one then shows the
// form again with 429, Retry-After and a message that says so (not a system
// error); twenty failures from one address lock the address for every account,
// on the form and on the API alike.
func TestWebLoginHasTheAPIsLockouts(t *testing.T) {
	b := setup(t)
	anon := b.anonymous()
	anon.get("/login").must(t, http.StatusOK)
	for i := 0; i < accounts.AccountFailures; i++ {
		anon.post("/login", url.Values{"username": {"xa.clerk"}, "password": {"sai mật khẩu"}}).
			must(t, http.StatusUnauthorized).has(t, "Sai tên đăng nhập hoặc mật khẩu.")
	}
	p := anon.post("/login", url.Values{"username": {"xa.clerk"}, "password": {seed.DemoPassword}}).
		must(t, http.StatusTooManyRequests).
		has(t, fmt.Sprintf("tạm bị khóa. Hãy thử lại sau %d phút", int(accounts.LockoutDuration.Minutes())), `id="login-error"`).
		lacks(t, "Lỗi hệ thống")
	if got := p.header.Get("Retry-After"); got != fmt.Sprint(int(accounts.LockoutDuration.Seconds())) {
		t.Fatalf("Retry-After of a locked account: %q", got)
	}
	if !strings.Contains(p.url, "/login") {
		t.Fatalf("a locked account left the login form for %s", p.url)
	}

	// Another account from the same address still logs in, until the address has
	// failed twenty times in all (the five above count).
	b.login("xa.head")
	for i := accounts.AccountFailures; i < accounts.IPFailures; i++ {
		anon.post("/login", url.Values{"username": {fmt.Sprintf("thu.%d", i)}, "password": {"x"}}).
			must(t, http.StatusUnauthorized)
	}
	other := b.anonymous()
	other.get("/login")
	other.post("/login", url.Values{"username": {"xa.head"}, "password": {seed.DemoPassword}}).
		must(t, http.StatusTooManyRequests).has(t, "tạm bị khóa")
	res, err := http.Post(b.url+"/api/v1/login", "application/json",
		strings.NewReader(`{"username":"xa.head","password":"`+seed.DemoPassword+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("API login from the address the web form locked: %d", res.StatusCode)
	}
}

// TestUnknownURLsAnswerInTheirOwnForm: an unknown URL under /api/ is a problem
// document; anywhere else it is the web UI's 404 page, in the reader's language,
// with the pages' security headers; a page called with a method it does not take
// is the 405 page.
func TestUnknownURLsAnswerInTheirOwnForm(t *testing.T) {
	b := setup(t)
	anon := b.anonymous()
	p := anon.get("/khong-co-trang-nay").must(t, http.StatusNotFound).has(t, "Không tìm thấy", "<html")
	if ct := p.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Fatalf("unknown page: Content-Type %q", ct)
	}
	if p.header.Get("Content-Security-Policy") == "" {
		t.Fatal("the 404 page lacks the security headers")
	}
	anon.lang = "en"
	anon.get("/no/such/page").must(t, http.StatusNotFound).has(t, "Not found").lacks(t, `"type"`)

	p = anon.get("/api/v1/no-such-endpoint").must(t, http.StatusNotFound).has(t, `"type":"/problems/not-found"`)
	if ct := p.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("unknown API endpoint: Content-Type %q", ct)
	}
	clerk := b.login("xa.clerk")
	clerk.get("/dossiers/khong-co").must(t, http.StatusNotFound).has(t, "Không tìm thấy")
	req, err := http.NewRequest(http.MethodDelete, b.url+"/inbox", nil)
	if err != nil {
		t.Fatal(err)
	}
	clerk.do(req).must(t, http.StatusMethodNotAllowed).has(t, "Thao tác không hợp lệ")
	req, err = http.NewRequest(http.MethodDelete, b.url+"/api/v1/inbox", nil)
	if err != nil {
		t.Fatal(err)
	}
	clerk.do(req).must(t, http.StatusMethodNotAllowed).has(t, `"/problems/method-not-allowed"`)
}
