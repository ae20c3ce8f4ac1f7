package adminpages

import (
	"bytes"
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/admin"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/httpx"
	"github.com/tdkt/tdkt/internal/web"
)

// The import of a reorganisation in the admin area: an official list of new units
// as CSV (reorg.Parse's columns), written by app.Service.ImportUnits as the API
// and `tdkt units import` write it, all or nothing. A refused file comes back with
// a table of its bad rows; an accepted one shows what it changed.

// adminImportData is the import page: the source typed, the file's bad rows, or
// the result of an accepted file.
type adminImportData struct {
	Source string
	Import *web.ImportView
	Result *admin.ImportResult
}

// adminImportRoutes registers the import page.
func (s *server) adminImportRoutes(a *gin.RouterGroup) {
	a.GET("/admin/units/import", s.adminImportPage)
	a.POST("/admin/units/import", s.adminImportUnits)
}

func (s *server) adminImportPage(c *gin.Context) {
	if _, err := s.cfg.App.AdminUnits(web.Ctx(c), web.UserID(c)); err != nil {
		s.Fail(c, err)
		return
	}
	s.Render(c, http.StatusOK, "admin_import", s.page(c, "admin", &adminImportData{}))
}

// importRowField reads a field of the import's errors: "row 7: predecessors".
var importRowField = regexp.MustCompile(`^row (\d+)(?:: (\S+))?$`)

func (s *server) adminImportUnits(c *gin.Context) {
	d := &adminImportData{Source: strings.TrimSpace(c.PostForm("source"))}
	f, err := httpx.ReadUpload(c, "file")
	switch {
	case domain.IsKind(err, httpx.KindTooLarge):
		s.Fail(c, err)
		return
	case err != nil:
		err = web.ErrNoFile
	default:
		var res admin.ImportResult
		res, err = s.cfg.App.ImportUnits(web.Ctx(c), web.UserID(c), bytes.NewReader(f.Data), d.Source)
		if err == nil {
			p := s.page(c, "admin", d)
			d.Result = &res
			p.Flash = "flash.units_imported"
			s.Render(c, http.StatusOK, "admin_import", p)
			return
		}
		d.Import = &web.ImportView{FileName: f.Name}
	}
	p := s.page(c, "admin", d)
	var de *domain.Error
	if domain.KindOf(err) != domain.KindInvalid || !errors.As(err, &de) {
		s.Fail(c, err)
		return
	}
	if d.Import == nil {
		d.Import = &web.ImportView{}
	}
	for _, fe := range de.Fields {
		if m := importRowField.FindStringSubmatch(fe.Field); m != nil {
			row, _ := strconv.Atoi(m[1])
			d.Import.Rows = append(d.Import.Rows, web.RowErrorView{Row: row, Column: m[2], Message: fe.Message})
		} else if fe.Field == "file" {
			if p.Fields == nil {
				p.Fields = map[string]string{}
			}
			p.Fields["file"] = p.T("admin.import.bad_file", fe.Message)
		}
	}
	if errors.Is(err, web.ErrNoFile) {
		p.Fields = map[string]string{"file": p.T("admin.import.no_file")}
	}
	p.Error = "import.refused"
	s.Render(c, http.StatusUnprocessableEntity, "admin_import", p)
}
