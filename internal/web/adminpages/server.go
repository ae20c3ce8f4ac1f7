// Package adminpages holds the web UI's administration and records pages: the
// admin area (units, users, role assignments and signer titles of the
// administrator's subtree, the unit import), the working-day calendar, the award
// history of units and people (lists, subject pages, recording, the workbook
// import) and the statistics with their export. The core (internal/web) renders
// them; the admin area's menu entry is the core's (navShown).
package adminpages

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

// Routes registers the admin, calendar, history and statistics pages on the
// authenticated group.
func Routes(core *web.Server, _, a *gin.RouterGroup) {
	s := &server{Server: core, cfg: core.Config()}
	a.GET("/statistics", s.statisticsPage)
	a.GET("/statistics/export", s.statisticsExport)
	a.GET("/calendar", s.calendarPage)
	a.POST("/calendar", s.saveCalendar)
	a.GET("/history", s.historyList)
	a.GET("/history/subjects/:id", s.subjectPage)
	a.POST("/history/subjects/:id/record", s.recordEntry)
	a.GET("/history/import", s.historyImportForm)
	a.POST("/history/import", s.importHistory)
	s.adminRoutes(a)
}
