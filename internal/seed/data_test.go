package seed

import (
	"slices"
	"testing"

	"github.com/tdkt/tdkt/internal/domain"
)

func TestLangSonMatchesTheReport(t *testing.T) {
	// The report: "10 huyện và 01 thành phố với 226 xã, phường, thị trấn (207 xã,
	// 14 thị trấn, 05 phường)".
	var huyen, thanhPho int
	counts := map[string]int{}
	for _, d := range langSonDistricts() {
		switch d.subkind {
		case subkindDistrict:
			huyen++
		case subkindCity:
			thanhPho++
		default:
			t.Errorf("district %s has subkind %q", d.id, d.subkind)
		}
		counts[subkindCommune] += len(d.communes)
		counts[subkindTown] += len(d.towns)
		counts[subkindWard] += len(d.wards)
	}
	if huyen != 10 || thanhPho != 1 {
		t.Errorf("got %d huyện and %d thành phố, want 10 and 1", huyen, thanhPho)
	}
	want := map[string]int{subkindCommune: 207, subkindTown: 14, subkindWard: 5}
	for k, n := range want {
		if counts[k] != n {
			t.Errorf("%s: got %d, want %d", k, counts[k], n)
		}
	}
	if total := counts[subkindCommune] + counts[subkindTown] + counts[subkindWard]; total != 226 {
		t.Errorf("got %d communes in all, want 226", total)
	}
}

func TestDistrictsHaveTheirRealNames(t *testing.T) {
	want := []string{"UBND thành phố Lạng Sơn", "UBND huyện Tràng Định", "UBND huyện Văn Lãng",
		"UBND huyện Văn Quan", "UBND huyện Bình Gia", "UBND huyện Bắc Sơn", "UBND huyện Hữu Lũng",
		"UBND huyện Chi Lăng", "UBND huyện Cao Lộc", "UBND huyện Lộc Bình", "UBND huyện Đình Lập"}
	var got []string
	for _, u := range demoUnits() {
		if u.level == levelDistrict {
			got = append(got, u.name)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("district-level units:\n got %q\nwant %q", got, want)
	}
}

func TestTheFiveWardsAreInTheCity(t *testing.T) {
	var wards []string
	for _, u := range demoUnits() {
		if u.subkind == subkindWard {
			if u.parentID != "LS-01" {
				t.Errorf("ward %s (%s) is under %s, want LS-01", u.id, u.name, u.parentID)
			}
			wards = append(wards, u.name)
		}
	}
	want := []string{"UBND phường Chi Lăng", "UBND phường Đông Kinh", "UBND phường Hoàng Văn Thụ",
		"UBND phường Tam Thanh", "UBND phường Vĩnh Trại"}
	if !slices.Equal(wards, want) {
		t.Errorf("wards: got %q, want %q", wards, want)
	}
}

func TestUnitTreeIsWellFormed(t *testing.T) {
	units := demoUnits()
	byID := map[string]unitRow{}
	rank := map[string]int{}
	for _, l := range levelRows() {
		rank[l.code] = l.rank
	}
	for _, u := range units {
		if _, dup := byID[u.id]; dup {
			t.Errorf("unit id %s appears twice", u.id)
		}
		if _, ok := rank[u.level]; !ok {
			t.Errorf("unit %s has unknown level %q", u.id, u.level)
		}
		if u.parentID == "" {
			if u.id != Central {
				t.Errorf("unit %s has no parent", u.id)
			}
		} else {
			p, ok := byID[u.parentID]
			switch {
			case !ok:
				t.Errorf("unit %s: parent %s is not listed before it", u.id, u.parentID)
			case u.subkind == subkindCommune || u.subkind == subkindTown || u.subkind == subkindWard:
				if p.level != levelDistrict {
					t.Errorf("commune %s has a parent of level %s", u.id, p.level)
				}
			case rank[p.level] < rank[u.level]:
				t.Errorf("unit %s (%s) is under %s of a lower level", u.id, u.level, p.id)
			}
		}
		byID[u.id] = u
	}
	for _, id := range []string{Central, Province, DemoDistrict, DemoCommune, OtherDistrict, OtherCommune,
		unitHomeAffairs, unitEducation, unitHealth, unitFront, unitFarmers, unitWomen, unitYouth} {
		if _, ok := byID[id]; !ok {
			t.Errorf("unit %s is not seeded", id)
		}
	}
}

func TestExportedUnitsAreWhereTheTestsExpectThem(t *testing.T) {
	byID := map[string]unitRow{}
	for _, u := range demoUnits() {
		byID[u.id] = u
	}
	tests := []struct {
		id, parent, level, name string
	}{
		{Central, "", levelCentral, "Chính phủ / Hội đồng Thi đua – Khen thưởng Trung ương"},
		{Province, Central, levelProvince, "UBND tỉnh Lạng Sơn"},
		{DemoDistrict, Province, levelDistrict, "UBND huyện Cao Lộc"},
		{DemoCommune, DemoDistrict, levelCommune, "UBND xã Bảo Lâm"},
		{OtherDistrict, Province, levelDistrict, "UBND huyện Lộc Bình"},
		{OtherCommune, OtherDistrict, levelCommune, "UBND xã Ái Quốc"},
	}
	for _, tt := range tests {
		u := byID[tt.id]
		if u.parentID != tt.parent || u.level != tt.level || u.name != tt.name {
			t.Errorf("unit %s = %+v, want parent %q, level %q, name %q", tt.id, u, tt.parent, tt.level, tt.name)
		}
	}
}

func TestAwardCatalogueIsConsistent(t *testing.T) {
	seen := map[string]bool{}
	var unset []string
	for _, a := range awardCatalogue() {
		if seen[a.code] {
			t.Errorf("award %s appears twice", a.code)
		}
		seen[a.code] = true
		if a.category != categoryTitle && a.category != categoryCommendation {
			t.Errorf("award %s has category %q", a.code, a.category)
		}
		if len(a.kinds) == 0 {
			t.Errorf("award %s has no nominee kinds", a.code)
		}
		for _, k := range a.kinds {
			if !slices.Contains([]string{kindIndividual, kindCollective, kindHousehold, kindVillage}, k) {
				t.Errorf("award %s has nominee kind %q", a.code, k)
			}
		}
		if a.bonus == nil {
			unset = append(unset, a.code)
		}
	}
	want := []string{"LDTT", "CSTDCS", "CSTD_TINH", "CSTD_TQ", "TTLDTT", "TTLDXS", "CO_TINH", "CO_CP", "GK",
		"BK_TINH", "BK_TTG", "HCLD_3", "HCLD_2", "HCLD_1", "GDVH", "THON_VH"}
	for _, code := range want {
		if !seen[code] {
			t.Errorf("award %s is missing", code)
		}
	}
	if len(seen) != len(want) {
		t.Errorf("got %d awards, want %d", len(seen), len(want))
	}
	// DOMAIN.md §2 leaves these to configuration.
	if wantUnset := []string{"BK_TINH", "BK_TTG", "HCLD_3", "HCLD_2", "HCLD_1", "GDVH"}; !slices.Equal(unset, wantUnset) {
		t.Errorf("awards without a multiplier: got %v, want %v", unset, wantUnset)
	}
}

func TestAuthorityMatrix(t *testing.T) {
	awards := map[string]bool{}
	for _, a := range awardCatalogue() {
		awards[a.code] = true
	}
	rank := map[string]int{}
	for _, l := range levelRows() {
		rank[l.code] = l.rank
	}
	// decides[award, submitter, shape]: the shape is "before" (2025-06-30) or "after" (2025-07-01).
	decides := map[[3]string]string{}
	for _, r := range authorityRules() {
		if !awards[r.award] {
			t.Errorf("rule for unknown award %s", r.award)
		}
		if rank[r.submitter] == 0 || rank[r.decision] == 0 {
			t.Errorf("rule %+v has an unknown level", r)
		}
		if rank[r.decision] < rank[r.submitter] {
			t.Errorf("rule %+v decides below the submitter", r)
		}
		for shape, day := range map[string]string{"before": "2025-06-30", "after": "2025-07-01"} {
			if r.validFrom > day || (r.validTo != "" && day >= r.validTo) {
				continue
			}
			key := [3]string{r.award, r.submitter, shape}
			if _, dup := decides[key]; dup {
				t.Errorf("two rules for %s from %s %s the reform", r.award, r.submitter, shape)
			}
			decides[key] = r.decision
		}
	}
	tests := []struct{ award, submitter, before, after string }{
		{"GK", levelCommune, levelDistrict, levelCommune},
		{"GK", levelDistrict, levelDistrict, ""},
		{"GK", levelProvince, levelProvince, levelProvince},
		{"BK_TINH", levelCommune, levelProvince, levelProvince},
		{"BK_TINH", levelDistrict, levelProvince, ""},
		{"BK_TINH", levelProvince, levelProvince, levelProvince},
		{"BK_TTG", levelCommune, levelCentral, levelCentral},
		{"BK_TTG", levelCentral, levelCentral, levelCentral},
		{"CSTD_TQ", levelDistrict, levelCentral, ""},
		{"CO_CP", levelProvince, levelCentral, levelCentral},
		{"HCLD_1", levelCommune, levelCentral, levelCentral},
		{"HCLD_2", levelProvince, levelCentral, levelCentral},
		{"HCLD_3", levelDistrict, levelCentral, ""},
		{"CSTD_TINH", levelDistrict, levelProvince, ""},
		{"TTLDXS", levelCommune, levelProvince, levelProvince},
		{"CO_TINH", levelProvince, levelProvince, levelProvince},
		{"LDTT", levelCommune, levelCommune, levelCommune},
		{"CSTDCS", levelCommune, levelDistrict, levelCommune},
		{"TTLDTT", levelCommune, levelDistrict, levelCommune},
		{"GDVH", levelCommune, levelCommune, levelCommune},
		{"THON_VH", levelCommune, levelDistrict, levelCommune},
		{"LDTT", levelProvince, "", ""},    // no rule: a province does not propose LĐTT upwards
		{"GK", levelCentral, "", ""},       // no rule
		{"THON_VH", levelDistrict, "", ""}, // villages are proposed by their commune
	}
	for _, tt := range tests {
		if got := decides[[3]string{tt.award, tt.submitter, "before"}]; got != tt.before {
			t.Errorf("%s from %s before the reform: decided at %q, want %q", tt.award, tt.submitter, got, tt.before)
		}
		if got := decides[[3]string{tt.award, tt.submitter, "after"}]; got != tt.after {
			t.Errorf("%s from %s after the reform: decided at %q, want %q", tt.award, tt.submitter, got, tt.after)
		}
	}
}

func TestDemoUsersCoverEveryRole(t *testing.T) {
	units := map[string]unitRow{}
	for _, u := range demoUnits() {
		units[u.id] = u
	}
	seen := map[string]bool{}
	rolesAt := map[string][]string{}
	for _, u := range demoUsers() {
		if seen[u.username] {
			t.Errorf("username %s appears twice", u.username)
		}
		seen[u.username] = true
		for _, r := range u.username {
			if r > 127 {
				t.Errorf("username %q is not ASCII", u.username)
				break
			}
		}
		if !slices.Contains(domain.AllRoles, u.role) {
			t.Errorf("user %s has unknown role %q", u.username, u.role)
		}
		if _, ok := units[u.roleUnit]; !ok {
			t.Errorf("user %s holds a role in unknown unit %s", u.username, u.roleUnit)
		}
		if _, ok := units[u.homeUnit]; !ok {
			t.Errorf("user %s works in unknown unit %s", u.username, u.homeUnit)
		}
		if u.fullName == "" {
			t.Errorf("user %s has no name", u.username)
		}
		rolesAt[u.roleUnit] = append(rolesAt[u.roleUnit], u.role)
	}
	workflowRoles := []string{domain.RoleClerk, domain.RoleUnitHead, domain.RoleAppraiser, domain.RoleCouncilMember,
		domain.RoleCouncilSecretary, domain.RoleCouncilChair, domain.RoleDecider}
	for _, unit := range []string{DemoCommune, DemoDistrict, Province} {
		for _, role := range workflowRoles {
			if !slices.Contains(rolesAt[unit], role) {
				t.Errorf("nobody holds %s in %s", role, unit)
			}
		}
	}
	for _, role := range []string{domain.RoleAdmin, domain.RoleAuditor} {
		if !slices.Contains(rolesAt[Province], role) {
			t.Errorf("nobody holds %s in %s", role, Province)
		}
	}
	for _, role := range []string{domain.RoleAppraiser, domain.RoleDecider} {
		if !slices.Contains(rolesAt[Central], role) {
			t.Errorf("nobody holds %s at the central level", role)
		}
	}
	if !slices.Contains(rolesAt[OtherCommune], domain.RoleClerk) {
		t.Errorf("no clerk in the other commune %s", OtherCommune)
	}
	// The provincial council: a chair, a standing vice-chair and seven members, and a secretary.
	var members int
	for _, r := range rolesAt[Province] {
		if r == domain.RoleCouncilMember {
			members++
		}
	}
	if members < 8 {
		t.Errorf("the provincial council has %d members besides its chair, want at least 8", members)
	}
}
