package history

import (
	"fmt"
	"strings"
	"time"

	"github.com/tdkt/tdkt/internal/domain"
)

// key folds a value for lookup: NFC, trimmed, lower case, inner spaces collapsed.
func key(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(Clean(s))), " ")
}

// lookup finds s among the aliases of each value.
func lookup[T ~string](s string, values map[T][]string) (T, bool) {
	k := key(s)
	for v, aliases := range values {
		if k == string(v) {
			return v, true
		}
		for _, a := range aliases {
			if k == a {
				return v, true
			}
		}
	}
	return "", false
}

var kindAliases = map[domain.NomineeKind][]string{
	domain.NomineeIndividual: {"cá nhân", "ca nhan"},
	domain.NomineeCollective: {"tập thể", "tap the"},
	domain.NomineeHousehold:  {"hộ gia đình", "hộ", "ho gia dinh"},
}

// ParseKind reads a subject kind: its code or its Vietnamese name.
func ParseKind(s string) (domain.NomineeKind, bool) { return lookup(s, kindAliases) }

// KindLabel is the Vietnamese name of a subject kind.
func KindLabel(k domain.NomineeKind) string {
	switch k {
	case domain.NomineeIndividual:
		return "Cá nhân"
	case domain.NomineeCollective:
		return "Tập thể"
	case domain.NomineeHousehold:
		return "Hộ gia đình"
	}
	return string(k)
}

var ratingAliases = map[Rating][]string{
	RatingExcellent: {"hoàn thành xuất sắc nhiệm vụ", "hoàn thành xuất sắc", "httxs"},
	RatingGood:      {"hoàn thành tốt nhiệm vụ", "hoàn thành tốt"},
	RatingDone:      {"hoàn thành nhiệm vụ", "hoàn thành"},
	RatingNotDone:   {"không hoàn thành nhiệm vụ", "không hoàn thành", "khtnv"},
}

// ParseRating reads a task rating: its code (htxs, htt, ht, kht, any case) or its
// Vietnamese name.
func ParseRating(s string) (Rating, bool) { return lookup(s, ratingAliases) }

var awardKindAliases = map[AwardKind][]string{
	AwardMerit:         {"thường xuyên", "công trạng", "theo công trạng và thành tích"},
	AwardExtraordinary: {"đột xuất"},
	AwardMovement:      {"chuyên đề", "theo đợt", "theo đợt, chuyên đề", "phong trào", "thematic"},
	AwardLongService:   {"cống hiến", "quá trình cống hiến"},
	AwardSeniority:     {"niên hạn"},
	AwardForeign:       {"đối ngoại"},
}

// ParseAwardKind reads an award kind: its code or its Vietnamese name.
func ParseAwardKind(s string) (AwardKind, bool) { return lookup(s, awardKindAliases) }

var scopeAliases = map[Scope][]string{
	ScopeGrassroots: {"cấp cơ sở", "cơ sở"},
	ScopeProvince:   {"cấp tỉnh, bộ", "cấp tỉnh", "cấp bộ", "tỉnh", "bộ", "cấp tỉnh/bộ", "tỉnh, bộ", "tỉnh/bộ"},
	ScopeNational:   {"toàn quốc", "cấp toàn quốc"},
}

// ParseScope reads an initiative scope: its code or its Vietnamese name.
func ParseScope(s string) (Scope, bool) { return lookup(s, scopeAliases) }

var holdAliases = map[HoldKind][]string{
	HoldDiscipline:    {"kỷ luật", "ky luat"},
	HoldInvestigation: {"điều tra", "điều tra, truy tố"},
	HoldInspection:    {"thanh tra, kiểm tra", "thanh tra", "kiểm tra"},
	HoldComplaint:     {"khiếu nại, tố cáo", "khiếu nại", "tố cáo"},
}

// ParseHoldKind reads a hold kind: its code or its Vietnamese name.
func ParseHoldKind(s string) (HoldKind, bool) { return lookup(s, holdAliases) }

var levelAliases = map[string][]string{
	"commune":  {"xã", "cấp xã"},
	"district": {"huyện", "cấp huyện"},
	"province": {"tỉnh", "cấp tỉnh"},
	"central":  {"trung ương", "cấp trung ương"},
}

// ParseLevel reads an administrative level: its code or its Vietnamese name. An
// empty value is accepted as "not given".
func ParseLevel(s string) (string, bool) {
	if key(s) == "" {
		return "", true
	}
	return lookup(s, levelAliases)
}

// LevelLabel is the Vietnamese name of a level code.
func LevelLabel(code string) string {
	if a, ok := levelAliases[code]; ok {
		return a[0]
	}
	return code
}

// dateLayouts are the accepted date forms: ISO, and the day-first forms written in
// Vietnamese documents.
var dateLayouts = []string{DateLayout, "02/01/2006", "2/1/2006", "02-01-2006", "2-1-2006", "02.01.2006"}

// ParseDate reads a date written as yyyy-mm-dd or day first (dd/mm/yyyy).
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			if t.Year() < 1900 || t.Year() > 2200 {
				return time.Time{}, fmt.Errorf("date %q is out of range", s)
			}
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date (dd/mm/yyyy)", s)
}

// FormatDate writes a yyyy-mm-dd date day first, as Vietnamese documents do; other
// values are returned unchanged.
func FormatDate(iso string) string {
	t, err := time.Parse(DateLayout, iso)
	if err != nil {
		return iso
	}
	return t.Format("02/01/2006")
}
