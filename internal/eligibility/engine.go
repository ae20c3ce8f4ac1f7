package eligibility

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/history"
)

// Statuses of a result.
const (
	StatusEligible    = "eligible"     // every criterion met (or overridden as met)
	StatusNotEligible = "not_eligible" // some criterion not met
	StatusNotChecked  = "not_checked"  // no machine-checkable rule for this award and subject kind
)

// noHoldID is the criterion every result starts with: no discipline or
// investigation in force on the day of the check (tạm hoãn, DOMAIN.md §4.8).
const noHoldID = "no_hold"

// Input is what one check is about.
type Input struct {
	Facts *history.Record
	Award string
	// Year is the proposal year: the year of the achievement the award is for.
	Year int
	// On is the day the proposal is considered (the dossier's submission, or
	// today): it selects the rule version.
	On time.Time
	// HoldsOn is the day on which holds are checked; On when zero.
	HoldsOn time.Time
	// Kind is the kind of commendation proposed; merit when empty. The chains are
	// the criteria of merit awards: others are appraised on their achievement.
	Kind history.AwardKind
}

// Result is the outcome of one check, with one explained entry per criterion.
type Result struct {
	Award           string            `json:"award_code"`
	Year            int               `json:"year"`
	On              string            `json:"on"`
	RuleVersion     string            `json:"rule_version"`
	RuleSource      string            `json:"rule_source"`
	Basis           string            `json:"basis,omitempty"`
	Status          string            `json:"status"`
	Eligible        bool              `json:"eligible"`
	MachineEligible bool              `json:"machine_eligible"`
	CountingFrom    int               `json:"counting_from,omitempty"`
	Notes           []string          `json:"notes,omitempty"`
	Criteria        []CriterionResult `json:"criteria"`
}

// CriterionResult is one criterion with the facts that met or failed it.
type CriterionResult struct {
	ID          string            `json:"id"`
	Label       string            `json:"label"`
	Met         bool              `json:"met"`
	Explanation string            `json:"explanation"`
	Years       []int             `json:"years,omitempty"`
	Of          []CriterionResult `json:"of,omitempty"`
	Override    *Override         `json:"override,omitempty"`
}

// Override is an appraiser's decision on a criterion, with the recorded reason.
type Override struct {
	Met     bool      `json:"met"`
	Reason  string    `json:"reason"`
	ActorID int64     `json:"actor_id"`
	Actor   string    `json:"actor_name,omitempty"`
	At      time.Time `json:"at"`
}

// ApplyOverrides attaches the appraiser's overrides (by criterion id) to the
// top-level criteria and recomputes Eligible; MachineEligible keeps the rules'
// own answer. A result without a rule stays not checked.
func (r *Result) ApplyOverrides(os map[string]Override) {
	if r.Status == StatusNotChecked {
		for i := range r.Criteria {
			if o, ok := os[r.Criteria[i].ID]; ok {
				r.Criteria[i].Override = &o
			}
		}
		return
	}
	all := true
	for i := range r.Criteria {
		c := &r.Criteria[i]
		met := c.Met
		if o, ok := os[c.ID]; ok {
			c.Override = &o
			met = o.Met
		}
		all = all && met
	}
	r.Eligible = all
	r.Status = StatusNotEligible
	if all {
		r.Status = StatusEligible
	}
}

// Evaluate checks in against the version in force on in.On. It fails only when no
// version is in force that day.
func (rs *RuleSet) Evaluate(in Input) (Result, error) {
	v := rs.At(in.On)
	if v == nil {
		return Result{}, fmt.Errorf("eligibility: no rule version in force on %s", in.On.Format(history.DateLayout))
	}
	return v.Evaluate(in), nil
}

// Evaluate checks in against this version. It is pure: the same facts, award,
// year and day give the same result.
func (v *Version) Evaluate(in Input) Result {
	f := index(v, in.Facts)
	res := Result{Award: in.Award, Year: in.Year, On: in.On.Format(history.DateLayout),
		RuleVersion: v.ID, RuleSource: v.Source}
	holdsOn := in.HoldsOn
	if holdsOn.IsZero() {
		holdsOn = in.On
	}
	res.Criteria = append(res.Criteria, f.noHold(holdsOn))
	rule := v.Rule(in.Award)
	switch {
	case in.Kind != "" && in.Kind != history.AwardMerit:
		res.Status = StatusNotChecked
		res.Notes = append(res.Notes, fmt.Sprintf("Khen thưởng %s: xét theo thành tích cụ thể, không theo chuỗi danh hiệu; thẩm định thủ công.",
			strings.ToLower(in.Kind.Label())))
		return res
	case rule == nil:
		res.Status = StatusNotChecked
		res.Notes = append(res.Notes, fmt.Sprintf("%s không có tiêu chí kiểm tra tự động trong quy định %s; thẩm định thủ công.", v.Name(in.Award), v.ID))
		return res
	case !slices.Contains(rule.NomineeKinds, f.kind):
		res.Status = StatusNotChecked
		res.Notes = append(res.Notes, fmt.Sprintf("Tiêu chí tự động của %s chỉ áp dụng cho %s; thẩm định thủ công.", v.Name(in.Award), kindList(rule)))
		return res
	}
	res.Basis = rule.Basis
	e := &eval{f: f, year: in.Year, windows: map[string]window{}}
	e.from, res.Notes = f.countingFrom(rule, in.Year)
	res.CountingFrom = e.from
	all := res.Criteria[0].Met
	for _, c := range rule.Criteria {
		cr := e.criterion(c)
		all = all && cr.Met
		res.Criteria = append(res.Criteria, cr)
	}
	res.MachineEligible, res.Eligible = all, all
	res.Status = StatusNotEligible
	if all {
		res.Status = StatusEligible
	}
	return res
}

func kindList(r *AwardRule) string {
	var s []string
	for _, k := range r.NomineeKinds {
		s = append(s, strings.ToLower(history.KindLabel(k)))
	}
	return strings.Join(s, ", ")
}

// facts is a subject's history indexed for the checks.
type facts struct {
	v           *Version
	kind        domain.NomineeKind
	ratings     map[int]history.Rating
	titles      map[string]map[int]history.AwardRecord // counting awards by code and year
	uncounted   map[string][]int                       // extraordinary, thematic… awards by code
	initiatives []history.Initiative
	holds       []history.Hold
}

func index(v *Version, r *history.Record) *facts {
	f := &facts{v: v, ratings: map[int]history.Rating{}, titles: map[string]map[int]history.AwardRecord{},
		uncounted: map[string][]int{}}
	if r == nil {
		return f
	}
	f.kind = r.Subject.Kind
	for _, tr := range r.Ratings {
		f.ratings[tr.Year] = tr.Rating
	}
	for _, a := range r.Awards {
		if !slices.Contains(v.CountingAwardKinds, a.Kind) {
			f.uncounted[a.AwardCode] = append(f.uncounted[a.AwardCode], a.Year)
			continue
		}
		m := f.titles[a.AwardCode]
		if m == nil {
			m = map[int]history.AwardRecord{}
			f.titles[a.AwardCode] = m
		}
		m[a.Year] = a
	}
	f.initiatives = r.Initiatives
	f.holds = r.Holds
	return f
}

// noHold is the built-in first criterion: no blocking hold in force on the day.
func (f *facts) noHold(on time.Time) CriterionResult {
	c := CriterionResult{ID: noHoldID, Label: "Không trong thời gian bị kỷ luật, điều tra, thanh tra, xác minh khiếu nại", Met: true}
	day := on.Format("02/01/2006")
	var blocking []string
	for _, h := range f.holds {
		if slices.Contains(f.v.BlockingHoldKinds, h.Kind) && h.Covers(on) {
			blocking = append(blocking, describeHold(h))
		}
	}
	if len(blocking) == 0 {
		c.Explanation = fmt.Sprintf("Không có kỷ luật, điều tra, thanh tra, khiếu nại đang có hiệu lực ngày %s: đạt", day)
		return c
	}
	c.Met = false
	c.Explanation = fmt.Sprintf("Đang tạm hoãn ngày %s: %s: chưa đạt", day, strings.Join(blocking, "; "))
	return c
}

func describeHold(h history.Hold) string {
	s := h.Kind.Label() + " từ " + history.FormatDate(h.StartsOn)
	if h.EndsOn != "" {
		s += " đến " + history.FormatDate(h.EndsOn)
	} else {
		s += " (chưa kết thúc)"
	}
	if h.DecisionCode != "" {
		s += " (QĐ " + h.DecisionCode + ")"
	}
	return s
}

// countingFrom is the first year whose facts count: after the last discipline
// that touches the proposal year or earlier (achievements count again from the end
// of the discipline), and, for awards given once per achievement, after the
// subject's previous award of the same kind.
func (f *facts) countingFrom(rule *AwardRule, year int) (int, []string) {
	from := 0
	var notes []string
	for _, h := range f.holds {
		if !slices.Contains(f.v.RestartHoldKinds, h.Kind) || len(h.StartsOn) < 4 {
			continue
		}
		start, _ := strconv.Atoi(h.StartsOn[:4])
		if start > year {
			continue
		}
		end := year
		if h.EndsOn != "" {
			end, _ = strconv.Atoi(h.EndsOn[:4])
		}
		if end+1 > from {
			from = end + 1
			if h.EndsOn == "" {
				notes = append(notes, fmt.Sprintf("%s: thành tích chưa được tính.", describeHold(h)))
			} else {
				notes = append(notes, fmt.Sprintf("%s: thành tích tính lại từ năm %d.", describeHold(h), from))
			}
		}
	}
	if rule.RestartAfterSameAward {
		last := 0
		for y := range f.titles[rule.Award] {
			if y < year && y > last {
				last = y
			}
		}
		if last > 0 && last+1 > from {
			from = last + 1
			notes = append(notes, fmt.Sprintf("Đã được tặng %s năm %d: thành tích tính từ năm %d (mỗi thành tích chỉ khen một lần).",
				f.v.Name(rule.Award), last, from))
		}
	}
	return from, notes
}

// window is a range of years a chain criterion established, for the criteria that
// look inside it.
type window struct{ from, to int }

// eval is one evaluation: the proposal year, the first counting year, and the
// windows of the chain criteria evaluated so far.
type eval struct {
	f       *facts
	year    int
	from    int
	windows map[string]window
	depth   int
}

func verdict(met bool) string {
	if met {
		return ": đạt"
	}
	return ": chưa đạt"
}

func (e *eval) criterion(c Criterion) CriterionResult {
	r := CriterionResult{ID: c.ID, Label: c.Label}
	var text string
	switch c.Type {
	case TypeRating:
		r.Met, text, r.Years = e.rating(c)
	case TypeTitleOrStandard:
		r.Met, text, r.Of = e.titleOrStandard(c)
	case TypeInitiatives:
		r.Met, text, r.Years = e.initiatives(c)
	case TypeConsecutiveTitles:
		r.Met, text, r.Years = e.consecutiveTitles(c)
	case TypeConsecutiveRatings:
		r.Met, text, r.Years = e.consecutiveRatings(c)
	case TypeTitlesInWindow:
		r.Met, text, r.Years = e.titlesInWindow(c)
	case TypeHoldsAward:
		r.Met, text, r.Years = e.holdsAward(c)
	case TypeAny, TypeAll:
		var parts []string
		r.Met = c.Type == TypeAll
		for _, sub := range c.Of {
			sr := e.criterion(sub)
			r.Of = append(r.Of, sr)
			parts = append(parts, "["+sr.Explanation+"]")
			if c.Type == TypeAny {
				r.Met = r.Met || sr.Met
			} else {
				r.Met = r.Met && sr.Met
			}
		}
		sep := " và "
		if c.Type == TypeAny {
			sep = " hoặc "
		}
		r.Explanation = strings.Join(parts, sep) + " ⇒" + strings.TrimPrefix(verdict(r.Met), ":")
		return r
	}
	r.Explanation = text + verdict(r.Met)
	return r
}

func (e *eval) name(award string) string { return e.f.v.Name(award) }

// ratingText is "hoàn thành tốt nhiệm vụ trở lên" for a minimum rating.
func ratingText(min history.Rating) string {
	s := strings.ToLower(min.Label())
	if min != history.RatingExcellent {
		s += " trở lên"
	}
	return s
}

func (e *eval) rating(c Criterion) (bool, string, []int) {
	r, ok := e.f.ratings[e.year]
	if !ok {
		return false, fmt.Sprintf("Xếp loại năm %d: chưa có (cần %s)", e.year, ratingText(c.Min)), nil
	}
	text := fmt.Sprintf("Xếp loại năm %d: %s (cần %s)", e.year, strings.ToLower(r.Label()), ratingText(c.Min))
	if e.year < e.from {
		return false, text + fmt.Sprintf(", không được tính (tính từ năm %d)", e.from), []int{e.year}
	}
	return r.Rank() >= c.Min.Rank(), text, []int{e.year}
}

func (e *eval) titleOrStandard(c Criterion) (bool, string, []CriterionResult) {
	name := e.name(c.Award)
	if a, ok := e.f.titles[c.Award][e.year]; ok && e.year >= e.from {
		text := fmt.Sprintf("%s %d: đã được tặng", name, e.year)
		if a.DecisionCode != "" {
			text += " (QĐ " + a.DecisionCode + ")"
		}
		return true, text, nil
	}
	rule := e.f.v.Rule(c.Award)
	if rule == nil || e.depth > 3 {
		return false, fmt.Sprintf("%s %d: chưa được tặng", name, e.year), nil
	}
	sub := &eval{f: e.f, year: e.year, from: e.from, windows: map[string]window{}, depth: e.depth + 1}
	met := true
	var subs []CriterionResult
	var parts []string
	for _, sc := range rule.Criteria {
		sr := sub.criterion(sc)
		met = met && sr.Met
		subs = append(subs, sr)
		parts = append(parts, sr.Explanation)
	}
	state := "chưa đạt tiêu chuẩn"
	if met {
		state = "đạt tiêu chuẩn"
	}
	return met, fmt.Sprintf("%s %d: chưa được tặng, %s (%s)", name, e.year, state, strings.Join(parts, "; ")), subs
}

// windowFor is the window a criterion looks in: its chain's, or its last Years
// years up to the proposal year, starting no earlier than the first counting year.
func (e *eval) windowFor(c Criterion) window {
	w := window{from: e.year - c.Years + 1, to: e.year}
	if c.WindowOf != "" {
		if cw, ok := e.windows[c.WindowOf]; ok {
			w = cw
		} else {
			w = window{from: e.year, to: e.year}
		}
	}
	if w.from < e.from {
		w.from = e.from
	}
	return w
}

func span(w window) string {
	if w.from == w.to {
		return "năm " + strconv.Itoa(w.to)
	}
	return fmt.Sprintf("%d–%d", w.from, w.to)
}

func yearList(ys []int) string {
	s := make([]string, len(ys))
	for i, y := range ys {
		s[i] = strconv.Itoa(y)
	}
	return strings.Join(s, ", ")
}

func (e *eval) initiatives(c Criterion) (bool, string, []int) {
	w := e.windowFor(c)
	scope := strings.ToLower(c.Scope.Label())
	if c.Scope != history.ScopeNational {
		scope += " trở lên"
	}
	if w.from > w.to {
		return false, fmt.Sprintf("Sáng kiến %s: không có năm nào được tính (tính từ năm %d) (cần %d)", scope, e.from, c.Count), nil
	}
	var years []int
	for _, in := range e.f.initiatives {
		if in.Year >= w.from && in.Year <= w.to && in.Scope.Rank() >= c.Scope.Rank() {
			years = append(years, in.Year)
		}
	}
	slices.Sort(years)
	text := fmt.Sprintf("Sáng kiến %s trong %s: %d", scope, span(w), len(years))
	if len(years) > 0 {
		text += " (" + yearList(years) + ")"
	}
	text += fmt.Sprintf(" (cần %d)", c.Count)
	return len(years) >= c.Count, text, years
}

// others describes the years of an award that did not join a chain: before the
// first counting year, not consecutive, or not counting (extraordinary, thematic).
func (e *eval) others(award string, chain []int) string {
	var early, gap []int
	for y := range e.f.titles[award] {
		if y > e.year || slices.Contains(chain, y) {
			continue
		}
		if y < e.from {
			early = append(early, y)
		} else {
			gap = append(gap, y)
		}
	}
	var uncounted []int
	for _, y := range e.f.uncounted[award] {
		if y <= e.year {
			uncounted = append(uncounted, y)
		}
	}
	var s string
	if len(gap) > 0 {
		slices.Sort(gap)
		s += "; không liên tục: " + yearList(gap)
	}
	if len(early) > 0 {
		slices.Sort(early)
		s += fmt.Sprintf("; không tính (trước năm %d): %s", e.from, yearList(early))
	}
	if len(uncounted) > 0 {
		slices.Sort(uncounted)
		s += "; không tính (đột xuất, chuyên đề…): " + yearList(uncounted)
	}
	return s
}

func (e *eval) consecutiveTitles(c Criterion) (bool, string, []int) {
	period := max(c.Period, 1)
	var chain []int
	for y := e.year; y >= e.from; y -= period {
		if _, ok := e.f.titles[c.Award][y]; !ok {
			break
		}
		chain = append(chain, y)
	}
	slices.Reverse(chain)
	name := e.name(c.Award)
	var text string
	if len(chain) == 0 {
		e.windows[c.ID] = window{from: e.year, to: e.year}
		text = fmt.Sprintf("%s năm %d: chưa có — 0 lần liên tục (cần %d)", name, e.year, c.Count)
	} else {
		e.windows[c.ID] = window{from: chain[0] - (period - 1), to: e.year}
		text = fmt.Sprintf("%s %s — %d lần liên tục (cần %d)", name, yearList(chain), len(chain), c.Count)
	}
	return len(chain) >= c.Count, text + e.others(c.Award, chain), chain
}

func (e *eval) consecutiveRatings(c Criterion) (bool, string, []int) {
	var chain []int
	for y := e.year; y >= e.from; y-- {
		if r, ok := e.f.ratings[y]; !ok || r.Rank() < c.Min.Rank() {
			break
		}
		chain = append(chain, y)
	}
	slices.Reverse(chain)
	what := capitalize(ratingText(c.Min))
	need := fmt.Sprintf("cần %d", c.Count)
	if c.AfterAward != "" {
		need += " năm liên tục sau " + e.name(c.AfterAward)
	}
	if len(chain) == 0 {
		e.windows[c.ID] = window{from: e.year, to: e.year}
		got := "chưa có xếp loại"
		if r, ok := e.f.ratings[e.year]; ok {
			got = strings.ToLower(r.Label())
		}
		if e.year < e.from {
			got += fmt.Sprintf(", không được tính (tính từ năm %d)", e.from)
		}
		return false, fmt.Sprintf("%s năm %d: %s — 0 năm liên tục (%s)", what, e.year, got, need), nil
	}
	w := window{from: chain[0], to: e.year}
	if c.AfterAward != "" {
		// The years must follow an award of AfterAward: the earliest one from which
		// the chain runs unbroken to the proposal year gives the longest window.
		after := 0
		for y := range e.f.titles[c.AfterAward] {
			if y >= chain[0]-1 && y < e.year && y >= e.from && (after == 0 || y < after) {
				after = y
			}
		}
		if after == 0 {
			e.windows[c.ID] = w
			return false, fmt.Sprintf("%s %s — %d năm liên tục, nhưng không có %s ngay trước đó (%s)",
				what, span(w), len(chain), e.name(c.AfterAward), need), chain
		}
		chain = slices.DeleteFunc(chain, func(y int) bool { return y <= after })
		w = window{from: after + 1, to: e.year}
		e.windows[c.ID] = w
		return len(chain) >= c.Count, fmt.Sprintf("%s sau %s %d: %s — %d năm liên tục (cần %d)",
			what, e.name(c.AfterAward), after, span(w), len(chain), c.Count), chain
	}
	e.windows[c.ID] = w
	return len(chain) >= c.Count, fmt.Sprintf("%s %s — %d năm liên tục (cần %d)", what, span(w), len(chain), c.Count), chain
}

func (e *eval) titlesInWindow(c Criterion) (bool, string, []int) {
	w := e.windowFor(c)
	var years []int
	for y := range e.f.titles[c.Award] {
		if y >= w.from && y <= w.to {
			years = append(years, y)
		}
	}
	slices.Sort(years)
	text := fmt.Sprintf("%s trong %s: %d lần", e.name(c.Award), span(w), len(years))
	if len(years) > 0 {
		text += " (" + yearList(years) + ")"
	}
	return len(years) >= c.Count, text + fmt.Sprintf(" (cần %d)", c.Count), years
}

func (e *eval) holdsAward(c Criterion) (bool, string, []int) {
	need := max(c.Count, 1)
	var years []int
	var codes []string
	for y, a := range e.f.titles[c.Award] {
		if y < e.year && y >= e.from {
			years = append(years, y)
			if a.DecisionCode != "" {
				codes = append(codes, a.DecisionCode)
			}
		}
	}
	slices.Sort(years)
	slices.Sort(codes)
	name := e.name(c.Award)
	if len(years) == 0 {
		text := fmt.Sprintf("%s: chưa được tặng trước năm %d", name, e.year)
		return false, text + e.others(c.Award, nil), nil
	}
	text := fmt.Sprintf("%s: %s", name, yearList(years))
	if len(codes) > 0 {
		text += " (QĐ " + strings.Join(codes, ", ") + ")"
	}
	if need > 1 {
		text += fmt.Sprintf(" (cần %d lần)", need)
	}
	return len(years) >= need, text, years
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
