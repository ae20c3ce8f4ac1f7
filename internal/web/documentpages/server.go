// Package documentpages holds the documents the web UI issues from a dossier:
// the printable decision and its PDF (signed when the server has a Signing), the
// certificates, the submission, the return letter, the council's minutes and the
// appraisal report, each registered with a verification code; the upload of a
// signed copy; and the public verification page (/verify/<code>) and upload. The
// dossier page lists a dossier's papers through Papers.
package documentpages

import (
	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/domain"
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

// Routes registers the public verification routes on public and the documents of
// a dossier on the authenticated group.
func Routes(core *web.Server, public, a *gin.RouterGroup) {
	s := &server{Server: core, cfg: core.Config()}
	public.GET("/verify/:code", s.publicVerify)
	public.POST("/api/v1/documents/verify", s.verifyUpload)
	a.GET("/dossiers/:id/decision", s.decisionPrint)
	a.GET("/dossiers/:id/decision.pdf", s.decisionPDF)
	a.POST("/dossiers/:id/decision.pdf", s.uploadSigned)
	a.GET("/dossiers/:id/certificate.pdf", s.certificatePDF)
	a.GET("/dossiers/:id/submission.pdf", s.submissionPDF)
	a.GET("/dossiers/:id/return-letter.pdf", s.returnLetterPDF)
	a.GET("/dossiers/:id/minutes.pdf", s.minutesPDF)
	a.GET("/dossiers/:id/appraisal.pdf", s.appraisalPDF)
	a.GET("/dossiers/:id/certificates.pdf", s.certificatesPDF)
}

// Papers lists the documents of a dossier the reader may open, for its page.
func Papers(core *web.Server, c *gin.Context, n domain.Nomination, events []domain.AuditEvent) []PaperLink {
	s := &server{Server: core, cfg: core.Config()}
	return s.dossierPapers(c, n, events)
}
