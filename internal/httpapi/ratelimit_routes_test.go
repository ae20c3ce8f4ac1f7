package httpapi

import (
	"io"
	"log/slog"
	"testing"

	"github.com/gin-gonic/gin"
)

// TestSearchesExportsAndImportsAreRateLimited: the routes the probe found
// unlimited (the dossier, history and user searches, the nominee export) and
// every other search, export and import are in expensiveRoutes, and every entry
// of expensiveRoutes is a route the engine has (a typo would silently limit
// nothing).
func TestSearchesExportsAndImportsAreRateLimited(t *testing.T) {
	s := &Server{Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	eng := s.Handler().(*gin.Engine)
	have := map[string]bool{}
	for _, r := range eng.Routes() {
		have[r.Method+" "+r.Path] = true
	}
	for route := range expensiveRoutes {
		if !have[route] {
			t.Errorf("expensiveRoutes names %q, which is no route", route)
		}
	}
	for _, route := range []string{
		"GET /api/v1/nominations",                      // dossier search
		"GET /api/v1/subjects",                         // history search
		"GET /api/v1/admin/users",                      // user search
		"GET /api/v1/nominations/:id/nominees/export",  // nominee export
		"GET /api/v1/history/export",                   // history export
		"POST /api/v1/history/import",                  // history import
		"POST /api/v1/nominations/:id/nominees/import", // nominee import
		"GET /api/v1/reviews/:id/reports/:unit/export", // report export
	} {
		if !expensiveRoutes[route] {
			t.Errorf("%s is not rate limited", route)
		}
	}
}
