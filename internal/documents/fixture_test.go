package documents

import (
	"time"
)

var vn = time.FixedZone("ICT", 7*3600)

func amount(v int64) *int64 { return &v }

// sampleDecision is a commune chair's Giấy khen decision as tdkt issues it.
func sampleDecision() Decision {
	return Decision{
		Header: Header{Superior: "", Issuer: "Ủy ban nhân dân xã Hoàng Văn Thụ", Number: "12/QĐ-UBND", Place: "Hoàng Văn Thụ",
			Date: time.Date(2026, 12, 5, 9, 30, 0, 0, vn)},
		Code:      "K7QD-4M2X",
		VerifyURL: "https://tdkt.example.vn/verify/K7QD-4M2X",
		Summary:   "Về việc tặng Giấy khen",
		Authority: "Chủ tịch Ủy ban nhân dân xã Hoàng Văn Thụ",
		Bases: []string{
			"Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025",
			"Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",
			"Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng",
			"Nghị định số 129/2025/NĐ-CP ngày 11 tháng 6 năm 2025 của Chính phủ quy định việc phân định thẩm quyền của chính quyền địa phương 02 cấp trong lĩnh vực quản lý nhà nước của Bộ Nội vụ",
		},
		Proposal:    "đề nghị của Trưởng thôn Nà Lốc tại Tờ trình số 3/TTr-TNL ngày 01 tháng 12 năm 2026 và kết quả xét của Hội đồng Thi đua - Khen thưởng xã tại Biên bản số 2/BB-HĐTĐKT ngày 03 tháng 12 năm 2026",
		Award:       "Giấy khen của Chủ tịch Ủy ban nhân dân xã",
		Achievement: "xuất sắc trong phong trào thi đua xây dựng nông thôn mới năm 2026",
		Awardees: []Awardee{
			{Name: "Nguyễn Thị Hường", Position: "Chi hội trưởng Chi hội Phụ nữ thôn Nà Lốc", Kind: "Cá nhân", Award: "Giấy khen", Amount: amount(702000)},
			{Name: "Hoàng Văn Đức", Position: "Trưởng thôn Khòn Khuyên", Kind: "Cá nhân", Award: "Giấy khen", Amount: amount(702000)},
			{Name: "Hộ ông Lường Văn Sáng", Position: "Thôn Nà Lốc", Kind: "Hộ gia đình", Award: "Giấy khen", Amount: amount(1053000)},
			{Name: "Tổ dân phố số 4", Position: "", Kind: "Tập thể", Award: "Giấy khen", Amount: amount(1404000)},
		},
		Multiplier: "0,3", BaseSalary: 2340000, BaseSalarySource: "Nghị định số 73/2024/NĐ-CP",
		Fund:       "Quỹ thi đua, khen thưởng của xã",
		Executors:  "Chánh Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã, Trưởng thôn Nà Lốc",
		Recipients: []string{"Như Điều 3;", "Chủ tịch, các PCT UBND xã;", "Lưu: VT, VHXH."},
		Signature:  Signature{Authority: "KT.", For: "Chủ tịch", Title: "Phó Chủ tịch", Name: "Lộc Văn Thành"},
	}
}
