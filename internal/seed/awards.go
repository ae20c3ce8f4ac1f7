package seed

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

// authorityRow says which level decides an award proposed by a unit of a level.
type authorityRow struct {
	award, submitter, decision string
}

// authorityRules is the authority matrix (thẩm quyền) in force from 2000-01-01 for
// the pre-2025 shape. Where the President decides (Huân chương), the route ends at
// the central level, which submits.
func authorityRules() []authorityRow {
	var rows []authorityRow
	to := func(award, decision string, submitters ...string) {
		for _, s := range submitters {
			rows = append(rows, authorityRow{award, s, decision})
		}
	}
	belowProvince := []string{levelCommune, levelDistrict, levelProvince}
	anyLevel := []string{levelCommune, levelDistrict, levelProvince, levelCentral}

	to("LDTT", levelCommune, levelCommune)
	to("CSTDCS", levelDistrict, levelCommune)
	to("TTLDTT", levelDistrict, levelCommune)
	to("GDVH", levelCommune, levelCommune)
	to("THON_VH", levelDistrict, levelCommune)

	to("GK", levelDistrict, levelCommune, levelDistrict)
	to("GK", levelProvince, levelProvince)

	to("BK_TINH", levelProvince, belowProvince...)
	to("CSTD_TINH", levelProvince, belowProvince...)
	to("TTLDXS", levelProvince, belowProvince...)
	to("CO_TINH", levelProvince, belowProvince...)

	for _, award := range []string{"BK_TTG", "CSTD_TQ", "CO_CP", "HCLD_3", "HCLD_2", "HCLD_1"} {
		to(award, levelCentral, anyLevel...)
	}
	return rows
}
