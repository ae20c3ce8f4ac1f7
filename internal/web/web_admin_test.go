package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/tdkt/tdkt/internal/seed"
)

// loginWith logs a user in through the login form with a password.
func (b *bundle) loginWith(user, password string) *browser {
	b.t.Helper()
	br := b.anonymous()
	br.get("/login")
	p := br.post("/login", url.Values{"username": {user}, "password": {password}})
	if p.status != http.StatusOK || strings.Contains(p.url, "/login") {
		b.t.Fatalf("login %s: %d at %s:\n%s", user, p.status, p.url, p.body)
	}
	return br
}

var adminUserURLRe = regexp.MustCompile(`/admin/users/(\d+)`)

// TestAdminAreaCreatesAUnitAUserAndGrantsARoleThroughTheForms drives the admin
// area without JavaScript as the provincial administrator: a commune is added
// (a bad form is shown again with its errors next to the fields), a user is
// created there (a taken username is refused), given the clerk role (shown in
// Vietnamese), and creates a dossier at once; then the user is edited, the
// password reset, the account deactivated (the open session is refused) and
// reactivated, the role revoked and the commune ended (refused while the user
// is active there).
func TestAdminAreaCreatesAUnitAUserAndGrantsARoleThroughTheForms(t *testing.T) {
	b := setup(t)
	admin := b.login("tinh.admin")
	admin.get("/").must(t, http.StatusOK).has(t, `href="/admin"`, "Quản trị")
	admin.get("/admin").must(t, http.StatusOK).has(t, `id="admin-units"`, "UBND huyện Cao Lộc", `id="unit-create"`)

	unitForm := url.Values{"parent_id": {seed.DemoDistrict}, "id": {"LS-09-099"}, "name": {""}, "level": {""},
		"kind": {"people_committee"}, "subkind": {"xa"}}
	admin.post("/admin/units", unitForm).must(t, http.StatusUnprocessableEntity).
		has(t, `id="err-name"`, `id="err-level"`, "Bắt buộc nhập.", `value="LS-09-099"`, `id="form-error"`)
	unitForm.Set("name", "UBND xã Thử Nghiệm")
	unitForm.Set("level", "province")
	admin.post("/admin/units", unitForm).must(t, http.StatusUnprocessableEntity).
		has(t, "Cấp phải thấp hơn cấp của đơn vị cấp trên.")
	if n := b.count("units WHERE id = 'LS-09-099'"); n != 0 {
		t.Fatal("a refused form created the unit")
	}
	unitForm.Set("level", "commune")
	admin.post("/admin/units", unitForm).must(t, http.StatusOK).
		has(t, "Đã thêm đơn vị.", "UBND xã Thử Nghiệm", `id="unit-edit"`, `id="unit-end"`)
	admin.post("/admin/units", unitForm).must(t, http.StatusConflict).has(t, "Mã đơn vị này đã được dùng.", "Đã tồn tại.")
	admin.post("/admin/units/LS-09-099", url.Values{"name": {"UBND xã Thử Nghiệm Mới"}, "kind": {"people_committee"}, "subkind": {"xa"}}).
		must(t, http.StatusOK).has(t, "Đã lưu thông tin đơn vị.", `value="UBND xã Thử Nghiệm Mới"`)

	userForm := url.Values{"username": {"xa99.clerk"}, "full_name": {"Nguyễn Văn Mới"}, "unit_id": {"LS-09-099"},
		"password": {"mat-khau-moi-2026"}}
	created := admin.post("/admin/users", userForm).must(t, http.StatusOK).has(t, "Đã thêm người dùng.", "Nguyễn Văn Mới", `id="no-roles"`)
	m := adminUserURLRe.FindStringSubmatch(created.url)
	if m == nil {
		t.Fatalf("not a user page: %s", created.url)
	}
	userPage := "/admin/users/" + m[1]
	admin.post("/admin/users", userForm).must(t, http.StatusConflict).
		has(t, "Tên đăng nhập này đã được dùng.", `id="err-username"`, `value="Nguyễn Văn Mới"`)
	userForm.Set("username", "xa98.clerk")
	userForm.Set("password", "ngan")
	admin.post("/admin/users", userForm).must(t, http.StatusUnprocessableEntity).has(t, "Mật khẩu phải có ít nhất 10 ký tự.")

	admin.post(userPage+"/roles", url.Values{"role": {"chief"}, "unit_id": {"LS-09-099"}}).
		must(t, http.StatusUnprocessableEntity).has(t, `id="err-role"`, "Vai trò không tồn tại.")
	admin.post(userPage+"/roles", url.Values{"role": {"clerk"}, "unit_id": {"LS-09-099"}}).
		must(t, http.StatusOK).has(t, "Đã phân công vai trò; quyền có hiệu lực ngay.", "Cán bộ thi đua – khen thưởng", `id="user-roles"`)

	// The new clerk logs in and creates a dossier of the new commune at once.
	clerk := b.loginWith("xa99.clerk", "mat-khau-moi-2026")
	clerk.get("/dossiers/new").must(t, http.StatusOK).has(t, `value="LS-09-099"`)
	f := gkForm("Hộ ông Lò Văn Pả")
	f.Set("unit_id", "LS-09-099")
	clerk.post("/dossiers/new", f).must(t, http.StatusOK).has(t, "Đã tạo hồ sơ")

	admin.post(userPage, url.Values{"full_name": {" "}, "unit_id": {"LS-09-099"}}).
		must(t, http.StatusUnprocessableEntity).has(t, `id="err-full_name"`)
	admin.post(userPage, url.Values{"full_name": {"Nguyễn Văn Mới Sửa"}, "unit_id": {"LS-09-099"}}).
		must(t, http.StatusOK).has(t, "Đã lưu thông tin người dùng.", "Nguyễn Văn Mới Sửa")

	admin.post(userPage+"/deactivate", url.Values{}).must(t, http.StatusOK).has(t, "Đã khóa tài khoản", `id="user-activate"`)
	if p := clerk.get("/inbox"); !strings.Contains(p.url, "/login") {
		t.Fatalf("the deactivated user's session still opens %s", p.url)
	}
	anon := b.anonymous()
	anon.get("/login")
	anon.post("/login", url.Values{"username": {"xa99.clerk"}, "password": {"mat-khau-moi-2026"}}).must(t, http.StatusUnauthorized)
	admin.post(userPage+"/activate", url.Values{}).must(t, http.StatusOK).has(t, "Đã mở khóa tài khoản.", `id="user-deactivate"`)
	admin.post(userPage+"/password", url.Values{"password": {"mat-khau-thu-hai"}}).must(t, http.StatusOK).has(t, "Đã đặt lại mật khẩu")
	b.loginWith("xa99.clerk", "mat-khau-thu-hai")

	admin.post(userPage+"/roles/revoke", url.Values{"role": {"clerk"}, "unit_id": {"LS-09-099"}}).
		must(t, http.StatusOK).has(t, "Đã thu hồi vai trò.", `id="no-roles"`)

	// The list finds the user by a word of the name, within the unit.
	admin.get("/admin/users?unit=LS-09-099&q=M%E1%BB%9Bi").must(t, http.StatusOK).has(t, "xa99.clerk", "1 người dùng")
	// … typed without diacritics, or in capitals, as often on an office PC.
	admin.get("/admin/users?unit=LS-09-099&q=moi").must(t, http.StatusOK).has(t, "xa99.clerk", "1 người dùng")
	admin.get("/admin/users?unit=LS-09-099&q=M%E1%BB%9AI").must(t, http.StatusOK).has(t, "xa99.clerk", "1 người dùng")
	admin.get("/admin/users?q=khong-ai-ten-the-nay").must(t, http.StatusOK).has(t, "Không có người dùng nào phù hợp.")

	admin.post("/admin/units/LS-09-099/end", url.Values{"valid_to": {"2025-07-01"}}).
		must(t, http.StatusConflict).has(t, "Còn người dùng đang hoạt động thuộc đơn vị này")
	admin.post(userPage+"/deactivate", url.Values{}).must(t, http.StatusOK)
	admin.post("/admin/units/LS-09-099/end", url.Values{"valid_to": {"2025-01-01"}}).
		must(t, http.StatusUnprocessableEntity).has(t, "Ngày thôi hoạt động phải sau ngày bắt đầu hoạt động.")
	admin.post("/admin/units/LS-09-099/end", url.Values{"valid_to": {"2025-07-01"}}).must(t, http.StatusOK).
		has(t, "Đơn vị đã kết thúc hoạt động.").lacks(t, "UBND xã Thử Nghiệm Mới")

	var events int
	if err := b.pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_events WHERE nomination_id IS NULL AND action LIKE 'admin.%'`).Scan(&events); err != nil {
		t.Fatal(err)
	}
	// unit create and update, user create, grant, user update, deactivate,
	// activate, password, revoke, deactivate, unit end.
	if events != 11 {
		t.Fatalf("%d administrative audit events, want 11", events)
	}

	admin.lang = "en"
	admin.get("/admin/users").must(t, http.StatusOK).has(t, "User administration", "Add a user")
}

// TestNonAdminsGetForbiddenOnTheAdminAreaAndNoMenuEntry checks that the admin
// area is the administrators' only, within their subtree, and needs the CSRF token.
func TestNonAdminsGetForbiddenOnTheAdminAreaAndNoMenuEntry(t *testing.T) {
	b := setup(t)
	clerkID := b.userID("xa.clerk")
	for _, user := range []string{"xa.clerk", "huyen.appraiser", "tinh.decider", "tinh.auditor"} {
		br := b.login(user)
		br.get("/").must(t, http.StatusOK).lacks(t, `href="/admin"`)
		for _, path := range []string{"/admin", "/admin/users", "/admin/units/" + seed.DemoCommune, "/admin/users/" + strconv.FormatInt(clerkID, 10)} {
			br.get(path).must(t, http.StatusForbidden)
		}
		br.post("/admin/units", url.Values{"parent_id": {seed.DemoDistrict}, "id": {"LS-09-097"}, "name": {"UBND xã Lạ"},
			"level": {"commune"}, "kind": {"people_committee"}}).must(t, http.StatusForbidden)
		br.post("/admin/users/"+strconv.FormatInt(clerkID, 10)+"/roles", url.Values{"role": {"admin"}, "unit_id": {seed.DemoCommune}}).must(t, http.StatusForbidden)
	}
	// The provincial administrator may not manage the central level's users.
	admin := b.login("tinh.admin")
	admin.get("/admin/users/"+strconv.FormatInt(b.userID("tw.appraiser"), 10)).must(t, http.StatusForbidden)
	admin.get("/admin/units/"+seed.Central).must(t, http.StatusForbidden)
	// His own page has no grant or deactivation form.
	admin.get("/admin/users/"+strconv.FormatInt(b.userID("tinh.admin"), 10)).must(t, http.StatusOK).lacks(t, `id="role-grant"`, `id="user-deactivate"`)
	// A form without the session's CSRF token is refused before anything runs.
	admin.post("/admin/users/"+strconv.FormatInt(clerkID, 10)+"/deactivate", url.Values{"csrf": {""}}).must(t, http.StatusForbidden)
	var active bool
	if err := b.pool.QueryRow(context.Background(), `SELECT active FROM users WHERE id = $1`, clerkID).Scan(&active); err != nil || !active {
		t.Fatalf("a form without a CSRF token deactivated the clerk: %v %v", active, err)
	}
	if n := b.count("units WHERE id = 'LS-09-097'"); n != 0 {
		t.Fatal("a non-admin created a unit")
	}
}
