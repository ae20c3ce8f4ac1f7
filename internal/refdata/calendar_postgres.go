package refdata

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/tdkt/tdkt/internal/admin"
	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/postgres"
)

// CalendarOverride is a row of calendar_overrides: a day an administrator made a
// day off (ngày nghỉ) or a working day (ngày làm bù) for one year.
type CalendarOverride struct {
	calendar.Override
	UpdatedAt time.Time `json:"updated_at"`
}

// maxOverrideName caps the shown name of an override.
const maxOverrideName = 200

// LoadCalendar builds the working-day calendar in force: the government decisions
// shipped with the binary (calendar.Published) merged with the overrides an
// administrator recorded, a recorded row replacing the published one of the same
// date. It fails only when the database cannot be read.
func (s *Store) LoadCalendar(ctx context.Context) (*calendar.Calendar, error) {
	const op = "refdata.LoadCalendar"
	rows, err := s.AllCalendarOverrides(ctx)
	if err != nil {
		return nil, err
	}
	byDate := make(map[calendar.Date]calendar.Override, len(rows)+64)
	for _, o := range calendar.Published() {
		byDate[o.Date] = o
	}
	for _, r := range rows {
		byDate[r.Date] = r.Override
	}
	merged := make([]calendar.Override, 0, len(byDate))
	for _, o := range byDate {
		merged = append(merged, o)
	}
	slices.SortFunc(merged, func(a, b calendar.Override) int { return a.Date.Compare(b.Date) })
	cal, err := calendar.New(merged)
	if err != nil {
		return nil, &domain.Error{Op: op, Kind: domain.KindInternal, Err: fmt.Errorf("%s: %w", op, err)}
	}
	return cal, nil
}

// AllCalendarOverrides returns every recorded override, by date.
func (s *Store) AllCalendarOverrides(ctx context.Context) ([]CalendarOverride, error) {
	return s.queryOverrides(ctx, "refdata.AllCalendarOverrides",
		`SELECT day, kind, name, updated_at FROM calendar_overrides ORDER BY day`)
}

// CalendarOverrides returns the recorded overrides of one year, by date.
func (s *Store) CalendarOverrides(ctx context.Context, year int) ([]CalendarOverride, error) {
	return s.queryOverrides(ctx, "refdata.CalendarOverrides",
		`SELECT day, kind, name, updated_at FROM calendar_overrides
		WHERE day >= make_date($1, 1, 1) AND day < make_date($1 + 1, 1, 1) ORDER BY day`, year)
}

func (s *Store) queryOverrides(ctx context.Context, op, q string, args ...any) ([]CalendarOverride, error) {
	rows, err := s.Pool.Query(ctx, q, args...)
	if err != nil {
		return nil, postgres.Translate(op, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (CalendarOverride, error) {
		var o CalendarOverride
		var day time.Time
		err := r.Scan(&day, &o.Kind, &o.Name, &o.UpdatedAt)
		o.Date = calendar.DateOf(day)
		return o, err
	})
	return out, postgres.Translate(op, err)
}

// ValidateOverrides checks the overrides of one year as an administrator entered
// them, trimming names: every date must lie in year, the kind must be off or work,
// a day off needs a name, and no date may appear twice. It returns KindInvalid
// listing every offending entry.
func ValidateOverrides(year int, list []calendar.Override) ([]calendar.Override, error) {
	var fields []domain.FieldError
	out := make([]calendar.Override, 0, len(list))
	seen := make(map[calendar.Date]bool, len(list))
	for i, o := range list {
		f := func(name, msg string) {
			fields = append(fields, domain.FieldError{Field: fmt.Sprintf("overrides[%d].%s", i, name), Message: msg})
		}
		o.Name = strings.TrimSpace(o.Name)
		switch {
		case !o.Date.IsValid():
			f("date", "required, as yyyy-mm-dd")
		case o.Date.Year != year:
			f("date", fmt.Sprintf("must be in %d", year))
		case seen[o.Date]:
			f("date", o.Date.String()+" is listed twice")
		}
		seen[o.Date] = true
		if o.Kind != calendar.OverrideOff && o.Kind != calendar.OverrideWork {
			f("kind", "must be off or work")
		}
		if o.Kind == calendar.OverrideOff && o.Name == "" {
			f("name", "a day off needs a name, e.g. Tết Nguyên đán")
		}
		if utf8.RuneCountInString(o.Name) > maxOverrideName {
			f("name", fmt.Sprintf("at most %d characters", maxOverrideName))
		}
		out = append(out, o)
	}
	if len(fields) > 0 {
		return nil, domain.Invalid("the calendar overrides have invalid entries", fields...)
	}
	slices.SortFunc(out, func(a, b calendar.Override) int { return a.Date.Compare(b.Date) })
	return out, nil
}

// PutCalendarOverrides replaces the recorded overrides of one year with list, in one
// transaction, after ValidateOverrides; an empty list clears the year. It returns
// KindInvalid (see ValidateOverrides) and leaves the year unchanged on any error.
// The new list is recorded in the audit log (admin.calendar.put).
func (s *Store) PutCalendarOverrides(ctx context.Context, year int, list []calendar.Override, ch admin.AdminChange) error {
	const op = "refdata.PutCalendarOverrides"
	list, err := ValidateOverrides(year, list)
	if err != nil {
		return err
	}
	return s.InTx(ctx, op, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM calendar_overrides
			WHERE day >= make_date($1, 1, 1) AND day < make_date($1 + 1, 1, 1)`, year); err != nil {
			return err
		}
		audit := func() error {
			return admin.Audit(ctx, tx, ch, "admin.calendar.put", "", map[string]any{"year": year, "overrides": list})
		}
		if len(list) == 0 {
			return audit()
		}
		rows := make([][]any, len(list))
		for i, o := range list {
			rows[i] = []any{o.Date.Time(time.UTC), string(o.Kind), o.Name, ch.At}
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"calendar_overrides"}, []string{"day", "kind", "name", "updated_at"},
			pgx.CopyFromRows(rows)); err != nil {
			return err
		}
		return audit()
	})
}

// DeleteCalendarOverride removes the recorded override of one day, so the published
// decision or the statutory rule applies again, with its audit event
// (admin.calendar.delete); KindNotFound if there is none.
func (s *Store) DeleteCalendarOverride(ctx context.Context, day calendar.Date, ch admin.AdminChange) error {
	const op = "refdata.DeleteCalendarOverride"
	return s.InTx(ctx, op, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM calendar_overrides WHERE day = $1`, day.Time(time.UTC))
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return &domain.Error{Op: op, Kind: domain.KindNotFound, Message: "no override recorded for " + day.String()}
		}
		return admin.Audit(ctx, tx, ch, "admin.calendar.delete", "", map[string]any{"day": day.String()})
	})
}
