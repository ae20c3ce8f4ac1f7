// Package e2etest starts the whole tdkt product for an end-to-end test, as
// `tdkt serve` wires it: a fresh migrated database with the demo (Lạng Sơn) seeded,
// a real Temporal server with tdkt's worker, the Casbin enforcer, the application
// service and the HTTP server (the JSON API and optional mounts such as the web UI).
//
// The test packages keep their own request helpers; this package only builds the
// running product, so that the harnesses of internal/httpapi, internal/web and
// internal/faulttest share one wiring.
package e2etest

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/server/temporaltest"
	"golang.org/x/crypto/bcrypt"

	"github.com/tdkt/tdkt/activities"
	"github.com/tdkt/tdkt/internal/app"
	"github.com/tdkt/tdkt/internal/authz"
	"github.com/tdkt/tdkt/internal/httpapi"
	"github.com/tdkt/tdkt/internal/openapi/openapitest"
	"github.com/tdkt/tdkt/internal/password"
	"github.com/tdkt/tdkt/internal/pgtest"
	"github.com/tdkt/tdkt/internal/seed"
	"github.com/tdkt/tdkt/internal/usecase"
	"github.com/tdkt/tdkt/workflows"
	"github.com/tdkt/tdkt/workflows/contract"
)

// Env is one test's running product.
type Env struct {
	// Pool is the test's database (the demo, unless WithDatabase gave another).
	Pool *pgxpool.Pool
	// Enforcer is the Casbin enforcer loaded from Pool.
	Enforcer *authz.Enforcer
	// Service is the application the HTTP server calls.
	Service *app.Service
	// Temporal is the client of the Temporal server the dossier workflows run on.
	Temporal client.Client
	// Log is the discarding logger of the server and its mounts.
	Log *slog.Logger
	// URL is the base address of the HTTP server.
	URL string
}

// config is what the options set.
type config struct {
	pool, apiPool *pgxpool.Pool
	tc            client.Client
	now           func() time.Time
	days          func(time.Time, int) time.Time
	server        []func(*httpapi.Server)
	mounts        []func(*Env) (func(*gin.Engine), error)
}

// Option adjusts the product Start builds.
type Option func(*config)

// WithClock makes the application see now() as the current time.
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// WithWorkingDays replaces the worker's "N working days after" (nil: the calendar).
func WithWorkingDays(days func(time.Time, int) time.Time) Option {
	return func(c *config) { c.days = days }
}

// WithFastDeadlines makes every "N working days" last N×unit of real time, so
// that reminders, escalations and deadlines fire within a test.
func WithFastDeadlines(unit time.Duration) Option {
	return WithWorkingDays(func(from time.Time, n int) time.Time { return from.Add(time.Duration(n) * unit) })
}

// WithDatabase uses pool as it is instead of a fresh database with the demo.
func WithDatabase(pool *pgxpool.Pool) Option { return func(c *config) { c.pool = pool } }

// WithAPIPool makes the application's store use pool (for example one with
// injected faults); the enforcer and the worker keep the test's database.
func WithAPIPool(pool *pgxpool.Pool) Option { return func(c *config) { c.apiPool = pool } }

// WithTemporal uses the Temporal client tc and starts neither a Temporal server
// nor a worker: the test starts its workers itself with StartWorker.
func WithTemporal(tc client.Client) Option { return func(c *config) { c.tc = tc } }

// WithServer adjusts the HTTP server before it serves (rate limits, body size,
// security options). Adjustments apply in the order given.
func WithServer(f func(*httpapi.Server)) Option {
	return func(c *config) { c.server = append(c.server, f) }
}

// WithMount adds a mount to the HTTP server; mount builds it from the running
// product (for example the web UI over Env.Service).
func WithMount(mount func(*Env) (func(*gin.Engine), error)) Option {
	return func(c *config) { c.mounts = append(c.mounts, mount) }
}

// DemoDB returns a pool on a fresh migrated database with the demo seeded, its
// passwords hashed at bcrypt's lowest cost.
func DemoDB(t testing.TB) *pgxpool.Pool {
	t.Helper()
	pool := pgtest.NewPool(t)
	if _, err := seed.Demo(context.Background(), pool, password.Hasher{Cost: bcrypt.MinCost}.Hash); err != nil {
		t.Fatal(err)
	}
	return pool
}

// TodayDB returns a pool on a fresh migrated database with the demo as it is today
// (seed.DemoToday: 65 communes under the province since 2025-07-01, the districts
// ended, the commune accounts in xã Đồng Đăng and xã Xuân Dương).
func TodayDB(t testing.TB) *pgxpool.Pool {
	t.Helper()
	pool := pgtest.NewPool(t)
	if _, _, err := seed.DemoToday(context.Background(), pool, password.Hasher{Cost: bcrypt.MinCost}.Hash); err != nil {
		t.Fatal(err)
	}
	return pool
}

// Activities returns tdkt's activities over pool; days replaces "N working days
// after" when not nil.
func Activities(pool *pgxpool.Pool, days func(time.Time, int) time.Time) *activities.Activities {
	a := activities.New(pool)
	a.AddWorkingDays = days
	return a
}

// StartWorker starts a tdkt worker on tc whose activities use pool; the caller
// stops it.
func StartWorker(t testing.TB, tc client.Client, pool *pgxpool.Pool, days func(time.Time, int) time.Time) worker.Worker {
	t.Helper()
	w := worker.New(tc, contract.TaskQueue, worker.Options{})
	workflows.Register(w, Activities(pool, days))
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	return w
}

// Start builds and serves the product for one test; everything stops when the
// test ends.
func Start(t testing.TB, opts ...Option) *Env {
	t.Helper()
	var c config
	for _, o := range opts {
		o(&c)
	}
	ctx := context.Background()
	if c.pool == nil {
		c.pool = DemoDB(t)
	}
	if c.apiPool == nil {
		c.apiPool = c.pool
	}
	if c.tc == nil {
		var ts *temporaltest.TestServer
		if tt, ok := t.(*testing.T); ok {
			ts = temporaltest.NewServer(temporaltest.WithT(tt))
		} else {
			ts = temporaltest.NewServer()
			t.Cleanup(ts.Stop)
		}
		ts.NewWorker(contract.TaskQueue, func(r worker.Registry) {
			acts := Activities(c.pool, c.days)
			acts.Now = c.now // a unit ends on the application's clock
			workflows.Register(r, acts)
		})
		c.tc = ts.GetDefaultClient()
	}
	enf, err := authz.Load(ctx, c.pool, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	e := &Env{Pool: c.pool, Enforcer: enf, Temporal: c.tc, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Service: app.New(c.apiPool, &usecase.Base{Authz: enf, Temporal: c.tc, TaskQueue: contract.TaskQueue, Now: c.now})}
	// As `tdkt serve` does: an administrative change applies from the next request.
	e.Service.ReloadAuthz = func(ctx context.Context) {
		if err := enf.Reload(ctx, c.pool, time.Now()); err != nil {
			t.Errorf("authorization reload: %v", err)
		}
	}
	e.Service.SyncAuthzUsers = func(ctx context.Context, users ...int64) {
		if err := enf.SyncUsersFrom(ctx, c.pool, users); err != nil {
			t.Errorf("authorization update: %v", err)
		}
	}
	api := &httpapi.Server{App: e.Service, Log: e.Log, MaxBodyBytes: 64 << 10}
	for _, mount := range c.mounts {
		m, err := mount(e)
		if err != nil {
			t.Fatal(err)
		}
		api.Mount = append(api.Mount, m)
	}
	for _, f := range c.server {
		f(api)
	}
	// Every request to /api/v1 and its answer are checked against the OpenAPI
	// document: a mismatch fails the test.
	api.Middleware = append(api.Middleware, openapitest.Middleware(t.Errorf))
	srv := httptest.NewServer(api.Handler())
	t.Cleanup(srv.Close)
	e.URL = srv.URL
	return e
}
