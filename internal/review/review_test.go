package review

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/domain"
)

func template1258(t *testing.T) Template {
	t.Helper()
	for _, tpl := range Builtin() {
		if err := tpl.Validate(); err != nil {
			t.Fatalf("built-in template %s: %v", tpl.Code, err)
		}
		if tpl.Code == Template1258 {
			return tpl
		}
	}
	t.Fatal("no 1258 template")
	return Template{}
}

func result(t *testing.T, rs []Result, code string) Result {
	t.Helper()
	for _, r := range rs {
		if r.Code == code {
			return r
		}
	}
	t.Fatalf("no result %s", code)
	return Result{}
}

func TestTemplateValidateListsEveryProblem(t *testing.T) {
	bad := Template{Code: "X", Name: "x", Indicators: []Indicator{
		{Code: "a", Name: "A", Kind: Count},
		{Code: "a", Name: "dup", Kind: Count},
		{Code: "t", Name: "T", Kind: Text},
		{Code: "p", Name: "P", Kind: Percent, Numerator: "a", Denominator: "t"},
		{Code: "c", Name: "C", Kind: PointChange, From: "p", To: "a"},
		{Code: "w", Name: "W", Kind: Award, AwardCode: "BK_TINH", NomineeKind: "robot"},
		{Code: "z", Name: "Z", Kind: "average"},
	}}
	err := bad.Validate()
	var de *domain.Error
	if !domain.IsKind(err, domain.KindInvalid) || !asErr(err, &de) {
		t.Fatalf("Validate = %v, want invalid", err)
	}
	if len(de.Fields) != 5 {
		t.Fatalf("got %d problems, want 5 (duplicate, percent over text, change from count, award kind, unknown kind): %v", len(de.Fields), de.Fields)
	}
}

func asErr(err error, de **domain.Error) bool {
	e, ok := err.(*domain.Error)
	*de = e
	return ok
}

func TestPercentIsRecomputedFromSumsNeverAveraged(t *testing.T) {
	tpl := template1258(t)
	// Commune A: 10 of 100 households poor (10%); commune B: 90 of 900 (10%)... and C: 50 of 100 (50%).
	parts := []Part{
		{UnitID: "A", UnitName: "Xã A", Values: Values{Numbers: map[string]int64{"so_ho": 100, "so_ho_ngheo": 10}}},
		{UnitID: "B", UnitName: "Xã B", Values: Values{Numbers: map[string]int64{"so_ho": 900, "so_ho_ngheo": 90}}},
		{UnitID: "C", UnitName: "Xã C", Values: Values{Numbers: map[string]int64{"so_ho": 100, "so_ho_ngheo": 50}}},
	}
	agg := Aggregate(tpl, parts)
	if agg.Numbers["so_ho"] != 1100 || agg.Numbers["so_ho_ngheo"] != 150 {
		t.Fatalf("sums: %v", agg.Numbers)
	}
	r := result(t, Compute(tpl, agg, nil), "ty_le_ho_ngheo")
	// 150/1100 = 13.636…% → 13,64; the mean of the three rates would be 23,33.
	if r.Display != "13,64" || *r.Value != 13.64 || *r.Numerator != 150 || *r.Denominator != 1100 {
		t.Fatalf("rate = %+v (display %q), want 13,64 from 150/1100", r, r.Display)
	}
	if _, ok := agg.Numbers["quy_vi_nguoi_ngheo"]; ok {
		t.Fatal("an indicator no child entered must stay absent, not 0")
	}
}

func TestSeedFiguresRoundAsTheReportPrintsThem(t *testing.T) {
	tpl := template1258(t)
	v := Values{Numbers: map[string]int64{
		"so_ho_dau_ky": 189800, "so_ho_ngheo_dau_ky": 42458,
		"so_ho": 191640, "so_ho_ngheo": 36544, "so_ho_can_ngheo": 21814,
		"so_ho_6t2018": 192500, "so_ho_ngheo_6t2018": 33822,
		"dan_so": 788400, "so_nguoi_bhyt": 754500, "so_lao_dong": 480000, "so_lao_dong_qua_dao_tao": 228480,
		"quy_vi_nguoi_ngheo": 3468179900,
	}}
	rs := Compute(tpl, v, []AwardCount{{AwardCode: "BK_TINH", Collective: 20, Individual: 16}, {AwardCode: "BK_TTG", Collective: 1}})
	want := map[string]string{
		"so_ho_ngheo": "36.544", "ty_le_ho_ngheo": "19,07", "ty_le_ho_can_ngheo": "11,38",
		"giam_ty_le_ho_ngheo_2017": "3,3", "ty_le_ho_ngheo_6t2018": "17,57", "giam_ty_le_ho_ngheo_6t2018": "1,5",
		"ty_le_bhyt": "95,7", "ty_le_lao_dong_qua_dao_tao": "47,6", "quy_vi_nguoi_ngheo": "3.468.179.900",
		"bk_tinh_tap_the": "20", "bk_tinh_ca_nhan": "16", "bk_ttg_tap_the": "1", "bk_ttg_ca_nhan": "0",
		"nha_xay_moi": "",
	}
	for code, w := range want {
		if got := result(t, rs, code).Display; got != w {
			t.Errorf("%s = %q, want %q", code, got, w)
		}
	}
}

func TestCheckRefusesComputedAndUnknownCodes(t *testing.T) {
	tpl := template1258(t)
	fields := tpl.Check(Values{
		Numbers: map[string]int64{"so_ho": 5, "ty_le_ho_ngheo": 19, "nope": 1, "so_ho_ngheo": -1, "bk_tinh_tap_the": 3},
		Texts:   map[string]string{SectionResults: "ok", "so_ho": "text in a number"},
	}, []string{"ty_le_ho_ngheo"})
	got := map[string]bool{}
	for _, f := range fields {
		got[f.Field] = true
	}
	for _, f := range []string{"numbers.ty_le_ho_ngheo", "numbers.nope", "numbers.so_ho_ngheo", "numbers.bk_tinh_tap_the", "texts.so_ho", "clear[0]"} {
		if !got[f] {
			t.Errorf("no error on %s; got %v", f, fields)
		}
	}
	if got["numbers.so_ho"] || got["texts."+SectionResults] {
		t.Errorf("valid entries refused: %v", fields)
	}
}

func TestTextsAreCompiledPerUnitInOrder(t *testing.T) {
	tpl := template1258(t)
	agg := Aggregate(tpl, []Part{
		{UnitName: "UBND xã A", Values: Values{Texts: map[string]string{SectionResults: " Làm tốt. "}}},
		{UnitName: "UBND xã B", Values: Values{Texts: map[string]string{SectionResults: ""}}},
		{UnitName: "UBND xã C", Values: Values{Texts: map[string]string{SectionResults: "Còn khó khăn."}}},
	})
	want := "UBND xã A:\nLàm tốt.\n\nUBND xã C:\nCòn khó khăn."
	if got := agg.Texts[SectionResults]; got != want {
		t.Fatalf("compiled text = %q, want %q", got, want)
	}
}

func TestPrefillKeepsWhatTheParentEnteredAndFollowCarriesLateChanges(t *testing.T) {
	tpl := template1258(t)
	own := Values{Numbers: map[string]int64{"quy_vi_nguoi_ngheo": 5_000_000}, Texts: map[string]string{SectionSituation: "Huyện tự viết."}}
	agg1 := Values{Numbers: map[string]int64{"so_ho": 100, "so_ho_ngheo": 20, "quy_vi_nguoi_ngheo": 1_000_000},
		Texts: map[string]string{SectionSituation: "Xã A:\n…", SectionResults: "Xã A:\nKết quả."}}
	pre := Prefill(tpl, own, agg1)
	if pre.Numbers["so_ho"] != 100 || pre.Numbers["quy_vi_nguoi_ngheo"] != 5_000_000 ||
		pre.Texts[SectionSituation] != "Huyện tự viết." || pre.Texts[SectionResults] != "Xã A:\nKết quả." {
		t.Fatalf("prefill: %+v", pre)
	}
	// The district changes one pre-filled figure; then a late commune arrives.
	edited := Merge(pre, Values{Numbers: map[string]int64{"so_ho_ngheo": 25}}, nil)
	agg2 := Values{Numbers: map[string]int64{"so_ho": 150, "so_ho_ngheo": 30, "quy_vi_nguoi_ngheo": 2_000_000, "nha_xay_moi": 2},
		Texts: map[string]string{SectionSituation: "Xã A:\n…\n\nXã B:\n…", SectionResults: "Xã A:\nKết quả.\n\nXã B:\nKết quả B."}}
	got := Follow(tpl, edited, agg1, agg2)
	want := map[string]int64{"so_ho": 150, "so_ho_ngheo": 25, "quy_vi_nguoi_ngheo": 5_000_000, "nha_xay_moi": 2}
	for code, w := range want {
		if got.Numbers[code] != w {
			t.Errorf("%s = %d, want %d", code, got.Numbers[code], w)
		}
	}
	if got.Texts[SectionSituation] != "Huyện tự viết." || got.Texts[SectionResults] != agg2.Texts[SectionResults] {
		t.Errorf("texts after follow: %v", got.Texts)
	}
}

func TestPlanPutsEachLevelWorkingDaysBeforeItsParent(t *testing.T) {
	cal, err := calendar.New(calendar.Published())
	if err != nil {
		t.Fatal(err)
	}
	// Final deadline Thursday 4 September 2025; 1/9 and 2/9 are the Quốc khánh holidays.
	final := EndOfDay(calendar.Date{Year: 2025, Month: time.September, Day: 4})
	plan, err := Plan(cal, PlanInput{FinalDeadline: final, Depths: 3, GapWorkingDays: 3, ReminderWorkingDays: 2})
	if err != nil {
		t.Fatal(err)
	}
	day := func(tm time.Time) string { return calendar.DateOf(tm.In(calendar.Zone)).String() }
	// 4/9 − 3 working days: 3/9, 29/8, 28/8 (1–2/9 holidays, 30–31/8 a weekend); then 27, 26, 25/8.
	wantDeadlines := []string{"2025-09-04", "2025-08-28", "2025-08-25"}
	wantRemind := []string{"2025-08-29", "2025-08-26", "2025-08-21"}
	for i, lp := range plan {
		if lp.Depth != i+1 || day(lp.Deadline) != wantDeadlines[i] || day(lp.RemindAt) != wantRemind[i] {
			t.Errorf("level %d: deadline %s remind %s, want %s / %s", lp.Depth, day(lp.Deadline), day(lp.RemindAt), wantDeadlines[i], wantRemind[i])
		}
		if h := lp.RemindAt.In(calendar.Zone).Hour(); h != 8 {
			t.Errorf("reminder at %d:00, want 08:00", h)
		}
		if got := cal.WorkingDaysBetween(lp.Deadline, final); got != 3*i {
			t.Errorf("level %d is %d working days before the final deadline, want %d", lp.Depth, got, 3*i)
		}
	}
	// An explicit deadline after the parent's is refused.
	if _, err := Plan(cal, PlanInput{FinalDeadline: final, Depths: 2, Explicit: []time.Time{final, final.Add(time.Hour)}}); err == nil {
		t.Fatal("a child deadline after its parent's was accepted")
	}
}

func TestFormatting(t *testing.T) {
	cases := map[string]string{
		FormatInt(0): "0", FormatInt(999): "999", FormatInt(1000): "1.000", FormatInt(3468179900): "3.468.179.900",
		FormatFixed(1907, 2): "19,07", FormatFixed(5, 2): "0,05", FormatFixed(-15, 1): "-1,5", FormatFixed(123456, 0): "123.456",
		FormatDate(time.Date(2018, 6, 18, 3, 0, 0, 0, time.UTC)):       "ngày 18 tháng 6 năm 2018",
		FormatShortDate(time.Date(2018, 6, 17, 20, 0, 0, 0, time.UTC)): "18/6/2018", // 03:00 on 18/6 in Vietnam
	}
	for got, want := range cases {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}

func TestDOCXIsAWellFormedWordPackage(t *testing.T) {
	doc := Document{
		Issuer: "UBND TỈNH LẠNG SƠN", Number: "Số:      /BC-UBND", Place: "Lạng Sơn",
		Date: time.Date(2018, 7, 10, 2, 0, 0, 0, time.UTC), Title: "BÁO CÁO",
		Subject:  "Sơ kết giữa kỳ thực hiện Quyết định số 1258/QĐ-TTg",
		Intro:    "Thực hiện Công văn số 2422/LĐTĐ-BHXH-VPQGNN ngày 18/6/2018 <của Bộ> & \x01các ngành",
		Sections: []DocSection{{Heading: "I. ĐẶC ĐIỂM, TÌNH HÌNH", Paragraphs: []string{"Tỉnh có 226 xã.", "Còn 36.544 hộ nghèo."}}},
		Table: []DocRow{{Group: true, No: "I", Name: "Kết quả giảm nghèo"},
			{No: "1", Name: "Tỷ lệ hộ nghèo", Unit: "%", Value: "19,07"}},
		Awards:      []AwardCount{{AwardCode: "BK_TINH", AwardName: "Bằng khen của Chủ tịch UBND tỉnh", Collective: 20, Individual: 16}},
		Units:       []DocUnit{{Name: "UBND huyện Cao Lộc", Status: "Đã tiếp nhận", SubmittedAt: "6/7/2018"}},
		Missing:     []string{"UBND huyện Đình Lập"},
		Closing:     "UBND tỉnh Lạng Sơn trân trọng báo cáo./.",
		Recipients:  []string{"Bộ Lao động - Thương binh và Xã hội;", "Lưu: VT."},
		SignerTitle: []string{"KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"}, SignerName: "Hồ Tiến Thiệu",
	}
	b, err := RenderDOCX(doc)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	want := map[string]bool{"[Content_Types].xml": false, "_rels/.rels": false, "word/document.xml": false,
		"word/styles.xml": false, "word/_rels/document.xml.rels": false, "docProps/core.xml": false, "docProps/app.xml": false}
	var document string
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if err := wellFormed(body); err != nil {
			t.Errorf("%s is not well-formed XML: %v", f.Name, err)
		}
		want[f.Name] = true
		if f.Name == "word/document.xml" {
			document = string(body)
		}
	}
	for name, seen := range want {
		if !seen {
			t.Errorf("package lacks %s", name)
		}
	}
	text := textOf(t, document)
	for _, s := range []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Lạng Sơn, ngày 10 tháng 7 năm 2018", "<của Bộ> & các ngành",
		"Còn 36.544 hộ nghèo.", "19,07", "Bằng khen của Chủ tịch UBND tỉnh", "UBND huyện Đình Lập", "Hồ Tiến Thiệu"} {
		if !strings.Contains(text, s) {
			t.Errorf("document text lacks %q", s)
		}
	}
}

func wellFormed(b []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(b))
	for {
		if _, err := dec.Token(); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
	}
}

// textOf concatenates the text runs of a WordprocessingML document.
func textOf(t *testing.T, doc string) string {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(doc))
	var b strings.Builder
	inText := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return b.String()
		}
		if err != nil {
			t.Fatal(err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			inText = el.Name.Local == "t"
		case xml.EndElement:
			if el.Name.Local == "p" {
				b.WriteByte('\n')
			}
			inText = false
		case xml.CharData:
			if inText {
				b.Write(el)
			}
		}
	}
}
