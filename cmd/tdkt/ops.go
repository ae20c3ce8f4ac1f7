package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
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
