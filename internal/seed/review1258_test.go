package seed

import (
	"encoding/json"
	"fmt"
	"math/big"
	"testing"

	"github.com/tdkt/tdkt/internal/campaigns"
	"github.com/tdkt/tdkt/internal/dossiers"
	"github.com/tdkt/tdkt/internal/review"
)

// The figures of Lạng Sơn's mid-term report (seed/bao-cao-so-ket-1258-lang-son.md),
// written out here from the document, independently of Province1258.
var reportFigures = map[string]int64{
	"so_ho_ngheo":              36544,      // "còn 36.544 hộ nghèo"
	"so_ho_can_ngheo":          21814,      // "21.814 hộ cận nghèo"
	"quy_vi_nguoi_ngheo":       3468179900, // "3.468.179.900 đồng"
	"nha_xay_moi":              60,         // "xây mới nhà Đại đoàn kết được 60 căn nhà"
	"nha_sua_chua":             25,         // "sửa chữa 25 căn nhà"
	"suat_qua_tet":             2420,       // "2.420 suất quà tết"
	"ho_ngheo_kham_chua_benh":  444,        // "khám, chữa bệnh cho 444 hộ nghèo"
	"hoc_sinh_ngheo":           899,        // "899 học sinh nghèo"
	"ho_ngheo_ho_tro_san_xuat": 27,         // "hỗ trợ sản xuất cho 27 hộ nghèo"
	"so_ho_thoat_ngheo_6t2018": 2700,       // "tương đương 2.700 hộ"
	"so_nhan_khau_cuu_doi":     14090,      // "14.090 nhân khẩu"
	"gao_cuu_doi":              550,        // "550 tấn gạo"
	"so_xa_dat_chuan_ntm":      36,         // "tổng số xã đạt chuẩn nông thôn mới là 36 xã"
	"so_xa_dat_chuan_ntm_2017": 12,         // "công nhận thêm được 12 xã"
}

// reportRates are the percentages the report prints, with the decimals it prints them
// to, and how they are computed: a ratio num/den, or the change from one ratio to another.
var reportRates = []struct {
	want     string
	decimals int
	num, den string
	num2     string // a change: (num/den) − (num2/den2)
	den2     string
}{
	{"19.07", 2, "so_ho_ngheo", "so_ho", "", ""},
	{"11.38", 2, "so_ho_can_ngheo", "so_ho", "", ""},
	{"17.57", 2, "so_ho_ngheo_6t2018", "so_ho_6t2018", "", ""},
	{"95.7", 1, "so_nguoi_bhyt", "dan_so", "", ""},
	{"47.6", 1, "so_lao_dong_qua_dao_tao", "so_lao_dong", "", ""},
	{"3.3", 1, "so_ho_ngheo_dau_ky", "so_ho_dau_ky", "so_ho_ngheo", "so_ho"}, // "giảm 3,3%"
	{"1.5", 1, "so_ho_ngheo", "so_ho", "so_ho_ngheo_6t2018", "so_ho_6t2018"}, // "giảm 1,5%"
}

type seededReport struct {
	unit, parent string
	depth        int
	vals, agg    review.Values
	late         bool
	status       string
}

func TestReview1258AggregateReproducesTheReportsFigures(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	ctx := t.Context()
	if _, err := Demo(ctx, db, (&fakeHash{}).hash); err != nil {
		t.Fatal(err)
	}
	if err := Review1258(ctx, db); err != nil {
		t.Fatalf("Review1258: %v", err)
	}
	before := map[string]int{}
	for _, table := range []string{"movements", "movement_registrations", "review_campaigns", "review_reports", "review_events", "nominations", "nominees", "decisions", "decision_awardees"} {
		before[table] = count(t, db, `SELECT count(*) FROM `+table)
	}
	if err := Review1258(ctx, db); err != nil {
		t.Fatalf("second Review1258: %v", err)
	}
	for table, n := range before {
		if got := count(t, db, `SELECT count(*) FROM `+table); got != n {
			t.Errorf("second run: %s has %d rows, had %d", table, got, n)
		}
	}
	if before["review_reports"] != 1+1+11+226 {
		t.Fatalf("%d reports, want the ministry, the province, 11 districts and 226 communes", before["review_reports"])
	}

	rows, err := db.Query(ctx, `SELECT unit_id, coalesce(parent_unit_id, ''), depth, vals, aggregate, late, status
		FROM review_reports WHERE campaign_id = $1 ORDER BY depth, unit_id`, Campaign1258ID)
	if err != nil {
		t.Fatal(err)
	}
	var reports []seededReport
	for rows.Next() {
		var r seededReport
		var vals, agg []byte
		if err := rows.Scan(&r.unit, &r.parent, &r.depth, &vals, &agg, &r.late, &r.status); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(vals, &r.vals); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(agg, &r.agg); err != nil {
			t.Fatal(err)
		}
		reports = append(reports, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	// Sum the communes' own figures, per district and for the province.
	byDistrict := map[string]map[string]int64{}
	province := map[string]int64{}
	late := 0
	for _, r := range reports {
		if r.depth != 3 {
			continue
		}
		if r.late {
			late++
		}
		if r.vals.Numbers["so_ho_ngheo"] > r.vals.Numbers["so_ho"] || r.vals.Numbers["so_ho_ngheo"]+r.vals.Numbers["so_ho_can_ngheo"] > r.vals.Numbers["so_ho"] {
			t.Errorf("commune %s has more poor households than households: %v", r.unit, r.vals.Numbers)
		}
		if byDistrict[r.parent] == nil {
			byDistrict[r.parent] = map[string]int64{}
		}
		for code, n := range r.vals.Numbers {
			byDistrict[r.parent][code] += n
			province[code] += n
		}
	}
	if late != 3 {
		t.Errorf("%d communes reported late, want 3", late)
	}
	for code, want := range reportFigures {
		if province[code] != want {
			t.Errorf("communes' %s sum to %d, the report says %d", code, province[code], want)
		}
	}
	for _, rate := range reportRates {
		x := new(big.Rat).SetFrac64(province[rate.num]*100, province[rate.den])
		if rate.num2 != "" {
			x.Sub(x, new(big.Rat).SetFrac64(province[rate.num2]*100, province[rate.den2]))
		}
		f, _ := x.Float64()
		if got := fmt.Sprintf("%.*f", rate.decimals, f); got != rate.want {
			t.Errorf("%s/%s from the communes' sums = %s, the report prints %s", rate.num, rate.den, got, rate.want)
		}
	}
	// Every stored aggregate equals the sum of the reports below it.
	var provinceReport seededReport
	for _, r := range reports {
		switch r.depth {
		case 2:
			if fmt.Sprint(r.agg.Numbers) != fmt.Sprint(byDistrict[r.unit]) || fmt.Sprint(r.vals.Numbers) != fmt.Sprint(byDistrict[r.unit]) {
				t.Errorf("district %s: aggregate %v, values %v; its communes sum to %v", r.unit, r.agg.Numbers, r.vals.Numbers, byDistrict[r.unit])
			}
		case 1:
			provinceReport = r
			if fmt.Sprint(r.agg.Numbers) != fmt.Sprint(province) || fmt.Sprint(r.vals.Numbers) != fmt.Sprint(province) {
				t.Errorf("province aggregate %v, values %v; the communes sum to %v", r.agg.Numbers, r.vals.Numbers, province)
			}
		case 0:
			if fmt.Sprint(r.agg.Numbers) != fmt.Sprint(province) || r.status != "completed" {
				t.Errorf("ministry's aggregate %v (%s), want the province's figures", r.agg.Numbers, r.status)
			}
		}
	}
	// The awards come from the decisions: 20 collectives and 16 individuals with the
	// provincial Bằng khen, 1 collective with the Prime Minister's.
	st := dossiers.NewStore(db)
	awards, err := campaigns.NewStore(st.Pool).AwardCounts(ctx, Campaign1258ID, Province)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][2]int{}
	for _, a := range awards {
		got[a.AwardCode] = [2]int{a.Collective, a.Individual}
	}
	if got["BK_TINH"] != [2]int{20, 16} || got["BK_TTG"] != [2]int{1, 0} || len(got) != 2 {
		t.Errorf("awards %v, want BK_TINH 20 collectives + 16 individuals, BK_TTG 1 collective", got)
	}
	// The report's indicators, as the API and the export show them.
	c, err := campaigns.NewStore(st.Pool).Campaign(ctx, Campaign1258ID)
	if err != nil {
		t.Fatal(err)
	}
	shown := map[string]string{}
	for _, r := range review.Compute(c.Template, provinceReport.vals, awards) {
		shown[r.Code] = r.Display
	}
	for code, want := range map[string]string{"so_ho_ngheo": "36.544", "ty_le_ho_ngheo": "19,07", "so_ho_can_ngheo": "21.814",
		"ty_le_ho_can_ngheo": "11,38", "giam_ty_le_ho_ngheo_2017": "3,3", "ty_le_ho_ngheo_6t2018": "17,57",
		"giam_ty_le_ho_ngheo_6t2018": "1,5", "ty_le_bhyt": "95,7", "ty_le_lao_dong_qua_dao_tao": "47,6",
		"quy_vi_nguoi_ngheo": "3.468.179.900", "nha_xay_moi": "60", "nha_sua_chua": "25",
		"bk_tinh_tap_the": "20", "bk_tinh_ca_nhan": "16", "bk_ttg_tap_the": "1"} {
		if shown[code] != want {
			t.Errorf("%s shown as %q, want %q", code, shown[code], want)
		}
	}
	// A district's awards are those its own units were given.
	caoLoc, err := campaigns.NewStore(st.Pool).AwardCounts(ctx, Campaign1258ID, DemoDistrict)
	if err != nil {
		t.Fatal(err)
	}
	if len(caoLoc) != 1 || caoLoc[0].Collective != 4 || caoLoc[0].Individual != 3 {
		t.Errorf("Cao Lộc's awards %+v, want its own dossier's 4 collectives and 3 individuals", caoLoc)
	}
	if n := count(t, db, `SELECT count(*) FROM movement_registrations WHERE movement_id = $1`, MovementLS1258ID); n != 11 {
		t.Errorf("%d districts registered for the province's movement, want 11", n)
	}
}
