package reviewpages

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/campaigns"
	"github.com/tdkt/tdkt/internal/review"
	"github.com/tdkt/tdkt/internal/web"
)

// campaignsData is the review campaigns list's content.
type campaignsData struct {
	Campaigns []campaigns.Campaign
	// CanLaunch offers the form that requests a review.
	CanLaunch bool
}

// campaignList lists the review campaigns (đợt sơ kết, tổng kết) in which a unit
// the user may read takes part, with the link to launch one for those who may.
func (s *server) campaignList(c *gin.Context) {
	cs, err := s.cfg.App.Campaigns(web.Ctx(c), web.UserID(c), campaigns.CampaignFilter{})
	if err != nil {
		s.Fail(c, err)
		return
	}
	d := campaignsData{Campaigns: cs, CanLaunch: len(s.roleUnits(c, "review", "launch")) > 0}
	s.Render(c, http.StatusOK, "reviews", s.page(c, "reviews", d))
}

// campaignData is a campaign page's content: the dashboard of the subtree asked
// for, the progress of each unit below its root as a stacked bar, and the table of
// each of those units with its own units; the reports of the user's own units, and
// the requesting unit's forms (deadlines, closing) when the user may manage it.
type campaignData struct {
	D        campaigns.Dashboard
	Progress web.Chart
	Rows     []progressRow
	// MyReports are the reports of the units where the user drafts or submits.
	MyReports []*campaigns.DashboardNode
	CanManage bool
	// Form is the posted deadlines or closing form, shown again with its errors.
	Form url.Values
}

// Val returns a posted value of the campaign's forms, or def.
func (d campaignData) Val(name, def string) string {
	if d.Form == nil {
		return def
	}
	return d.Form.Get(name)
}

// progressRow is one unit below the root with the counts of its own units by
// status (or its own status when it has none below it).
type progressRow struct {
	Node                                *campaigns.DashboardNode
	Reported, Pending, Overdue, Missing int
}

// campaignPage shows a campaign's progress tree per district and commune, with the
// counts per level and the aggregate indicators of the subtree's root. ?unit=
// narrows it to a subtree.
func (s *server) campaignPage(c *gin.Context) {
	s.campaignPageWith(c, s.page(c, "reviews", nil), nil)
}

// campaignPageWith renders the campaign page on p, which may carry the errors of a
// posted form (then shown with status 422 or 409).
func (s *server) campaignPageWith(c *gin.Context, p *page, form url.Values) {
	uid := web.UserID(c)
	d, err := s.cfg.App.CampaignDashboard(web.Ctx(c), uid, c.Param("id"), campaigns.DashboardQuery{UnitID: c.Query("unit"), Depth: 2})
	if err != nil {
		s.Fail(c, err)
		return
	}
	data := campaignData{D: d, Form: form, CanManage: d.Campaign.Status == "running" && s.cfg.App.Can(uid, d.Campaign.UnitID, "review", "manage")}
	if user := web.User(c); user != nil && d.Tree != nil {
		for _, r := range user.Roles {
			if !s.cfg.App.Can(uid, r.UnitID, "review", "edit") && !s.cfg.App.Can(uid, r.UnitID, "review", "submit") {
				continue
			}
			if n := findNode(d.Tree, r.UnitID); n != nil && n.Depth > 0 && !slices.Contains(data.MyReports, n) {
				data.MyReports = append(data.MyReports, n)
			}
		}
	}
	var rows []web.ChartInput
	if d.Tree != nil {
		for _, n := range d.Tree.Children {
			r := progressRow{Node: n}
			below := n.Children
			if len(below) == 0 {
				below = []*campaigns.DashboardNode{n}
			}
			for _, u := range below {
				switch {
				case u.Status == review.StatusSubmitted || u.Status == review.StatusAccepted:
					r.Reported++
				case u.Shown == review.StatusOverdue:
					r.Overdue++
				default:
					r.Pending++
				}
			}
			data.Rows = append(data.Rows, r)
			rows = append(rows, web.ChartInput{Label: n.UnitName, Link: "/reviews/" + d.Campaign.ID + "?unit=" + n.UnitID,
				Values: []web.ChartValue{
					{Value: r.Reported, Class: "bar-intime", Name: p.T("review.reported")},
					{Value: r.Pending, Class: "bar-draft", Name: p.T("review.pending")},
					{Value: r.Overdue, Class: "bar-overdue", Name: p.T("review.overdue")},
				}})
		}
	}
	data.Progress = web.NewChart("chart-progress", p.T("review.progress"), rows, []web.LegendItem{
		{Class: "bar-intime", Label: p.T("review.reported")}, {Class: "bar-draft", Label: p.T("review.pending")},
		{Class: "bar-overdue", Label: p.T("review.overdue")}})
	p.Data = data
	status := http.StatusOK
	switch p.Error {
	case "error.invalid":
		status = http.StatusUnprocessableEntity
	case "error.conflict":
		status = http.StatusConflict
	}
	s.Render(c, status, "review", p)
}

// findNode returns the node of a unit in the dashboard tree, or nil.
func findNode(n *campaigns.DashboardNode, unitID string) *campaigns.DashboardNode {
	if n.UnitID == unitID {
		return n
	}
	for _, ch := range n.Children {
		if f := findNode(ch, unitID); f != nil {
			return f
		}
	}
	return nil
}

// ReviewStatus labels a review report's status.
func (p *page) ReviewStatus(v any) string { return p.T("rstatus." + toString(v)) }

// ReviewColumns are the report statuses the levels table counts, in its order.
func (p *page) ReviewColumns() []string {
	return []string{"not_started", "draft", "submitted", "returned", "accepted", "overdue"}
}

func toString(v any) string {
	switch x := v.(type) {
	case review.Status:
		return string(x)
	case review.CampaignKind:
		return string(x)
	case string:
		return x
	}
	return ""
}
