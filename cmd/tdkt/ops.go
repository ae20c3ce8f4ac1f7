package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tdkt/tdkt/internal/ops"
)

// opsMetrics is one process's registry with the Temporal SDK's metrics in it.
type opsMetrics struct {
	*ops.Metrics
	temporal *ops.TemporalMetrics
}

// newOps builds the process's metrics: runtime, HTTP, the pool and the Temporal SDK.
func newOps(process string, pool *pgxpool.Pool) *opsMetrics {
	m := &opsMetrics{Metrics: ops.NewMetrics(process), temporal: ops.NewTemporalMetrics()}
	m.RegisterPool(pool)
	m.Registry.MustRegister(m.temporal)
	return m
}

// serveOps serves /livez, /readyz and /metrics on addr (the worker's own port)
// until ctx ends or the returned stop is called.
func serveOps(ctx context.Context, addr string, log *slog.Logger, m *opsMetrics, h *ops.Health) (func(), error) {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(gin.Recovery(), m.Middleware)
	m.Mount(h)(r)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("ops listener %s: %w", addr, err)
	}
	srv := &http.Server{Handler: r, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("ops server", "err", err)
		}
	}()
	log.Info("ops endpoints listening", "addr", ln.Addr().String())
	return func() {
		c, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(c)
	}, nil
}

// servePprof serves Go's profiler on addr until ctx ends (TDKT_PPROF_ADDR): CPU,
// heap, goroutine, block and mutex profiles of a running serve or worker, for
// `go tool pprof http://addr/debug/pprof/profile?seconds=30`.
func servePprof(ctx context.Context, addr string, log *slog.Logger) error {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("pprof listener %s: %w", addr, err)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("pprof server", "err", err)
		}
	}()
	context.AfterFunc(ctx, func() { _ = srv.Close() })
	log.Info("profiler listening", "addr", ln.Addr().String())
	return nil
}
