package faulttest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"

	"github.com/tdkt/tdkt/internal/e2etest"
	"github.com/tdkt/tdkt/internal/pgtest"
	"github.com/tdkt/tdkt/internal/postgres"
	"github.com/tdkt/tdkt/internal/seed"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// beforeReform is a day when districts still decided Giấy khen of communes.
func beforeReform() time.Time { return time.Date(2025, 6, 16, 3, 0, 0, 0, time.UTC) }

// env is the product under test: a demo database, the API over HTTP on its own
// pool, and workers the test starts and stops.
type env struct {
	t      *testing.T
	pool   *pgxpool.Pool
	tc     client.Client
	url    string
	days   func(time.Time, int) time.Time
	mu     sync.Mutex
	tokens map[string]string
}

// newDemoDB returns a pool on a fresh migrated database with the demo loaded.
func newDemoDB(t *testing.T) *pgxpool.Pool {
	t.Helper()
	return e2etest.DemoDB(t)
}

// newEnv serves the API on apiPool (the demo database, possibly with faults)
// against the Temporal client tc.
func newEnv(t *testing.T, pool, apiPool *pgxpool.Pool, tc client.Client) *env {
	t.Helper()
	e := e2etest.Start(t, e2etest.WithDatabase(pool), e2etest.WithAPIPool(apiPool), e2etest.WithTemporal(tc),
		e2etest.WithClock(beforeReform))
	return &env{t: t, pool: pool, tc: tc, url: e.URL, tokens: map[string]string{}}
}

// startWorker starts a tdkt worker whose activities use pool.
func (e *env) startWorker(tc client.Client, pool *pgxpool.Pool) worker.Worker {
	e.t.Helper()
	return e2etest.StartWorker(e.t, tc, pool, e.days)
}

type answer struct {
	status int
	header http.Header
	body   map[string]any
	raw    []byte
}

func (e *env) do(user, method, path string, body any, hdr map[string]string) answer {
	var rd io.Reader
	if body != nil {
		js, _ := json.Marshal(body)
		rd = bytes.NewReader(js)
	}
	req, _ := http.NewRequest(method, e.url+path, rd)
	req.Header.Set("Content-Type", "application/json")
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+e.token(user))
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return answer{status: -1, raw: []byte(err.Error())}
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	a := answer{status: res.StatusCode, header: res.Header, raw: raw}
	_ = json.Unmarshal(raw, &a.body)
	return a
}

func (e *env) must(want int, user, method, path string, body any, hdr map[string]string) answer {
	e.t.Helper()
	a := e.do(user, method, path, body, hdr)
	if a.status != want {
		e.t.Fatalf("%s %s as %s: %d, want %d: %s", method, path, user, a.status, want, a.raw)
	}
	return a
}

func (e *env) token(user string) string {
	e.mu.Lock()
	tok, ok := e.tokens[user]
	e.mu.Unlock()
	if ok {
		return tok
	}
	a := e.do("", "POST", "/api/v1/login", map[string]string{"username": user, "password": seed.DemoPassword}, nil)
	tok, _ = a.body["token"].(string)
	if tok == "" {
		e.t.Errorf("login %s: %d %s", user, a.status, a.raw)
	}
	e.mu.Lock()
	e.tokens[user] = tok
	e.mu.Unlock()
	return tok
}

// giayKhen is a commune's Giấy khen dossier: the district accepts, approves and
// decides it.
func giayKhen() map[string]any {
	return map[string]any{"unit_id": seed.DemoCommune, "award_code": "GK", "year": 2025,
		"nominees": []map[string]any{{"kind": "individual", "name": "Lương Văn Thái", "achievements": "Hoàn thành xuất sắc nhiệm vụ"}}}
}

func (e *env) state(id string) (status, unit string, version int) {
	e.t.Helper()
	var u *string
	if err := e.pool.QueryRow(context.Background(), `SELECT status, current_unit_id, version FROM nominations WHERE id = $1`, id).
		Scan(&status, &u, &version); err != nil {
		e.t.Fatal(err)
	}
	if u != nil {
		unit = *u
	}
	return status, unit, version
}

// next is the request that moves a dossier on from its state, and who sends it.
func (e *env) next(id string) (user string, body map[string]any, done bool) {
	status, unit, _ := e.state(id)
	prefix := map[string]string{seed.DemoCommune: "xa", seed.DemoDistrict: "huyen", seed.Province: "tinh"}[unit]
	switch status {
	case "draft":
		return "xa.clerk", map[string]any{"action": "submit"}, false
	case "intake":
		return prefix + ".appraiser", map[string]any{"action": "accept"}, false
	case "appraising":
		return prefix + ".appraiser", map[string]any{"action": "approve"}, false
	case "deciding":
		return prefix + ".decider", map[string]any{"action": "decide"}, false
	case "forwarding":
		return prefix + ".decider", map[string]any{"action": "forward"}, false
	}
	return "", nil, true
}

// finish moves the dossier on until it is closed.
func (e *env) finish(id string) {
	e.t.Helper()
	for i := 0; i < 12; i++ {
		user, body, done := e.next(id)
		if done {
			return
		}
		e.must(http.StatusOK, user, "POST", "/api/v1/nominations/"+id+"/actions", body, nil)
	}
	e.t.Fatalf("dossier %s did not close", id)
}

// checkAuditOnce asserts that the dossier's audit events are 0..version, each
// exactly once, and that the whole audit chain verifies.
func (e *env) checkAuditOnce(id string) int {
	e.t.Helper()
	ctx := context.Background()
	_, _, version := e.state(id)
	var n, distinct, maxSeq int
	if err := e.pool.QueryRow(ctx, `SELECT count(*), count(DISTINCT seq), coalesce(max(seq), -1) FROM audit_events WHERE nomination_id = $1`,
		id).Scan(&n, &distinct, &maxSeq); err != nil {
		e.t.Fatal(err)
	}
	if n != distinct || n != version+1 || maxSeq != version {
		e.t.Fatalf("dossier %s at version %d has %d audit events, %d distinct, last %d", id, version, n, distinct, maxSeq)
	}
	rep, err := postgres.DB{Pool: e.pool}.VerifyAuditChain(ctx)
	if err != nil || rep.Break != nil {
		e.t.Fatalf("audit chain: %v %v", err, rep.Break)
	}
	return n
}

func (e *env) actions(id string) string {
	rows, err := e.pool.Query(context.Background(), `SELECT action FROM audit_events WHERE nomination_id = $1 ORDER BY seq`, id)
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a string
		_ = rows.Scan(&a)
		out = append(out, a)
	}
	return strings.Join(out, ",")
}

func within(t *testing.T, d time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, d)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
