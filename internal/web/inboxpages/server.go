// Package inboxpages holds the web UI's inbox: the tasks waiting for the reader
// and their units, with filters, saved views, bulk actions and the spreadsheet
// export; claiming, releasing and assigning a task; and the deadlines page. The
// core (internal/web) renders them; the task views a dossier page also shows
// (AssignForm, DueRisk) are the core's.
package inboxpages

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

// Routes registers the inbox and deadline pages on the authenticated group.
func Routes(core *web.Server, _, a *gin.RouterGroup) {
	s := &server{Server: core, cfg: core.Config()}
	a.GET("/inbox", s.inbox)
	a.GET("/inbox/export.xlsx", s.inboxExport)
	a.POST("/inbox/bulk", s.bulkAct)
	a.POST("/inbox/views", s.saveView)
	a.POST("/inbox/views/:view/delete", s.deleteView)
	a.POST("/inbox/tasks/:task/claim", s.claimTask)
	a.POST("/inbox/tasks/:task/release", s.releaseTask)
	a.POST("/inbox/tasks/:task/assign", s.assignTask)
	a.GET("/deadlines", s.deadlinesPage)
}
