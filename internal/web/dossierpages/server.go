// Package dossierpages holds the web UI's dossier pages (hồ sơ đề nghị): the list,
// the create and edit forms (with the nominee list typed in or imported from a
// spreadsheet), the dossier page with its route, nominees, eligibility, history
// and the forms of every step of the procedure (intake, council ballot and
// minutes, concurrence, consultation, holds, outcomes, attachments, assignment),
// the action endpoint behind those forms, and the decisions register. The
// documents a dossier issues are documentpages'.
package dossierpages

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

// Routes registers the dossier pages and actions on the authenticated group.
func Routes(core *web.Server, _, a *gin.RouterGroup) {
	s := &server{Server: core, cfg: core.Config()}
	a.GET("/dossiers", s.dossierList)
	a.GET("/dossiers/new", s.newDossier)
	a.POST("/dossiers/new", s.createDossier)
	a.GET("/dossiers/:id", s.dossierDetail)
	a.GET("/dossiers/:id/edit", s.editDossier)
	a.POST("/dossiers/:id/edit", s.saveDossier)
	a.POST("/dossiers/:id/act", s.actOnDossier)
	a.POST("/dossiers/:id/vote", s.vote)
	a.POST("/dossiers/:id/conflict", s.declareConflict)
	a.POST("/dossiers/:id/documents", s.uploadDocument)
	a.GET("/decisions", s.decisionList)
	a.GET("/fragments/nominee-row", s.nomineeRow)
	a.POST("/dossiers/:id/nominees/import", s.importNominees)
	a.POST("/dossiers/:id/eligibility", s.overrideEligibility)
}
