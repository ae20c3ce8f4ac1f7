package seed

import (
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
)

// inForce counts the units of a level (and subkind, "" for any) in force on day.
func inForce(t *testing.T, db *pgxpool.Pool, day, level, subkind string) int {
	t.Helper()
	return count(t, db, `SELECT count(*) FROM units WHERE level = $2 AND ($3 = '' OR subkind = $3)
		AND valid_from <= $1::date AND (valid_to IS NULL OR valid_to > $1::date)`, day, level, subkind)
}

func TestTodayIsLangSonAfterTheReformWithItsPast(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	ctx := t.Context()
	h := &fakeHash{}
	if _, err := Demo(ctx, db, h.hash); err != nil {
		t.Fatal(err)
	}
	if err := Review1258(ctx, db); err != nil {
		t.Fatal(err)
	}
	if err := PreReform(ctx, db); err != nil {
		t.Fatal(err)
	}
	var before string
	if err := db.QueryRow(ctx, `SELECT aggregate::text || children_total FROM review_reports WHERE unit_id = $1`, Province).Scan(&before); err != nil {
		t.Fatal(err)
	}
	rep, err := Today(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", rep)
	if rep.Coded2018 != 226 || rep.Communes2025 != 65 || rep.Kept+rep.Started2020 != 194 || rep.Kept+rep.Ended2020 != 226 {
		t.Fatalf("report %+v", rep)
	}
	// Today: 65 communes (61 xã, 4 phường) directly under the province, no district.
	if n, x, p := inForce(t, db, "2026-12-07", levelCommune, ""), inForce(t, db, "2026-12-07", levelCommune, subkindCommune),
		inForce(t, db, "2026-12-07", levelCommune, subkindWard); n != 65 || x != 61 || p != 4 {
		t.Fatalf("today: %d communes, %d xã, %d phường", n, x, p)
	}
	if n := inForce(t, db, "2026-12-07", levelDistrict, ""); n != 0 {
		t.Fatalf("%d districts in force today", n)
	}
	if n := count(t, db, `SELECT count(*) FROM units WHERE valid_from = '2025-07-01' AND parent_id <> $1`, Province); n != 0 {
		t.Fatalf("%d new communes not under the province", n)
	}
	// The day before: 194 communes under 11 districts; in 2018: 226.
	if n, d := inForce(t, db, "2025-06-30", levelCommune, ""), inForce(t, db, "2025-06-30", levelDistrict, ""); n != 194 || d != 11 {
		t.Fatalf("2025-06-30: %d communes, %d districts", n, d)
	}
	if n := inForce(t, db, "2018-06-18", levelCommune, ""); n != 226 {
		t.Fatalf("2018-06-18: %d communes", n)
	}
	// The splits of xã Bính Xá (LS-11-005) and xã Kiên Mộc: parts, to two new communes each.
	for _, old := range []string{"LS-11-005", "LS-11-010"} {
		if n := count(t, db, `SELECT count(*) FROM unit_successions WHERE predecessor_id = $1 AND NOT whole`, old); n != 2 {
			t.Errorf("%s goes in part to %d communes, want 2", old, n)
		}
	}
	if n := count(t, db, `SELECT count(*) FROM unit_successions WHERE NOT whole`); n != 4 {
		t.Errorf("%d partial successions, want 4", n)
	}
	// Accounts: the commune clerk works in xã Đồng Đăng, the district clerk is inactive.
	if n := count(t, db, `SELECT count(*) FROM users u JOIN role_assignments r ON r.user_id = u.id
		WHERE u.username = 'xa.clerk' AND u.unit_id = $1 AND r.unit_id = $1 AND u.active`, TodayCommune); n != 1 {
		t.Fatal("xa.clerk is not in xã Đồng Đăng")
	}
	if n := count(t, db, `SELECT count(*) FROM users WHERE username LIKE 'huyen.%' AND active`); n != 0 {
		t.Fatalf("%d district accounts still active", n)
	}
	// The 1258 review stays on the 2018 tree with the same aggregate.
	var after string
	if err := db.QueryRow(ctx, `SELECT aggregate::text || children_total FROM review_reports WHERE unit_id = $1`, Province).Scan(&after); err != nil {
		t.Fatal(err)
	}
	if after != before || len(after) < 100 {
		t.Fatalf("the province's 1258 aggregate changed: %s → %s", before, after)
	}
	// Three dossiers decided before the reform went up through a district.
	if n := count(t, db, `SELECT count(*) FROM nominations WHERE status = 'decided' AND route->0->>'level' = 'district'
		AND jsonb_array_length(route) >= 2 AND unit_id IN ($1, $2)`, DemoCommune, OtherCommune); n != 3 {
		t.Fatalf("%d decided four-level dossiers", n)
	}
	if n := count(t, db, `SELECT count(*) FROM audit_events WHERE nomination_id = $1 AND action = 'forward'`, PreReformBKTTg); n != 2 {
		t.Fatalf("the BK TTg dossier was forwarded %d times, want 2 (district, province)", n)
	}
	// A second run changes nothing.
	counts := rowCounts(t, db)
	rep, err = Today(ctx, db)
	if err != nil || !rep.AlreadyApplied {
		t.Fatalf("second run: %+v %v", rep, err)
	}
	if got := rowCounts(t, db); !mapsEqual(got, counts) {
		t.Fatalf("second run changed %v → %v", counts, got)
	}
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestDemoTodayTwiceKeepsTheAccountsWhereTheyWorkToday(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	h := &fakeHash{}
	logins, rep, err := DemoToday(t.Context(), db, h.hash)
	if err != nil || rep.Communes2025 != 65 {
		t.Fatalf("%+v %v", rep, err)
	}
	counts := rowCounts(t, db)
	again, rep, err := DemoToday(t.Context(), db, h.hash)
	if err != nil || !rep.AlreadyApplied || len(again) != len(logins) {
		t.Fatalf("second run: %+v %v", rep, err)
	}
	if got := rowCounts(t, db); !mapsEqual(got, counts) {
		t.Fatalf("second run changed %v → %v", counts, got)
	}
	for i, l := range again {
		if l != logins[i] {
			t.Errorf("login %d: %+v, then %+v", i, logins[i], l)
		}
		switch l.Username {
		case "xa.clerk":
			if l.UnitID != TodayCommune || l.UnitName != "UBND xã Đồng Đăng" {
				t.Errorf("xa.clerk: %+v", l)
			}
		case "huyen.clerk":
			if l.UnitID != DemoDistrict || l.UnitName != "UBND huyện Cao Lộc (ended 30/06/2025) — inactive" {
				t.Errorf("huyen.clerk: %+v", l)
			}
		}
	}
}
