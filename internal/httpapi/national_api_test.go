package httpapi_test

import (
	"testing"

	"github.com/tdkt/tdkt/internal/e2etest"
	"github.com/tdkt/tdkt/internal/seed"
)

func TestTheNationalSkeletonOverTheDemoIsTheTreeOfToday(t *testing.T) {
	pool := e2etest.TodayDB(t)
	rep, err := seed.National(t.Context(), pool)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Provinces != 34 || rep.Communes != 3321 || rep.Real != 65 || rep.AlreadyApplied {
		t.Fatalf("seed national over the demo: %+v", rep)
	}
	b := setup(t, e2etest.WithDatabase(pool))
	today := b.treeOn("tw.admin", "2026-12-07")
	perProvince := map[string]int{}
	provinces := 0
	for _, u := range today {
		switch u["level"] {
		case "province":
			if u["parent_id"] == seed.Central && u["subkind"] == "tinh" {
				provinces++
			}
		case "commune":
			perProvince[u["parent_id"].(string)]++
		}
	}
	n, kinds := communes(today)
	if provinces != 34 || n != 3321 || kinds["xa"] != 2621 || kinds["phuong"] != 687 || kinds["dac_khu"] != 13 {
		t.Fatalf("today: %d provinces, %d communes %v", provinces, n, kinds)
	}
	for id, want := range map[string]int{seed.Province: 65, "P01": 126, "P79": 168, "P38": 166, "P12": 38} {
		if perProvince[id] != want {
			t.Fatalf("%s has %d communes today, want %d", id, perProvince[id], want)
		}
	}
	if hn := today["P01"]; hn["name"] != "UBND thành phố Hà Nội" || hn["code"] != "01" || hn["valid_from"] != "2025-07-01" {
		t.Fatalf("Hà Nội: %v", hn)
	}
	// 2018: Lạng Sơn's tree of the time, none of the skeleton's new units.
	old := b.treeOn("tw.admin", "2018-06-18")
	if old["P01"] != nil || old["LS-06184"] != nil || old[seed.DemoCommune] == nil {
		t.Fatal("on 2018-06-18 the tree is the demo's 2018 one")
	}
	if n, _ := communes(old); n != 226 {
		t.Fatalf("2018: %d communes", n)
	}
	// A province's staff see their province only.
	if mine := b.treeOn("tinh.admin", "2026-12-07"); mine["P01"] != nil || mine["LS-06184"] == nil {
		t.Fatalf("tinh.admin's tree today: %d units", len(mine))
	}
	// Seeding again changes nothing.
	again, err := seed.National(t.Context(), pool)
	if err != nil || !again.AlreadyApplied {
		t.Fatalf("second run: %+v, %v", again, err)
	}
}
