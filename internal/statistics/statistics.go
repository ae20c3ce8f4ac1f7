// Package statistics computes the yearly statistics forms of the emulation and
// commendation sector, Thông tư 02/2023/TT-BNV: 0601.N (movements launched),
// 0602.N (state-level awards) and 0603.N (ministry- and province-level awards).
// The awards forms count the awardees of issued, unrevoked decisions of a year on
// dossiers of a unit's subtree; the level of an award comes from the authority
// matrix, not from a list kept here.
package statistics

import (
	"cmp"
	"slices"

	"github.com/tdkt/tdkt/internal/domain"
)

// The forms, as their codes in Thông tư 02/2023/TT-BNV.
const (
	FormMovements = "0601"
	FormState     = "0602"
	FormProvince  = "0603"
)

// Forms lists the forms in order.
var Forms = []string{FormMovements, FormState, FormProvince}

// ValidForm reports whether form is one of Forms.
func ValidForm(form string) bool { return slices.Contains(Forms, form) }

// The kinds of award counted by the forms, in their column order: regular
// (thường xuyên), thematic (theo đợt, chuyên đề), extraordinary (đột xuất),
// foreign relations (đối ngoại), contribution over a long time (quá trình cống
// hiến) and seniority (niên hạn).
const (
	KindRegular = iota
	KindThematic
	KindExtraordinary
	KindForeign
	KindContribution
	KindSeniority
	kindCount
)

// KindNames are the keys of the kinds, in column order.
var KindNames = [kindCount]string{"regular", "thematic", "extraordinary", "foreign", "contribution", "seniority"}

// kindColumn maps a dossier's kind (nominations.kind, award_records.kind) to its column.
var kindColumn = map[string]int{
	"merit":         KindRegular,
	"movement":      KindThematic,
	"extraordinary": KindExtraordinary,
	"foreign":       KindForeign,
	"long_service":  KindContribution,
	"seniority":     KindSeniority,
}

// The categories of individuals counted by the forms, in their column order: the
// leadership levels and other categories of domain.LeadershipLevels, not stated last.
var LevelNames = func() []string {
	out := make([]string, len(domain.LeadershipLevels))
	for i, l := range domain.LeadershipLevels {
		out[i] = string(l)
		if l == domain.LevelNotStated {
			out[i] = "not_stated"
		}
	}
	return out
}()

// levelCount is the number of categories of individuals.
const levelCount = 7

// levelColumn maps an individual's category (nominees.leadership_level) to its column.
var levelColumn = func() map[domain.LeadershipLevel]int {
	if len(domain.LeadershipLevels) != levelCount {
		panic("statistics: levelCount does not match domain.LeadershipLevels")
	}
	m := map[domain.LeadershipLevel]int{}
	for i, l := range domain.LeadershipLevels {
		m[l] = i
	}
	return m
}()

// Counts is one line of an awards form: the awardees in total, by subject and by
// kind. Collectives count the enterprises among them again in Enterprises;
// individuals are broken down by category in ByLevel (LevelNames order), so that
// Individuals is the sum of ByLevel and Total the sum of ByKind.
type Counts struct {
	Total       int             `json:"total"`
	Collectives int             `json:"collectives"`
	Enterprises int             `json:"enterprises"` // of the collectives
	Households  int             `json:"households"`
	Individuals int             `json:"individuals"`
	ByLevel     [levelCount]int `json:"by_level"`
	ByKind      [kindCount]int  `json:"by_kind"`
}

func (c *Counts) add(t AwardTally) error {
	col, ok := kindColumn[t.Kind]
	if !ok {
		return domain.Errorf(domain.KindInternal, "statistics: unknown award kind %q", t.Kind)
	}
	switch t.NomineeKind {
	case "collective":
		c.Collectives += t.Count
		if t.Enterprise {
			c.Enterprises += t.Count
		}
	case "household":
		c.Households += t.Count
	case "individual":
		lv, ok := levelColumn[domain.LeadershipLevel(t.LeadershipLevel)]
		if !ok {
			return domain.Errorf(domain.KindInternal, "statistics: unknown leadership level %q", t.LeadershipLevel)
		}
		c.Individuals += t.Count
		c.ByLevel[lv] += t.Count
	default:
		return domain.Errorf(domain.KindInternal, "statistics: unknown nominee kind %q", t.NomineeKind)
	}
	c.ByKind[col] += t.Count
	c.Total += t.Count
	return nil
}

// Line is a labelled line of a form: an award of the catalogue or a submitting body.
type Line struct {
	Code string `json:"code"`
	Name string `json:"name"`
	Counts
}

// AwardForm is form 0602.N or 0603.N for a year and a unit's subtree.
type AwardForm struct {
	Form     string `json:"form"`
	Year     int    `json:"year"`
	UnitID   string `json:"unit_id,omitempty"`
	UnitName string `json:"unit_name,omitempty"`
	Total    Counts `json:"total"`
	// ByAward has one line per award of the form's level, in the catalogue's
	// order, including awards no one received.
	ByAward []Line `json:"by_award"`
	// BySubmitter has one line per submitting body with at least one awardee.
	BySubmitter []Line `json:"by_submitter"`
	// Levels names the columns of Counts.ByLevel and Kinds those of Counts.ByKind.
	Levels []string `json:"levels"`
	Kinds  []string `json:"kinds"`
}

// FormAwards returns, in code order, the awards of a form's level: for 0602.N the
// awards that only the top level decides, for 0603.N those that the level under
// it decides at the lowest. ranks lists the levels' ranks, highest first.
func FormAwards(form string, awards []AwardLowestLevel, ranks []int) []AwardLowestLevel {
	pos := map[string]int{FormState: 0, FormProvince: 1}[form]
	if form == FormMovements || pos >= len(ranks) {
		return nil
	}
	var out []AwardLowestLevel
	for _, a := range awards {
		if a.Rank == ranks[pos] {
			out = append(out, a)
		}
	}
	slices.SortFunc(out, func(a, b AwardLowestLevel) int { return cmp.Compare(a.AwardCode, b.AwardCode) })
	return out
}

// BuildAwardForm aggregates the tallies of the awards of the form's level into the form.
func BuildAwardForm(form string, year int, awards []AwardLowestLevel, ranks []int, tallies []AwardTally) (AwardForm, error) {
	f := AwardForm{Form: form, Year: year, ByAward: []Line{}, BySubmitter: []Line{}, Levels: LevelNames, Kinds: KindNames[:]}
	byAward := map[string]int{}
	for _, a := range FormAwards(form, awards, ranks) {
		byAward[a.AwardCode] = len(f.ByAward)
		f.ByAward = append(f.ByAward, Line{Code: a.AwardCode, Name: a.AwardName})
	}
	bySubmitter := map[string]int{}
	for _, t := range tallies {
		i, ok := byAward[t.AwardCode]
		if !ok {
			continue
		}
		if err := f.ByAward[i].add(t); err != nil {
			return AwardForm{}, err
		}
		j, ok := bySubmitter[t.SubmitterID]
		if !ok {
			j = len(f.BySubmitter)
			bySubmitter[t.SubmitterID] = j
			f.BySubmitter = append(f.BySubmitter, Line{Code: t.SubmitterID, Name: t.SubmitterName})
		}
		_ = f.BySubmitter[j].add(t)
		_ = f.Total.add(t)
	}
	slices.SortStableFunc(f.BySubmitter, func(a, b Line) int { return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Code, b.Code)) })
	return f, nil
}

// MovementLine is one line of form 0601.N: the movements launched by the units of a level.
type MovementLine struct {
	LevelCode     string `json:"level"`
	LevelName     string `json:"level_name"`
	Launched      int    `json:"launched"`
	Implementing  int    `json:"implementing"` // of which implement a movement launched above
	Registrations int    `json:"registrations"`
}

// MovementForm is form 0601.N for a year and a unit's subtree.
type MovementForm struct {
	Form     string         `json:"form"`
	Year     int            `json:"year"`
	UnitID   string         `json:"unit_id,omitempty"`
	UnitName string         `json:"unit_name,omitempty"`
	Total    MovementLine   `json:"total"`
	ByLevel  []MovementLine `json:"by_level"`
}

// BuildMovementForm aggregates the movements by the level of the launching unit,
// highest level first, in the order the tallies come (the store sorts by rank).
func BuildMovementForm(year int, tallies []MovementTally) MovementForm {
	f := MovementForm{Form: FormMovements, Year: year, ByLevel: []MovementLine{}}
	at := map[string]int{}
	for _, t := range tallies {
		i, ok := at[t.LevelCode]
		if !ok {
			i = len(f.ByLevel)
			at[t.LevelCode] = i
			f.ByLevel = append(f.ByLevel, MovementLine{LevelCode: t.LevelCode, LevelName: t.LevelName})
		}
		for _, l := range []*MovementLine{&f.ByLevel[i], &f.Total} {
			l.Launched++
			l.Registrations += t.Registrations
			if t.Implements {
				l.Implementing++
			}
		}
	}
	return f
}
