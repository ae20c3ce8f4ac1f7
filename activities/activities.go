// Package activities holds the Temporal activities of tdkt: everything a workflow
// does to the world (PostgreSQL writes, notifications) happens here, on structs that
// carry their dependencies. Activities are idempotent, keyed by the workflow's
// dossier and event sequence, so a retry never writes twice.
package activities

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/tdkt/tdkt/internal/admin"
	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/campaigns"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/dossiers"
	"github.com/tdkt/tdkt/internal/nomination"
	"github.com/tdkt/tdkt/internal/refdata"
)

// Activities are the nomination activities, with their dependencies.
type Activities struct {
	// Dossiers and Campaigns are the SQL the nomination and review activities write through.
	Dossiers  *dossiers.Store
	Campaigns *campaigns.Store
	// Admin is the SQL of units and their successions; RefData of the step time
	// limits and the calendar.
	Admin   *admin.Store
	RefData *refdata.Store
	// Calendar returns the working-day calendar in force (the published decisions
	// plus the administrator's overrides). Nil uses the published calendar alone.
	Calendar func(ctx context.Context) (*calendar.Calendar, error)
	// AddWorkingDays, when set, replaces the calendar arithmetic: tests use it to
	// make "N working days" pass in seconds.
	AddWorkingDays func(from time.Time, n int) time.Time
	// Now is the application's clock (nil: time.Now), by which a unit's end is
	// reached; tests move it across a reorganisation.
	Now func() time.Time
}

// New returns the activities over a pool, with the calendar in force.
func New(pool *pgxpool.Pool) *Activities {
	rd := refdata.NewStore(pool)
	return &Activities{Dossiers: dossiers.NewStore(pool), Campaigns: campaigns.NewStore(pool),
		Admin: admin.NewStore(pool), RefData: rd, Calendar: rd.LoadCalendar}
}

// StepLimit is a step's time limit in working days and how many working days
// before the due date its assignees are reminded.
type StepLimit struct {
	WorkingDays, RemindBefore int
}

func (a *Activities) adder(ctx context.Context) (func(time.Time, int) time.Time, error) {
	if a.AddWorkingDays != nil {
		return a.AddWorkingDays, nil
	}
	cal, err := a.calendar(ctx)
	if err != nil {
		return nil, err
	}
	return cal.AddWorkingDays, nil
}

// Record writes one transition of a dossier — its projection, the tasks it closes
// and opens with their due dates and reminders in working days, per-nominee
// outcomes, decisions, letters, concurrence, consultation and council records, and
// the audit event — in one PostgreSQL transaction. It is idempotent on (dossier, seq).
func (a *Activities) Record(ctx context.Context, t domain.Transition) (domain.RecordResult, error) {
	tm := dossiers.Timing{Due: map[domain.Step]time.Time{}, Remind: map[domain.Step]time.Time{}}
	// Only a transition that opens a stage has instants to compute: the calendar and
	// the time limits are not read for the others (a decision, a rejection…).
	if len(t.Open) == 0 && t.ConsultationDays == 0 && len(t.ConcurrenceUnits) == 0 {
		return a.Dossiers.Record(ctx, t, tm)
	}
	add, err := a.adder(ctx)
	if err != nil {
		return domain.RecordResult{}, err
	}
	limits, err := a.RefData.StepLimits(ctx)
	if err != nil {
		return domain.RecordResult{}, err
	}
	for _, o := range t.Open {
		l, ok := limits[o.Step]
		if !ok {
			continue
		}
		tm.Due[o.Step] = add(t.At, l.WorkingDays)
		if l.RemindBefore > 0 && l.WorkingDays > l.RemindBefore {
			tm.Remind[o.Step] = add(t.At, l.WorkingDays-l.RemindBefore)
		}
	}
	if t.ConsultationDays > 0 {
		tm.ConsultationCloses = add(t.At, t.ConsultationDays)
	}
	if len(t.ConcurrenceUnits) > 0 {
		if l, ok := limits[domain.StepConcur]; ok {
			tm.ConcurrenceDue = add(t.At, l.WorkingDays)
		}
	}
	if err := a.resumeClocks(ctx, t, &tm); err != nil {
		return domain.RecordResult{}, err
	}
	return a.Dossiers.Record(ctx, t, tm)
}

// DeadlineInput names the open stage a reminder or an escalation is about.
type DeadlineInput struct {
	NominationID string      `json:"nomination_id"`
	Seq          int         `json:"seq"`
	Step         domain.Step `json:"step"`
	UnitID       string      `json:"unit_id"`
}

// Remind notifies the assignees of the dossier's open tasks that their due date is
// near; once per stage (deduplicated on the dossier version).
func (a *Activities) Remind(ctx context.Context, in DeadlineInput) error {
	return a.Dossiers.RemindOpenTasks(ctx, in.NominationID, in.Seq, time.Now())
}

// Escalate flags the dossier's open tasks overdue and notifies their assignees and
// the head of the responsible body (unit head and decider of the task's unit); once
// per stage.
func (a *Activities) Escalate(ctx context.Context, in DeadlineInput) error {
	return a.Dossiers.EscalateOpenTasks(ctx, in.NominationID, in.Seq, time.Now())
}

// RecordedActsInput names a dossier and the last event its workflow holds.
type RecordedActsInput struct {
	NominationID string `json:"nomination_id"`
	AfterSeq     int    `json:"after_seq"`
}

// RecordedActs reads the acts recorded after the workflow's version, for a workflow
// that lost the update of a committed record (nomination.Behind) to apply again.
func (a *Activities) RecordedActs(ctx context.Context, in RecordedActsInput) ([]nomination.Recorded, error) {
	return a.Dossiers.RecordedActs(ctx, in.NominationID, in.AfterSeq)
}
