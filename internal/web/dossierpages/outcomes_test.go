package dossierpages

import (
	"testing"

	"github.com/tdkt/tdkt/internal/domain"
)

// TestCouncilResultIsAResultNotAReason: a council_result event recorded with its
// result in the reason (histories written before the core records a note) shows
// as the result, and a reason of any other event stays a reason.
func TestCouncilResultIsAResultNotAReason(t *testing.T) {
	v := councilResult(eventView{AuditEvent: domain.AuditEvent{Action: string(domain.ActionCouncilResult)}, Reason: "passed"})
	if v.Result != "passed" || v.Reason != "" {
		t.Fatalf("council result: %+v", v)
	}
	r := councilResult(eventView{AuditEvent: domain.AuditEvent{Action: string(domain.ActionReject)}, Reason: "passed"})
	if r.Result != "" || r.Reason != "passed" {
		t.Fatalf("a rejection's reason: %+v", r)
	}
}
