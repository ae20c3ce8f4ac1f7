package workflows

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/tdkt/tdkt/internal/domain"
)

const (
	clerk     = int64(1) // prepared the dossier at the commune
	appraiser = int64(2)
	decider   = int64(3)
	commune   = "LS-01-001"
	district  = "LS-01"
	province  = "LS"
)

// bkTinhRoute is the route of a commune's Bằng khen tỉnh dossier before 2025:
// the district forwards, the province decides.
var bkTinhRoute = []domain.RouteStop{{UnitID: district, Level: "district"}, {UnitID: province, Level: "province", Decides: true}}

// recorder stands in for the Record activity and keeps every transition.
type recorder struct {
	got  []domain.Transition
	fail int // fail this many calls with a non-retryable error
}

func (r *recorder) Record(_ context.Context, t domain.Transition) (domain.RecordResult, error) {
	if r.fail > 0 {
		r.fail--
		return domain.RecordResult{}, temporal.NewNonRetryableApplicationError("database down", "DBDown", nil)
	}
	r.got = append(r.got, t)
	if t.Decide {
		return domain.RecordResult{Decision: &domain.Decision{NominationID: t.NominationID, UnitID: t.DecisionUnitID, Number: 7, Code: "7/QĐ-UBND"}}, nil
	}
	return domain.RecordResult{}, nil
}

type step struct {
	act     ActInput
	wantErr string // "" = accepted and completed; else the ApplicationError type
}

type outcome struct {
	state NominationState
	err   error
}

// run starts a dossier workflow and sends the steps as updates one minute apart.
func run(t *testing.T, rec *recorder, route []domain.RouteStop, steps []step) (*testsuite.TestWorkflowEnvironment, []outcome) {
	t.Helper()
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	env.RegisterWorkflowWithOptions(NominationWorkflow, workflow.RegisterOptions{Name: NominationWorkflowName})
	env.RegisterActivityWithOptions(rec.Record, activity.RegisterOptions{Name: "Record"})
	outs := make([]outcome, len(steps))
	for i, s := range steps {
		i, s := i, s
		env.RegisterDelayedCallback(func() {
			env.UpdateWorkflow(UpdateAct, fmt.Sprintf("u%d", i), &testsuite.TestUpdateCallback{
				OnAccept: func() {},
				OnReject: func(err error) { outs[i].err = err },
				OnComplete: func(res any, err error) {
					outs[i].err = err
					if st, ok := res.(NominationState); ok {
						outs[i].state = st
					}
				},
			}, s.act)
		}, time.Duration(i+1)*time.Minute)
	}
	env.ExecuteWorkflow(NominationWorkflowName, NominationInput{NominationID: "n1", UnitID: commune, CreatedBy: clerk, Route: route})
	for i, s := range steps {
		if s.wantErr == "" && outs[i].err != nil {
			t.Fatalf("step %d (%s): unexpected error %v", i, s.act.Action, outs[i].err)
		}
		if s.wantErr != "" {
			var appErr *temporal.ApplicationError
			if !errors.As(outs[i].err, &appErr) || appErr.Type() != s.wantErr {
				t.Fatalf("step %d (%s): want %s rejection, got %v", i, s.act.Action, s.wantErr, outs[i].err)
			}
		}
	}
	return env, outs
}

func TestNominationFullPathReturnSupplementForwardDecide(t *testing.T) {
	rec := &recorder{}
	env, outs := run(t, rec, bkTinhRoute, []step{
		{act: ActInput{Action: domain.ActionSubmit, ActorID: clerk, UnitID: commune, Version: 0}},
		{act: ActInput{Action: domain.ActionReturn, ActorID: appraiser, UnitID: district, Version: 1, MissingItems: []string{"Biên bản họp hội đồng"}}},
		{act: ActInput{Action: domain.ActionSubmit, ActorID: clerk, UnitID: commune, Version: 2}},
		{act: ActInput{Action: domain.ActionApprove, ActorID: appraiser, UnitID: district, Version: 3}},
		{act: ActInput{Action: domain.ActionForward, ActorID: decider, UnitID: district, Version: 4}},
		{act: ActInput{Action: domain.ActionApprove, ActorID: appraiser, UnitID: province, Version: 5}},
		{act: ActInput{Action: domain.ActionDecide, ActorID: decider, UnitID: province, Version: 6}},
	})
	if !env.IsWorkflowCompleted() {
		t.Fatal("workflow did not complete after the decision")
	}
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var final NominationState
	if err := env.GetWorkflowResult(&final); err != nil {
		t.Fatal(err)
	}
	if final.Status != domain.StatusDecided || final.Version != 7 || final.Decision == nil || final.Decision.Code != "7/QĐ-UBND" {
		t.Fatalf("final state = %+v", final)
	}
	want := []struct {
		action   domain.Action
		to       domain.Status
		step     domain.Step
		cur      string
		routeIdx int
	}{
		{domain.ActionSubmit, domain.StatusAppraising, domain.StepAppraise, district, 0},
		{domain.ActionReturn, domain.StatusReturned, domain.StepSupplement, commune, 0},
		{domain.ActionSubmit, domain.StatusAppraising, domain.StepAppraise, district, 0},
		{domain.ActionApprove, domain.StatusForwarding, domain.StepForward, district, 0},
		{domain.ActionForward, domain.StatusAppraising, domain.StepAppraise, province, 1},
		{domain.ActionApprove, domain.StatusDeciding, domain.StepDecide, province, 1},
		{domain.ActionDecide, domain.StatusDecided, "", "", 1},
	}
	if len(rec.got) != len(want) {
		t.Fatalf("recorded %d transitions, want %d", len(rec.got), len(want))
	}
	for i, w := range want {
		g := rec.got[i]
		if g.Seq != i+1 || g.Action != w.action || g.ToStatus != w.to || g.Step != w.step || g.CurrentUnitID != w.cur || g.RouteIndex != w.routeIdx {
			t.Errorf("transition %d = %+v, want %+v", i, g, w)
		}
		if i > 0 && g.FromStatus != rec.got[i-1].ToStatus {
			t.Errorf("transition %d starts from %s, previous ended in %s", i, g.FromStatus, rec.got[i-1].ToStatus)
		}
		if outs[i].state.Version != i+1 {
			t.Errorf("update %d answered version %d", i, outs[i].state.Version)
		}
	}
	if got := rec.got[1].MissingItems; len(got) != 1 || got[0] != "Biên bản họp hội đồng" {
		t.Errorf("return lost its missing items: %v", got)
	}
	if !rec.got[6].Decide || rec.got[6].DecisionUnitID != province {
		t.Errorf("decision not issued by the province: %+v", rec.got[6])
	}
}

func TestNominationValidatorRejectsBeforeHistory(t *testing.T) {
	rec := &recorder{}
	_, _ = run(t, rec, bkTinhRoute, []step{
		{act: ActInput{Action: domain.ActionApprove, ActorID: appraiser, UnitID: district, Version: 0}, wantErr: ErrTypeWrongState},
		{act: ActInput{Action: domain.ActionSubmit, ActorID: clerk, UnitID: commune, Version: 5}, wantErr: ErrTypeStaleVersion},
		{act: ActInput{Action: domain.ActionSubmit, ActorID: clerk, UnitID: "LS-02-001", Version: 0}, wantErr: ErrTypeWrongUnit},
		{act: ActInput{Action: "approve-all", ActorID: clerk, UnitID: commune, Version: 0}, wantErr: ErrTypeInvalid},
		{act: ActInput{Action: domain.ActionSubmit, ActorID: 0, UnitID: commune, Version: 0}, wantErr: ErrTypeInvalid},
		{act: ActInput{Action: domain.ActionSubmit, ActorID: clerk, UnitID: commune, Version: 0}},
		{act: ActInput{Action: domain.ActionApprove, ActorID: clerk, UnitID: district, Version: 1}, wantErr: ErrTypeSeparation},
		{act: ActInput{Action: domain.ActionApprove, ActorID: appraiser, UnitID: province, Version: 1}, wantErr: ErrTypeWrongUnit},
		{act: ActInput{Action: domain.ActionReturn, ActorID: appraiser, UnitID: district, Version: 1}, wantErr: ErrTypeInvalid},
		{act: ActInput{Action: domain.ActionReject, ActorID: appraiser, UnitID: district, Version: 1}, wantErr: ErrTypeInvalid},
		{act: ActInput{Action: domain.ActionDecide, ActorID: decider, UnitID: district, Version: 1}, wantErr: ErrTypeWrongState},
		{act: ActInput{Action: domain.ActionReturn, ActorID: appraiser, UnitID: district, Version: 1, MissingItems: []string{"Báo cáo thành tích"}}},
		{act: ActInput{Action: domain.ActionSubmit, ActorID: clerk, UnitID: commune, Version: 2}},
		// The law allows one return with one complete list.
		{act: ActInput{Action: domain.ActionReturn, ActorID: appraiser, UnitID: district, Version: 3, MissingItems: []string{"more"}}, wantErr: ErrTypeWrongState},
		{act: ActInput{Action: domain.ActionApprove, ActorID: appraiser, UnitID: district, Version: 3}},
		// The district does not decide a provincial award.
		{act: ActInput{Action: domain.ActionDecide, ActorID: decider, UnitID: district, Version: 4}, wantErr: ErrTypeWrongState},
	})
	if len(rec.got) != 4 {
		t.Fatalf("rejected updates reached the Record activity: %d transitions recorded, want 4", len(rec.got))
	}
}

func TestNominationRejectEndsTheWorkflow(t *testing.T) {
	rec := &recorder{}
	env, _ := run(t, rec, bkTinhRoute, []step{
		{act: ActInput{Action: domain.ActionSubmit, ActorID: clerk, UnitID: commune, Version: 0}},
		{act: ActInput{Action: domain.ActionReject, ActorID: appraiser, UnitID: district, Version: 1, Reason: "Không đủ tiêu chuẩn"}},
	})
	var final NominationState
	if err := env.GetWorkflowResult(&final); err != nil {
		t.Fatal(err)
	}
	if final.Status != domain.StatusRejected || rec.got[1].Reason != "Không đủ tiêu chuẩn" || rec.got[1].Step != "" {
		t.Fatalf("final %+v, last transition %+v", final, rec.got[1])
	}
}

func TestNominationWithdrawBySubmittingUnit(t *testing.T) {
	rec := &recorder{}
	env, _ := run(t, rec, bkTinhRoute, []step{
		{act: ActInput{Action: domain.ActionSubmit, ActorID: clerk, UnitID: commune, Version: 0}},
		{act: ActInput{Action: domain.ActionWithdraw, ActorID: clerk, UnitID: district, Version: 1}, wantErr: ErrTypeWrongUnit},
		{act: ActInput{Action: domain.ActionWithdraw, ActorID: clerk, UnitID: commune, Version: 1}},
	})
	var final NominationState
	if err := env.GetWorkflowResult(&final); err != nil {
		t.Fatal(err)
	}
	if final.Status != domain.StatusWithdrawn {
		t.Fatalf("final %+v", final)
	}
}

func TestNominationDecidedAtOwnLevel(t *testing.T) {
	rec := &recorder{}
	// A district's Giấy khen: the district appraises and decides.
	env, _ := run(t, rec, []domain.RouteStop{{UnitID: district, Level: "district", Decides: true}}, []step{
		{act: ActInput{Action: domain.ActionSubmit, ActorID: clerk, UnitID: commune, Version: 0}},
		{act: ActInput{Action: domain.ActionApprove, ActorID: appraiser, UnitID: district, Version: 1}},
		{act: ActInput{Action: domain.ActionForward, ActorID: decider, UnitID: district, Version: 2}, wantErr: ErrTypeWrongState},
		{act: ActInput{Action: domain.ActionDecide, ActorID: decider, UnitID: district, Version: 2}},
	})
	if !env.IsWorkflowCompleted() || rec.got[2].DecisionUnitID != district {
		t.Fatalf("not decided at the district: %+v", rec.got)
	}
}

func TestNominationFailedRecordLeavesStateUnchanged(t *testing.T) {
	rec := &recorder{fail: 1}
	_, outs := run(t, rec, bkTinhRoute, []step{
		{act: ActInput{Action: domain.ActionSubmit, ActorID: clerk, UnitID: commune, Version: 0}, wantErr: "DBDown"},
		// Same version again: the failed attempt did not advance the dossier.
		{act: ActInput{Action: domain.ActionSubmit, ActorID: clerk, UnitID: commune, Version: 0}},
	})
	if outs[1].state.Version != 1 || len(rec.got) != 1 {
		t.Fatalf("state after retry %+v, recorded %d", outs[1].state, len(rec.got))
	}
}
