package adminapi

import (
	"bytes"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/tdkt/tdkt/internal/admin"
	"github.com/tdkt/tdkt/internal/httpx"
)

// reorgRoutes registers the reorganisation of units (sắp xếp đơn vị hành chính):
// the successions of a unit, and the import of an official list of new units with
// their predecessors (CSV, see reorg.Parse), all or nothing.
func (s *handlers) reorgRoutes(g *gin.RouterGroup) {
	g.GET("/units/:id/successions", s.unitSuccessions)
	g.POST("/admin/units/import", s.importUnits)
	g.GET("/admin/ended-units", s.endedUnits)
	g.POST("/admin/units/:id/move-users", s.moveUsers)
	g.POST("/admin/units/:id/revoke-roles", s.revokeEndedRoles)
}

// endedUnits lists the ended units that still have accounts or roles.
func (s *handlers) endedUnits(c *gin.Context) {
	out, err := s.App.EndedUnitAccounts(httpx.Ctx(c), httpx.UserID(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"units": out})
}

func (s *handlers) moveUsers(c *gin.Context) {
	var in admin.MoveUsersInput
	if err := decode(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	out, err := s.App.MoveUsers(httpx.Ctx(c), httpx.UserID(c), c.Param("id"), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

func (s *handlers) revokeEndedRoles(c *gin.Context) {
	n, err := s.App.RevokeEndedRoles(httpx.Ctx(c), httpx.UserID(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"revoked": n})
}

// unitsOn answers GET /units?on=yyyy-mm-dd: the tree in force on that day, each
// unit with its lifetime and official code.
func (s *handlers) unitsOn(c *gin.Context) {
	day, err := s.App.ParseDay("on", c.Query("on"))
	if err != nil {
		s.fail(c, err)
		return
	}
	roots, err := s.App.UnitsOn(httpx.Ctx(c), httpx.UserID(c), day)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"on": day.Format("2006-01-02"), "units": roots})
}

func (s *handlers) unitSuccessions(c *gin.Context) {
	out, err := s.App.UnitSuccessions(httpx.Ctx(c), httpx.UserID(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"successions": out})
}

// importUnits takes the CSV as the raw body or the "file" part of a multipart form;
// ?source= (or the form field "source") names the legal act recorded with each
// succession.
func (s *handlers) importUnits(c *gin.Context) {
	data, _, err := httpx.ReadSpreadsheet(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	source := c.Query("source")
	if source == "" {
		source = c.PostForm("source")
	}
	res, err := s.App.ImportUnits(httpx.Ctx(c), httpx.UserID(c), bytes.NewReader(data), source)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, res)
}

// units returns the forest of units in force today that the user may read; with
// ?on=yyyy-mm-dd, the tree in force on that day (unitsOn).
func (s *handlers) units(c *gin.Context) {
	if _, ok := c.GetQuery("on"); ok {
		s.unitsOn(c)
		return
	}
	roots, err := s.App.Units(httpx.Ctx(c), httpx.UserID(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"units": roots})
}
