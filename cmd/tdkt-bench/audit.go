package main

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tdkt/tdkt/internal/ops"
	"github.com/tdkt/tdkt/internal/postgres"
)

// The audit scenario measures what the audit log costs an operator at national
// scale: the dossiers of the reads scenario, each with the events its status
// implies (a decided dossier 12: created, submitted, accepted and approved at the
// commune, forwarded, accepted and approved at the province, three votes, the vote
// closed, decided) written through the chain trigger as the application writes
// them, and a decision for each decided dossier. It then times anchoring every
// dossier chain, `tdkt audit verify` (postgres.DB.VerifyAuditChain) with its heap,
// and the business gauges a /metrics scrape reads (ops.Store.LoadOpsGauges), with
// the two of them that read the events and the decisions timed on their own.
//
// With -reuse NAME it works on a copy, NAME_audit, of the reads database NAME
// (seeded first when missing), kept for the next run; otherwise on a throwaway
// database seeded with -dossiers dossiers.

// auditEventsSQL writes the events of the dossiers numbered $1 ≤ d < $2 (the reads
// seed's md5('bench' || d)), in order, through the chain trigger.
const auditEventsSQL = `INSERT INTO audit_events (nomination_id, seq, at, actor_id, action, from_status, to_status, unit_id, details)
	SELECT n.id, a.seq, n.created_at + a.seq * interval '1 day', n.created_by, a.action, '', '',
	       CASE WHEN a.seq <= 4 THEN n.unit_id ELSE n.current_unit_id END,
	       CASE a.action WHEN 'create' THEN jsonb_build_object('title', n.title) WHEN 'vote' THEN jsonb_build_object('vote', 'approve')
	            ELSE '{}'::jsonb END
	FROM generate_series($1::int, $2::int - 1) AS d
	JOIN nominations n ON n.id = md5('bench' || d)::uuid
	CROSS JOIN LATERAL unnest(CASE n.status
	     WHEN 'draft' THEN ARRAY['create']
	     WHEN 'intake' THEN ARRAY['create', 'submit']
	     WHEN 'appraising' THEN ARRAY['create', 'submit', 'accept']
	     WHEN 'returned' THEN ARRAY['create', 'submit', 'accept', 'return']
	     WHEN 'voting' THEN ARRAY['create', 'submit', 'accept', 'approve']
	     WHEN 'forwarding' THEN ARRAY['create', 'submit', 'accept', 'approve', 'vote', 'vote', 'vote', 'close_vote']
	     WHEN 'deciding' THEN ARRAY['create', 'submit', 'accept', 'approve', 'forward', 'accept', 'approve']
	     WHEN 'decided' THEN ARRAY['create', 'submit', 'accept', 'approve', 'forward', 'accept', 'approve',
	                               'vote', 'vote', 'vote', 'close_vote', 'decide']
	     WHEN 'rejected' THEN ARRAY['create', 'submit', 'accept', 'reject']
	     ELSE ARRAY['create', 'submit', 'withdraw'] END) WITH ORDINALITY AS a(action, seq)
	ORDER BY d, a.seq`

// auditDecisionsSQL gives every decided dossier its decision, numbered per
// deciding unit and year.
const auditDecisionsSQL = `INSERT INTO decisions (nomination_id, unit_id, year, number, code, signed_by, signed_on, seq)
	SELECT n.id, n.current_unit_id, n.year, row_number() OVER w, row_number() OVER w || '/QĐ-UBND', n.created_by,
	       n.closed_at::date, 1
	FROM nominations n WHERE n.status = 'decided' AND n.workflow_id LIKE 'bench-%'
	WINDOW w AS (PARTITION BY n.current_unit_id, n.year ORDER BY n.closed_at, n.id)`

type auditReport struct {
	Scenario string  `json:"scenario"`
	Machine  machine `json:"machine"`
	Database string  `json:"database,omitempty"`
	Dossiers int     `json:"dossiers"`
	// Seeding, when this run wrote the events.
	SeedEvents        int64   `json:"seed_events,omitempty"`
	SeedEventsSeconds float64 `json:"seed_events_seconds,omitempty"`
	SeedEventsPerSec  float64 `json:"seed_events_per_second,omitempty"`
	SeedDecisions     int64   `json:"seed_decisions,omitempty"`
	// What is in the log.
	Events      int64 `json:"events"`
	Decisions   int64 `json:"decisions"`
	EventsBytes int64 `json:"audit_events_bytes"` // table, indexes and TOAST
	// Anchoring every dossier chain that moved.
	AnchoredHeads  int     `json:"anchored_heads"`
	AnchorSeconds  float64 `json:"anchor_seconds"`
	VerifySeconds  float64 `json:"verify_seconds"`
	VerifyEvents   int64   `json:"verify_events"`
	VerifyDossiers int64   `json:"verify_dossiers"`
	VerifyPerSec   float64 `json:"verify_events_per_second"`
	VerifyIntact   bool    `json:"verify_intact"`
	VerifyPeakHeap uint64  `json:"verify_peak_heap_bytes"` // peak HeapInuse over the walk, less the heap before it
	// The business gauges, three readings each.
	GaugesMs    []float64 `json:"gauges_ms"`
	ActionsMs   []float64 `json:"actions_gauge_ms"`
	DecisionsMs []float64 `json:"decisions_gauge_ms"`
}

// runAudit is the audit scenario.
func runAudit(ctx context.Context, cfg config) error {
	rep := auditReport{Scenario: "audit", Machine: describeMachine(), Dossiers: cfg.dossiers}
	pool, done, fresh, err := openAuditDatabase(ctx, cfg, &rep)
	if err != nil {
		return err
	}
	defer done()
	if fresh {
		if err := seedAudit(ctx, pool, cfg.dossiers, &rep); err != nil {
			return err
		}
	}
	if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM audit_events), (SELECT count(*) FROM decisions),
			pg_total_relation_size('audit_events')`).Scan(&rep.Events, &rep.Decisions, &rep.EventsBytes); err != nil {
		return err
	}
	fmt.Printf("%d dossiers, %d audit events (%.1f GB with indexes), %d decisions\n", cfg.dossiers, rep.Events,
		float64(rep.EventsBytes)/1e9, rep.Decisions)
	db := postgres.DB{Pool: pool}

	t0 := time.Now()
	if rep.AnchoredHeads, err = db.AnchorAuditChains(ctx); err != nil {
		return err
	}
	rep.AnchorSeconds = time.Since(t0).Seconds()
	fmt.Printf("anchored %d dossier chains in %.1f s\n", rep.AnchoredHeads, rep.AnchorSeconds)

	var base runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&base)
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	})
	t0 = time.Now()
	vr, err := db.VerifyAuditChain(ctx)
	rep.VerifySeconds = time.Since(t0).Seconds()
	close(stop)
	wg.Wait()
	if err != nil {
		return err
	}
	rep.VerifyEvents, rep.VerifyDossiers, rep.VerifyIntact = vr.Events, vr.Dossiers, vr.Break == nil
	rep.VerifyPerSec = float64(vr.Events) / rep.VerifySeconds
	if p := peak.Load(); p > base.HeapInuse {
		rep.VerifyPeakHeap = p - base.HeapInuse
	}
	if vr.Break != nil {
		return fmt.Errorf("audit verify found a break: %s", vr.Break)
	}
	fmt.Printf("verified %d events of %d dossier chains in %.1f s (%.0f events/s), peak heap +%d MiB: intact\n",
		vr.Events, vr.Dossiers, rep.VerifySeconds, rep.VerifyPerSec, rep.VerifyPeakHeap>>20)

	st := ops.NewStore(pool)
	timed := func(dst *[]float64, f func() error) error {
		for range 3 {
			t0 := time.Now()
			if err := f(); err != nil {
				return err
			}
			*dst = append(*dst, float64(time.Since(t0).Microseconds())/1000)
		}
		return nil
	}
	if err := timed(&rep.GaugesMs, func() error { _, err := st.LoadOpsGauges(ctx, time.Now()); return err }); err != nil {
		return err
	}
	actions, decisions := gaugeStatement(ctx, pool, "Actions"), gaugeStatement(ctx, pool, "Decisions")
	if err := timed(&rep.ActionsMs, actions); err != nil {
		return err
	}
	if err := timed(&rep.DecisionsMs, decisions); err != nil {
		return err
	}
	rep.Machine.LoadEnd = loadavg()
	fmt.Printf("\n| audit at %d dossiers | |\n|---|---|\n", cfg.dossiers)
	fmt.Printf("| audit events / decisions | %d / %d |\n", rep.Events, rep.Decisions)
	if rep.SeedEvents > 0 {
		fmt.Printf("| events written through the chain trigger | %d in %.0f s (%.0f/s) |\n", rep.SeedEvents, rep.SeedEventsSeconds, rep.SeedEventsPerSec)
	}
	fmt.Printf("| anchor every dossier chain | %d heads in %.1f s |\n", rep.AnchoredHeads, rep.AnchorSeconds)
	fmt.Printf("| `tdkt audit verify` | %.1f s, %.0f events/s, heap +%d MiB |\n", rep.VerifySeconds, rep.VerifyPerSec, rep.VerifyPeakHeap>>20)
	fmt.Printf("| business gauges (one /metrics reading) | %v ms |\n", rep.GaugesMs)
	fmt.Printf("| of which audit events by action | %v ms |\n", rep.ActionsMs)
	fmt.Printf("| of which decisions by level | %v ms |\n", rep.DecisionsMs)
	fmt.Printf("load average %s → %s\n", rep.Machine.LoadStart, rep.Machine.LoadEnd)
	return writeJSON(cfg.jsonOut, rep)
}

// gaugeStatement runs the statement of one business gauge alone, as
// ops.Store.LoadOpsGauges runs it.
func gaugeStatement(ctx context.Context, pool *pgxpool.Pool, name string) func() error {
	q := ops.GaugeStatement(name)
	return func() error {
		rows, err := pool.Query(ctx, q)
		if err != nil {
			return err
		}
		for rows.Next() {
		}
		return rows.Err()
	}
}

// openAuditDatabase opens the database of the audit scenario; fresh says its
// events are still to be written.
func openAuditDatabase(ctx context.Context, cfg config, rep *auditReport) (pool *pgxpool.Pool, done func(), fresh bool, err error) {
	if cfg.reuse == "" {
		_, pool, done, err := openBenchDatabase(ctx, cfg)
		if err != nil {
			return nil, nil, false, err
		}
		fmt.Printf("seeding %d dossiers…\n", cfg.dossiers)
		if _, _, err := seedReads(ctx, pool, cfg.dossiers); err != nil {
			done()
			return nil, nil, false, err
		}
		return pool, done, true, nil
	}
	name := cfg.reuse + "_audit"
	if !reuseName.MatchString(name) {
		return nil, nil, false, fmt.Errorf("-reuse %q: a database name of lower-case letters, digits and _, at most 56", cfg.reuse)
	}
	rep.Database = name
	conn, err := pgx.Connect(ctx, cfg.databaseURL)
	if err != nil {
		return nil, nil, false, fmt.Errorf("database server: %w", err)
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return nil, nil, false, err
	}
	if !exists {
		// The reads database, seeded when missing, is copied.
		_, src, srcDone, seeded, err := openReadsDatabase(ctx, cfg)
		if err != nil {
			return nil, nil, false, err
		}
		if !seeded {
			fmt.Printf("seeding %d dossiers into %s…\n", cfg.dossiers, cfg.reuse)
			if _, _, err := seedReads(ctx, src, cfg.dossiers); err != nil {
				srcDone()
				return nil, nil, false, err
			}
		}
		srcDone()
		t0 := time.Now()
		if _, err := conn.Exec(ctx, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", name, cfg.reuse)); err != nil {
			return nil, nil, false, err
		}
		fmt.Printf("copied %s to %s in %.0f s\n", cfg.reuse, name, time.Since(t0).Seconds())
	}
	acfg := cfg
	acfg.reuse = name
	if !exists {
		// The copy holds the reads seed's mark; its events are written below.
		_, pool, done, _, err = openReadsDatabase(ctx, acfg)
		return pool, done, true, err
	}
	_, pool, done, _, err = openReadsDatabase(ctx, acfg)
	if err != nil {
		return nil, nil, false, err
	}
	var complete bool
	if err := pool.QueryRow(ctx, `SELECT to_regclass('bench_audit_seeded') IS NOT NULL`).Scan(&complete); err != nil || !complete {
		done()
		return nil, nil, false, fmt.Errorf("database %s holds no complete audit seed (%v): drop it and run again", name, err)
	}
	return pool, done, false, nil
}

// seedAudit writes every dossier's events through the chain trigger, in batches
// of 10,000 dossiers on two connections, and the decisions, then marks the seed.
func seedAudit(ctx context.Context, pool *pgxpool.Pool, dossiers int, rep *auditReport) error {
	const batch = 10_000
	fmt.Printf("writing the audit events of %d dossiers through the chain trigger…\n", dossiers)
	t0 := time.Now()
	var next, written atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for range 2 {
		wg.Go(func() {
			for {
				lo := int(next.Add(batch)) - batch
				if lo >= dossiers {
					return
				}
				tag, err := pool.Exec(ctx, auditEventsSQL, lo, min(lo+batch, dossiers))
				if err != nil {
					errs <- fmt.Errorf("audit events of dossiers %d–%d: %w", lo, lo+batch, err)
					return
				}
				if n := written.Add(tag.RowsAffected()); lo%(20*batch) == 0 {
					fmt.Printf("  %d dossiers, %d events, %.0f s\n", lo+batch, n, time.Since(t0).Seconds())
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	rep.SeedEvents, rep.SeedEventsSeconds = written.Load(), time.Since(t0).Seconds()
	rep.SeedEventsPerSec = float64(rep.SeedEvents) / rep.SeedEventsSeconds
	fmt.Printf("wrote %d events in %.0f s (%.0f/s)\n", rep.SeedEvents, rep.SeedEventsSeconds, rep.SeedEventsPerSec)
	tag, err := pool.Exec(ctx, auditDecisionsSQL)
	if err != nil {
		return fmt.Errorf("decisions: %w", err)
	}
	rep.SeedDecisions = tag.RowsAffected()
	for _, q := range []string{`VACUUM ANALYZE audit_events`, `VACUUM ANALYZE audit_dossier_heads`, `VACUUM ANALYZE decisions`,
		`CREATE TABLE bench_audit_seeded AS SELECT 1 AS done`} {
		if _, err := pool.Exec(ctx, q); err != nil {
			return err
		}
	}
	return nil
}
