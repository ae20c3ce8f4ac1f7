package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/tdkt/tdkt/internal/authz/national"
	tdktconfig "github.com/tdkt/tdkt/internal/config"
	"github.com/tdkt/tdkt/internal/devenv/devtemporal"
	"github.com/tdkt/tdkt/internal/password"
	"github.com/tdkt/tdkt/internal/postgres"
	"github.com/tdkt/tdkt/internal/seed"
)

// The actions scenario: C clients drive N dossiers over HTTP through tdkt serve and
// tdkt worker (separate processes, as in production) through create, submit,
// accept, approve and decide, and, on the same Temporal server, N no-op workflows
// through a start and four updates that each run a no-op local activity (the bare
// Temporal figure). Both count five actions per item; the ratio of the two rates is
// what tdkt costs on top of Temporal.

// bareTaskQueue is the task queue of the bare workflow, registered by the bench's
// own worker process (tdkt-bench -bare-worker).
const bareTaskQueue = "tdkt-bench-bare"

// bareUpdate is the update the bare workflow handles.
const bareUpdate = "act"

// bareWorkflow waits for updates; each runs a no-op local activity and returns the
// number of updates so far; the update sent with last=true ends the workflow.
func bareWorkflow(ctx workflow.Context) (int, error) {
	n, done := 0, false
	if err := workflow.SetUpdateHandler(ctx, bareUpdate, func(ctx workflow.Context, last bool) (int, error) {
		lctx := workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{StartToCloseTimeout: 10 * time.Second})
		if err := workflow.ExecuteLocalActivity(lctx, bareNoop).Get(ctx, nil); err != nil {
			return 0, err
		}
		n++
		done = done || last
		return n, nil
	}); err != nil {
		return 0, err
	}
	err := workflow.Await(ctx, func() bool { return done && workflow.AllHandlersFinished(ctx) })
	return n, err
}

func bareNoop(context.Context) error { return nil }

// runBareWorker runs the bare workflow's worker until stopped (a child process of
// the bench, as tdkt worker is a process of its own).
func runBareWorker(ctx context.Context, cfg config) error {
	tc, err := client.Dial(client.Options{HostPort: cfg.temporal, Namespace: cfg.namespace, Logger: quietLogger()})
	if err != nil {
		return err
	}
	defer tc.Close()
	// As many workflow task polls as tdkt's worker keeps open.
	w := worker.New(tc, bareTaskQueue, worker.Options{MaxConcurrentWorkflowTaskPollers: tdktconfig.DefaultWorkflowTaskPollers})
	w.RegisterWorkflow(bareWorkflow)
	w.RegisterActivity(bareNoop)
	if err := w.Start(); err != nil {
		return err
	}
	fmt.Println("ready")
	<-ctx.Done()
	w.Stop()
	return nil
}

// actionsSteps are the five actions of a dossier, in order, with who takes them: a
// commune's Giấy khen on the demo data is created and submitted by the commune's
// clerk, accepted and approved by its appraiser and decided by its chairman.
var actionsSteps = []struct{ name, user string }{
	{"create", "xa.clerk"}, {"submit", "xa.clerk"}, {"accept", "xa.appraiser"},
	{"approve", "xa.appraiser"}, {"decide", "xa.decider"},
}

// bareSteps name the bare workflow's five actions.
var bareSteps = []string{"start", "update 1", "update 2", "update 3", "update 4"}

// phaseJSON is one side of the comparison.
type phaseJSON struct {
	Items          int                    `json:"items"`
	Actions        int                    `json:"actions"`
	Seconds        float64                `json:"seconds"`
	ActionsPerSec  float64                `json:"actions_per_second"`
	All            latencyJSON            `json:"all_actions"` // ms in the *_us fields
	PerStep        map[string]latencyJSON `json:"per_step"`    // ms in the *_us fields
	ItemsPerSecond float64                `json:"items_per_second"`
	// CPUms is the CPU time per action of the processes on this machine over the
	// phase (absent for processes the bench did not start).
	CPUms *cpuJSON `json:"cpu_ms_per_action,omitempty"`
}

// cpuJSON is CPU time per action, in ms, by process.
type cpuJSON struct {
	Total    float64 `json:"total"`
	Bench    float64 `json:"bench_process"` // the clients and, when the bench started it, the dev Temporal server
	Serve    float64 `json:"serve,omitempty"`
	Worker   float64 `json:"worker"` // tdkt worker, or the bare workflow's worker
	Postgres float64 `json:"postgres_backends,omitempty"`
}

// cpuPer is the CPU time of u per action or read, in milliseconds, of n.
func cpuPer(u cpuUse, n int) *cpuJSON {
	per := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1e3 / float64(n) }
	return &cpuJSON{Total: per(u.Total()), Bench: per(u.Bench), Serve: per(u.Serve), Worker: per(u.Worker), Postgres: per(u.Postgres)}
}

// actionsReport is the JSON of the actions scenario.
type actionsReport struct {
	Scenario string  `json:"scenario"`
	Machine  machine `json:"machine"`
	Params   struct {
		Clients  int      `json:"clients"`
		Dossiers int      `json:"dossiers"`
		Warmup   int      `json:"warmup"`
		Temporal string   `json:"temporal"` // "dev server (SQLite file)" or the address given
		API      []string `json:"api"`
		Topology string   `json:"topology"`
		// BareStart: "with-update" (the start and the first update in one call) or
		// "separate" (the first update a call of its own after the start).
		BareStart string `json:"bare_start"`
	} `json:"params"`
	Bare  phaseJSON `json:"bare_temporal"`
	Tdkt  phaseJSON `json:"tdkt"`
	Ratio float64   `json:"ratio"` // tdkt actions/s ÷ bare actions/s
	// Checked says what was verified after the run (every dossier decided, the audit
	// chain intact); empty when the bench does not own the database (-api).
	Checked string `json:"checked,omitempty"`
	// LockWaits were sampled in tdkt's database during its phase (not with -api).
	LockWaits *lockWaitsJSON `json:"lock_waits,omitempty"`
}

// timings collects the latency of every action, per step, under a lock.
type timings struct {
	mu    sync.Mutex
	steps map[string][]time.Duration
	all   []time.Duration
}

func (t *timings) add(step string, d time.Duration) {
	t.mu.Lock()
	if t.steps == nil {
		t.steps = map[string][]time.Duration{}
	}
	t.steps[step] = append(t.steps[step], d)
	t.all = append(t.all, d)
	t.mu.Unlock()
}

func msJSON(samples []time.Duration, wall time.Duration) latencyJSON {
	l := toJSON(national.Summarise(samples, wall))
	l.P50us, l.P95us, l.P99us, l.P999us, l.MaxUs = l.P50us/1e3, l.P95us/1e3, l.P99us/1e3, l.P999us/1e3, l.MaxUs/1e3
	return l
}

func (t *timings) phase(items int, wall time.Duration) phaseJSON {
	p := phaseJSON{Items: items, Actions: len(t.all), Seconds: wall.Seconds(), PerStep: map[string]latencyJSON{}}
	p.ActionsPerSec = float64(len(t.all)) / wall.Seconds()
	p.ItemsPerSecond = float64(items) / wall.Seconds()
	p.All = msJSON(t.all, wall)
	for k, v := range t.steps {
		p.PerStep[k] = msJSON(v, wall)
	}
	return p
}

// runActions runs the actions scenario.
func runActions(ctx context.Context, cfg config) error {
	if cfg.clients < 1 || cfg.dossiers < 1 {
		return errors.New("need at least one client and one dossier")
	}
	if cfg.bareStart != "with-update" && cfg.bareStart != "separate" {
		return fmt.Errorf("-bare-start %q: with-update or separate", cfg.bareStart)
	}
	rep := actionsReport{Scenario: "actions", Machine: describeMachine()}
	rep.Params.Clients, rep.Params.Dossiers, rep.Params.Warmup = cfg.clients, cfg.dossiers, min(cfg.clients, cfg.dossiers)
	fmt.Printf("load average at start: %s\n", rep.Machine.LoadStart)
	tmp, err := os.MkdirTemp("", "tdkt-bench-actions-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	rep.Params.Temporal = cfg.temporal
	if cfg.temporal == "" {
		// The dev server of `tdkt dev`: one process, state in a SQLite file.
		ts, err := devtemporal.StartTemporal(ctx, devtemporal.TemporalOptions{DBFile: filepath.Join(tmp, "temporal.db"), Namespace: cfg.namespace})
		if err != nil {
			return err
		}
		defer ts.Stop() //nolint:errcheck // best effort on the way out
		cfg.temporal = ts.HostPort
		rep.Params.Temporal = "dev server (SQLite file, in the bench process)"
		fmt.Printf("dev Temporal server (SQLite file) at %s\n", ts.HostPort)
	}
	tc, err := client.Dial(client.Options{HostPort: cfg.temporal, Namespace: cfg.namespace, Logger: quietLogger()})
	if err != nil {
		return err
	}
	defer tc.Close()

	var verify func(ctx context.Context, ids []string) (string, error)
	var servePprof, workerPprof string
	// The CPU of tdkt's processes is measured when the bench started them.
	var tdktMeter func() (*cpuMeter, error)
	var sampler func() func() lockWaitsJSON
	if cfg.api == "" {
		bin := cfg.tdktBin
		if bin == "" {
			bin = filepath.Join(tmp, "tdkt")
			t0 := time.Now()
			if out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/tdkt").CombinedOutput(); err != nil {
				return fmt.Errorf("go build ./cmd/tdkt (run from the repository): %v\n%s", err, out)
			}
			fmt.Printf("built tdkt in %.0f s\n", time.Since(t0).Seconds())
		}
		dbURL, pool, done, err := openBenchDatabase(ctx, cfg)
		if err != nil {
			return err
		}
		defer done()
		if _, _, err := seed.DemoToday(ctx, pool, password.Hasher{Cost: 4}.Hash); err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
		httpPort, opsPort := freePort(), freePort()
		env := []string{"DATABASE_URL=" + dbURL, "TEMPORAL_ADDRESS=" + cfg.temporal, "TEMPORAL_NAMESPACE=" + cfg.namespace,
			"TDKT_BCRYPT_COST=4", "TDKT_LOG_LEVEL=warn"}
		if cfg.profile != "" {
			servePprof, workerPprof = "127.0.0.1:"+strconv.Itoa(freePort()), "127.0.0.1:"+strconv.Itoa(freePort())
		}
		serve, err := startTdkt(bin, "serve", append(env, "TDKT_PPROF_ADDR="+servePprof), "TDKT_HTTP_ADDR=127.0.0.1:"+strconv.Itoa(httpPort), filepath.Join(tmp, "serve.log"))
		if err != nil {
			return err
		}
		defer stopProcess(serve)
		wk, err := startTdkt(bin, "worker", append(env, "TDKT_PPROF_ADDR="+workerPprof), "TDKT_OPS_ADDR=127.0.0.1:"+strconv.Itoa(opsPort), filepath.Join(tmp, "worker.log"))
		if err != nil {
			return err
		}
		defer stopProcess(wk)
		cfg.api = "http://127.0.0.1:" + strconv.Itoa(httpPort)
		for _, u := range []string{cfg.api, "http://127.0.0.1:" + strconv.Itoa(opsPort)} {
			if err := waitReady(ctx, u, 2*time.Minute); err != nil {
				b, _ := os.ReadFile(filepath.Join(tmp, "serve.log"))
				c, _ := os.ReadFile(filepath.Join(tmp, "worker.log"))
				return fmt.Errorf("%w\nserve log:\n%s\nworker log:\n%s", err, tail(b), tail(c))
			}
		}
		rep.Params.Topology = "tdkt serve + tdkt worker, one process each, started by the bench"
		tdktMeter = func() (*cpuMeter, error) { return startCPUMeter(ctx, pool, wk.Process.Pid, serve.Process.Pid) }
		sampler = func() func() lockWaitsJSON { return sampleLockWaits(ctx, pool, 50*time.Millisecond) }
		verify = func(ctx context.Context, ids []string) (string, error) {
			var decided int
			if err := pool.QueryRow(ctx, `SELECT count(*) FROM nominations WHERE id::text = ANY($1) AND status = 'decided'`, ids).Scan(&decided); err != nil {
				return "", err
			}
			if decided != len(ids) {
				return "", fmt.Errorf("%d of %d dossiers decided", decided, len(ids))
			}
			ar, err := (postgres.DB{Pool: pool}).VerifyAuditChain(ctx)
			if err != nil {
				return "", err
			}
			if ar.Break != nil {
				return "", fmt.Errorf("audit chain broken after the run: %s", ar.Break)
			}
			return fmt.Sprintf("%d dossiers decided; audit chain intact over %d events", decided, ar.Events), nil
		}
	} else {
		rep.Params.Topology = "the given API (-api) and Temporal server (-temporal)"
	}
	rep.Params.API = strings.Split(cfg.api, ",")

	bw, err := startBareWorker(cfg)
	if err != nil {
		return err
	}
	defer stopProcess(bw)

	d := &httpDriver{urls: rep.Params.API, tokens: map[string]string{},
		client: &http.Client{Timeout: 2 * time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 4 * cfg.clients, MaxConnsPerHost: 0}}}
	for _, s := range actionsSteps {
		if _, err := d.token(ctx, s.user); err != nil {
			return err
		}
	}
	runID := strconv.FormatInt(time.Now().UnixNano(), 36)

	// Warm-up: one item per client on each side, not counted.
	warm := rep.Params.Warmup
	var discard timings
	if _, err := driveBare(ctx, tc, cfg.clients, warm, runID+"-warm", cfg.bareStart == "with-update", &discard); err != nil {
		return fmt.Errorf("bare warm-up: %w", err)
	}
	if _, _, err := d.drive(ctx, cfg.clients, warm, runID+"-warm", &discard); err != nil {
		return fmt.Errorf("tdkt warm-up: %w", err)
	}

	rep.Params.BareStart = cfg.bareStart
	fmt.Printf("bare Temporal: %d workflows × (start + 4 updates with a local activity; start %s), %d clients…\n", cfg.dossiers, cfg.bareStart, cfg.clients)
	var bt timings
	var stopBareProfile func() error
	if cfg.profile != "" {
		// The bare phase's profile is the bench process alone: the Temporal server
		// (when the bench started it) and the clients; its worker is not profiled.
		if stopBareProfile, err = startActionsProfiles(ctx, cfg.profile, "bare", nil); err != nil {
			return err
		}
	}
	bareMeter, err := startCPUMeter(ctx, nil, bw.Process.Pid, 0)
	if err != nil {
		return err
	}
	wall, err := driveBare(ctx, tc, cfg.clients, cfg.dossiers, runID, cfg.bareStart == "with-update", &bt)
	bareCPU, cerr := bareMeter.stop(ctx)
	if stopBareProfile != nil {
		if perr := stopBareProfile(); perr != nil {
			fmt.Fprintf(os.Stderr, "profiles: %v\n", perr)
		}
	}
	if err != nil {
		return fmt.Errorf("bare: %w", err)
	}
	if cerr != nil {
		return cerr
	}
	rep.Bare = bt.phase(cfg.dossiers, wall)
	rep.Bare.CPUms = cpuPer(bareCPU, rep.Bare.Actions)
	fmt.Printf("  %.0f actions/s\n", rep.Bare.ActionsPerSec)

	fmt.Printf("tdkt over HTTP: %d dossiers × (create, submit, accept, approve, decide), %d clients…\n", cfg.dossiers, cfg.clients)
	var tt timings
	var stopSampling func() lockWaitsJSON
	if sampler != nil {
		stopSampling = sampler()
	}
	var stopProfiles func() error
	if cfg.profile != "" {
		if stopProfiles, err = startActionsProfiles(ctx, cfg.profile, "bench", map[string]string{"serve": servePprof, "worker": workerPprof}); err != nil {
			return err
		}
	}
	var meter *cpuMeter
	if tdktMeter != nil {
		if meter, err = tdktMeter(); err != nil {
			return err
		}
	}
	wall, ids, err := d.drive(ctx, cfg.clients, cfg.dossiers, runID, &tt)
	var tdktCPU cpuUse
	var cerr2 error
	if meter != nil {
		tdktCPU, cerr2 = meter.stop(ctx)
	}
	if stopProfiles != nil {
		if perr := stopProfiles(); perr != nil {
			fmt.Fprintf(os.Stderr, "profiles: %v\n", perr)
		}
	}
	if stopSampling != nil {
		lw := stopSampling()
		rep.LockWaits = &lw
	}
	if err != nil {
		return fmt.Errorf("tdkt: %w", err)
	}
	if cerr2 != nil {
		return cerr2
	}
	rep.Tdkt = tt.phase(cfg.dossiers, wall)
	if meter != nil {
		rep.Tdkt.CPUms = cpuPer(tdktCPU, rep.Tdkt.Actions)
	}
	fmt.Printf("  %.0f actions/s\n", rep.Tdkt.ActionsPerSec)
	rep.Ratio = rep.Tdkt.ActionsPerSec / rep.Bare.ActionsPerSec
	if verify != nil {
		if rep.Checked, err = verify(ctx, ids); err != nil {
			return err
		}
	}
	rep.Machine.LoadEnd = loadavg()
	printActions(rep)
	return writeJSON(cfg.jsonOut, rep)
}

// devServer names the dev Temporal server among the bench process's parts when the
// bench started it.
func devServer(r actionsReport) string {
	if strings.HasPrefix(r.Params.Temporal, "dev server") {
		return ", dev Temporal server"
	}
	return ""
}

// writeJSON writes v indented to path (nothing when path is empty).
func writeJSON(path string, v any) error {
	if path == "" {
		return nil
	}
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return err
	}
	fmt.Println("wrote", path)
	return nil
}

func printActions(r actionsReport) {
	fmt.Printf("\nactions vs bare Temporal — %s, %d CPUs (%s), load average %s → %s, %s\n",
		r.Machine.Host, r.Machine.CPUs, r.Machine.CPU, r.Machine.LoadStart, r.Machine.LoadEnd, r.Machine.Date.Format(time.RFC3339))
	fmt.Printf("  %d clients, %d items each side (5 actions per item), %d warm-up items; Temporal: %s\n  tdkt: %s; bare start: %s\n",
		r.Params.Clients, r.Params.Dossiers, r.Params.Warmup, r.Params.Temporal, r.Params.Topology, r.Params.BareStart)
	fmt.Printf("  %-44s %9s %9s %9s %9s %12s\n", "", "p50", "p95", "p99", "max", "actions/s")
	row := func(name string, l latencyJSON, rate float64) {
		rs := ""
		if rate > 0 {
			rs = fmt.Sprintf("%12.1f", rate)
		}
		fmt.Printf("  %-44s %7.1fms %7.1fms %7.1fms %7.1fms %s\n", name, l.P50us, l.P95us, l.P99us, l.MaxUs, rs)
	}
	row("bare Temporal, every action", r.Bare.All, r.Bare.ActionsPerSec)
	for _, s := range bareSteps {
		row("  "+s, r.Bare.PerStep[s], 0)
	}
	row("tdkt over HTTP, every action", r.Tdkt.All, r.Tdkt.ActionsPerSec)
	for _, s := range actionsSteps {
		row("  "+s.name+" ("+s.user+")", r.Tdkt.PerStep[s.name], 0)
	}
	fmt.Printf("  tdkt ÷ bare: %.2f  (%.1f vs %.1f actions/s; %.1f vs %.1f s wall)\n",
		r.Ratio, r.Tdkt.ActionsPerSec, r.Bare.ActionsPerSec, r.Tdkt.Seconds, r.Bare.Seconds)
	if c := r.Bare.CPUms; c != nil {
		fmt.Printf("  CPU per bare action: %.2f ms = bench process (clients%s) %.2f + bare worker %.2f\n",
			c.Total, devServer(r), c.Bench, c.Worker)
	}
	if c := r.Tdkt.CPUms; c != nil {
		fmt.Printf("  CPU per tdkt action: %.2f ms = bench process (clients%s) %.2f + tdkt serve %.2f + tdkt worker %.2f + PostgreSQL backends %.2f\n",
			c.Total, devServer(r), c.Bench, c.Serve, c.Worker, c.Postgres)
	}
	if l := r.LockWaits; l != nil {
		fmt.Printf("  tdkt's database, sampled every 50 ms (%d samples): %.2f sessions waiting for a lock on average, %.2f of them in an audit insert (the chain head); an audit insert waiting in %.0f%% of samples, at most %d at once\n",
			l.Samples, l.MeanWaiting, l.MeanWaitingAudit, 100*l.ShareAudit, l.MaxAudit)
		for _, w := range l.Waiting {
			fmt.Printf("    %.2f waiting in: %s\n", w.MeanWaiting, w.Statement)
		}
	}
	if r.Checked != "" {
		fmt.Println("  checked:", r.Checked)
	}
}

// driveBare runs items bare workflows with n clients: each starts one and sends it
// four updates. It returns the wall time.
//
// withStart sends the start and the first update in one call (UpdateWithStartWorkflow);
// otherwise the first update follows the start as a call of its own, as tdkt's
// submit follows its create, and waits for the workflow's first task.
func driveBare(ctx context.Context, tc client.Client, n, items int, runID string, withStart bool, t *timings) (time.Duration, error) {
	start := time.Now()
	err := forEachN(ctx, n, items, func(i int) error {
		id := fmt.Sprintf("bench-bare-%s-%d", runID, i)
		opts := client.StartWorkflowOptions{ID: id, TaskQueue: bareTaskQueue}
		first := 1
		t0 := time.Now()
		if withStart {
			// The start and the first update in one call: the update is delivered with
			// the first workflow task instead of waiting for it.
			opts.WorkflowIDConflictPolicy = enumspb.WORKFLOW_ID_CONFLICT_POLICY_FAIL
			h, err := tc.UpdateWithStartWorkflow(ctx, client.UpdateWithStartWorkflowOptions{
				StartWorkflowOperation: tc.NewWithStartWorkflowOperation(opts, bareWorkflow),
				UpdateOptions: client.UpdateWorkflowOptions{WorkflowID: id, UpdateName: bareUpdate, Args: []any{false},
					WaitForStage: client.WorkflowUpdateStageCompleted}})
			if err != nil {
				return err
			}
			var got int
			if err := h.Get(ctx, &got); err != nil {
				return err
			}
			if got != 1 {
				return fmt.Errorf("workflow %s: update 1 answered %d", id, got)
			}
			// One call, two actions: one sample under each name.
			d := time.Since(t0)
			t.add(bareSteps[0], d)
			t.add(bareSteps[1], d)
			first = 2
		} else {
			if _, err := tc.ExecuteWorkflow(ctx, opts, bareWorkflow); err != nil {
				return err
			}
			t.add(bareSteps[0], time.Since(t0))
		}
		for u := first; u <= 4; u++ {
			t0 := time.Now()
			h, err := tc.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{WorkflowID: id, UpdateName: bareUpdate,
				Args: []any{u == 4}, WaitForStage: client.WorkflowUpdateStageCompleted})
			if err != nil {
				return err
			}
			var got int
			if err := h.Get(ctx, &got); err != nil {
				return err
			}
			if got != u {
				return fmt.Errorf("workflow %s: update %d answered %d", id, u, got)
			}
			t.add(bareSteps[u], time.Since(t0))
		}
		return nil
	})
	return time.Since(start), err
}

// httpDriver drives dossiers over tdkt's JSON API, round-robin over its URLs.
type httpDriver struct {
	urls   []string
	client *http.Client
	rr     atomic.Int64
	mu     sync.Mutex
	tokens map[string]string
}

func (d *httpDriver) base() string { return d.urls[int(d.rr.Add(1))%len(d.urls)] }

func (d *httpDriver) token(ctx context.Context, user string) (string, error) {
	d.mu.Lock()
	tok, ok := d.tokens[user]
	d.mu.Unlock()
	if ok {
		return tok, nil
	}
	code, out, err := d.post(ctx, "", "/api/v1/login", map[string]string{"username": user, "password": seed.DemoPassword}, "")
	if err != nil {
		return "", err
	}
	tok, _ = out["token"].(string)
	if code != http.StatusOK || tok == "" {
		return "", fmt.Errorf("login %s: %d %v", user, code, out)
	}
	d.mu.Lock()
	d.tokens[user] = tok
	d.mu.Unlock()
	return tok, nil
}

func (d *httpDriver) post(ctx context.Context, tok, path string, body any, key string) (int, map[string]any, error) {
	js, err := json.Marshal(body)
	if err != nil {
		return 0, nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.base()+path, bytes.NewReader(js))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	res, err := d.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return 0, nil, err
	}
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	return res.StatusCode, out, nil
}

// drive moves items dossiers with n clients through the five actions, each request
// with an Idempotency-Key as a production client sends it. It returns the wall time
// and the dossiers' ids.
func (d *httpDriver) drive(ctx context.Context, n, items int, runID string, t *timings) (time.Duration, []string, error) {
	ids := make([]string, items)
	start := time.Now()
	err := forEachN(ctx, n, items, func(i int) error {
		body := map[string]any{"unit_id": seed.TodayCommune, "award_code": "GK", "year": 2026,
			"nominees": []map[string]any{{"kind": "individual", "name": fmt.Sprintf("Hoàng Văn Tùng %d", i), "job_title": "Trưởng thôn",
				"achievements": "Dẫn đầu phong trào giảm nghèo"}}}
		id := ""
		for _, s := range actionsSteps {
			tok, err := d.token(ctx, s.user)
			if err != nil {
				return err
			}
			path, want := "/api/v1/nominations", http.StatusCreated
			if s.name != "create" {
				path, want, body = "/api/v1/nominations/"+id+"/actions", http.StatusOK, map[string]any{"action": s.name}
			}
			t0 := time.Now()
			code, out, err := d.post(ctx, tok, path, body, fmt.Sprintf("bench-%s-%d-%s", runID, i, s.name))
			if err != nil {
				return fmt.Errorf("%s: %w", s.name, err)
			}
			if code != want {
				return fmt.Errorf("%s as %s: %d %v", s.name, s.user, code, out)
			}
			t.add(s.name, time.Since(t0))
			if s.name == "create" {
				if id, _ = out["id"].(string); id == "" {
					return fmt.Errorf("create: no id in %v", out)
				}
				ids[i] = id
			}
			if st, _ := out["status"].(string); s.name == "decide" && st != "decided" {
				return fmt.Errorf("dossier %s is %q after decide", id, st)
			}
		}
		return nil
	})
	return time.Since(start), ids, err
}

// forEachN runs fn(0..items-1) with n goroutines and returns the first error; after
// an error the remaining items are not started.
func forEachN(ctx context.Context, n, items int, fn func(int) error) error {
	var next atomic.Int64
	var first error
	var once sync.Once
	var failed atomic.Bool
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= items || failed.Load() || ctx.Err() != nil {
					return
				}
				if err := fn(i); err != nil {
					once.Do(func() { first = fmt.Errorf("item %d: %w", i, err); failed.Store(true) })
					return
				}
			}
		}()
	}
	wg.Wait()
	if first == nil {
		first = ctx.Err()
	}
	return first
}

// startTdkt starts bin cmd with the environment plus extra, its output in logPath.
func startTdkt(bin, cmd string, env []string, extra, logPath string) (*exec.Cmd, error) {
	f, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	c := exec.Command(bin, cmd)
	c.Env = append(append(os.Environ(), env...), extra)
	c.Stdout, c.Stderr = f, f
	if err := c.Start(); err != nil {
		f.Close()
		return nil, fmt.Errorf("start tdkt %s: %w", cmd, err)
	}
	return c, nil
}

// startBareWorker starts the bench itself as the bare workflow's worker.
func startBareWorker(cfg config) (*exec.Cmd, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	c := exec.Command(self, "-bare-worker", "-temporal", cfg.temporal, "-namespace", cfg.namespace)
	c.Stderr = os.Stderr
	out, err := c.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := c.Start(); err != nil {
		return nil, err
	}
	line := make([]byte, 6)
	if _, err := io.ReadFull(out, line); err != nil || string(line) != "ready\n" {
		stopProcess(c)
		return nil, fmt.Errorf("bare worker did not start: %v", err)
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()
	return c, nil
}

// stopProcess ends a child with SIGTERM (SIGKILL after 10 s) and waits for it.
func stopProcess(c *exec.Cmd) {
	if c == nil || c.Process == nil {
		return
	}
	_ = c.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = c.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = c.Process.Kill()
		<-done
	}
}

func freePort() int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// waitReady polls base/readyz until it answers 200.
func waitReady(ctx context.Context, base string, within time.Duration) error {
	deadline := time.Now().Add(within)
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/readyz", nil)
		res, err := http.DefaultClient.Do(req)
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("%s/readyz not ready within %v: %v", base, within, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func tail(b []byte) []byte {
	if len(b) > 3000 {
		return b[len(b)-3000:]
	}
	return b
}
