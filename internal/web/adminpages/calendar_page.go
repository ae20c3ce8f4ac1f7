package adminpages

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/refdata"
	"github.com/tdkt/tdkt/internal/web"
)

// calendarData is the holiday calendar page's content (lịch nghỉ lễ, ngày làm
// việc): one year, and for the central administrator the form of its overrides.
type calendarData struct {
	Y         refdata.CalendarYear
	CanManage bool
	// Lines are the overrides as the form edits them, one "dd/mm/yyyy; nghỉ|làm;
	// name" per line.
	Lines string
}

// vnDate writes a calendar date as dd/mm/yyyy.
func vnDate(d calendar.Date) string {
	return fmt.Sprintf("%02d/%02d/%04d", d.Day, int(d.Month), d.Year)
}

// Weekday labels a date's day of the week.
func (p *page) Weekday(d calendar.Date) string {
	return p.T(fmt.Sprintf("weekday.%d", int(d.Weekday())))
}

// Date writes a calendar date as dd/mm/yyyy.
func (p *page) Date(d calendar.Date) string { return vnDate(d) }

// overrideLines writes recorded overrides in the form's notation.
func overrideLines(list []refdata.CalendarOverride) string {
	var b strings.Builder
	for _, o := range list {
		kind := "nghỉ"
		if o.Kind == calendar.OverrideWork {
			kind = "làm"
		}
		fmt.Fprintf(&b, "%s; %s; %s\n", vnDate(o.Date), kind, o.Name)
	}
	return b.String()
}

// parseOverrideLines reads the form's lines; a bad line is a field error naming it.
func parseOverrideLines(text string, year int) ([]calendar.Override, error) {
	out := []calendar.Override{}
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		parts := strings.SplitN(line, ";", 3)
		bad := domain.Invalid("bad calendar line", domain.FieldError{Field: "overrides",
			Message: fmt.Sprintf("line %d: write dd/mm/yyyy; nghỉ or làm; name", i+1)})
		if len(parts) < 2 {
			return nil, bad
		}
		t, err := time.Parse("2/1/2006", strings.TrimSpace(parts[0]))
		if err != nil || t.Year() != year {
			return nil, bad
		}
		o := calendar.Override{Date: calendar.DateOf(t)}
		switch strings.ToLower(strings.TrimSpace(parts[1])) {
		case "nghỉ", "nghi", "off":
			o.Kind = calendar.OverrideOff
		case "làm", "lam", "work":
			o.Kind = calendar.OverrideWork
		default:
			return nil, bad
		}
		if len(parts) == 3 {
			o.Name = strings.TrimSpace(parts[2])
		}
		out = append(out, o)
	}
	return out, nil
}

// calendarYear picks the year asked for (?year= or the form), else this year in
// Vietnam.
func (s *server) calendarYear(c *gin.Context) int {
	if y, err := strconv.Atoi(c.Query("year")); err == nil {
		return y
	}
	if y, err := strconv.Atoi(c.PostForm("year")); err == nil {
		return y
	}
	return s.Now().In(calendar.Zone).Year()
}

// calendarPage shows one year's days off and swapped working days to everyone;
// the central administrator also gets the form of the year's overrides.
func (s *server) calendarPage(c *gin.Context) {
	y, err := s.cfg.App.CalendarYear(web.Ctx(c), s.calendarYear(c))
	if err != nil {
		s.Fail(c, err)
		return
	}
	d := calendarData{Y: y, CanManage: s.cfg.App.Can(web.UserID(c), refdata.CentralUnitID, "calendar", "manage"),
		Lines: overrideLines(y.Overrides)}
	s.Render(c, http.StatusOK, "calendar", s.page(c, "calendar", d))
}

// saveCalendar replaces a year's overrides from the administrator's form.
func (s *server) saveCalendar(c *gin.Context) {
	year := s.calendarYear(c)
	text := c.PostForm("overrides")
	list, err := parseOverrideLines(text, year)
	if err == nil {
		_, err = s.cfg.App.PutCalendarOverrides(web.Ctx(c), web.UserID(c), year, list)
	}
	if err != nil {
		p := s.page(c, "calendar", nil)
		status, ok := p.FormError(err)
		if !ok {
			s.Fail(c, err)
			return
		}
		var de *domain.Error
		if errors.As(err, &de) && len(de.Fields) > 0 && p.Lang != "en" {
			p.Fields["overrides"] = p.T("cal.bad_line")
		}
		y, yerr := s.cfg.App.CalendarYear(web.Ctx(c), year)
		if yerr != nil {
			s.Fail(c, yerr)
			return
		}
		p.Data = calendarData{Y: y, CanManage: true, Lines: text}
		s.Render(c, status, "calendar", p)
		return
	}
	c.Redirect(http.StatusSeeOther, "/calendar?year="+strconv.Itoa(year)+"&ok=calendar")
}
