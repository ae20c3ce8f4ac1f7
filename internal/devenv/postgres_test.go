package devenv

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

func TestStartPostgresKeepsDataAcrossRestart(t *testing.T) {
	if _, err := findPostgresBinaries(); errors.Is(err, ErrNoPostgres) {
		t.Skip("no PostgreSQL binaries on this machine")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	// A nested directory under the root-owned 0700 t.TempDir exercises the
	// create-parents and make-traversable path when the test runs as root.
	dataDir := filepath.Join(t.TempDir(), "nested", "pgdata")

	first, err := StartPostgres(ctx, PostgresOptions{DataDir: dataDir, Database: "devenv_test"})
	if err != nil {
		t.Fatalf("first start: %v", err)
	}
	t.Cleanup(func() {
		if err := first.Stop(); err != nil {
			t.Errorf("cleanup stop: %v", err)
		}
	})
	if first.Port == 0 || first.DataDir != dataDir {
		t.Fatalf("got port %d, data dir %q; want a port and %q", first.Port, first.DataDir, dataDir)
	}
	if _, err := os.Stat(filepath.Join(dataDir, "PG_VERSION")); err != nil {
		t.Fatalf("no cluster in the data dir: %v", err)
	}

	conn, err := pgx.Connect(ctx, first.URL)
	if err != nil {
		t.Fatalf("connect to %s: %v", first.URL, err)
	}
	var db string
	if err := conn.QueryRow(ctx, `SELECT current_database()`).Scan(&db); err != nil {
		t.Fatalf("query: %v", err)
	}
	if db != "devenv_test" {
		t.Fatalf("connected to database %q, want devenv_test", db)
	}
	if _, err := conn.Exec(ctx, `CREATE TABLE survivors (name text); INSERT INTO survivors VALUES ('kept')`); err != nil {
		t.Fatalf("write: %v", err)
	}
	conn.Close(ctx)

	if err := first.Stop(); err != nil {
		t.Fatalf("stop: %v", err)
	}
	if err := first.Stop(); err != nil {
		t.Fatalf("second stop must be a no-op, got %v", err)
	}
	if _, err := pgx.Connect(ctx, first.URL); err == nil {
		t.Fatal("server still accepts connections after Stop")
	}

	second, err := StartPostgres(ctx, PostgresOptions{DataDir: dataDir, Database: "devenv_test"})
	if err != nil {
		t.Fatalf("second start: %v", err)
	}
	t.Cleanup(func() {
		if err := second.Stop(); err != nil {
			t.Errorf("cleanup stop: %v", err)
		}
	})
	conn, err = pgx.Connect(ctx, second.URL)
	if err != nil {
		t.Fatalf("connect after restart: %v", err)
	}
	defer conn.Close(ctx)
	var name string
	if err := conn.QueryRow(ctx, `SELECT name FROM survivors`).Scan(&name); err != nil {
		t.Fatalf("read after restart: %v", err)
	}
	if name != "kept" {
		t.Fatalf("read %q after restart, want %q", name, "kept")
	}

	// Starting again while it runs reuses the running server instead of failing.
	third, err := StartPostgres(ctx, PostgresOptions{DataDir: dataDir, Database: "devenv_test"})
	if err != nil {
		t.Fatalf("start on a running cluster: %v", err)
	}
	if third.Port != second.Port {
		t.Fatalf("reused cluster reports port %d, running one listens on %d", third.Port, second.Port)
	}
}

func TestFreePortCanBeBound(t *testing.T) {
	port, err := FreePort()
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		t.Fatalf("bind free port %d: %v", port, err)
	}
	l.Close()
}

func TestStartPostgresRecoversFromKilledServer(t *testing.T) {
	if _, err := findPostgresBinaries(); errors.Is(err, ErrNoPostgres) {
		t.Skip("no PostgreSQL binaries on this machine")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	dataDir := filepath.Join(t.TempDir(), "pgdata")
	first, err := StartPostgres(ctx, PostgresOptions{DataDir: dataDir})
	if err != nil {
		t.Fatalf("first start: %v", err)
	}
	if !strings.HasSuffix(first.URL, "/tdkt?sslmode=disable") {
		t.Fatalf("URL %q does not name the default database tdkt", first.URL)
	}
	conn, err := pgx.Connect(ctx, first.URL)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `CREATE TABLE crash_survivors (n int); INSERT INTO crash_survivors VALUES (7)`); err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)

	// Kill the server the way a crashed or killed `tdkt dev` leaves it: no shutdown,
	// postmaster.pid left behind.
	pid, err := pidFileLine(dataDir, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatalf("kill postmaster %d: %v", pid, err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; {
		c, err := pgx.Connect(ctx, first.URL)
		if err != nil {
			break
		}
		c.Close(ctx)
		if time.Now().After(deadline) {
			t.Fatal("server still answers after SIGKILL")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if _, err := os.Stat(filepath.Join(dataDir, "postmaster.pid")); err != nil {
		t.Fatalf("expected a stale postmaster.pid: %v", err)
	}

	second, err := StartPostgres(ctx, PostgresOptions{DataDir: dataDir})
	if err != nil {
		t.Fatalf("start after kill: %v", err)
	}
	t.Cleanup(func() {
		if err := second.Stop(); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
	conn, err = pgx.Connect(ctx, second.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, `SELECT n FROM crash_survivors`).Scan(&n); err != nil {
		t.Fatalf("read after crash restart: %v", err)
	}
	if n != 7 {
		t.Fatalf("read %d after crash restart, want 7", n)
	}
}
