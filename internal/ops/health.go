// Package ops is what an operator needs from every tdkt process: liveness and
// readiness probes (/livez, /readyz) and Prometheus metrics (/metrics) — HTTP
// requests by route, the PostgreSQL pool, the Temporal SDK's own metrics and the
// business gauges read from PostgreSQL. `tdkt serve` mounts it on the API's
// address; `tdkt worker` serves it on its own (TDKT_OPS_ADDR).
package ops

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/tdkt/tdkt/internal/postgres"
	"go.temporal.io/sdk/client"
)

// Health answers the probes of one process.
type Health struct {
	// Pool is tdkt's database.
	Pool *pgxpool.Pool
	// Temporal is the process's Temporal client.
	Temporal client.Client
	// Timeout bounds each check (default 2 s).
	Timeout time.Duration
}

// Check is the outcome of one readiness check.
type Check struct {
	Name  string `json:"name"`
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
}

// Ready runs every readiness check: PostgreSQL answers, its migrations are at the
// version this binary embeds, and the Temporal frontend answers. Checks run one
// after another (the migration check needs PostgreSQL), each within Timeout.
func (h *Health) Ready(ctx context.Context) []Check {
	timeout := h.Timeout
	if timeout == 0 {
		timeout = 2 * time.Second
	}
	run := func(name string, f func(context.Context) error) Check {
		c, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		if err := f(c); err != nil {
			return Check{Name: name, Error: err.Error()}
		}
		return Check{Name: name, OK: true}
	}
	db := run("postgres", func(ctx context.Context) error { return h.Pool.Ping(ctx) })
	mig := Check{Name: "migrations", Error: "postgres is not answering"}
	if db.OK {
		mig = run("migrations", h.checkMigrations)
	}
	tmp := run("temporal", func(ctx context.Context) error {
		if h.Temporal == nil {
			return errors.New("no Temporal client")
		}
		_, err := h.Temporal.CheckHealth(ctx, &client.CheckHealthRequest{})
		return err
	})
	return []Check{db, mig, tmp}
}

// checkMigrations fails unless the database is at exactly the binary's version: an
// older database needs `tdkt migrate`, a newer one a newer binary.
func (h *Health) checkMigrations(ctx context.Context) error {
	want, err := postgres.LatestMigration()
	if err != nil {
		return err
	}
	got, err := postgres.AppliedMigration(ctx, h.Pool)
	if err != nil {
		return err
	}
	switch {
	case got < want:
		return fmt.Errorf("database at migration %d, binary expects %d: run `tdkt migrate`", got, want)
	case got > want:
		return fmt.Errorf("database at migration %d, newer than this binary's %d", got, want)
	}
	return nil
}

// Live answers /livez: 200 whenever the process serves HTTP.
func Live(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) }

// ReadyHandler answers /readyz: 200 with the checks when all pass, otherwise 503
// with the failing parts named in "failing".
func (h *Health) ReadyHandler(c *gin.Context) {
	checks := h.Ready(c.Request.Context())
	var failing []string
	for _, ch := range checks {
		if !ch.OK {
			failing = append(failing, ch.Name)
		}
	}
	if len(failing) > 0 {
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable", "failing": failing, "checks": checks})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok", "checks": checks})
}
