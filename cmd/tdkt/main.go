// Command tdkt is the one binary of the tdkt engine: serve (the API), worker (the
// Temporal worker), dev (everything in one process with an embedded Temporal server
// and a throwaway PostgreSQL), migrate and seed. It only wires the packages together.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"

	"github.com/tdkt/tdkt/activities"
	"github.com/tdkt/tdkt/internal/app"
	"github.com/tdkt/tdkt/internal/authz"
	"github.com/tdkt/tdkt/internal/config"
	"github.com/tdkt/tdkt/internal/devenv"
	"github.com/tdkt/tdkt/internal/devenv/devtemporal"
	"github.com/tdkt/tdkt/internal/documents/keys"
	"github.com/tdkt/tdkt/internal/httpapi"
	"github.com/tdkt/tdkt/internal/ops"
	"github.com/tdkt/tdkt/internal/password"
	"github.com/tdkt/tdkt/internal/postgres"
	"github.com/tdkt/tdkt/internal/seed"
	"github.com/tdkt/tdkt/internal/sso"
	"github.com/tdkt/tdkt/internal/usecase"
	"github.com/tdkt/tdkt/internal/web"
	"github.com/tdkt/tdkt/internal/webui"
	"github.com/tdkt/tdkt/workflows"
)

const usage = `usage: tdkt <command> [flags]

commands:
  dev      run everything in one process: embedded Temporal (state in the data folder),
           PostgreSQL (DATABASE_URL or a throwaway cluster), migrations, demo data,
           worker and API on TDKT_HTTP_ADDR (default :8080)
  serve    run the HTTP API (needs DATABASE_URL and TEMPORAL_ADDRESS)
  worker   run the Temporal worker (needs DATABASE_URL and TEMPORAL_ADDRESS)
  migrate  apply the database migrations and the reference data (levels, awards, authority rules)
  seed     migrate, then load the demo data (Lạng Sơn province and one account per role);
           "seed national" also loads the other 33 provinces and their communes (3,321 in all)
  units    import FILE.csv: record a reorganisation (new units, their predecessors) in one transaction
  audit    verify: walk the audit log's hash chain and name the first altered row
  temporal-server
           run a Temporal server on PostgreSQL (TDKT_TEMPORAL_DATABASE_URL; schemas set up
           by the server's own tooling) listening on TEMPORAL_ADDRESS, the production shape

Run "tdkt <command> -h" for the flags; every flag has an environment variable.
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1], os.Args[2:], os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "tdkt:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, cmd string, args []string, getenv func(string) string) error {
	national := cmd == "seed" && len(args) > 0 && args[0] == "national" // tdkt seed national [flags]
	if national {
		args = args[1:]
	}
	cfg, err := config.Load(getenv, args)
	if err != nil {
		return err
	}
	level, _ := cfg.Level()
	log := slog.New(ops.LogHandler(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level})))
	log.Info("starting", "command", cmd, "config", cfg)
	switch cmd {
	case "serve", "worker", "dev":
		stopTracing, err := startTracing(ctx, cfg, cmd, log)
		if err != nil {
			return err
		}
		defer stopTracing()
		if cfg.PprofAddr != "" {
			if err := servePprof(ctx, cfg.PprofAddr, log); err != nil {
				return err
			}
		}
	}
	switch cmd {
	case "migrate":
		return withPool(ctx, cfg, func(pool *pgxpool.Pool) error { return migrate(ctx, log, pool) })
	case "seed":
		return withPool(ctx, cfg, func(pool *pgxpool.Pool) error {
			if err := migrate(ctx, log, pool); err != nil {
				return err
			}
			logins, err := seedAll(ctx, cfg, pool)
			if err == nil && national {
				err = seedNational(ctx, pool, os.Stdout)
			}
			if err == nil {
				printLogins(logins)
			}
			return err
		})
	case "serve":
		return withPool(ctx, cfg, func(pool *pgxpool.Pool) error {
			m := newOps("serve", pool)
			tc, err := dialTemporal(cfg, log, m)
			if err != nil {
				return err
			}
			defer tc.Close()
			return serve(ctx, cfg, log, pool, tc, m)
		})
	case "worker":
		return withPool(ctx, cfg, func(pool *pgxpool.Pool) error {
			m := newOps("worker", pool)
			tc, err := dialTemporal(cfg, log, m)
			if err != nil {
				return err
			}
			defer tc.Close()
			if err := startMailer(ctx, cfg, log, pool); err != nil {
				return err
			}
			stopOps, err := serveOps(ctx, cfg.OpsAddr, log, m, &ops.Health{Pool: pool, Temporal: tc})
			if err != nil {
				return err
			}
			defer stopOps()
			return runWorker(ctx, cfg, pool, tc)
		})
	case "temporal-server":
		return temporalServer(ctx, cfg, log)
	case "dev":
		return dev(ctx, cfg, log)
	case "audit":
		return auditCmd(ctx, getenv, args, os.Stdout)
	case "units":
		return unitsCmd(ctx, getenv, args, os.Stdout)
	case "help", "-h", "--help":
		fmt.Print(usage)
		return nil
	}
	return fmt.Errorf("unknown command %q\n%s", cmd, usage)
}

func withPool(ctx context.Context, cfg config.Config, fn func(*pgxpool.Pool) error) error {
	if cfg.DatabaseURL == "" {
		return errors.New("DATABASE_URL is not set")
	}
	pc, err := pgxpool.ParseConfig(cfg.DatabaseURL)
	if err != nil {
		return fmt.Errorf("database: %w", err)
	}
	postgres.ServerSettings(pc)
	postgres.PoolSize(pc, cfg.DBPoolMinConns)
	tracePool(pc)
	// The pool's minimum of connections is opened and warmed before serve
	// listens (postgres.OpenPool): its first readers do not wait for them.
	pool, err := postgres.OpenPool(ctx, pc)
	if err != nil {
		return fmt.Errorf("database %s: %w", config.MaskURL(cfg.DatabaseURL), err)
	}
	defer pool.Close()
	return fn(pool)
}

// migrate applies the schema migrations and the reference data every installation
// needs (levels, award catalogue, authority rules); both are idempotent.
func migrate(ctx context.Context, log *slog.Logger, pool *pgxpool.Pool) error {
	applied, err := postgres.Migrate(ctx, pool)
	if err != nil {
		return err
	}
	if err := seed.Reference(ctx, pool); err != nil {
		return err
	}
	log.Info("migrations and reference data applied", "versions", applied)
	return nil
}

func seedAll(ctx context.Context, cfg config.Config, pool *pgxpool.Pool) ([]seed.Login, error) {
	// Lạng Sơn today (65 communes under the province since 2025-07-01) with its past:
	// the 2018 tree and its 1258 review, the 194 communes of 2025-06-30, the successions.
	logins, rep, err := seed.DemoToday(ctx, pool, password.Hasher{Cost: cfg.BcryptCost}.Hash)
	if err == nil && !rep.AlreadyApplied {
		fmt.Printf("Demo: Lạng Sơn as of %s, %d communes under the province; %d communes of 2018 (%d kept until %s), %d successions of %s\n",
			seed.Reform2025, rep.Communes2025, rep.Coded2018, rep.Kept, seed.Reform2025, rep.Successions, seed.Source1672)
	}
	return logins, err
}

func printLogins(logins []seed.Login) {
	fmt.Printf("\nDemo logins (password for all: %s):\n", seed.DemoPassword)
	for _, l := range logins {
		fmt.Printf("  %-26s %-18s %s\n", l.Username, l.Role, l.UnitName)
	}
	fmt.Println()
}

func dialTemporal(cfg config.Config, log *slog.Logger, m *opsMetrics) (client.Client, error) {
	// A replica may start before the Temporal frontend answers (a cluster starting,
	// a server restarting): it keeps trying for a minute before giving up.
	deadline := time.Now().Add(time.Minute)
	interceptors, err := temporalInterceptors()
	if err != nil {
		return nil, err
	}
	var compression client.GrpcCompression = &client.GrpcCompressionNone{}
	if cfg.TemporalCompression == config.CompressionGzip {
		compression = &client.GrpcCompressionGzip{}
	}
	for {
		c, err := client.Dial(client.Options{HostPort: cfg.TemporalAddress, Namespace: cfg.TemporalNamespace,
			Logger: slogAdapter{log.With("component", "temporal-client")}, MetricsHandler: m.temporal.Handler(),
			Interceptors: interceptors, ConnectionOptions: client.ConnectionOptions{GrpcCompression: compression}})
		if err == nil {
			return c, nil
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("temporal %s: %w", cfg.TemporalAddress, err)
		}
		log.Warn("Temporal not reachable yet; retrying", "address", cfg.TemporalAddress, "err", err)
		time.Sleep(time.Second)
	}
}

// newWorker builds the Temporal worker with the workflows and activities registered.
func newWorker(cfg config.Config, pool *pgxpool.Pool, tc client.Client) (worker.Worker, error) {
	w := worker.New(tc, cfg.TaskQueue, worker.Options{MaxConcurrentWorkflowTaskPollers: cfg.WorkflowTaskPollers})
	workflows.Register(w, activities.New(pool))
	return w, nil
}

func runWorker(ctx context.Context, cfg config.Config, pool *pgxpool.Pool, tc client.Client) error {
	// A worker started with its Temporal server (make cluster, a rolling restart)
	// may come up before the server has registered the namespace: it waits for it
	// (up to two minutes) instead of exiting.
	deadline := time.Now().Add(2 * time.Minute)
	for {
		w, err := newWorker(cfg, pool, tc)
		if err != nil {
			return err
		}
		err = w.Start()
		if err == nil {
			startWorkerDuties(ctx, pool, slog.Default())
			<-ctx.Done()
			w.Stop()
			return nil
		}
		var nsf *serviceerror.NamespaceNotFound
		var nf *serviceerror.NotFound
		if !(errors.As(err, &nsf) || errors.As(err, &nf)) || time.Now().After(deadline) {
			return fmt.Errorf("worker: %w", err)
		}
		slog.Warn("worker: the namespace is not registered yet; retrying", "namespace", cfg.TemporalNamespace)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(time.Second):
		}
	}
}

// serve runs the API until ctx ends, then shuts down gracefully. The authorization
// data (unit tree, role assignments) is reloaded when the database announces a
// change (authz.Enforcer.Follow) and every minute, for the change of date.
func serve(ctx context.Context, cfg config.Config, log *slog.Logger, pool *pgxpool.Pool, tc client.Client, m *opsMetrics) error {
	enf, err := authz.Load(ctx, pool, time.Now())
	if err != nil {
		return fmt.Errorf("authorization: %w", err)
	}
	go every(ctx, time.Minute, func() {
		if err := enf.Reload(ctx, pool, time.Now()); err != nil {
			log.Error("authorization reload failed", "err", err)
		}
	})
	// Changes committed through any replica (or by hand) arrive as notifications.
	go enf.Follow(ctx, pool, time.Now, 5*time.Second, func(err error) { log.Warn("authorization follower", "err", err) })
	svc := app.New(pool, &usecase.Base{Authz: enf, Temporal: tc, TaskQueue: cfg.TaskQueue, SessionTTL: cfg.SessionTTL,
		Passwords: &password.Hasher{Cost: cfg.BcryptCost}, PasswordLoginDisabled: !cfg.PasswordLogin})
	svc.ReloadAuthz = func(ctx context.Context) {
		if err := enf.Reload(ctx, pool, time.Now()); err != nil {
			log.Error("authorization reload after an administrative change failed", "err", err)
		}
	}
	svc.SyncAuthzUsers = func(ctx context.Context, users ...int64) {
		if err := enf.SyncUsersFrom(ctx, pool, users); err != nil {
			log.Error("authorization update after an administrative change failed", "err", err)
		}
	}
	api := &httpapi.Server{App: svc, Log: log, MaxBodyBytes: cfg.MaxBodyBytes, SecureCookies: cfg.SecureCookies,
		RequireIfMatch: cfg.RequireIfMatch, TrustedProxies: splitList(cfg.TrustedProxies),
		Middleware: append(requestMiddleware(log), m.Middleware)}
	m.Registry.MustRegister(&ops.Business{Store: ops.NewStore(pool)})
	api.Mount = append(api.Mount, m.Mount(&ops.Health{Pool: pool, Temporal: tc}))
	var signing web.Signing
	if cfg.PKCS11.Module != "" {
		tok, err := keys.OpenToken(keys.TokenConfig{Module: cfg.PKCS11.Module, TokenLabel: cfg.PKCS11.TokenLabel,
			Slot: cfg.PKCS11.SlotNumber(), PIN: cfg.PKCS11.PIN}, cfg.TrustAnchors)
		if err != nil {
			return err
		}
		defer tok.Close() //nolint:errcheck // best effort on the way out
		signing = tok
	} else if cfg.SigningKeysDir != "" {
		keys, err := keys.OpenKeyDir(cfg.SigningKeysDir, cfg.SigningKeysPassword, cfg.TrustAnchors)
		if err != nil {
			return err
		}
		signing = keys
	} else if cfg.DevPKIDir != "" {
		pki, err := keys.OpenDevPKI(cfg.DevPKIDir)
		if err != nil {
			return err
		}
		signing = pki
	}
	if cfg.OIDC.Issuer != "" {
		h, err := sso.New(cfg.OIDC, svc, log, cfg.SecureCookies)
		if err != nil {
			return err
		}
		api.Mount = append(api.Mount, h.Mount)
	}
	ui, err := webui.New(web.Config{App: svc, Log: log, SecureCookies: cfg.SecureCookies, Calendar: svc.RefData.Store.LoadCalendar, Signing: signing,
		Limit: api.AllowExpensive, SSO: cfg.OIDC.Issuer != ""})
	if err != nil {
		return err
	}
	api.Mount = append(api.Mount, ui.Mount)
	// The ministry's dashboard figures are counted before the first reader asks
	// (inbox.Service.WarmSharedStats), as the pool was opened and warmed.
	t0 := time.Now()
	if err := svc.Worklists.WarmSharedStats(ctx); err != nil {
		log.Warn("the shared dashboard figures were not counted ahead", "err", err)
	} else {
		log.Info("shared dashboard figures counted", "took", time.Since(t0).Round(time.Millisecond))
	}
	srv := &http.Server{Addr: cfg.HTTPAddr, Handler: api.Handler(), ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	log.Info("API listening", "addr", cfg.HTTPAddr)
	select {
	case err := <-errc:
		return fmt.Errorf("http: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shutdown)
}

// dev runs the whole product in one process for a developer's machine.
func dev(ctx context.Context, cfg config.Config, log *slog.Logger) error {
	dataDir, err := filepath.Abs(cfg.DataDir)
	if err != nil {
		return err
	}
	if cfg.DevPKIDir == "" {
		cfg.DevPKIDir = filepath.Join(dataDir, "pki")
	}
	if cfg.DatabaseURL == "" {
		pg, err := devenv.StartPostgres(ctx, devenv.PostgresOptions{DataDir: filepath.Join(dataDir, "postgres"),
			Logger: log, AllowInstall: true})
		if err != nil {
			return err
		}
		defer pg.Stop() //nolint:errcheck // best effort on the way out
		cfg.DatabaseURL = pg.URL
		log.Info("throwaway PostgreSQL started", "data_dir", pg.DataDir, "port", pg.Port)
	}
	ts, err := devtemporal.StartTemporal(ctx, devtemporal.TemporalOptions{DBFile: filepath.Join(dataDir, "temporal.db"),
		Namespace: cfg.TemporalNamespace, Logger: log.With("component", "temporal-server")})
	if err != nil {
		return err
	}
	defer ts.Stop() //nolint:errcheck // best effort on the way out
	cfg.TemporalAddress = ts.HostPort
	log.Info("embedded Temporal started", "address", ts.HostPort, "file", filepath.Join(dataDir, "temporal.db"))

	return withPool(ctx, cfg, func(pool *pgxpool.Pool) error {
		if err := migrate(ctx, log, pool); err != nil {
			return err
		}
		var logins []seed.Login
		if cfg.SeedDemo {
			if logins, err = seedAll(ctx, cfg, pool); err != nil {
				return err
			}
		}
		m := newOps("dev", pool)
		tc, err := dialTemporal(cfg, log, m)
		if err != nil {
			return err
		}
		defer tc.Close()
		w, err := newWorker(cfg, pool, tc)
		if err != nil {
			return err
		}
		if err := w.Start(); err != nil {
			return fmt.Errorf("worker: %w", err)
		}
		defer w.Stop()
		startWorkerDuties(ctx, pool, log)
		if err := startMailer(ctx, cfg, log, pool); err != nil {
			return err
		}
		printLogins(logins)
		base := browseURL(cfg.HTTPAddr)
		fmt.Printf("tdkt dev is running: web UI at %[1]s/, API at %[1]s/api/v1 (Ctrl-C to stop)\n\n", base)
		return serve(ctx, cfg, log, pool, tc, m)
	})
}

// browseURL is the address a person on this machine opens for the listen address
// addr: ":8080" and "0.0.0.0:8080" are http://localhost:8080, "127.0.0.1:18080"
// keeps its host.
func browseURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://localhost"
	}
	switch host {
	case "", "0.0.0.0", "::":
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}
