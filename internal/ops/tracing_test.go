package ops_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/server/temporaltest"

	"github.com/tdkt/tdkt/internal/e2etest"
	"github.com/tdkt/tdkt/internal/httpapi"
	"github.com/tdkt/tdkt/internal/ops"
	"github.com/tdkt/tdkt/internal/pgtest"
	"github.com/tdkt/tdkt/internal/seed"
	"github.com/tdkt/tdkt/workflows"
	"github.com/tdkt/tdkt/workflows/contract"
)

// TestTraceOfOneAPIAction submits a dossier over HTTP with tracing wired as
// `tdkt serve` and `tdkt worker` wire it (Gin middleware, the Temporal client's
// interceptor inherited by the worker, the pgx tracer on the pool) and an
// in-memory exporter, then checks the submit's span tree: the HTTP span is the
// root; the Temporal client's UpdateWorkflow span is its child; the workflow's
// HandleUpdate span, the activities it starts and runs, and the queries those
// activities make hang below it; the handler's own queries are children of the
// HTTP span; all share one trace ID. It also checks that the request's log line
// carries the request ID and that trace ID.
func TestTraceOfOneAPIAction(t *testing.T) {
	if err := pgtest.Available(); err != nil {
		t.Skip("no PostgreSQL:", err)
	}
	spans := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	tr := ops.NewTracing(tp, nil)

	demo := e2etest.DemoDB(t)
	pcfg, err := pgxpool.ParseConfig(demo.Config().ConnString())
	if err != nil {
		t.Fatal(err)
	}
	pcfg.ConnConfig.Tracer = tr.Pgx()
	pool, err := pgxpool.NewWithConfig(context.Background(), pcfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	ti, err := tr.Temporal()
	if err != nil {
		t.Fatal(err)
	}
	ts := temporaltest.NewServer(temporaltest.WithT(t),
		temporaltest.WithBaseClientOptions(client.Options{Interceptors: []interceptor.ClientInterceptor{ti}}))
	ts.NewWorker(contract.TaskQueue, func(r worker.Registry) { workflows.Register(r, e2etest.Activities(pool, nil)) })
	var logs bytes.Buffer
	log := slog.New(ops.LogHandler(slog.NewJSONHandler(&logs, nil)))
	env := e2etest.Start(t, e2etest.WithDatabase(pool), e2etest.WithTemporal(ts.GetDefaultClient()),
		e2etest.WithServer(func(s *httpapi.Server) {
			s.Middleware = append(s.Middleware, tr.Gin(), ops.RequestLog(log))
		}))

	tok := login(t, env.URL, "xa.clerk")
	var created struct{ ID string }
	res := call(t, env.URL, tok, "POST", "/api/v1/nominations", `{"unit_id":"`+seed.DemoCommune+`","award_code":"GK","year":2025,
		"nominees":[{"kind":"individual","name":"Lương Văn Thái","achievements":"Hoàn thành xuất sắc nhiệm vụ"}]}`)
	if err := json.Unmarshal([]byte(res), &created); err != nil || created.ID == "" {
		t.Fatalf("create: %s", res)
	}
	spans.Reset()
	logs.Reset()
	req, _ := http.NewRequest("POST", env.URL+"/api/v1/nominations/"+created.ID+"/submit", strings.NewReader(`{"version":0}`))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(ops.RequestIDHeader, "req-submit-1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get(ops.RequestIDHeader) != "req-submit-1" {
		t.Fatalf("submit: %d, request ID %q", resp.StatusCode, resp.Header.Get(ops.RequestIDHeader))
	}

	// The worker ends its spans as the tasks complete; wait until the tree is whole.
	var (
		got    tracetest.SpanStubs
		byID   map[trace.SpanID]tracetest.SpanStub
		root   tracetest.SpanStub
		update tracetest.SpanStub
	)
	under := func(s tracetest.SpanStub, ancestor trace.SpanID) bool {
		for p := s.Parent.SpanID(); p.IsValid(); {
			if p == ancestor {
				return true
			}
			a, ok := byID[p]
			if !ok {
				return false
			}
			p = a.Parent.SpanID()
		}
		return false
	}
	find := func(pred func(tracetest.SpanStub) bool) []tracetest.SpanStub {
		var out []tracetest.SpanStub
		for _, s := range got {
			if pred(s) {
				out = append(out, s)
			}
		}
		return out
	}
	var activityQueries, handlerQueries, runActivities []tracetest.SpanStub
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		got = spans.GetSpans()
		byID = map[trace.SpanID]tracetest.SpanStub{}
		for _, s := range got {
			byID[s.SpanContext.SpanID()] = s
		}
		roots := find(func(s tracetest.SpanStub) bool { return !s.Parent.IsValid() })
		if len(roots) == 1 {
			root = roots[0]
			updates := find(func(s tracetest.SpanStub) bool { return strings.HasPrefix(s.Name, "UpdateWorkflow:") })
			handles := find(func(s tracetest.SpanStub) bool { return strings.HasPrefix(s.Name, "HandleUpdate:") })
			runActivities = find(func(s tracetest.SpanStub) bool {
				return strings.HasPrefix(s.Name, "RunActivity:") && s.SpanContext.TraceID() == roots[0].SpanContext.TraceID()
			})
			if len(updates) == 1 && len(handles) == 1 && len(runActivities) > 0 {
				update = updates[0]
				activityQueries = find(func(s tracetest.SpanStub) bool {
					p, ok := byID[s.Parent.SpanID()]
					return isQuery(s) && ok && strings.HasPrefix(p.Name, "RunActivity:")
				})
				handlerQueries = find(func(s tracetest.SpanStub) bool { return isQuery(s) && s.Parent.SpanID() == root.SpanContext.SpanID() })
				if len(activityQueries) > 0 {
					break
				}
			}
		}
		if time.Now().After(deadline) {
			for _, s := range got {
				t.Logf("span %s %s parent %s trace %s", s.SpanContext.SpanID(), s.Name, s.Parent.SpanID(), s.SpanContext.TraceID())
			}
			t.Fatal("the submit's span tree is incomplete")
		}
	}
	traceID := root.SpanContext.TraceID()
	if root.SpanKind != trace.SpanKindServer || !strings.Contains(root.Name, "/api/v1/nominations/:id/submit") {
		t.Errorf("the root span is %q (%v), want the HTTP server span named by the route template", root.Name, root.SpanKind)
	}
	if update.Parent.SpanID() != root.SpanContext.SpanID() {
		t.Errorf("%s is not a child of the HTTP span", update.Name)
	}
	handle := find(func(s tracetest.SpanStub) bool { return strings.HasPrefix(s.Name, "HandleUpdate:") })[0]
	if !under(handle, update.SpanContext.SpanID()) {
		t.Errorf("%s is not below %s", handle.Name, update.Name)
	}
	for _, a := range runActivities {
		p := byID[a.Parent.SpanID()]
		if !strings.HasPrefix(p.Name, "StartActivity:") || !under(a, handle.SpanContext.SpanID()) {
			t.Errorf("%s hangs below %q, not a StartActivity span below %s", a.Name, p.Name, handle.Name)
		}
	}
	if len(handlerQueries) == 0 {
		t.Error("the handler's own queries have no spans under the HTTP span")
	}
	// The workflow's own steps (its look-up of its unit's end when the dossier
	// reaches a unit, for the handover timer) run in the workflow's trace, the one
	// of the request that started it; everything else is the submit's.
	ownStep := func(s tracetest.SpanStub) bool {
		for i := 0; i < 16; i++ {
			if strings.HasSuffix(s.Name, ":UnitEnd") {
				return true
			}
			p, ok := byID[s.Parent.SpanID()]
			if !ok {
				return false
			}
			s = p
		}
		return false
	}
	for _, s := range got {
		if s.SpanContext.TraceID() != traceID && !ownStep(s) {
			t.Errorf("span %s is in trace %s, not the request's %s", s.Name, s.SpanContext.TraceID(), traceID)
		}
	}
	t.Logf("submit: %d spans in trace %s: %d activity runs, %d queries in activities, %d in the handler",
		len(got), traceID, len(runActivities), len(activityQueries), len(handlerQueries))

	var line struct {
		Msg, Route, RequestID, TraceID string
	}
	for _, l := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var rec map[string]any
		if json.Unmarshal([]byte(l), &rec) == nil && rec["msg"] == "request" {
			line.Msg, _ = rec["msg"].(string)
			line.Route, _ = rec["route"].(string)
			line.RequestID, _ = rec["request_id"].(string)
			line.TraceID, _ = rec["trace_id"].(string)
		}
	}
	if line.Route != "/api/v1/nominations/:id/submit" || line.RequestID != "req-submit-1" || line.TraceID != traceID.String() {
		t.Errorf("request log line %+v, want the route, request ID req-submit-1 and trace ID %s\n%s", line, traceID, logs.String())
	}
}

// isQuery tells a pgx span (otelpgx names them after the operation: query,
// prepare, batch, copy_from, connect…) carrying a statement.
func isQuery(s tracetest.SpanStub) bool {
	for _, a := range s.Attributes {
		if a.Key == "db.statement" || a.Key == "db.query.text" {
			return true
		}
	}
	return false
}
