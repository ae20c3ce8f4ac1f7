package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserAdminCreatesAUserAndGrantsARole drives Chromium through the admin
// area as the provincial administrator: the menu entry leads to the unit tree;
// the user list's create form adds a commune clerk; the user's page grants the
// clerk role in the commune (shown in Vietnamese) and revokes it after the
// confirmation. The new user then logs in. It fails on any script error or
// Content-Security-Policy violation, and saves screenshots of the admin pages.
func TestBrowserAdminCreatesAUserAndGrantsARole(t *testing.T) {
	b := setup(t)
	tb := newTab(t, b.url)

	tb.login("tinh.admin")
	tb.submit(`.main-nav a[href="/admin"]`)
	tb.expectText("#admin-units", "UBND huyện Cao Lộc")
	tb.screenshot("20-admin-units.png")

	tb.open("/admin/users?unit=LS-09-003")
	tb.expectText("#admin-users", "xa.clerk")
	tb.do(chromedp.Click(chromedp.CSS("#user-create-box summary"), chromedp.NodeVisible),
		chromedp.SendKeys(chromedp.ID("n-username"), "xa.clerk2"),
		chromedp.SendKeys(chromedp.ID("n-full_name"), "Lý Thị Hồng"),
		chromedp.SetValue(chromedp.ID("n-unit"), "LS-09-003"),
		chromedp.SendKeys(chromedp.ID("n-password"), "mat-khau-xa-clerk2"))
	tb.submit("#user-create-submit")
	tb.expectText(".flash", "Đã thêm người dùng")
	tb.expectText("#no-roles", "Chưa được phân công vai trò nào")

	tb.do(chromedp.SetValue(chromedp.ID("g-role"), "clerk"), chromedp.SetValue(chromedp.ID("g-unit"), "LS-09-003"))
	tb.submit("#role-grant-submit")
	tb.expectText(".flash", "Đã phân công vai trò")
	tb.expectText("#user-roles", "Cán bộ thi đua – khen thưởng")
	tb.expectText("#user-roles", "UBND xã Bảo Lâm")
	tb.screenshot("21-admin-user.png")

	// The new clerk works at once, in another browser session.
	other := newTab(t, b.url)
	other.open("/login")
	other.do(chromedp.SendKeys(chromedp.ID("username"), "xa.clerk2"), chromedp.SendKeys(chromedp.ID("password"), "mat-khau-xa-clerk2"))
	other.submit("#login-form button[type=submit]")
	other.expectText("h1", "Xin chào")
	other.open("/dossiers/new")
	if !other.exists(`#unit_id option[value="LS-09-003"]`) {
		t.Fatal("the new clerk may not create a dossier of the commune")
	}

	// Revoking asks for a confirmation (accepted by the tab) first.
	tb.submit(`#user-roles button.danger`)
	tb.expectText(".flash", "Đã thu hồi vai trò")
	tb.expectText("#no-roles", "Chưa được phân công vai trò nào")

	for _, t2 := range []*tab{tb, other} {
		if errs := t2.pageErrors(); len(errs) > 0 {
			t.Fatalf("the pages reported errors:\n%s", strings.Join(errs, "\n"))
		}
	}
}
