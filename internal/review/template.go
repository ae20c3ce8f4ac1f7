package review

import (
	"fmt"
	"maps"
	"math/big"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/tdkt/tdkt/internal/domain"
)

// IndicatorKind says what an indicator holds and how it aggregates up the tree.
type IndicatorKind string

// Indicator kinds.
const (
	// Count is a whole number (households, communes, people); it aggregates by sum.
	Count IndicatorKind = "count"
	// Money is an amount in đồng, a whole number; it aggregates by sum.
	Money IndicatorKind = "money"
	// Percent is Numerator / Denominator × 100, both count indicators. It is never
	// entered and never averaged: a parent's percentage is recomputed from its
	// summed numerator and denominator.
	Percent IndicatorKind = "percent"
	// PointChange is the change in percentage points from percent From to percent To
	// (positive when To is lower: "tỷ lệ hộ nghèo giảm 3,3%"). Computed.
	PointChange IndicatorKind = "point_change"
	// Text is a narrative section; a parent's aggregate compiles its children's texts
	// unit by unit.
	Text IndicatorKind = "text"
	// Award counts the nominees of a kind awarded an award by decisions actually
	// issued for the movement in the unit's subtree. Computed from the decisions.
	Award IndicatorKind = "award"
)

// Entered reports whether units enter values of this kind (count, money, text);
// the others are computed.
func (k IndicatorKind) Entered() bool { return k == Count || k == Money || k == Text }

// Numeric reports whether the kind holds an entered whole number (count, money).
func (k IndicatorKind) Numeric() bool { return k == Count || k == Money }

// Indicator is one line of a template (chỉ tiêu).
type Indicator struct {
	Code  string        `json:"code"`
	Name  string        `json:"name"`
	Kind  IndicatorKind `json:"kind"`
	Group string        `json:"group,omitempty"` // the heading it is listed under
	Unit  string        `json:"unit,omitempty"`  // đơn vị tính: hộ, người, đồng, %
	Help  string        `json:"help,omitempty"`
	// Numerator and Denominator are count codes (percent).
	Numerator   string `json:"numerator,omitempty"`
	Denominator string `json:"denominator,omitempty"`
	// From and To are percent codes (point change).
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	// AwardCode and NomineeKind select the awards counted (award).
	AwardCode   string `json:"award_code,omitempty"`
	NomineeKind string `json:"nominee_kind,omitempty"`
	// Decimals is how many decimals a percentage or change is rounded to (default 2).
	Decimals *int `json:"decimals,omitempty"`
}

// decimals returns the rounding of a percentage or change.
func (in Indicator) decimals() int {
	if in.Decimals == nil {
		return 2
	}
	return *in.Decimals
}

// Aggregation is the rule the indicator's kind aggregates by, for the API to show.
func (in Indicator) Aggregation() string {
	switch in.Kind {
	case Count, Money:
		return "sum"
	case Percent:
		return "sum(" + in.Numerator + ") / sum(" + in.Denominator + ")"
	case PointChange:
		return in.From + " − " + in.To
	case Text:
		return "compiled per unit"
	case Award:
		return "decisions issued in the subtree"
	}
	return ""
}

// Template is an indicator template (mẫu báo cáo): the typed indicators a campaign's
// reports carry, stored as data.
type Template struct {
	Code       string      `json:"code"`
	Name       string      `json:"name"`
	Indicators []Indicator `json:"indicators"`
}

// Limits on what a report may hold.
const (
	MaxTextRunes = 60000
	MaxNumber    = int64(1_000_000_000_000_000) // 10^18 đồng is more than any fund
)

// Validate checks a template: unique codes, known kinds, percentages over count
// indicators, changes between percentages, awards with a code and a nominee kind. It
// returns a KindInvalid error listing every problem.
func (t Template) Validate() error {
	var fields []domain.FieldError
	bad := func(i int, msg string) {
		fields = append(fields, domain.FieldError{Field: fmt.Sprintf("indicators[%d]", i), Message: msg})
	}
	if strings.TrimSpace(t.Code) == "" {
		fields = append(fields, domain.FieldError{Field: "code", Message: "required"})
	}
	if strings.TrimSpace(t.Name) == "" {
		fields = append(fields, domain.FieldError{Field: "name", Message: "required"})
	}
	if len(t.Indicators) == 0 {
		fields = append(fields, domain.FieldError{Field: "indicators", Message: "at least one indicator"})
	}
	kinds := map[string]IndicatorKind{}
	for i, in := range t.Indicators {
		if in.Code == "" || strings.ContainsAny(in.Code, " \t\n") {
			bad(i, "code is required and has no spaces")
		} else if _, dup := kinds[in.Code]; dup {
			bad(i, "duplicate code "+in.Code)
		}
		kinds[in.Code] = in.Kind
		if strings.TrimSpace(in.Name) == "" {
			bad(i, "name is required")
		}
		if in.Decimals != nil && (*in.Decimals < 0 || *in.Decimals > 4) {
			bad(i, "decimals must be 0 to 4")
		}
	}
	for i, in := range t.Indicators {
		switch in.Kind {
		case Count, Money, Text:
		case Percent:
			if kinds[in.Numerator] != Count || kinds[in.Denominator] != Count {
				bad(i, "a percentage needs count indicators as numerator and denominator")
			}
		case PointChange:
			if kinds[in.From] != Percent || kinds[in.To] != Percent {
				bad(i, "a change needs percentage indicators as from and to")
			}
		case Award:
			if in.AwardCode == "" || !domain.NomineeKind(in.NomineeKind).Valid() {
				bad(i, "an award count needs award_code and nominee_kind (individual, collective, household)")
			}
		default:
			bad(i, fmt.Sprintf("unknown kind %q", in.Kind))
		}
	}
	if len(fields) > 0 {
		return domain.Invalid("the template has invalid indicators", fields...)
	}
	return nil
}

// Indicator returns the indicator with the code.
func (t Template) Indicator(code string) (Indicator, bool) {
	for _, in := range t.Indicators {
		if in.Code == code {
			return in, true
		}
	}
	return Indicator{}, false
}

// Values are a report's figures: whole numbers of count and money indicators, and the
// narrative sections. An absent code is "not entered".
type Values struct {
	Numbers map[string]int64  `json:"numbers,omitempty"`
	Texts   map[string]string `json:"texts,omitempty"`
}

// IsZero reports whether nothing is entered.
func (v Values) IsZero() bool { return len(v.Numbers) == 0 && len(v.Texts) == 0 }

// Clone returns a deep copy.
func (v Values) Clone() Values {
	return Values{Numbers: maps.Clone(v.Numbers), Texts: maps.Clone(v.Texts)}
}

// Equal reports whether both hold the same entries.
func (v Values) Equal(o Values) bool {
	return maps.Equal(v.Numbers, o.Numbers) && maps.Equal(v.Texts, o.Texts)
}

func (v *Values) setNumber(code string, n int64) {
	if v.Numbers == nil {
		v.Numbers = map[string]int64{}
	}
	v.Numbers[code] = n
}

func (v *Values) setText(code, s string) {
	if v.Texts == nil {
		v.Texts = map[string]string{}
	}
	v.Texts[code] = s
}

func (v *Values) clear(code string) {
	delete(v.Numbers, code)
	delete(v.Texts, code)
	if len(v.Numbers) == 0 {
		v.Numbers = nil
	}
	if len(v.Texts) == 0 {
		v.Texts = nil
	}
}

// Check validates entered values against the template: numbers only for count and
// money indicators, non-negative and below MaxNumber; texts only for text indicators,
// at most MaxTextRunes; clear only known codes. It returns the field errors, none when
// the values fit.
func (t Template) Check(v Values, clear []string) []domain.FieldError {
	var fields []domain.FieldError
	for _, code := range slices.Sorted(maps.Keys(v.Numbers)) {
		in, ok := t.Indicator(code)
		switch {
		case !ok:
			fields = append(fields, domain.FieldError{Field: "numbers." + code, Message: "no such indicator in the template"})
		case !in.Kind.Numeric():
			fields = append(fields, domain.FieldError{Field: "numbers." + code, Message: fmt.Sprintf("%s is a %s indicator, not entered as a number", code, in.Kind)})
		case v.Numbers[code] < 0 || v.Numbers[code] > MaxNumber:
			fields = append(fields, domain.FieldError{Field: "numbers." + code, Message: "must be a whole number from 0"})
		}
	}
	for _, code := range slices.Sorted(maps.Keys(v.Texts)) {
		in, ok := t.Indicator(code)
		switch {
		case !ok:
			fields = append(fields, domain.FieldError{Field: "texts." + code, Message: "no such section in the template"})
		case in.Kind != Text:
			fields = append(fields, domain.FieldError{Field: "texts." + code, Message: code + " is not a text section"})
		case utf8.RuneCountInString(v.Texts[code]) > MaxTextRunes:
			fields = append(fields, domain.FieldError{Field: "texts." + code, Message: fmt.Sprintf("at most %d characters", MaxTextRunes)})
		}
	}
	for i, code := range clear {
		if in, ok := t.Indicator(code); !ok || !in.Kind.Entered() {
			fields = append(fields, domain.FieldError{Field: fmt.Sprintf("clear[%d]", i), Message: "no such entered indicator"})
		}
	}
	return fields
}

// Merge returns own with the entries of patch set and the codes in clear removed.
func Merge(own, patch Values, clear []string) Values {
	out := own.Clone()
	for code, n := range patch.Numbers {
		out.setNumber(code, n)
	}
	for code, s := range patch.Texts {
		out.setText(code, s)
	}
	for _, code := range clear {
		out.clear(code)
	}
	return out
}

// Part is one child's report as its parent aggregates it.
type Part struct {
	UnitID   string
	UnitName string
	Values   Values
}

// Aggregate combines the children's reports, in the order given: count and money
// indicators are summed over the children that entered them; text sections are
// compiled per unit, each child's text under its name. Percentages need nothing here:
// they are recomputed from the summed numerators and denominators.
func Aggregate(t Template, parts []Part) Values {
	var out Values
	for _, in := range t.Indicators {
		switch {
		case in.Kind.Numeric():
			var sum int64
			entered := false
			for _, p := range parts {
				if n, ok := p.Values.Numbers[in.Code]; ok {
					sum += n
					entered = true
				}
			}
			if entered {
				out.setNumber(in.Code, sum)
			}
		case in.Kind == Text:
			var b strings.Builder
			for _, p := range parts {
				s := strings.TrimSpace(p.Values.Texts[in.Code])
				if s == "" {
					continue
				}
				if b.Len() > 0 {
					b.WriteString("\n\n")
				}
				b.WriteString(p.UnitName)
				b.WriteString(":\n")
				b.WriteString(s)
			}
			if b.Len() > 0 {
				out.setText(in.Code, b.String())
			}
		}
	}
	return out
}

// Prefill returns the parent's own values completed with the aggregate: every entered
// indicator the parent has not entered takes the aggregate's value.
func Prefill(t Template, own, agg Values) Values {
	out := own.Clone()
	for _, in := range t.Indicators {
		switch {
		case in.Kind.Numeric():
			if _, ok := own.Numbers[in.Code]; !ok {
				if n, ok := agg.Numbers[in.Code]; ok {
					out.setNumber(in.Code, n)
				}
			}
		case in.Kind == Text:
			if strings.TrimSpace(own.Texts[in.Code]) == "" {
				if s, ok := agg.Texts[in.Code]; ok {
					out.setText(in.Code, s)
				}
			}
		}
	}
	return out
}

// Follow carries a change of the aggregate into a pre-filled draft: an entry that
// still equals the old aggregate (the parent has not changed it), or that is absent,
// takes the new aggregate's value; entries the parent changed are kept.
func Follow(t Template, own, oldAgg, newAgg Values) Values {
	out := own.Clone()
	for _, in := range t.Indicators {
		switch {
		case in.Kind.Numeric():
			cur, has := own.Numbers[in.Code]
			old, hadOld := oldAgg.Numbers[in.Code]
			if has && !(hadOld && cur == old) {
				continue
			}
			if n, ok := newAgg.Numbers[in.Code]; ok {
				out.setNumber(in.Code, n)
			} else {
				out.clear(in.Code)
			}
		case in.Kind == Text:
			cur, has := own.Texts[in.Code]
			old, hadOld := oldAgg.Texts[in.Code]
			if has && strings.TrimSpace(cur) != "" && !(hadOld && cur == old) {
				continue
			}
			if s, ok := newAgg.Texts[in.Code]; ok {
				out.setText(in.Code, s)
			} else {
				out.clear(in.Code)
			}
		}
	}
	return out
}

// AwardCount is how many nominees of each kind an award went to, from issued decisions.
type AwardCount struct {
	AwardCode  string `json:"award_code"`
	AwardName  string `json:"award_name"`
	Collective int    `json:"collective"`
	Individual int    `json:"individual"`
	Household  int    `json:"household"`
}

// Of returns the count of one nominee kind.
func (a AwardCount) Of(kind string) int {
	switch domain.NomineeKind(kind) {
	case domain.NomineeCollective:
		return a.Collective
	case domain.NomineeIndividual:
		return a.Individual
	case domain.NomineeHousehold:
		return a.Household
	}
	return 0
}

// Result is one indicator of a report as computed for display and export.
type Result struct {
	Code        string        `json:"code"`
	Name        string        `json:"name"`
	Kind        IndicatorKind `json:"kind"`
	Group       string        `json:"group,omitempty"`
	Unit        string        `json:"unit,omitempty"`
	Number      *int64        `json:"number,omitempty"`      // count, money, award
	Numerator   *int64        `json:"numerator,omitempty"`   // percent
	Denominator *int64        `json:"denominator,omitempty"` // percent
	// Value is the percentage or change, rounded half up to the indicator's decimals.
	Value *float64 `json:"value,omitempty"`
	// Display is the value in Vietnamese notation (36.544; 19,07; 3.468.179.900), or
	// "" when it cannot be computed (not entered, zero denominator).
	Display string `json:"display"`
	Text    string `json:"text,omitempty"`
}

// Compute evaluates every indicator of the template over the values, with award counts
// taken from the decisions. Percentages and changes are computed exactly (rationals)
// and rounded half up once, at the end.
func Compute(t Template, v Values, awards []AwardCount) []Result {
	rates := map[string]*big.Rat{}
	rate := func(in Indicator) *big.Rat {
		num, okN := v.Numbers[in.Numerator]
		den, okD := v.Numbers[in.Denominator]
		if !okN || !okD || den == 0 {
			return nil
		}
		return new(big.Rat).SetFrac(big.NewInt(num*100), big.NewInt(den))
	}
	for _, in := range t.Indicators {
		if in.Kind == Percent {
			if r := rate(in); r != nil {
				rates[in.Code] = r
			}
		}
	}
	out := make([]Result, 0, len(t.Indicators))
	for _, in := range t.Indicators {
		r := Result{Code: in.Code, Name: in.Name, Kind: in.Kind, Group: in.Group, Unit: in.Unit}
		switch in.Kind {
		case Count, Money:
			if n, ok := v.Numbers[in.Code]; ok {
				r.Number = &n
				r.Display = FormatInt(n)
			}
		case Percent:
			if num, ok := v.Numbers[in.Numerator]; ok {
				r.Numerator = &num
			}
			if den, ok := v.Numbers[in.Denominator]; ok {
				r.Denominator = &den
			}
			if x := rates[in.Code]; x != nil {
				r.Value, r.Display = rounded(x, in.decimals())
			}
		case PointChange:
			from, to := rates[in.From], rates[in.To]
			if from != nil && to != nil {
				r.Value, r.Display = rounded(new(big.Rat).Sub(from, to), in.decimals())
			}
		case Text:
			r.Text = v.Texts[in.Code]
		case Award:
			var n int64
			for _, a := range awards {
				if a.AwardCode == in.AwardCode {
					n += int64(a.Of(in.NomineeKind))
				}
			}
			r.Number = &n
			r.Display = FormatInt(n)
		}
		out = append(out, r)
	}
	return out
}

// rounded rounds x half away from zero to d decimals and returns it as a float and in
// Vietnamese notation.
func rounded(x *big.Rat, d int) (*float64, string) {
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(d)), nil)
	scaled := new(big.Rat).Mul(x, new(big.Rat).SetInt(scale))
	neg := scaled.Sign() < 0
	if neg {
		scaled.Neg(scaled)
	}
	// floor(scaled + 1/2)
	half := new(big.Rat).Add(scaled, big.NewRat(1, 2))
	q := new(big.Int).Quo(half.Num(), half.Denom())
	if neg {
		q.Neg(q)
	}
	f, _ := new(big.Rat).SetFrac(q, scale).Float64()
	return &f, FormatFixed(q.Int64(), d)
}
