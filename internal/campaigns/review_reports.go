package campaigns

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/review"
	"github.com/tdkt/tdkt/workflows/contract"
)

// ---- Reports ----

// UnitRef names a unit.
type UnitRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// ChildSummary is a child's report as its parent's view lists it.
type ChildSummary struct {
	UnitID      string        `json:"unit_id"`
	UnitName    string        `json:"unit_name"`
	Status      review.Status `json:"status"`
	Shown       review.Status `json:"shown_status"`
	Version     int           `json:"version"`
	Late        bool          `json:"late"`
	Deadline    *time.Time    `json:"deadline,omitempty"`
	SubmittedAt *time.Time    `json:"submitted_at,omitempty"`
}

// ReportView is a unit's report with its computed indicators, its children's
// aggregate, the awards of its subtree, the missing units and what the user may do.
type ReportView struct {
	Report
	CampaignTitle       string              `json:"campaign_title"`
	CampaignStatus      string              `json:"campaign_status"`
	ParentUnitName      string              `json:"parent_unit_name,omitempty"`
	Shown               review.Status       `json:"shown_status"`
	Overdue             bool                `json:"overdue"`
	Indicators          []review.Result     `json:"indicators"`
	AggregateIndicators []review.Result     `json:"aggregate_indicators"`
	Awards              []review.AwardCount `json:"awards"`
	MissingUnits        []UnitRef           `json:"missing_units"`
	Children            []ChildSummary      `json:"children"`
	Actions             []review.Action     `json:"actions"`
}

// Report returns a unit's report of a campaign; the user must be able to read reviews
// in that unit (a parent's standing body can: its role covers its subtree).
func (s *Service) Report(ctx context.Context, userID int64, campaignID, unitID string) (ReportView, error) {
	c, err := s.Store.Campaign(ctx, campaignID)
	if err != nil {
		return ReportView{}, err
	}
	r, err := s.Store.Report(ctx, c.ID, unitID)
	if err != nil {
		return ReportView{}, err
	}
	if err := s.Allow(userID, r.UnitID, objReview, "read"); err != nil {
		return ReportView{}, err
	}
	return s.reportView(ctx, userID, c, r)
}

func (s *Service) reportView(ctx context.Context, userID int64, c Campaign, r Report) (ReportView, error) {
	awards, err := s.Store.AwardCounts(ctx, c.ID, r.UnitID)
	if err != nil {
		return ReportView{}, err
	}
	// The units reporting to this one, not its whole subtree: a commune's action
	// read its subtree by a recursive query (4 ms of PostgreSQL's CPU at each
	// submission of the national review), the ministry's page 3,356 reports for 34.
	children, err := s.Store.ChildReports(ctx, c.ID, r.UnitID, false)
	if err != nil {
		return ReportView{}, err
	}
	now := s.Clock()
	v := ReportView{Report: r, CampaignTitle: c.Title, CampaignStatus: c.Status, Shown: review.Shown(r.Status, r.Deadline, now),
		Indicators: review.Compute(c.Template, r.Values, awards), AggregateIndicators: review.Compute(c.Template, r.Aggregate, awards),
		Awards: reviewNonNilAwards(awards), MissingUnits: []UnitRef{}, Children: []ChildSummary{}, Actions: []review.Action{}}
	v.Overdue = v.Shown == review.StatusOverdue
	names := map[string]string{}
	for _, ch := range children {
		names[ch.UnitID] = ch.UnitName
		v.Children = append(v.Children, ChildSummary{UnitID: ch.UnitID, UnitName: ch.UnitName, Status: ch.Status,
			Shown: review.Shown(ch.Status, ch.Deadline, now), Version: ch.Version, Late: ch.Late, Deadline: ch.Deadline, SubmittedAt: ch.SubmittedAt})
	}
	for _, id := range r.Missing {
		v.MissingUnits = append(v.MissingUnits, UnitRef{ID: id, Name: names[id]})
	}
	if r.ParentUnitID != "" {
		if p, err := s.admin.Store.Unit(ctx, r.ParentUnitID); err == nil {
			v.ParentUnitName = p.Name
		}
	}
	if c.Status == "running" && r.Depth > 0 {
		v.Actions = review.AvailableActions(r.Status, r.UnitID, r.ParentUnitID, func(unit, perm string) bool {
			return s.Can(userID, unit, objReview, perm)
		})
	}
	return v, nil
}

func reviewNonNilAwards(a []review.AwardCount) []review.AwardCount {
	if a == nil {
		return []review.AwardCount{}
	}
	return a
}

// ReportActInput is a user's action on a report: save or submit with figures and
// sections (entries set, Clear removes codes), or the parent's return with a reason
// or acceptance. Version, when set, is the report version the user saw.
type ReportActInput struct {
	Action  string            `json:"action"`
	Version *int              `json:"version"`
	Numbers map[string]int64  `json:"numbers"`
	Texts   map[string]string `json:"texts"`
	Clear   []string          `json:"clear"`
	Reason  string            `json:"reason"`
	Note    string            `json:"note"`
}

// ActOnReport authorises a user action and sends it to the unit's report workflow,
// waiting until it is recorded; it returns the report as the read model now shows
// it. Errors: KindInvalid for a malformed action or figures, KindForbidden, KindConflict
// for a wrong state, a stale version or a campaign that has ended.
func (s *Service) ActOnReport(ctx context.Context, userID int64, campaignID, unitID string, in ReportActInput) (ReportView, error) {
	action, ok := review.ParseUserAction(in.Action)
	if !ok {
		return ReportView{}, domain.Invalid("unknown action", domain.FieldError{Field: "action", Message: "one of save, submit, return, accept"})
	}
	c, err := s.runningCampaign(ctx, userID, campaignID)
	if err != nil {
		return ReportView{}, err
	}
	r, err := s.Store.Report(ctx, c.ID, unitID)
	if err != nil {
		return ReportView{}, err
	}
	if r.Depth == 0 {
		return ReportView{}, domain.Errorf(domain.KindConflict, "the requesting unit's consolidated report is the aggregate; it takes no actions")
	}
	perm, inParent := action.Permission()
	at := r.UnitID
	if inParent {
		at = r.ParentUnitID
	}
	if err := s.Allow(userID, at, objReview, perm); err != nil {
		return ReportView{}, err
	}
	vals := review.Values{}
	for code, n := range in.Numbers {
		if vals.Numbers == nil {
			vals.Numbers = map[string]int64{}
		}
		vals.Numbers[code] = n
	}
	for code, t := range in.Texts {
		if vals.Texts == nil {
			vals.Texts = map[string]string{}
		}
		vals.Texts[code] = domain.Clean(t)
	}
	in.Reason = domain.Clean(in.Reason)
	var fields []domain.FieldError
	if action.ByParent() && (!vals.IsZero() || len(in.Clear) > 0) {
		fields = append(fields, domain.FieldError{Field: "numbers", Message: "the parent returns or accepts the report as it is"})
	} else {
		fields = append(fields, c.Template.Check(vals, in.Clear)...)
	}
	if err := review.CheckFields(action, in.Reason); err != nil {
		fields = append(fields, domain.FieldError{Field: err.Field, Message: err.Message})
	}
	reviewCheckLen("reason", in.Reason, maxPlanLen, &fields)
	if len(fields) > 0 {
		return ReportView{}, domain.Invalid("the report action has invalid fields", fields...)
	}
	var st contract.ReviewState
	if err := s.reviewUpdate(ctx, review.UnitWorkflowID(c.ID, r.UnitID), contract.UpdateReviewAct, contract.ReviewActInput{
		Action: action, ActorID: userID, UnitID: at, Version: in.Version, Values: vals, Clear: in.Clear,
		Reason: in.Reason, Note: domain.Clean(in.Note)}, &st, "the report's workflow"); err != nil {
		return ReportView{}, err
	}
	r, err = s.Store.Report(ctx, c.ID, unitID)
	if err != nil {
		return ReportView{}, err
	}
	return s.reportView(ctx, userID, c, r)
}

// ReportHistory returns the events of a report the user may read.
func (s *Service) ReportHistory(ctx context.Context, userID int64, campaignID, unitID string) ([]ReviewEvent, error) {
	c, err := s.Store.Campaign(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	r, err := s.Store.Report(ctx, c.ID, unitID)
	if err != nil {
		return nil, err
	}
	if err := s.Allow(userID, r.UnitID, objReview, "read"); err != nil {
		return nil, err
	}
	return s.Store.ReviewEvents(ctx, c.ID, r.UnitID)
}

// ---- Dashboard ----

// DashboardQuery narrows the dashboard: the subtree root (default: the campaign's
// requesting unit, or the highest unit of the campaign the user may read), the depth
// of the tree returned, and a status whose units are listed flat.
type DashboardQuery struct {
	UnitID string
	Depth  int
	Status string
}

// LevelCount counts the reports of one depth by status.
type LevelCount struct {
	Depth      int        `json:"depth"`
	Level      string     `json:"level"`
	Deadline   *time.Time `json:"deadline,omitempty"`
	Total      int        `json:"total"`
	NotStarted int        `json:"not_started"`
	Draft      int        `json:"draft"`
	Submitted  int        `json:"submitted"`
	Returned   int        `json:"returned"`
	Accepted   int        `json:"accepted"`
	Overdue    int        `json:"overdue"`
	Late       int        `json:"late"`
}

// DashboardNode is one unit of the dashboard tree.
type DashboardNode struct {
	UnitID           string           `json:"unit_id"`
	UnitName         string           `json:"unit_name"`
	Level            string           `json:"level"`
	Depth            int              `json:"depth"`
	Status           review.Status    `json:"status"`
	Shown            review.Status    `json:"shown_status"`
	Late             bool             `json:"late"`
	Stale            bool             `json:"stale,omitempty"`
	Deadline         *time.Time       `json:"deadline,omitempty"`
	SubmittedAt      *time.Time       `json:"submitted_at,omitempty"`
	ChildrenTotal    int              `json:"children_total"`
	ChildrenReported int              `json:"children_reported"`
	Children         []*DashboardNode `json:"children,omitempty"`
}

// Dashboard is the deadline dashboard of a campaign's subtree.
type Dashboard struct {
	Campaign  Campaign            `json:"campaign"`
	RootID    string              `json:"root_unit_id"`
	AsOf      time.Time           `json:"as_of"`
	Levels    []LevelCount        `json:"levels"`
	Tree      *DashboardNode      `json:"tree"`
	Units     []*DashboardNode    `json:"units,omitempty"` // the units of the status asked for
	Aggregate []review.Result     `json:"aggregate"`
	Awards    []review.AwardCount `json:"awards"`
	Missing   []UnitRef           `json:"missing_units"`
}

// CampaignDashboard builds the dashboard of a campaign's subtree from the read model:
// the tree of units with their status (overdue when open past the deadline), counts
// per level, and the root's aggregate so far with the awards of its subtree.
func (s *Service) CampaignDashboard(ctx context.Context, userID int64, id string, q DashboardQuery) (Dashboard, error) {
	c, err := s.Campaign(ctx, userID, id)
	if err != nil {
		return Dashboard{}, err
	}
	root := q.UnitID
	if root == "" {
		root = c.UnitID
		if !s.Can(userID, root, objReview, "read") {
			top, err := s.Store.TopCampaignUnitIn(ctx, c.ID, s.Authz.VisibleUnits(userID, objReview, "read"))
			if err != nil {
				return Dashboard{}, err
			}
			root = top
		}
	}
	if q.Status != "" && q.Status != string(review.StatusOverdue) && !slices.Contains([]review.Status{review.StatusNotStarted,
		review.StatusDraft, review.StatusSubmitted, review.StatusReturned, review.StatusAccepted}, review.Status(q.Status)) {
		return Dashboard{}, domain.Invalid("unknown status", domain.FieldError{Field: "status",
			Message: "one of not_started, draft, submitted, returned, accepted, overdue"})
	}
	if err := s.Allow(userID, root, objReview, "read"); err != nil {
		return Dashboard{}, err
	}
	rows, err := s.Store.Reports(ctx, c.ID, root, false)
	if err != nil {
		return Dashboard{}, err
	}
	if len(rows) == 0 {
		return Dashboard{}, domain.Errorf(domain.KindNotFound, "this unit takes no part in the campaign")
	}
	rootReport, err := s.Store.Report(ctx, c.ID, root)
	if err != nil {
		return Dashboard{}, err
	}
	awards, err := s.Store.AwardCounts(ctx, c.ID, root)
	if err != nil {
		return Dashboard{}, err
	}
	now := s.Clock()
	d := Dashboard{Campaign: c, RootID: root, AsOf: now, Levels: []LevelCount{}, Missing: []UnitRef{},
		Aggregate: review.Compute(c.Template, rootReport.Aggregate, awards), Awards: reviewNonNilAwards(awards)}
	nodes := make(map[string]*DashboardNode, len(rows))
	levels := map[int]*LevelCount{}
	var depths []int
	for _, r := range rows {
		n := &DashboardNode{UnitID: r.UnitID, UnitName: r.UnitName, Level: r.Level, Depth: r.Depth, Status: r.Status,
			Shown: review.Shown(r.Status, r.Deadline, now), Late: r.Late, Stale: r.Stale, Deadline: r.Deadline,
			SubmittedAt: r.SubmittedAt, ChildrenTotal: r.ChildrenTotal, ChildrenReported: r.ChildrenReported}
		nodes[r.UnitID] = n
		if r.UnitID == root {
			d.Tree = n
		} else if p := nodes[r.ParentUnitID]; p != nil && (q.Depth <= 0 || r.Depth-rows[0].Depth <= q.Depth) {
			p.Children = append(p.Children, n)
		}
		if r.UnitID != root {
			lc := levels[r.Depth]
			if lc == nil {
				lc = &LevelCount{Depth: r.Depth, Level: r.Level, Deadline: r.Deadline}
				levels[r.Depth] = lc
				depths = append(depths, r.Depth)
			}
			lc.Total++
			switch r.Status {
			case review.StatusNotStarted:
				lc.NotStarted++
			case review.StatusDraft:
				lc.Draft++
			case review.StatusSubmitted:
				lc.Submitted++
			case review.StatusReturned:
				lc.Returned++
			case review.StatusAccepted:
				lc.Accepted++
			}
			if n.Shown == review.StatusOverdue {
				lc.Overdue++
			}
			if r.Late {
				lc.Late++
			}
			if q.Status != "" && (string(n.Shown) == q.Status || string(n.Status) == q.Status) {
				d.Units = append(d.Units, n)
			}
		}
	}
	slices.Sort(depths)
	for _, dep := range depths {
		d.Levels = append(d.Levels, *levels[dep])
	}
	for _, id := range rootReport.Missing {
		name := id
		if n := nodes[id]; n != nil {
			name = n.UnitName
		}
		d.Missing = append(d.Missing, UnitRef{ID: id, Name: name})
	}
	return d, nil
}

// ---- Exports ----

// Export formats of a report.
const (
	FormatJSON = "json"
	FormatDOCX = "docx"
)

// ContentTypeDOCX is the media type of a Word document.
const ContentTypeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

// ExportSection is a narrative section of an exported report.
type ExportSection struct {
	Code    string `json:"code"`
	Heading string `json:"heading"`
	Text    string `json:"text"`
}

// ReportExport is the JSON export of a report: the campaign, the report with its
// computed indicators, the narrative sections in the template's order, the units
// that reported and those missing.
type ReportExport struct {
	Campaign    Campaign        `json:"campaign"`
	Template    review.Template `json:"template"`
	Report      ReportView      `json:"report"`
	Sections    []ExportSection `json:"sections"`
	GeneratedAt time.Time       `json:"generated_at"`
}

// ExportReport renders a unit's report as JSON or as a Word document in Vietnamese
// with the narrative sections, the indicator table, the awards and the units that
// reported. The requesting unit's report is the campaign's consolidated report.
func (s *Service) ExportReport(ctx context.Context, userID int64, campaignID, unitID, format string) (body []byte, contentType, fileName string, err error) {
	if format != FormatJSON && format != FormatDOCX {
		return nil, "", "", domain.Invalid("unknown format", domain.FieldError{Field: "format", Message: "json or docx"})
	}
	v, err := s.Report(ctx, userID, campaignID, unitID)
	if err != nil {
		return nil, "", "", err
	}
	c, err := s.Store.Campaign(ctx, campaignID)
	if err != nil {
		return nil, "", "", err
	}
	values := v.Values
	if v.Depth == 0 && v.PrefilledAt == nil {
		values = v.Aggregate
		v.Indicators = v.AggregateIndicators
	}
	ex := ReportExport{Campaign: c, Template: c.Template, Report: v, Sections: []ExportSection{}, GeneratedAt: s.Clock()}
	for _, in := range c.Template.Indicators {
		if in.Kind == review.Text {
			ex.Sections = append(ex.Sections, ExportSection{Code: in.Code, Heading: in.Name, Text: values.Texts[in.Code]})
		}
	}
	base := "bao-cao-" + strings.ToLower(v.UnitID) + "-" + c.ID[:8]
	if format == FormatJSON {
		body, err = json.MarshalIndent(ex, "", "  ")
		return body, "application/json; charset=utf-8", base + ".json", err
	}
	body, err = review.RenderDOCX(s.reportDocument(ctx, ex))
	return body, ContentTypeDOCX, base + ".docx", err
}

// reviewStatusLabels are the Vietnamese names of report statuses.
var reviewStatusLabels = map[review.Status]string{
	review.StatusNotStarted: "Chưa thực hiện", review.StatusDraft: "Đang soạn", review.StatusSubmitted: "Đã gửi",
	review.StatusReturned: "Bị trả lại", review.StatusAccepted: "Đã tiếp nhận", review.StatusOverdue: "Quá hạn",
	review.StatusCollecting: "Đang tổng hợp", review.StatusCompleted: "Hoàn thành", review.StatusClosed: "Đã kết thúc",
}

// reviewPlacePrefixes are stripped from a People's Committee's name to get the place name
// a document is dated from (địa danh).
var reviewPlacePrefixes = []string{"UBND tỉnh ", "UBND thành phố ", "UBND huyện ", "UBND thị xã ", "UBND thị trấn ", "UBND phường ", "UBND xã "}

func reviewPlaceOf(unitName string) string {
	for _, p := range reviewPlacePrefixes {
		if strings.HasPrefix(unitName, p) {
			return strings.TrimPrefix(unitName, p)
		}
	}
	return unitName
}

func reviewRoman(n int) string {
	vals := []int{10, 9, 5, 4, 1}
	syms := []string{"X", "IX", "V", "IV", "I"}
	var b strings.Builder
	for i, v := range vals {
		for n >= v {
			b.WriteString(syms[i])
			n -= v
		}
	}
	return b.String()
}

// reportDocument lays a report out as an administrative document.
func (s *Service) reportDocument(ctx context.Context, ex ReportExport) review.Document {
	v, c := ex.Report, ex.Campaign
	at := s.Clock()
	if v.SubmittedAt != nil {
		at = *v.SubmittedAt
	}
	d := review.Document{Issuer: strings.ToUpper(v.UnitName), Number: "Số:        /BC-UBND", Place: reviewPlaceOf(v.UnitName),
		Date: at, Title: "BÁO CÁO", Subject: c.Title}
	if c.LetterNumber != "" {
		letterDate := ""
		if t, err := time.ParseInLocation(time.DateOnly, c.LetterDate, calendar.Zone); err == nil {
			letterDate = " ngày " + review.FormatShortDate(t)
		}
		d.Intro = fmt.Sprintf("Thực hiện Công văn số %s%s của %s về việc báo cáo %s, %s báo cáo kết quả thực hiện như sau:",
			c.LetterNumber, letterDate, c.UnitName, strings.ToLower(c.Kind.Title()), v.UnitName)
	} else {
		d.Intro = fmt.Sprintf("%s báo cáo kết quả thực hiện như sau:", v.UnitName)
	}
	i := 0
	for _, sec := range ex.Sections {
		paras := review.Paragraphs(sec.Text)
		if len(paras) == 0 {
			continue
		}
		i++
		d.Sections = append(d.Sections, review.DocSection{Heading: reviewRoman(i) + ". " + strings.ToUpper(sec.Heading), Paragraphs: paras})
	}
	group, g, n := "\x00", 0, 0
	for _, r := range v.Indicators {
		if r.Kind == review.Text {
			continue
		}
		if r.Group != group {
			group, n = r.Group, 0
			g++
			d.Table = append(d.Table, review.DocRow{Group: true, No: reviewRoman(g), Name: r.Group})
		}
		n++
		val := r.Display
		if val == "" {
			val = "–"
		}
		d.Table = append(d.Table, review.DocRow{No: fmt.Sprint(n), Name: r.Name, Unit: r.Unit, Value: val})
	}
	d.Awards = v.Awards
	for _, ch := range v.Children {
		if !ch.Status.Reported() {
			continue
		}
		label := reviewStatusLabels[ch.Status]
		if ch.Late {
			label += " (muộn)"
		}
		when := ""
		if ch.SubmittedAt != nil {
			when = review.FormatShortDate(*ch.SubmittedAt)
		}
		d.Units = append(d.Units, review.DocUnit{Name: ch.UnitName, Status: label, SubmittedAt: when, Late: ch.Late})
	}
	for _, m := range v.MissingUnits {
		d.Missing = append(d.Missing, m.Name)
	}
	if v.ParentUnitName != "" {
		d.Closing = fmt.Sprintf("%s trân trọng báo cáo %s./.", v.UnitName, v.ParentUnitName)
		d.Recipients = []string{v.ParentUnitName + ";"}
	} else {
		d.Closing = fmt.Sprintf("%s tổng hợp báo cáo./.", v.UnitName)
	}
	d.Recipients = append(d.Recipients, "Lưu: VT.")
	if u, err := s.admin.Store.Unit(ctx, v.UnitID); err == nil && u.Kind == AdministrativeKind {
		d.SignerTitle = []string{"TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"}
	} else {
		d.SignerTitle = []string{"THỦ TRƯỞNG ĐƠN VỊ"}
	}
	return d
}
