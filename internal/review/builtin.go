package review

// Codes of the templates every installation starts with; the seed stores them as data
// (review_templates), where administrators add their own.
const (
	// Template1258 is the template of the Prime Minister's movement of Decision
	// 1258/QĐ-TTg, "Cả nước chung tay vì người nghèo – Không để ai bị bỏ lại phía sau",
	// with the indicators of Lạng Sơn's mid-term review report.
	Template1258 = "PT1258"
	// TemplateGeneral is a general review: the narrative sections and the awards.
	TemplateGeneral = "SO_KET_CHUNG"
)

// Codes of the narrative sections both built-in templates share.
const (
	SectionSituation    = "tinh_hinh"
	SectionCoordination = "phoi_hop"
	SectionResults      = "ket_qua"
	SectionAssessment   = "danh_gia"
	SectionLimitations  = "han_che"
	SectionNextTasks    = "nhiem_vu"
	SectionProposals    = "de_xuat"
)

func decimals(d int) *int { return &d }

// sections are the narrative sections of a review report, in the order the seed
// report has them.
func sections() []Indicator {
	const g = "Nội dung báo cáo"
	return []Indicator{
		{Code: SectionSituation, Name: "Đặc điểm, tình hình", Kind: Text, Group: g},
		{Code: SectionCoordination, Name: "Công tác phối hợp thực hiện", Kind: Text, Group: g},
		{Code: SectionResults, Name: "Kết quả thực hiện", Kind: Text, Group: g},
		{Code: SectionAssessment, Name: "Đánh giá chung", Kind: Text, Group: g},
		{Code: SectionLimitations, Name: "Hạn chế và nguyên nhân", Kind: Text, Group: g},
		{Code: SectionNextTasks, Name: "Nhiệm vụ, giải pháp thời gian tới", Kind: Text, Group: g},
		{Code: SectionProposals, Name: "Đề xuất, kiến nghị", Kind: Text, Group: g},
	}
}

// awardIndicators count the provincial and Prime Minister's Bằng khen by nominee kind.
func awardIndicators() []Indicator {
	const g = "Khen thưởng phong trào"
	return []Indicator{
		{Code: "bk_tinh_tap_the", Name: "Tập thể được tặng Bằng khen của Chủ tịch UBND tỉnh", Kind: Award, Group: g, Unit: "tập thể", AwardCode: "BK_TINH", NomineeKind: "collective"},
		{Code: "bk_tinh_ca_nhan", Name: "Cá nhân được tặng Bằng khen của Chủ tịch UBND tỉnh", Kind: Award, Group: g, Unit: "cá nhân", AwardCode: "BK_TINH", NomineeKind: "individual"},
		{Code: "bk_ttg_tap_the", Name: "Tập thể được tặng Bằng khen của Thủ tướng Chính phủ", Kind: Award, Group: g, Unit: "tập thể", AwardCode: "BK_TTG", NomineeKind: "collective"},
		{Code: "bk_ttg_ca_nhan", Name: "Cá nhân được tặng Bằng khen của Thủ tướng Chính phủ", Kind: Award, Group: g, Unit: "cá nhân", AwardCode: "BK_TTG", NomineeKind: "individual"},
	}
}

// Builtin returns the templates every installation starts with.
func Builtin() []Template {
	const (
		poverty = "Kết quả giảm nghèo"
		social  = "An sinh xã hội"
		rural   = "Xây dựng nông thôn mới"
		fund    = "Cuộc vận động “Ngày vì người nghèo”"
	)
	ind1258 := []Indicator{
		{Code: "so_ho_dau_ky", Name: "Tổng số hộ dân đầu kỳ (31/12/2016)", Kind: Count, Group: poverty, Unit: "hộ"},
		{Code: "so_ho_ngheo_dau_ky", Name: "Số hộ nghèo đầu kỳ (31/12/2016)", Kind: Count, Group: poverty, Unit: "hộ"},
		{Code: "ty_le_ho_ngheo_dau_ky", Name: "Tỷ lệ hộ nghèo đầu kỳ", Kind: Percent, Group: poverty, Unit: "%", Numerator: "so_ho_ngheo_dau_ky", Denominator: "so_ho_dau_ky"},
		{Code: "so_ho", Name: "Tổng số hộ dân (31/12/2017)", Kind: Count, Group: poverty, Unit: "hộ"},
		{Code: "so_ho_ngheo", Name: "Số hộ nghèo (31/12/2017)", Kind: Count, Group: poverty, Unit: "hộ"},
		{Code: "ty_le_ho_ngheo", Name: "Tỷ lệ hộ nghèo (31/12/2017)", Kind: Percent, Group: poverty, Unit: "%", Numerator: "so_ho_ngheo", Denominator: "so_ho"},
		{Code: "so_ho_can_ngheo", Name: "Số hộ cận nghèo (31/12/2017)", Kind: Count, Group: poverty, Unit: "hộ"},
		{Code: "ty_le_ho_can_ngheo", Name: "Tỷ lệ hộ cận nghèo (31/12/2017)", Kind: Percent, Group: poverty, Unit: "%", Numerator: "so_ho_can_ngheo", Denominator: "so_ho"},
		{Code: "giam_ty_le_ho_ngheo_2017", Name: "Mức giảm tỷ lệ hộ nghèo năm 2017", Kind: PointChange, Group: poverty, Unit: "điểm %", From: "ty_le_ho_ngheo_dau_ky", To: "ty_le_ho_ngheo", Decimals: decimals(1)},
		{Code: "so_ho_6t2018", Name: "Tổng số hộ dân (30/6/2018)", Kind: Count, Group: poverty, Unit: "hộ"},
		{Code: "so_ho_ngheo_6t2018", Name: "Số hộ nghèo (30/6/2018)", Kind: Count, Group: poverty, Unit: "hộ"},
		{Code: "ty_le_ho_ngheo_6t2018", Name: "Tỷ lệ hộ nghèo (30/6/2018)", Kind: Percent, Group: poverty, Unit: "%", Numerator: "so_ho_ngheo_6t2018", Denominator: "so_ho_6t2018"},
		{Code: "giam_ty_le_ho_ngheo_6t2018", Name: "Mức giảm tỷ lệ hộ nghèo 6 tháng đầu năm 2018", Kind: PointChange, Group: poverty, Unit: "điểm %", From: "ty_le_ho_ngheo", To: "ty_le_ho_ngheo_6t2018", Decimals: decimals(1)},
		{Code: "so_ho_thoat_ngheo_6t2018", Name: "Số hộ thoát nghèo 6 tháng đầu năm 2018", Kind: Count, Group: poverty, Unit: "hộ"},

		{Code: "dan_so", Name: "Dân số", Kind: Count, Group: social, Unit: "người"},
		{Code: "so_nguoi_bhyt", Name: "Số người tham gia bảo hiểm y tế", Kind: Count, Group: social, Unit: "người"},
		{Code: "ty_le_bhyt", Name: "Tỷ lệ người dân tham gia bảo hiểm y tế", Kind: Percent, Group: social, Unit: "%", Numerator: "so_nguoi_bhyt", Denominator: "dan_so", Decimals: decimals(1)},
		{Code: "so_lao_dong", Name: "Số người trong độ tuổi lao động (năm 2017)", Kind: Count, Group: social, Unit: "người"},
		{Code: "so_lao_dong_qua_dao_tao", Name: "Số lao động qua đào tạo (năm 2017)", Kind: Count, Group: social, Unit: "người"},
		{Code: "ty_le_lao_dong_qua_dao_tao", Name: "Tỷ lệ lao động qua đào tạo (năm 2017)", Kind: Percent, Group: social, Unit: "%", Numerator: "so_lao_dong_qua_dao_tao", Denominator: "so_lao_dong", Decimals: decimals(1)},
		{Code: "so_nhan_khau_cuu_doi", Name: "Số nhân khẩu thiếu đói giáp hạt được trợ giúp", Kind: Count, Group: social, Unit: "người"},
		{Code: "gao_cuu_doi", Name: "Gạo trợ giúp cứu đói", Kind: Count, Group: social, Unit: "tấn"},

		{Code: "so_xa_dat_chuan_ntm", Name: "Số xã đạt chuẩn nông thôn mới (lũy kế)", Kind: Count, Group: rural, Unit: "xã"},
		{Code: "so_xa_dat_chuan_ntm_2017", Name: "Số xã được công nhận đạt chuẩn nông thôn mới năm 2017", Kind: Count, Group: rural, Unit: "xã"},

		{Code: "quy_vi_nguoi_ngheo", Name: "Số tiền vận động Quỹ “Vì người nghèo”", Kind: Money, Group: fund, Unit: "đồng"},
		{Code: "nha_xay_moi", Name: "Nhà Đại đoàn kết xây mới cho hộ nghèo", Kind: Count, Group: fund, Unit: "căn"},
		{Code: "nha_sua_chua", Name: "Nhà Đại đoàn kết được sửa chữa", Kind: Count, Group: fund, Unit: "căn"},
		{Code: "suat_qua_tet", Name: "Suất quà Tết cho người nghèo", Kind: Count, Group: fund, Unit: "suất"},
		{Code: "ho_ngheo_kham_chua_benh", Name: "Hộ nghèo được hỗ trợ khám, chữa bệnh", Kind: Count, Group: fund, Unit: "hộ"},
		{Code: "hoc_sinh_ngheo", Name: "Học sinh nghèo được trợ giúp đi học", Kind: Count, Group: fund, Unit: "học sinh"},
		{Code: "ho_ngheo_ho_tro_san_xuat", Name: "Hộ nghèo được hỗ trợ sản xuất", Kind: Count, Group: fund, Unit: "hộ"},
	}
	ind1258 = append(ind1258, awardIndicators()...)
	ind1258 = append(ind1258, sections()...)

	general := append(awardIndicators(), sections()...)
	return []Template{
		{Code: Template1258, Name: "Sơ kết, tổng kết phong trào thi đua “Cả nước chung tay vì người nghèo – Không để ai bị bỏ lại phía sau” (Quyết định 1258/QĐ-TTg)", Indicators: ind1258},
		{Code: TemplateGeneral, Name: "Sơ kết, tổng kết phong trào thi đua (mẫu chung)", Indicators: general},
	}
}
