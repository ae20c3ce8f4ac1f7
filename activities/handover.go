package activities

import (
	"context"
	"time"

	"github.com/tdkt/tdkt/internal/calendar"
)

// UnitEndInput names the unit a dossier waits at.
type UnitEndInput struct {
	NominationID string `json:"nomination_id"`
	UnitID       string `json:"unit_id"`
}

// UnitEndResult is when the unit ends, as a wait from now on the application's
// clock: the workflow sets its timer to it. Ends is false for a unit with no end.
// When the unit has ended (Ended), Successor is the unit in force that took it in
// whole (store.SuccessorOn), "" when there is none (its level was abolished, or it
// was split).
type UnitEndResult struct {
	Ends      bool          `json:"ends"`
	EndsIn    time.Duration `json:"ends_in"`
	Ended     bool          `json:"ended"`
	Successor string        `json:"successor,omitempty"`
}

func (a *Activities) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

// UnitEnd reads when the unit a dossier waits at ends, and, once it has, its
// successor. The end is the unit's valid_to at midnight in Vietnam.
func (a *Activities) UnitEnd(ctx context.Context, in UnitEndInput) (UnitEndResult, error) {
	to, err := a.Dossiers.UnitEnd(ctx, in.UnitID)
	if err != nil || to == nil {
		return UnitEndResult{}, err
	}
	now := a.now()
	end := time.Date(to.Year(), to.Month(), to.Day(), 0, 0, 0, 0, calendar.Zone)
	if now.Before(end) {
		return UnitEndResult{Ends: true, EndsIn: end.Sub(now)}, nil
	}
	succ, ok, err := a.Admin.SuccessorOn(ctx, in.UnitID, now.In(calendar.Zone))
	if err != nil {
		return UnitEndResult{}, err
	}
	res := UnitEndResult{Ends: true, Ended: true}
	if ok && succ != in.UnitID {
		res.Successor = succ
	}
	return res, nil
}
