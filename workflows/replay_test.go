package workflows

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
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
// at reviewTellParentAsync, the -v2 ones at reviewTellParentLocal, the -v3 ones at
// reviewTellParentOnComplete) against the
// current workflow code. A change that would make a running dossier's
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

// TestRecordedReviewV2HistoriesTakeOneTaskPerReport reads the -v2 review histories,
// which TestReplayRecordedHistories proves the current code reproduces, for what
// reviewTellParentLocal is for: the commune's submission is one workflow task (the
// update, its Record and TellParent local activities) with no signal command nor
// its delivery event, and the province takes each commune's report in a task that
// issues no command (no timer started per report).
func TestRecordedReviewV2HistoriesTakeOneTaskPerReport(t *testing.T) {
	commune := readHistory(t, "testdata/histories/review-commune-v2.json")
	tasks := 0
	for i, ev := range commune {
		switch ev.GetEventType() {
		case enumspb.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED, enumspb.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_SIGNALED:
			t.Errorf("commune history has %s", ev.GetEventType())
		case enumspb.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
			tasks++
		case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED:
			if tasks != 2 || i != len(commune)-1 && commune[i+1].GetEventType() == enumspb.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED {
				t.Errorf("the submission completed in task %d, event %d, and another task follows", tasks, ev.GetEventId())
			}
		}
	}
	if tasks != 2 {
		t.Errorf("commune history has %d workflow tasks, want 2 (start, submission)", tasks)
	}
	province := readHistory(t, "testdata/histories/review-province-v2.json")
	reports := 0
	for i, ev := range province {
		if ev.GetEventType() != enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED {
			continue
		}
		reports++
		// signaled, task scheduled, started, completed, then the task's commands
		if i+4 < len(province) && province[i+3].GetEventType() == enumspb.EVENT_TYPE_WORKFLOW_TASK_COMPLETED &&
			province[i+4].GetEventType() == enumspb.EVENT_TYPE_TIMER_STARTED {
			t.Errorf("the province started a timer on report %d (event %d)", reports, province[i+4].GetEventId())
		}
	}
	if reports != 3 {
		t.Errorf("province history has %d reports, want its 3 communes'", reports)
	}
}

// TestRecordedReviewV3HistoriesTellTheParentOnce checks the recorded v3 histories
// (`go run ./cmd/tdkt-bench -provinces 2 -communes 6 -histories DIR`) for what
// reviewTellParentOnComplete is for: a commune whose submission does not complete its
// province's set tells nobody (its submission is one task with one local activity,
// RecordReview); the province and the ministry each take one report, the one that
// completed their set, and reload their children's reports (ChildReports) and
// record the pre-fill in the task that took it.
func TestRecordedReviewV3HistoriesTellTheParentOnce(t *testing.T) {
	commune := readHistory(t, "testdata/histories/review-commune-v3.json")
	tasks, markers := 0, 0
	for _, ev := range commune {
		switch ev.GetEventType() {
		case enumspb.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED, enumspb.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_SIGNALED:
			t.Errorf("commune history has %s", ev.GetEventType())
		case enumspb.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
			tasks++
		case enumspb.EVENT_TYPE_MARKER_RECORDED:
			if tasks == 2 {
				markers++
				if s := ev.String(); strings.Contains(s, "TellParent") {
					t.Errorf("the commune told its parent: %s", s)
				}
			}
		}
	}
	if tasks != 2 || markers != 1 {
		t.Errorf("commune history: %d workflow tasks, %d local activities in the submission's; want 2 (start, submission) and 1 (RecordReview)", tasks, markers)
	}
	for _, f := range []string{"review-province-v3.json", "review-ministry-v3.json"} {
		h := readHistory(t, "testdata/histories/"+f)
		reports := 0
		for i, ev := range h {
			if ev.GetEventType() != enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED {
				continue
			}
			reports++
			// signaled, task scheduled, started, completed, then the task's commands:
			// the reload, then the pre-fill
			var did []string
			for _, c := range h[min(i+4, len(h)):] {
				if c.GetEventType() == enumspb.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED {
					break
				}
				for _, la := range []string{"ChildReports", "RecordReview"} {
					if c.GetEventType() == enumspb.EVENT_TYPE_MARKER_RECORDED && strings.Contains(c.String(), la) {
						did = append(did, la)
					}
				}
			}
			if fmt.Sprint(did) != "[ChildReports RecordReview]" {
				t.Errorf("%s: the task taking the report at event %d ran %v, want the reload and the pre-fill", f, ev.GetEventId(), did)
			}
		}
		if reports != 1 {
			t.Errorf("%s has %d reports of its children, want 1 (the one completing its set)", f, reports)
		}
	}
}

func readHistory(t *testing.T, file string) []*historypb.HistoryEvent {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h, err := client.HistoryFromJSON(f, client.HistoryJSONOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return h.GetEvents()
}
