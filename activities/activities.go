// Package activities holds the Temporal activities of tdkt: everything a workflow
// does to the world (PostgreSQL writes, notifications) happens here, on structs that
// carry their dependencies. Activities are idempotent, keyed by the workflow's
// dossier and event sequence, so a retry never writes twice.
package activities

import (
	"context"
	"time"

	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/store"
)

// DefaultDueWorkingDays are the time limits of each step in working days, from the
// pre-2024 rules still in use (DOMAIN.md §5): 10 working days to appraise and decide
// from a complete dossier at each level.
var DefaultDueWorkingDays = map[domain.Step]int{
	domain.StepAppraise:   10,
	domain.StepDecide:     5,
	domain.StepForward:    5,
	domain.StepSupplement: 10,
}

// Activities are the nomination activities, with their dependencies.
type Activities struct {
	Store    *store.Store
	Calendar *calendar.Calendar
	// DueWorkingDays gives each step's time limit; a step not listed has no due date.
	DueWorkingDays map[domain.Step]int
}

// Record writes one transition of a dossier — its projection, the task it closes and
// the one it opens with its due date, any decision, and the audit event — in one
// PostgreSQL transaction. It is idempotent on (dossier, seq).
func (a *Activities) Record(ctx context.Context, t domain.Transition) (domain.RecordResult, error) {
	var due *time.Time
	if n, ok := a.DueWorkingDays[t.Step]; ok && t.Step != "" && a.Calendar != nil {
		d := a.Calendar.AddWorkingDays(t.At, n)
		due = &d
	}
	return a.Store.Record(ctx, t, due)
}
