package web_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/app"
	"github.com/tdkt/tdkt/internal/pgtest"
	"github.com/tdkt/tdkt/internal/usecase"
	"github.com/tdkt/tdkt/internal/web"
	"github.com/tdkt/tdkt/internal/webui"
)

// loginSite is the web UI alone (no Temporal: the login page needs none) over a
// migrated database, with single sign-on shown and password login as given.
func loginSite(t *testing.T, passwordOff bool) string {
	t.Helper()
	svc := app.New(pgtest.NewPool(t), &usecase.Base{PasswordLoginDisabled: passwordOff})
	ui, err := webui.New(web.Config{App: svc, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), SSO: true})
	if err != nil {
		t.Fatal(err)
	}
	gin.SetMode(gin.TestMode)
	r := gin.New()
	ui.Mount(r)
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	return srv.URL
}

func getPage(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestLoginPageOffersSingleSignOn checks the login page with single sign-on on:
// the SSO button keeps the target page, each refusal internal/sso reports is
// explained, and with password login off the form is gone and a POST to it is
// refused with a message saying to use SSO.
func TestLoginPageOffersSingleSignOn(t *testing.T) {
	if err := pgtest.Available(); err != nil {
		t.Skip("no PostgreSQL:", err)
	}
	base := loginSite(t, false)
	c := &http.Client{}
	status, body := getPage(t, c, base+"/login?next=/inbox")
	if status != http.StatusOK || !strings.Contains(body, `id="login-sso" href="/login/sso?next=%2finbox"`) ||
		!strings.Contains(body, "Đăng nhập bằng SSO") || !strings.Contains(body, `id="login-form"`) {
		t.Fatalf("login page with SSO and passwords: %d\n%s", status, body)
	}
	for reason, want := range map[string]string{
		"unknown": "không ứng với tài khoản nào đang hoạt động",
		"failed":  "không xác minh được phản hồi",
		"locked":  "tạm bị khóa",
		"unit":    "Đơn vị của bạn trong hệ thống định danh",
	} {
		if _, body := getPage(t, c, base+"/login?sso="+reason); !strings.Contains(body, want) {
			t.Errorf("/login?sso=%s does not say %q", reason, want)
		}
	}
	if _, body := getPage(t, c, base+"/login?sso=<script>"); strings.Contains(body, `id="login-error"`) {
		t.Error("an unknown reason shows a message")
	}

	base = loginSite(t, true)
	jar, _ := cookiejar.New(nil)
	c = &http.Client{Jar: jar}
	status, body = getPage(t, c, base+"/login")
	if status != http.StatusOK || !strings.Contains(body, `id="login-sso"`) || strings.Contains(body, `id="login-form"`) {
		t.Fatalf("login page with passwords off: %d\n%s", status, body)
	}
	resp, err := c.PostForm(base+"/login", url.Values{"username": {"a"}, "password": {"b"}})
	if err != nil {
		t.Fatal(err)
	}
	refused, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(refused), "Đăng nhập bằng mật khẩu đã bị tắt") {
		t.Fatalf("password POST with passwords off: %d\n%s", resp.StatusCode, refused)
	}
}

// TestBrowserLoginPageWithSSO opens the login page with single sign-on and
// password login in Chromium at 1280 and 390 px: nothing wider than a phone, no
// page error; the screenshots go to docs/screens/login-sso-*.png.
func TestBrowserLoginPageWithSSO(t *testing.T) {
	if err := pgtest.Available(); err != nil {
		t.Skip("no PostgreSQL:", err)
	}
	tb := newTab(t, loginSite(t, false))
	if problems := tb.shotAt(docsScreens(t), "login-sso", "/login"); len(problems) > 0 {
		t.Fatal(strings.Join(problems, "\n"))
	}
	if errs := tb.pageErrors(); len(errs) > 0 {
		t.Fatal(strings.Join(errs, "\n"))
	}
}
