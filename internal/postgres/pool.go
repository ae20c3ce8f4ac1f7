package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// A process that has just started answers its first requests on new PostgreSQL
// connections. A new server process (backend) knows nothing of tdkt's tables: the
// first statement that touches a table reads its catalog rows (columns, indexes,
// constraints, statistics) into the backend's caches (a four-table join planned in
// 4–28 ms on a new backend, 1 ms after). With 50 people reading right after a start,
// 20 new connections did this at once on two cores: in the first 5 s the reads' p99
// was 248 ms (max 337 ms) with the pool opened on demand, 44 ms (max 68 ms) with its
// 20 connections opened and warmed first (cmd/tdkt-bench -scenario reads -think 1s,
// the shared dashboard figures counted first in both). So the pool keeps MinConns
// connections open, every new connection is warmed before the pool hands it out
// (WarmConn, as pgxpool's AfterConnect), and `tdkt serve` opens the minimum
// (OpenPool) before it listens, so that /readyz answers only then.

// PoolSize sets the pool's minimum number of open connections to minConns (at
// most the pool's maximum), unless the database URL sets pool_min_conns, and
// warms every new connection (WarmConn) before the pool hands it out.
func PoolSize(pc *pgxpool.Config, minConns int) {
	if pc.MinConns == 0 {
		pc.MinConns = int32(max(0, min(minConns, int(pc.MaxConns))))
	}
	after := pc.AfterConnect
	pc.AfterConnect = func(ctx context.Context, c *pgx.Conn) error {
		if after != nil {
			if err := after(ctx, c); err != nil {
				return err
			}
		}
		return WarmConn(ctx, c)
	}
}

// warmSQL plans, without running it, a read of every table of the schema the
// connection works in with a condition on each of its columns: planning opens the
// table and each of its indexes and reads the columns' statistics, which loads
// their catalog rows into the backend's caches. It reads no table data.
const warmSQL = `DO $warm$
DECLARE r record;
BEGIN
	FOR r IN SELECT c.oid::regclass AS t, string_agg(format('%I IS NULL', a.attname), ' OR ') AS cond
		FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
		WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
			AND has_table_privilege(c.oid, 'SELECT')
		GROUP BY c.oid
	LOOP
		EXECUTE format('EXPLAIN SELECT * FROM %s WHERE %s', r.t, r.cond);
	END LOOP;
END
$warm$`

// WarmConn readies a new connection's server process for tdkt's statements: it
// loads the catalog entries of every table and index of tdkt's schema (warmSQL),
// about 30 ms at tdkt's 66 tables, so that the first reads on the connection do
// not.
func WarmConn(ctx context.Context, c *pgx.Conn) error {
	if _, err := c.Exec(ctx, warmSQL); err != nil {
		return fmt.Errorf("warm connection: %w", err)
	}
	return nil
}

// OpenPool opens the pool of pc and returns once its MinConns connections are
// open, each warmed (PoolSize): a process calls it before it reports ready. pgxpool
// opens the minimum in the background; a first connection (Ping) reports at once a
// server that cannot be reached.
func OpenPool(ctx context.Context, pc *pgxpool.Config) (*pgxpool.Pool, error) {
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, err
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	deadline := time.Now().Add(time.Minute)
	for {
		st := pool.Stat()
		if st.TotalConns()-st.ConstructingConns() >= pc.MinConns {
			return pool, nil
		}
		if time.Now().After(deadline) {
			pool.Close()
			return nil, fmt.Errorf("open %d connections: %d open after a minute", pc.MinConns, st.TotalConns()-st.ConstructingConns())
		}
		select {
		case <-ctx.Done():
			pool.Close()
			return nil, ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
}
