package httpapi

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/authority"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/httpx"
)

// procedureRoutes registers the endpoints of councils, consultation, documents,
// revocation and the authority matrix.
func (s *Server) procedureRoutes(g *gin.RouterGroup) {
	g.POST("/nominations/:id/votes", s.vote)
	g.POST("/nominations/:id/conflicts", s.declareConflict)
	g.GET("/nominations/:id/council", s.council)
	g.GET("/nominations/:id/consultation", s.consultation)
	g.POST("/nominations/:id/revocations", s.revoke)
	g.POST("/nominations/:id/documents", s.uploadDocument)
	g.GET("/nominations/:id/documents", s.documents)
	g.GET("/nominations/:id/checklist", s.checklist)
	g.GET("/documents/:id", s.downloadDocument)
	g.GET("/authority-rules", s.authorityRules)
	g.POST("/authority-rules", s.saveAuthorityRule)
	g.PUT("/authority-rules/:id", s.saveAuthorityRule)
	g.DELETE("/authority-rules/:id", s.deleteAuthorityRule)
}

type voteRequest struct {
	Choice string `json:"choice"`
}

func (s *Server) vote(c *gin.Context) {
	var req voteRequest
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	cs, err := s.App.Vote(ctx(c), userID(c), c.Param("id"), req.Choice)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, cs)
}

type conflictRequest struct {
	Reason string `json:"reason"`
}

func (s *Server) declareConflict(c *gin.Context) {
	var req conflictRequest
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	if err := s.App.DeclareConflict(ctx(c), userID(c), c.Param("id"), req.Reason); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (s *Server) council(c *gin.Context) {
	cs, err := s.App.Council(ctx(c), userID(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"sessions": cs})
}

func (s *Server) consultation(c *gin.Context) {
	co, err := s.App.Consultation(ctx(c), userID(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, co)
}

type revokeRequest struct {
	DecisionCode string `json:"decision_code"`
	Ground       string `json:"ground"`
	Note         string `json:"note"`
}

func (s *Server) revoke(c *gin.Context) {
	var req revokeRequest
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	n, err := s.App.RevokeDecision(ctx(c), userID(c), c.Param("id"), req.DecisionCode, req.Ground, req.Note)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, n)
}

// uploadDocument takes the file as the raw request body (?kind=…&name=…) or as
// the part "file" of a multipart form (httpx.ReadUpload); the body limit is
// enforced while reading.
func (s *Server) uploadDocument(c *gin.Context) {
	f, err := httpx.ReadUpload(c, "file")
	if err != nil {
		s.fail(c, err)
		return
	}
	d, err := s.App.AddDocument(ctx(c), userID(c), c.Param("id"), c.Query("kind"), f.Name, f.Data)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, d)
}

func (s *Server) documents(c *gin.Context) {
	ds, err := s.App.Documents(ctx(c), userID(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"documents": ds})
}

func (s *Server) checklist(c *gin.Context) {
	cl, err := s.App.Checklist(ctx(c), userID(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"checklist": cl})
}

// downloadDocument serves a file as an attachment, never rendered inline.
func (s *Server) downloadDocument(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		s.fail(c, domain.Errorf(domain.KindNotFound, "no such document"))
		return
	}
	d, content, err := s.App.Document(ctx(c), userID(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename*=UTF-8''`+url.PathEscape(d.FileName))
	c.Header("X-Content-Type-Options", "nosniff")
	c.Data(http.StatusOK, d.ContentType, content)
}

func (s *Server) authorityRules(c *gin.Context) {
	rules, err := s.App.AuthorityRules(ctx(c), c.Query("award"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"rules": rules})
}

func (s *Server) saveAuthorityRule(c *gin.Context) {
	var r authority.Rule
	if err := decode(c, &r); err != nil {
		s.fail(c, err)
		return
	}
	r.ID = 0
	status := http.StatusCreated
	if p := c.Param("id"); p != "" {
		id, err := strconv.ParseInt(p, 10, 64)
		if err != nil {
			s.fail(c, domain.Errorf(domain.KindNotFound, "no such rule"))
			return
		}
		r.ID, status = id, http.StatusOK
	}
	out, err := s.App.SaveAuthorityRule(ctx(c), userID(c), r)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(status, out)
}

func (s *Server) deleteAuthorityRule(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		s.fail(c, domain.Errorf(domain.KindNotFound, "no such rule"))
		return
	}
	if err := s.App.DeleteAuthorityRule(ctx(c), userID(c), id); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
