package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
)

// splitCSV merges communes of huyện Đình Lập into two new ones under the province
// from 2025-07-01, splitting xã Bính Xá (LS-11-005) between them, as Resolution
// 1672 did.
const splitCSV = `code,name,kind,parent,valid_from,predecessors
LS-T-DL,Đình Lập,xa,LS,2025-07-01,LS-11-001; LS-11-008; LS-11-005 (part)
LS-T-KM,Kiên Mộc,xa,LS,2025-07-01,LS-11-010; LS-11-005 (một phần)
`

// unitIDs flattens a units forest to its ids.
func unitIDs(nodes []any, into map[string]map[string]any) {
	for _, n := range nodes {
		m := n.(map[string]any)
		into[m["id"].(string)] = m
		if kids, ok := m["children"].([]any); ok {
			unitIDs(kids, into)
		}
	}
}

func (b *bundle) treeOn(user, day string) map[string]map[string]any {
	b.t.Helper()
	r := b.must(http.StatusOK, user, "GET", "/api/v1/units?on="+day, nil)
	if r.body["on"] != day {
		b.t.Fatalf("tree of %s answered for %v", day, r.body["on"])
	}
	out := map[string]map[string]any{}
	unitIDs(r.body["units"].([]any), out)
	return out
}

func TestImportedReorganisationShowsOnEachDateWithASplitCommune(t *testing.T) {
	b := setup(t, withClock(beforeReform))
	units := b.count("units")
	res := b.upload(http.StatusCreated, "tinh.admin", "/api/v1/admin/units/import?source=NQ+1672", "text/csv", []byte(splitCSV))
	if res.body["created"] != 2.0 || res.body["successions"] != 5.0 || len(res.body["ended"].([]any)) != 4 {
		t.Fatalf("import: %s", res.raw)
	}
	if got := b.count("units"); got != units+2 {
		t.Fatalf("%d units after the import, want %d", got, units+2)
	}

	before := b.treeOn("tinh.admin", "2025-06-30")
	after := b.treeOn("tinh.admin", "2025-07-01")
	if before["LS-11-005"] == nil || before["LS-T-DL"] != nil {
		t.Fatal("on 2025-06-30 xã Bính Xá must be in force and the new xã Đình Lập not yet")
	}
	dl := after["LS-T-DL"]
	if dl == nil || after["LS-11-005"] != nil || after["LS-11-010"] != nil {
		t.Fatal("on 2025-07-01 the new communes replace the old ones")
	}
	if dl["parent_id"] != "LS" || dl["name"] != "UBND xã Đình Lập" || dl["level"] != "commune" || dl["valid_from"] != "2025-07-01" {
		t.Fatalf("new commune: %v", dl)
	}
	if after["LS-11-002"] == nil {
		t.Fatal("a commune the file does not name stays in force")
	}

	// The split: Bính Xá went in part to both new communes.
	succ := b.must(http.StatusOK, "tinh.admin", "GET", "/api/v1/units/LS-11-005/successions", nil).body["successions"].([]any)
	if len(succ) != 2 {
		t.Fatalf("successions of Bính Xá: %v", succ)
	}
	for _, s := range succ {
		m := s.(map[string]any)
		if m["whole"] != false || m["effective"] != "2025-07-01" || m["source"] != "NQ 1672" ||
			(m["successor_id"] != "LS-T-DL" && m["successor_id"] != "LS-T-KM") {
			t.Fatalf("succession of Bính Xá: %v", m)
		}
	}
	merged := b.must(http.StatusOK, "tinh.admin", "GET", "/api/v1/units/LS-T-KM/successions", nil).body["successions"].([]any)
	if len(merged) != 2 {
		t.Fatalf("predecessors of Kiên Mộc: %v", merged)
	}
	if ev := b.adminEvents(); len(ev) == 0 || ev[len(ev)-1] != "admin.unit.import" {
		t.Fatalf("audit: %v", ev)
	}

	// The same file again: every code is taken, nothing changes.
	again := b.upload(http.StatusBadRequest, "tinh.admin", "/api/v1/admin/units/import", "text/csv", []byte(splitCSV))
	if !strings.Contains(string(again.raw), "row 2: code") || b.count("units") != units+2 {
		t.Fatalf("second import: %s", again.raw)
	}
}

func TestImportWithABadRowKeepsNothingAndNamesEveryRow(t *testing.T) {
	b := setup(t, withClock(beforeReform))
	units, succ := b.count("units"), b.count("unit_successions")
	bad := `code,name,kind,parent,valid_from,predecessors
LS-T-A1,Một,xa,LS,2025-07-01,LS-10-003
LS-T-A2,Hai,xa,LS-NOPE,2025-07-01,LS-10-004
LS-T-A3,Ba,lang,LS,01/07/2025,LS-10-005; LS-10-099
LS-T-A4,Bốn,xa,LS,2025-07-01,LS-10-003
`
	r := b.upload(http.StatusBadRequest, "tinh.admin", "/api/v1/admin/units/import", "text/csv", []byte(bad))
	for _, want := range []string{"row 4: kind", "row 4: valid_from", "row 2: predecessors", "row 5: predecessors"} {
		if !strings.Contains(string(r.raw), want) {
			t.Errorf("the answer does not name %q: %s", want, r.raw)
		}
	}
	// Row-level errors found only in the database (an unknown predecessor, an unknown parent).
	dbBad := `code,name,kind,parent,valid_from,predecessors
LS-T-B1,Một,xa,LS,2025-07-01,LS-10-003
LS-T-B2,Hai,xa,LS-NOPE,2025-07-01,LS-10-099
`
	r = b.upload(http.StatusBadRequest, "tinh.admin", "/api/v1/admin/units/import", "text/csv", []byte(dbBad))
	if !strings.Contains(string(r.raw), "row 3: parent") || !strings.Contains(string(r.raw), "no unit LS-10-099") {
		t.Fatalf("database checks: %s", r.raw)
	}
	if b.count("units") != units || b.count("unit_successions") != succ {
		t.Fatal("a refused import left rows behind")
	}
	var ended int
	if err := b.pool.QueryRow(t.Context(), `SELECT count(*) FROM units WHERE id = 'LS-10-003' AND valid_to IS NOT NULL`).Scan(&ended); err != nil || ended != 0 {
		t.Fatalf("a refused import ended LS-10-003 (%d, %v)", ended, err)
	}
	// A clerk administers nothing.
	b.upload(http.StatusForbidden, "xa.clerk", "/api/v1/admin/units/import", "text/csv", []byte(splitCSV))
}
