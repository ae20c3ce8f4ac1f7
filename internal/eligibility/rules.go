// Package eligibility checks a subject's history against the law's criteria for an
// award (điều kiện, tiêu chuẩn khen thưởng): the chains of DOMAIN.md §6 for Lao
// động tiên tiến, Chiến sĩ thi đua cơ sở, tỉnh and toàn quốc, Bằng khen tỉnh and
// Bằng khen Thủ tướng. The rules are data: each law or decree is a version of the
// rule set, in force from a date, and its criteria are written in a small
// vocabulary this package evaluates. A changed law adds a version file under
// rules/; it does not add code paths. The evaluation is a pure function of the
// facts, the award, the proposal year and the rule version, and it explains each
// criterion with the facts that met or failed it.
package eligibility

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"sync"
	"time"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/history"
)

// Criterion types: the vocabulary in which rule versions are written.
const (
	// TypeRating: the task rating of the proposal year is at least Min.
	TypeRating = "rating"
	// TypeTitleOrStandard: the subject holds Award in the proposal year, or meets
	// Award's own criteria in that year.
	TypeTitleOrStandard = "title_or_standard"
	// TypeInitiatives: at least Count initiatives of Scope or wider, recognised in
	// the window of WindowOf, or in the last Years years up to the proposal year.
	TypeInitiatives = "initiatives"
	// TypeConsecutiveTitles: at least Count consecutive Award titles ending in the
	// proposal year, each Period years after the previous one (default 1).
	TypeConsecutiveTitles = "consecutive_titles"
	// TypeConsecutiveRatings: at least Count consecutive years rated Min or better,
	// ending in the proposal year; with AfterAward, the years must follow a year in
	// which the subject received AfterAward.
	TypeConsecutiveRatings = "consecutive_ratings"
	// TypeTitlesInWindow: at least Count Award titles in the window of WindowOf (or
	// the last Years years).
	TypeTitlesInWindow = "titles_in_window"
	// TypeHoldsAward: the subject received Award (Count times, default 1) before the
	// proposal year.
	TypeHoldsAward = "holds_award"
	// TypeAny: at least one of Of is met.
	TypeAny = "any"
	// TypeAll: every one of Of is met.
	TypeAll = "all"
)

// Criterion is one condition of an award rule, as the rule data writes it.
type Criterion struct {
	ID         string         `json:"id"`
	Type       string         `json:"type"`
	Label      string         `json:"label"`
	Min        history.Rating `json:"min,omitempty"`
	Award      string         `json:"award,omitempty"`
	AfterAward string         `json:"after_award,omitempty"`
	Count      int            `json:"count,omitempty"`
	Period     int            `json:"period,omitempty"`
	Scope      history.Scope  `json:"scope,omitempty"`
	Years      int            `json:"years,omitempty"`
	WindowOf   string         `json:"window_of,omitempty"`
	Of         []Criterion    `json:"of,omitempty"`
}

// AwardRule is the criteria of one award in one version.
type AwardRule struct {
	Award        string               `json:"award"`
	Basis        string               `json:"basis"`
	NomineeKinds []domain.NomineeKind `json:"nominee_kinds"`
	// RestartAfterSameAward: facts up to the year of the subject's previous award
	// of the same kind do not count again (one achievement, one award).
	RestartAfterSameAward bool        `json:"restart_after_same_award,omitempty"`
	Criteria              []Criterion `json:"criteria"`
}

// Version is a rule set in force from ValidFrom until the next version.
type Version struct {
	ID                 string              `json:"id"`
	ValidFrom          string              `json:"valid_from"`
	Source             string              `json:"source"`
	CountingAwardKinds []history.AwardKind `json:"counting_award_kinds"`
	RestartHoldKinds   []history.HoldKind  `json:"restart_hold_kinds"`
	BlockingHoldKinds  []history.HoldKind  `json:"blocking_hold_kinds"`
	Names              map[string]string   `json:"names"`
	Awards             []AwardRule         `json:"awards"`

	from    time.Time
	byAward map[string]*AwardRule
}

// Rule returns the rule of an award in this version, or nil when the award has no
// machine-checkable criteria.
func (v *Version) Rule(award string) *AwardRule { return v.byAward[award] }

// Name is the short name of an award in explanations (CSTĐCS), or its code.
func (v *Version) Name(award string) string {
	if n, ok := v.Names[award]; ok {
		return n
	}
	return award
}

// RuleSet is every version of the rules, oldest first.
type RuleSet struct {
	Versions []*Version `json:"versions"`
}

// At returns the version in force on day, or nil before the first one.
func (rs *RuleSet) At(day time.Time) *Version {
	var found *Version
	for _, v := range rs.Versions {
		if !v.from.After(day) {
			found = v
		}
	}
	return found
}

//go:embed rules/*.json
var ruleFiles embed.FS

// published parses the embedded versions once; the result is never modified.
var published = sync.OnceValues(func() (*RuleSet, error) { return Load(ruleFiles, "rules") })

// Published returns the rule versions shipped in rules/*.json. The set is shared
// and read-only.
func Published() (*RuleSet, error) { return published() }

// Load reads and checks every *.json version under dir of fsys. It returns an error
// naming the file and criterion for an unknown type, a missing parameter, a
// window that refers to no earlier chain, or two versions from the same day.
func Load(fsys fs.FS, dir string) (*RuleSet, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	rs := &RuleSet{}
	for _, name := range names {
		raw, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		v, err := ParseVersion(raw)
		if err != nil {
			return nil, fmt.Errorf("rules %s: %w", name, err)
		}
		rs.Versions = append(rs.Versions, v)
	}
	if len(rs.Versions) == 0 {
		return nil, fmt.Errorf("rules: no version under %s", dir)
	}
	sort.Slice(rs.Versions, func(i, j int) bool { return rs.Versions[i].from.Before(rs.Versions[j].from) })
	for i := 1; i < len(rs.Versions); i++ {
		if rs.Versions[i].from.Equal(rs.Versions[i-1].from) {
			return nil, fmt.Errorf("rules: versions %s and %s are both in force from %s",
				rs.Versions[i-1].ID, rs.Versions[i].ID, rs.Versions[i].ValidFrom)
		}
	}
	return rs, nil
}

// ParseVersion reads and checks one version.
func ParseVersion(raw []byte) (*Version, error) {
	var v Version
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, err
	}
	from, err := time.Parse(history.DateLayout, v.ValidFrom)
	if err != nil {
		return nil, fmt.Errorf("valid_from: %w", err)
	}
	v.from = from
	if v.ID == "" {
		return nil, fmt.Errorf("version without an id")
	}
	if len(v.CountingAwardKinds) == 0 {
		return nil, fmt.Errorf("counting_award_kinds is empty: no award would count")
	}
	for _, k := range v.CountingAwardKinds {
		if !k.Valid() {
			return nil, fmt.Errorf("counting_award_kinds: unknown kind %q", k)
		}
	}
	for _, k := range append(append([]history.HoldKind{}, v.RestartHoldKinds...), v.BlockingHoldKinds...) {
		if !k.Valid() {
			return nil, fmt.Errorf("hold kinds: unknown kind %q", k)
		}
	}
	v.byAward = map[string]*AwardRule{}
	for i := range v.Awards {
		r := &v.Awards[i]
		if _, dup := v.byAward[r.Award]; dup || r.Award == "" {
			return nil, fmt.Errorf("award %q: missing or listed twice", r.Award)
		}
		v.byAward[r.Award] = r
	}
	for _, r := range v.byAward {
		for _, k := range r.NomineeKinds {
			if !k.Valid() {
				return nil, fmt.Errorf("award %s: unknown nominee kind %q", r.Award, k)
			}
		}
		if len(r.Criteria) == 0 {
			return nil, fmt.Errorf("award %s: no criteria", r.Award)
		}
		chains := map[string]bool{}
		ids := map[string]bool{noHoldID: true}
		if err := checkCriteria(&v, r.Award, r.Criteria, ids, chains); err != nil {
			return nil, err
		}
	}
	return &v, nil
}

func checkCriteria(v *Version, award string, cs []Criterion, ids, chains map[string]bool) error {
	for _, c := range cs {
		bad := func(format string, args ...any) error {
			return fmt.Errorf("award %s, criterion %q: %s", award, c.ID, fmt.Sprintf(format, args...))
		}
		if c.ID == "" || ids[c.ID] {
			return bad("missing or repeated id")
		}
		ids[c.ID] = true
		if c.Label == "" {
			return bad("no label")
		}
		needAward := func() error {
			if c.Award == "" {
				return bad("%s needs award", c.Type)
			}
			return nil
		}
		switch c.Type {
		case TypeRating:
			if !c.Min.Valid() {
				return bad("rating needs min")
			}
		case TypeTitleOrStandard:
			if err := needAward(); err != nil {
				return err
			}
			if v.byAward[c.Award] == nil || c.Award == award {
				return bad("%s has no rule of its own in this version", c.Award)
			}
		case TypeInitiatives:
			if !c.Scope.Valid() || c.Count < 1 {
				return bad("initiatives needs scope and count")
			}
			if (c.WindowOf == "") == (c.Years == 0) {
				return bad("initiatives needs exactly one of window_of and years")
			}
		case TypeConsecutiveTitles:
			if err := needAward(); err != nil {
				return err
			}
			if c.Count < 1 || c.Period < 0 {
				return bad("consecutive_titles needs count")
			}
			chains[c.ID] = true
		case TypeConsecutiveRatings:
			if !c.Min.Valid() || c.Count < 1 {
				return bad("consecutive_ratings needs min and count")
			}
			chains[c.ID] = true
		case TypeTitlesInWindow:
			if err := needAward(); err != nil {
				return err
			}
			if c.Count < 1 || (c.WindowOf == "") == (c.Years == 0) {
				return bad("titles_in_window needs count and exactly one of window_of and years")
			}
		case TypeHoldsAward:
			if err := needAward(); err != nil {
				return err
			}
		case TypeAny, TypeAll:
			if len(c.Of) == 0 {
				return bad("%s needs of", c.Type)
			}
			if err := checkCriteria(v, award, c.Of, ids, chains); err != nil {
				return err
			}
		default:
			return bad("unknown type %q", c.Type)
		}
		if c.WindowOf != "" && !chains[c.WindowOf] {
			return bad("window_of %q is not an earlier chain criterion", c.WindowOf)
		}
	}
	return nil
}
