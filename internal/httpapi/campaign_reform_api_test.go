package httpapi_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/tdkt/tdkt/internal/e2etest"
	"github.com/tdkt/tdkt/internal/review"
	"github.com/tdkt/tdkt/internal/seed"
)

// dashboardUnits returns the units reporting to the requesting unit of a
// campaign, as its dashboard's tree shows them.
func (b *bundle) dashboardUnits(user, id string) map[string]bool {
	b.t.Helper()
	out := map[string]bool{}
	tree := b.must(http.StatusOK, user, "GET", "/api/v1/reviews/"+id+"/dashboard", nil).body["tree"].(map[string]any)
	kids, _ := tree["children"].([]any)
	for _, k := range kids {
		out[k.(map[string]any)["unit_id"].(string)] = true
	}
	return out
}

// A review campaign launched before 1/7/2025 keeps the tree it was launched over
// (the province's districts report to it, also after they ended); one launched
// after fans out over today's tree (the 65 communes directly under the province).
// The application clock crosses 1/7/2025 between the two launches.
func TestACampaignKeepsTheTreeItWasLaunchedOverAcrossTheReform(t *testing.T) {
	clock := newMovableClock(time.Date(2025, 6, 20, 3, 0, 0, 0, time.UTC))
	b := setup(t, e2etest.WithDatabase(e2etest.TodayDB(t)), withClock(clock.now))
	mv := b.must(http.StatusCreated, "tinh.appraiser", "POST", "/api/v1/movements", map[string]any{
		"unit_id": seed.Province, "name": "Lạng Sơn chung tay vì người nghèo 2025", "decision_number": "88/KH-UBND",
		"decision_date": "2025-01-10", "period_start": "2025-01-01", "period_end": "2030-12-31", "template_code": review.Template1258,
	}).body["id"].(string)
	launch := func(letter string) map[string]any {
		return b.must(http.StatusCreated, "tinh.appraiser", "POST", "/api/v1/reviews", map[string]any{
			"movement_id": mv, "kind": "annual", "final_deadline": "2025-09-30", "letter_number": letter,
			"letter_date": clock.now().Format(time.DateOnly), "gap_working_days": 5, "reminder_working_days": 2, "max_depth": 1,
		}).body
	}
	before := launch("101/UBND-NV")
	if before["units"].(float64) != 11 {
		t.Fatalf("before the reform the province's 10 districts and 1 city report: %v units", before["units"])
	}
	clock.set(time.Date(2025, 7, 15, 3, 0, 0, 0, time.UTC))
	b.tokens = map[string]string{} // the sessions of June have expired
	after := launch("202/UBND-NV")
	if after["units"].(float64) != 65 {
		t.Fatalf("after the reform the 65 communes report: %v units", after["units"])
	}
	old, today := before["id"].(string), after["id"].(string)
	// Each campaign's units run their workflows over the tree it was launched over.
	b.waitStarted(old, []string{seed.DemoDistrict, seed.OtherDistrict})
	b.waitStarted(today, []string{seed.TodayCommune, seed.TodayOtherCommune})
	o, n := b.dashboardUnits("tinh.appraiser", old), b.dashboardUnits("tinh.appraiser", today)
	if len(o) != 11 || !o[seed.DemoDistrict] || o[seed.TodayCommune] {
		t.Fatalf("the campaign launched before the reform, after it: %v", o)
	}
	if len(n) != 65 || !n[seed.TodayCommune] || n[seed.DemoDistrict] {
		t.Fatalf("the campaign launched after the reform: %d units", len(n))
	}
}
