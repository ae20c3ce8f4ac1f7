package seed

import "fmt"

// Unit ids of the demo organisation that tests and the README refer to.
const (
	Central       = "TW"        // Chính phủ / Hội đồng Thi đua – Khen thưởng Trung ương
	Province      = "LS"        // UBND tỉnh Lạng Sơn
	DemoDistrict  = "LS-09"     // UBND huyện Cao Lộc
	DemoCommune   = "LS-09-003" // UBND xã Bảo Lâm, huyện Cao Lộc
	OtherDistrict = "LS-10"     // UBND huyện Lộc Bình
	OtherCommune  = "LS-10-003" // UBND xã Ái Quốc, huyện Lộc Bình
)

// Provincial departments (sở) and mass organisations that nominate and sit on the
// provincial council. Their ids are referred to by the demo users below.
const (
	unitHomeAffairs = "LS-SNV"   // Sở Nội vụ; its Ban Thi đua – Khen thưởng is the province's standing body
	unitEducation   = "LS-SGDDT" // Sở Giáo dục và Đào tạo
	unitHealth      = "LS-SYT"   // Sở Y tế
	unitFront       = "LS-MTTQ"  // Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh
	unitFarmers     = "LS-HND"   // Hội Nông dân tỉnh
	unitWomen       = "LS-HLHPN" // Hội Liên hiệp Phụ nữ tỉnh
	unitYouth       = "LS-TD"    // Tỉnh Đoàn (Đoàn TNCS Hồ Chí Minh tỉnh)
)

// Level codes (cấp), bottom-up. Their rank orders the chain; it is data, not code.
const (
	levelCommune  = "commune"
	levelDistrict = "district"
	levelProvince = "province"
	levelCentral  = "central"
)

// levelRow is one administrative level.
type levelRow struct {
	code, name string
	rank       int
}

// levelRows is the pre-2025 chain of levels.
func levelRows() []levelRow {
	return []levelRow{
		{levelCommune, "xã", 1},
		{levelDistrict, "huyện", 2},
		{levelProvince, "tỉnh", 3},
		{levelCentral, "trung ương", 4},
	}
}

// Subkinds of the administrative units.
const (
	subkindProvince = "tinh"
	subkindDistrict = "huyen"
	subkindCity     = "thanh_pho"
	subkindCommune  = "xa"
	subkindTown     = "thi_tran"
	subkindWard     = "phuong"
)

// district is a district-level unit of Lạng Sơn with its commune-level units
// (xã, phường, thị trấn) as they stood in 2018, when the province reported 10
// districts and 1 city with 226 communes (207 xã, 14 thị trấn, 5 phường). The
// communes merged by Resolution 818/NQ-UBTVQH14 (in force 2020-01-01) appear
// under their pre-merger names.
//
// Commune ids are derived from the position in these lists (wards, then towns,
// then xã), so entries may be appended but never reordered or removed.
type district struct {
	id, name, subkind string
	wards             []string // phường
	towns             []string // thị trấn
	communes          []string // xã
}

// langSonDistricts is the 2018 split of Lạng Sơn, the city first, in the order the
// province lists its districts.
func langSonDistricts() []district {
	return []district{
		{id: "LS-01", name: "Lạng Sơn", subkind: subkindCity,
			wards:    []string{"Chi Lăng", "Đông Kinh", "Hoàng Văn Thụ", "Tam Thanh", "Vĩnh Trại"},
			communes: []string{"Hoàng Đồng", "Mai Pha", "Quảng Lạc"}},
		{id: "LS-02", name: "Tràng Định", subkind: subkindDistrict,
			towns: []string{"Thất Khê"},
			communes: []string{"Bắc Ái", "Cao Minh", "Chi Lăng", "Chí Minh", "Đại Đồng", "Đào Viên",
				"Đề Thám", "Đoàn Kết", "Đội Cấn", "Hùng Sơn", "Hùng Việt", "Kháng Chiến", "Khánh Long",
				"Kim Đồng", "Quốc Khánh", "Quốc Việt", "Tân Minh", "Tân Tiến", "Tân Yên", "Tri Phương",
				"Trung Thành", "Vĩnh Tiến"}},
		{id: "LS-03", name: "Văn Lãng", subkind: subkindDistrict,
			towns: []string{"Na Sầm"},
			communes: []string{"An Hùng", "Bắc La", "Gia Miễn", "Hoàng Văn Thụ", "Hoàng Việt", "Hội Hoan",
				"Hồng Thái", "Nam La", "Nhạc Kỳ", "Tân Lang", "Tân Mỹ", "Tân Tác", "Tân Thanh", "Tân Việt",
				"Thanh Long", "Thành Hòa", "Thụy Hùng", "Trùng Khánh", "Trùng Quán"}},
		{id: "LS-04", name: "Văn Quan", subkind: subkindDistrict,
			towns: []string{"Văn Quan"},
			communes: []string{"Bình Phúc", "Chu Túc", "Đại An", "Điềm He", "Đồng Giáp", "Hòa Bình",
				"Hữu Lễ", "Khánh Khê", "Lương Năng", "Phú Mỹ", "Song Giang", "Tân Đoàn", "Trấn Ninh",
				"Tràng Các", "Tràng Phái", "Tràng Sơn", "Tri Lễ", "Tú Xuyên", "Văn An", "Việt Yên",
				"Vĩnh Lại", "Xuân Mai", "Yên Phúc"}},
		{id: "LS-05", name: "Bình Gia", subkind: subkindDistrict,
			towns: []string{"Bình Gia"},
			communes: []string{"Bình La", "Hòa Bình", "Hoa Thám", "Hoàng Văn Thụ", "Hồng Phong", "Hồng Thái",
				"Hưng Đạo", "Minh Khai", "Mông Ân", "Quang Trung", "Quý Hòa", "Tân Hòa", "Tân Văn",
				"Thiện Hòa", "Thiện Long", "Thiện Thuật", "Tô Hiệu", "Vĩnh Yên", "Yên Lỗ"}},
		{id: "LS-06", name: "Bắc Sơn", subkind: subkindDistrict,
			towns: []string{"Bắc Sơn"},
			communes: []string{"Bắc Sơn", "Chiến Thắng", "Chiêu Vũ", "Đồng Ý", "Hữu Vĩnh", "Hưng Vũ",
				"Long Đống", "Nhất Hòa", "Nhất Tiến", "Quỳnh Sơn", "Tân Hương", "Tân Lập", "Tân Thành",
				"Tân Tri", "Trấn Yên", "Vạn Thủy", "Vũ Lăng", "Vũ Lễ", "Vũ Sơn"}},
		{id: "LS-07", name: "Hữu Lũng", subkind: subkindDistrict,
			towns: []string{"Hữu Lũng"},
			communes: []string{"Cai Kinh", "Đô Lương", "Đồng Tân", "Đồng Tiến", "Hòa Bình", "Hòa Lạc",
				"Hòa Sơn", "Hòa Thắng", "Hồ Sơn", "Hữu Liên", "Minh Hòa", "Minh Sơn", "Minh Tiến",
				"Nhật Tiến", "Quyết Thắng", "Sơn Hà", "Tân Lập", "Tân Thành", "Thanh Sơn", "Thiện Kỵ",
				"Vân Nham", "Yên Bình", "Yên Sơn", "Yên Thịnh", "Yên Vượng"}},
		{id: "LS-08", name: "Chi Lăng", subkind: subkindDistrict,
			towns: []string{"Đồng Mỏ", "Chi Lăng"},
			communes: []string{"Bắc Thủy", "Bằng Hữu", "Bằng Mạc", "Chi Lăng", "Chiến Thắng", "Gia Lộc",
				"Hòa Bình", "Hữu Kiên", "Lâm Sơn", "Liên Sơn", "Mai Sao", "Nhân Lý", "Quan Sơn",
				"Quang Lang", "Thượng Cường", "Vân An", "Vân Thủy", "Vạn Linh", "Y Tịch"}},
		{id: "LS-09", name: "Cao Lộc", subkind: subkindDistrict,
			towns: []string{"Cao Lộc", "Đồng Đăng"},
			communes: []string{"Bảo Lâm", "Bình Trung", "Cao Lâu", "Công Sơn", "Gia Cát", "Hải Yến",
				"Hòa Cư", "Hồng Phong", "Hợp Thành", "Lộc Yên", "Mẫu Sơn", "Phú Xá", "Song Giáp",
				"Tân Liên", "Tân Thành", "Thạch Đạn", "Thanh Lòa", "Thụy Hùng", "Xuân Long", "Xuất Lễ",
				"Yên Trạch"}},
		{id: "LS-10", name: "Lộc Bình", subkind: subkindDistrict,
			towns: []string{"Lộc Bình", "Na Dương"},
			communes: []string{"Ái Quốc", "Bằng Khánh", "Đồng Bục", "Đông Quan", "Hiệp Hạ", "Hữu Khánh",
				"Hữu Lân", "Khuất Xá", "Lợi Bác", "Lục Thôn", "Mẫu Sơn", "Minh Phát", "Nam Quan",
				"Như Khuê", "Nhượng Bạn", "Quan Bản", "Sàn Viên", "Tam Gia", "Tĩnh Bắc", "Tú Đoạn",
				"Tú Mịch", "Vân Mộng", "Xuân Dương", "Xuân Lễ", "Xuân Mãn", "Xuân Tình", "Yên Khoái"}},
		{id: "LS-11", name: "Đình Lập", subkind: subkindDistrict,
			towns: []string{"Đình Lập", "Nông trường Thái Bình"},
			communes: []string{"Bắc Lãng", "Bắc Xa", "Bính Xá", "Châu Sơn", "Cường Lợi", "Đình Lập",
				"Đồng Thắng", "Kiên Mộc", "Lâm Ca", "Thái Bình"}},
	}
}

// centralName is the name of the central level's unit.
const centralName = "Chính phủ / Hội đồng Thi đua – Khen thưởng Trung ương"

// unitRow is one row of the units table.
type unitRow struct {
	id, parentID, name, level, kind, subkind string
}

// committeeName is the name of the People's Committee of an administrative unit:
// the unit that nominates and decides is the committee, as "UBND tỉnh Lạng Sơn" is.
func committeeName(subkind, name string) string {
	switch subkind {
	case subkindDistrict:
		return "UBND huyện " + name
	case subkindCity:
		return "UBND thành phố " + name
	case subkindCommune:
		return "UBND xã " + name
	case subkindTown:
		return "UBND thị trấn " + name
	case subkindWard:
		return "UBND phường " + name
	case subkindSpecial:
		return "UBND đặc khu " + name
	}
	return name
}

// demoUnits lists the demo organisation parents first: the central level, the
// province, its departments and mass organisations, its 11 district-level units
// and their 226 communes.
func demoUnits() []unitRow {
	rows := []unitRow{
		{Central, "", centralName, levelCentral, "government", ""},
		{Province, Central, "UBND tỉnh Lạng Sơn", levelProvince, "people_committee", subkindProvince},
		{unitHomeAffairs, Province, "Sở Nội vụ (Ban Thi đua – Khen thưởng)", levelProvince, "department", "so"},
		{unitEducation, Province, "Sở Giáo dục và Đào tạo", levelProvince, "department", "so"},
		{unitHealth, Province, "Sở Y tế", levelProvince, "department", "so"},
		{unitFront, Province, "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", levelProvince, "mass_org", ""},
		{unitFarmers, Province, "Hội Nông dân tỉnh", levelProvince, "mass_org", ""},
		{unitWomen, Province, "Hội Liên hiệp Phụ nữ tỉnh", levelProvince, "mass_org", ""},
		{unitYouth, Province, "Tỉnh Đoàn", levelProvince, "mass_org", ""},
	}
	districts := langSonDistricts()
	for _, d := range districts {
		rows = append(rows, unitRow{d.id, Province, committeeName(d.subkind, d.name), levelDistrict, "people_committee", d.subkind})
	}
	for _, d := range districts {
		n := 0
		add := func(names []string, subkind string) {
			for _, name := range names {
				n++
				rows = append(rows, unitRow{communeID(d.id, n), d.id, committeeName(subkind, name), levelCommune, "people_committee", subkind})
			}
		}
		add(d.wards, subkindWard)
		add(d.towns, subkindTown)
		add(d.communes, subkindCommune)
	}
	return rows
}

// communeID is the id of the n-th (1-based) commune of a district, e.g. LS-09-003.
func communeID(districtID string, n int) string {
	return fmt.Sprintf("%s-%03d", districtID, n)
}
