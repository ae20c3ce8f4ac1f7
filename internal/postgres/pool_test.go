package postgres_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tdkt/tdkt/internal/pgtest"
	"github.com/tdkt/tdkt/internal/postgres"
)

func TestPoolSizeKeepsTheURLsMinimumAndAtMostTheMaximum(t *testing.T) {
	for _, c := range []struct {
		url     string
		min     int
		wantMin int32
	}{
		{"postgres://u@h/db?pool_max_conns=20", 20, 20},
		{"postgres://u@h/db?pool_max_conns=8", 20, 8},
		{"postgres://u@h/db?pool_max_conns=8&pool_min_conns=2", 6, 2},
		{"postgres://u@h/db?pool_max_conns=8", 0, 0},
	} {
		pc, err := pgxpool.ParseConfig(c.url)
		if err != nil {
			t.Fatal(err)
		}
		postgres.PoolSize(pc, c.min)
		if pc.MinConns != c.wantMin {
			t.Errorf("%s with %d: minimum %d, want %d", c.url, c.min, pc.MinConns, c.wantMin)
		}
		if pc.AfterConnect == nil {
			t.Errorf("%s: new connections are not warmed", c.url)
		}
	}
}

// TestOpenPoolOpensItsMinimumWarmedBeforeItReturns: OpenPool returns with the
// pool's minimum of connections open, each warmed (its server process has planned
// a read of every table: the catalog entries of tdkt's tables are loaded), also for
// an application role that may not read some tables (the warm-up skips them).
func TestOpenPoolOpensItsMinimumWarmedBeforeItReturns(t *testing.T) {
	ctx := context.Background()
	admin := pgtest.NewPool(t)
	role, _ := throwawayRole(t, admin, func(_, ident string) []string {
		return []string{
			`CREATE ROLE ` + ident + ` LOGIN`,
			`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ` + ident,
			`REVOKE SELECT ON audit_events FROM ` + ident,
		}
	})
	for _, user := range []string{"", role} {
		pc := admin.Config()
		if user != "" {
			pc.ConnConfig.User = user
		}
		pc.MaxConns, pc.MinConns, pc.AfterConnect = 6, 0, nil
		var warmed atomic.Int32
		pc.AfterConnect = func(ctx context.Context, c *pgx.Conn) error { warmed.Add(1); return nil }
		postgres.PoolSize(pc, 4)
		pool, err := postgres.OpenPool(ctx, pc)
		if err != nil {
			t.Fatalf("as %q: %v", user, err)
		}
		// The minimum, and maybe the first connection, opened at once beside it.
		if n := pool.Stat().TotalConns() - pool.Stat().ConstructingConns(); n < 4 || n > 5 || warmed.Load() < 4 {
			t.Errorf("as %q: %d connections open (%d through AfterConnect) when OpenPool returned, want 4 or 5", user, n, warmed.Load())
		}
		pool.Close()
	}
}
