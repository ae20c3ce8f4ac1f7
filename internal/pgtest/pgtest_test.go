package pgtest

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func TestMain(m *testing.M) { Main(m) }

func TestNewPoolGivesSeparateMigratedDatabasesDroppedAtCleanup(t *testing.T) {
	ctx := context.Background()
	var names []string
	t.Run("two pools", func(t *testing.T) {
		a, b := NewPool(t), NewPool(t)
		for _, pool := range []*pgxpool.Pool{a, b} {
			var name string
			var units *string
			if err := pool.QueryRow(ctx, `SELECT current_database(), to_regclass('units')::text`).Scan(&name, &units); err != nil {
				t.Fatalf("query: %v", err)
			}
			if !strings.HasPrefix(name, "tdkt_t_") {
				t.Errorf("database %q lacks the tdkt_t_ prefix", name)
			}
			if units == nil {
				t.Errorf("database %s has no units table: migrations not applied", name)
			}
			names = append(names, name)
		}
		if names[0] == names[1] {
			t.Fatalf("both pools use database %s", names[0])
		}
		if _, err := a.Exec(ctx, `CREATE TABLE only_in_a (x int)`); err != nil {
			t.Fatalf("create table: %v", err)
		}
		var seen *string
		if err := b.QueryRow(ctx, `SELECT to_regclass('only_in_a')::text`).Scan(&seen); err != nil {
			t.Fatalf("query: %v", err)
		}
		if seen != nil {
			t.Fatal("a table created through one pool is visible through the other")
		}
	})
	if len(names) != 2 {
		t.Fatal("subtest did not get two databases")
	}

	adminURL, err := chooseServer()
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var left int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_database WHERE datname = ANY($1)`, names).Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Fatalf("%d of the databases %v survived the subtest's cleanup", left, names)
	}
}

func TestNewDatabaseURLConnectsToTheNewEmptyDatabase(t *testing.T) {
	ctx := context.Background()
	dbURL := NewDatabase(t)
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatalf("connect to %s: %v", dbURL, err)
	}
	defer conn.Close(ctx)
	var name string
	var tables int
	if err := conn.QueryRow(ctx, `SELECT current_database(), (SELECT count(*) FROM pg_tables WHERE schemaname = 'public')`).Scan(&name, &tables); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(name, "tdkt_t_") || tables != 0 {
		t.Fatalf("connected to %q with %d tables, want a fresh empty tdkt_t_ database", name, tables)
	}
}

func TestWithDatabaseReplacesTheDatabase(t *testing.T) {
	tests := []struct{ in, want string }{
		{"postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", "postgres://postgres@127.0.0.1:5432/tdkt_t_1?sslmode=disable"},
		{"postgresql://u:p@db:5433", "postgresql://u:p@db:5433/tdkt_t_1"},
		{"host=127.0.0.1 user=postgres dbname=postgres", "host=127.0.0.1 user=postgres dbname=postgres dbname=tdkt_t_1"},
	}
	for _, tt := range tests {
		got, err := withDatabase(tt.in, "tdkt_t_1")
		if err != nil {
			t.Fatalf("withDatabase(%q): %v", tt.in, err)
		}
		if got != tt.want {
			t.Errorf("withDatabase(%q) = %q, want %q", tt.in, got, tt.want)
		}
		cfg, err := pgx.ParseConfig(got)
		if err != nil {
			t.Fatalf("parse %q: %v", got, err)
		}
		if cfg.Database != "tdkt_t_1" {
			t.Errorf("%q connects to database %q", got, cfg.Database)
		}
	}
}
