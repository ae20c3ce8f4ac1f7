package httpapi

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/dossiers"
	"github.com/tdkt/tdkt/internal/httpx"
)

func (s *Server) createNomination(c *gin.Context) {
	var req dossiers.CreateNominationInput
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	n, err := s.App.CreateNomination(ctx(c), userID(c), req)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/nominations/"+n.ID)
	c.JSON(http.StatusCreated, s.withEligibility(c, n))
}

func (s *Server) getNomination(c *gin.Context) {
	n, err := s.App.Nomination(ctx(c), userID(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("ETag", httpx.ETag(n.Version))
	c.JSON(http.StatusOK, s.withEligibility(c, n))
}

func (s *Server) history(c *gin.Context) {
	evs, err := s.App.AuditTrail(ctx(c), userID(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"nomination_id": c.Param("id"), "events": evs})
}

func (s *Server) editNomination(c *gin.Context) {
	// Authorise before reading the body, so an outsider learns nothing from validation.
	if _, err := s.App.Nomination(ctx(c), userID(c), c.Param("id")); err != nil {
		s.fail(c, err)
		return
	}
	var req dossiers.EditNominationInput
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	v, err := httpx.IfMatch(c, "dossier")
	if err != nil {
		s.fail(c, err)
		return
	}
	req.Version = v
	n, err := s.App.EditNomination(ctx(c), userID(c), c.Param("id"), req)
	if err != nil {
		s.failStale(c, err, n, v)
		return
	}
	c.Header("ETag", httpx.ETag(n.Version))
	c.JSON(http.StatusOK, s.withEligibility(c, n))
}

// ifMatch applies an If-Match header (the dossier version) over the body's version.
func ifMatch(c *gin.Context, req *dossiers.ActInput) error {
	v, err := httpx.IfMatch(c, "dossier")
	if v != nil {
		req.Version = v
	}
	return err
}

func (s *Server) submitNomination(c *gin.Context) {
	var req dossiers.ActInput
	if c.Request.ContentLength != 0 {
		if err := decode(c, &req); err != nil {
			s.fail(c, err)
			return
		}
	}
	req.Action = string(domain.ActionSubmit)
	s.act(c, func(req dossiers.ActInput) (domain.Nomination, error) {
		return s.App.Act(ctx(c), userID(c), c.Param("id"), req, "")
	}, req)
}

func (s *Server) actOnNomination(c *gin.Context) {
	var req dossiers.ActInput
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	s.act(c, func(req dossiers.ActInput) (domain.Nomination, error) {
		return s.App.Act(ctx(c), userID(c), c.Param("id"), req, "")
	}, req)
}

func (s *Server) actOnTask(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		s.fail(c, domain.Errorf(domain.KindNotFound, "no such task"))
		return
	}
	var req dossiers.ActInput
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	s.act(c, func(req dossiers.ActInput) (domain.Nomination, error) {
		return s.App.ActOnTask(ctx(c), userID(c), id, req)
	}, req)
}

func (s *Server) act(c *gin.Context, do func(dossiers.ActInput) (domain.Nomination, error), req dossiers.ActInput) {
	if err := ifMatch(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	n, err := do(req)
	if err != nil {
		var seen *int
		if c.GetHeader("If-Match") != "" {
			seen = req.Version
		}
		s.failStale(c, err, n, seen)
		return
	}
	c.Header("ETag", httpx.ETag(n.Version))
	c.JSON(http.StatusOK, n)
}

// failStale answers err; a refusal for staleness when the user sent If-Match (the
// version seen) is 412 Precondition Failed with the dossier's current ETag.
func (s *Server) failStale(c *gin.Context, err error, n domain.Nomination, seen *int) {
	if seen != nil && dossiers.IsStale(err) {
		c.Header("ETag", httpx.ETag(n.Version))
		s.fail(c, domain.Errorf(kindPreconditionFailed, "the dossier is at version %d, not %d: reload it", n.Version, *seen))
		return
	}
	s.fail(c, err)
}

func (s *Server) listNominations(c *gin.Context) {
	f := dossiers.NominationFilter{UnitID: c.Query("unit"), Status: c.Query("status"), AwardCode: c.Query("award"),
		Query: c.Query("q")}
	var fields []domain.FieldError
	intParam := func(name string, dst *int) {
		if v := c.Query(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				fields = append(fields, domain.FieldError{Field: name, Message: "must be a non-negative whole number"})
				return
			}
			*dst = n
		}
	}
	intParam("year", &f.Year)
	intParam("limit", &f.Limit)
	intParam("offset", &f.Offset)
	if len(fields) > 0 {
		s.fail(c, domain.Invalid("invalid filter", fields...))
		return
	}
	ns, err := s.App.DossierList(ctx(c), userID(c), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"nominations": ns})
}

func (s *Server) inbox(c *gin.Context) {
	ts, err := s.App.InboxWithAssignees(ctx(c), userID(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"tasks": ts})
}
