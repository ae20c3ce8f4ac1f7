package httpapi_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/tdkt/tdkt/internal/admin"
	"github.com/tdkt/tdkt/internal/dossiers"
	"github.com/tdkt/tdkt/internal/e2etest"
	"github.com/tdkt/tdkt/internal/seed"
)

// setupToday runs the product over the demo as it is today, on the real date.
func setupToday(t *testing.T, opts ...option) *bundle {
	t.Helper()
	return setup(t, append([]option{e2etest.WithDatabase(e2etest.TodayDB(t))}, opts...)...)
}

// communes counts the commune-level units of a tree.
func communes(tree map[string]map[string]any) (all int, kinds map[string]int) {
	kinds = map[string]int{}
	for _, u := range tree {
		if u["level"] == "commune" {
			all++
			kinds[u["subkind"].(string)]++
		}
	}
	return all, kinds
}

func TestTheTreeOnTwoDatesAndTheSixtyFiveCommunesOfToday(t *testing.T) {
	b := setupToday(t)
	today := b.treeOn("tinh.admin", "2026-12-07")
	n, kinds := communes(today)
	if n != 65 || kinds["xa"] != 61 || kinds["phuong"] != 4 {
		t.Fatalf("today: %d communes %v", n, kinds)
	}
	dd := today[seed.TodayCommune]
	if dd == nil || dd["parent_id"] != seed.Province || dd["code"] != "06184" || dd["valid_from"] != "2025-07-01" {
		t.Fatalf("xã Đồng Đăng today: %v", dd)
	}
	for _, u := range today {
		if u["level"] == "district" {
			t.Fatalf("a district in force today: %v", u)
		}
	}
	old := b.treeOn("tinh.admin", "2018-06-18")
	if n, kinds := communes(old); n != 226 || kinds["xa"] != 207 || kinds["thi_tran"] != 14 || kinds["phuong"] != 5 {
		t.Fatalf("2018: %d communes %v", n, kinds)
	}
	if old[seed.DemoCommune]["parent_id"] != seed.DemoDistrict || old[seed.DemoCommune]["valid_to"] == nil {
		t.Fatalf("xã Bảo Lâm in 2018: %v", old[seed.DemoCommune])
	}
	// The commune's clerk sees in 2018 the communes her commune took in, not the others.
	mine := b.treeOn("xa.clerk", "2018-06-18")
	if mine[seed.DemoCommune] == nil || mine[seed.OtherCommune] != nil {
		t.Fatalf("xa.clerk's 2018 tree: %d units", len(mine))
	}
	// The split of xã Bính Xá through the API.
	succ := b.must(http.StatusOK, "tinh.admin", "GET", "/api/v1/units/LS-11-005/successions", nil).body["successions"].([]any)
	if len(succ) != 2 || succ[0].(map[string]any)["whole"] != false || succ[0].(map[string]any)["source"] != seed.Source1672 {
		t.Fatalf("successions of xã Bính Xá: %v", succ)
	}
}

func TestGiayKhenIsDecidedByTheCommuneChairToday(t *testing.T) {
	b := setupToday(t)
	n := b.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations", map[string]any{
		"unit_id": seed.TodayCommune, "award_code": "GK", "year": 2026,
		"nominees": []map[string]any{{"kind": "household", "name": "Hộ ông Lý Văn Páo"}},
	}).body
	id := n["id"].(string)
	route := n["route"].([]any)
	if len(route) != 1 || route[0].(map[string]any)["unit_id"] != seed.TodayCommune || route[0].(map[string]any)["decides"] != true {
		t.Fatalf("route of today's Giấy khen: %v", route)
	}
	b.must(http.StatusOK, "xa.clerk", "POST", "/api/v1/nominations/"+id+"/submit", nil)
	b.actOn(http.StatusOK, "xa.appraiser", id, map[string]any{"action": "accept"})
	b.actOn(http.StatusOK, "xa.appraiser", id, map[string]any{"action": "approve"})
	n = b.actOn(http.StatusOK, "xa.decider", id, map[string]any{"action": "decide"})
	if n["status"] != "decided" || n["decision"].(map[string]any)["unit_id"] != seed.TodayCommune {
		t.Fatalf("after decide: %v", n)
	}
}

func TestBangKhenTinhGoesFromTheCommuneToTheProvinceToday(t *testing.T) {
	b := setupToday(t)
	n := b.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations", bkTinhDossier(seed.TodayCommune)).body
	id := n["id"].(string)
	route := n["route"].([]any)
	if len(route) != 1 || route[0].(map[string]any)["unit_id"] != seed.Province || route[0].(map[string]any)["decides"] != true {
		t.Fatalf("route of today's Bằng khen tỉnh: %v", route)
	}
	n = b.must(http.StatusOK, "xa.clerk", "POST", "/api/v1/nominations/"+id+"/submit", map[string]any{"version": 0}).body
	if n["current_unit_id"] != seed.Province || !b.hasTask("tinh.appraiser", id) {
		t.Fatalf("after submit the province receives it: %v", n)
	}
	// State awards: commune → province → central.
	s := b.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations", map[string]any{
		"unit_id": seed.TodayCommune, "award_code": "BK_TTG", "year": 2026,
		"nominees": []map[string]any{{"kind": "collective", "name": "Nhân dân và cán bộ xã Đồng Đăng"}},
	}).body
	sr := s["route"].([]any)
	if len(sr) != 2 || sr[0].(map[string]any)["unit_id"] != seed.Province || sr[1].(map[string]any)["unit_id"] != seed.Central {
		t.Fatalf("route of today's Bằng khen Thủ tướng: %v", sr)
	}
	// The district's accounts ended with their district.
	if r := b.do("", "POST", "/api/v1/login", map[string]string{"username": "huyen.clerk", "password": seed.DemoPassword}); r.status == http.StatusOK {
		t.Fatalf("the district clerk can still log in: %s", r.raw)
	}
}

func TestAccountsOfAnEndedDistrictAreListedMovedAndTheirRolesRevoked(t *testing.T) {
	b := setupToday(t)
	ended := b.must(http.StatusOK, "tinh.admin", "GET", "/api/v1/admin/ended-units", nil).body["units"].([]any)
	var district map[string]any
	for _, u := range ended {
		if m := u.(map[string]any); m["unit_id"] == seed.DemoDistrict {
			district = m
		}
	}
	if district == nil || district["valid_to"] != "2025-07-01" || len(district["users"].([]any)) != 7 || len(district["roles"].([]any)) != 7 {
		t.Fatalf("huyện Cao Lộc among the ended units: %v", district)
	}
	if district["users"].([]any)[0].(map[string]any)["active"] != false {
		t.Fatalf("the district accounts are still active: %v", district["users"])
	}
	// A commune clerk administers nothing.
	b.must(http.StatusForbidden, "xa.clerk", "POST", "/api/v1/admin/units/"+seed.DemoDistrict+"/revoke-roles", nil)
	// One role of an ended unit can be revoked (it was refused before).
	clerk := b.userIDOf("huyen.clerk")
	b.must(http.StatusOK, "tinh.admin", "DELETE", "/api/v1/admin/users/"+clerk+"/roles?role=clerk&unit_id="+seed.DemoDistrict, nil)
	// A unit in force is not moved in bulk.
	b.must(http.StatusConflict, "tinh.admin", "POST", "/api/v1/admin/units/"+seed.TodayCommune+"/move-users",
		map[string]any{"to": seed.Province})
	moved := b.must(http.StatusOK, "tinh.admin", "POST", "/api/v1/admin/units/"+seed.DemoDistrict+"/move-users",
		map[string]any{"to": seed.TodayCommune}).body
	if moved["users"] != 7.0 || moved["roles"] != 0.0 {
		t.Fatalf("move: %v", moved)
	}
	var home string
	if err := b.pool.QueryRow(t.Context(), `SELECT unit_id FROM users WHERE username = 'huyen.appraiser'`).Scan(&home); err != nil || home != seed.TodayCommune {
		t.Fatalf("huyen.appraiser works in %q (%v)", home, err)
	}
	rev := b.must(http.StatusOK, "tinh.admin", "POST", "/api/v1/admin/units/"+seed.DemoDistrict+"/revoke-roles", nil).body
	if rev["revoked"] != 6.0 {
		t.Fatalf("revoked %v roles, want the 6 left", rev["revoked"])
	}
	for _, u := range b.must(http.StatusOK, "tinh.admin", "GET", "/api/v1/admin/ended-units", nil).body["units"].([]any) {
		if u.(map[string]any)["unit_id"] == seed.DemoDistrict {
			t.Fatalf("huyện Cao Lộc is still listed: %v", u)
		}
	}
	if ev := b.adminEvents(); len(ev) < 3 || ev[len(ev)-1] != "admin.roles.revoke_ended" || ev[len(ev)-2] != "admin.users.move" {
		t.Fatalf("audit: %v", ev)
	}
}

func TestASubjectOfAnOldCommuneIsFoundAndCheckedUnderItsSuccessor(t *testing.T) {
	b := setupToday(t)
	ctx := t.Context()
	// Recorded in xã Bảo Lâm before the reform: three years of CSTĐCS.
	var id int64
	if err := b.pool.QueryRow(ctx, `INSERT INTO subjects (unit_id, code, kind, name, job_title)
		VALUES ($1, '012345678901', 'individual', 'Hoàng Thị Lan', 'Công chức Văn phòng - Thống kê') RETURNING id`, seed.DemoCommune).Scan(&id); err != nil {
		t.Fatal(err)
	}
	if _, err := b.pool.Exec(ctx, `INSERT INTO task_ratings (subject_id, year, rating, source) SELECT $1, y, 'htxs', 'manual' FROM generate_series(2022, 2024) y;
		`, id); err != nil {
		t.Fatal(err)
	}
	if _, err := b.pool.Exec(ctx, `INSERT INTO award_records (subject_id, award_code, year, level, source, decision_code)
		SELECT $1, 'CSTDCS', y, 'district', 'manual', y || '/QĐ-UBND' FROM generate_series(2022, 2024) y`, id); err != nil {
		t.Fatal(err)
	}
	// xã Đồng Đăng's clerk finds her and checks her for CSTĐ tỉnh.
	found := b.must(http.StatusOK, "xa.clerk", "GET", "/api/v1/subjects?q=Hoang+Thi+Lan", nil).body["subjects"].([]any)
	if len(found) != 1 || found[0].(map[string]any)["unit_id"] != seed.DemoCommune {
		t.Fatalf("search under the successor: %v", found)
	}
	chk := b.must(http.StatusOK, "xa.clerk", "GET", "/api/v1/eligibility?subject_id="+strconv.FormatInt(id, 10)+"&award=CSTD_TINH&year=2024", nil).body
	res := chk["result"].(map[string]any)
	var chain map[string]any
	for _, c := range res["criteria"].([]any) {
		if c.(map[string]any)["id"] == "cstdcs_chain" {
			chain = c.(map[string]any)
		}
	}
	if chain == nil || chain["met"] != true {
		t.Fatalf("the CSTĐCS chain recorded before the reform: %v", res)
	}
	// Another commune's clerk does not see her.
	if found := b.must(http.StatusOK, "xa2.clerk", "GET", "/api/v1/subjects?q=Hoang+Thi+Lan", nil).body["subjects"].([]any); len(found) != 0 {
		t.Fatalf("xã Xuân Dương sees %v", found)
	}
	b.must(http.StatusNotFound, "xa2.clerk", "GET", "/api/v1/eligibility?subject_id="+strconv.FormatInt(id, 10)+"&award=CSTD_TINH&year=2024", nil)
}

func TestWhereTheWorkOfAnEndedUnitGoes(t *testing.T) {
	b := setupToday(t)
	st := dossiers.NewStore(b.pool)
	on := func(day string) time.Time { d, _ := time.Parse(time.DateOnly, day); return d }
	cases := []struct {
		unit, day, want string
		ok              bool
	}{
		{seed.DemoCommune, "2025-06-30", seed.DemoCommune, true},  // still in force
		{seed.DemoCommune, "2026-12-07", seed.TodayCommune, true}, // taken in whole by xã Đồng Đăng
		{"LS-11-005", "2026-12-07", "", false},                    // xã Bính Xá was split
		{seed.DemoDistrict, "2026-12-07", "", false},              // the district level is abolished
	}
	for _, c := range cases {
		got, ok, err := admin.NewStore(st.Pool).SuccessorOn(t.Context(), c.unit, on(c.day))
		if err != nil || got != c.want || ok != c.ok {
			t.Errorf("SuccessorOn(%s, %s) = %q %v %v, want %q %v", c.unit, c.day, got, ok, err, c.want, c.ok)
		}
	}
}
