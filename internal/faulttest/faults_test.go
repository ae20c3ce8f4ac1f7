package faulttest

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/server/temporaltest"

	"github.com/tdkt/tdkt/internal/devenv/devtemporal"
)

// TestDatabaseConnectionLostAfterRecordCommitted: the Record activity's
// transaction commits, and the connection dies before the answer reaches the
// worker. The local activity is retried; the retry finds the event already
// written and returns its outcome, so the action succeeds and is recorded once.
func TestDatabaseConnectionLostAfterRecordCommitted(t *testing.T) {
	pool := newDemoDB(t)
	ts := temporaltest.NewServer(temporaltest.WithT(t))
	f := newFaults(loseCommitAnswer, "insert into audit_events")
	e := newEnv(t, pool, pool, ts.GetDefaultClient())
	w := e.startWorker(ts.GetDefaultClient(), f.pool(t, pool))
	defer w.Stop()

	id := e.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations", giayKhen(), nil).body["id"].(string)
	e.must(http.StatusOK, "xa.clerk", "POST", "/api/v1/nominations/"+id+"/submit", nil, nil)
	f.fireOnce()
	a := e.must(http.StatusOK, "huyen.appraiser", "POST", "/api/v1/nominations/"+id+"/actions", map[string]any{"action": "accept"}, nil)
	if a.body["status"] != "appraising" || f.count() != 1 {
		t.Fatalf("after the lost commit answer: %v, %d faults", a.body["status"], f.count())
	}
	e.finish(id)
	if n := e.checkAuditOnce(id); n != 5 || e.actions(id) != "create,submit,accept,approve,decide" {
		t.Fatalf("%d events: %s", n, e.actions(id))
	}
}

// TestWorkerKilledAfterRecordCommitted: the worker freezes right after the Record
// activity of an approval committed and is stopped before the workflow learns of
// it; a new worker takes the workflow over, the update's retry finds the event
// written, and the API call that was waiting answers the approval. Every event is
// recorded once and the dossier is decided.
func TestWorkerKilledAfterRecordCommitted(t *testing.T) {
	pool := newDemoDB(t)
	ts := temporaltest.NewServer(temporaltest.WithT(t))
	f := newFaults(hangCommitAnswer, "insert into audit_events")
	e := newEnv(t, pool, pool, ts.GetDefaultClient())
	w1 := e.startWorker(ts.GetDefaultClient(), f.pool(t, pool))
	released := false
	t.Cleanup(func() {
		if !released {
			close(f.release)
		}
	})

	id := e.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations", giayKhen(), nil).body["id"].(string)
	e.must(http.StatusOK, "xa.clerk", "POST", "/api/v1/nominations/"+id+"/submit", nil, nil)
	e.must(http.StatusOK, "huyen.appraiser", "POST", "/api/v1/nominations/"+id+"/actions", map[string]any{"action": "accept"}, nil)
	f.fireOnce()
	e.token("huyen.appraiser")
	res := make(chan answer, 1)
	go func() {
		res <- e.do("huyen.appraiser", "POST", "/api/v1/nominations/"+id+"/actions", map[string]any{"action": "approve"}, nil)
	}()
	select {
	case <-f.hung:
	case <-time.After(30 * time.Second):
		t.Fatal("the approval's Record never committed")
	}
	if st, _, v := e.state(id); st != "deciding" || v != 3 {
		t.Fatalf("the committed approval is not in the read model: %s v%d", st, v)
	}
	w1.Stop() // the frozen worker is killed; its Record never answers
	w2 := e.startWorker(ts.GetDefaultClient(), pool)
	defer w2.Stop()
	var a answer
	select {
	case a = <-res:
	case <-time.After(50 * time.Second):
		t.Fatal("the approval never answered after the new worker took over")
	}
	if a.status != http.StatusOK || a.body["status"] != "deciding" {
		t.Fatalf("approval after the takeover: %d %s", a.status, a.raw)
	}
	close(f.release)
	released = true
	e.finish(id)
	if n := e.checkAuditOnce(id); n != 5 || e.actions(id) != "create,submit,accept,approve,decide" {
		t.Fatalf("%d events: %s", n, e.actions(id))
	}
}

// TestTemporalRestartedOnItsFileResumesTimers: the dev Temporal server is stopped
// right after a dossier was submitted (its intake reminder and deadline timers
// pending) and started again on the same file; the timers fire (the task is
// reminded and flagged overdue) and the dossier goes on to its decision.
func TestTemporalRestartedOnItsFileResumesTimers(t *testing.T) {
	pool := newDemoDB(t)
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "temporal.db")
	port := freePort(t)
	start := func() *devtemporal.Temporal {
		srv, err := devtemporal.StartTemporal(ctx, devtemporal.TemporalOptions{DBFile: file, FrontendPort: port})
		if err != nil {
			t.Fatal(err)
		}
		return srv
	}
	srv := start()
	tc, err := client.Dial(client.Options{HostPort: srv.HostPort, Namespace: srv.Namespace,
		Logger: sdklog.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))})
	if err != nil {
		t.Fatal(err)
	}
	defer tc.Close()
	e := newEnv(t, pool, pool, tc)
	// Three working days of intake last 6 s; the reminder comes one day before.
	e.days = func(from time.Time, n int) time.Time { return from.Add(time.Duration(n) * 2 * time.Second) }
	w := e.startWorker(tc, pool)

	id := e.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations", giayKhen(), nil).body["id"].(string)
	e.must(http.StatusOK, "xa.clerk", "POST", "/api/v1/nominations/"+id+"/submit", nil, nil)
	w.Stop()
	if err := srv.Stop(); err != nil {
		t.Fatal(err)
	}
	var reminded *time.Time
	if err := pool.QueryRow(ctx, `SELECT reminded_at FROM tasks WHERE nomination_id = $1 AND status = 'open'`, id).Scan(&reminded); err != nil || reminded != nil {
		t.Fatalf("reminded before the restart: %v %v", reminded, err)
	}

	srv = start()
	defer srv.Stop() //nolint:errcheck // best effort
	w = e.startWorker(tc, pool)
	defer w.Stop()
	within(t, 45*time.Second, "the reminder and the escalation after the restart", func() bool {
		var n int
		_ = pool.QueryRow(ctx, `SELECT count(*) FROM tasks WHERE nomination_id = $1 AND status = 'open'
			AND reminded_at IS NOT NULL AND overdue_at IS NOT NULL`, id).Scan(&n)
		return n == 1
	})
	e.finish(id)
	if n := e.checkAuditOnce(id); n != 5 {
		t.Fatalf("%d events: %s", n, e.actions(id))
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// TestAPIKilledBetweenUpdateAndResponse: the API's record of its answer is lost
// after the work was done (its connection dies as it stores the response, as when
// the process is killed there). A retry with the same Idempotency-Key is told the
// request is in progress while the first one's lease runs, then gets the outcome:
// the dossier the create made (no second one) and the submission the update made
// (recorded once). A key claimed by an API that died before sending the update is
// run again.
func TestAPIKilledBetweenUpdateAndResponse(t *testing.T) {
	pool := newDemoDB(t)
	ts := temporaltest.NewServer(temporaltest.WithT(t))
	f := newFaults(dropStatement, "update idempotency_keys set status")
	e := newEnv(t, pool, f.pool(t, pool), ts.GetDefaultClient())
	w := e.startWorker(ts.GetDefaultClient(), pool)
	defer w.Stop()
	ctx := context.Background()
	expire := func(key string) {
		t.Helper()
		if _, err := pool.Exec(ctx, `UPDATE idempotency_keys SET lease_until = lease_until - interval '1 hour' WHERE key = $1 AND status IS NULL`, key); err != nil {
			t.Fatal(err)
		}
	}

	// The create.
	key := map[string]string{"Idempotency-Key": "tao-gk-001"}
	f.fireOnce()
	lost := e.do("xa.clerk", "POST", "/api/v1/nominations", giayKhen(), key)
	if f.count() != 1 || lost.status != http.StatusCreated {
		t.Fatalf("the first create: %d faults, %d", f.count(), lost.status)
	}
	if a := e.do("xa.clerk", "POST", "/api/v1/nominations", giayKhen(), key); a.status != http.StatusConflict || a.header.Get("Retry-After") == "" {
		t.Fatalf("retry within the lease: %d %s", a.status, a.raw)
	}
	expire("tao-gk-001")
	a := e.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations", giayKhen(), key)
	id, _ := a.body["id"].(string)
	if id != lost.body["id"] || a.header.Get("Location") != "/api/v1/nominations/"+id {
		t.Fatalf("recovered create %s, first %v: %s %v", id, lost.body["id"], a.raw, a.header)
	}
	var dossiers int
	_ = pool.QueryRow(ctx, `SELECT count(*) FROM nominations`).Scan(&dossiers)
	if dossiers != 1 {
		t.Fatalf("%d dossiers after a lost create and its retry", dossiers)
	}
	if a := e.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations", giayKhen(), key); a.header.Get("Idempotent-Replayed") != "true" {
		t.Fatal("the recovered answer was not stored")
	}

	// The submit.
	key = map[string]string{"Idempotency-Key": "trinh-gk-001"}
	f.fireOnce()
	e.do("xa.clerk", "POST", "/api/v1/nominations/"+id+"/submit", nil, key)
	if f.count() != 2 {
		t.Fatalf("%d faults after the submit", f.count())
	}
	expire("trinh-gk-001")
	a = e.must(http.StatusOK, "xa.clerk", "POST", "/api/v1/nominations/"+id+"/submit", nil, key)
	if a.body["status"] != "intake" || a.header.Get("ETag") != `"1"` {
		t.Fatalf("recovered submit: %s %v", a.raw, a.header)
	}

	// An accept whose API claimed the key and died before the update.
	body := map[string]any{"action": "accept"}
	js, _ := json.Marshal(body)
	sum := sha256.Sum256(append([]byte("POST\n/api/v1/nominations/"+id+"/actions\n"), js...))
	if _, err := pool.Exec(ctx, `INSERT INTO idempotency_keys (user_id, key, request_hash, created_at, lease_until)
		SELECT id, 'tiep-nhan-001', $1, $2, $2 FROM users WHERE username = 'huyen.appraiser'`, sum[:], beforeReform().Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	a = e.must(http.StatusOK, "huyen.appraiser", "POST", "/api/v1/nominations/"+id+"/actions", body,
		map[string]string{"Idempotency-Key": "tiep-nhan-001"})
	if a.body["status"] != "appraising" {
		t.Fatalf("the re-run accept: %s", a.raw)
	}
	e.finish(id)
	if n := e.checkAuditOnce(id); n != 5 || e.actions(id) != "create,submit,accept,approve,decide" {
		t.Fatalf("%d events: %s", n, e.actions(id))
	}
}
