package ops_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/tdkt/tdkt/internal/ops"
)

// TestStartTracingExportsOverOTLP points StartTracing at a collector stand-in
// and checks that a span reaches it as an OTLP/HTTP protobuf POST to
// <endpoint>/v1/traces, as OTEL_EXPORTER_OTLP_ENDPOINT's base-URL meaning asks,
// when the process shuts tracing down.
func TestStartTracingExportsOverOTLP(t *testing.T) {
	var (
		mu       sync.Mutex
		path, ct string
		size     int
	)
	collector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		path, ct, size = r.URL.Path, r.Header.Get("Content-Type"), len(b)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/x-protobuf")
	}))
	defer collector.Close()
	t.Cleanup(func() {
		otel.SetTracerProvider(noop.NewTracerProvider())
		otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator())
	})

	tr, shutdown, err := ops.StartTracing(context.Background(), collector.URL+"/", "test")
	if err != nil {
		t.Fatal(err)
	}
	_, span := tr.Provider.Tracer("test").Start(context.Background(), "one span")
	span.End()
	if err := shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if path != "/v1/traces" || ct != "application/x-protobuf" || size == 0 {
		t.Fatalf("collector got %q (%s, %d bytes), want a protobuf POST to /v1/traces", path, ct, size)
	}
	if _, _, err := ops.StartTracing(context.Background(), "collector:4318", "test"); err == nil {
		t.Fatal("an endpoint without a scheme was accepted")
	}
}
