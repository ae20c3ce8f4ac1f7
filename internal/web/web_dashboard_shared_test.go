package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestDashboardOfALargeScopeSaysWhenItsFiguresWereCounted: the province's
// appraiser, who reads every unit of the demo, gets shared figures once the
// shared scope starts below the demo's size, and the page says when they were
// counted; a commune's clerk gets exact figures and no such line.
func TestDashboardOfALargeScopeSaysWhenItsFiguresWereCounted(t *testing.T) {
	b := setup(t)
	b.svc.Worklists.SharedStatsMinUnits = 100
	p := b.login("tinh.appraiser").get("/")
	if p.status != http.StatusOK {
		t.Fatalf("dashboard: %d", p.status)
	}
	// The application's clock is beforeReform(): 03:00 UTC, 10:00 in Vietnam.
	_, line, _ := strings.Cut(p.body, `id="stats-as-of">`)
	line, _, _ = strings.Cut(line, "</p>")
	if !strings.Contains(line, "10:00:00 16/06/2025") || !strings.Contains(line, " 30 ") {
		t.Errorf("the province's dashboard does not say when its figures were counted and how often: %q", line)
	}
	if p := b.login("xa.clerk").get("/"); p.status != http.StatusOK || strings.Contains(p.body, `id="stats-as-of"`) {
		t.Errorf("the commune's dashboard (%d) shows shared figures", p.status)
	}
}
