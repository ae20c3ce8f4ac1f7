// Package history holds the award history (lịch sử thi đua, khen thưởng) of the
// people, collectives and households that units nominate: who they are (subjects),
// their yearly task ratings, the titles and commendations they received, their
// recognised initiatives and their discipline and investigation periods. These are
// the facts the eligibility rules read. The package is pure: it validates and
// describes the records; internal/awards keeps them and internal/importer reads and
// writes them as spreadsheets.
package history

import (
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/tdkt/tdkt/internal/domain"
)

// Subject is a person, collective or household whose history is kept (đối tượng).
// Its identity is the code its unit assigns — the citizen identity number (số CCCD)
// of a person or an internal code — unique within the unit.
type Subject struct {
	ID           int64              `json:"id"`
	UnitID       string             `json:"unit_id"`
	Code         string             `json:"code"`
	Kind         domain.NomineeKind `json:"kind"`
	Name         string             `json:"name"`
	JobTitle     string             `json:"job_title,omitempty"`
	Organisation string             `json:"organisation,omitempty"`
	CreatedAt    time.Time          `json:"created_at"`
	UpdatedAt    time.Time          `json:"updated_at"`
}

// Rating is a yearly task rating (xếp loại mức độ hoàn thành nhiệm vụ).
type Rating string

// Task ratings, best first.
const (
	RatingExcellent Rating = "htxs" // hoàn thành xuất sắc nhiệm vụ
	RatingGood      Rating = "htt"  // hoàn thành tốt nhiệm vụ
	RatingDone      Rating = "ht"   // hoàn thành nhiệm vụ
	RatingNotDone   Rating = "kht"  // không hoàn thành nhiệm vụ
)

// Ratings lists the ratings best first.
var Ratings = []Rating{RatingExcellent, RatingGood, RatingDone, RatingNotDone}

// Rank orders ratings: higher is better; 0 for an unknown rating.
func (r Rating) Rank() int {
	switch r {
	case RatingExcellent:
		return 4
	case RatingGood:
		return 3
	case RatingDone:
		return 2
	case RatingNotDone:
		return 1
	}
	return 0
}

// Valid reports whether r is a known rating.
func (r Rating) Valid() bool { return r.Rank() > 0 }

// Label is the rating's Vietnamese name, as documents and spreadsheets write it.
func (r Rating) Label() string {
	switch r {
	case RatingExcellent:
		return "Hoàn thành xuất sắc nhiệm vụ"
	case RatingGood:
		return "Hoàn thành tốt nhiệm vụ"
	case RatingDone:
		return "Hoàn thành nhiệm vụ"
	case RatingNotDone:
		return "Không hoàn thành nhiệm vụ"
	}
	return string(r)
}

// AwardKind says on what basis an award was given (Law art. 8). Only merit awards
// of the annual round count toward the prerequisite chains of merit titles.
type AwardKind string

// Award kinds.
// The values are those of a dossier's kind (domain.NominationKind), plus seniority.
const (
	AwardMerit         AwardKind = "merit"         // theo công trạng và thành tích (thường xuyên)
	AwardExtraordinary AwardKind = "extraordinary" // đột xuất
	AwardMovement      AwardKind = "movement"      // theo đợt, chuyên đề (phong trào: sơ kết, tổng kết)
	AwardLongService   AwardKind = "long_service"  // quá trình cống hiến
	AwardSeniority     AwardKind = "seniority"     // niên hạn
	AwardForeign       AwardKind = "foreign"       // đối ngoại
)

// AwardKinds lists the award kinds.
var AwardKinds = []AwardKind{AwardMerit, AwardExtraordinary, AwardMovement, AwardLongService, AwardSeniority, AwardForeign}

// Valid reports whether k is a known award kind.
func (k AwardKind) Valid() bool {
	for _, x := range AwardKinds {
		if k == x {
			return true
		}
	}
	return false
}

// Label is the award kind's Vietnamese name.
func (k AwardKind) Label() string {
	switch k {
	case AwardMerit:
		return "Thường xuyên"
	case AwardExtraordinary:
		return "Đột xuất"
	case AwardMovement:
		return "Chuyên đề"
	case AwardLongService:
		return "Cống hiến"
	case AwardSeniority:
		return "Niên hạn"
	case AwardForeign:
		return "Đối ngoại"
	}
	return string(k)
}

// Scope is how far an initiative (sáng kiến) was recognised as effective.
type Scope string

// Initiative scopes, narrowest first.
const (
	ScopeGrassroots Scope = "grassroots" // cấp cơ sở
	ScopeProvince   Scope = "province"   // cấp tỉnh, bộ, ngành
	ScopeNational   Scope = "national"   // toàn quốc
)

// Scopes lists the scopes narrowest first.
var Scopes = []Scope{ScopeGrassroots, ScopeProvince, ScopeNational}

// Rank orders scopes: a wider scope has a higher rank and also satisfies a
// requirement for a narrower one; 0 for an unknown scope.
func (s Scope) Rank() int {
	switch s {
	case ScopeGrassroots:
		return 1
	case ScopeProvince:
		return 2
	case ScopeNational:
		return 3
	}
	return 0
}

// Valid reports whether s is a known scope.
func (s Scope) Valid() bool { return s.Rank() > 0 }

// Label is the scope's Vietnamese name.
func (s Scope) Label() string {
	switch s {
	case ScopeGrassroots:
		return "Cấp cơ sở"
	case ScopeProvince:
		return "Cấp tỉnh, bộ"
	case ScopeNational:
		return "Toàn quốc"
	}
	return string(s)
}

// HoldKind is a reason a subject may not be awarded for a time (tạm hoãn).
type HoldKind string

// Hold kinds.
const (
	HoldDiscipline    HoldKind = "discipline"    // kỷ luật
	HoldInvestigation HoldKind = "investigation" // đang bị điều tra, truy tố
	HoldInspection    HoldKind = "inspection"    // đang thanh tra, kiểm tra
	HoldComplaint     HoldKind = "complaint"     // có đơn khiếu nại, tố cáo đang xác minh
)

// HoldKinds lists the hold kinds.
var HoldKinds = []HoldKind{HoldDiscipline, HoldInvestigation, HoldInspection, HoldComplaint}

// Valid reports whether k is a known hold kind.
func (k HoldKind) Valid() bool {
	for _, x := range HoldKinds {
		if k == x {
			return true
		}
	}
	return false
}

// Label is the hold kind's Vietnamese name.
func (k HoldKind) Label() string {
	switch k {
	case HoldDiscipline:
		return "Kỷ luật"
	case HoldInvestigation:
		return "Điều tra"
	case HoldInspection:
		return "Thanh tra, kiểm tra"
	case HoldComplaint:
		return "Khiếu nại, tố cáo"
	}
	return string(k)
}

// Sources of a history record.
const (
	SourceDecision = "decision" // written by the engine when it issued the decision
	SourceManual   = "manual"   // entered through the API
	SourceImport   = "import"   // imported from a spreadsheet
)

// TaskRating is a subject's task rating for one year.
type TaskRating struct {
	Year   int    `json:"year"`
	Rating Rating `json:"rating"`
}

// AwardRecord is a title or commendation a subject received.
type AwardRecord struct {
	ID             int64     `json:"id"`
	AwardCode      string    `json:"award_code"`
	Year           int       `json:"year"`            // the year of the achievement
	Level          string    `json:"level,omitempty"` // level of the deciding body (commune … central)
	Kind           AwardKind `json:"award_kind"`
	DecisionCode   string    `json:"decision_code,omitempty"`
	DecisionDate   string    `json:"decision_date,omitempty"` // yyyy-mm-dd
	DecidingUnitID string    `json:"deciding_unit_id,omitempty"`
	NominationID   string    `json:"nomination_id,omitempty"`
	Source         string    `json:"source"`
	Note           string    `json:"note,omitempty"`
}

// Counts reports whether the award counts toward the prerequisite chains: only
// merit awards do; extraordinary and thematic (movement) ones do not (DOMAIN.md §3).
func (a AwardRecord) Counts() bool { return a.Kind == AwardMerit }

// Initiative is a recognised initiative (sáng kiến) with its scope and the body
// that recognised it.
type Initiative struct {
	ID           int64  `json:"id"`
	Year         int    `json:"year"`
	Title        string `json:"title"`
	Scope        Scope  `json:"scope"`
	RecognisedBy string `json:"recognised_by,omitempty"`
	DecisionCode string `json:"decision_code,omitempty"`
	RecognisedOn string `json:"recognised_on,omitempty"` // yyyy-mm-dd
	Source       string `json:"source"`
}

// Hold is a discipline, investigation, inspection or complaint period. EndsOn is
// inclusive; empty while the period is open.
type Hold struct {
	ID           int64    `json:"id"`
	Kind         HoldKind `json:"kind"`
	StartsOn     string   `json:"starts_on"`         // yyyy-mm-dd
	EndsOn       string   `json:"ends_on,omitempty"` // yyyy-mm-dd, inclusive
	Reason       string   `json:"reason,omitempty"`
	DecisionCode string   `json:"decision_code,omitempty"`
	Source       string   `json:"source"`
}

// Covers reports whether the hold is in force on day (compared as dates).
func (h Hold) Covers(day time.Time) bool {
	d := day.Format(DateLayout)
	return h.StartsOn <= d && (h.EndsOn == "" || d <= h.EndsOn)
}

// Record is a subject with its whole history: the facts the eligibility rules read.
type Record struct {
	Subject     Subject        `json:"subject"`
	Ratings     []TaskRating   `json:"ratings"`
	Awards      []AwardRecord  `json:"awards"`
	Initiatives []Initiative   `json:"initiatives"`
	Holds       []Hold         `json:"holds"`
	Nominations []NominationOf `json:"nominations,omitempty"`
}

// NominationOf is a dossier in which a subject is a nominee, for the subject's page.
type NominationOf struct {
	NominationID string `json:"nomination_id"`
	AwardCode    string `json:"award_code"`
	Year         int    `json:"year"`
	Status       string `json:"status"`
	NomineeID    int64  `json:"nominee_id"`
}

// DateLayout is the date format of the API and the database (yyyy-mm-dd).
const DateLayout = "2006-01-02"

// Clean normalises text to NFC and trims it, so Vietnamese typed on different
// keyboards (precomposed or combining marks) compares and round-trips the same.
func Clean(s string) string { return strings.TrimSpace(norm.NFC.String(s)) }

// Conflict kinds: why a nominee is flagged on a dossier.
const (
	ConflictAlreadyAwarded    = "already_awarded"    // the same award for the same year is already in the history
	ConflictInFlight          = "in_flight"          // another open dossier proposes the same award for the same year
	ConflictSameAchievement   = "same_achievement"   // another commendation for the same year: one achievement, one award
	ConflictOnHold            = "on_hold"            // discipline, investigation… in force
	ConflictPossibleDuplicate = "possible_duplicate" // no subject linked, but the same name is proposed elsewhere
)

// Conflict is a flag on a nominee: a warning for the clerk and the appraiser, not a
// block.
type Conflict struct {
	Kind         string `json:"kind"`
	Message      string `json:"message"`
	NominationID string `json:"nomination_id,omitempty"`
	AwardCode    string `json:"award_code,omitempty"`
	Year         int    `json:"year,omitempty"`
	DecisionCode string `json:"decision_code,omitempty"`
}
