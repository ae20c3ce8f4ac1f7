// Package pgtest gives each test its own freshly migrated PostgreSQL database, so that
// tests run in parallel without seeing each other's rows and without any mocks.
//
// The server is chosen once per test binary: TEST_DATABASE_URL if set; else the local
// server at 127.0.0.1:5432 (user postgres, trust auth) if it answers; else a throwaway
// cluster started from the local PostgreSQL binaries (devenv.StartPostgres). Packages that
// use it should wrap TestMain with Main so that a throwaway cluster is stopped at the end:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tdkt/tdkt/internal/devenv"
	"github.com/tdkt/tdkt/internal/postgres"
)

const (
	// EnvURL names the variable that points the tests at a server of the caller's choice;
	// its database is used to create and drop the per-test databases.
	EnvURL = "TEST_DATABASE_URL"
	// localURL is the server these machines run; probing it is cheap.
	localURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable&connect_timeout=2"
	// dbPrefix marks databases created here, so that leftovers are recognisable.
	dbPrefix     = "tdkt_t_"
	setupTimeout = 2 * time.Minute
)

// server is the per-binary choice of PostgreSQL server. Test binaries are the unit of
// setup, so this is package state by necessity; it is written once under once.
var server struct {
	once     sync.Once
	adminURL string
	err      error
	cluster  *devenv.Postgres // non-nil when we started a throwaway cluster
	tempDir  string
}

// Main runs the package's tests and then stops the throwaway cluster, if one was started,
// and removes its files. It exits the process with the tests' status.
func Main(m *testing.M) {
	code := m.Run()
	if server.cluster != nil {
		if err := server.cluster.Stop(); err != nil {
			fmt.Fprintf(os.Stderr, "pgtest: %v\n", err)
			if code == 0 {
				code = 1
			}
		}
		os.RemoveAll(server.tempDir) //nolint:errcheck // a leftover temp dir only costs disk space
	}
	os.Exit(code)
}

// NewPool returns a pool on a brand-new database with all migrations applied
// (postgres.Migrate). The pool is closed and the database dropped when the test ends. It
// fails the test if no server is available or migrating fails.
func NewPool(t testing.TB) *pgxpool.Pool {
	t.Helper()
	dbURL := NewDatabase(t)
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		t.Fatalf("pgtest: open pool: %v", err)
	}
	// Registered after NewDatabase's cleanup, so it runs first: close, then drop.
	t.Cleanup(pool.Close)
	if _, err := postgres.Migrate(ctx, pool); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	return pool
}

// NewDatabase creates an empty database named tdkt_t_<random hex> on the chosen server and
// returns its URL; the database is dropped (WITH (FORCE), so open connections do not keep
// it alive) when the test ends. It fails the test if no server is available.
func NewDatabase(t testing.TB) string {
	t.Helper()
	adminURL, err := chooseServer()
	if err != nil {
		t.Fatalf("pgtest: no PostgreSQL server: %v", err)
	}
	name, err := randomName()
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	if err := adminExec(ctx, adminURL, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatalf("pgtest: create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := adminExec(ctx, adminURL, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			t.Errorf("pgtest: drop database %s: %v", name, err)
		}
	})
	dbURL, err := withDatabase(adminURL, name)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	return dbURL
}

// chooseServer picks the server once per test binary and returns the URL of a database
// on it that can run CREATE DATABASE.
func chooseServer() (string, error) {
	server.once.Do(func() {
		if u := os.Getenv(EnvURL); u != "" {
			server.adminURL = u
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
		defer cancel()
		if answers(ctx, localURL) {
			server.adminURL = localURL
			return
		}
		dir, err := os.MkdirTemp("", "tdkt-pgtest-")
		if err != nil {
			server.err = fmt.Errorf("throwaway cluster: %w", err)
			return
		}
		pg, err := devenv.StartPostgres(ctx, devenv.PostgresOptions{
			DataDir:      filepath.Join(dir, "data"),
			Database:     "postgres",
			AllowInstall: true,
		})
		if err != nil {
			os.RemoveAll(dir) //nolint:errcheck // best effort
			server.err = fmt.Errorf("%s unset, nothing answers at 127.0.0.1:5432, and %w", EnvURL, err)
			return
		}
		server.cluster, server.tempDir, server.adminURL = pg, dir, pg.URL
	})
	return server.adminURL, server.err
}

func answers(ctx context.Context, connURL string) bool {
	conn, err := pgx.Connect(ctx, connURL)
	if err != nil {
		return false
	}
	defer conn.Close(context.WithoutCancel(ctx))
	return conn.Ping(ctx) == nil
}

func adminExec(ctx context.Context, adminURL, sql string) error {
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, sql); err != nil {
		return err
	}
	return nil
}

func randomName() (string, error) {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random database name: %w", err)
	}
	return dbPrefix + hex.EncodeToString(b), nil
}

// withDatabase returns connString pointing at database name instead, for both URL and
// keyword/value connection strings.
func withDatabase(connString, name string) (string, error) {
	if strings.HasPrefix(connString, "postgres://") || strings.HasPrefix(connString, "postgresql://") {
		u, err := url.Parse(connString)
		if err != nil {
			return "", fmt.Errorf("parse server URL: %w", err)
		}
		u.Path = "/" + name
		u.RawPath = ""
		return u.String(), nil
	}
	// In keyword/value strings a later keyword overrides an earlier one.
	return connString + " dbname=" + name, nil
}

// Available reports whether a PostgreSQL server can be had (see chooseServer), for
// tests that skip, rather than fail, without one.
func Available() error {
	_, err := chooseServer()
	return err
}
