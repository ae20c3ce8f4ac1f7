package refdata

import (
	"context"
	"fmt"
	"time"

	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/domain"
)

// CentralUnitID is the root of the unit tree (Trung ương). National reference data
// — the working-day calendar, time limits, the base salary — is managed by an
// administrator holding the permission there.
const CentralUnitID = "TW"

// Years the calendar answers for; the lunar tables and the calendar's cache cover them.
const (
	minCalendarYear = 1900
	maxCalendarYear = 2199
)

// CalendarYear is one year of the working-day calendar (lịch làm việc) as users see
// it: the named days off, the days made working days (swapped Saturdays,
// corrections), the number of working days, and the overrides an administrator
// recorded for the year (which replace the published decision of the same date).
type CalendarYear struct {
	Year             int                 `json:"year"`
	WorkingDays      int                 `json:"working_days"`
	Holidays         []calendar.Holiday  `json:"holidays"`
	WorkingOverrides []calendar.Override `json:"working_overrides"`
	Overrides        []CalendarOverride  `json:"overrides"`
}

// DueDate answers "n working days from a day": the due date and the instant it ends.
type DueDate struct {
	From        calendar.Date `json:"from"`
	WorkingDays int           `json:"working_days"`
	DueDate     calendar.Date `json:"due_date"`
	DueAt       time.Time     `json:"due_at"`
}

func checkYear(year int) error {
	if year < minCalendarYear || year > maxCalendarYear {
		return domain.Invalid("year out of range",
			domain.FieldError{Field: "year", Message: fmt.Sprintf("must be between %d and %d", minCalendarYear, maxCalendarYear)})
	}
	return nil
}

// CalendarYear returns one year of the calendar; any logged-in user may read it.
// KindInvalid for a year outside 1900–2199.
func (s *Service) CalendarYear(ctx context.Context, year int) (CalendarYear, error) {
	if err := checkYear(year); err != nil {
		return CalendarYear{}, err
	}
	cal, err := s.Store.LoadCalendar(ctx)
	if err != nil {
		return CalendarYear{}, err
	}
	recorded, err := s.Store.CalendarOverrides(ctx, year)
	if err != nil {
		return CalendarYear{}, err
	}
	byDate := map[calendar.Date]calendar.Override{}
	for _, o := range calendar.Published() {
		if o.Date.Year == year {
			byDate[o.Date] = o
		}
	}
	for _, o := range recorded {
		byDate[o.Date] = o.Override
	}
	out := CalendarYear{Year: year, Holidays: cal.Holidays(year), WorkingOverrides: []calendar.Override{},
		Overrides: recorded}
	if out.Overrides == nil {
		out.Overrides = []CalendarOverride{}
	}
	first := calendar.Date{Year: year, Month: time.January, Day: 1}
	for d := first; d.Year == year; d = d.AddDays(1) {
		if cal.IsWorkingDay(d) {
			out.WorkingDays++
		}
		if o, ok := byDate[d]; ok && o.Kind == calendar.OverrideWork {
			out.WorkingOverrides = append(out.WorkingOverrides, o)
		}
	}
	return out, nil
}

// PutCalendarOverrides replaces the overrides of a year (the government's holiday
// decision for that year, swapped Saturdays, corrections) and returns the year as
// it now stands. The calendar is national: the user needs "calendar manage" at
// the central unit. KindForbidden otherwise; KindInvalid for a bad entry.
func (s *Service) PutCalendarOverrides(ctx context.Context, userID int64, year int, list []calendar.Override) (CalendarYear, error) {
	if err := s.Allow(userID, CentralUnitID, "calendar", "manage"); err != nil {
		return CalendarYear{}, err
	}
	if err := checkYear(year); err != nil {
		return CalendarYear{}, err
	}
	if err := s.Store.PutCalendarOverrides(ctx, year, list, s.admin.Change(userID)); err != nil {
		return CalendarYear{}, err
	}
	return s.CalendarYear(ctx, year)
}

// DeleteCalendarOverride removes the recorded override of one day (same permission
// as PutCalendarOverrides); KindNotFound when none is recorded.
func (s *Service) DeleteCalendarOverride(ctx context.Context, userID int64, day calendar.Date) error {
	if err := s.Allow(userID, CentralUnitID, "calendar", "manage"); err != nil {
		return err
	}
	return s.Store.DeleteCalendarOverride(ctx, day, s.admin.Change(userID))
}

// DueDateFrom computes the due date n working days after from (the day itself
// never counts), with the calendar in force. from must lie in year; n is 0–260.
func (s *Service) DueDateFrom(ctx context.Context, year int, from string, n int) (DueDate, error) {
	var fields []domain.FieldError
	if err := checkYear(year); err != nil {
		return DueDate{}, err
	}
	d, err := calendar.ParseDate(from)
	switch {
	case err != nil:
		fields = append(fields, domain.FieldError{Field: "from", Message: "required, as yyyy-mm-dd"})
	case d.Year != year:
		fields = append(fields, domain.FieldError{Field: "from", Message: fmt.Sprintf("must be in %d", year)})
	}
	if n < 0 || n > 260 {
		fields = append(fields, domain.FieldError{Field: "n", Message: "must be between 0 and 260 working days"})
	}
	if len(fields) > 0 {
		return DueDate{}, domain.Invalid("cannot compute the due date", fields...)
	}
	cal, err := s.Store.LoadCalendar(ctx)
	if err != nil {
		return DueDate{}, err
	}
	due := cal.AddWorkingDays(d.Time(calendar.Zone), n)
	return DueDate{From: d, WorkingDays: n, DueDate: calendar.DateOf(due.In(calendar.Zone)), DueAt: due}, nil
}

// TimeLimits returns the time limit of every step of the procedure. Time limits
// are national reference data: "authority manage" at the central unit.
func (s *Service) TimeLimits(ctx context.Context, userID int64) ([]StepTimeLimit, error) {
	if err := s.Allow(userID, CentralUnitID, "authority", "manage"); err != nil {
		return nil, err
	}
	return s.Store.ListStepTimeLimits(ctx)
}

// PutTimeLimits changes the time limits of the listed steps and returns them all.
// Dossiers already under way keep the due dates they were given.
func (s *Service) PutTimeLimits(ctx context.Context, userID int64, limits []StepTimeLimit) ([]StepTimeLimit, error) {
	if err := s.Allow(userID, CentralUnitID, "authority", "manage"); err != nil {
		return nil, err
	}
	if err := s.Store.PutStepTimeLimits(ctx, limits, s.admin.Change(userID)); err != nil {
		return nil, err
	}
	return s.Store.ListStepTimeLimits(ctx)
}

// BaseSalaries returns the base salary table (lương cơ sở), same permission as
// TimeLimits.
func (s *Service) BaseSalaries(ctx context.Context, userID int64) ([]BaseSalaryEntry, error) {
	if err := s.Allow(userID, CentralUnitID, "authority", "manage"); err != nil {
		return nil, err
	}
	return s.Store.ListBaseSalaries(ctx)
}

// PutBaseSalaries replaces the base salary table and returns it; decisions already
// issued keep their amounts.
func (s *Service) PutBaseSalaries(ctx context.Context, userID int64, table []BaseSalaryEntry) ([]BaseSalaryEntry, error) {
	if err := s.Allow(userID, CentralUnitID, "authority", "manage"); err != nil {
		return nil, err
	}
	if err := s.Store.PutBaseSalaries(ctx, table, s.admin.Change(userID)); err != nil {
		return nil, err
	}
	return s.Store.ListBaseSalaries(ctx)
}
