package faulttest

import (
	"bytes"
	"context"
	"net/http"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/server/temporaltest"

	"github.com/tdkt/tdkt/internal/nomination"
	"github.com/tdkt/tdkt/workflows/contract"
)

// TestNewDossierRunsWithoutVersionMarkers: a dossier created through the API
// starts under contract.NominationRevision, so its workflow records no version
// marker and upserts no TemporalChangeVersion search attribute (each a history
// event and a visibility write per dossier), and still runs with the identity
// rules and the watch on its unit's end that the markers used to switch on.
func TestNewDossierRunsWithoutVersionMarkers(t *testing.T) {
	pool := newDemoDB(t)
	ts := temporaltest.NewServer(temporaltest.WithT(t))
	e := newEnv(t, pool, pool, ts.GetDefaultClient())
	w := e.startWorker(ts.GetDefaultClient(), pool)
	defer w.Stop()

	id := e.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations", giayKhen(), nil).body["id"].(string)
	e.must(http.StatusOK, "xa.clerk", "POST", "/api/v1/nominations/"+id+"/submit", nil, nil)
	e.finish(id)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var st contract.NominationState
	if err := e.tc.GetWorkflow(ctx, contract.NominationWorkflowID(id), "").Get(ctx, &st); err != nil {
		t.Fatal(err)
	}
	if st.Rules != nomination.RulesIdentity {
		t.Errorf("rules %v, want the identity rules", st.Rules)
	}
	var unitEnds, versionMarkers, upserts int
	it := e.tc.GetWorkflowHistory(ctx, contract.NominationWorkflowID(id), "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			t.Fatal(err)
		}
		switch ev.GetEventType() {
		case enumspb.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:
			upserts++
		case enumspb.EVENT_TYPE_MARKER_RECORDED:
			a := ev.GetMarkerRecordedEventAttributes()
			switch a.GetMarkerName() {
			case "Version":
				versionMarkers++
			case "LocalActivity":
				for _, p := range a.GetDetails()["data"].GetPayloads() {
					if bytes.Contains(p.GetData(), []byte(`"UnitEnd"`)) {
						unitEnds++
					}
				}
			}
		}
	}
	if versionMarkers != 0 || upserts != 0 {
		t.Errorf("%d version markers and %d search attribute upserts in a new dossier's history, want none", versionMarkers, upserts)
	}
	if unitEnds == 0 {
		t.Error("the workflow never read its unit's end: the handover watch is off")
	}
}
