package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tdkt/tdkt/internal/authz"
	"github.com/tdkt/tdkt/internal/authz/national"
	"github.com/tdkt/tdkt/internal/seed"
)

// machine describes where a benchmark ran; figures mean little without it.
type machine struct {
	Host      string    `json:"host"`
	CPU       string    `json:"cpu"`
	CPUs      int       `json:"cpus"`
	GOOS      string    `json:"goos"`
	GOARCH    string    `json:"goarch"`
	Go        string    `json:"go"`
	LoadStart string    `json:"loadavg_start"` // /proc/loadavg when the run started
	LoadEnd   string    `json:"loadavg_end"`
	Date      time.Time `json:"date"`
}

func describeMachine() machine {
	m := machine{CPUs: runtime.NumCPU(), GOOS: runtime.GOOS, GOARCH: runtime.GOARCH, Go: runtime.Version(), Date: time.Now().UTC(), LoadStart: loadavg()}
	m.Host, _ = os.Hostname()
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	return m
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	return strings.Join(f[:min(3, len(f))], " ")
}

// latencyJSON is a latency summary in microseconds.
type latencyJSON struct {
	N         int     `json:"n"`
	P50us     float64 `json:"p50_us"`
	P95us     float64 `json:"p95_us"`
	P99us     float64 `json:"p99_us"`
	P999us    float64 `json:"p999_us"`
	MaxUs     float64 `json:"max_us"`
	PerSecond float64 `json:"per_second"`
}

func toJSON(l national.Latencies) latencyJSON {
	us := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e3 }
	return latencyJSON{N: l.N, P50us: us(l.P50), P95us: us(l.P95), P99us: us(l.P99), P999us: us(l.P999), MaxUs: us(l.Max), PerSecond: l.PerSecond}
}

// authzReport is the JSON of the authorization scenario.
type authzReport struct {
	Scenario string  `json:"scenario"`
	Machine  machine `json:"machine"`
	Params   struct {
		Provinces   int `json:"provinces"`
		Communes    int `json:"communes"`
		Units       int `json:"units"`
		Assignments int `json:"assignments"`
		Users       int `json:"users"`
		Decisions   int `json:"decisions"`
		Changes     int `json:"changes"`
		Replicas    int `json:"replicas"`
	} `json:"params"`
	BuildSeconds       float64                `json:"build_seconds"`         // authz.New from memory
	LoadSeconds        float64                `json:"load_seconds"`          // authz.Load from PostgreSQL
	HeapMiB            float64                `json:"heap_mib"`              // live heap of one enforcer
	DecisionsCold      latencyJSON            `json:"decisions_cold"`        // first pass, one goroutine
	DecisionsWarm      latencyJSON            `json:"decisions_warm"`        // same questions again
	ParallelPerSecond  float64                `json:"parallel_per_second"`   // GOMAXPROCS goroutines
	FullReloadMs       float64                `json:"full_reload_ms"`        // what every notification cost before
	CommitToDecisionMs map[string]latencyJSON `json:"commit_to_decision_ms"` // per kind of change; "us" fields hold ms here
	FullReloads        int64                  `json:"full_reloads_during_changes"`
}

// runAuthz measures authorization over a generated national tree: building the
// enforcer, its heap, decision latencies, and the time from a role grant or revocation
// committed in PostgreSQL to a following enforcer deciding with it.
func runAuthz(ctx context.Context, cfg config) error {
	rep := authzReport{Scenario: "authz", Machine: describeMachine()}
	tree, err := national.Generate(cfg.assignments, 1)
	if err != nil {
		return err
	}
	users := int(tree.NextUser - 1)
	rep.Params.Provinces, rep.Params.Communes, rep.Params.Units = national.Provinces, national.Communes, len(tree.Units)
	rep.Params.Assignments, rep.Params.Users, rep.Params.Decisions, rep.Params.Changes = len(tree.Assignments), users, cfg.decisions, cfg.changes
	rep.Params.Replicas = max(1, cfg.replicas)
	fmt.Printf("national tree: %d units (1 ministry, %d provinces, %d communes), %d role assignments of %d users\n",
		len(tree.Units), national.Provinces, national.Communes, len(tree.Assignments), users)

	// Build and heap, from memory.
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	t0 := time.Now()
	e, err := authz.New(tree.Units, tree.Assignments)
	if err != nil {
		return err
	}
	rep.BuildSeconds = time.Since(t0).Seconds()
	runtime.GC()
	runtime.ReadMemStats(&after)
	rep.HeapMiB = float64(after.HeapAlloc-before.HeapAlloc) / (1 << 20)

	// Decisions.
	reqs := national.Requests(tree, cfg.decisions, 2)
	cold, err := national.MeasureDecisions(e.Allow, reqs)
	if err != nil {
		return err
	}
	warm, err := national.MeasureDecisions(e.Allow, reqs)
	if err != nil {
		return err
	}
	rep.DecisionsCold, rep.DecisionsWarm = toJSON(cold), toJSON(warm)
	rep.ParallelPerSecond = parallelDecisions(e, reqs)
	runtime.KeepAlive(e)
	e = nil

	// PostgreSQL: the same tree and assignments, a following enforcer, and changes.
	_, pool, done, err := openBenchDatabase(ctx, cfg)
	if err != nil {
		return err
	}
	defer done()
	t0 = time.Now()
	if err := insertNational(ctx, pool, tree, cfg.changes); err != nil {
		return err
	}
	fmt.Printf("inserted into PostgreSQL in %.1f s\n", time.Since(t0).Seconds())
	t0 = time.Now()
	f, err := authz.Load(ctx, pool, time.Now())
	if err != nil {
		return err
	}
	rep.LoadSeconds = time.Since(t0).Seconds()
	var reloads []time.Duration
	for range 3 {
		t0 := time.Now()
		if err := f.Reload(ctx, pool, time.Now()); err != nil {
			return err
		}
		reloads = append(reloads, time.Since(t0))
	}
	slices.Sort(reloads)
	rep.FullReloadMs = float64(reloads[1].Microseconds()) / 1e3

	// Every replica follows the database on its own connection; the first one is f.
	followers := []*authz.Enforcer{f}
	for len(followers) < rep.Params.Replicas {
		g, err := authz.Load(ctx, pool, time.Now())
		if err != nil {
			return err
		}
		followers = append(followers, g)
	}
	fctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() { cancel(); wg.Wait() }()
	var r0 int64
	for _, g := range followers {
		before, _ := g.FollowCounts()
		wg.Add(1)
		go func() {
			defer wg.Done()
			g.Follow(fctx, pool, time.Now, 100*time.Millisecond, func(err error) { fmt.Fprintln(os.Stderr, "follow:", err) })
		}()
		for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(time.Millisecond) {
			if r, _ := g.FollowCounts(); r > before {
				break
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("a follower never loaded")
			}
		}
		r, _ := g.FollowCounts()
		r0 += r
	}
	rep.CommitToDecisionMs, err = measureChanges(ctx, pool, followers, tree, users, cfg.changes)
	if err != nil {
		return err
	}
	for _, g := range followers {
		r, _ := g.FollowCounts()
		rep.FullReloads += r
	}
	rep.FullReloads -= r0
	rep.Machine.LoadEnd = loadavg()
	printAuthz(rep)
	if cfg.jsonOut != "" {
		b, err := json.MarshalIndent(rep, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(cfg.jsonOut, append(b, '\n'), 0o644); err != nil {
			return err
		}
		fmt.Println("wrote", cfg.jsonOut)
	}
	return nil
}

// parallelDecisions asks the questions from GOMAXPROCS goroutines and returns decisions/s.
func parallelDecisions(e *authz.Enforcer, reqs []national.Request) float64 {
	n := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(reqs); i += n {
				r := reqs[i]
				_, _ = e.Allow(r.User, r.Unit, r.Obj, r.Act)
			}
		}()
	}
	wg.Wait()
	return float64(len(reqs)) / time.Since(start).Seconds()
}

// insertNational writes the tree, its users and assignments, and changes more users
// without roles (the users the grants go to).
func insertNational(ctx context.Context, pool *pgxpool.Pool, t national.Tree, extra int) error {
	// The tree is the national skeleton (national.Generate builds on it): loaded as
	// `tdkt seed national` loads it.
	if _, err := seed.National(ctx, pool); err != nil {
		return err
	}
	if _, err := pool.Exec(ctx, `INSERT INTO users (id, username, full_name, password_hash, unit_id)
		OVERRIDING SYSTEM VALUE
		SELECT i, 'u' || i, 'Người dùng ' || i, 'x', $2 FROM generate_series(1, $1::bigint) AS i`,
		t.NextUser-1+int64(extra), national.Root); err != nil {
		return fmt.Errorf("users: %w", err)
	}
	if _, err := pool.Exec(ctx, `SELECT setval(pg_get_serial_sequence('users', 'id'), $1)`, t.NextUser-1+int64(extra)); err != nil {
		return fmt.Errorf("users sequence: %w", err)
	}
	rows := make([][]any, len(t.Assignments))
	for i, a := range t.Assignments {
		rows[i] = []any{a.UserID, a.Role, a.UnitID}
	}
	if _, err := pool.CopyFrom(ctx, pgx.Identifier{"role_assignments"}, []string{"user_id", "role", "unit_id"}, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("role assignments: %w", err)
	}
	return nil
}

// measureChanges grants the decider role to users holding nothing, in a commune, a
// province or the ministry in turn, each by an INSERT committed on its own, and waits
// until every follower (replica) allows the decision there; then revokes it and waits
// until every one denies it. It returns the commit-to-decision times of the last
// replica per kind of change, in ms.
func measureChanges(ctx context.Context, pool *pgxpool.Pool, followers []*authz.Enforcer, t national.Tree, users, n int) (map[string]latencyJSON, error) {
	kinds := []string{"grant_commune", "grant_province", "grant_ministry", "revoke_commune", "revoke_province", "revoke_ministry"}
	samples := map[string][]time.Duration{}
	wait := func(user int64, unit string, want bool) (time.Duration, error) {
		start := time.Now()
		pending := slices.Clone(followers)
		for deadline := start.Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Microsecond) {
			for i := 0; i < len(pending); {
				ok, err := pending[i].Allow(user, unit, authz.ObjectNomination, authz.ActionDecide)
				if err != nil {
					return 0, err
				}
				if ok == want {
					pending = slices.Delete(pending, i, i+1)
					continue
				}
				i++
			}
			if len(pending) == 0 {
				return time.Since(start), nil
			}
		}
		return 0, fmt.Errorf("user %d in %s: %d of %d followers never saw the change", user, unit, len(pending), len(followers))
	}
	for i := range n {
		user := int64(users + 1 + i)
		level := []string{"commune", "province", "ministry"}[i%3]
		unit := national.Root
		switch level {
		case "commune":
			unit = t.CommuneIDs[(i*97)%len(t.CommuneIDs)]
		case "province":
			unit = t.ProvinceIDs[i%len(t.ProvinceIDs)]
		}
		if ok, _ := followers[0].Allow(user, unit, authz.ObjectNomination, authz.ActionDecide); ok {
			return nil, fmt.Errorf("user %d decides in %s before any grant", user, unit)
		}
		if _, err := pool.Exec(ctx, `INSERT INTO role_assignments (user_id, role, unit_id) VALUES ($1, 'decider', $2)`, user, unit); err != nil {
			return nil, err
		}
		d, err := wait(user, unit, true)
		if err != nil {
			return nil, err
		}
		samples["grant_"+level] = append(samples["grant_"+level], d)
		if _, err := pool.Exec(ctx, `DELETE FROM role_assignments WHERE user_id = $1`, user); err != nil {
			return nil, err
		}
		d, err = wait(user, unit, false)
		if err != nil {
			return nil, err
		}
		samples["revoke_"+level] = append(samples["revoke_"+level], d)
	}
	out := map[string]latencyJSON{}
	for _, k := range kinds {
		l := toJSON(national.Summarise(samples[k], 0))
		// Reported in milliseconds: the microsecond fields hold ms here.
		l.P50us, l.P95us, l.P99us, l.P999us, l.MaxUs = l.P50us/1e3, l.P95us/1e3, l.P99us/1e3, l.P999us/1e3, l.MaxUs/1e3
		out[k] = l
	}
	return out, nil
}

func printAuthz(r authzReport) {
	fmt.Printf("\nauthorization at national scale — %s, %d CPUs (%s), load average %s → %s, %s\n",
		r.Machine.Host, r.Machine.CPUs, r.Machine.CPU, r.Machine.LoadStart, r.Machine.LoadEnd, r.Machine.Date.Format(time.RFC3339))
	fmt.Printf("  %-52s %10s %10s %10s %10s %12s\n", "", "p50", "p95", "p99", "max", "per second")
	row := func(name string, l latencyJSON, unit string) {
		fmt.Printf("  %-52s %8.1f%s %8.1f%s %8.1f%s %8.1f%s %12.0f\n", name, l.P50us, unit, l.P95us, unit, l.P99us, unit, l.MaxUs, unit, l.PerSecond)
	}
	row(fmt.Sprintf("decision, first pass (%d questions)", r.DecisionsCold.N), r.DecisionsCold, "µs")
	row("decision, same questions again", r.DecisionsWarm, "µs")
	fmt.Printf("  %-52s %54.0f\n", fmt.Sprintf("decisions/s from %d goroutines", runtime.GOMAXPROCS(0)), r.ParallelPerSecond)
	for _, k := range []string{"grant_commune", "grant_province", "grant_ministry", "revoke_commune", "revoke_province", "revoke_ministry"} {
		row(fmt.Sprintf("commit → all %d replicas decide, %s", r.Params.Replicas, strings.ReplaceAll(k, "_", " ")), r.CommitToDecisionMs[k], "ms")
	}
	fmt.Printf("  build from memory %.2f s; load from PostgreSQL %.2f s; heap of one enforcer %.0f MiB\n", r.BuildSeconds, r.LoadSeconds, r.HeapMiB)
	fmt.Printf("  a full reload (what every notification cost before incremental changes): %.0f ms; full reloads during the %d changes: %d\n",
		r.FullReloadMs, 2*r.Params.Changes, r.FullReloads)
}
