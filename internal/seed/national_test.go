package seed

import (
	"strings"
	"testing"
)

func TestNationalLoadsTheThirtyFourProvincesWithTheirCommunesOnceAndRefusesAMisfit(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	ctx := t.Context()
	rep, err := National(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Provinces != 34 || rep.Communes != 3321 || rep.Created != 1+34+3321 || rep.Real != 65 || rep.Generated != 3321-65 || rep.AlreadyApplied {
		t.Fatalf("first run: %+v", rep)
	}
	day := "2026-12-07"
	if n := inForce(t, db, day, levelProvince, ""); n != 34 {
		t.Fatalf("%d provinces in force on %s", n, day)
	}
	for k, want := range map[string]int{"": 3321, subkindCommune: 2621, subkindWard: 687, subkindSpecial: 13} {
		if n := inForce(t, db, day, levelCommune, k); n != want {
			t.Fatalf("%d communes of kind %q in force on %s, want %d", n, k, day, want)
		}
	}
	if n := inForce(t, db, "2025-06-30", levelCommune, ""); n != 0 {
		t.Fatalf("%d communes in force the day before the reform", n)
	}
	// Per province, as the statistics office lists them.
	for id, want := range map[string]int{"P01": 126, "P79": 168, Province: 65, "P46": 40, "P22": 54, "P12": 38} {
		if n := count(t, db, `SELECT count(*) FROM units WHERE parent_id = $1 AND level = 'commune'`, id); n != want {
			t.Fatalf("%s has %d communes, want %d", id, n, want)
		}
	}
	if n := count(t, db, `SELECT count(*) FROM units WHERE parent_id = 'P22' AND subkind = 'dac_khu' AND name LIKE 'UBND đặc khu số %'`); n != 2 {
		t.Fatalf("Quảng Ninh has %d generated special zones", n)
	}
	if n := count(t, db, `SELECT count(*) FROM units WHERE id = 'LS-06184' AND parent_id = $1 AND name = 'UBND xã Đồng Đăng' AND code = '06184'`, Province); n != 1 {
		t.Fatal("Lạng Sơn's communes must carry their real names and codes")
	}
	if n := count(t, db, `SELECT count(*) FROM units WHERE valid_from <> '2025-07-01'`); n != 0 {
		t.Fatalf("%d units not valid from 2025-07-01", n)
	}

	again, err := National(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if !again.AlreadyApplied || again.Created != 0 || again.Communes != 3321 {
		t.Fatalf("second run: %+v", again)
	}
	if n := count(t, db, `SELECT count(*) FROM units`); n != 1+34+3321 {
		t.Fatalf("%d units after the second run", n)
	}

	// A province with one commune too many is not the official tree: refused.
	if _, err := db.Exec(ctx, `INSERT INTO units (id, parent_id, name, level, kind, subkind, valid_from)
		VALUES ('P04-X', 'P04', 'UBND xã Thừa', 'commune', 'people_committee', 'xa', '2025-07-01')`); err != nil {
		t.Fatal(err)
	}
	if _, err := National(ctx, db); err == nil || !strings.Contains(err.Error(), "P04 Cao Bằng has 54 communes of kind \"xa\"") {
		t.Fatalf("a misfit database: %v", err)
	}
}
