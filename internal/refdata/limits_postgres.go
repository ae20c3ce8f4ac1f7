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

// StepTimeLimit is the time limit (thời hạn) of one step of the procedure in
// working days, and how many working days before the due date the reminder goes.
type StepTimeLimit struct {
	Step         string `json:"step"`
	WorkingDays  int    `json:"working_days"`
	RemindBefore int    `json:"remind_before"`
}

// maxWorkingDays bounds a time limit: a year of working days.
const maxWorkingDays = 260

// ListStepTimeLimits returns the time limit of every step, by step name.
func (s *Store) ListStepTimeLimits(ctx context.Context) ([]StepTimeLimit, error) {
	const op = "refdata.ListStepTimeLimits"
	rows, err := s.Pool.Query(ctx, `SELECT step, working_days, remind_before FROM step_time_limits ORDER BY step`)
	if err != nil {
		return nil, postgres.Translate(op, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (StepTimeLimit, error) {
		var l StepTimeLimit
		err := r.Scan(&l.Step, &l.WorkingDays, &l.RemindBefore)
		return l, err
	})
	return out, postgres.Translate(op, err)
}

// PutStepTimeLimits changes the time limits of the listed steps in one transaction;
// steps not listed keep theirs. The steps are those of the procedure (the rows
// the migration created): an unknown step, a limit outside 1–260 working days, or
// a reminder not strictly before the limit is KindInvalid, and nothing changes.
// The change is recorded in the audit log (admin.time_limits.put).
func (s *Store) PutStepTimeLimits(ctx context.Context, limits []StepTimeLimit, ch admin.AdminChange) error {
	const op = "refdata.PutStepTimeLimits"
	var fields []domain.FieldError
	seen := map[string]bool{}
	for i, l := range limits {
		f := func(name, msg string) {
			fields = append(fields, domain.FieldError{Field: fmt.Sprintf("time_limits[%d].%s", i, name), Message: msg})
		}
		if seen[l.Step] {
			f("step", l.Step+" is listed twice")
		}
		seen[l.Step] = true
		if l.WorkingDays < 1 || l.WorkingDays > maxWorkingDays {
			f("working_days", fmt.Sprintf("must be between 1 and %d", maxWorkingDays))
		}
		if l.RemindBefore < 0 || l.RemindBefore >= l.WorkingDays {
			f("remind_before", "must be at least 0 and less than working_days")
		}
	}
	if len(limits) == 0 {
		fields = append(fields, domain.FieldError{Field: "time_limits", Message: "list at least one step"})
	}
	if len(fields) > 0 {
		return domain.Invalid("the time limits have invalid entries", fields...)
	}
	return s.InTx(ctx, op, func(tx pgx.Tx) error {
		var unknown []domain.FieldError
		for i, l := range limits {
			tag, err := tx.Exec(ctx, `UPDATE step_time_limits SET working_days = $2, remind_before = $3 WHERE step = $1`,
				l.Step, l.WorkingDays, l.RemindBefore)
			if err != nil {
				return err
			}
			if tag.RowsAffected() == 0 {
				unknown = append(unknown, domain.FieldError{Field: fmt.Sprintf("time_limits[%d].step", i),
					Message: fmt.Sprintf("no step %q in the procedure", l.Step)})
			}
		}
		if len(unknown) > 0 {
			return domain.Invalid("unknown steps", unknown...)
		}
		return admin.Audit(ctx, tx, ch, "admin.time_limits.put", "", map[string]any{"time_limits": limits})
	})
}

// BaseSalaryEntry is the base salary (lương cơ sở) in force from a date, per the decree
// that set it; bonus amounts are multiples of it.
type BaseSalaryEntry struct {
	ValidFrom calendar.Date `json:"valid_from"`
	Amount    int64         `json:"amount"` // VND per month
	Source    string        `json:"source"`
}

// ListBaseSalaries returns the base salary table, oldest first.
func (s *Store) ListBaseSalaries(ctx context.Context) ([]BaseSalaryEntry, error) {
	const op = "refdata.ListBaseSalaries"
	rows, err := s.Pool.Query(ctx, `SELECT valid_from, amount, source FROM base_salaries ORDER BY valid_from`)
	if err != nil {
		return nil, postgres.Translate(op, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (BaseSalaryEntry, error) {
		var b BaseSalaryEntry
		var from time.Time
		err := r.Scan(&from, &b.Amount, &b.Source)
		b.ValidFrom = calendar.DateOf(from)
		return b, err
	})
	return out, postgres.Translate(op, err)
}

// PutBaseSalaries replaces the base salary table in one transaction. Decisions
// already issued keep the amounts they recorded. Every entry needs a date, a
// positive amount and its source (the decree); dates are unique; at least one
// entry is required. It returns KindInvalid listing every offending entry. The
// new table is recorded in the audit log (admin.base_salaries.put).
func (s *Store) PutBaseSalaries(ctx context.Context, table []BaseSalaryEntry, ch admin.AdminChange) error {
	const op = "refdata.PutBaseSalaries"
	table = slices.Clone(table)
	var fields []domain.FieldError
	seen := map[calendar.Date]bool{}
	for i := range table {
		b := &table[i]
		f := func(name, msg string) {
			fields = append(fields, domain.FieldError{Field: fmt.Sprintf("base_salaries[%d].%s", i, name), Message: msg})
		}
		b.Source = strings.TrimSpace(b.Source)
		switch {
		case !b.ValidFrom.IsValid():
			f("valid_from", "required, as yyyy-mm-dd")
		case seen[b.ValidFrom]:
			f("valid_from", b.ValidFrom.String()+" is listed twice")
		}
		seen[b.ValidFrom] = true
		if b.Amount <= 0 || b.Amount > 1_000_000_000 {
			f("amount", "must be a positive amount in VND")
		}
		if b.Source == "" {
			f("source", "name the decree that set it, e.g. Nghị định 73/2024/NĐ-CP")
		} else if utf8.RuneCountInString(b.Source) > 300 {
			f("source", "at most 300 characters")
		}
	}
	if len(table) == 0 {
		fields = append(fields, domain.FieldError{Field: "base_salaries", Message: "at least one base salary is required"})
	}
	if len(fields) > 0 {
		return domain.Invalid("the base salary table has invalid entries", fields...)
	}
	slices.SortFunc(table, func(a, b BaseSalaryEntry) int { return a.ValidFrom.Compare(b.ValidFrom) })
	return s.InTx(ctx, op, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM base_salaries`); err != nil {
			return err
		}
		rows := make([][]any, len(table))
		for i, b := range table {
			rows[i] = []any{b.ValidFrom.Time(time.UTC), b.Amount, b.Source}
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"base_salaries"}, []string{"valid_from", "amount", "source"}, pgx.CopyFromRows(rows)); err != nil {
			return err
		}
		return admin.Audit(ctx, tx, ch, "admin.base_salaries.put", "", map[string]any{"base_salaries": table})
	})
}

// StepLimitRow is a step's time limit: working days, and the reminder's lead.
type StepLimitRow struct {
	WorkingDays, RemindBefore int
}

// StepLimits returns the time limit of every step (table step_time_limits).
func (s *Store) StepLimits(ctx context.Context) (map[domain.Step]StepLimitRow, error) {
	rows, err := s.Pool.Query(ctx, `SELECT step, working_days, remind_before FROM step_time_limits`)
	if err != nil {
		return nil, postgres.Translate("refdata.StepLimits", err)
	}
	out := map[domain.Step]StepLimitRow{}
	var step string
	var l StepLimitRow
	_, err = pgx.ForEachRow(rows, []any{&step, &l.WorkingDays, &l.RemindBefore}, func() error {
		out[domain.Step(step)] = l
		return nil
	})
	return out, postgres.Translate("refdata.StepLimits", err)
}
