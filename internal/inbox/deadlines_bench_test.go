package inbox_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tdkt/tdkt/internal/inbox"
	"github.com/tdkt/tdkt/internal/pgtest"
	"github.com/tdkt/tdkt/internal/refdata"
)

// BenchmarkLoadCalendarThenAddWorkingDays measures what a due date costs when the
// calendar is read from the database for it: the overrides query, the merge with
// the published decisions, and the first computation of the year.
func BenchmarkLoadCalendarThenAddWorkingDays(b *testing.B) {
	ctx := context.Background()
	st := inbox.NewStore(pgtest.NewPool(b))
	from := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		cal, err := refdata.NewStore(st.Pool).LoadCalendar(ctx)
		if err != nil {
			b.Fatal(err)
		}
		_ = cal.AddWorkingDays(from, 10)
	}
}

// BenchmarkDeadlineCountsProvinceSubtree measures the deadline dashboard's counts
// for the whole province (every unit of the demo) with 100,000 dossiers open.
func BenchmarkDeadlineCountsProvinceSubtree(b *testing.B) {
	s := seedDossiers(b, 100_000)
	ctx := context.Background()
	rows, err := s.Pool.Query(ctx, `SELECT id FROM units`)
	if err != nil {
		b.Fatal(err)
	}
	units, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	soon := now.Add(72 * time.Hour)
	b.ReportAllocs()
	for b.Loop() {
		counts, err := s.DeadlineCounts(ctx, units, now, soon, nil)
		if err != nil {
			b.Fatal(err)
		}
		if len(counts) == 0 {
			b.Fatal("no counts")
		}
	}
}

// BenchmarkOverdueTasksProvinceSubtree measures the overdue list (100 rows) for
// the whole province with 100,000 dossiers open.
func BenchmarkOverdueTasksProvinceSubtree(b *testing.B) {
	s := seedDossiers(b, 100_000)
	ctx := context.Background()
	rows, err := s.Pool.Query(ctx, `SELECT id FROM units`)
	if err != nil {
		b.Fatal(err)
	}
	units, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		ts, err := s.OverdueTasks(ctx, units, now, 100)
		if err != nil {
			b.Fatal(err)
		}
		if len(ts) != 100 {
			b.Fatalf("%d overdue tasks, want a full page", len(ts))
		}
	}
}
