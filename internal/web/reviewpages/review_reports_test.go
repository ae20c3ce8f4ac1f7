package reviewpages

import (
	"testing"

	"github.com/tdkt/tdkt/internal/web"
)

// TestReportFiguresAreReadAsPeopleWriteThem: whole numbers plain or grouped by
// thousands with dots or spaces are read; decimals, signs, misplaced separators and
// words are not.
func TestReportFiguresAreReadAsPeopleWriteThem(t *testing.T) {
	for in, want := range map[string]int64{"0": 0, "36544": 36544, "36.544": 36544, "3.468.179.900": 3468179900,
		" 1 200 ": 1200, "1\u00a0200": 1200, "007": 7} {
		if got, ok := parseWholeNumber(in); !ok || got != want {
			t.Errorf("parseWholeNumber(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "12,5", "-3", "+3", "1.2", "1.2345", "36.54.4", "nhiều", "1e3", "99999999999999999999"} {
		if got, ok := parseWholeNumber(in); ok {
			t.Errorf("parseWholeNumber(%q) = %d, want refused", in, got)
		}
	}
}

// TestReviewNotificationsLinkTheReportPage: a review notification names the report's
// API resource; the notifications page links the report's page instead.
func TestReviewNotificationsLinkTheReportPage(t *testing.T) {
	for link, want := range map[string]string{
		"/api/v1/reviews/c1/reports/LS-09-003": "/reviews/c1/reports/LS-09-003",
		"/api/v1/reviews/c1/dashboard":         "",
		"/api/v1/reviews/c1/reports/LS/export": "",
	} {
		if got := web.WebLink(link); got != want {
			t.Errorf("webLink(%q) = %q, want %q", link, got, want)
		}
	}
}
