package importer_test

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"github.com/tdkt/tdkt/internal/history"
	"github.com/tdkt/tdkt/internal/importer"
)

var now = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

// nfd decomposes text, as some keyboards and macOS file systems write Vietnamese.
func nfd(s string) string { return norm.NFD.String(s) }

// sample is a batch with every section, typed with combining marks.
func sample() *history.Batch {
	return &history.Batch{
		Subjects: []history.SubjectEntry{
			{Code: "012345678901", Kind: "Cá nhân", Name: nfd("Hoàng Thị Lan"), JobTitle: nfd("Công chức Văn phòng – Thống kê"), Organisation: nfd("UBND xã Bảo Lâm")},
			{Code: "TT-01", Kind: "collective", Name: nfd("Hội Nông dân xã Bảo Lâm")},
		},
		Ratings: []history.RatingEntry{
			{SubjectCode: "012345678901", Year: 2023, Rating: "HTXS"},
			{SubjectCode: "012345678901", Year: 2024, Rating: nfd("Hoàn thành tốt nhiệm vụ")},
		},
		Awards: []history.AwardEntry{
			{SubjectCode: "012345678901", Year: 2023, AwardCode: "cstdcs", Level: "huyện", DecisionCode: "15/QĐ-UBND", DecisionDate: "20/12/2023"},
			{SubjectCode: "TT-01", Year: 2024, AwardCode: "BK_TINH", AwardKind: nfd("Đột xuất"), Level: "province", Note: nfd("Cứu hộ lũ quét")},
		},
		Initiatives: []history.InitiativeEntry{
			{SubjectCode: "012345678901", Year: 2023, Title: nfd("Số hóa hồ sơ hộ nghèo – \"một cửa\""), Scope: nfd("Cấp cơ sở"), RecognisedBy: nfd("Hội đồng sáng kiến huyện Cao Lộc"), RecognisedOn: "2023-11-30"},
		},
		Holds: []history.HoldEntry{
			{SubjectCode: "TT-01", Kind: nfd("Thanh tra, kiểm tra"), StartsOn: "01/02/2025", EndsOn: "30/04/2025", Reason: nfd("Thanh tra quỹ hội")},
		},
	}
}

// withoutRows clears the row numbers, which differ between an API batch and a file.
func withoutRows(b *history.Batch) *history.Batch {
	c := *b
	c.Subjects = append([]history.SubjectEntry(nil), b.Subjects...)
	c.Ratings = append([]history.RatingEntry(nil), b.Ratings...)
	c.Awards = append([]history.AwardEntry(nil), b.Awards...)
	c.Initiatives = append([]history.InitiativeEntry(nil), b.Initiatives...)
	c.Holds = append([]history.HoldEntry(nil), b.Holds...)
	for i := range c.Subjects {
		c.Subjects[i].Row = 0
	}
	for i := range c.Ratings {
		c.Ratings[i].Row = 0
	}
	for i := range c.Awards {
		c.Awards[i].Row = 0
	}
	for i := range c.Initiatives {
		c.Initiatives[i].Row = 0
	}
	for i := range c.Holds {
		c.Holds[i].Row = 0
	}
	return &c
}

func export(t testing.TB, format importer.Format, section string, b *history.Batch) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := importer.WriteHistory(&buf, format, section, b); err != nil {
		t.Fatalf("write %s: %v", format, err)
	}
	return buf.Bytes()
}

// TestRoundTripKeepsVietnameseExactly: text typed decomposed is stored as NFC, and
// an exported workbook or CSV imports back to exactly the same batch.
func TestRoundTripKeepsVietnameseExactly(t *testing.T) {
	in := sample()
	if errs := in.Validate(now); len(errs) > 0 {
		t.Fatalf("sample does not validate: %v", errs)
	}
	if got := in.Subjects[0].Name; got != "Hoàng Thị Lan" || !norm.NFC.IsNormalString(got) {
		t.Fatalf("name not NFC after validation: %q", got)
	}
	want := withoutRows(in)

	xlsx := export(t, importer.FormatXLSX, "", in)
	if importer.DetectFormat(xlsx) != importer.FormatXLSX {
		t.Fatal("an exported workbook is not detected as XLSX")
	}
	got, err := importer.ParseHistory(xlsx, importer.FormatXLSX, "", now)
	if err != nil {
		t.Fatalf("import exported workbook: %v", err)
	}
	if !reflect.DeepEqual(withoutRows(got), want) {
		t.Fatalf("XLSX round trip changed the batch:\n got %+v\nwant %+v", withoutRows(got), want)
	}
	if got.Ratings[1].Row != 3 {
		t.Errorf("second rating row is %d, want spreadsheet row 3", got.Ratings[1].Row)
	}

	for _, section := range history.Sections {
		csv := export(t, importer.FormatCSV, section, in)
		if !bytes.HasPrefix(csv, []byte("\xef\xbb\xbf")) {
			t.Errorf("%s CSV has no byte-order mark", section)
		}
		got, err := importer.ParseHistory(csv, importer.FormatCSV, section, now)
		if err != nil {
			t.Fatalf("import exported %s CSV: %v", section, err)
		}
		var one history.Batch
		switch section {
		case history.SectionSubjects:
			one.Subjects = want.Subjects
		case history.SectionRatings:
			one.Ratings = want.Ratings
		case history.SectionAwards:
			one.Awards = want.Awards
		case history.SectionInitiatives:
			one.Initiatives = want.Initiatives
		case history.SectionHolds:
			one.Holds = want.Holds
		}
		if !reflect.DeepEqual(withoutRows(got), &one) {
			t.Errorf("%s CSV round trip:\n got %+v\nwant %+v", section, withoutRows(got), &one)
		}
		// A second export of the import is byte for byte the first.
		if again := export(t, importer.FormatCSV, section, got); !bytes.Equal(again, csv) {
			t.Errorf("%s CSV export is not stable:\n%s\n%s", section, csv, again)
		}
	}
}

// TestBadRowsRejectTheWholeFile: every bad row is reported with its row number,
// column and reason, and no data comes back.
func TestBadRowsRejectTheWholeFile(t *testing.T) {
	csv := "\ufeffMã đối tượng;Năm;Xếp loại\n" +
		"001;2023;HTXS\n" +
		"002;hai nghìn;HTT\n" + // row 3: year
		"003;2024;giỏi\n" + // row 4: rating
		";2024;HT\n" + // row 5: code
		"\n" + // an empty row is skipped
		"001;2023;HTT\n" // row 7: duplicates row 2
	b, err := importer.ParseHistory([]byte(csv), importer.FormatCSV, "ratings", now)
	if b != nil {
		t.Fatalf("a file with bad rows returned data: %+v", b)
	}
	var errs history.RowErrors
	if !errors.As(err, &errs) {
		t.Fatalf("error %v is not row errors", err)
	}
	got := map[int]string{}
	for _, e := range errs {
		if e.Sheet != "Xếp loại" {
			t.Errorf("row %d: sheet %q", e.Row, e.Sheet)
		}
		got[e.Row] = e.Column + ": " + e.Reason
	}
	want := map[int]string{
		3: `Năm: "hai nghìn" is not a year`,
		4: `Xếp loại: "giỏi" is not a task rating (HTXS, HTT, HT, KHT)`,
		5: "Mã đối tượng: required",
		7: ": duplicates row 2",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("row errors:\n got %v\nwant %v", got, want)
	}
}

func TestHeaderBelowATitleAndExtraColumns(t *testing.T) {
	csv := "DANH SÁCH XẾP LOẠI NĂM 2024,,,\n,,,\nSTT,Mã đối tượng *,Năm *,Xếp loại *,Ghi chú riêng\n1,001,2024,htxs,x\n"
	b, err := importer.ParseHistory([]byte(csv), importer.FormatCSV, "Xếp loại", now)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Ratings) != 1 || b.Ratings[0].Row != 4 || b.Ratings[0].Rating != "htxs" {
		t.Fatalf("ratings: %+v", b.Ratings)
	}
	_, err = importer.ParseHistory([]byte("Mã đối tượng,Năm\n001,2024\n"), importer.FormatCSV, "ratings", now)
	if err == nil || !strings.Contains(err.Error(), "missing required columns: Xếp loại") {
		t.Fatalf("missing column: %v", err)
	}
}

func TestWorkbookDateSerialsAndNumbers(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Kỷ luật, tạm hoãn"); err != nil {
		t.Fatal(err)
	}
	rows := [][]any{
		{"Mã đối tượng", "Loại", "Từ ngày", "Đến ngày"},
		{1001, "Kỷ luật", time.Date(2022, 3, 15, 0, 0, 0, 0, time.UTC), "31/12/2022"},
	}
	for i, r := range rows {
		if err := f.SetSheetRow("Kỷ luật, tạm hoãn", fmt.Sprintf("A%d", i+1), &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	b, err := importer.ParseHistory(buf.Bytes(), importer.FormatXLSX, "", now)
	if err != nil {
		t.Fatal(err)
	}
	h := b.Holds[0]
	if h.SubjectCode != "1001" || h.Kind != "discipline" || h.StartsOn != "2022-03-15" || h.EndsOn != "2022-12-31" {
		t.Fatalf("hold: %+v", h)
	}
}

// TestNomineeListCategories reads the statistics categories by label or key, and
// reports an unknown category or enterprise mark on its row.
func TestNomineeListCategories(t *testing.T) {
	head := "Loại đối tượng,\"Họ tên, tên tập thể\",Doanh nghiệp,Phân loại cá nhân\n"
	for _, tc := range []struct {
		line       string
		enterprise bool
		level      string
		bad        string
	}{
		{"Tập thể,Công ty CP Chè,x,", true, "", ""},
		{"Tập thể,Hợp tác xã,Có,", true, "", ""},
		{"Tập thể,Chi hội,,", false, "", ""},
		{"Cá nhân,An,,lãnh đạo cấp bộ tỉnh trở lên", false, "leader_central", ""}, // commas and case aside
		{"Cá nhân,An,,\"Lãnh đạo cấp bộ, tỉnh trở lên\"", false, "leader_central", ""},
		{"Cá nhân,An,,worker", false, "worker", ""},
		{"Cá nhân,An,,doanh nhân", false, "businessperson", ""},
		{"Cá nhân,An,,Bộ trưởng", false, "", "leadership_level"},
		{"Tập thể,Chi hội,có lẽ,", false, "", "enterprise"},
	} {
		rows, err := importer.ParseNominees([]byte(head+tc.line+"\n"), importer.FormatCSV)
		if tc.bad != "" {
			var re history.RowErrors
			if !errors.As(err, &re) || len(re) != 1 || re[0].Field != tc.bad || re[0].Row != 2 {
				t.Errorf("%s: error %v, want one on row 2, field %s", tc.line, err, tc.bad)
			}
			continue
		}
		if err != nil || len(rows) != 1 || rows[0].Enterprise != tc.enterprise || rows[0].LeadershipLevel != tc.level {
			t.Errorf("%s: %+v, %v", tc.line, rows, err)
		}
	}
}

func TestNomineeListRoundTrip(t *testing.T) {
	rows := []importer.NomineeRow{
		{SubjectUnitID: "LS-09-003", SubjectCode: "012345678901", Kind: "individual", Name: "Hoàng Thị Lan", JobTitle: "Công chức", Achievements: "Dẫn đầu phong trào"},
		{Kind: "household", Name: "Hộ ông Lý Văn Páo"},
		{Kind: "collective", Name: "Công ty TNHH Chè Bảo Lâm", Enterprise: true},
		{Kind: "individual", Name: "Nông Văn Dũng", LeadershipLevel: "leader_department"},
		{Kind: "individual", Name: "Hoàng Văn Páo", LeadershipLevel: "worker"},
	}
	for _, format := range []importer.Format{importer.FormatXLSX, importer.FormatCSV} {
		var buf bytes.Buffer
		if err := importer.WriteNominees(&buf, format, rows); err != nil {
			t.Fatal(err)
		}
		got, err := importer.ParseNominees(buf.Bytes(), format)
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		for i := range got {
			got[i].Row = 0
		}
		if !reflect.DeepEqual(got, rows) {
			t.Errorf("%s round trip:\n got %+v\nwant %+v", format, got, rows)
		}
	}
	_, err := importer.ParseNominees([]byte("Loại đối tượng,Họ tên, tên tập thể\nrobot,R2\n"), importer.FormatCSV)
	if err == nil {
		t.Fatal("a list with a bad header parsed")
	}
	_, err = importer.ParseNominees([]byte("Loại đối tượng,\"Họ tên, tên tập thể\"\nrobot,R2\n"), importer.FormatCSV)
	var errs history.RowErrors
	if !errors.As(err, &errs) || len(errs) != 1 || errs[0].Row != 2 || errs[0].Column != "Loại đối tượng" {
		t.Fatalf("bad kind: %v", err)
	}
}

func TestTemplateIsEmptyAndDocumented(t *testing.T) {
	xlsx := export(t, importer.FormatXLSX, "", nil)
	b, err := importer.ParseHistory(xlsx, importer.FormatXLSX, "", now)
	if err != nil || b.Len() != 0 {
		t.Fatalf("template imports as %v, %v; want an empty batch", b, err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(xlsx))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := []string{"Đối tượng", "Xếp loại", "Khen thưởng", "Sáng kiến", "Kỷ luật, tạm hoãn", "Hướng dẫn"}
	if got := f.GetSheetList(); !reflect.DeepEqual(got, want) {
		t.Fatalf("sheets %v, want %v", got, want)
	}
	header, err := f.GetRows("Xếp loại")
	if err != nil || len(header) != 1 || strings.Join(header[0], "|") != "Mã đối tượng *|Năm *|Xếp loại *" {
		t.Fatalf("ratings header %v %v", header, err)
	}
}

// checkParse is the property every input must keep: no panic (the fuzzer reports
// one), either a whole batch or row errors and nothing, and a batch that survives
// an export and a second import unchanged.
func checkParse(t *testing.T, data []byte, format importer.Format, section string) {
	b, err := importer.ParseHistory(data, format, section, now)
	if (b == nil) == (err == nil) {
		t.Fatalf("batch %v and error %v: want exactly one", b, err)
	}
	if err != nil {
		var errs history.RowErrors
		if !errors.As(err, &errs) || len(errs) == 0 {
			t.Fatalf("error %T %v is not a list of bad rows", err, err)
		}
		for _, e := range errs {
			if e.Reason == "" {
				t.Fatalf("row error without a reason: %+v", e)
			}
		}
		return
	}
	var buf bytes.Buffer
	if err := importer.WriteHistory(&buf, format, section, b); err != nil {
		t.Fatalf("export of an imported batch: %v", err)
	}
	again, err := importer.ParseHistory(buf.Bytes(), format, section, now)
	if err != nil {
		t.Fatalf("re-import of an export: %v\n%q", err, buf.Bytes())
	}
	if !reflect.DeepEqual(withoutRows(again), withoutRows(b)) {
		t.Fatalf("round trip changed the batch:\n got %+v\nwant %+v", withoutRows(again), withoutRows(b))
	}
}

func FuzzImportCSV(f *testing.F) {
	for _, s := range history.Sections {
		f.Add(export(f, importer.FormatCSV, s, sample()), s)
	}
	f.Add([]byte("Mã đối tượng,Năm,Xếp loại\n\"001\n\",2024,HT\n"), "ratings")
	f.Add([]byte("Mã đối tượng;Năm;Xếp loại\r\n001;2024;\"HT\"\"\"\r\n"), "ratings")
	f.Fuzz(func(t *testing.T, data []byte, section string) {
		checkParse(t, data, importer.FormatCSV, section)
	})
}

func FuzzImportXLSX(f *testing.F) {
	f.Add(export(f, importer.FormatXLSX, "", sample()))
	f.Add(export(f, importer.FormatXLSX, "", nil))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkParse(t, data, importer.FormatXLSX, "")
	})
}

// TestImportOfMangledFiles is the bounded fuzz run of the normal test suite: a
// fixed-seed stream of mutations of the seed files (bytes flipped, cut, spliced,
// repeated) must keep the property of checkParse. `go test -fuzz FuzzImportCSV`
// explores further.
func TestImportOfMangledFiles(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	csvs := map[string][]byte{}
	for _, s := range history.Sections {
		csvs[s] = export(t, importer.FormatCSV, s, sample())
	}
	xlsx := export(t, importer.FormatXLSX, "", sample())
	mutate := func(b []byte) []byte {
		b = bytes.Clone(b)
		for range 1 + rng.IntN(4) {
			if len(b) == 0 {
				return b
			}
			i := rng.IntN(len(b))
			switch rng.IntN(5) {
			case 0:
				b[i] = byte(rng.IntN(256))
			case 1:
				b = b[:i]
			case 2:
				j := rng.IntN(len(b))
				b = append(b[:i:i], b[j:]...)
			case 3:
				b = append(b[:i:i], append([]byte{",;\n\"\t\xc3"[rng.IntN(6)]}, b[i:]...)...)
			case 4:
				b = append(b, b[i:min(len(b), i+40)]...)
			}
		}
		return b
	}
	for i := range 3000 {
		s := history.Sections[i%len(history.Sections)]
		checkParse(t, mutate(csvs[s]), importer.FormatCSV, s)
	}
	for range 150 {
		checkParse(t, mutate(xlsx), importer.FormatXLSX, "")
	}
}

// ratingsWorkbook is a workbook of n task ratings for n/4 subjects over four years.
func ratingsWorkbook(tb testing.TB, n int) []byte {
	b := &history.Batch{}
	ratings := []string{"htxs", "htt", "ht", "kht"}
	for i := range n {
		b.Ratings = append(b.Ratings, history.RatingEntry{SubjectCode: fmt.Sprintf("%012d", i/4), Year: 2021 + i%4, Rating: ratings[i%4]})
	}
	return export(tb, importer.FormatXLSX, "", b)
}

// BenchmarkParseXLSX10000Rows reads and validates a 10,000-row workbook, and
// reports rows per second and the peak heap above the baseline.
func BenchmarkParseXLSX10000Rows(b *testing.B) {
	const n = 10000
	data := ratingsWorkbook(b, n)
	peak := peakHeap(b, func() {
		for b.Loop() {
			batch, err := importer.ParseHistory(data, importer.FormatXLSX, "", now)
			if err != nil || len(batch.Ratings) != n {
				b.Fatalf("parse: %v", err)
			}
		}
	})
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(peak/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(len(data))/1024, "file-KiB")
}

// peakHeap runs fn while sampling the live heap, and returns its peak above the
// heap at the start.
func peakHeap(tb testing.TB, fn func()) float64 {
	tb.Helper()
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() float64 {
		metrics.Read(sample)
		return float64(sample[0].Value.Uint64())
	}
	base := read()
	var mu sync.Mutex
	peak := base
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				v := read()
				mu.Lock()
				peak = max(peak, v)
				mu.Unlock()
			}
		}
	}()
	fn()
	close(done)
	wg.Wait()
	return peak - base
}
