package seed

import "github.com/tdkt/tdkt/internal/authority"

// Award categories: emulation titles (danh hiệu thi đua) and commendation forms
// (hình thức khen thưởng).
const (
	categoryTitle        = "title"
	categoryCommendation = "commendation"
)

// Nominee kinds an award may go to. Village is the kind of the cultured-village
// title (thôn, tổ dân phố văn hóa).
const (
	kindIndividual = "individual"
	kindCollective = "collective"
	kindHousehold  = "household"
	kindVillage    = "village"
)

// awardRow is one entry of the award catalogue. A nil bonus is a multiplier the law
// leaves to ministries and provinces (or that we could not confirm): it is set as
// data by an administrator, never assumed here.
type awardRow struct {
	code, name, category string
	kinds                []string
	bonus                *float64 // × base salary (lương cơ sở)
	description          string
}

func multiplier(v float64) *float64 { return &v }

// awardCatalogue follows DOMAIN.md §2 (Law 06/2022/QH15, Decree 98/2023/NĐ-CP).
func awardCatalogue() []awardRow {
	ind := []string{kindIndividual}
	coll := []string{kindCollective}
	indCollHousehold := []string{kindIndividual, kindCollective, kindHousehold}
	indColl := []string{kindIndividual, kindCollective}
	return []awardRow{
		{"LDTT", "Lao động tiên tiến", categoryTitle, ind, multiplier(0.3),
			"Thủ trưởng đơn vị hoặc Chủ tịch UBND cấp xã quyết định."},
		{"CSTDCS", "Chiến sĩ thi đua cơ sở", categoryTitle, ind, multiplier(1.0),
			"Thủ trưởng sở, ngành, doanh nghiệp hoặc Chủ tịch UBND cấp huyện quyết định."},
		{"CSTD_TINH", "Chiến sĩ thi đua cấp tỉnh", categoryTitle, ind, multiplier(3.0),
			"Chủ tịch UBND tỉnh quyết định."},
		{"CSTD_TQ", "Chiến sĩ thi đua toàn quốc", categoryTitle, ind, multiplier(4.5),
			"Thủ tướng Chính phủ quyết định."},
		{"TTLDTT", "Tập thể lao động tiên tiến", categoryTitle, coll, multiplier(0.8),
			"Thủ trưởng sở, ngành hoặc Chủ tịch UBND cấp huyện quyết định."},
		{"TTLDXS", "Tập thể lao động xuất sắc", categoryTitle, coll, multiplier(1.5),
			"Chủ tịch UBND tỉnh quyết định."},
		{"CO_TINH", "Cờ thi đua của UBND tỉnh", categoryTitle, coll, multiplier(8),
			"Chủ tịch UBND tỉnh quyết định."},
		{"CO_CP", "Cờ thi đua của Chính phủ", categoryTitle, coll, multiplier(12),
			"Thủ tướng Chính phủ quyết định."},
		// The commune-level value; other levels may set their own (configurable per level).
		{"GK", "Giấy khen", categoryCommendation, indCollHousehold, multiplier(0.3),
			"Chủ tịch UBND cấp xã, cấp huyện hoặc thủ trưởng sở, ngành, doanh nghiệp quyết định."},
		{"BK_TINH", "Bằng khen của Chủ tịch UBND tỉnh", categoryCommendation, indCollHousehold, nil,
			"Chủ tịch UBND tỉnh quyết định."},
		{"BK_TTG", "Bằng khen của Thủ tướng Chính phủ", categoryCommendation, indCollHousehold, nil,
			"Thủ tướng Chính phủ quyết định."},
		{"HCLD_3", "Huân chương Lao động hạng Ba", categoryCommendation, indColl, nil,
			"Chủ tịch nước quyết định theo đề nghị của Thủ tướng Chính phủ."},
		{"HCLD_2", "Huân chương Lao động hạng Nhì", categoryCommendation, indColl, nil,
			"Chủ tịch nước quyết định theo đề nghị của Thủ tướng Chính phủ."},
		{"HCLD_1", "Huân chương Lao động hạng Nhất", categoryCommendation, indColl, nil,
			"Chủ tịch nước quyết định theo đề nghị của Thủ tướng Chính phủ."},
		{"GDVH", "Gia đình văn hóa", categoryTitle, []string{kindHousehold}, nil,
			"Chủ tịch UBND cấp xã quyết định."},
		{"THON_VH", "Thôn, tổ dân phố văn hóa", categoryTitle, []string{kindVillage}, multiplier(1.5),
			"Chủ tịch UBND cấp huyện quyết định (từ 2025: theo quy định của tỉnh)."},
	}
}

// authorityRow says which level decides an award proposed by a unit of a level,
// over which dates, and what happens at each level of the route.
type authorityRow struct {
	award, submitter, decision string
	validFrom, validTo         string // yyyy-mm-dd; validTo exclusive, "" = in force
	stages                     []authority.Stage
}

// reform is the day the district level was abolished (Decree 152/2025/NĐ-CP).
const reform = "2025-07-01"

// stateAwards are decided centrally and need concurrence (hiệp y) there.
var stateAwards = map[string]bool{"BK_TTG": true, "CSTD_TQ": true, "CO_CP": true, "HCLD_3": true, "HCLD_2": true, "HCLD_1": true}

// councilAwards are voted on by the council of the deciding level.
var councilAwards = map[string]bool{"CSTDCS": true, "TTLDTT": true, "CSTD_TINH": true, "TTLDXS": true, "CO_TINH": true,
	"BK_TINH": true, "BK_TTG": true, "CSTD_TQ": true, "CO_CP": true, "HCLD_3": true, "HCLD_2": true, "HCLD_1": true}

// stagesFor says what happens at each level: the deciding level's council votes on
// council awards; for state awards the provincial council votes before the province
// proposes and the central level collects concurrence; national emulation
// fighters and cultured households go through public consultation (10 working days).
func stagesFor(award, decision string) []authority.Stage {
	var out []authority.Stage
	if stateAwards[award] {
		out = append(out, authority.Stage{Level: levelProvince, Council: true})
		central := authority.Stage{Level: levelCentral, Council: true, Concurrence: true}
		if award == "CSTD_TQ" {
			central.ConsultationDays = 10
		}
		return append(out, central)
	}
	st := authority.Stage{Level: decision, Council: councilAwards[award]}
	if award == "GDVH" {
		st.ConsultationDays = 10
	}
	return append(out, st)
}

// authorityRules is the authority matrix (thẩm quyền) for both administrative
// shapes: the district level decides commune proposals until the 2025 reform, the
// commune's chair after it; rules for district submitters end with the districts.
// Where the President decides (Huân chương), the route ends at the central level,
// which submits.
func authorityRules() []authorityRow {
	var rows []authorityRow
	add := func(award, decision, from, to string, submitters ...string) {
		for _, s := range submitters {
			rows = append(rows, authorityRow{award: award, submitter: s, decision: decision, validFrom: from, validTo: to,
				stages: stagesFor(award, decision)})
		}
	}
	always := func(award, decision string, submitters ...string) { add(award, decision, validFrom, "", submitters...) }
	untilReform := func(award, decision string, submitters ...string) {
		add(award, decision, validFrom, reform, submitters...)
	}
	sinceReform := func(award, decision string, submitters ...string) { add(award, decision, reform, "", submitters...) }

	always("LDTT", levelCommune, levelCommune)
	always("GDVH", levelCommune, levelCommune)
	for _, award := range []string{"CSTDCS", "TTLDTT", "THON_VH", "GK"} {
		untilReform(award, levelDistrict, levelCommune)
		sinceReform(award, levelCommune, levelCommune)
	}
	untilReform("GK", levelDistrict, levelDistrict)
	always("GK", levelProvince, levelProvince)

	for _, award := range []string{"BK_TINH", "CSTD_TINH", "TTLDXS", "CO_TINH"} {
		always(award, levelProvince, levelCommune, levelProvince)
		untilReform(award, levelProvince, levelDistrict)
	}
	for _, award := range []string{"BK_TTG", "CSTD_TQ", "CO_CP", "HCLD_3", "HCLD_2", "HCLD_1"} {
		always(award, levelCentral, levelCommune, levelProvince, levelCentral)
		untilReform(award, levelCentral, levelDistrict)
	}
	return rows
}

// voteRules are the council vote rules that differ from the default (quorum 2/3,
// threshold over half of all members, open ballot): state-level awards are voted
// by secret ballot.
func voteRules() map[string]bool {
	return stateAwards
}

// requiredDocuments is the appraisal checklist per award category and procedure.
func requiredDocuments() [][4]string {
	var out [][4]string
	for _, cat := range []string{categoryTitle, categoryCommendation} {
		out = append(out,
			[4]string{cat, "standard", "to_trinh", "Tờ trình đề nghị khen thưởng"},
			[4]string{cat, "standard", "bao_cao_thanh_tich", "Báo cáo thành tích"},
			[4]string{cat, "standard", "bien_ban_hoi_dong", "Biên bản họp Hội đồng Thi đua – Khen thưởng"},
			[4]string{cat, "simplified", "to_trinh", "Tờ trình đề nghị khen thưởng"},
			[4]string{cat, "simplified", "tom_tat_thanh_tich", "Tóm tắt thành tích"})
	}
	return out
}
