package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/tdkt/tdkt/internal/seed"
)

// reorgCSV is an official list of one new commune that takes in xã Bảo Lâm, with
// the rows given after it.
func reorgCSV(rows ...string) []byte {
	s := "code,name,kind,parent,valid_from,predecessors\n"
	for _, r := range rows {
		s += r + "\n"
	}
	return []byte(s)
}

// TestAdminImportsAReorganisationThroughTheFormWithoutJavaScript: the provincial
// administrator uploads a list with two bad rows (both listed with their row and
// column, nothing written), a request with no file, then the corrected list, and
// sees what the import changed: the new unit, the predecessor ended, its accounts
// to move. A commune clerk cannot open the page.
func TestAdminImportsAReorganisationThroughTheFormWithoutJavaScript(t *testing.T) {
	b := setup(t)
	admin := b.login("tinh.admin")
	admin.get("/admin").must(t, http.StatusOK).has(t, `href="/admin/units/import"`)
	admin.get("/admin/units/import").must(t, http.StatusOK).
		has(t, `id="units-import-form"`, `enctype="multipart/form-data"`, "Nhập danh sách sắp xếp đơn vị hành chính")
	bad := reorgCSV(
		"LS-77001,Bảo Lâm Mới,xa,"+seed.Province+",2027-01-01,"+seed.DemoCommune,
		"LS-77002,Thử,xa,LS-KHONG-CO,2027-01-01,",
		"LS-77003,Thử Hai,xa,"+seed.Province+",2027-01-01,LS-KHONG-CO-2",
	)
	admin.uploadAs("/admin/units/import", url.Values{"source": {"NQ 9999/NQ-UBTVQH15"}}, "file", "sap-xep.csv", bad).
		must(t, http.StatusUnprocessableEntity).
		has(t, `id="row-errors"`, "Tệp chưa được nhập.", "sap-xep.csv", "no unit LS-KHONG-CO", "no unit LS-KHONG-CO-2",
			">parent<", ">predecessors<", `value="NQ 9999/NQ-UBTVQH15"`)
	if n := b.count("units WHERE id LIKE 'LS-7700%'"); n != 0 {
		t.Fatalf("a refused file created %d units", n)
	}
	if n := b.count("units WHERE id = '" + seed.DemoCommune + "' AND valid_to IS NOT NULL"); n != 0 {
		t.Fatal("a refused file ended xã Bảo Lâm")
	}
	admin.get("/admin/units/import")
	admin.post("/admin/units/import", url.Values{"source": {"x"}}).must(t, http.StatusUnprocessableEntity).
		has(t, `id="err-file"`, "Hãy chọn tệp CSV.")

	admin.get("/admin/units/import")
	good := reorgCSV("LS-77001,Bảo Lâm Mới,xa," + seed.Province + ",2027-01-01," + seed.DemoCommune)
	admin.uploadAs("/admin/units/import", url.Values{"source": {"NQ 9999/NQ-UBTVQH15"}}, "file", "sap-xep.csv", good).
		must(t, http.StatusOK).
		has(t, "Đã nhập danh sách sắp xếp đơn vị.", `id="import-result"`, `<dd id="import-created">1</dd>`,
			"<code>"+seed.DemoCommune+"</code>", `<dd id="import-successions">1</dd>`)
	if n := b.count("unit_successions WHERE predecessor_id = '" + seed.DemoCommune + "' AND successor_id = 'LS-77001' AND source = 'NQ 9999/NQ-UBTVQH15'"); n != 1 {
		t.Fatalf("%d successions recorded", n)
	}

	clerk := b.login("xa.clerk")
	clerk.get("/admin/units/import").must(t, http.StatusForbidden)
}
