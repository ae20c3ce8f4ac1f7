package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/app"
	"github.com/tdkt/tdkt/internal/review"
	"github.com/tdkt/tdkt/internal/store"
)

// campaignsData is the review campaigns list's content.
type campaignsData struct {
	Campaigns []store.Campaign
}

// campaignList lists the review campaigns (đợt sơ kết, tổng kết) in which a unit
// the user may read takes part, read-only.
func (s *Server) campaignList(c *gin.Context) {
	cs, err := s.cfg.App.Campaigns(ctx(c), userID(c), app.CampaignFilter{})
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "reviews", s.page(c, "reviews", campaignsData{Campaigns: cs}))
}

// campaignData is a campaign page's content: the dashboard of the subtree asked
// for, the progress of each unit below its root as a stacked bar, and the table of
// each of those units with its own units.
type campaignData struct {
	D        app.Dashboard
	Progress chart
	Rows     []progressRow
}

// progressRow is one unit below the root with the counts of its own units by
// status (or its own status when it has none below it).
type progressRow struct {
	Node                                *app.DashboardNode
	Reported, Pending, Overdue, Missing int
}

// campaignPage shows a campaign's progress tree per district and commune, with the
// counts per level and the aggregate indicators of the subtree's root. ?unit=
// narrows it to a subtree.
func (s *Server) campaignPage(c *gin.Context) {
	d, err := s.cfg.App.CampaignDashboard(ctx(c), userID(c), c.Param("id"), app.DashboardQuery{UnitID: c.Query("unit"), Depth: 2})
	if err != nil {
		s.fail(c, err)
		return
	}
	p := s.page(c, "reviews", nil)
	data := campaignData{D: d}
	var rows []chartInput
	if d.Tree != nil {
		for _, n := range d.Tree.Children {
			r := progressRow{Node: n}
			below := n.Children
			if len(below) == 0 {
				below = []*app.DashboardNode{n}
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
			rows = append(rows, chartInput{Label: n.UnitName, Link: "/reviews/" + d.Campaign.ID + "?unit=" + n.UnitID,
				Values: []chartValue{
					{Value: r.Reported, Class: "bar-intime", Name: p.T("review.reported")},
					{Value: r.Pending, Class: "bar-draft", Name: p.T("review.pending")},
					{Value: r.Overdue, Class: "bar-overdue", Name: p.T("review.overdue")},
				}})
		}
	}
	data.Progress = newChart("chart-progress", p.T("review.progress"), rows, []legendItem{
		{Class: "bar-intime", Label: p.T("review.reported")}, {Class: "bar-draft", Label: p.T("review.pending")},
		{Class: "bar-overdue", Label: p.T("review.overdue")}})
	p.Data = data
	s.render(c, http.StatusOK, "review", p)
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
