package adminapi

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/httpx"
	"github.com/tdkt/tdkt/internal/statistics"
)

func (s *handlers) statisticsRoutes(auth *gin.RouterGroup) {
	auth.GET("/statistics/:form", s.statisticsForm)
}

// statisticsForm answers GET /statistics/{form}?year=&unit=&format=: the statistics
// form 0601, 0602 or 0603 of Thông tư 02/2023/TT-BNV for the year, over the unit's
// subtree (or every unit the user reads), as JSON, or as the form's XLSX with
// format=xlsx.
func (s *handlers) statisticsForm(c *gin.Context) {
	year, err := strconv.Atoi(c.Query("year"))
	if err != nil {
		s.fail(c, domain.Invalid("invalid year", domain.FieldError{Field: "year", Message: "a year, e.g. 2025"}))
		return
	}
	format := c.DefaultQuery("format", "json")
	if format != "json" && format != "xlsx" {
		s.fail(c, domain.Invalid("invalid format", domain.FieldError{Field: "format", Message: "json or xlsx"}))
		return
	}
	r, err := s.App.Statistics(httpx.Ctx(c), httpx.UserID(c), statistics.Query{Form: c.Param("form"), Year: year, UnitID: c.Query("unit")})
	if err != nil {
		s.fail(c, err)
		return
	}
	if format == "json" {
		if r.Movements != nil {
			c.JSON(http.StatusOK, r.Movements)
		} else {
			c.JSON(http.StatusOK, r.Awards)
		}
		return
	}
	name := fmt.Sprintf("bieu-%s-%d.xlsx", c.Param("form"), year)
	c.Header("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	c.Header("Content-Disposition", fmt.Sprintf("attachment; filename=%q; filename*=UTF-8''%s", name, url.PathEscape(name)))
	c.Status(http.StatusOK)
	if err := statistics.WriteXLSX(c.Writer, r, r.UnitName()); err != nil {
		s.Log.Error("statistics export", "err", err)
	}
}
