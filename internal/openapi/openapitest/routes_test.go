package openapitest_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/app"
	"github.com/tdkt/tdkt/internal/httpapi"
	"github.com/tdkt/tdkt/internal/openapi"
	"github.com/tdkt/tdkt/internal/openapi/openapitest"
	"github.com/tdkt/tdkt/internal/web"
	"github.com/tdkt/tdkt/internal/webui"
)

// TestDocumentLoadsAsOpenAPI31 loads the document with kin-openapi, which
// validates it (structure, references, schemas) as OpenAPI 3.1.
func TestDocumentLoadsAsOpenAPI31(t *testing.T) {
	doc, err := openapitest.Load()
	if err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi: %s, want 3.1.0", doc.OpenAPI)
	}
	ids := map[string]string{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.OperationID == "" {
				t.Errorf("%s %s: no operationId", method, path)
			} else if other, dup := ids[op.OperationID]; dup {
				t.Errorf("%s %s: operationId %s is also %s's", method, path, op.OperationID, other)
			}
			ids[op.OperationID] = method + " " + path
			if op.Responses.Default() == nil {
				t.Errorf("%s %s: no default (problem) response", method, path)
			}
		}
	}
}

// TestEveryRouteIsDocumented walks the routes Gin has registered: every /api/v1
// route must have its operation in the document, and every operation its route.
func TestEveryRouteIsDocumented(t *testing.T) {
	doc, err := openapitest.Load()
	if err != nil {
		t.Fatal(err)
	}
	// The product's engine: the API with the web UI mounted, as cmd/tdkt wires it
	// (the web UI serves one /api/v1 route, the public document verification).
	ui, err := webui.New(web.Config{App: &app.Service{}, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	s := &httpapi.Server{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Mount: []func(*gin.Engine){ui.Mount}}
	engine, ok := s.Handler().(*gin.Engine)
	if !ok {
		t.Fatalf("the handler is a %T, not a Gin engine", s.Handler())
	}
	routes := map[string]bool{}
	for _, r := range engine.Routes() {
		path, ok := openapitest.PathOf(r.Path)
		if !ok {
			continue
		}
		key := r.Method + " " + path
		routes[key] = true
		item := doc.Paths.Value(path)
		if item == nil || item.GetOperation(r.Method) == nil {
			t.Errorf("route %s %s has no operation in the OpenAPI document (as %s)", r.Method, r.Path, key)
		}
	}
	var documented []string
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			key := method + " " + path
			documented = append(documented, key)
			if !routes[key] {
				t.Errorf("operation %s has no route", key)
			}
		}
	}
	sort.Strings(documented)
	t.Logf("%d /api/v1 routes, %d documented operations", len(routes), len(documented))
	if len(routes) == 0 {
		t.Fatal("no /api/v1 route found")
	}
}

// TestServed fetches the document from the API without credentials.
func TestServed(t *testing.T) {
	s := &httpapi.Server{Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	res, err := http.Get(srv.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("status %d, type %q: %.200s", res.StatusCode, res.Header.Get("Content-Type"), body)
	}
	if string(body) != string(openapi.JSON()) {
		t.Fatal("the served document is not the embedded one")
	}
	if !strings.Contains(string(body), `"openapi":"3.1.0"`) {
		t.Fatalf("not an OpenAPI 3.1 document: %.200s", body)
	}
}
