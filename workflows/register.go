package workflows

import (
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/tdkt/tdkt/activities"
	"github.com/tdkt/tdkt/workflows/contract"
)

// Register registers every tdkt workflow and the activities on a worker.
func Register(w worker.Registry, acts *activities.Activities) {
	w.RegisterWorkflowWithOptions(NominationWorkflow, workflow.RegisterOptions{Name: contract.NominationWorkflowName})
	w.RegisterActivity(acts)
	// Feature workflows: each feature registers its workflows here with one line.
	RegisterReviewWorkflows(w)
}
