package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/interceptor"

	"github.com/tdkt/tdkt/internal/config"
	"github.com/tdkt/tdkt/internal/ops"
)

// tracing is the process's OpenTelemetry tracing, nil when OTEL_EXPORTER_OTLP_ENDPOINT
// is not set. startTracing sets it once, before any pool, client or server exists.
var tracing *ops.Tracing

// startTracing turns tracing on when the configuration names an OTLP endpoint;
// the returned stop flushes the spans still buffered.
func startTracing(ctx context.Context, cfg config.Config, command string, log *slog.Logger) (stop func(), err error) {
	if cfg.OTLPEndpoint == "" {
		return func() {}, nil
	}
	t, shutdown, err := ops.StartTracing(ctx, cfg.OTLPEndpoint, command)
	if err != nil {
		return nil, err
	}
	tracing = t
	log.Info("tracing: spans exported over OTLP/HTTP", "endpoint", config.MaskURL(cfg.OTLPEndpoint))
	return func() {
		c, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := shutdown(c); err != nil {
			log.Warn("tracing: flushing spans on the way out", "err", err)
		}
	}, nil
}

// tracePool sets the pgx query tracer on a pool's configuration when tracing is on.
func tracePool(pc *pgxpool.Config) {
	if tracing != nil {
		pc.ConnConfig.Tracer = tracing.Pgx()
	}
}

// temporalInterceptors are the Temporal client's interceptors (its workers
// inherit them): the tracing one when tracing is on.
func temporalInterceptors() ([]interceptor.ClientInterceptor, error) {
	if tracing == nil {
		return nil, nil
	}
	ti, err := tracing.Temporal()
	if err != nil {
		return nil, err
	}
	return []interceptor.ClientInterceptor{ti}, nil
}

// requestMiddleware opens the request's span (when tracing is on), then gives the
// request its ID and logs it when it ends.
func requestMiddleware(log *slog.Logger) []gin.HandlerFunc {
	var hs []gin.HandlerFunc
	if tracing != nil {
		hs = append(hs, tracing.Gin())
	}
	return append(hs, ops.RequestLog(log))
}
