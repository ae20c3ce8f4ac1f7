package ops

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/exaring/otelpgx"
	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5"
	"go.opentelemetry.io/contrib/instrumentation/github.com/gin-gonic/gin/otelgin"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	temporalotel "go.temporal.io/sdk/contrib/opentelemetry"
	"go.temporal.io/sdk/interceptor"
)

// Tracing is OpenTelemetry tracing across the layers of one request: Gin (the
// HTTP span, named by route template), the Temporal client, workflow and
// activities (the SDK's tracing interceptor, which carries the span context in
// the workflow and activity headers) and pgx (a span per query; the statement,
// never its arguments). Spans of one request share its trace ID, whichever
// process (serve or worker) records them.
type Tracing struct {
	Provider   trace.TracerProvider
	Propagator propagation.TextMapPropagator
}

// NewTracing traces with provider and propagator (W3C trace context and baggage
// when nil).
func NewTracing(provider trace.TracerProvider, propagator propagation.TextMapPropagator) *Tracing {
	if propagator == nil {
		propagator = propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})
	}
	return &Tracing{Provider: provider, Propagator: propagator}
}

// StartTracing exports spans over OTLP/HTTP to endpoint, the base URL of
// OTEL_EXPORTER_OTLP_ENDPOINT (the exporter posts to <endpoint>/v1/traces), in
// batches, under service.name "tdkt" with the command (serve, worker, dev) as
// tdkt.command. It installs the provider and propagator as OpenTelemetry's
// globals too. shutdown flushes what is buffered.
func StartTracing(ctx context.Context, endpoint, command string) (t *Tracing, shutdown func(context.Context) error, err error) {
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, nil, fmt.Errorf("OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL, got %q", endpoint)
	}
	u.Path = strings.TrimSuffix(u.Path, "/") + "/v1/traces"
	exp, err := otlptracehttp.New(ctx, otlptracehttp.WithEndpointURL(u.String()))
	if err != nil {
		return nil, nil, fmt.Errorf("OTLP trace exporter: %w", err)
	}
	res := resource.NewSchemaless(attribute.String("service.name", "tdkt"), attribute.String("tdkt.command", command))
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp, sdktrace.WithBatchTimeout(5*time.Second)), sdktrace.WithResource(res))
	t = NewTracing(tp, nil)
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(t.Propagator)
	return t, tp.Shutdown, nil
}

// Gin is the middleware that opens the request's span (continuing a caller's
// traceparent) and puts it in the request's context.
func (t *Tracing) Gin() gin.HandlerFunc {
	return otelgin.Middleware("tdkt", otelgin.WithTracerProvider(t.Provider), otelgin.WithPropagators(t.Propagator))
}

// Temporal is the client interceptor (workers built on the client inherit it)
// that traces starting and updating workflows, running them and their
// activities. Workflow spans are not recorded again on replay.
func (t *Tracing) Temporal() (interceptor.Interceptor, error) {
	return temporalotel.NewTracingInterceptor(temporalotel.TracerOptions{
		Tracer: t.Provider.Tracer("go.temporal.io/sdk"), TextMapPropagator: t.Propagator})
}

// Pgx is the query tracer to set on a pool's ConnConfig.Tracer.
func (t *Tracing) Pgx() pgx.QueryTracer {
	return otelpgx.NewTracer(otelpgx.WithTracerProvider(t.Provider))
}

type requestIDKey struct{}

// RequestIDHeader is the header a request ID is read from (when a proxy set a
// sane one) and answered in.
const RequestIDHeader = "X-Request-ID"

// RequestIDOf returns the request ID RequestLog gave ctx, or "".
func RequestIDOf(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// RequestLog gives each request an ID (the proxy's X-Request-ID when it is short
// and plain, else a random one), answers it in X-Request-ID, adds it to the
// request's span, puts it in the request's context (so that LogHandler adds it to
// every record logged with that context) and logs the request when it ends.
// Install it after Tracing.Gin, so that its log line carries the trace ID too.
func RequestLog(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		id := c.GetHeader(RequestIDHeader)
		if !plainID(id) {
			b := make([]byte, 12)
			_, _ = rand.Read(b)
			id = hex.EncodeToString(b)
		}
		c.Header(RequestIDHeader, id)
		ctx := context.WithValue(c.Request.Context(), requestIDKey{}, id)
		trace.SpanFromContext(ctx).SetAttributes(attribute.String("tdkt.request_id", id))
		c.Request = c.Request.WithContext(ctx)
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		if quiet[route] && c.Writer.Status() < 400 {
			return // probes and scrapes, every few seconds
		}
		log.LogAttrs(ctx, slog.LevelInfo, "request", slog.String("method", c.Request.Method), slog.String("route", route),
			slog.Int("status", c.Writer.Status()), slog.Duration("duration", time.Since(start)))
	}
}

// quiet are the routes whose successful requests are not logged.
var quiet = map[string]bool{"/livez": true, "/readyz": true, "/metrics": true, "/healthz": true}

func plainID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

// LogHandler wraps h so that a record logged with a request's context carries
// request_id and, when the context holds a span, trace_id and span_id: a log
// line leads to its trace and back.
func LogHandler(h slog.Handler) slog.Handler { return logHandler{h} }

type logHandler struct{ slog.Handler }

func (h logHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := RequestIDOf(ctx); id != "" {
		r.AddAttrs(slog.String("request_id", id))
	}
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
		r.AddAttrs(slog.String("trace_id", sc.TraceID().String()), slog.String("span_id", sc.SpanID().String()))
	}
	return h.Handler.Handle(ctx, r)
}

func (h logHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return logHandler{h.Handler.WithAttrs(as)}
}
func (h logHandler) WithGroup(name string) slog.Handler { return logHandler{h.Handler.WithGroup(name)} }
