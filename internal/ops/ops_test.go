package ops_test

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/server/temporaltest"

	"github.com/tdkt/tdkt/internal/e2etest"
	"github.com/tdkt/tdkt/internal/httpapi"
	"github.com/tdkt/tdkt/internal/ops"
	"github.com/tdkt/tdkt/internal/pgtest"
	"github.com/tdkt/tdkt/internal/postgres"
	"github.com/tdkt/tdkt/internal/seed"
	"github.com/tdkt/tdkt/workflows"
	"github.com/tdkt/tdkt/workflows/contract"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// probe serves the ops routes of h and answers GET path.
func probe(t *testing.T, h *ops.Health, path string) (int, map[string]any) {
	t.Helper()
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	ops.NewMetrics("test").Mount(h)(r)
	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	var body map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &body)
	return rec.Code, body
}

func failing(body map[string]any) []string {
	var out []string
	list, _ := body["failing"].([]any)
	for _, f := range list {
		out = append(out, f.(string))
	}
	return out
}

// closedAddr is a loopback address nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func lazyTemporal(t *testing.T, hostPort string) client.Client {
	t.Helper()
	c, err := client.NewLazyClient(client.Options{HostPort: hostPort})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// TestReadiness checks /livez and /readyz with every part up, then with each
// part failing in turn: 503 naming exactly that part.
func TestReadiness(t *testing.T) {
	pool := pgtest.NewPool(t)
	ts := temporaltest.NewServer(temporaltest.WithT(t))
	up := ts.GetDefaultClient()

	if code, _ := probe(t, &ops.Health{}, "/livez"); code != http.StatusOK {
		t.Fatalf("/livez: %d", code)
	}
	if code, body := probe(t, &ops.Health{Pool: pool, Temporal: up}, "/readyz"); code != http.StatusOK {
		t.Fatalf("/readyz with everything up: %d %v", code, body)
	}

	t.Run("postgres down", func(t *testing.T) {
		down, err := pgxpool.New(context.Background(), "postgres://postgres@"+closedAddr(t)+"/x?connect_timeout=1")
		if err != nil {
			t.Fatal(err)
		}
		defer down.Close()
		code, body := probe(t, &ops.Health{Pool: down, Temporal: up}, "/readyz")
		if code != http.StatusServiceUnavailable || !slices.Equal(failing(body), []string{"postgres", "migrations"}) {
			t.Fatalf("got %d %v, want 503 failing postgres and migrations", code, body)
		}
	})
	t.Run("migrations behind", func(t *testing.T) {
		behind := pgtest.NewPool(t)
		latest, _ := postgres.LatestMigration()
		if _, err := behind.Exec(context.Background(), `DELETE FROM schema_migrations WHERE version = $1`, latest); err != nil {
			t.Fatal(err)
		}
		code, body := probe(t, &ops.Health{Pool: behind, Temporal: up}, "/readyz")
		if code != http.StatusServiceUnavailable || !slices.Equal(failing(body), []string{"migrations"}) {
			t.Fatalf("got %d %v, want 503 failing migrations", code, body)
		}
		if !strings.Contains(string(mustJSON(body)), "tdkt migrate") {
			t.Errorf("the migrations check should say to run tdkt migrate: %v", body)
		}
	})
	t.Run("migrations ahead", func(t *testing.T) {
		ahead := pgtest.NewPool(t)
		if _, err := ahead.Exec(context.Background(), `INSERT INTO schema_migrations (version, name) VALUES (99999, 'future')`); err != nil {
			t.Fatal(err)
		}
		code, body := probe(t, &ops.Health{Pool: ahead, Temporal: up}, "/readyz")
		if code != http.StatusServiceUnavailable || !slices.Equal(failing(body), []string{"migrations"}) {
			t.Fatalf("got %d %v, want 503 failing migrations", code, body)
		}
	})
	t.Run("temporal down", func(t *testing.T) {
		code, body := probe(t, &ops.Health{Pool: pool, Temporal: lazyTemporal(t, closedAddr(t)), Timeout: time.Second}, "/readyz")
		if code != http.StatusServiceUnavailable || !slices.Equal(failing(body), []string{"temporal"}) {
			t.Fatalf("got %d %v, want 503 failing temporal", code, body)
		}
	})
}

func mustJSON(v any) []byte { b, _ := json.Marshal(v); return b }

// TestMetricsScrape runs a dossier through the API with the metrics middleware
// and the Temporal SDK adapter installed, then scrapes /metrics and checks the
// series of every source, and that no label carries the dossier's ID.
func TestMetricsScrape(t *testing.T) {
	pool := e2etest.DemoDB(t)
	tm := ops.NewTemporalMetrics()
	ts := temporaltest.NewServer(temporaltest.WithT(t), temporaltest.WithBaseClientOptions(client.Options{MetricsHandler: tm.Handler()}))
	ts.NewWorker(contract.TaskQueue, func(r worker.Registry) { workflows.Register(r, e2etest.Activities(pool, nil)) })
	m := ops.NewMetrics("serve")
	m.RegisterPool(pool)
	m.Registry.MustRegister(tm, &ops.Business{Store: ops.NewStore(pool)})
	env := e2etest.Start(t, e2etest.WithDatabase(pool), e2etest.WithTemporal(ts.GetDefaultClient()),
		e2etest.WithServer(func(s *httpapi.Server) {
			s.Middleware = append(s.Middleware, m.Middleware)
			s.Mount = append(s.Mount, m.Mount(&ops.Health{Pool: pool, Temporal: ts.GetDefaultClient()}))
		}))

	tok := login(t, env.URL, "xa.clerk")
	res := call(t, env.URL, tok, "POST", "/api/v1/nominations", `{"unit_id":"`+seed.DemoCommune+`","award_code":"GK","year":2025,
		"nominees":[{"kind":"individual","name":"Lương Văn Thái","achievements":"Hoàn thành xuất sắc nhiệm vụ"}]}`)
	var created struct{ ID string }
	if err := json.Unmarshal([]byte(res), &created); err != nil || created.ID == "" {
		t.Fatalf("create: %s", res)
	}
	call(t, env.URL, tok, "GET", "/api/v1/nominations/"+created.ID, "")
	call(t, env.URL, tok, "GET", "/api/v1/nominations/"+created.ID, "")

	var text string
	deadline := time.Now().Add(10 * time.Second)
	for { // the SDK reports some series after the request that caused them returns
		text = call(t, env.URL, "", "GET", "/metrics", "")
		if strings.Contains(text, "temporal_workflow_task_execution_latency_seconds_bucket{") || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	for _, want := range []string{
		`tdkt_http_requests_total{method="GET",route="/api/v1/nominations/:id",status="200"} 2`,
		`tdkt_http_request_duration_seconds_bucket{method="POST",route="/api/v1/nominations",le="+Inf"} 1`,
		`tdkt_db_pool_max_conns `,
		`tdkt_db_pool_acquires_total `,
		`temporal_request_total{`,
		`temporal_workflow_task_execution_latency_seconds_bucket{`,
		`temporal_workflow_task_schedule_to_start_latency_seconds_bucket{`,
		`temporal_sticky_cache_size{`,
		`temporal_worker_task_slots_available{`,
		`tdkt_nominations_open{status="draft"} 1`,
		`tdkt_dossier_actions{action="create"} `,
		`tdkt_review_reports_overdue `,
		`tdkt_business_metrics_error 0`,
		`go_goroutines `,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if t.Failed() {
		for _, l := range strings.Split(text, "\n") {
			if strings.HasPrefix(l, "temporal_") {
				t.Log(l)
			}
		}
	}
	if strings.Contains(text, created.ID) {
		t.Errorf("a dossier ID appears in a label value")
	}
}

func login(t *testing.T, base, user string) string {
	t.Helper()
	var out struct{ Token string }
	_ = json.Unmarshal([]byte(call(t, base, "", "POST", "/api/v1/login", `{"username":"`+user+`","password":"`+seed.DemoPassword+`"}`)), &out)
	if out.Token == "" {
		t.Fatalf("login %s failed", user)
	}
	return out.Token
}

func call(t *testing.T, base, tok, method, path, body string) string {
	t.Helper()
	req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 300 {
		t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, b)
	}
	return string(b)
}
