package workflows

import (
	"context"
	"testing"
	"time"

	"github.com/tdkt/tdkt/activities"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/workflows/contract"
)

// UnitEnd stands in for the activity: the units in r.ends end at their instant on
// the environment's clock, and go to r.successors (none: the level is abolished).
func (r *recorder) UnitEnd(_ context.Context, in activities.UnitEndInput) (activities.UnitEndResult, error) {
	end, ok := r.ends[in.UnitID]
	if !ok {
		return activities.UnitEndResult{}, nil
	}
	if now := r.now(); now.Before(end) {
		return activities.UnitEndResult{Ends: true, EndsIn: end.Sub(now)}, nil
	}
	return activities.UnitEndResult{Ends: true, Ended: true, Successor: r.successors[in.UnitID]}, nil
}

var reformStart = time.Date(2025, 6, 28, 9, 0, 0, 0, time.UTC)

func TestADossierAtAnAbolishedDistrictGoesToTheProvinceOnItsLastDay(t *testing.T) {
	rec := &recorder{ends: map[string]time.Time{district: time.Date(2025, 6, 30, 17, 0, 0, 0, time.UTC)}}
	env, _ := run(t, rec, scenario{in: contract.NominationInput{Route: bkTinhRoute}, start: reformStart, steps: []step{
		{act: submit(0)},
		{act: by(appraiser, district, domain.ActionAccept, 1)},
		// After the reform the province has the dossier.
		{at: 4 * 24 * time.Hour, act: by(appraiser, province, domain.ActionAccept, 3)},
		{at: 4*24*time.Hour + time.Minute, act: by(appraiser, province, domain.ActionApprove, 4)},
		{at: 4*24*time.Hour + 2*time.Minute, act: by(chair, province, domain.ActionCloseVote, 5)},
		{at: 4*24*time.Hour + 3*time.Minute, act: by(decider, province, domain.ActionDecide, 7)},
	}})
	if st := result(t, env); st.Status != domain.StatusDecided {
		t.Fatalf("final %+v", st)
	}
	h := rec.got[2]
	if h.Action != domain.ActionHandover || h.UnitID != district || h.CurrentUnitID != province ||
		h.ToStatus != domain.StatusIntake || !h.CloseAll || h.MoveTasks != nil || h.LetterTo != "" ||
		!h.At.Equal(rec.ends[district]) {
		t.Fatalf("handover at the district's end: %+v", h)
	}
}

func TestADossierAtAMergedUnitGoesToItsSuccessorWithItsTasksAndDeadline(t *testing.T) {
	merged := "LS-NEW"
	route := []domain.RouteStop{{UnitID: province, Level: "province", Decides: true}}
	rec := &recorder{ends: map[string]time.Time{province: time.Date(2025, 6, 30, 17, 0, 0, 0, time.UTC)},
		successors: map[string]string{province: merged}}
	env, outs := run(t, rec, scenario{in: contract.NominationInput{Route: route}, start: reformStart, steps: []step{
		{act: submit(0)},
		{act: by(appraiser, province, domain.ActionAccept, 1)},
		{at: 4 * 24 * time.Hour, act: by(appraiser, province, domain.ActionApprove, 3), wantErr: contract.ErrTypeWrongUnit},
		{at: 4*24*time.Hour + time.Minute, act: by(appraiser, merged, domain.ActionApprove, 3)},
		{at: 4*24*time.Hour + 2*time.Minute, act: by(decider, merged, domain.ActionDecide, 4)},
	}})
	st := result(t, env)
	if st.Status != domain.StatusDecided || st.Decisions[0].UnitID != merged {
		t.Fatalf("final %+v", st)
	}
	h := rec.got[2]
	if h.Action != domain.ActionHandover || h.MoveTasks == nil || *h.MoveTasks != (domain.TaskMove{From: province, To: merged}) ||
		h.CurrentUnitID != merged || h.ToStatus != domain.StatusAppraising || h.CloseAll || len(h.Open) != 0 {
		t.Fatalf("handover to the successor: %+v", h)
	}
	// The successor takes the stop over as it stood: the appraisal goes on there.
	if a := rec.got[3]; a.Action != domain.ActionApprove || a.FromStatus != domain.StatusAppraising || a.UnitID != merged ||
		len(outs[4].state.Handovers) != 1 {
		t.Fatalf("after the handover: %+v, handovers %v", a, outs[4].state.Handovers)
	}
}
