package clustertest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	mathrand "math/rand/v2"
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
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tdkt/tdkt/internal/pgtest"
	"github.com/tdkt/tdkt/internal/seed"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

const (
	dossiers    = 200
	concurrency = 8
	// budget bounds the whole run after the binary is built.
	budget = 6 * time.Minute
)

// proc is one OS process of the cluster.
type proc struct {
	name string
	args []string
	env  []string
	log  string
	cmd  *exec.Cmd
}

type cluster struct {
	t        *testing.T
	bin      string
	dir      string
	env      []string
	temporal *proc
	serves   []*proc
	workers  []*proc
	urls     []string
	opsURLs  []string
	dbURL    string
	alive    []atomic.Bool // per serve replica
}

func (c *cluster) start(p *proc) {
	c.t.Helper()
	f, err := os.OpenFile(p.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		c.t.Fatal(err)
	}
	p.cmd = exec.Command(c.bin, p.args...)
	p.cmd.Env = append(append(os.Environ(), c.env...), p.env...)
	p.cmd.Stdout, p.cmd.Stderr = f, f
	if err := p.cmd.Start(); err != nil {
		c.t.Fatalf("start %s: %v", p.name, err)
	}
	go func() { _ = p.cmd.Wait(); f.Close() }()
}

func (c *cluster) kill(p *proc, sig syscall.Signal) {
	if p.cmd != nil && p.cmd.Process != nil {
		_ = p.cmd.Process.Signal(sig)
		deadline := time.Now().Add(30 * time.Second)
		for p.cmd.ProcessState == nil && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		if p.cmd.ProcessState == nil {
			_ = p.cmd.Process.Kill()
		}
	}
}

// waitTemporal waits until the Temporal server has reported ready n times in
// its log (n-1 restarts).
func (c *cluster) waitTemporal(n int) {
	c.t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		b, _ := os.ReadFile(c.temporal.log)
		if strings.Count(string(b), "Temporal server ready") >= n {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	c.t.Fatalf("the Temporal server did not become ready (start %d) within 2 minutes", n)
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// temporalPort is a frontend port whose next three (history, matching, worker)
// and membership ports (port-300..port-297) are free; Temporal's PostgreSQL schema
// keeps membership ports in a smallint, so the range stays below 32768.
func temporalPort(t *testing.T) int {
	t.Helper()
	for i := 0; i < 200; i++ {
		p := 20000 + mathrand.IntN(12000)
		ok := true
		for _, q := range []int{p, p + 1, p + 2, p + 3, p - 300, p - 299, p - 298, p - 297} {
			ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(q))
			if err != nil {
				ok = false
				break
			}
			ln.Close()
		}
		if ok {
			return p
		}
	}
	t.Fatal("no free port range for the Temporal server")
	return 0
}

func waitReady(t *testing.T, url string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	var last string
	for time.Now().Before(deadline) {
		res, err := http.Get(url + "/readyz")
		if err == nil {
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
			last = fmt.Sprintf("%d %s", res.StatusCode, b)
		} else {
			last = err.Error()
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("%s/readyz not 200 within %v: %s", url, within, last)
}

// buildBinary builds cmd/tdkt once for the test.
func buildBinary(t *testing.T, dir string) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	root := filepath.Dir(strings.TrimSpace(string(out)))
	bin := filepath.Join(dir, "tdkt")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/tdkt")
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	return bin
}

// TestCluster runs the production topology as separate processes and drives
// dossiers across both API replicas through a full route (a commune's Giấy khen:
// submitted, accepted, appraised and decided, the route today's authority rules
// give it) while it SIGKILLs a worker and an API replica and restarts them (and,
// with TDKT_CLUSTER_TEMPORAL_RESTART, the Temporal server); at the end every
// dossier is decided, every audit event is there exactly once, and `tdkt audit
// verify` passes.
func TestCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("the cluster test builds tdkt and runs five processes; skipped with -short")
	}
	if err := pgtest.Available(); err != nil {
		t.Skipf("no PostgreSQL server can be had, so the cluster cannot run: %v", err)
	}
	dir := t.TempDir()
	built := time.Now()
	c := &cluster{t: t, dir: dir, bin: buildBinary(t, dir)}
	t.Logf("built tdkt in %v", time.Since(built).Round(time.Second))
	c.dbURL = pgtest.NewDatabase(t)
	temporalDB, visDB := pgtest.NewDatabase(t), pgtest.NewDatabase(t)
	visName := visDB[strings.LastIndex(visDB, "/")+1:]
	if i := strings.Index(visName, "?"); i >= 0 {
		visName = visName[:i]
	}
	tport := temporalPort(t)
	c.env = []string{"DATABASE_URL=" + c.dbURL, "TEMPORAL_ADDRESS=127.0.0.1:" + strconv.Itoa(tport),
		"TDKT_BCRYPT_COST=4", "TDKT_LOG_LEVEL=warn", "TDKT_TEMPORAL_DATABASE_URL=" + temporalDB,
		"TDKT_TEMPORAL_VISIBILITY_DATABASE=" + visName, "TDKT_TEMPORAL_HISTORY_SHARDS=4"}
	start := time.Now()
	c.temporal = &proc{name: "temporal", args: []string{"temporal-server"}, log: filepath.Join(dir, "temporal.log"),
		env: []string{"TDKT_LOG_LEVEL=info"}}
	c.start(c.temporal)
	c.waitTemporal(1)
	t.Cleanup(func() {
		for _, p := range append(append([]*proc{}, c.serves...), c.workers...) {
			c.kill(p, syscall.SIGTERM)
		}
		c.kill(c.temporal, syscall.SIGTERM)
		if t.Failed() {
			for _, p := range append(append([]*proc{c.temporal}, c.serves...), c.workers...) {
				b, _ := os.ReadFile(p.log)
				if len(b) > 4000 {
					b = b[len(b)-4000:]
				}
				t.Logf("--- %s log (tail):\n%s", p.name, b)
			}
		}
	})
	seedCmd := exec.Command(c.bin, "seed")
	seedCmd.Env = append(os.Environ(), c.env...)
	if b, err := seedCmd.CombinedOutput(); err != nil {
		t.Fatalf("tdkt seed: %v\n%s", err, b)
	}
	c.alive = make([]atomic.Bool, 2)
	for i := 0; i < 2; i++ {
		port := freePort(t)
		c.urls = append(c.urls, "http://127.0.0.1:"+strconv.Itoa(port))
		c.serves = append(c.serves, &proc{name: fmt.Sprintf("serve-%d", i), args: []string{"serve"},
			env: []string{"TDKT_HTTP_ADDR=127.0.0.1:" + strconv.Itoa(port)}, log: filepath.Join(dir, fmt.Sprintf("serve-%d.log", i))})
		ops := freePort(t)
		c.opsURLs = append(c.opsURLs, "http://127.0.0.1:"+strconv.Itoa(ops))
		c.workers = append(c.workers, &proc{name: fmt.Sprintf("worker-%d", i), args: []string{"worker"},
			env: []string{"TDKT_OPS_ADDR=127.0.0.1:" + strconv.Itoa(ops)}, log: filepath.Join(dir, fmt.Sprintf("worker-%d.log", i))})
	}
	for i := 0; i < 2; i++ {
		c.start(c.serves[i])
		c.start(c.workers[i])
		c.alive[i].Store(true)
	}
	for _, u := range append(append([]string{}, c.urls...), c.opsURLs...) {
		waitReady(t, u, 2*time.Minute)
	}
	t.Logf("cluster ready in %v (temporal-server, 2 serve, 2 worker)", time.Since(start).Round(time.Second))

	ctx, cancel := context.WithTimeout(context.Background(), budget)
	defer cancel()
	pool, err := pgxpool.New(ctx, c.dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	d := &driver{c: c, pool: pool, tokens: map[string]string{}}
	var before int // the demo's own dossiers
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM nominations`).Scan(&before); err != nil {
		t.Fatal(err)
	}

	// The Temporal server is SIGKILLed and restarted in the middle of requests
	// unless TDKT_CLUSTER_TEMPORAL_RESTART says otherwise: "1" restarts it between
	// requests (in-flight ones finish first, then SIGTERM), "off" not at all.
	restart := os.Getenv("TDKT_CLUSTER_TEMPORAL_RESTART")
	switch restart {
	case "":
		restart = "midflight"
	case "off", "0":
		restart = ""
	}
	// Faults, each when a share of the dossiers has been decided.
	var done atomic.Int64
	faults := []struct {
		at   int64
		name string
		do   func()
	}{
		{dossiers / 5, "SIGKILL worker-0", func() { c.kill(c.workers[0], syscall.SIGKILL) }},
		{2 * dossiers / 5, "SIGKILL serve-0", func() { c.alive[0].Store(false); c.kill(c.serves[0], syscall.SIGKILL) }},
		// A restart can lose an update whose Record had committed (the workflow
		// task that carried it was not yet durable): the next action on that
		// dossier makes its workflow apply the recorded act again (catchUp in
		// workflows/nomination.go), so no dossier stays behind its read model.
		{3 * dossiers / 5, "restart temporal-server", func() {
			switch restart {
			case "midflight":
				c.kill(c.temporal, syscall.SIGKILL)
				c.start(c.temporal)
			case "1":
				d.gate.Lock()
				defer d.gate.Unlock()
				c.kill(c.temporal, syscall.SIGTERM)
				c.start(c.temporal)
				c.waitTemporal(2)
			}
		}},
		{4 * dossiers / 5, "restart worker-0 and serve-0", func() {
			if restart != "" {
				c.waitTemporal(2)
			}
			c.start(c.workers[0])
			c.start(c.serves[0])
			waitReady(t, c.urls[0], 2*time.Minute)
			c.alive[0].Store(true)
		}},
	}
	var injected []string
	var fmu sync.Mutex
	next := 0
	maybeFault := func() {
		fmu.Lock()
		defer fmu.Unlock()
		for next < len(faults) && done.Load() >= faults[next].at {
			f := faults[next]
			next++
			f.do()
			if f.name == "restart temporal-server" && restart == "" {
				continue
			}
			injected = append(injected, f.name)
			t.Logf("fault at %d decided: %s", done.Load(), f.name)
		}
	}

	// A review campaign runs alongside the dossiers (campaign_test.go).
	camp, err := d.launchCampaign(ctx, done.Load)
	if err != nil {
		t.Fatal(err)
	}
	var cwg sync.WaitGroup
	campErrs := make(chan error, len(campaignUnits))
	returnOnce := true
	for u := range campaignUnits {
		cwg.Add(1)
		go func(u string, returnOnce bool) {
			defer cwg.Done()
			if err := camp.run(ctx, u, returnOnce); err != nil {
				campErrs <- fmt.Errorf("report %s: %w", u, err)
			}
		}(u, returnOnce)
		returnOnce = false
	}

	ids := make(chan int, dossiers)
	for i := 0; i < dossiers; i++ {
		ids <- i
	}
	close(ids)
	var wg sync.WaitGroup
	errs := make(chan error, dossiers)
	for w := 0; w < concurrency; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range ids {
				if err := d.run(ctx, i); err != nil {
					errs <- fmt.Errorf("dossier %d: %w", i, err)
					continue
				}
				done.Add(1)
				maybeFault()
			}
		}()
	}
	wg.Wait()
	cwg.Wait()
	close(errs)
	close(campErrs)
	for err := range errs {
		t.Error(err)
	}
	for err := range campErrs {
		t.Error(err)
	}
	if t.Failed() {
		return
	}
	elapsed := time.Since(start)

	// Every dossier the test created decided; every audit event of each of them
	// exactly once (seq 0..version): lost = missing seqs, duplicated = extra rows.
	// (The demo's own dossiers carry the summary history the seed wrote.)
	created := d.createdIDs()
	var decided, lost, duplicated, events int
	if err := pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE status = 'decided') FROM nominations WHERE id = ANY($1)`, created).
		Scan(&decided); err != nil {
		t.Fatal(err)
	}
	if err := pool.QueryRow(ctx, `SELECT coalesce(sum(n.version + 1 - a.distinct_seqs), 0), coalesce(sum(a.n - a.distinct_seqs), 0), coalesce(sum(a.n), 0)
		FROM nominations n JOIN LATERAL (SELECT count(*) AS n, count(DISTINCT seq) FILTER (WHERE seq BETWEEN 0 AND n.version) AS distinct_seqs
			FROM audit_events e WHERE e.nomination_id = n.id) a ON true
		WHERE n.id = ANY($1)`, created).Scan(&lost, &duplicated, &events); err != nil {
		t.Fatal(err)
	}
	var after int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM nominations`).Scan(&after); err != nil {
		t.Fatal(err)
	}
	if len(created) != dossiers || decided != dossiers || after-before != dossiers {
		t.Errorf("%d dossiers created (%d new rows), %d decided; want %d, each once", len(created), after-before, decided, dossiers)
	}
	if lost != 0 || duplicated != 0 {
		t.Errorf("audit events: %d lost, %d duplicated", lost, duplicated)
	}
	// The last acceptance is answered once recorded; the report's signal to its
	// parent, and so the root's completion, follow it (review-tell-parent-async):
	// give the root up to a minute to complete before checking.
	var reports, revents, rlost, rdup int
	var root string
	for wait := time.Now().Add(time.Minute); ; time.Sleep(500 * time.Millisecond) {
		if reports, revents, rlost, rdup, root, err = camp.check(ctx); err != nil {
			t.Fatal(err)
		}
		if root == "completed" || time.Now().After(wait) {
			break
		}
	}
	if reports != len(campaignUnits) || root != "completed" || rlost != 0 || rdup != 0 {
		t.Errorf("review campaign: %d of %d reports accepted, root %q; review events %d, lost %d, duplicated %d",
			reports, len(campaignUnits), root, revents, rlost, rdup)
	}
	verify := exec.Command(c.bin, "audit", "verify")
	verify.Env = append(os.Environ(), c.env...)
	out, err := verify.CombinedOutput()
	if err != nil {
		t.Errorf("tdkt audit verify: %v\n%s", err, out)
	}
	t.Logf("CLUSTER RUN: %d of %d dossiers decided in %v (from the Temporal server's start; %d concurrent clients, 2 serve, 2 worker, 4 history shards); "+
		"faults: %s; %d requests retried mid-fault; audit events %d, lost %d, duplicated %d; "+
		"review campaign: %d of %d reports accepted, root %s, review events %d, lost %d, duplicated %d; audit verify: %s",
		decided, dossiers, elapsed.Round(time.Second), concurrency, strings.Join(injected, ", "), d.retries.Load(), events, lost, duplicated,
		reports, len(campaignUnits), root, revents, rlost, rdup,
		strings.TrimSpace(strings.SplitN(string(out), "\n", 2)[0]))
}

// httpClient gives up on a request after 30 s: one whose replica or Temporal
// update was lost mid-fault is then retried with the same Idempotency-Key.
var httpClient = &http.Client{Timeout: 30 * time.Second}

// driver moves dossiers along over HTTP, alternating between the live replicas.
type driver struct {
	c       *cluster
	pool    *pgxpool.Pool
	mu      sync.Mutex
	tokens  map[string]string
	rr      atomic.Int64
	retries atomic.Int64
	created []string
	// gate is held (read) by every request and (write) by a fault that must
	// happen between requests.
	gate sync.RWMutex
}

func (d *driver) createdIDs() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.created...)
}

func (d *driver) base() string {
	for {
		i := int(d.rr.Add(1)) % len(d.c.urls)
		if d.c.alive[i].Load() {
			return d.c.urls[i]
		}
	}
}

// send posts body to path as user on a live replica, retrying (with the same
// Idempotency-Key) while the cluster is mid-fault, until a 2xx or a 4xx other
// than a conflict.
func (d *driver) send(ctx context.Context, user, method, path string, body any, key string) (int, map[string]any, error) {
	js, _ := json.Marshal(body)
	for attempt := 0; ; attempt++ {
		if ctx.Err() != nil {
			return 0, nil, fmt.Errorf("%s %s: %w", method, path, ctx.Err())
		}
		tok, err := d.token(ctx, user)
		if err != nil {
			return 0, nil, err
		}
		req, _ := http.NewRequestWithContext(ctx, method, d.base()+path, bytes.NewReader(js))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tok)
		if key != "" {
			req.Header.Set("Idempotency-Key", key)
		}
		d.gate.RLock()
		res, err := httpClient.Do(req)
		d.gate.RUnlock()
		if err == nil {
			raw, _ := io.ReadAll(res.Body)
			res.Body.Close()
			var out map[string]any
			_ = json.Unmarshal(raw, &out)
			detail, _ := out["detail"].(string)
			// A key still leased by a request a killed replica was serving is retried
			// until the lease ends; another conflict (the state moved on) is an answer.
			keyBusy := res.StatusCode == http.StatusConflict && strings.Contains(detail, "Idempotency-Key")
			if res.StatusCode < 500 && !keyBusy {
				return res.StatusCode, out, nil
			}
		}
		d.retries.Add(1)
		time.Sleep(time.Duration(200+100*min(attempt, 20)) * time.Millisecond)
	}
}

func (d *driver) token(ctx context.Context, user string) (string, error) {
	d.mu.Lock()
	tok, ok := d.tokens[user]
	d.mu.Unlock()
	if ok {
		return tok, nil
	}
	js, _ := json.Marshal(map[string]string{"username": user, "password": seed.DemoPassword})
	for attempt := 0; attempt < 100; attempt++ {
		res, err := httpClient.Post(d.base()+"/api/v1/login", "application/json", bytes.NewReader(js))
		if err == nil {
			var out struct{ Token string }
			_ = json.NewDecoder(res.Body).Decode(&out)
			res.Body.Close()
			if out.Token != "" {
				d.mu.Lock()
				d.tokens[user] = out.Token
				d.mu.Unlock()
				return out.Token, nil
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	return "", fmt.Errorf("login %s failed", user)
}

// run creates dossier i and moves it until it is decided.
func (d *driver) run(ctx context.Context, i int) error {
	body := map[string]any{"unit_id": seed.TodayCommune, "award_code": "GK", "year": 2026,
		"nominees": []map[string]any{{"kind": "individual", "name": fmt.Sprintf("Hoàng Văn Tùng %d", i), "job_title": "Trưởng thôn",
			"achievements": "Dẫn đầu phong trào giảm nghèo"}}}
	code, out, err := d.send(ctx, "xa.clerk", "POST", "/api/v1/nominations", body, fmt.Sprintf("cluster-create-%d", i))
	if err != nil {
		return err
	}
	id, _ := out["id"].(string)
	if code != http.StatusCreated || id == "" {
		return fmt.Errorf("create: %d %v", code, out)
	}
	d.mu.Lock()
	d.created = append(d.created, id)
	d.mu.Unlock()
	prefix := map[string]string{seed.TodayCommune: "xa", seed.Province: "tinh"}
	// The read model follows the workflow (an activity records each step); while a
	// killed worker's activity waits for its retry, the dossier may not move for a
	// while, so progress is bounded by time, not by attempts.
	lastVersion, stuckSince := -1, time.Now()
	for {
		var status string
		var unit *string
		var version int
		if err := d.pool.QueryRow(ctx, `SELECT status, current_unit_id, version FROM nominations WHERE id = $1`, id).
			Scan(&status, &unit, &version); err != nil {
			return err
		}
		if version != lastVersion {
			lastVersion, stuckSince = version, time.Now()
		} else if time.Since(stuckSince) > 2*time.Minute {
			return fmt.Errorf("dossier %s stuck at %s v%d for 2 minutes", id, status, version)
		} else {
			time.Sleep(250 * time.Millisecond)
		}
		u := ""
		if unit != nil {
			u = prefix[*unit]
		}
		var user, action string
		switch status {
		case "draft":
			user, action = "xa.clerk", "submit"
		case "intake":
			user, action = u+".appraiser", "accept"
		case "appraising":
			user, action = u+".appraiser", "approve"
		case "deciding":
			user, action = u+".decider", "decide"
		case "forwarding":
			user, action = u+".decider", "forward"
		case "decided":
			return nil
		default:
			return fmt.Errorf("dossier %s in status %q: the cluster driver does not know the next step", id, status)
		}
		code, out, err := d.send(ctx, user, "POST", "/api/v1/nominations/"+id+"/actions", map[string]any{"action": action},
			fmt.Sprintf("cluster-%s-%d", id, version))
		if err != nil {
			return err
		}
		if code >= 300 && code != http.StatusConflict {
			return fmt.Errorf("%s as %s at %s v%d: %d %v", action, user, status, version, code, out)
		}
	}
}
