package eligibility_test

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/eligibility"
	"github.com/tdkt/tdkt/internal/history"
)

// fact builds a subject's history for the table.
type fact func(*history.Record)

func person(fs ...fact) *history.Record {
	r := &history.Record{Subject: history.Subject{Kind: domain.NomineeIndividual, Code: "001", Name: "Hoàng Thị Lan"}}
	for _, f := range fs {
		f(r)
	}
	return r
}

func rated(rating history.Rating, years ...int) fact {
	return func(r *history.Record) {
		for _, y := range years {
			r.Ratings = append(r.Ratings, history.TaskRating{Year: y, Rating: rating})
		}
	}
}

func titled(code string, years ...int) fact {
	return awarded(code, history.AwardMerit, years...)
}

func awarded(code string, kind history.AwardKind, years ...int) fact {
	return func(r *history.Record) {
		for _, y := range years {
			r.Awards = append(r.Awards, history.AwardRecord{AwardCode: code, Year: y, Kind: kind, DecisionCode: "1/QĐ-UBND"})
		}
	}
}

func initiative(scope history.Scope, years ...int) fact {
	return func(r *history.Record) {
		for _, y := range years {
			r.Initiatives = append(r.Initiatives, history.Initiative{Year: y, Title: "Sáng kiến " + string(scope), Scope: scope})
		}
	}
}

func held(kind history.HoldKind, from, to string) fact {
	return func(r *history.Record) {
		r.Holds = append(r.Holds, history.Hold{Kind: kind, StartsOn: from, EndsOn: to})
	}
}

func day(s string) time.Time {
	t, err := time.Parse(history.DateLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

func rules(t testing.TB) *eligibility.RuleSet {
	t.Helper()
	rs, err := eligibility.Published()
	if err != nil {
		t.Fatalf("published rules: %v", err)
	}
	return rs
}

// TestChains is the table of DOMAIN.md §6: every chain, the MOHA worked example,
// gap years, extraordinary awards, discipline and the switch of rule versions.
func TestChains(t *testing.T) {
	const (
		new2025 = "2025-03-01" // Law 06/2022 in force
		old2023 = "2023-12-20" // the pre-2024 rules
	)
	cases := []struct {
		name   string
		award  string
		year   int
		on     string
		facts  *history.Record
		want   string // status
		expect []string
	}{
		// Lao động tiên tiến.
		{"LĐTT: rated good", "LDTT", 2024, new2025, person(rated(history.RatingGood, 2024)), eligibility.StatusEligible,
			[]string{"Xếp loại năm 2024: hoàn thành tốt nhiệm vụ (cần hoàn thành tốt nhiệm vụ trở lên): đạt"}},
		{"LĐTT: rated only done", "LDTT", 2024, new2025, person(rated(history.RatingDone, 2024)), eligibility.StatusNotEligible,
			[]string{"Xếp loại năm 2024: hoàn thành nhiệm vụ (cần hoàn thành tốt nhiệm vụ trở lên): chưa đạt"}},
		{"LĐTT: no rating", "LDTT", 2024, new2025, person(rated(history.RatingExcellent, 2023)), eligibility.StatusNotEligible,
			[]string{"Xếp loại năm 2024: chưa có"}},

		// Chiến sĩ thi đua cơ sở.
		{"CSTĐCS: HTXS without an initiative (2022 law)", "CSTDCS", 2024, new2025, person(rated(history.RatingExcellent, 2024)),
			eligibility.StatusEligible, []string{"LĐTT 2024: chưa được tặng, đạt tiêu chuẩn"}},
		{"CSTĐCS: good and a grassroots initiative", "CSTDCS", 2024, new2025,
			person(rated(history.RatingGood, 2024), titled("LDTT", 2024), initiative(history.ScopeGrassroots, 2024)),
			eligibility.StatusEligible, []string{"LĐTT 2024: đã được tặng (QĐ 1/QĐ-UBND): đạt", "Sáng kiến cấp cơ sở trở lên trong năm 2024: 1 (2024) (cần 1): đạt"}},
		{"CSTĐCS: good, initiative of another year", "CSTDCS", 2024, new2025,
			person(rated(history.RatingGood, 2024), initiative(history.ScopeGrassroots, 2023)),
			eligibility.StatusNotEligible, []string{"Sáng kiến cấp cơ sở trở lên trong năm 2024: 0 (cần 1): chưa đạt"}},

		// Chiến sĩ thi đua cấp tỉnh.
		{"CSTĐ tỉnh: 3 consecutive CSTĐCS and a provincial initiative", "CSTD_TINH", 2023, "2024-02-01",
			person(titled("CSTDCS", 2021, 2022, 2023), initiative(history.ScopeProvince, 2022)),
			eligibility.StatusEligible, []string{"CSTĐCS 2021, 2022, 2023 — 3 lần liên tục (cần 3): đạt",
				"Sáng kiến cấp tỉnh, bộ trở lên trong 2021–2023: 1 (2022) (cần 1): đạt"}},
		{"CSTĐ tỉnh: a national initiative also counts", "CSTD_TINH", 2024, new2025,
			person(titled("CSTDCS", 2022, 2023, 2024), initiative(history.ScopeNational, 2024)), eligibility.StatusEligible, nil},
		{"CSTĐ tỉnh: gap year breaks the chain", "CSTD_TINH", 2024, new2025,
			person(titled("CSTDCS", 2020, 2021, 2022, 2024), initiative(history.ScopeProvince, 2024)),
			eligibility.StatusNotEligible, []string{"CSTĐCS 2024 — 1 lần liên tục (cần 3); không liên tục: 2020, 2021, 2022: chưa đạt"}},
		{"CSTĐ tỉnh: grassroots initiative is not enough", "CSTD_TINH", 2024, new2025,
			person(titled("CSTDCS", 2022, 2023, 2024), initiative(history.ScopeGrassroots, 2023)),
			eligibility.StatusNotEligible, []string{"Sáng kiến cấp tỉnh, bộ trở lên trong 2022–2024: 0 (cần 1): chưa đạt"}},
		{"CSTĐ tỉnh: initiative before the chain", "CSTD_TINH", 2024, new2025,
			person(titled("CSTDCS", 2022, 2023, 2024), initiative(history.ScopeProvince, 2020)), eligibility.StatusNotEligible, nil},
		{"CSTĐ tỉnh: titles used for the previous CSTĐ tỉnh do not count again", "CSTD_TINH", 2024, new2025,
			person(titled("CSTDCS", 2020, 2021, 2022, 2023, 2024), titled("CSTD_TINH", 2022), initiative(history.ScopeProvince, 2024)),
			eligibility.StatusNotEligible, []string{"CSTĐCS 2023, 2024 — 2 lần liên tục (cần 3); không tính (trước năm 2023): 2020, 2021, 2022: chưa đạt"}},

		// Chiến sĩ thi đua toàn quốc.
		{"CSTĐ toàn quốc: two consecutive CSTĐ tỉnh (3-year periods)", "CSTD_TQ", 2024, new2025,
			person(titled("CSTD_TINH", 2021, 2024), initiative(history.ScopeNational, 2023)),
			eligibility.StatusEligible, []string{"CSTĐ tỉnh 2021, 2024 — 2 lần liên tục (cần 2): đạt",
				"Sáng kiến toàn quốc trong 2019–2024: 1 (2023) (cần 1): đạt"}},
		{"CSTĐ toàn quốc: CSTĐ tỉnh periods not consecutive", "CSTD_TQ", 2024, new2025,
			person(titled("CSTD_TINH", 2020, 2024), initiative(history.ScopeNational, 2023)), eligibility.StatusNotEligible, nil},
		{"CSTĐ toàn quốc: provincial initiative is not enough", "CSTD_TQ", 2024, new2025,
			person(titled("CSTD_TINH", 2021, 2024), initiative(history.ScopeProvince, 2023)), eligibility.StatusNotEligible, nil},

		// Bằng khen tỉnh, art. 74(1)(d).
		{"Bằng khen tỉnh: MOHA worked example", "BK_TINH", 2024, new2025,
			person(rated(history.RatingExcellent, 2023, 2024), initiative(history.ScopeGrassroots, 2023, 2024), titled("CSTDCS", 2024)),
			eligibility.StatusEligible, []string{"Hoàn thành xuất sắc nhiệm vụ 2023–2024 — 2 năm liên tục (cần 2): đạt",
				"Sáng kiến cấp cơ sở trở lên trong 2023–2024: 2 (2023, 2024) (cần 2): đạt"}},
		{"Bằng khen tỉnh: 2 consecutive CSTĐCS", "BK_TINH", 2024, new2025,
			person(titled("CSTDCS", 2023, 2024)), eligibility.StatusEligible, []string{"CSTĐCS 2023, 2024 — 2 lần liên tục (cần 2): đạt"}},
		{"Bằng khen tỉnh: HTXS twice with one initiative", "BK_TINH", 2024, new2025,
			person(rated(history.RatingExcellent, 2023, 2024), initiative(history.ScopeGrassroots, 2024), titled("CSTDCS", 2024)),
			eligibility.StatusNotEligible, nil},
		{"Bằng khen tỉnh: gap between the HTXS years", "BK_TINH", 2024, new2025,
			person(rated(history.RatingExcellent, 2022, 2024), rated(history.RatingGood, 2023), initiative(history.ScopeGrassroots, 2022, 2024)),
			eligibility.StatusNotEligible, nil},

		// Bằng khen Thủ tướng, art. 73(1)(b).
		{"Bằng khen Thủ tướng: BK tỉnh then 5 good years with 3 CSTĐCS", "BK_TTG", 2024, new2025,
			person(titled("BK_TINH", 2019), rated(history.RatingGood, 2020, 2021, 2022, 2023, 2024), titled("CSTDCS", 2020, 2022, 2024)),
			eligibility.StatusEligible, []string{"Bằng khen tỉnh: 2019 (QĐ 1/QĐ-UBND): đạt",
				"Hoàn thành tốt nhiệm vụ trở lên sau Bằng khen tỉnh 2019: 2020–2024 — 5 năm liên tục (cần 5): đạt",
				"CSTĐCS trong 2020–2024: 3 lần (2020, 2022, 2024) (cần 3): đạt"}},
		{"Bằng khen Thủ tướng: an extraordinary BK tỉnh does not count", "BK_TTG", 2024, new2025,
			person(awarded("BK_TINH", history.AwardExtraordinary, 2019), rated(history.RatingGood, 2020, 2021, 2022, 2023, 2024), titled("CSTDCS", 2020, 2022, 2024)),
			eligibility.StatusNotEligible, []string{"Bằng khen tỉnh: chưa được tặng trước năm 2024; không tính (đột xuất, chuyên đề…): 2019: chưa đạt"}},
		{"Bằng khen Thủ tướng: a thematic CSTĐCS does not count", "BK_TTG", 2024, new2025,
			person(titled("BK_TINH", 2019), rated(history.RatingGood, 2020, 2021, 2022, 2023, 2024), titled("CSTDCS", 2020, 2022), awarded("CSTDCS", history.AwardMovement, 2024)),
			eligibility.StatusNotEligible, []string{"CSTĐCS trong 2020–2024: 2 lần (2020, 2022) (cần 3): chưa đạt"}},
		{"Bằng khen Thủ tướng: a year rated only done breaks the 5 years", "BK_TTG", 2024, new2025,
			person(titled("BK_TINH", 2019), rated(history.RatingGood, 2020, 2021, 2023, 2024), rated(history.RatingDone, 2022), titled("CSTDCS", 2020, 2021, 2023, 2024)),
			eligibility.StatusNotEligible, nil},
		{"Bằng khen Thủ tướng: the 5 years must follow the BK tỉnh", "BK_TTG", 2024, new2025,
			person(titled("BK_TINH", 2022), rated(history.RatingGood, 2018, 2019, 2020, 2021, 2022, 2023, 2024), titled("CSTDCS", 2020, 2022, 2024)),
			eligibility.StatusNotEligible, []string{"Hoàn thành tốt nhiệm vụ trở lên sau Bằng khen tỉnh 2022: 2023–2024 — 2 năm liên tục (cần 5): chưa đạt"}},

		// Discipline restarts the count; a hold in force blocks.
		{"discipline restarts the CSTĐCS chain", "CSTD_TINH", 2024, new2025,
			person(titled("CSTDCS", 2020, 2021, 2022, 2023, 2024), initiative(history.ScopeProvince, 2024), held(history.HoldDiscipline, "2021-06-01", "2022-05-31")),
			eligibility.StatusNotEligible, []string{"CSTĐCS 2023, 2024 — 2 lần liên tục (cần 3); không tính (trước năm 2023): 2020, 2021, 2022: chưa đạt",
				"thành tích tính lại từ năm 2023"}},
		{"three years after the discipline count again", "CSTD_TINH", 2025, "2026-02-01",
			person(titled("CSTDCS", 2020, 2023, 2024, 2025), initiative(history.ScopeProvince, 2025), held(history.HoldDiscipline, "2021-06-01", "2022-05-31")),
			eligibility.StatusEligible, []string{"CSTĐCS 2023, 2024, 2025 — 3 lần liên tục (cần 3); không tính (trước năm 2023): 2020: đạt"}},
		{"an open investigation blocks", "LDTT", 2024, new2025,
			person(rated(history.RatingExcellent, 2024), held(history.HoldInvestigation, "2025-01-10", "")),
			eligibility.StatusNotEligible, []string{"Đang tạm hoãn ngày 01/03/2025: Điều tra từ 10/01/2025 (chưa kết thúc): chưa đạt"}},
		{"a closed inspection does not block", "LDTT", 2024, new2025,
			person(rated(history.RatingExcellent, 2024), held(history.HoldInspection, "2024-01-10", "2024-06-30")), eligibility.StatusEligible, nil},

		// The effective-date switch: the same facts under the two versions.
		{"switch: CSTĐCS on HTXS alone before 2024 needs an initiative", "CSTDCS", 2023, old2023,
			person(rated(history.RatingExcellent, 2023)), eligibility.StatusNotEligible,
			[]string{"Sáng kiến cấp cơ sở trở lên trong năm 2023: 0 (cần 1): chưa đạt"}},
		{"switch: CSTĐCS on HTXS alone from 2024", "CSTDCS", 2023, "2024-01-02",
			person(rated(history.RatingExcellent, 2023)), eligibility.StatusEligible, nil},
		{"switch: BK Thủ tướng before 2024 needs 5 HTXS years and 5 initiatives", "BK_TTG", 2023, old2023,
			person(titled("BK_TINH", 2018), rated(history.RatingGood, 2019, 2020, 2021, 2022, 2023), titled("CSTDCS", 2019, 2021, 2023)),
			eligibility.StatusNotEligible, []string{"Hoàn thành xuất sắc nhiệm vụ năm 2023: hoàn thành tốt nhiệm vụ — 0 năm liên tục (cần 5 năm liên tục sau Bằng khen tỉnh): chưa đạt"}},
		{"switch: BK Thủ tướng from 2024 on the same facts", "BK_TTG", 2023, "2024-01-02",
			person(titled("BK_TINH", 2018), rated(history.RatingGood, 2019, 2020, 2021, 2022, 2023), titled("CSTDCS", 2019, 2021, 2023)),
			eligibility.StatusEligible, nil},

		// What the rules do not cover is not checked, never guessed.
		{"a collective has no automatic BK tỉnh criteria", "BK_TINH", 2024, new2025,
			&history.Record{Subject: history.Subject{Kind: domain.NomineeCollective}}, eligibility.StatusNotChecked, []string{"chỉ áp dụng cho cá nhân"}},
		{"Giấy khen criteria are the province's", "GK", 2024, new2025, person(), eligibility.StatusNotChecked, nil},
	}
	rs := rules(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := rs.Evaluate(eligibility.Input{Facts: c.facts, Award: c.award, Year: c.year, On: day(c.on)})
			if err != nil {
				t.Fatal(err)
			}
			all := explain(res)
			if res.Status != c.want {
				t.Errorf("status %s, want %s\n%s", res.Status, c.want, all)
			}
			if res.Eligible != (c.want == eligibility.StatusEligible) || res.MachineEligible != res.Eligible {
				t.Errorf("eligible %v, machine %v for status %s", res.Eligible, res.MachineEligible, res.Status)
			}
			for _, e := range c.expect {
				if !strings.Contains(all, e) {
					t.Errorf("explanations lack %q:\n%s", e, all)
				}
			}
		})
	}
}

func explain(r eligibility.Result) string {
	lines := []string{"rule " + r.RuleVersion}
	lines = append(lines, r.Notes...)
	var walk func(cs []eligibility.CriterionResult, indent string)
	walk = func(cs []eligibility.CriterionResult, indent string) {
		for _, c := range cs {
			lines = append(lines, indent+c.ID+": "+c.Explanation)
			walk(c.Of, indent+"  ")
		}
	}
	walk(r.Criteria, "")
	return strings.Join(lines, "\n")
}

// TestOnlyMeritAwardsFollowTheChains: an extraordinary or movement proposal is
// appraised on its achievement, a seniority one (niên hạn) on years of service, so
// the chains are not checked (not_checked); holds still are.
func TestOnlyMeritAwardsFollowTheChains(t *testing.T) {
	rs := rules(t)
	facts := person(held(history.HoldDiscipline, "2025-01-01", ""))
	for _, kind := range []history.AwardKind{history.AwardExtraordinary, history.AwardMovement, history.AwardSeniority} {
		res, err := rs.Evaluate(eligibility.Input{Facts: facts, Award: "BK_TINH", Year: 2025, On: day("2025-03-01"), Kind: kind})
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != eligibility.StatusNotChecked || len(res.Criteria) != 1 || res.Criteria[0].Met {
			t.Errorf("%s: %s", kind, explain(res))
		}
	}
}

func TestVersionIsChosenByTheDayOfTheCheck(t *testing.T) {
	rs := rules(t)
	for on, want := range map[string]string{"2015-06-01": "2000-01-01", "2023-12-31": "2000-01-01", "2024-01-01": "2024-01-01", "2030-01-01": "2024-01-01"} {
		if v := rs.At(day(on)); v == nil || v.ID != want {
			t.Errorf("version on %s = %v, want %s", on, v, want)
		}
	}
	if _, err := rs.Evaluate(eligibility.Input{Facts: person(), Award: "LDTT", Year: 1990, On: day("1990-01-01")}); err == nil {
		t.Error("a check before the first version succeeded")
	}
}

func TestEveryChainHasRulesInEachVersion(t *testing.T) {
	for _, v := range rules(t).Versions {
		for _, award := range []string{"LDTT", "CSTDCS", "CSTD_TINH", "CSTD_TQ", "BK_TINH", "BK_TTG"} {
			if v.Rule(award) == nil {
				t.Errorf("version %s has no rule for %s", v.ID, award)
			}
		}
	}
}

func TestOverridesAreShownAndDecide(t *testing.T) {
	rs := rules(t)
	res, err := rs.Evaluate(eligibility.Input{Facts: person(titled("CSTDCS", 2022, 2023, 2024)), Award: "CSTD_TINH", Year: 2024, On: day("2025-03-01")})
	if err != nil {
		t.Fatal(err)
	}
	if res.Eligible {
		t.Fatalf("no initiative recorded, yet eligible:\n%s", explain(res))
	}
	at := day("2025-03-05")
	res.ApplyOverrides(map[string]eligibility.Override{"initiative": {Met: true, Reason: "Sáng kiến cấp tỉnh theo QĐ 88/QĐ-UBND, chưa nhập lịch sử", ActorID: 9, At: at}})
	if !res.Eligible || res.MachineEligible || res.Status != eligibility.StatusEligible {
		t.Fatalf("after override: eligible %v machine %v status %s", res.Eligible, res.MachineEligible, res.Status)
	}
	for _, c := range res.Criteria {
		if c.ID == "initiative" && (c.Override == nil || c.Override.Reason == "" || c.Met) {
			t.Errorf("override not shown beside the machine's answer: %+v", c)
		}
	}
	res.ApplyOverrides(map[string]eligibility.Override{"cstdcs_chain": {Met: false, Reason: "Quyết định CSTĐCS 2022 đã bị hủy", ActorID: 9, At: at}})
	if res.Eligible {
		t.Error("an override to not met left the nominee eligible")
	}
}

func TestLoadRejectsBrokenRules(t *testing.T) {
	good := `{"id":"x","valid_from":"2030-01-01","counting_award_kinds":["merit"],"awards":[{"award":"A","nominee_kinds":["individual"],"criteria":[%s]}]}`
	for name, crit := range map[string]string{
		"unknown type":       `{"id":"a","type":"vibes","label":"x"}`,
		"window of nothing":  `{"id":"a","type":"initiatives","scope":"grassroots","count":1,"window_of":"chain","label":"x"}`,
		"rating without min": `{"id":"a","type":"rating","label":"x"}`,
		"repeated id":        `{"id":"a","type":"rating","min":"htt","label":"x"},{"id":"a","type":"rating","min":"htt","label":"x"}`,
		"standard of itself": `{"id":"a","type":"title_or_standard","award":"A","label":"x"}`,
		"bad scope":          `{"id":"a","type":"initiatives","scope":"galactic","count":1,"years":1,"label":"x"}`,
	} {
		fsys := fstest.MapFS{"r/x.json": {Data: []byte(strings.Replace(good, "%s", crit, 1))}}
		if _, err := eligibility.Load(fsys, "r"); err == nil {
			t.Errorf("%s: loaded", name)
		}
	}
	ok := fstest.MapFS{"r/x.json": {Data: []byte(strings.Replace(good, "%s", `{"id":"a","type":"rating","min":"htt","label":"x"}`, 1))}}
	if _, err := eligibility.Load(ok, "r"); err != nil {
		t.Errorf("a correct version: %v", err)
	}
}

// BenchmarkEvaluate20Years checks one nominee with 20 years of history (ratings,
// titles, initiatives, an old discipline) for Bằng khen Thủ tướng, the longest chain.
func BenchmarkEvaluate20Years(b *testing.B) {
	rs := rules(b)
	var fs []fact
	for y := 2005; y <= 2024; y++ {
		fs = append(fs, rated(history.RatingGood, y), titled("LDTT", y), initiative(history.ScopeGrassroots, y))
		if y%2 == 0 {
			fs = append(fs, titled("CSTDCS", y))
		}
	}
	fs = append(fs, titled("BK_TINH", 2012, 2019), titled("CSTD_TINH", 2010), held(history.HoldDiscipline, "2008-01-01", "2008-12-31"),
		awarded("BK_TINH", history.AwardExtraordinary, 2016))
	facts := person(fs...)
	in := eligibility.Input{Facts: facts, Award: "BK_TTG", Year: 2024, On: day("2025-03-01")}
	if res, _ := rs.Evaluate(in); !res.Eligible {
		b.Fatalf("benchmark subject not eligible:\n%s", explain(res))
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := rs.Evaluate(in); err != nil {
			b.Fatal(err)
		}
	}
}
