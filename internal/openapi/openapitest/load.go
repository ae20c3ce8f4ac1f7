// Package openapitest checks tdkt's API against its OpenAPI document (internal/openapi)
// in tests: it loads and validates the document with kin-openapi, and its
// Middleware checks every request and response of a running server against it.
package openapitest

import (
	"context"
	"fmt"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/tdkt/tdkt/internal/openapi"
)

// Load parses the document with kin-openapi (which follows OpenAPI 3.1 and JSON
// Schema 2020-12 for a document stating openapi: 3.1.x) and validates it.
func Load() (*openapi3.T, error) {
	l := openapi3.NewLoader()
	doc, err := l.LoadFromData(openapi.YAML())
	if err != nil {
		return nil, fmt.Errorf("openapi.yaml: %w", err)
	}
	if !doc.IsOpenAPI31OrLater() {
		return nil, fmt.Errorf("openapi.yaml: version %s, want 3.1", doc.OpenAPI)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("openapi.yaml: %w", err)
	}
	return doc, nil
}

// Prefix is the path under which the document's paths are served (its server URL).
const Prefix = "/api/v1"

// PathOf turns a Gin route under Prefix (/api/v1/nominations/:id) into the
// document's path template (/nominations/{id}); ok is false outside Prefix.
func PathOf(route string) (string, bool) {
	rest, ok := strings.CutPrefix(route, Prefix)
	if !ok || (rest != "" && rest[0] != '/') {
		return "", false
	}
	parts := strings.Split(rest, "/")
	for i, p := range parts {
		if strings.HasPrefix(p, ":") || strings.HasPrefix(p, "*") {
			parts[i] = "{" + p[1:] + "}"
		}
	}
	return strings.Join(parts, "/"), true
}
