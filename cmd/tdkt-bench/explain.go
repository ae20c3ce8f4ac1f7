package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// slowQuery is the slowest run of one SQL text.
type slowQuery struct {
	sql  string
	args []any
	took time.Duration
	n    int
}

// slowTracer keeps, per SQL text, the slowest run over threshold with its arguments.
type slowTracer struct {
	threshold time.Duration
	mu        sync.Mutex
	slow      map[string]slowQuery
}

type traceKey struct{}

type traceStart struct {
	at   time.Time
	sql  string
	args []any
}

func (t *slowTracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	return context.WithValue(ctx, traceKey{}, traceStart{at: time.Now(), sql: d.SQL, args: d.Args})
}

func (t *slowTracer) TraceQueryEnd(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryEndData) {
	st, ok := ctx.Value(traceKey{}).(traceStart)
	if !ok || d.Err != nil {
		return
	}
	took := time.Since(st.at)
	if took < t.threshold {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	q := t.slow[st.sql]
	q.n++
	if took > q.took {
		q.sql, q.args, q.took = st.sql, st.args, took
	}
	t.slow[st.sql] = q
}

// explainSlow prints EXPLAIN (ANALYZE, BUFFERS) of every statement the tracer kept,
// slowest first, run again with the arguments of its slowest run.
func explainSlow(ctx context.Context, pool *pgxpool.Pool, t *slowTracer) {
	t.mu.Lock()
	qs := make([]slowQuery, 0, len(t.slow))
	for _, q := range t.slow {
		qs = append(qs, q)
	}
	t.mu.Unlock()
	slices.SortFunc(qs, func(a, b slowQuery) int { return int(b.took - a.took) })
	fmt.Printf("\n%d SQL statements took ≥ %s at least once\n", len(qs), t.threshold)
	for _, q := range qs {
		if head := strings.ToUpper(strings.TrimSpace(q.sql)); !strings.HasPrefix(head, "SELECT") && !strings.HasPrefix(head, "WITH") {
			continue // EXPLAIN ANALYZE runs the statement: only reads are explained
		}
		fmt.Printf("\n--- slowest %.1f ms, %d runs ≥ %s:\n%s\n", float64(q.took.Microseconds())/1e3, q.n, t.threshold, strings.TrimSpace(q.sql))
		fmt.Printf("--- args: %v\n", q.args)
		rows, err := pool.Query(ctx, "EXPLAIN (ANALYZE, BUFFERS) "+q.sql, q.args...)
		if err != nil {
			fmt.Println("explain:", err)
			continue
		}
		lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			fmt.Println("explain:", err)
			continue
		}
		fmt.Println(strings.Join(lines, "\n"))
	}
}
