package openapitest_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/openapi/openapitest"
)

// TestMiddlewareReportsWhatTheDocumentDoesNotDescribe runs the check over
// handlers that answer as the document says and handlers that do not.
func TestMiddlewareReportsWhatTheDocumentDoesNotDescribe(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	var (
		mu      sync.Mutex
		reports []string
	)
	report := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		reports = append(reports, fmt.Sprintf(format, args...))
	}
	r := gin.New()
	r.Use(openapitest.Middleware(report))
	marked := 0
	r.POST("/api/v1/notifications/read", func(c *gin.Context) {
		marked++
		if marked == 1 {
			c.JSON(http.StatusOK, gin.H{"marked": 3})
			return
		}
		c.JSON(http.StatusOK, gin.H{"marked": "three"}) // the wrong type
	})
	r.POST("/api/v1/logout", func(c *gin.Context) {
		c.JSON(http.StatusOK, gin.H{"bye": true}) // documented: 204, or a problem
	})
	r.GET("/api/v1/me", func(c *gin.Context) {
		c.Data(http.StatusNotFound, "application/problem+json", []byte(`{"type":"/problems/not-found","title":"Not found","status":404}`))
	})
	r.GET("/api/v1/undocumented", func(c *gin.Context) { c.Status(http.StatusNoContent) })
	r.PUT("/api/v1/me/email", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"email": "a@b.vn"}) })
	srv := httptest.NewServer(r)
	defer srv.Close()

	send := func(method, path, body string, bearer bool) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if bearer {
			req.Header.Set("Authorization", "Bearer x")
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	cases := []struct {
		method, path, body string
		bearer             bool
		want               string // "" when the exchange matches the document
	}{
		{"POST", "/api/v1/notifications/read", `{"ids":[1,2]}`, true, ""},
		{"POST", "/api/v1/notifications/read", `{}`, true, "does not match"},
		{"POST", "/api/v1/logout", ``, true, "does not match"},
		{"GET", "/api/v1/me", ``, true, ""},
		{"GET", "/api/v1/undocumented", ``, true, "no operation"},
		{"PUT", "/api/v1/me/email", `{"email":"a@b.vn","admin":true}`, true, "refuses"},
		{"PUT", "/api/v1/me/email", `{"email":"a@b.vn"}`, false, "refuses"},
		{"PUT", "/api/v1/me/email", `{"email":"a@b.vn"}`, true, ""},
	}
	for _, c := range cases {
		mu.Lock()
		reports = nil
		mu.Unlock()
		send(c.method, c.path, c.body, c.bearer)
		mu.Lock()
		got := strings.Join(reports, "\n")
		mu.Unlock()
		switch {
		case c.want == "" && got != "":
			t.Errorf("%s %s %s: reported %s", c.method, c.path, c.body, got)
		case c.want != "" && !strings.Contains(got, c.want):
			t.Errorf("%s %s %s: report %q, want one saying %q", c.method, c.path, c.body, got, c.want)
		}
	}
}
