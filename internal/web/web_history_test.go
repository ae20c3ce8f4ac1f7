package web_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/tdkt/tdkt/internal/awards"
	"github.com/tdkt/tdkt/internal/dossiers"
	"github.com/tdkt/tdkt/internal/importer"
	"github.com/tdkt/tdkt/internal/seed"
)

// workbook builds an XLSX file in memory: for each sheet, its rows by the
// columns' field names (the header row is written from the importer's sheet).
func workbook(t testing.TB, sheets []importer.Sheet, rows map[string][]map[string]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	first := true
	for _, sh := range sheets {
		data, ok := rows[sh.Section]
		if !ok {
			continue
		}
		if first {
			if err := f.SetSheetName("Sheet1", sh.Name); err != nil {
				t.Fatal(err)
			}
			first = false
		} else if _, err := f.NewSheet(sh.Name); err != nil {
			t.Fatal(err)
		}
		header := make([]any, len(sh.Columns))
		for i, c := range sh.Columns {
			header[i] = c.Header
		}
		if err := f.SetSheetRow(sh.Name, "A1", &header); err != nil {
			t.Fatal(err)
		}
		for r, row := range data {
			cells := make([]any, len(sh.Columns))
			for i, c := range sh.Columns {
				cells[i] = row[c.Field]
			}
			if err := f.SetSheetRow(sh.Name, fmt.Sprintf("A%d", r+2), &cells); err != nil {
				t.Fatal(err)
			}
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// nomineeBook is a nominee list workbook.
func nomineeBook(t testing.TB, rows ...map[string]any) []byte {
	return workbook(t, []importer.Sheet{importer.NomineeSheet()}, map[string][]map[string]any{importer.SectionNominees: rows})
}

// openXLSX reads a downloaded workbook and returns the text of every cell of
// every sheet, failing the test when it is not a valid XLSX file.
func openXLSX(t testing.TB, data []byte) string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not a valid XLSX file (%d bytes): %v", len(data), err)
	}
	defer f.Close()
	var all strings.Builder
	for _, sh := range f.GetSheetList() {
		rows, err := f.GetRows(sh)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			all.WriteString(strings.Join(r, "|") + "\n")
		}
	}
	return all.String()
}

// TestNomineeImportOnTheEditPageIsAllOrNothing: the commune clerk downloads the
// template, imports three nominees from an XLSX file into a draft and sees them;
// a file with a bad row comes back with that row's error and changes nothing; a
// CSV file works too; the export is a valid workbook with the nominees; the link
// a row makes to the award history survives saving the edit form; a file over the
// body limit gets the "file too large" page; another commune's clerk is refused.
func TestNomineeImportOnTheEditPageIsAllOrNothing(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	clerk := b.login("xa.clerk")
	clerk.get("/dossiers/new").must(t, 200).has(t, `href="/api/v1/nominees/template"`, `name="nominee_file"`, `enctype="multipart/form-data"`)
	id := clerk.post("/dossiers/new", gkForm("Hộ ông Lý Văn Páo")).must(t, 200).dossierID(t)
	edit := "/dossiers/" + id + "/edit"
	clerk.get(edit).must(t, 200).has(t, "Nhập danh sách đối tượng từ Excel", `id="nominee-import-form"`, `enctype="multipart/form-data"`)

	tpl := clerk.get("/api/v1/nominees/template").must(t, 200)
	if cells := openXLSX(t, []byte(tpl.body)); !strings.Contains(cells, "Họ tên, tên tập thể") {
		t.Fatalf("template lacks the name column:\n%s", cells)
	}

	three := nomineeBook(t,
		map[string]any{"kind": "Cá nhân", "name": "Hoàng Văn Tùng", "job_title": "Trưởng thôn", "organisation": "Thôn Bản Loỏng", "achievements": "Dẫn đầu phong trào"},
		map[string]any{"kind": "Tập thể", "name": "Hội Nông dân xã Bảo Lâm"},
		map[string]any{"kind": "Hộ gia đình", "name": "Hộ bà Nông Thị Hoa", "achievements": "Thoát nghèo bền vững"})
	clerk.get(edit)
	p := clerk.upload("/dossiers/"+id+"/nominees/import", url.Values{}, "danh-sach.xlsx", three).must(t, 200).
		has(t, "Đã nhập 3 đối tượng", "Hoàng Văn Tùng", "Hội Nông dân xã Bảo Lâm", "Hộ bà Nông Thị Hoa").lacks(t, "Hộ ông Lý Văn Páo")
	if !strings.HasSuffix(strings.SplitN(p.url, "?", 2)[0], "/dossiers/"+id) {
		t.Fatalf("import went to %s, want the dossier", p.url)
	}
	if n := b.count("nominees"); n != 3 {
		t.Fatalf("%d nominees after importing 3", n)
	}

	// A bad row (no name on row 3) refuses the whole file.
	bad := nomineeBook(t,
		map[string]any{"kind": "Cá nhân", "name": "Người mới một"},
		map[string]any{"kind": "Cá nhân", "name": ""},
		map[string]any{"kind": "Cá nhân", "name": "Người mới ba"})
	clerk.get(edit)
	p = clerk.upload("/dossiers/"+id+"/nominees/import", url.Values{}, "sai.xlsx", bad).must(t, http.StatusUnprocessableEntity).
		has(t, `id="row-errors"`, "Có 1 lỗi trong tệp", "Danh sách đề nghị", "<td data-label=\"Dòng\">3</td>", "Họ tên, tên tập thể", "Bắt buộc nhập.", "sai.xlsx")
	if n := b.count("nominees"); n != 3 {
		t.Fatalf("%d nominees after a refused file, want the 3 already there", n)
	}
	p.has(t, `value="Hoàng Văn Tùng"`).lacks(t, "Người mới một")

	// The award's own check (a Giấy khen's kinds allow everyone; a CSTĐCS only
	// individuals) is reported on the file's row too.
	cstd, err := b.svc.CreateNomination(ctx, b.userID("xa.clerk"), dossiers.CreateNominationInput{UnitID: seed.DemoCommune, AwardCode: "CSTDCS",
		Year: 2024, Nominees: []dossiers.NomineeInput{{Kind: "individual", Name: "Hoàng Thị Lan"}}})
	if err != nil {
		t.Fatal(err)
	}
	clerk.get("/dossiers/" + cstd.ID + "/edit")
	csvBad := "Loại đối tượng,\"Họ tên, tên tập thể\"\nCá nhân,Hoàng Thị Lan\nHộ gia đình,Hộ ông Lý Văn Páo\n"
	clerk.upload("/dossiers/"+cstd.ID+"/nominees/import", url.Values{}, "cstd.csv", []byte(csvBad)).must(t, http.StatusUnprocessableEntity).
		has(t, "<td data-label=\"Dòng\">3</td>", "Loại đối tượng", "không xét tặng cho loại đối tượng này")

	// CSV, with a subject code that links the nominee to the award history.
	lan, err := b.svc.CreateSubject(ctx, b.userID("xa.clerk"), awards.SubjectInput{UnitID: seed.DemoCommune, Code: "012345678901",
		Kind: "individual", Name: "Hoàng Thị Lan"})
	if err != nil {
		t.Fatal(err)
	}
	csv := "\ufeffMã đối tượng,Loại đối tượng,\"Họ tên, tên tập thể\",Tóm tắt thành tích\n012345678901,Cá nhân,Hoàng Thị Lan,Số hóa hồ sơ\n,Tập thể,Chi hội Phụ nữ thôn Bản Loỏng,\n"
	clerk.get(edit)
	clerk.upload("/dossiers/"+id+"/nominees/import", url.Values{}, "danh-sach.csv", []byte(csv)).must(t, 200).
		has(t, "Đã nhập 2 đối tượng", "Hoàng Thị Lan", "Chi hội Phụ nữ thôn Bản Loỏng")
	linked := func() int {
		var n int
		if err := b.pool.QueryRow(ctx, `SELECT count(*) FROM nominees WHERE nomination_id = $1 AND subject_id = $2`, id, lan.ID).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if linked() != 1 {
		t.Fatal("the imported row with a subject code is not linked to the subject")
	}
	// Saving the edit form keeps the link: the subject rides in a hidden field.
	form := clerk.get(edit).must(t, 200).has(t, fmt.Sprintf(`name="nominee_subject" value="%d"`, lan.ID))
	_ = form
	save := url.Values{"title": {"Đề nghị tặng Giấy khen"}}
	for _, r := range []struct{ kind, name, subject string }{{"individual", "Hoàng Thị Lan", fmt.Sprint(lan.ID)}, {"collective", "Chi hội Phụ nữ thôn Bản Loỏng", ""}} {
		save.Add("nominee_kind", r.kind)
		save.Add("nominee_name", r.name)
		save.Add("nominee_job", "")
		save.Add("nominee_org", "")
		save.Add("nominee_achievements", "")
		save.Add("nominee_subject", r.subject)
	}
	clerk.post(edit, save).must(t, 200).has(t, "Đã lưu hồ sơ")
	if linked() != 1 {
		t.Fatal("saving the edit form dropped the nominee's link to the award history")
	}

	// The export is a valid workbook with the nominees and the subject's code.
	out := clerk.get("/api/v1/nominations/"+id+"/nominees/export").must(t, 200)
	if cells := openXLSX(t, []byte(out.body)); !strings.Contains(cells, "012345678901|Cá nhân|Hoàng Thị Lan") || !strings.Contains(cells, "Chi hội Phụ nữ thôn Bản Loỏng") {
		t.Fatalf("exported list:\n%s", cells)
	}
	clerk.get("/dossiers/"+id).must(t, 200).has(t, `id="nominee-export"`, `id="nominee-import-link"`)

	// Over the body limit: the "file too large" page, nothing changed.
	clerk.get(edit)
	clerk.upload("/dossiers/"+id+"/nominees/import", url.Values{}, "lon.csv", bytes.Repeat([]byte("a"), 2<<20)).
		must(t, http.StatusRequestEntityTooLarge).has(t, "Tệp vượt quá dung lượng cho phép.")
	// No file: the form says so.
	clerk.get(edit)
	clerk.upload("/dossiers/"+id+"/nominees/import", url.Values{}, "rong.xlsx", nil).must(t, http.StatusUnprocessableEntity).
		has(t, `id="err-import_file"`)
	if n := b.count("nominees WHERE nomination_id = '" + id + "'"); n != 2 {
		t.Fatalf("%d nominees after refused uploads, want 2", n)
	}

	other := b.login("xa2.clerk")
	other.get("/dossiers")
	other.upload("/dossiers/"+id+"/nominees/import", url.Values{}, "danh-sach.xlsx", three).must(t, http.StatusNotFound)
	if n := b.count("nominees WHERE nomination_id = '" + id + "'"); n != 2 {
		t.Fatalf("another commune's clerk changed the list: %d nominees", n)
	}
}

// uploadAs posts a multipart form with one file in the named part, with the CSRF
// token of the last page.
func (br *browser) uploadAs(path string, fields url.Values, part, fileName string, content []byte) page {
	br.b.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	fields.Set("csrf", br.csrf)
	for k, vs := range fields {
		for _, v := range vs {
			if err := w.WriteField(k, v); err != nil {
				br.b.t.Fatal(err)
			}
		}
	}
	fw, err := w.CreateFormFile(part, fileName)
	if err != nil {
		br.b.t.Fatal(err)
	}
	if _, err := fw.Write(content); err != nil {
		br.b.t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		br.b.t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, br.b.url+path, &body)
	if err != nil {
		br.b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	return br.do(req)
}

// TestCreateFormTakesTheNomineeListFromAFile: the create form with a nominee
// workbook attached creates the dossier with the file's nominees instead of the
// typed rows; a file with a bad row creates no dossier and lists the row.
func TestCreateFormTakesTheNomineeListFromAFile(t *testing.T) {
	b := setup(t)
	clerk := b.login("xa.clerk")
	clerk.get("/dossiers/new")
	form := gkForm("")
	bad := nomineeBook(t, map[string]any{"kind": "Cá nhân", "name": "Hoàng Văn Tùng"}, map[string]any{"kind": "Cá nhân", "name": "Nông Thị Hoa", "subject_code": "999"})
	clerk.uploadAs("/dossiers/new", form, "nominee_file", "sai.xlsx", bad).must(t, http.StatusUnprocessableEntity).
		has(t, "Tệp chưa được nhập.", "<td data-label=\"Dòng\">3</td>", "Mã đối tượng", "Không có đối tượng mã “999” trong đơn vị "+seed.DemoCommune)
	if n := b.count("nominations"); n != 0 {
		t.Fatalf("a refused file created %d dossiers", n)
	}
	good := nomineeBook(t,
		map[string]any{"kind": "Cá nhân", "name": "Hoàng Văn Tùng"},
		map[string]any{"kind": "Tập thể", "name": "Hội Nông dân xã Bảo Lâm"},
		map[string]any{"kind": "Hộ gia đình", "name": "Hộ bà Nông Thị Hoa"})
	clerk.get("/dossiers/new")
	p := clerk.uploadAs("/dossiers/new", gkForm("Hộ ông Lý Văn Páo"), "nominee_file", "danh-sach.xlsx", good).must(t, 200).
		has(t, "Đã tạo hồ sơ với 3 đối tượng nhập từ tệp", "Hoàng Văn Tùng", "Hội Nông dân xã Bảo Lâm", "Hộ bà Nông Thị Hoa").lacks(t, "Hộ ông Lý Văn Páo")
	p.dossierID(t)
	if n := b.count("nominees"); n != 3 {
		t.Fatalf("%d nominees, want the file's 3", n)
	}
	// Without a file, the typed rows are the list, as before.
	clerk.get("/dossiers/new")
	clerk.uploadAs("/dossiers/new", gkForm("Hộ ông Lý Văn Páo"), "other", "x.txt", []byte("x")).must(t, 200).has(t, "Đã tạo hồ sơ.", "Hộ ông Lý Văn Páo")
}

// mohaBook is a history workbook for the demo commune: Hoàng Thị Lan with the
// MOHA worked example of DOMAIN.md §6 (HTXS 2023 and 2024, a grassroots initiative
// each year, CSTĐCS 2024), and Nông Văn Thắng rated only "good" in 2024. badRating,
// when set, replaces Thắng's rating.
func mohaBook(t testing.TB, badRating string) []byte {
	rating := "Hoàn thành tốt nhiệm vụ"
	if badRating != "" {
		rating = badRating
	}
	return workbook(t, importer.HistorySheets(), map[string][]map[string]any{
		"subjects": {
			{"code": "012345678901", "kind": "Cá nhân", "name": "Hoàng Thị Lan", "job_title": "Công chức văn hóa – xã hội"},
			{"code": "002", "kind": "Cá nhân", "name": "Nông Văn Thắng", "job_title": "Trưởng thôn"},
		},
		"ratings": {
			{"subject_code": "012345678901", "year": 2023, "rating": "HTXS"},
			{"subject_code": "012345678901", "year": 2024, "rating": "HTXS"},
			{"subject_code": "002", "year": 2024, "rating": rating},
		},
		"awards": {
			{"subject_code": "012345678901", "year": 2024, "award_code": "CSTDCS", "decision_code": "15/QĐ-UBND", "decision_date": "20/12/2024"},
		},
		"initiatives": {
			{"subject_code": "012345678901", "year": 2023, "title": "Số hóa hồ sơ hộ nghèo", "scope": "Cấp cơ sở"},
			{"subject_code": "012345678901", "year": 2024, "title": "Bản đồ số hộ cận nghèo", "scope": "Cấp cơ sở"},
		},
	})
}

var subjectLinkRe = regexp.MustCompile(`href="/history/subjects/(\d+)">([^<]+)</a>`)

// subjectURLs maps the names in a subject list to their pages.
func subjectURLs(p page) map[string]string {
	out := map[string]string{}
	for _, m := range subjectLinkRe.FindAllStringSubmatch(p.body, -1) {
		out[m[2]] = "/history/subjects/" + m[1]
	}
	return out
}

// TestHistoryRegisterImportSubjectPageAndEligibility: the commune clerk imports a
// history workbook (a bad rating refuses the whole file, with its row), finds the
// subjects with and without diacritics, sees a subject's ratings, award and
// initiatives, and checks Bằng khen tỉnh: Lan meets it by the MOHA example, Thắng
// does not, each criterion explained; she records a rating, a hold and an
// initiative with the forms, and a CSV sheet; the district's appraiser reads but
// may not record; another district's commune clerk gets 404 on the subject page
// (as for an unknown one) and 403 on the import; the export is a valid workbook.
func TestHistoryRegisterImportSubjectPageAndEligibility(t *testing.T) {
	b := setup(t)
	clerk := b.login("xa.clerk")
	clerk.get("/history").must(t, 200).has(t, "Lịch sử thi đua, khen thưởng", "Chưa có đối tượng nào.", `href="/history/import"`)
	imp := clerk.get("/history/import").must(t, 200).has(t, `id="history-import-form"`, `href="/api/v1/history/template"`, "UBND xã Bảo Lâm", "Xếp loại")
	_ = imp
	tpl := clerk.get("/api/v1/history/template").must(t, 200)
	if cells := openXLSX(t, []byte(tpl.body)); !strings.Contains(cells, "Mã đối tượng") {
		t.Fatalf("history template:\n%s", cells)
	}

	before := b.count("subjects") + b.count("task_ratings") + b.count("initiatives")
	p := clerk.upload("/history/import", url.Values{"unit": {seed.DemoCommune}}, "lich-su.xlsx", mohaBook(t, "giỏi")).
		must(t, http.StatusUnprocessableEntity).has(t, "Có 1 lỗi trong tệp", "<td data-label=\"Dòng\">4</td>", "“giỏi” không phải là mức xếp loại")
	p.has(t, "Dữ liệu không thay đổi")
	if after := b.count("subjects") + b.count("task_ratings") + b.count("initiatives"); after != before {
		t.Fatalf("a refused file wrote %d rows", after-before)
	}
	clerk.upload("/history/import", url.Values{"unit": {seed.DemoCommune}}, "lich-su.xlsx", mohaBook(t, "")).must(t, 200).
		has(t, "Đã nhập tệp lịch sử thi đua, khen thưởng: 8 dòng", "Hoàng Thị Lan", "Nông Văn Thắng")

	// Search with and without diacritics.
	// (The commune's clerk is herself a Hoàng Thị Lan: look at the list's links.)
	list := clerk.get("/history?q="+url.QueryEscape("hoang thi lan")).must(t, 200).has(t, ">Hoàng Thị Lan</a>").lacks(t, ">Nông Văn Thắng</a>")
	lan := subjectURLs(list)["Hoàng Thị Lan"]
	clerk.get("/history?q="+url.QueryEscape("THẮNG")).must(t, 200).has(t, ">Nông Văn Thắng</a>").lacks(t, ">Hoàng Thị Lan</a>")
	thang := subjectURLs(clerk.get("/history?q=002").must(t, 200))["Nông Văn Thắng"]
	if lan == "" || thang == "" {
		t.Fatalf("subject pages not linked: %q %q", lan, thang)
	}

	clerk.get(lan).must(t, 200).has(t, "Hoàng Thị Lan", "012345678901", "Hoàn thành xuất sắc nhiệm vụ", "Chiến sĩ thi đua cơ sở",
		"15/QĐ-UBND", "20/12/2024", "Số hóa hồ sơ hộ nghèo", "Bản đồ số hộ cận nghèo", "Nhập từ tệp", `id="record-rating"`)

	// Eligibility for Bằng khen tỉnh 2024: the MOHA example is met, Thắng's is not.
	met := clerk.get(lan+"?award=BK_TINH&year=2024").must(t, 200).
		has(t, `id="elig-result"`, "Đủ tiêu chuẩn", `class="criterion met"`,
			"Hoàn thành xuất sắc nhiệm vụ 2023–2024 — 2 năm liên tục (cần 2): đạt",
			"Sáng kiến cấp cơ sở trở lên trong 2023–2024: 2 (2023, 2024) (cần 2): đạt")
	met.has(t, "✓")
	clerk.get(thang+"?award=BK_TINH&year=2024").must(t, 200).
		has(t, "Chưa đủ tiêu chuẩn", `class="criterion unmet"`, "✗", "chưa đạt")
	clerk.get(lan+"?award=BK_TINH&year=1800").must(t, http.StatusUnprocessableEntity).has(t, `aria-invalid="true"`)

	// One entry at a time, with the forms.
	clerk.get(thang)
	clerk.post(thang+"/record", url.Values{"section": {"ratings"}, "year": {"2023"}, "rating": {"htxs"}}).must(t, 200).
		has(t, "Đã ghi xếp loại.", "<td data-label=\"Năm\">2023</td>")
	clerk.post(thang+"/record", url.Values{"section": {"holds"}, "kind": {"inspection"}, "starts_on": {"01/02/2025"}, "ends_on": {"31/01/2025"}}).
		must(t, http.StatusUnprocessableEntity).has(t, "Ngày kết thúc trước ngày bắt đầu.")
	clerk.post(thang+"/record", url.Values{"section": {"holds"}, "kind": {"inspection"}, "starts_on": {"01/02/2025"}, "ends_on": {"30/04/2025"}, "reason": {"Thanh tra quỹ thôn"}}).
		must(t, 200).has(t, "Đã ghi thời gian tạm hoãn", "Đang thanh tra, kiểm tra", "01/02/2025 – 30/04/2025")
	clerk.post(thang+"/record", url.Values{"section": {"initiatives"}, "year": {"2024"}, "scope": {"grassroots"}, "title": {""}}).
		must(t, http.StatusUnprocessableEntity).has(t, "Bắt buộc nhập.")
	if n := b.count("initiatives"); n != 2 {
		t.Fatalf("%d initiatives after a refused form, want 2", n)
	}

	// A CSV file holds one sheet.
	csv := "\ufeffMã đối tượng,Năm,Tên sáng kiến,Phạm vi ảnh hưởng\n002,2024,Sổ tay tiếp dân,Cấp cơ sở\n"
	clerk.get("/history/import")
	clerk.upload("/history/import", url.Values{"unit": {seed.DemoCommune}, "sheet": {"initiatives"}}, "sang-kien.csv", []byte(csv)).must(t, 200).
		has(t, "Đã nhập tệp lịch sử thi đua, khen thưởng: 1 dòng")
	clerk.get(thang).must(t, 200).has(t, "Sổ tay tiếp dân")

	// The export is a valid workbook with the imported history.
	out := clerk.get("/api/v1/history/export?unit="+seed.DemoCommune+"&format=xlsx").must(t, 200)
	if cells := openXLSX(t, []byte(out.body)); !strings.Contains(cells, "Hoàng Thị Lan") || !strings.Contains(cells, "Sổ tay tiếp dân") {
		t.Fatalf("exported history:\n%s", cells)
	}

	// The district's appraiser reads the subtree's history but records nothing.
	appraiser := b.login("huyen.appraiser")
	appraiser.get("/history").must(t, 200).has(t, ">Hoàng Thị Lan</a>").lacks(t, `href="/history/import"`)
	appraiser.get(lan+"?award=BK_TINH&year=2024").must(t, 200).has(t, "Đủ tiêu chuẩn").lacks(t, `id="record-rating"`)
	appraiser.get("/history/import").must(t, http.StatusForbidden)
	appraiser.post(thang+"/record", url.Values{"section": {"ratings"}, "year": {"2022"}, "rating": {"htt"}}).must(t, http.StatusForbidden)

	// In English, the pages and the reasons of a refused file are in English.
	en := b.login("xa.clerk")
	en.lang = "en"
	en.get("/history").must(t, 200).has(t, "Award history", ">Hoàng Thị Lan</a>")
	en.get(lan+"?award=BK_TINH&year=2024").must(t, 200).has(t, "Eligible", "Yearly ratings", "Excellent (hoàn thành xuất sắc)")
	en.get("/history/import")
	en.upload("/history/import", url.Values{"unit": {seed.DemoCommune}}, "history.xlsx", mohaBook(t, "giỏi")).
		must(t, http.StatusUnprocessableEntity).has(t, "Errors in the file: 1; no row was imported.", "“giỏi” is not a task rating")

	// Another district's commune clerk sees none of it.
	other := b.login("xa2.clerk")
	other.get("/history").must(t, 200).lacks(t, ">Hoàng Thị Lan</a>")
	// The subject page answers as for an unknown subject (subject IDs are sequential).
	other.get(lan).must(t, http.StatusNotFound).has(t, "Không tìm thấy")
	other.get(lan+"?award=BK_TINH&year=2024").must(t, http.StatusNotFound)
	before = b.count("subjects") + b.count("task_ratings") + b.count("initiatives")
	other.upload("/history/import", url.Values{"unit": {seed.DemoCommune}}, "lich-su.xlsx", mohaBook(t, "")).must(t, http.StatusForbidden)
	other.post(thang+"/record", url.Values{"section": {"ratings"}, "year": {"2022"}, "rating": {"htt"}}).must(t, http.StatusNotFound)
	if after := b.count("subjects") + b.count("task_ratings") + b.count("initiatives"); after != before {
		t.Fatal("refused requests changed the history")
	}
}

// TestDossierPageShowsEligibilityAndTheAppraisersOverride: a Bằng khen tỉnh
// dossier naming Thắng (not eligible) shows the check on the dossier page with the
// unmet criterion; the district's appraiser overrides it with a reason (refused
// without one), and the page shows the override and who made it; the clerk sees
// the check but no override form.
func TestDossierPageShowsEligibilityAndTheAppraisersOverride(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	clerk := b.login("xa.clerk")
	clerk.get("/history/import")
	clerk.upload("/history/import", url.Values{"unit": {seed.DemoCommune}}, "lich-su.xlsx", mohaBook(t, "")).must(t, 200)
	var thang int64
	if err := b.pool.QueryRow(ctx, `SELECT id FROM subjects WHERE code = '002'`).Scan(&thang); err != nil {
		t.Fatal(err)
	}
	n, err := b.svc.CreateNomination(ctx, b.userID("xa.clerk"), dossiers.CreateNominationInput{UnitID: seed.DemoCommune, AwardCode: "BK_TINH",
		Year: 2024, Nominees: []dossiers.NomineeInput{{Kind: "individual", Name: "Nông Văn Thắng", SubjectID: &thang}}})
	if err != nil {
		t.Fatal(err)
	}
	b.actAs("xa.clerk", n.ID, dossiers.ActInput{Action: "submit"})
	clerk.get("/dossiers/"+n.ID).must(t, 200).has(t, `id="eligibility"`, "Kiểm tra tiêu chuẩn", "Chưa đủ tiêu chuẩn", `class="criterion unmet"`).
		lacks(t, `id="override-form"`)

	appraiser := b.login("huyen.appraiser")
	page := appraiser.get("/dossiers/"+n.ID).must(t, 200).has(t, `id="override-form"`, `name="criterion"`)
	m := regexp.MustCompile(`<option value="([a-z_0-9]+)" >1\. 2 lần liên tục CSTĐCS`).FindStringSubmatch(page.body)
	if m == nil {
		t.Fatalf("no criterion to override:\n%s", page.body)
	}
	nominee := regexp.MustCompile(`name="nominee_id"[^>]*>\s*<option value="(\d+)"`).FindStringSubmatch(page.body)
	if nominee == nil {
		t.Fatalf("no nominee to override:\n%s", page.body)
	}
	form := url.Values{"nominee_id": {nominee[1]}, "criterion": {m[1]}, "met": {"1"}, "reason": {""}}
	appraiser.post("/dossiers/"+n.ID+"/eligibility", form).must(t, http.StatusUnprocessableEntity).has(t, `id="err-ov-reason"`)
	if c := b.count("eligibility_overrides"); c != 0 {
		t.Fatalf("%d overrides after a refused form", c)
	}
	form.Set("reason", "Bản sao quyết định công nhận sáng kiến năm 2024 có trong hồ sơ giấy")
	appraiser.post("/dossiers/"+n.ID+"/eligibility", form).must(t, 200).
		has(t, "Đã ghi ý kiến thẩm định", "Ý kiến thẩm định của Mã Thị Thu", "Bản sao quyết định công nhận sáng kiến năm 2024 có trong hồ sơ giấy",
			`<span class="elig-status elig-eligible">Đủ tiêu chuẩn</span>`)
	clerk.post("/dossiers/"+n.ID+"/eligibility", form).must(t, http.StatusForbidden)
}
