package postgres_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tdkt/tdkt/internal/pgtest"
	"github.com/tdkt/tdkt/internal/postgres"
	"github.com/tdkt/tdkt/internal/seed"
)

// dossierFixture seeds the demo and returns four of its dossiers.
func dossierFixture(t *testing.T) (*pgxpool.Pool, []string) {
	t.Helper()
	pool := pgtest.NewPool(t)
	ctx := context.Background()
	if _, _, err := seed.DemoToday(ctx, pool, func(string) (string, error) { return "x", nil }); err != nil {
		t.Fatal(err)
	}
	rows, err := pool.Query(ctx, `SELECT id::text FROM nominations ORDER BY id LIMIT 4`)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if len(ids) != 4 {
		t.Fatalf("the demo has %d dossiers, want at least 4", len(ids))
	}
	return pool, ids
}

// dossierEvents writes n events of a dossier numbered from seq, each in its own
// transaction, as the Record activity does.
func dossierEvents(t *testing.T, pool *pgxpool.Pool, dossier string, seq, n int) {
	t.Helper()
	ctx := context.Background()
	for i := 0; i < n; i++ {
		if _, err := pool.Exec(ctx, `INSERT INTO audit_events (nomination_id, seq, at, action, to_status, details)
			VALUES ($1, $2, now(), 'note', 'appraising', jsonb_build_object('i', $2::int, 'note', 'Thẩm định hồ sơ'))`, dossier, seq+i); err != nil {
			t.Error(err)
			return
		}
	}
}

// newDossiers adds n draft dossiers like the demo's first, their ids md5(prefix ||
// i) for i from 1: spread over the whole range of ids.
func newDossiers(t *testing.T, pool *pgxpool.Pool, prefix string, n int) {
	t.Helper()
	if _, err := pool.Exec(context.Background(), `INSERT INTO nominations (id, workflow_id, unit_id, award_code, year, title,
			status, current_step, current_unit_id, route, created_by, created_at, updated_at)
		SELECT md5($1 || i)::uuid, $1 || '-' || i, n.unit_id, n.award_code, n.year, 'Hồ sơ ' || i, 'draft',
			'submit', n.unit_id, n.route, n.created_by, now(), now()
		FROM generate_series(1, $2::int) AS i, (SELECT * FROM nominations ORDER BY id LIMIT 1) AS n`, prefix, n); err != nil {
		t.Fatal(err)
	}
}

func verify(t *testing.T, pool *pgxpool.Pool) postgres.AuditChainReport {
	t.Helper()
	rep, err := postgres.DB{Pool: pool}.VerifyAuditChain(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestDossierAuditChains: events of four dossiers written by eight writers at once
// go to their dossiers' chains, not the global one; the whole log verifies; an
// anchor then lists every moved dossier head in the global chain, and nothing is
// left unanchored.
func TestDossierAuditChains(t *testing.T) {
	pool, ids := dossierFixture(t)
	ctx := context.Background()
	before := verify(t, pool)
	if before.Break != nil {
		t.Fatalf("the demo's log: %v", before.Break)
	}
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() { defer wg.Done(); dossierEvents(t, pool, ids[w%4], 100+100*w, 10) }()
	}
	wg.Wait()
	var globalHead int64
	if err := pool.QueryRow(ctx, `SELECT last_seq FROM audit_chain_head`).Scan(&globalHead); err != nil {
		t.Fatal(err)
	}
	rep := verify(t, pool)
	if rep.Break != nil {
		t.Fatalf("after 80 concurrent dossier events: %v", rep.Break)
	}
	if rep.Events != before.Events+80 || rep.DossierEvents != before.DossierEvents+80 || rep.Unanchored != before.Unanchored+80 {
		t.Fatalf("after 80 dossier events: %+v (before %+v)", rep, before)
	}
	if globalHead != before.Events-before.DossierEvents {
		t.Fatalf("the global chain moved to %d with dossier events only (was %d)", globalHead, before.Events-before.DossierEvents)
	}
	n, err := postgres.DB{Pool: pool}.AnchorAuditChains(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n < 4 {
		t.Fatalf("anchored %d dossier heads, want at least the 4 written", n)
	}
	rep = verify(t, pool)
	if rep.Break != nil || rep.Unanchored != 0 || rep.Events != before.Events+81 {
		t.Fatalf("after the anchor: %+v %v", rep, rep.Break)
	}
	if n, err := (postgres.DB{Pool: pool}).AnchorAuditChains(ctx); err != nil || n != 0 {
		t.Fatalf("a second anchor with nothing moved: %d %v", n, err)
	}
}

// TestDossierAuditChainsNameTheAlteredRow alters a dossier's events as the
// database owner could (append-only trigger off) and checks that verification
// names what was done: content changed, a middle event deleted, the tail cut (its
// head left), every event deleted, the head deleted or altered, and the whole
// dossier chain rewritten with every hash and the head
// recomputed, which only its anchor shows.
func TestDossierAuditChainsNameTheAlteredRow(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name, sql, want string
		anchored        bool
	}{
		{"content", `UPDATE audit_events SET details = '{"note": "Đã sửa"}' WHERE nomination_id = $1 AND dossier_pos = 3`,
			"content no longer matches its hash", false},
		{"deleted", `DELETE FROM audit_events WHERE nomination_id = $1 AND dossier_pos = 2`,
			"missing (deleted)", false},
		{"tail cut", `DELETE FROM audit_events WHERE nomination_id = $1 AND dossier_pos = (SELECT max(dossier_pos) FROM audit_events WHERE nomination_id = $1)`,
			"removed from the end", false},
		{"all removed", `DELETE FROM audit_events WHERE nomination_id = $1 AND dossier_pos IS NOT NULL`,
			"none remain", false},
		{"head removed", `DELETE FROM audit_dossier_heads WHERE nomination_id = $1`,
			"has no chain head", false},
		{"head altered", `UPDATE audit_dossier_heads SET last_hash = sha256('x') WHERE nomination_id = $1`,
			"head's hash differs", false},
		{"rewritten", `UPDATE audit_events SET details = '{"note": "Đã sửa"}' WHERE nomination_id = $1 AND dossier_pos = 3;
			DO $$
			DECLARE r audit_events; prev bytea;
			BEGIN
				FOR r IN SELECT * FROM audit_events WHERE nomination_id = '%s' AND dossier_pos IS NOT NULL ORDER BY dossier_pos LOOP
					IF r.dossier_pos = 1 THEN prev := r.prev_hash; END IF;
					UPDATE audit_events e SET prev_hash = prev,
						hash = sha256(prev || convert_to(audit_event_canonical_dossier(r), 'UTF8')) WHERE e.id = r.id
						RETURNING e.hash INTO prev;
				END LOOP;
				UPDATE audit_dossier_heads SET last_hash = prev WHERE nomination_id = '%s';
			END $$`, "rewritten with their hashes recomputed", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pool, ids := dossierFixture(t)
			dossierEvents(t, pool, ids[0], 100, 5)
			dossierEvents(t, pool, ids[1], 100, 2)
			if tc.anchored {
				if _, err := (postgres.DB{Pool: pool}).AnchorAuditChains(ctx); err != nil {
					t.Fatal(err)
				}
			}
			if rep := verify(t, pool); rep.Break != nil {
				t.Fatalf("before: %v", rep.Break)
			}
			// The dossier's chain starts at its first event written since 0024.
			var first int
			if err := pool.QueryRow(ctx, `SELECT min(dossier_pos) FROM audit_events WHERE nomination_id = $1`, ids[0]).Scan(&first); err != nil || first != 1 {
				t.Fatalf("first position %d %v", first, err)
			}
			tx, err := pool.Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback(ctx) //nolint:errcheck // committed below
			if _, err := tx.Exec(ctx, `ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update`); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(tc.sql, "%s") {
				_, err = tx.Exec(ctx, strings.ReplaceAll(strings.Replace(tc.sql, "$1", "'"+ids[0]+"'", 1), "%s", ids[0]))
			} else {
				_, err = tx.Exec(ctx, tc.sql, ids[0])
			}
			if err != nil {
				t.Fatal(err)
			}
			if _, err := tx.Exec(ctx, `ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update`); err != nil {
				t.Fatal(err)
			}
			if err := tx.Commit(ctx); err != nil {
				t.Fatal(err)
			}
			rep := verify(t, pool)
			if rep.Break == nil || !strings.Contains(rep.Break.Reason, tc.want) {
				t.Fatalf("want %q, got %+v", tc.want, rep.Break)
			}
			if !tc.anchored && rep.Break.NominationID != ids[0] {
				t.Fatalf("the break names dossier %q, want %s", rep.Break.NominationID, ids[0])
			}
			t.Log(rep.Break)
		})
	}
}

// TestChainTriggerFindsHeadsByKeyOnASmallTable: with audit_dossier_heads analyzed
// while it held a few rows (the demo's dossiers), one statement writes twelve
// events for each of twenty new dossiers. The chain trigger must find each
// dossier's head by its key: no sequential scan of the heads (with one, as its
// generic plan chose before migration 0029, every event read every head written
// before it, and such a statement over 10,000 dossiers ran for over ten minutes).
// The chains written verify.
func TestChainTriggerFindsHeadsByKeyOnASmallTable(t *testing.T) {
	pool, _ := dossierFixture(t)
	ctx := context.Background()
	newDossiers(t, pool, "heads", 20)
	if _, err := pool.Exec(ctx, `VACUUM ANALYZE audit_dossier_heads`); err != nil {
		t.Fatal(err)
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	seqScans := func() int64 {
		t.Helper()
		var n int64
		if _, err := conn.Exec(ctx, `SELECT pg_stat_force_next_flush()`); err != nil {
			t.Fatal(err)
		}
		// A new transaction, so that the statistics are read afresh.
		if err := conn.QueryRow(ctx, `SELECT seq_scan FROM pg_stat_user_tables WHERE relname = 'audit_dossier_heads'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := seqScans()
	tag, err := conn.Exec(ctx, `INSERT INTO audit_events (nomination_id, seq, at, action, details)
		SELECT md5('heads' || i)::uuid, s, now(), 'note', jsonb_build_object('s', s)
		FROM generate_series(1, 20) AS i, generate_series(1, 12) AS s ORDER BY i, s`)
	if err != nil {
		t.Fatal(err)
	}
	if tag.RowsAffected() != 240 {
		t.Fatalf("wrote %d events, want 240", tag.RowsAffected())
	}
	if after := seqScans(); after != before {
		t.Errorf("writing 240 events scanned audit_dossier_heads whole %d times, want 0", after-before)
	}
	if rep := verify(t, pool); rep.Break != nil {
		t.Fatalf("the chains break: %v", rep.Break)
	}
}

// TestVerifyNeedsTwoConnections: the walk reads the dossier heads on a second
// connection; a pool of one is refused with a clear error instead of waiting
// forever for a connection it holds.
func TestVerifyNeedsTwoConnections(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.NewPool(t)
	cfg := pool.Config()
	cfg.MaxConns = 1
	one, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer one.Close()
	_, err = postgres.DB{Pool: one}.VerifyAuditChain(ctx)
	if err == nil || !strings.Contains(err.Error(), "two connections") {
		t.Fatalf("verify on a pool of one connection: %v", err)
	}
	if rep := verify(t, pool); rep.Break != nil {
		t.Fatalf("verify on the test's pool: %v", rep.Break)
	}
}

// TestVerifyWalksBothHalvesOfTheDossiers: the dossier chains are walked in two
// halves of the ids at once. Dossiers in both halves are all counted; a row
// altered in the second half is named; with rows altered in both halves, the one
// of the first half is named, as a walk in one piece names it.
func TestVerifyWalksBothHalvesOfTheDossiers(t *testing.T) {
	pool, _ := dossierFixture(t)
	ctx := context.Background()
	newDossiers(t, pool, "halves", 20)
	if _, err := pool.Exec(ctx, `INSERT INTO audit_events (nomination_id, seq, at, action, details)
		SELECT md5('halves' || i)::uuid, s, now(), 'note', jsonb_build_object('s', s)
		FROM generate_series(1, 20) AS i, generate_series(1, 3) AS s ORDER BY i, s`); err != nil {
		t.Fatal(err)
	}
	var first, second string
	var dossiers, events int64
	if err := pool.QueryRow(ctx, `SELECT
			(SELECT nomination_id::text FROM audit_events WHERE dossier_pos IS NOT NULL AND nomination_id < '80000000-0000-0000-0000-000000000000' ORDER BY nomination_id LIMIT 1),
			(SELECT nomination_id::text FROM audit_events WHERE dossier_pos IS NOT NULL AND nomination_id >= '80000000-0000-0000-0000-000000000000' ORDER BY nomination_id DESC LIMIT 1),
			(SELECT count(DISTINCT nomination_id) FROM audit_events WHERE dossier_pos IS NOT NULL),
			(SELECT count(*) FROM audit_events WHERE dossier_pos IS NOT NULL)`).Scan(&first, &second, &dossiers, &events); err != nil {
		t.Fatalf("dossiers in both halves: %v", err)
	}
	rep := verify(t, pool)
	if rep.Break != nil || rep.Dossiers != dossiers || rep.DossierEvents != events {
		t.Fatalf("intact log: %d dossiers and %d events walked, want %d and %d; %v", rep.Dossiers, rep.DossierEvents, dossiers, events, rep.Break)
	}
	alter := func(dossier string) {
		t.Helper()
		if _, err := pool.Exec(ctx, `ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update;
			UPDATE audit_events SET details = '{"note": "Đã sửa"}' WHERE nomination_id = '`+dossier+`' AND dossier_pos = 1;
			ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update`); err != nil {
			t.Fatal(err)
		}
	}
	alter(second)
	if rep := verify(t, pool); rep.Break == nil || rep.Break.NominationID != second {
		t.Fatalf("a row altered in the second half (%s): %+v", second, rep.Break)
	}
	alter(first)
	if rep := verify(t, pool); rep.Break == nil || rep.Break.NominationID != first {
		t.Fatalf("rows altered in both halves: %+v, want the first half's %s", rep.Break, first)
	}
}
