package activities_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
	"golang.org/x/crypto/bcrypt"

	"github.com/tdkt/tdkt/activities"
	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/dossiers"
	"github.com/tdkt/tdkt/internal/password"
	"github.com/tdkt/tdkt/internal/pgtest"
	"github.com/tdkt/tdkt/internal/seed"
)

// TestRecordReadsTheCalendarOnlyForATransitionThatOpensAStage records a submission
// (it opens the intake: its due date and reminder are counted in working days on
// the calendar in force and the step's time limit) and then a closing transition
// (it opens nothing: neither the calendar nor the limits are read, and the record
// still commits).
func TestRecordReadsTheCalendarOnlyForATransitionThatOpensAStage(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.NewPool(t)
	if _, err := seed.Demo(ctx, pool, password.Hasher{Cost: bcrypt.MinCost}.Hash); err != nil {
		t.Fatal(err)
	}
	a := activities.New(pool)
	load := a.Calendar
	reads := 0
	a.Calendar = func(ctx context.Context) (*calendar.Calendar, error) {
		reads++
		return load(ctx)
	}
	var clerk int64
	if err := pool.QueryRow(ctx, `SELECT id FROM users WHERE username = 'xa.clerk'`).Scan(&clerk); err != nil {
		t.Fatal(err)
	}
	// draft stores a draft dossier of the demo commune, decided at its district.
	draft := func(title, nominee string) string {
		t.Helper()
		id := uuid.NewString()
		tx, err := pool.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback(ctx) //nolint:errcheck // after the commit, a no-op
		if err := dossiers.CreateNominationTx(ctx, tx, dossiers.NewNomination{ID: id, WorkflowID: "nomination-" + id, UnitID: seed.DemoCommune,
			AwardCode: "GK", Year: 2026, Title: title, CreatedBy: clerk,
			Route:    []domain.RouteStop{{UnitID: seed.DemoDistrict, Level: "district", Decides: true}},
			Nominees: []domain.Nominee{{Kind: domain.NomineeIndividual, Name: nominee}}, At: time.Now()}); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		return id
	}
	id := draft("Hồ sơ thử", "Nguyễn Văn A")

	at := time.Date(2026, 4, 24, 9, 0, 0, 0, time.UTC) // a Friday before the 30 April and 1 May holidays
	res, err := a.Record(ctx, domain.Transition{NominationID: id, Seq: 1, At: at, ActorID: clerk, Action: domain.ActionSubmit,
		FromStatus: domain.StatusDraft, ToStatus: domain.StatusIntake, Step: domain.StepIntake, CloseAll: true,
		UnitID: seed.DemoCommune, CurrentUnitID: seed.DemoDistrict,
		Open: []domain.TaskSpec{{Step: domain.StepIntake, UnitID: seed.DemoDistrict, Role: domain.RoleAppraiser}}})
	if err != nil {
		t.Fatal(err)
	}
	if reads != 1 {
		t.Fatalf("a submission opening the intake read the calendar %d times, want 1", reads)
	}
	cal, err := load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	limits, err := a.RefData.StepLimits(ctx)
	if err != nil {
		t.Fatal(err)
	}
	l, ok := limits[domain.StepIntake]
	if !ok || l.WorkingDays == 0 {
		t.Fatalf("no time limit for the intake: %+v", limits)
	}
	if want := cal.AddWorkingDays(at, l.WorkingDays); res.DueAt == nil || !res.DueAt.Equal(want) {
		t.Fatalf("intake due %v, want %v (%d working days on the calendar in force)", res.DueAt, want, l.WorkingDays)
	}

	// A transition that opens nothing: the calendar is not read, even when it
	// could not be.
	a.Calendar = func(context.Context) (*calendar.Calendar, error) {
		reads++
		return nil, errors.New("the calendar must not be read")
	}
	if _, err := a.Record(ctx, domain.Transition{NominationID: id, Seq: 2, At: at.Add(time.Hour), ActorID: clerk,
		Action: domain.ActionWithdraw, FromStatus: domain.StatusIntake, ToStatus: domain.StatusWithdrawn, CloseAll: true,
		UnitID: seed.DemoCommune}); err != nil {
		t.Fatalf("withdrawal: %v", err)
	}
	if reads != 1 {
		t.Fatalf("a withdrawal read the calendar (%d reads in all)", reads-1)
	}
	var status string
	var open int
	if err := pool.QueryRow(ctx, `SELECT status, (SELECT count(*) FROM tasks WHERE nomination_id = $1 AND status = 'open')
		FROM nominations WHERE id = $1`, id).Scan(&status, &open); err != nil {
		t.Fatal(err)
	}
	if status != string(domain.StatusWithdrawn) || open != 0 {
		t.Fatalf("after the withdrawal: %s with %d open tasks", status, open)
	}

	// A transition that opens a stage while the calendar cannot be read fails
	// with the reason, and writes nothing.
	id2 := draft("Hồ sơ thử 2", "Nguyễn Văn B")
	_, err = a.Record(ctx, domain.Transition{NominationID: id2, Seq: 1, At: at, ActorID: clerk, Action: domain.ActionSubmit,
		FromStatus: domain.StatusDraft, ToStatus: domain.StatusIntake, Step: domain.StepIntake, CloseAll: true,
		UnitID: seed.DemoCommune, CurrentUnitID: seed.DemoDistrict,
		Open: []domain.TaskSpec{{Step: domain.StepIntake, UnitID: seed.DemoDistrict, Role: domain.RoleAppraiser}}})
	if err == nil {
		t.Fatal("a submission was recorded without its calendar")
	}
	var version int
	if err := pool.QueryRow(ctx, `SELECT version FROM nominations WHERE id = $1`, id2).Scan(&version); err != nil || version != 0 {
		t.Fatalf("after the failed record the dossier is at version %d (%v), want 0", version, err)
	}
}
