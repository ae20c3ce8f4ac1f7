package devtemporal

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/log"
	"go.temporal.io/server/common/log/tag"
	"go.temporal.io/server/common/metrics"
	"go.temporal.io/server/common/persistence/sql"
	"go.temporal.io/server/common/persistence/sql/sqlplugin"
	sqliteplugin "go.temporal.io/server/common/persistence/sql/sqlplugin/sqlite"
	"go.temporal.io/server/common/resolver"
)

const taskQueue = "devtemporal-test"

// sleepWorkflow waits on a durable two-second timer, long enough to restart the server
// while it is pending.
func sleepWorkflow(ctx workflow.Context) (string, error) {
	if err := workflow.Sleep(ctx, 2*time.Second); err != nil {
		return "", err
	}
	return "woke up", nil
}

func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// connect returns a client and a started worker for sleepWorkflow, both closed at cleanup
// unless the caller stops them first.
func connect(t *testing.T, srv *Temporal) (client.Client, worker.Worker) {
	t.Helper()
	c, err := client.Dial(client.Options{
		HostPort:  srv.HostPort,
		Namespace: srv.Namespace,
		Logger:    sdklog.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil))),
	})
	if err != nil {
		t.Fatalf("dial %s: %v", srv.HostPort, err)
	}
	w := worker.New(c, taskQueue, worker.Options{})
	w.RegisterWorkflow(sleepWorkflow)
	if err := w.Start(); err != nil {
		c.Close()
		t.Fatalf("start worker: %v", err)
	}
	return c, w
}

func TestWorkflowTimerSurvivesServerRestart(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	dbFile := filepath.Join(t.TempDir(), "state", "temporal.db")
	began := time.Now()
	phase := func(name string) { t.Logf("%6.2fs %s", time.Since(began).Seconds(), name) }

	first, err := StartTemporal(ctx, TemporalOptions{DBFile: dbFile, Namespace: "tdkt-test", Logger: testLogger(t)})
	if err != nil {
		t.Fatalf("first start: %v", err)
	}
	t.Cleanup(func() { first.Stop() }) //nolint:errcheck // stopped explicitly below; this only covers early failures
	c, w := connect(t, first)
	phase("first server ready")
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: "sleeper", TaskQueue: taskQueue}, sleepWorkflow)
	if err != nil {
		t.Fatalf("start workflow: %v", err)
	}
	waitForEvent(ctx, t, c, run, enumspb.EVENT_TYPE_TIMER_STARTED)
	phase("timer started")

	w.Stop()
	c.Close()
	if err := first.Stop(); err != nil {
		t.Fatalf("stop with the timer pending: %v", err)
	}
	if err := first.Stop(); err != nil {
		t.Fatalf("second stop must be a no-op, got %v", err)
	}
	phase("first server stopped")

	second, err := StartTemporal(ctx, TemporalOptions{DBFile: dbFile, Namespace: "tdkt-test", Logger: testLogger(t)})
	if err != nil {
		t.Fatalf("restart on the same file: %v", err)
	}
	c, w = connect(t, second)
	phase("second server ready")
	t.Cleanup(func() {
		w.Stop()
		c.Close()
		if err := second.Stop(); err != nil {
			t.Errorf("stop: %v", err)
		}
	})

	var result string
	if err := c.GetWorkflow(ctx, run.GetID(), run.GetRunID()).Get(ctx, &result); err != nil {
		t.Fatalf("workflow after restart: %v", err)
	}
	phase("workflow completed")
	if result != "woke up" {
		t.Fatalf("result %q, want %q", result, "woke up")
	}
	// The same run finished on the timer it started before the restart: one start, one timer.
	counts := eventCounts(ctx, t, c, run)
	if counts[enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED] != 1 || counts[enumspb.EVENT_TYPE_TIMER_STARTED] != 1 || counts[enumspb.EVENT_TYPE_TIMER_FIRED] != 1 {
		t.Fatalf("history event counts %v, want one execution start, one timer started and fired", counts)
	}
}

func TestStartTemporalRefusesForeignSQLiteFile(t *testing.T) {
	dbFile := filepath.Join(t.TempDir(), "other.db")
	cfg := &config.SQL{PluginName: sqliteplugin.PluginName, DatabaseName: dbFile, ConnectAttributes: map[string]string{"mode": "rwc"}}
	db, err := sql.NewSQLAdminDB(sqlplugin.DbKindUnknown, cfg, resolver.NewNoopResolver(), log.NewNoopLogger(), metrics.NoopMetricsHandler)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Exec(`CREATE TABLE notes (body TEXT)`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	srv, err := StartTemporal(context.Background(), TemporalOptions{DBFile: dbFile})
	if err == nil {
		srv.Stop()
		t.Fatal("StartTemporal accepted a SQLite file without the Temporal schema")
	}
	if !strings.Contains(err.Error(), "not the Temporal schema") {
		t.Fatalf("unexpected error: %v", err)
	}
}

func waitForEvent(ctx context.Context, t *testing.T, c client.Client, run client.WorkflowRun, want enumspb.EventType) {
	t.Helper()
	for ctx.Err() == nil {
		if eventCounts(ctx, t, c, run)[want] > 0 {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no %v event before the deadline", want)
}

func eventCounts(ctx context.Context, t *testing.T, c client.Client, run client.WorkflowRun) map[enumspb.EventType]int {
	t.Helper()
	counts := map[enumspb.EventType]int{}
	iter := c.GetWorkflowHistory(ctx, run.GetID(), run.GetRunID(), false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for iter.HasNext() {
		ev, err := iter.Next()
		if err != nil {
			t.Fatalf("read history: %v", err)
		}
		counts[ev.GetEventType()]++
	}
	return counts
}

func TestServerLoggerKeepsWarningsAndHushesTransients(t *testing.T) {
	var buf strings.Builder
	quiet := new(atomic.Bool)
	l := newServerLogger(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo})), quiet)

	l.Info("chatty")
	l.With(tag.NewStringTag("shard", "1")).Warn("real warning")
	quiet.Store(true)
	l.Error("transient while joining")
	got := buf.String()

	if strings.Contains(got, "chatty") {
		t.Errorf("info message passed through:\n%s", got)
	}
	if !strings.Contains(got, `level=WARN msg="real warning"`) || !strings.Contains(got, "shard=1") {
		t.Errorf("warning or its tag missing:\n%s", got)
	}
	if strings.Contains(got, "transient") {
		t.Errorf("message logged while quiet reached the info-level logger:\n%s", got)
	}
}
