package seed

import "github.com/tdkt/tdkt/internal/domain"

// demoUser is a demo account holding one role in one unit. The home unit is where
// the person works (users.unit_id); the role unit is where the role applies
// (role_assignments.unit_id): a department director sits on the provincial council,
// so the home is the department and the role is held at the province.
type demoUser struct {
	username, fullName, role, roleUnit, homeUnit string
}

// demoUsers lists one account per role at the demo commune, district and province,
// the provincial council (Hội đồng Thi đua – Khen thưởng tỉnh), the central
// appraiser and decider, and a clerk of a commune in another district so that
// authorization tests have someone outside the demo subtree.
//
// In a real People's Committee the chair both decides and chairs the council; the
// demo gives each role its own account so that each can be exercised on its own.
func demoUsers() []demoUser {
	return []demoUser{
		// Commune: UBND xã Bảo Lâm, huyện Cao Lộc.
		{"xa.clerk", "Hoàng Thị Lan", domain.RoleClerk, DemoCommune, DemoCommune},
		{"xa.head", "Nông Văn Thắng", domain.RoleUnitHead, DemoCommune, DemoCommune},
		{"xa.appraiser", "Lương Thị Hoa", domain.RoleAppraiser, DemoCommune, DemoCommune},
		{"xa.council_member", "Vi Văn Quý", domain.RoleCouncilMember, DemoCommune, DemoCommune},
		{"xa.council_secretary", "Lộc Thị Mai", domain.RoleCouncilSecretary, DemoCommune, DemoCommune},
		{"xa.council_chair", "Hà Văn Dũng", domain.RoleCouncilChair, DemoCommune, DemoCommune},
		{"xa.decider", "Chu Văn Hải", domain.RoleDecider, DemoCommune, DemoCommune},

		// District: UBND huyện Cao Lộc; the appraiser stands for its Phòng Nội vụ.
		{"huyen.clerk", "Lăng Thị Hương", domain.RoleClerk, DemoDistrict, DemoDistrict},
		{"huyen.head", "Triệu Văn Bình", domain.RoleUnitHead, DemoDistrict, DemoDistrict},
		{"huyen.appraiser", "Mã Thị Thu", domain.RoleAppraiser, DemoDistrict, DemoDistrict},
		{"huyen.council_member", "Dương Văn Hùng", domain.RoleCouncilMember, DemoDistrict, DemoDistrict},
		{"huyen.council_secretary", "Lành Thị Nga", domain.RoleCouncilSecretary, DemoDistrict, DemoDistrict},
		{"huyen.council_chair", "Hoàng Văn Minh", domain.RoleCouncilChair, DemoDistrict, DemoDistrict},
		{"huyen.decider", "Nông Đức Toàn", domain.RoleDecider, DemoDistrict, DemoDistrict},

		// Province: UBND tỉnh Lạng Sơn. The standing body is the Ban Thi đua – Khen
		// thưởng of Sở Nội vụ, so the appraiser and the council secretary work there.
		{"tinh.clerk", "Nguyễn Thị Thanh Huyền", domain.RoleClerk, Province, Province},
		{"tinh.head", "Đinh Văn Trường", domain.RoleUnitHead, Province, Province},
		{"tinh.appraiser", "Vi Thị Hạnh", domain.RoleAppraiser, Province, unitHomeAffairs},
		{"tinh.decider", "Phạm Thị Ngọc Ánh", domain.RoleDecider, Province, Province}, // signs "KT. Chủ tịch – Phó Chủ tịch"
		{"tinh.admin", "Lê Quang Vinh", domain.RoleAdmin, Province, unitHomeAffairs},
		{"tinh.auditor", "Phan Thị Yến", domain.RoleAuditor, Province, Province},

		// The provincial council: chaired by the chair of the People's Committee, with
		// the Director of Home Affairs as standing vice-chair, members from departments
		// and mass organisations, and the head of the Ban TĐKT as secretary.
		{"tinh.council_chair", "Lộc Văn Khang", domain.RoleCouncilChair, Province, Province},
		{"tinh.council_vice", "Hà Minh Đức", domain.RoleCouncilMember, Province, unitHomeAffairs},
		{"tinh.council_secretary", "Lương Văn Tuấn", domain.RoleCouncilSecretary, Province, unitHomeAffairs},
		{"tinh.council_member", "Trần Văn Long", domain.RoleCouncilMember, Province, unitEducation},
		{"tinh.council_member2", "Nông Thị Thúy", domain.RoleCouncilMember, Province, unitHealth},
		{"tinh.council_member3", "Hoàng Văn Sơn", domain.RoleCouncilMember, Province, unitFront},
		{"tinh.council_member4", "Chu Văn Lợi", domain.RoleCouncilMember, Province, unitFarmers},
		{"tinh.council_member5", "Lăng Thị Phương", domain.RoleCouncilMember, Province, unitWomen},
		{"tinh.council_member6", "Vi Văn Kiên", domain.RoleCouncilMember, Province, unitYouth},
		{"tinh.council_member7", "Đặng Văn Hòa", domain.RoleCouncilMember, Province, Province},

		// Central: the Ban Thi đua – Khen thưởng Trung ương appraises, the Government decides.
		{"tw.appraiser", "Nguyễn Văn Thành", domain.RoleAppraiser, Central, Central},
		{"tw.decider", "Trần Quốc Bảo", domain.RoleDecider, Central, Central},
		{"tw.admin", "Đỗ Thị Minh Châu", domain.RoleAdmin, Central, Central}, // national calendar, time limits, base salary

		// A clerk in UBND xã Ái Quốc, huyện Lộc Bình: outside the demo district.
		{"xa2.clerk", "Triệu Thị Dung", domain.RoleClerk, OtherCommune, OtherCommune},
	}
}
