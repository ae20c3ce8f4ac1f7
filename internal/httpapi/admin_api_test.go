package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/tdkt/tdkt/internal/authz"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/seed"
)

// loginAs logs a user in with a password and remembers the token for b.do.
func (b *bundle) loginAs(user, password string) string {
	b.t.Helper()
	r := b.must(http.StatusOK, "", "POST", "/api/v1/login", map[string]string{"username": user, "password": password})
	tok, _ := r.body["token"].(string)
	if tok == "" {
		b.t.Fatalf("login %s: no token in %s", user, r.raw)
	}
	b.tokens[user] = tok
	return tok
}

// userIDOf returns the id of a user by username.
func (b *bundle) userIDOf(username string) string {
	b.t.Helper()
	var id int64
	if err := b.pool.QueryRow(context.Background(), `SELECT id FROM users WHERE username = $1`, username).Scan(&id); err != nil {
		b.t.Fatal(err)
	}
	return fmt.Sprint(id)
}

// adminEvents returns the actions of the administrative audit events, oldest first.
func (b *bundle) adminEvents() []string {
	b.t.Helper()
	rows, err := b.pool.Query(context.Background(), `SELECT action FROM audit_events WHERE nomination_id IS NULL AND action LIKE 'admin.%' ORDER BY id`)
	if err != nil {
		b.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			b.t.Fatal(err)
		}
		out = append(out, a)
	}
	return out
}

func TestProvincialAdminCreatesCommuneAndClerkWhoCreatesADossierAtOnce(t *testing.T) {
	b := setup(t, withClock(beforeReform))
	u := b.must(http.StatusCreated, "tinh.admin", "POST", "/api/v1/admin/units", map[string]any{"id": "ls-09-099", "parent_id": seed.DemoDistrict,
		"name": "UBND xã Thử Nghiệm", "level": "commune", "kind": "people_committee", "subkind": "xa"})
	if u.body["id"] != "LS-09-099" || u.body["parent_id"] != seed.DemoDistrict || u.header.Get("Location") != "/api/v1/admin/units/LS-09-099" {
		t.Fatalf("created unit: %s (Location %q)", u.raw, u.header.Get("Location"))
	}
	// The new unit is in the administrator's tree at once.
	var listed bool
	for _, x := range b.must(http.StatusOK, "tinh.admin", "GET", "/api/v1/admin/units", nil).body["units"].([]any) {
		listed = listed || x.(map[string]any)["id"] == "LS-09-099"
	}
	if !listed {
		t.Fatal("the new commune is not in GET /api/v1/admin/units")
	}

	nu := b.must(http.StatusCreated, "tinh.admin", "POST", "/api/v1/admin/users", map[string]any{"username": "Xa99.Clerk",
		"full_name": "Nguyễn Văn Mới", "unit_id": "LS-09-099", "password": "mat-khau-moi-2026"})
	id := idOf(t, nu.body)
	if nu.body["username"] != "xa99.clerk" || nu.body["active"] != true || len(nu.body["roles"].([]any)) != 0 {
		t.Fatalf("created user: %s", nu.raw)
	}
	if strings.Contains(string(nu.raw), "argon2") || strings.Contains(string(nu.raw), "password") {
		t.Fatalf("the answer carries the password or its hash: %s", nu.raw)
	}
	// Without a role the new user may not create a dossier there.
	dossier := map[string]any{"unit_id": "LS-09-099", "award_code": "GK", "year": 2025,
		"nominees": []map[string]any{{"kind": "household", "name": "Hộ gia đình ông Lò Văn Pả"}}}
	b.loginAs("xa99.clerk", "mat-khau-moi-2026")
	b.must(http.StatusForbidden, "xa99.clerk", "POST", "/api/v1/nominations", dossier)

	g := b.must(http.StatusCreated, "tinh.admin", "POST", "/api/v1/admin/users/"+id+"/roles", map[string]any{"role": "clerk", "unit_id": "LS-09-099"})
	roles := g.body["roles"].([]any)
	if len(roles) != 1 || roles[0].(map[string]any)["role"] != "clerk" || roles[0].(map[string]any)["unit_id"] != "LS-09-099" {
		t.Fatalf("roles after the grant: %s", g.raw)
	}
	// The grant applies to the very next request, on the session opened before it.
	n := b.must(http.StatusCreated, "xa99.clerk", "POST", "/api/v1/nominations", dossier)
	if n.body["unit_id"] != "LS-09-099" || n.body["status"] != "draft" {
		t.Fatalf("dossier of the new commune: %s", n.raw)
	}
	// A fresh login works too, and the new user sees their dossier.
	b.loginAs("xa99.clerk", "mat-khau-moi-2026")
	b.must(http.StatusOK, "xa99.clerk", "GET", "/api/v1/nominations/"+idOf(t, n.body), nil)

	// Ending a unit: not while a unit below is in force, nor while active users
	// work there (nobody could manage them after); the commune may end once its
	// only user is deactivated.
	b.must(http.StatusConflict, "tinh.admin", "POST", "/api/v1/admin/units/"+seed.DemoDistrict+"/end", map[string]any{"valid_to": "2025-07-01"})
	c := b.must(http.StatusConflict, "tinh.admin", "POST", "/api/v1/admin/units/LS-09-099/end", map[string]any{"valid_to": "2025-07-01"})
	if !strings.Contains(fmt.Sprint(c.body["detail"]), "1 active users work in this unit") {
		t.Fatalf("refusal does not say why: %s", c.raw)
	}
	b.must(http.StatusOK, "tinh.admin", "POST", "/api/v1/admin/users/"+id+"/deactivate", nil)
	e := b.must(http.StatusOK, "tinh.admin", "POST", "/api/v1/admin/units/LS-09-099/end", map[string]any{"valid_to": "2025-07-01"})
	if e.body["valid_to"] == nil {
		t.Fatalf("ended unit has no end: %s", e.raw)
	}
	b.must(http.StatusConflict, "tinh.admin", "POST", "/api/v1/admin/units/LS-09-099/end", map[string]any{"valid_to": "2025-08-01"})
	var kept int
	if err := b.pool.QueryRow(context.Background(), `SELECT count(*) FROM units WHERE id = 'LS-09-099' AND valid_to = DATE '2025-07-01'`).Scan(&kept); err != nil || kept != 1 {
		t.Fatalf("the ended unit is not kept with its end date: %d %v", kept, err)
	}

	want := []string{"admin.unit.create", "admin.user.create", "admin.role.grant", "admin.user.deactivate", "admin.unit.end"}
	if got := b.adminEvents(); !slices.Equal(got, want) {
		t.Fatalf("audit events %v, want %v", got, want)
	}
	var actor string
	var unit string
	if err := b.pool.QueryRow(context.Background(), `SELECT actor_id::text, unit_id FROM audit_events WHERE action = 'admin.role.grant'`).Scan(&actor, &unit); err != nil {
		t.Fatal(err)
	}
	if actor != b.userIDOf("tinh.admin") || unit != "LS-09-099" {
		t.Fatalf("grant event by %s in %s", actor, unit)
	}
}

func TestDistrictAdminIsRefusedOutsideHisSubtree(t *testing.T) {
	b := setup(t, withClock(beforeReform))
	hu := b.must(http.StatusCreated, "tinh.admin", "POST", "/api/v1/admin/users", map[string]any{"username": "huyen.admin",
		"full_name": "Quản Trị Huyện", "unit_id": seed.DemoDistrict, "password": "quan-tri-huyen-2026"})
	b.must(http.StatusCreated, "tinh.admin", "POST", "/api/v1/admin/users/"+idOf(t, hu.body)+"/roles", map[string]any{"role": "admin", "unit_id": seed.DemoDistrict})
	b.loginAs("huyen.admin", "quan-tri-huyen-2026")
	const ha = "huyen.admin"

	// Inside: the district's users only.
	list := b.must(http.StatusOK, ha, "GET", "/api/v1/admin/users?limit=200", nil)
	users := list.body["users"].([]any)
	if len(users) == 0 {
		t.Fatal("the district admin sees no users")
	}
	for _, u := range users {
		if unit := u.(map[string]any)["unit_id"].(string); unit != seed.DemoDistrict && !strings.HasPrefix(unit, seed.DemoDistrict+"-") {
			t.Fatalf("the district admin lists a user of %s", unit)
		}
	}
	b.must(http.StatusOK, ha, "GET", "/api/v1/admin/users/"+b.userIDOf("xa.clerk"), nil)

	// Outside: another district, the province, a sibling's commune.
	other := b.userIDOf("xa2.clerk") // LS-10-003
	for _, c := range []struct {
		method, path string
		body         any
	}{
		{"GET", "/api/v1/admin/users/" + other, nil},
		{"GET", "/api/v1/admin/users/" + b.userIDOf("tinh.clerk"), nil},
		{"GET", "/api/v1/admin/users?unit=" + seed.OtherDistrict, nil},
		{"PATCH", "/api/v1/admin/users/" + other, map[string]any{"full_name": "Đổi Tên"}},
		{"POST", "/api/v1/admin/users/" + other + "/deactivate", nil},
		{"POST", "/api/v1/admin/users/" + other + "/password", map[string]any{"password": "mat-khau-bi-doi"}},
		{"POST", "/api/v1/admin/users/" + other + "/roles", map[string]any{"role": "clerk", "unit_id": seed.OtherCommune}},
		{"DELETE", "/api/v1/admin/users/" + other + "/roles?role=clerk&unit_id=" + seed.OtherCommune, nil},
		// A user of his district may not be given a role elsewhere, nor moved out.
		{"POST", "/api/v1/admin/users/" + b.userIDOf("xa.clerk") + "/roles", map[string]any{"role": "clerk", "unit_id": seed.OtherCommune}},
		{"PATCH", "/api/v1/admin/users/" + b.userIDOf("xa.clerk"), map[string]any{"unit_id": seed.OtherCommune}},
		{"POST", "/api/v1/admin/users", map[string]any{"username": "ngoai.pham.vi", "full_name": "Ngoài Phạm Vi", "unit_id": seed.OtherCommune, "password": "mat-khau-ngoai"}},
		{"POST", "/api/v1/admin/units", map[string]any{"id": "LS-10-099", "parent_id": seed.OtherDistrict, "name": "UBND xã Ngoài", "level": "commune", "kind": "people_committee"}},
		{"PATCH", "/api/v1/admin/units/" + seed.OtherDistrict, map[string]any{"name": "Đổi Tên"}},
		{"PATCH", "/api/v1/admin/units/" + seed.Province, map[string]any{"name": "Đổi Tên"}},
		{"POST", "/api/v1/admin/units/" + seed.OtherCommune + "/end", map[string]any{"valid_to": "2025-07-01"}},
		// Nor end the top of his own subtree: that is the province's structure.
		{"POST", "/api/v1/admin/units/" + seed.DemoDistrict + "/end", map[string]any{"valid_to": "2025-07-01"}},
		// Nor grant himself anything.
		{"POST", "/api/v1/admin/users/" + idOf(t, hu.body) + "/roles", map[string]any{"role": "decider", "unit_id": seed.DemoDistrict}},
	} {
		r := b.do(ha, c.method, c.path, c.body)
		if r.status != http.StatusForbidden {
			t.Errorf("%s %s as the district admin: %d, want 403: %s", c.method, c.path, r.status, r.raw)
		}
	}
	var name string
	if err := b.pool.QueryRow(context.Background(), `SELECT full_name FROM users WHERE username = 'xa2.clerk'`).Scan(&name); err != nil || name == "Đổi Tên" {
		t.Fatalf("the other district's clerk was changed: %q %v", name, err)
	}
	if got := b.adminEvents(); !slices.Equal(got, []string{"admin.user.create", "admin.role.grant"}) {
		t.Fatalf("audit events after the refusals: %v", got)
	}
	// Non-admins get 403 on the administration as a whole.
	for _, path := range []string{"/api/v1/admin/units", "/api/v1/admin/users", "/api/v1/admin/roles", "/api/v1/admin/levels"} {
		b.must(http.StatusForbidden, "huyen.appraiser", "GET", path, nil)
	}
}

func TestDeactivatedUserCannotLogInAndHisOldSessionAndTokensAreRefused(t *testing.T) {
	b := setup(t, withClock(beforeReform))
	id := b.userIDOf("xa.clerk")
	b.must(http.StatusOK, "xa.clerk", "GET", "/api/v1/me", nil)
	tok := b.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/me/tokens", map[string]any{"name": "bảng tính"}).body["token"].(string)
	bearer := map[string]string{"Authorization": "Bearer " + tok}
	if r := b.request("", "GET", "/api/v1/me", nil, bearer, false); r.status != http.StatusOK {
		t.Fatalf("API token before: %d", r.status)
	}

	d := b.must(http.StatusOK, "tinh.admin", "POST", "/api/v1/admin/users/"+id+"/deactivate", nil)
	if d.body["active"] != false {
		t.Fatalf("after deactivate: %s", d.raw)
	}
	b.must(http.StatusUnauthorized, "xa.clerk", "GET", "/api/v1/me", nil)
	if r := b.request("", "GET", "/api/v1/me", nil, bearer, false); r.status != http.StatusUnauthorized {
		t.Fatalf("API token after deactivation: %d", r.status)
	}
	b.must(http.StatusUnauthorized, "", "POST", "/api/v1/login", map[string]string{"username": "xa.clerk", "password": seed.DemoPassword})
	var live int
	if err := b.pool.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM sessions WHERE user_id = $1 AND revoked_at IS NULL)
		+ (SELECT count(*) FROM api_tokens WHERE user_id = $1 AND revoked_at IS NULL)`, id).Scan(&live); err != nil || live != 0 {
		t.Fatalf("live sessions and tokens after deactivation: %d %v", live, err)
	}
	// Deactivating again changes nothing; reactivating lets them in again.
	b.must(http.StatusOK, "tinh.admin", "POST", "/api/v1/admin/users/"+id+"/deactivate", nil)
	b.must(http.StatusOK, "tinh.admin", "POST", "/api/v1/admin/users/"+id+"/activate", nil)
	b.loginAs("xa.clerk", seed.DemoPassword)
	b.must(http.StatusOK, "xa.clerk", "GET", "/api/v1/me", nil)
	if r := b.request("", "GET", "/api/v1/me", nil, bearer, false); r.status != http.StatusUnauthorized {
		t.Fatalf("a revoked API token came back with the reactivation: %d", r.status)
	}

	// A password reset ends the sessions; the old password stops working.
	b.must(http.StatusBadRequest, "tinh.admin", "POST", "/api/v1/admin/users/"+id+"/password", map[string]any{"password": "ngan"})
	b.must(http.StatusOK, "xa.clerk", "GET", "/api/v1/me", nil)
	b.must(http.StatusNoContent, "tinh.admin", "POST", "/api/v1/admin/users/"+id+"/password", map[string]any{"password": "mat-khau-dat-lai"})
	b.must(http.StatusUnauthorized, "xa.clerk", "GET", "/api/v1/me", nil)
	b.must(http.StatusUnauthorized, "", "POST", "/api/v1/login", map[string]string{"username": "xa.clerk", "password": seed.DemoPassword})
	b.loginAs("xa.clerk", "mat-khau-dat-lai")

	want := []string{"admin.user.deactivate", "admin.user.activate", "admin.user.password"}
	if got := b.adminEvents(); !slices.Equal(got, want) {
		t.Fatalf("audit events %v, want %v", got, want)
	}
	var details string
	if err := b.pool.QueryRow(context.Background(), `SELECT details::text FROM audit_events WHERE action = 'admin.user.password'`).Scan(&details); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(details, "mat-khau") || strings.Contains(details, "argon2") {
		t.Fatalf("the audit event holds the password: %s", details)
	}
}

func TestAdminBadInputIsRefusedClearlyAndLeavesNothing(t *testing.T) {
	b := setup(t, withClock(beforeReform))
	b.token("tinh.admin") // log in before counting the sessions
	tables := []string{"units", "users", "role_assignments", "audit_events", "sessions"}
	before := map[string]int{}
	for _, tb := range tables {
		before[tb] = b.count(tb)
	}
	unit := func(over map[string]any) map[string]any {
		body := map[string]any{"id": "LS-09-098", "parent_id": seed.DemoDistrict, "name": "UBND xã Mới", "level": "commune", "kind": "people_committee"}
		for k, v := range over {
			body[k] = v
		}
		return body
	}
	user := func(over map[string]any) map[string]any {
		body := map[string]any{"username": "nguoi.moi", "full_name": "Người Mới", "unit_id": seed.DemoCommune, "password": "mat-khau-nguoi-moi"}
		for k, v := range over {
			body[k] = v
		}
		return body
	}
	clerk := b.userIDOf("xa.clerk")
	for _, c := range []struct {
		name, method, path string
		body               any
		status             int
		field              string
	}{
		{"unknown level", "POST", "/api/v1/admin/units", unit(map[string]any{"level": "hamlet"}), 400, "level"},
		{"level not below the parent's", "POST", "/api/v1/admin/units", unit(map[string]any{"level": "province"}), 400, "level"},
		{"empty unit name", "POST", "/api/v1/admin/units", unit(map[string]any{"name": "  "}), 400, "name"},
		{"malformed code", "POST", "/api/v1/admin/units", unit(map[string]any{"id": "xã 98"}), 400, "id"},
		{"unknown kind", "POST", "/api/v1/admin/units", unit(map[string]any{"kind": "club"}), 400, "kind"},
		{"bad start date", "POST", "/api/v1/admin/units", unit(map[string]any{"valid_from": "16/06/2025"}), 400, "valid_from"},
		{"before the parent's start", "POST", "/api/v1/admin/units", unit(map[string]any{"valid_from": "1999-01-01"}), 400, "valid_from"},
		{"code taken", "POST", "/api/v1/admin/units", unit(map[string]any{"id": "ls-09-003"}), 409, "id"},
		{"parent outside the subtree", "POST", "/api/v1/admin/units", unit(map[string]any{"parent_id": seed.Central, "level": "province"}), 403, ""},
		{"unknown parent", "POST", "/api/v1/admin/units", unit(map[string]any{"parent_id": "XX-01"}), 403, ""},
		{"unknown field", "POST", "/api/v1/admin/units", unit(map[string]any{"valid_to": "2030-01-01"}), 400, ""},
		{"empty unit name on edit", "PATCH", "/api/v1/admin/units/" + seed.DemoCommune, map[string]any{"name": ""}, 400, "name"},
		{"end before the start", "POST", "/api/v1/admin/units/" + seed.DemoCommune + "/end", map[string]any{"valid_to": "1999-01-01"}, 400, "valid_to"},
		{"duplicate username", "POST", "/api/v1/admin/users", user(map[string]any{"username": "XA.Clerk"}), 409, "username"},
		{"malformed username", "POST", "/api/v1/admin/users", user(map[string]any{"username": "người mới"}), 400, "username"},
		{"empty full name", "POST", "/api/v1/admin/users", user(map[string]any{"full_name": ""}), 400, "full_name"},
		{"short password", "POST", "/api/v1/admin/users", user(map[string]any{"password": "123"}), 400, "password"},
		{"no unit", "POST", "/api/v1/admin/users", user(map[string]any{"unit_id": ""}), 400, "unit_id"},
		{"empty full name on edit", "PATCH", "/api/v1/admin/users/" + clerk, map[string]any{"full_name": " "}, 400, "full_name"},
		{"unknown role", "POST", "/api/v1/admin/users/" + clerk + "/roles", map[string]any{"role": "superuser", "unit_id": seed.DemoCommune}, 400, "role"},
		{"role already held", "POST", "/api/v1/admin/users/" + clerk + "/roles", map[string]any{"role": "clerk", "unit_id": seed.DemoCommune}, 409, ""},
		{"role not held", "DELETE", "/api/v1/admin/users/" + clerk + "/roles?role=decider&unit_id=" + seed.DemoCommune, nil, 404, ""},
		{"unknown user", "GET", "/api/v1/admin/users/999999", nil, 404, ""},
		{"malformed user id", "GET", "/api/v1/admin/users/abc", nil, 404, ""},
		{"bad list parameter", "GET", "/api/v1/admin/users?limit=many", nil, 400, "limit"},
	} {
		r := b.do("tinh.admin", c.method, c.path, c.body)
		if r.status != c.status {
			t.Errorf("%s: %d, want %d: %s", c.name, r.status, c.status, r.raw)
			continue
		}
		if r.header.Get("Content-Type") != "application/problem+json" || r.body["detail"] == nil && r.body["title"] == nil {
			t.Errorf("%s: not a problem document: %s", c.name, r.raw)
		}
		if c.field != "" && !fieldsOf(r)[c.field] {
			t.Errorf("%s: the problem does not name the field %q: %s", c.name, c.field, r.raw)
		}
	}
	for _, tb := range tables {
		if n := b.count(tb); n != before[tb] {
			t.Errorf("%s: %d rows, %d before the refused requests", tb, n, before[tb])
		}
	}
}

func TestNobodyGrantsThemselvesOrRemovesTheirOwnLastAdminRole(t *testing.T) {
	b := setup(t, withClock(beforeReform))
	me := b.userIDOf("tinh.admin")

	// The role catalogue is the policy's.
	cat := b.must(http.StatusOK, "tinh.admin", "GET", "/api/v1/admin/roles", nil).body["roles"].([]any)
	var roles []string
	for _, r := range cat {
		roles = append(roles, r.(string))
	}
	if !slices.Equal(roles, authz.PolicyRoles()) {
		t.Fatalf("catalogue %v, policy %v", roles, authz.PolicyRoles())
	}
	for _, r := range domain.AllRoles {
		if !slices.Contains(roles, r) {
			t.Errorf("the catalogue lacks %s", r)
		}
	}

	b.must(http.StatusForbidden, "tinh.admin", "POST", "/api/v1/admin/users/"+me+"/roles", map[string]any{"role": "decider", "unit_id": seed.Province})
	b.must(http.StatusForbidden, "tinh.admin", "POST", "/api/v1/admin/users/"+me+"/deactivate", nil)
	r := b.must(http.StatusConflict, "tinh.admin", "DELETE", "/api/v1/admin/users/"+me+"/roles?role=admin&unit_id="+seed.Province, nil)
	if !strings.Contains(fmt.Sprint(r.body["detail"]), "last admin role") {
		t.Fatalf("refusal does not say why: %s", r.raw)
	}
	b.must(http.StatusOK, "tinh.admin", "GET", "/api/v1/admin/units", nil)

	// With a second admin role (granted by the central administrator), one may go.
	b.must(http.StatusCreated, "tw.admin", "POST", "/api/v1/admin/users/"+me+"/roles", map[string]any{"role": "admin", "unit_id": seed.DemoDistrict})
	b.must(http.StatusOK, "tinh.admin", "DELETE", "/api/v1/admin/users/"+me+"/roles?role=admin&unit_id="+seed.Province, nil)
	// It applies at once: the province is no longer his, the district still is.
	b.must(http.StatusForbidden, "tinh.admin", "PATCH", "/api/v1/admin/units/"+seed.OtherDistrict, map[string]any{"name": "Huyện Lộc Bình"})
	b.must(http.StatusOK, "tinh.admin", "PATCH", "/api/v1/admin/units/"+seed.DemoCommune, map[string]any{"name": "UBND xã Bảo Lâm (mới)"})
	// His own account (home: Sở Nội vụ, under the province) is no longer his to
	// manage, so the last admin role stays.
	b.must(http.StatusForbidden, "tinh.admin", "DELETE", "/api/v1/admin/users/"+me+"/roles?role=admin&unit_id="+seed.DemoDistrict, nil)

	want := []string{"admin.role.grant", "admin.role.revoke", "admin.unit.update"}
	if got := b.adminEvents(); !slices.Equal(got, want) {
		t.Fatalf("audit events %v, want %v", got, want)
	}
}

// TestSignerTitleOverTheAPI sets a decider's signer title with the admin users
// API, the same use case as the user's administration page: the provincial admin
// sets and clears it, an unknown title is a field error that changes nothing, and
// a clerk is refused (the authorization matrix covers the other callers).
func TestSignerTitleOverTheAPI(t *testing.T) {
	b := setup(t, withClock(beforeReform))
	path := "/api/v1/admin/users/" + b.userIDOf("tinh.decider") + "/signer-title"
	if got := b.must(http.StatusOK, "tinh.admin", "GET", path, nil).body["title"]; got != "" {
		t.Fatalf("title before: %v", got)
	}
	if got := b.must(http.StatusOK, "tinh.admin", "PUT", path, map[string]any{"title": "vice_chair"}).body["title"]; got != "vice_chair" {
		t.Fatalf("title set: %v", got)
	}
	var stored string
	if err := b.pool.QueryRow(context.Background(), `SELECT title FROM users WHERE username = 'tinh.decider'`).Scan(&stored); err != nil || stored != "vice_chair" {
		t.Fatalf("stored %q, %v", stored, err)
	}
	r := b.must(http.StatusBadRequest, "tinh.admin", "PUT", path, map[string]any{"title": "emperor"})
	if !strings.Contains(string(r.raw), `"title"`) {
		t.Fatalf("no field error on title: %s", r.raw)
	}
	b.must(http.StatusForbidden, "xa.clerk", "PUT", path, map[string]any{"title": "chair"})
	b.must(http.StatusForbidden, "xa.clerk", "GET", path, nil)
	if got := b.must(http.StatusOK, "tinh.admin", "GET", path, nil).body["title"]; got != "vice_chair" {
		t.Fatalf("after refusals: %v", got)
	}
	if got := b.must(http.StatusOK, "tinh.admin", "PUT", path, map[string]any{"title": ""}).body["title"]; got != "" {
		t.Fatalf("title cleared: %v", got)
	}
}
