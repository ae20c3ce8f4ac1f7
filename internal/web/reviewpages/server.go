// Package reviewpages holds the web UI's pages of emulation movements and review
// campaigns: launching a movement, registering a unit, recurring review schedules
// (with their next runs, as Temporal describes them), launching a campaign to the
// reporting units checked among those directly below the requesting unit, the
// campaign's progress and laggards, and each unit's report, filled in, submitted,
// returned or accepted. The core (internal/web) renders them; its templates are
// movements.html, movement*.html, reviews.html, review*.html and report.html.
package reviewpages

import (
	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/web"
)

// server is the web core seen from this package: the handlers are its methods.
type server struct {
	*web.Server
	cfg web.Config
}

// page is the template root of this package's pages: the core's page and the
// methods their templates call.
type page struct{ *web.Page }

func (s *server) page(c *gin.Context, nav string, data any) *page {
	return &page{s.Page(c, nav, data)}
}

// Routes registers the movement and review pages on the authenticated group.
func Routes(core *web.Server, _, a *gin.RouterGroup) {
	s := &server{Server: core, cfg: core.Config()}
	a.GET("/reviews", s.campaignList)
	a.GET("/reviews/new", s.newCampaign)
	a.POST("/reviews/new", s.launchCampaign)
	a.GET("/reviews/:id", s.campaignPage)
	a.POST("/reviews/:id/deadlines", s.setDeadlines)
	a.POST("/reviews/:id/close", s.closeCampaign)
	a.GET("/reviews/:id/reports/:unit", s.reportPage)
	a.POST("/reviews/:id/reports/:unit", s.actOnReport)
	a.GET("/movements", s.movementList)
	a.GET("/movements/new", s.newMovement)
	a.POST("/movements/new", s.launchMovement)
	a.GET("/movements/:id", s.movementPage)
	a.POST("/movements/:id/register", s.registerUnit)
	a.POST("/movements/:id/schedules", s.createSchedule)
	a.POST("/movements/:id/schedules/:kind", s.editSchedule)
	a.POST("/movements/:id/schedules/:kind/pause", s.pauseSchedule(true))
	a.POST("/movements/:id/schedules/:kind/unpause", s.pauseSchedule(false))
	a.POST("/movements/:id/schedules/:kind/trigger", s.triggerSchedule)
}
