package faulttest

import (
	"context"
	"net/http"
	"testing"
	"time"

	"go.temporal.io/server/temporaltest"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/dossiers"
	"github.com/tdkt/tdkt/internal/nomination"
	"github.com/tdkt/tdkt/workflows/contract"
)

// TestUpdateLostAfterItsRecordCommittedIsCaughtUp: an accept's Record commits but
// its update never becomes part of the workflow's history (as when the Temporal
// server restarts before the workflow task that carried it is durable), so the read
// model is one version ahead of the workflow. The appraiser, who sees the accepted
// dossier, approves it with the version on the page: the workflow reads the
// recorded accept, applies it again (Record answers it as already written) and then
// takes the approval. The dossier is decided with every event recorded once.
func TestUpdateLostAfterItsRecordCommittedIsCaughtUp(t *testing.T) {
	pool := newDemoDB(t)
	ts := temporaltest.NewServer(temporaltest.WithT(t))
	e := newEnv(t, pool, pool, ts.GetDefaultClient())
	w := e.startWorker(ts.GetDefaultClient(), pool)
	defer w.Stop()
	ctx := context.Background()

	id := e.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations", giayKhen(), nil).body["id"].(string)
	e.must(http.StatusOK, "xa.clerk", "POST", "/api/v1/nominations/"+id+"/submit", nil, nil)

	// The lost update: plan the accept on the workflow's own state and record it
	// without the workflow.
	st := dossiers.NewStore(pool)
	n, err := st.Nomination(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	q, err := ts.GetDefaultClient().QueryWorkflow(ctx, contract.NominationWorkflowID(id), "", contract.QueryState)
	if err != nil {
		t.Fatal(err)
	}
	var state nomination.State
	if err := q.Get(&state); err != nil {
		t.Fatal(err)
	}
	var appraiser int64
	if err := pool.QueryRow(ctx, `SELECT id FROM users WHERE username = 'huyen.appraiser'`).Scan(&appraiser); err != nil {
		t.Fatal(err)
	}
	d := nomination.Dossier{ID: n.ID, UnitID: n.UnitID, CreatedBy: n.CreatedBy, AwardCode: n.AwardCode,
		Procedure: domain.Procedure(n.Procedure), Route: n.Route, State: state}
	accept := nomination.Act{Action: domain.ActionAccept, ActorID: appraiser, UnitID: state.CurrentUnitID, Version: state.Version}
	if err := nomination.Validate(d, accept); err != nil {
		t.Fatal(err)
	}
	_, tr := nomination.Plan(d, accept, time.Now())
	if _, err := st.Record(ctx, tr, dossiers.Timing{}); err != nil {
		t.Fatal(err)
	}
	if status, _, version := e.state(id); status != "appraising" || version != state.Version+1 {
		t.Fatalf("read model %s v%d after the lost update", status, version)
	}

	// The appraiser approves what the page shows.
	a := e.must(http.StatusOK, "huyen.appraiser", "POST", "/api/v1/nominations/"+id+"/actions",
		map[string]any{"action": "approve", "version": state.Version + 1}, nil)
	// A version that even the read model never had is refused as stale.
	e.must(http.StatusConflict, "huyen.decider", "POST", "/api/v1/nominations/"+id+"/actions",
		map[string]any{"action": "decide", "version": state.Version + 9}, nil)
	if a.body["status"] != "deciding" {
		t.Fatalf("after the approval: %v", a.body["status"])
	}
	e.finish(id)
	if got := e.checkAuditOnce(id); got != 5 || e.actions(id) != "create,submit,accept,approve,decide" {
		t.Fatalf("%d events: %s", got, e.actions(id))
	}
}
