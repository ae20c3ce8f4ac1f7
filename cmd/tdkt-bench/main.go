// Command tdkt-bench measures a nationwide review campaign (sơ kết) over the unit tree
// after the 2025 reform: the ministry asks 34 provinces, which ask their 3,321 communes;
// every commune submits; each province submits as soon as its draft is pre-filled with
// its communes' aggregate. It reports the time to fan out the tree of workflows, to take
// every commune's submission and to roll everything up to the ministry, and the peak
// memory of the Temporal worker, which runs in a child process of its own so that its
// figures exclude the embedded Temporal server.
//
// Usage:
//
//	go run ./cmd/tdkt-bench [-provinces 34] [-communes 3321] [-clients 16]
//	go run ./cmd/tdkt-bench -scenario authz [-assignments 100000] [-decisions 200000] [-changes 30] [-replicas 2] [-json out.json]
//	go run ./cmd/tdkt-bench -scenario actions [-clients 16] [-dossiers 300] [-temporal host:port -api URL[,URL]] [-json out.json]
//	go run ./cmd/tdkt-bench -scenario reads -clients 50 [-dossiers 1000000] [-duration 60s] [-json out.json]
//	go run ./cmd/tdkt-bench -scenario audit [-dossiers 1000000] [-reuse NAME] [-json out.json]
//
// At the national size (the default) the country is the national skeleton of
// `tdkt seed national` (seed.National): the 34 provinces with their official counts
// of communes. The review scenario also reports the time from the last commune
// submission to the ministry's complete aggregate.
//
// The reads scenario (reads.go) seeds dossiers, nominees, subjects and tasks in bulk
// by SQL over the skeleton and times 50 readers of three levels; see reads.go.
//
// The authz scenario (authz.go) measures authorization over a generated national tree
// instead: building the enforcer, its heap, decision latencies, and the time from a
// role grant or revocation committed in PostgreSQL to a following enforcer deciding.
//
// The audit scenario (audit.go) writes those dossiers' audit events through the
// chain trigger and times anchoring, `tdkt audit verify` and the business gauges.
//
// The actions scenario (actions.go) drives dossiers over HTTP through tdkt serve and
// tdkt worker, and no-op workflows on the same Temporal server, and compares their
// actions per second.
//
// It needs a PostgreSQL server (-database-url, default $TEST_DATABASE_URL or
// postgres://postgres@127.0.0.1:5432/postgres) where it creates and then drops a
// database of its own, and starts an embedded Temporal server in a temporary folder
// unless -temporal names one.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/server/temporaltest"

	"github.com/tdkt/tdkt/activities"
	"github.com/tdkt/tdkt/internal/app"
	"github.com/tdkt/tdkt/internal/authz"
	"github.com/tdkt/tdkt/internal/campaigns"
	tdktconfig "github.com/tdkt/tdkt/internal/config"
	"github.com/tdkt/tdkt/internal/devenv/devtemporal"
	"github.com/tdkt/tdkt/internal/postgres"
	"github.com/tdkt/tdkt/internal/review"
	"github.com/tdkt/tdkt/internal/seed"
	"github.com/tdkt/tdkt/internal/usecase"
	"github.com/tdkt/tdkt/workflows"
	"github.com/tdkt/tdkt/workflows/contract"
)

// config is the benchmark's configuration, from flags.
type config struct {
	provinces, communes, clients int
	databaseURL, temporal        string
	namespace, server            string
	workerMode                   bool
	keep                         bool
	// scenario picks the benchmark: review (the default) or authz; see authz.go.
	scenario               string
	assignments, decisions int
	changes, replicas      int
	jsonOut                string
	// The actions scenario (actions.go).
	dossiers       int
	api, tdktBin   string
	bareWorkerMode bool
	bareStart      string
	// The reads scenario (reads.go); dossiers is shared with actions.
	duration time.Duration
	explain  bool
	// reuse names a database kept between reads runs: seeded on the first, only
	// migrated (and its seed checked) on the next ones.
	reuse string
	// readsCSV is where the reads scenario writes every read (empty: nowhere).
	readsCSV string
	// think is a person's pause between two reads (each a random 0.5–1.5 × think);
	// 0 reads in a closed loop without pause.
	think time.Duration
	// warmup: reads started in the first warmup are not counted.
	warmup time.Duration
	// poolMin is the server pool's minimum size (TDKT_DB_POOL_MIN_CONNS), opened
	// and warmed before the clients start; its maximum is 20.
	poolMin int
	// profile names a folder where the review scenario writes CPU profiles of the
	// bench process (API side and embedded Temporal server) and of the worker process,
	// taken over the commune submissions only.
	profile string
	// histories names a folder where the review scenario writes the histories of the
	// ministry's, the largest province's and the first commune's workflows as JSON
	// (the replayer's format), before it ends the campaign.
	histories string
}

func main() {
	var cfg config
	flag.IntVar(&cfg.provinces, "provinces", 34, "provinces (after the 2025 reform: 34)")
	flag.IntVar(&cfg.communes, "communes", 3321, "communes spread over the provinces (after the 2025 reform: 3,321)")
	flag.IntVar(&cfg.clients, "clients", 16, "concurrent API clients submitting reports (review) or reading (reads; give 50)")
	def := os.Getenv("TEST_DATABASE_URL")
	if def == "" {
		def = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	}
	flag.StringVar(&cfg.databaseURL, "database-url", def, "PostgreSQL server (the bench creates and drops a database there)")
	flag.StringVar(&cfg.temporal, "temporal", "", "Temporal frontend host:port; empty starts an embedded server")
	flag.StringVar(&cfg.server, "server", "memory", "embedded server: memory (temporaltest, in-memory SQLite) or file (the dev server's SQLite file)")
	flag.StringVar(&cfg.namespace, "namespace", "default", "Temporal namespace")
	flag.BoolVar(&cfg.workerMode, "worker", false, "internal: run only the worker (the bench starts itself so)")
	flag.BoolVar(&cfg.keep, "keep", false, "keep the benchmark database")
	flag.StringVar(&cfg.scenario, "scenario", "review", "review: the nationwide review campaign; authz: authorization over a national tree; actions: tdkt's actions over HTTP vs bare Temporal; reads: 50 readers at 1M dossiers; audit: the audit log's writing, anchoring, verification and gauges at 1M dossiers")
	flag.IntVar(&cfg.assignments, "assignments", 100_000, "authz: role assignments over the national tree")
	flag.IntVar(&cfg.decisions, "decisions", 200_000, "authz: timed decisions")
	flag.IntVar(&cfg.changes, "changes", 30, "authz: role grants (each then revoked) committed in PostgreSQL and timed to the follower's decision")
	flag.IntVar(&cfg.replicas, "replicas", 2, "authz: following enforcers (as tdkt serve replicas), each on its own connection")
	flag.StringVar(&cfg.jsonOut, "json", "", "write the results as JSON to this file")
	flag.IntVar(&cfg.dossiers, "dossiers", 0, "actions: dossiers driven through tdkt and bare workflows through Temporal (default 300); reads: dossiers seeded, three nominees each (default 1,000,000)")
	flag.StringVar(&cfg.api, "api", "", "actions: tdkt API base URL(s), comma-separated (e.g. make cluster's http://127.0.0.1:8081,http://127.0.0.1:8082); empty builds tdkt and starts serve and worker")
	flag.StringVar(&cfg.tdktBin, "tdkt", "", "actions: the tdkt binary to start (empty: go build ./cmd/tdkt)")
	flag.StringVar(&cfg.bareStart, "bare-start", "with-update", "actions: with-update sends a bare workflow's start and first update in one call; separate sends the update after the start, as tdkt's submit follows its create")
	flag.BoolVar(&cfg.bareWorkerMode, "bare-worker", false, "internal: run only the bare workflow's worker (the actions scenario starts itself so)")
	flag.DurationVar(&cfg.duration, "duration", 60*time.Second, "reads: how long the clients read")
	flag.StringVar(&cfg.profile, "cpuprofile", "", "review: write CPU profiles of the bench and the worker over the submissions to this folder (bench.pprof, worker.pprof); actions: of tdkt serve, tdkt worker and the bench process (with the dev Temporal server) over the tdkt phase (bench.cpu.pprof, serve.cpu.NNN.pprof, worker.cpu.NNN.pprof); reads: of the bench process, which serves the reads, over the counted part (reads.cpu.pprof)")
	flag.StringVar(&cfg.histories, "histories", "", "review: write the ministry's, the largest province's and the first commune's workflow histories as JSON to this folder")
	flag.StringVar(&cfg.readsCSV, "reads-csv", "", "reads: write every read (start and duration in ms from the run's start, the read, the reader's level) to this CSV file")
	flag.BoolVar(&cfg.explain, "explain", true, "reads: EXPLAIN (ANALYZE, BUFFERS) the statements slower than 20 ms")
	flag.StringVar(&cfg.reuse, "reuse", "", "reads: the database NAME to keep between runs: created and seeded when missing, else migrated and reused when it holds -dossiers dossiers; audit: works on NAME_audit, a copy of NAME with the audit events written, kept likewise")
	flag.DurationVar(&cfg.warmup, "warmup", 0, "reads: reads started in this first part of -duration are not counted (the server's pool opening its connections, the first shared dashboard figures, cold plans)")
	flag.IntVar(&cfg.poolMin, "pool-min", 20, "reads: the server pool's minimum size (as TDKT_DB_POOL_MIN_CONNS; its maximum is 20), opened and warmed before the clients start")
	flag.DurationVar(&cfg.think, "think", 0, "reads: each client pauses a random 0.5–1.5 × think between reads, as a person does (0: no pause, a closed loop)")
	flag.Parse()
	if cfg.dossiers == 0 {
		cfg.dossiers = map[string]int{"reads": 1_000_000, "audit": 1_000_000}[cfg.scenario]
		if cfg.dossiers == 0 {
			cfg.dossiers = 300
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	switch {
	case cfg.workerMode:
		err = runWorker(ctx, cfg)
	case cfg.bareWorkerMode:
		err = runBareWorker(ctx, cfg)
	case cfg.scenario == "actions":
		err = runActions(ctx, cfg)
	case cfg.scenario == "authz":
		err = runAuthz(ctx, cfg)
	case cfg.scenario == "reads":
		err = runReads(ctx, cfg)
	case cfg.scenario == "audit":
		err = runAudit(ctx, cfg)
	case cfg.scenario != "review":
		err = fmt.Errorf("unknown scenario %q (review, authz, actions, reads, audit)", cfg.scenario)
	default:
		err = run(ctx, cfg)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "tdkt-bench:", err)
		os.Exit(1)
	}
}

// workerStats is what the worker process reports when it stops.
type workerStats struct {
	PeakHeapInuse uint64 `json:"peak_heap_inuse"`
	PeakSys       uint64 `json:"peak_sys"`
	IdleRSSKiB    int64  `json:"idle_rss_kib"` // after start, before any work
	MaxRSSKiB     int64  `json:"max_rss_kib"`
	NumGC         uint32 `json:"num_gc"`
}

// runWorker runs tdkt's worker until stopped, sampling its memory, then prints its
// peak figures as one JSON line.
func runWorker(ctx context.Context, cfg config) error {
	pool, err := pgxpool.New(ctx, cfg.databaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	tc, err := client.Dial(client.Options{HostPort: cfg.temporal, Namespace: cfg.namespace, Logger: quietLogger()})
	if err != nil {
		return err
	}
	defer tc.Close()
	// As tdkt worker runs it.
	w := worker.New(tc, contract.TaskQueue, worker.Options{MaxConcurrentWorkflowTaskPollers: tdktconfig.DefaultWorkflowTaskPollers})
	workflows.Register(w, activities.New(pool))
	if err := w.Start(); err != nil {
		return err
	}
	var stats workerStats
	var mu sync.Mutex
	sample := func() {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		mu.Lock()
		stats.PeakHeapInuse = max(stats.PeakHeapInuse, m.HeapInuse)
		stats.PeakSys = max(stats.PeakSys, m.Sys)
		stats.NumGC = m.NumGC
		mu.Unlock()
	}
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
		stats.IdleRSSKiB = ru.Maxrss
	}
	fmt.Println("ready")
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	// SIGUSR1 starts a CPU profile into the file named by -cpuprofile, SIGUSR2 ends it.
	prof := make(chan os.Signal, 2)
	signal.Notify(prof, syscall.SIGUSR1, syscall.SIGUSR2)
	var profFile *os.File
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case <-tick.C:
			sample()
		case sig := <-prof:
			if sig == syscall.SIGUSR1 && profFile == nil && cfg.profile != "" {
				if f, err := os.Create(cfg.profile); err == nil && pprof.StartCPUProfile(f) == nil {
					profFile = f
				}
			} else if sig == syscall.SIGUSR2 && profFile != nil {
				pprof.StopCPUProfile()
				profFile.Close()
				profFile = nil
			}
		}
	}
	sample()
	w.Stop()
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
		stats.MaxRSSKiB = ru.Maxrss
	}
	return json.NewEncoder(os.Stdout).Encode(stats)
}

func quietLogger() log.Logger {
	return log.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// run sets up the country, starts the worker process, runs the campaign and reports.
func run(ctx context.Context, cfg config) error {
	if cfg.provinces < 1 || cfg.communes < cfg.provinces || cfg.clients < 1 {
		return errors.New("need at least one commune per province and one client")
	}
	tmp, err := os.MkdirTemp("", "tdkt-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	dbURL, pool, done, err := openBenchDatabase(ctx, cfg)
	if err != nil {
		return err
	}
	defer done()
	mach := describeMachine()
	t0 := time.Now()
	users, err := buildCountry(ctx, pool, cfg.provinces, cfg.communes)
	if err != nil {
		return err
	}
	fmt.Printf("country: 1 ministry, %d provinces, %d communes, %d accounts (%.1f s)\n",
		cfg.provinces, cfg.communes, len(users), time.Since(t0).Seconds())

	switch {
	case cfg.temporal != "":
	case cfg.server == "file":
		ts, err := devtemporal.StartTemporal(ctx, devtemporal.TemporalOptions{DBFile: filepath.Join(tmp, "temporal.db"), Namespace: cfg.namespace})
		if err != nil {
			return err
		}
		defer ts.Stop() //nolint:errcheck // best effort on the way out
		cfg.temporal = ts.HostPort
		fmt.Printf("embedded Temporal server (SQLite file) at %s\n", ts.HostPort)
	default:
		ts := temporaltest.NewServer()
		defer ts.Stop()
		cfg.temporal, cfg.namespace = ts.GetFrontendHostPort(), ts.GetDefaultNamespace()
		fmt.Printf("embedded Temporal server (in-memory SQLite) at %s\n", cfg.temporal)
	}
	tc, err := client.Dial(client.Options{HostPort: cfg.temporal, Namespace: cfg.namespace, Logger: quietLogger()})
	if err != nil {
		return err
	}
	defer tc.Close()

	wk, err := startWorkerProcess(cfg, dbURL)
	if err != nil {
		return err
	}
	defer wk.kill()

	enf, err := authz.Load(ctx, pool, time.Now())
	if err != nil {
		return err
	}
	svc := app.New(pool, &usecase.Base{Authz: enf, Temporal: tc, TaskQueue: contract.TaskQueue})
	res, err := campaign(ctx, cfg, svc, pool, tc, users, wk)
	if err != nil {
		return err
	}
	stats, rss, err := wk.stop()
	if err != nil {
		return err
	}
	mib := func(b uint64) float64 { return float64(b) / (1 << 20) }
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1e3 }
	fmt.Printf("\nnationwide campaign, %d provinces, %d communes, %d workflows, %d clients, %d CPUs\n",
		cfg.provinces, cfg.communes, 1+cfg.provinces+cfg.communes, cfg.clients, runtime.NumCPU())
	fmt.Printf("  fan-out: every workflow of the tree started and its first task run %6.1f s\n", res.fanout.Seconds())
	fmt.Printf("  %d commune submissions                      %6.1f s  (%.0f/s)\n", cfg.communes, res.submit.Seconds(),
		float64(cfg.communes)/res.submit.Seconds())
	fmt.Printf("  one submission: p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms\n", ms(res.latency.P50), ms(res.latency.P95), ms(res.latency.P99), ms(res.latency.Max))
	fmt.Printf("  load average: run start %s; submissions start %s, end %s; run end %s\n", mach.LoadStart, res.loadSubmitStart, res.loadSubmitEnd, loadavg())
	perSub := func(d time.Duration) float64 { return ms(d) / float64(cfg.communes) }
	fmt.Printf("  CPU per submission: %.1f ms = bench process (Temporal server, API) %.1f + worker %.1f + PostgreSQL backends %.1f\n",
		perSub(res.cpu.Bench+res.cpu.Worker+res.cpu.Postgres), perSub(res.cpu.Bench), perSub(res.cpu.Worker), perSub(res.cpu.Postgres))
	fmt.Printf("  full roll-up (first submission → ministry)     %6.1f s\n", res.rollup.Seconds())
	fmt.Printf("  last submission → ministry's aggregate ready   %6.1f s  (target ≤ 5 s; submissions target ≥ 100/s)\n", res.aggregateLag.Seconds())
	fmt.Printf("  history: ministry %d events, largest province %d events\n", res.rootEvents, res.provinceEvents)
	fmt.Printf("  worker peak RSS %.0f MiB (getrusage; %.0f MiB idle after start), peak heap in use %.0f MiB, peak Go sys %.0f MiB, %d GCs\n",
		float64(rss)/1024, float64(stats.IdleRSSKiB)/1024, mib(stats.PeakHeapInuse), mib(stats.PeakSys), stats.NumGC)
	fmt.Printf("  ministry's aggregate: %s households, %s poor = %s%% (checked against the sum of every commune)\n",
		review.FormatInt(res.households), review.FormatInt(res.poor), res.rate)
	if cfg.jsonOut == "" {
		return nil
	}
	rep := struct {
		Scenario string  `json:"scenario"`
		Machine  machine `json:"machine"`
		Params   struct {
			Provinces int `json:"provinces"`
			Communes  int `json:"communes"`
			Clients   int `json:"clients"`
		} `json:"params"`
		FanoutSeconds        float64     `json:"fanout_seconds"`
		SubmitSeconds        float64     `json:"submit_seconds"`
		SubmissionsPerSecond float64     `json:"submissions_per_second"`
		RollupSeconds        float64     `json:"rollup_seconds"`
		AggregateAfterLastS  float64     `json:"aggregate_after_last_submission_seconds"`
		WorkerPeakRSSMiB     float64     `json:"worker_peak_rss_mib"`
		Submission           latencyJSON `json:"submission"`
		LoadSubmitStart      string      `json:"loadavg_submissions_start"`
		LoadSubmitEnd        string      `json:"loadavg_submissions_end"`
		RootEvents           int         `json:"ministry_history_events"`
		ProvinceEvents       int         `json:"largest_province_history_events"`
		CPUms                struct {
			Bench    float64 `json:"bench_process"`
			Worker   float64 `json:"worker"`
			Postgres float64 `json:"postgres_backends"`
		} `json:"cpu_ms_per_submission"`
	}{Scenario: "review", Machine: mach, FanoutSeconds: res.fanout.Seconds(), SubmitSeconds: res.submit.Seconds(),
		SubmissionsPerSecond: float64(cfg.communes) / res.submit.Seconds(), RollupSeconds: res.rollup.Seconds(),
		AggregateAfterLastS: res.aggregateLag.Seconds(), WorkerPeakRSSMiB: float64(rss) / 1024,
		Submission: toJSON(res.latency), LoadSubmitStart: res.loadSubmitStart, LoadSubmitEnd: res.loadSubmitEnd,
		RootEvents: res.rootEvents, ProvinceEvents: res.provinceEvents}
	rep.Params.Provinces, rep.Params.Communes, rep.Params.Clients = cfg.provinces, cfg.communes, cfg.clients
	rep.CPUms.Bench, rep.CPUms.Worker, rep.CPUms.Postgres = perSub(res.cpu.Bench), perSub(res.cpu.Worker), perSub(res.cpu.Postgres)
	rep.Machine.LoadEnd = loadavg()
	return writeJSON(cfg.jsonOut, rep)
}

// createDatabase creates a fresh database on the server and returns its URL and a
// function that drops it.
func createDatabase(ctx context.Context, serverURL string, keep bool) (string, func(), error) {
	conn, err := pgx.Connect(ctx, serverURL)
	if err != nil {
		return "", nil, fmt.Errorf("database server: %w", err)
	}
	name := fmt.Sprintf("tdkt_bench_%d", time.Now().UnixNano())
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		conn.Close(ctx)
		return "", nil, err
	}
	u, err := url.Parse(serverURL)
	if err != nil {
		conn.Close(ctx)
		return "", nil, err
	}
	u.Path = "/" + name
	drop := func() {
		defer conn.Close(context.Background())
		if keep {
			fmt.Println("kept database", name)
			return
		}
		if _, err := conn.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			fmt.Fprintln(os.Stderr, "drop database:", err)
		}
	}
	return u.String(), drop, nil
}

// benchUsers maps a unit to the ids of its clerk and appraiser.
type benchUsers map[string][2]int64

// buildCountry inserts the post-2025 shape: the ministry, the provinces and the
// communes spread evenly over them, with a clerk in every unit and an appraiser in the
// ministry and every province.
func buildCountry(ctx context.Context, pool *pgxpool.Pool, provinces, communes int) (benchUsers, error) {
	if provinces == seed.NationalProvinces && communes == seed.NationalCommunes {
		// The country as it is: the national skeleton (`tdkt seed national`).
		if _, err := seed.National(ctx, pool); err != nil {
			return nil, err
		}
		return addBenchUsers(ctx, pool)
	}
	var ids, parents, names, levels, kinds []string
	add := func(id, parent, name, level, kind string) {
		ids, parents, names, levels, kinds = append(ids, id), append(parents, parent), append(names, name), append(levels, level), append(kinds, kind)
	}
	add("TW", "", "Bộ Lao động - Thương binh và Xã hội", "central", "ministry")
	for p := 1; p <= provinces; p++ {
		pid := fmt.Sprintf("T%02d", p)
		add(pid, "TW", fmt.Sprintf("UBND tỉnh số %d", p), "province", campaigns.AdministrativeKind)
		n := communes / provinces
		if p <= communes%provinces {
			n++
		}
		for c := 1; c <= n; c++ {
			add(fmt.Sprintf("%s-X%03d", pid, c), pid, fmt.Sprintf("UBND xã %d-%d", p, c), "commune", campaigns.AdministrativeKind)
		}
	}
	if _, err := pool.Exec(ctx, `INSERT INTO units (id, parent_id, name, level, kind)
		SELECT u.id, nullif(u.parent, ''), u.name, u.level, u.kind
		FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS u(id, parent, name, level, kind, n)
		ORDER BY u.n`, ids, parents, names, levels, kinds); err != nil {
		return nil, fmt.Errorf("units: %w", err)
	}
	return addBenchUsers(ctx, pool)
}

// addBenchUsers gives every unit a clerk, and the ministry and every province an
// appraiser.
func addBenchUsers(ctx context.Context, pool *pgxpool.Pool) (benchUsers, error) {
	if _, err := pool.Exec(ctx, `WITH u AS (
			INSERT INTO users (username, full_name, password_hash, unit_id)
			SELECT 'clerk.' || lower(id), 'Văn thư ' || id, 'x', id FROM units
			UNION ALL SELECT 'appraiser.' || lower(id), 'Thẩm định ' || id, 'x', id FROM units WHERE level <> 'commune'
			RETURNING id, username, unit_id)
		INSERT INTO role_assignments (user_id, role, unit_id) SELECT id, split_part(username, '.', 1), unit_id FROM u`); err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	rows, err := pool.Query(ctx, `SELECT r.unit_id, r.role, r.user_id FROM role_assignments r`)
	if err != nil {
		return nil, err
	}
	users := benchUsers{}
	var unit, role string
	var id int64
	_, err = pgx.ForEachRow(rows, []any{&unit, &role, &id}, func() error {
		u := users[unit]
		if role == "clerk" {
			u[0] = id
		} else {
			u[1] = id
		}
		users[unit] = u
		return nil
	})
	return users, err
}

// workerProcess is the worker running as a child process.
type workerProcess struct {
	cmd     *exec.Cmd
	out     *bufio.Scanner
	stopped bool
}

func startWorkerProcess(cfg config, dbURL string) (*workerProcess, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	args := []string{"-worker", "-temporal", cfg.temporal, "-namespace", cfg.namespace, "-database-url", dbURL}
	if cfg.profile != "" {
		args = append(args, "-cpuprofile", filepath.Join(cfg.profile, "worker.pprof"))
	}
	cmd := exec.Command(self, args...)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	w := &workerProcess{cmd: cmd, out: bufio.NewScanner(stdout)}
	if !w.out.Scan() || w.out.Text() != "ready" {
		w.kill()
		return nil, fmt.Errorf("worker process did not start: %v", w.out.Err())
	}
	return w, nil
}

// stop ends the worker and returns its own figures and its peak RSS in KiB as the
// kernel accounted it for the child.
func (w *workerProcess) stop() (workerStats, int64, error) {
	var stats workerStats
	if err := w.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return stats, 0, err
	}
	var line string
	if w.out.Scan() {
		line = w.out.Text()
	}
	err := w.cmd.Wait()
	w.stopped = true
	if err != nil {
		return stats, 0, fmt.Errorf("worker process: %w", err)
	}
	if err := json.Unmarshal([]byte(line), &stats); err != nil {
		return stats, 0, fmt.Errorf("worker stats %q: %w", line, err)
	}
	rss := stats.MaxRSSKiB
	if ru, ok := w.cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = max(rss, ru.Maxrss)
	}
	return stats, rss, nil
}

func (w *workerProcess) kill() {
	if !w.stopped && w.cmd.Process != nil {
		_ = w.cmd.Process.Kill()
		_ = w.cmd.Wait()
		w.stopped = true
	}
}

// forEach runs fn over the items with n goroutines and returns the first error.
func forEach(n int, items []string, fn func(string) error) error {
	work := make(chan string)
	var first error
	var once sync.Once
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range work {
				if err := fn(it); err != nil {
					once.Do(func() { first = fmt.Errorf("%s: %w", it, err) })
				}
			}
		}()
	}
	for _, it := range items {
		work <- it
	}
	close(work)
	wg.Wait()
	return first
}

// openBenchDatabase creates the bench's own database on cfg's server, migrated and
// with the reference data, and returns its URL, a pool on it, and the function that
// closes the pool and drops the database (kept with -keep).
func openBenchDatabase(ctx context.Context, cfg config) (string, *pgxpool.Pool, func(), error) {
	dbURL, drop, err := createDatabase(ctx, cfg.databaseURL, cfg.keep)
	if err != nil {
		return "", nil, nil, err
	}
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		drop()
		return "", nil, nil, err
	}
	done := func() { pool.Close(); drop() }
	if _, err := postgres.Migrate(ctx, pool); err != nil {
		done()
		return "", nil, nil, err
	}
	if err := seed.Reference(ctx, pool); err != nil {
		done()
		return "", nil, nil, err
	}
	return dbURL, pool, done, nil
}
