package workflows

import (
	"path/filepath"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/tdkt/tdkt/activities"
	"github.com/tdkt/tdkt/workflows/contract"
)

// replayRegistry registers the workflows on a replayer; activities are not run in
// a replay (their recorded results are), so their registration is dropped. The
// embedded Registry is nil: Register calls none of its other methods.
type replayRegistry struct {
	worker.Registry
	r worker.WorkflowReplayer
}

func (g replayRegistry) RegisterWorkflow(w any) { g.r.RegisterWorkflow(w) }
func (g replayRegistry) RegisterWorkflowWithOptions(w any, o workflow.RegisterOptions) {
	g.r.RegisterWorkflowWithOptions(w, o)
}
func (replayRegistry) RegisterActivity(any)                                      {}
func (replayRegistry) RegisterActivityWithOptions(any, activity.RegisterOptions) {}

// TestReplayRecordedHistories replays the workflow histories recorded from real
// runs (testdata/histories, written by internal/faulttest's TestRecordHistories — the
// nomination ones without a suffix under contract.NominationRevision, the -v0 ones
// before it, with the code of that time, so without the identity rules and the
// handover watch; the review-*-v0 ones by `go run ./cmd/tdkt-bench -provinces 2 -communes 6 -histories DIR`
// before reviewTellParentChange, so they take its DefaultVersion path; the -v1 ones
// after it) against the current workflow code. A change that would make a running dossier's
// workflow take another path than its history — a nondeterministic change — fails
// here instead of in production; such a change needs workflow.GetVersion.
func TestReplayRecordedHistories(t *testing.T) {
	files, err := filepath.Glob("testdata/histories/*.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no recorded histories in testdata/histories: record them with go test ./internal/faulttest -run TestRecordHistories -update-histories")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			r := worker.NewWorkflowReplayer()
			Register(replayRegistry{r: r}, &activities.Activities{})
			if err := r.ReplayWorkflowHistoryFromJSONFile(nil, f); err != nil {
				t.Fatalf("replaying %s: %v", f, err)
			}
		})
	}
}

// TestReplayDetectsAnIncompatibleChange replays a recorded history against a
// NominationWorkflow that starts a timer first, as a careless change would: the
// replayer must refuse it, or the replay test above would prove nothing.
func TestReplayDetectsAnIncompatibleChange(t *testing.T) {
	changed := func(ctx workflow.Context, in contract.NominationInput) (contract.NominationState, error) {
		if err := workflow.Sleep(ctx, time.Minute); err != nil {
			return contract.NominationState{}, err
		}
		return NominationWorkflow(ctx, in)
	}
	r := worker.NewWorkflowReplayer()
	r.RegisterWorkflowWithOptions(changed, workflow.RegisterOptions{Name: contract.NominationWorkflowName})
	err := r.ReplayWorkflowHistoryFromJSONFile(nil, "testdata/histories/gk-returned-resubmitted-rejected.json")
	if err == nil {
		t.Fatal("an incompatible workflow replayed a recorded history without error")
	}
	t.Logf("refused as expected: %v", err)
}
