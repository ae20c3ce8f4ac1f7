// Package openapi holds tdkt's OpenAPI 3.1 document of the JSON API (/api/v1).
//
// The document is openapi.yaml, checked in and maintained by hand next to the
// handlers it describes; it is converted to JSON once, when the package loads,
// and served at GET /api/v1/openapi.json. It does not drift from the code because
// the end-to-end harness (internal/e2etest, through openapitest) checks every
// request and response of the API tests against it, and a test walks Gin's routes
// against its operations.
package openapi

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"
	"gopkg.in/yaml.v3"
)

//go:embed openapi.yaml
var source []byte

// document is the document as JSON.
var document = mustJSON(source)

// JSON returns the document as JSON.
func JSON() []byte { return document }

// YAML returns the document as written.
func YAML() []byte { return source }

// Serve answers the document as application/json; it needs no authentication.
func Serve(c *gin.Context) {
	c.Header("Cache-Control", "public, max-age=300")
	c.Data(http.StatusOK, "application/json", document)
}

func mustJSON(y []byte) []byte {
	var v any
	if err := yaml.Unmarshal(y, &v); err != nil {
		panic(fmt.Sprintf("openapi.yaml: %v", err))
	}
	js, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("openapi.yaml as JSON: %v", err))
	}
	return js
}
