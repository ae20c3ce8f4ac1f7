package httpapi

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/awards"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/history"
	"github.com/tdkt/tdkt/internal/httpx"
	"github.com/tdkt/tdkt/internal/importer"
	"github.com/tdkt/tdkt/internal/nominees"
)

// historyRoutes registers the award history, eligibility and spreadsheet routes.
func (s *Server) historyRoutes(auth *gin.RouterGroup) {
	auth.GET("/subjects", s.listSubjects)
	auth.POST("/subjects", s.createSubject)
	auth.GET("/subjects/:id", s.getSubject)
	auth.POST("/history", s.recordHistory)
	auth.DELETE("/history/:section/:id", s.deleteHistoryEntry)
	auth.POST("/history/import", s.importHistory)
	auth.GET("/history/export", s.exportHistory)
	auth.GET("/history/template", s.historyTemplate)
	auth.GET("/eligibility", s.checkEligibility)
	auth.POST("/eligibility", s.checkEligibility)
	auth.GET("/eligibility/rules", s.eligibilityRules)
	auth.GET("/nominations/:id/eligibility", s.nominationEligibility)
	auth.POST("/nominations/:id/eligibility/override", s.overrideEligibility)
	auth.POST("/nominations/:id/nominees/import", s.importNominees)
	auth.GET("/nominations/:id/nominees/export", s.exportNominees)
	auth.GET("/nominees/template", s.nomineeTemplate)
}

// nominationWithEligibility is a dossier as the dossier read answers it: the
// dossier, and the eligibility of its nominees as warnings.
type nominationWithEligibility struct {
	domain.Nomination
	Eligibility *nominees.NominationEligibility `json:"eligibility,omitempty"`
}

// withEligibility adds the nominees' eligibility to a dossier the user has read.
// A failure of the check is logged and leaves the dossier without it: the dossier
// must stay readable.
func (s *Server) withEligibility(c *gin.Context, n domain.Nomination) nominationWithEligibility {
	e, err := s.App.NominationEligibilityOf(ctx(c), n)
	if err != nil {
		s.Log.Error("eligibility of dossier", slog.String("nomination", n.ID), slog.Any("err", err))
		return nominationWithEligibility{Nomination: n}
	}
	return nominationWithEligibility{Nomination: n, Eligibility: &e}
}

func queryInt(c *gin.Context, name string, fields *[]domain.FieldError) int {
	v := c.Query(name)
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		*fields = append(*fields, domain.FieldError{Field: name, Message: "must be a non-negative whole number"})
	}
	return n
}

func pathID(c *gin.Context, what string) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.Errorf(domain.KindNotFound, "no such %s", what)
	}
	return id, nil
}

func (s *Server) listSubjects(c *gin.Context) {
	var fields []domain.FieldError
	f := awards.SubjectFilter{UnitID: c.Query("unit"), Kind: c.Query("kind"), Query: c.Query("q"),
		Limit: queryInt(c, "limit", &fields), Offset: queryInt(c, "offset", &fields)}
	if len(fields) > 0 {
		s.fail(c, domain.Invalid("invalid filter", fields...))
		return
	}
	subs, err := s.App.Subjects(ctx(c), userID(c), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"subjects": subs})
}

func (s *Server) createSubject(c *gin.Context) {
	var in awards.SubjectInput
	if err := decode(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	sub, err := s.App.CreateSubject(ctx(c), userID(c), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Location", fmt.Sprintf("/api/v1/subjects/%d", sub.ID))
	c.JSON(http.StatusCreated, sub)
}

func (s *Server) getSubject(c *gin.Context) {
	id, err := pathID(c, "subject")
	if err != nil {
		s.fail(c, err)
		return
	}
	rec, err := s.App.SubjectHistory(ctx(c), userID(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, rec)
}

// recordHistory is the bulk entry: {"unit_id", "subjects": [...], "ratings": [...],
// "awards": [...], "initiatives": [...], "holds": [...]}, all or nothing.
func (s *Server) recordHistory(c *gin.Context) {
	var b history.Batch
	if err := decode(c, &b); err != nil {
		s.fail(c, err)
		return
	}
	res, err := s.App.RecordHistory(ctx(c), userID(c), b)
	if err != nil {
		s.failRows(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}

func (s *Server) deleteHistoryEntry(c *gin.Context) {
	id, err := pathID(c, "entry")
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := s.App.DeleteHistoryEntry(ctx(c), userID(c), c.Param("section"), id); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// rowsProblem is a problem document with the bad rows of a file or batch as an
// extension member (RFC 9457 §3.2).
type rowsProblem struct {
	httpx.Problem
	Rows history.RowErrors `json:"rows"`
}

// failRows answers an error like fail, adding the bad rows when there are any.
func (s *Server) failRows(c *gin.Context, err error) {
	var rows history.RowErrors
	if !errors.As(err, &rows) || domain.KindOf(err) != domain.KindInvalid {
		s.fail(c, err)
		return
	}
	p := httpx.ProblemOf(err)
	httpx.WriteProblemDoc(c, p.Status, rowsProblem{Problem: p, Rows: rows})
}

// importHistory imports a history spreadsheet into ?unit= (CSV: ?sheet= names the
// sheet), all or nothing.
func (s *Server) importHistory(c *gin.Context) {
	unit := c.Query("unit")
	if unit == "" {
		s.fail(c, domain.Invalid("name the unit to import into", domain.FieldError{Field: "unit", Message: "required"}))
		return
	}
	// Authorise before reading the file, so an outsider learns nothing from it.
	if err := s.App.Allow(userID(c), unit, "history", "record"); err != nil {
		s.fail(c, err)
		return
	}
	data, format, err := httpx.ReadSpreadsheet(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	res, err := s.App.ImportHistory(ctx(c), userID(c), unit, data, format, c.Query("sheet"))
	if err != nil {
		s.failRows(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}

// spreadsheetFormat reads ?format= for a download: xlsx by default.
func spreadsheetFormat(c *gin.Context) (importer.Format, error) {
	switch f := importer.Format(strings.ToLower(c.DefaultQuery("format", "xlsx"))); f {
	case importer.FormatXLSX, importer.FormatCSV:
		return f, nil
	}
	return "", domain.Invalid("unknown format", domain.FieldError{Field: "format", Message: "xlsx or csv"})
}

// sendSpreadsheet answers a generated file as a download.
func (s *Server) sendSpreadsheet(c *gin.Context, name string, format importer.Format, write func(io.Writer) error) {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name + "." + string(format)}))
	c.Data(http.StatusOK, format.ContentType(), buf.Bytes())
}

func (s *Server) exportHistory(c *gin.Context) {
	format, err := spreadsheetFormat(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	unit := c.Query("unit")
	b, err := s.App.ExportHistory(ctx(c), userID(c), unit)
	if err != nil {
		s.fail(c, err)
		return
	}
	name := "lich-su-khen-thuong-" + unit
	if format == importer.FormatCSV {
		name += "-" + c.Query("sheet")
	}
	s.sendSpreadsheet(c, name, format, func(w io.Writer) error { return importer.WriteHistory(w, format, c.Query("sheet"), b) })
}

// historyTemplate answers the blank template (?format=xlsx|csv, CSV with ?sheet=),
// or with ?format=json the documented list of sheets and columns.
func (s *Server) historyTemplate(c *gin.Context) {
	if c.Query("format") == "json" {
		c.JSON(http.StatusOK, gin.H{"sheets": importer.HistorySheets(), "max_rows": importer.MaxRows})
		return
	}
	format, err := spreadsheetFormat(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	name := "mau-lich-su-khen-thuong"
	if format == importer.FormatCSV {
		name += "-" + c.Query("sheet")
	}
	s.sendSpreadsheet(c, name, format, func(w io.Writer) error { return importer.WriteHistory(w, format, c.Query("sheet"), nil) })
}

func (s *Server) nomineeTemplate(c *gin.Context) {
	if c.Query("format") == "json" {
		c.JSON(http.StatusOK, gin.H{"sheets": []importer.Sheet{importer.NomineeSheet()}})
		return
	}
	format, err := spreadsheetFormat(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.sendSpreadsheet(c, "mau-danh-sach-de-nghi", format, func(w io.Writer) error { return importer.WriteNominees(w, format, nil) })
}

// checkEligibility checks a subject for an award: GET with ?subject_id=&award=&year=
// (&on=yyyy-mm-dd), or POST with the same fields as JSON.
func (s *Server) checkEligibility(c *gin.Context) {
	var q awards.EligibilityQuery
	if c.Request.Method == http.MethodPost {
		if err := decode(c, &q); err != nil {
			s.fail(c, err)
			return
		}
	} else {
		var fields []domain.FieldError
		if v := c.Query("subject_id"); v != "" {
			id, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				fields = append(fields, domain.FieldError{Field: "subject_id", Message: "must be a whole number"})
			}
			q.SubjectID = id
		}
		q.Year = queryInt(c, "year", &fields)
		q.AwardCode, q.On = c.Query("award"), c.Query("on")
		if len(fields) > 0 {
			s.fail(c, domain.Invalid("invalid eligibility query", fields...))
			return
		}
	}
	res, err := s.App.CheckEligibility(ctx(c), userID(c), q)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}

func (s *Server) eligibilityRules(c *gin.Context) {
	rs, err := s.App.EligibilityRules()
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, rs)
}

func (s *Server) nominationEligibility(c *gin.Context) {
	e, err := s.App.EligibilityForNomination(ctx(c), userID(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, e)
}

func (s *Server) overrideEligibility(c *gin.Context) {
	// Authorise the read before reading the body, so an outsider learns nothing.
	if _, err := s.App.Nomination(ctx(c), userID(c), c.Param("id")); err != nil {
		s.fail(c, err)
		return
	}
	var in nominees.OverrideInput
	if err := decode(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	e, err := s.App.OverrideEligibility(ctx(c), userID(c), c.Param("id"), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, e)
}

func (s *Server) importNominees(c *gin.Context) {
	n, err := s.App.Nomination(ctx(c), userID(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := s.App.Allow(userID(c), n.UnitID, "nomination", "edit"); err != nil {
		s.fail(c, err)
		return
	}
	data, format, err := httpx.ReadSpreadsheet(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	n, err = s.App.ImportNominees(ctx(c), userID(c), n.ID, data, format)
	if err != nil {
		s.failRows(c, err)
		return
	}
	c.JSON(http.StatusOK, s.withEligibility(c, n))
}

func (s *Server) exportNominees(c *gin.Context) {
	format, err := spreadsheetFormat(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	rows, err := s.App.ExportNominees(ctx(c), userID(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	s.sendSpreadsheet(c, "danh-sach-de-nghi-"+c.Param("id"), format, func(w io.Writer) error { return importer.WriteNominees(w, format, rows) })
}
