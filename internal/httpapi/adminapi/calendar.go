package adminapi

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/httpx"
	"github.com/tdkt/tdkt/internal/refdata"
)

// calendarRoutes registers the working-day calendar and the national reference
// data an administrator at the central unit edits: time limits and base salaries.
func (s *handlers) calendarRoutes(g *gin.RouterGroup) {
	g.GET("/calendar/:year", s.calendarYear)
	g.PUT("/calendar/:year/overrides", s.putCalendarOverrides)
	g.DELETE("/calendar/:year/overrides/:date", s.deleteCalendarOverride)
	g.GET("/calendar/:year/working-days", s.workingDays)
	g.GET("/admin/time-limits", s.timeLimits)
	g.PUT("/admin/time-limits", s.putTimeLimits)
	g.GET("/admin/base-salaries", s.baseSalaries)
	g.PUT("/admin/base-salaries", s.putBaseSalaries)
}

// pathYear reads the :year parameter; KindInvalid unless it is a number.
func pathYear(c *gin.Context) (int, error) {
	y, err := strconv.Atoi(c.Param("year"))
	if err != nil {
		return 0, domain.Invalid("invalid year", domain.FieldError{Field: "year", Message: "must be a year such as 2026"})
	}
	return y, nil
}

// calendarYear answers the holidays, swapped working days and recorded overrides
// of a year.
func (s *handlers) calendarYear(c *gin.Context) {
	year, err := pathYear(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	cy, err := s.App.CalendarYear(httpx.Ctx(c), year)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, cy)
}

type overridesRequest struct {
	Overrides []overrideRequest `json:"overrides"`
}

// overrideRequest takes the date as text so that a malformed one is reported as
// a field error of its entry rather than as malformed JSON.
type overrideRequest struct {
	Date string                `json:"date"`
	Kind calendar.OverrideKind `json:"kind"`
	Name string                `json:"name"`
}

// putCalendarOverrides replaces the overrides of a year.
func (s *handlers) putCalendarOverrides(c *gin.Context) {
	year, err := pathYear(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	var req overridesRequest
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	list := make([]calendar.Override, len(req.Overrides))
	for i, o := range req.Overrides {
		d, _ := calendar.ParseDate(o.Date) // an invalid date stays zero and is reported by the validation
		list[i] = calendar.Override{Date: d, Kind: o.Kind, Name: o.Name}
	}
	cy, err := s.App.PutCalendarOverrides(httpx.Ctx(c), httpx.UserID(c), year, list)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, cy)
}

// deleteCalendarOverride removes the recorded override of one day of the year.
func (s *handlers) deleteCalendarOverride(c *gin.Context) {
	year, err := pathYear(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	d, err := calendar.ParseDate(c.Param("date"))
	if err != nil || d.Year != year {
		s.fail(c, domain.Invalid("invalid date", domain.FieldError{Field: "date", Message: "a day of " + c.Param("year") + " as yyyy-mm-dd"}))
		return
	}
	if err := s.App.DeleteCalendarOverride(httpx.Ctx(c), httpx.UserID(c), d); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// workingDays computes the due date n working days after ?from=yyyy-mm-dd.
func (s *handlers) workingDays(c *gin.Context) {
	year, err := pathYear(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	n, err := strconv.Atoi(c.Query("n"))
	if err != nil {
		s.fail(c, domain.Invalid("invalid n", domain.FieldError{Field: "n", Message: "required: a number of working days"}))
		return
	}
	due, err := s.App.DueDateFrom(httpx.Ctx(c), year, c.Query("from"), n)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, due)
}

type timeLimitsRequest struct {
	TimeLimits []refdata.StepTimeLimit `json:"time_limits"`
}

func (s *handlers) timeLimits(c *gin.Context) {
	ls, err := s.App.TimeLimits(httpx.Ctx(c), httpx.UserID(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, timeLimitsRequest{TimeLimits: ls})
}

// putTimeLimits changes the time limits of the listed steps.
func (s *handlers) putTimeLimits(c *gin.Context) {
	var req timeLimitsRequest
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	ls, err := s.App.PutTimeLimits(httpx.Ctx(c), httpx.UserID(c), req.TimeLimits)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, timeLimitsRequest{TimeLimits: ls})
}

type baseSalaryRequest struct {
	ValidFrom string `json:"valid_from"`
	Amount    int64  `json:"amount"`
	Source    string `json:"source"`
}

type baseSalariesRequest struct {
	BaseSalaries []baseSalaryRequest `json:"base_salaries"`
}

type baseSalariesResponse struct {
	BaseSalaries []refdata.BaseSalaryEntry `json:"base_salaries"`
}

func (s *handlers) baseSalaries(c *gin.Context) {
	bs, err := s.App.BaseSalaries(httpx.Ctx(c), httpx.UserID(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, baseSalariesResponse{BaseSalaries: bs})
}

// putBaseSalaries replaces the base salary table.
func (s *handlers) putBaseSalaries(c *gin.Context) {
	var req baseSalariesRequest
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	table := make([]refdata.BaseSalaryEntry, len(req.BaseSalaries))
	for i, b := range req.BaseSalaries {
		d, _ := calendar.ParseDate(b.ValidFrom) // an invalid date stays zero and is reported by the store
		table[i] = refdata.BaseSalaryEntry{ValidFrom: d, Amount: b.Amount, Source: b.Source}
	}
	bs, err := s.App.PutBaseSalaries(httpx.Ctx(c), httpx.UserID(c), table)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, baseSalariesResponse{BaseSalaries: bs})
}
