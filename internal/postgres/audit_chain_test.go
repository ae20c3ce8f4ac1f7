package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tdkt/tdkt/internal/pgtest"
	"github.com/tdkt/tdkt/internal/postgres"
)

// insertAuditRows writes n audit rows, each in its own transaction, as the Record
// activity and the other writers do.
func insertAuditRows(t *testing.T, pool *pgxpool.Pool, worker, n int) {
	t.Helper()
	ctx := context.Background()
	for i := 0; i < n; i++ {
		if _, err := pool.Exec(ctx, `INSERT INTO audit_events (seq, at, action, to_status, details)
			VALUES ($1, now(), 'test', 'draft', jsonb_build_object('worker', $2::int, 'i', $1::int, 'text', 'Thẩm định hồ sơ'))`, i, worker); err != nil {
			t.Error(err)
			return
		}
	}
}

// TestAuditChainHoldsUnderConcurrentInserts: 8 writers insert 40 rows each at the
// same time; the chain has every row once, in one order, and verifies.
func TestAuditChainHoldsUnderConcurrentInserts(t *testing.T) {
	pool := pgtest.NewPool(t)
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() { defer wg.Done(); insertAuditRows(t, pool, w, 40) }()
	}
	wg.Wait()
	rep, err := postgres.DB{Pool: pool}.VerifyAuditChain(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Break != nil || rep.Events != 320 || len(rep.Head) != 64 {
		t.Fatalf("after 320 concurrent inserts: %+v %v", rep, rep.Break)
	}
}

// TestAuditChainNamesTheAlteredRow alters, with the append-only trigger disabled
// (as the database owner could), one row's content; then one row's content with
// its hash recomputed; then deletes a row; then cuts the tail. Verify names the row
// each time.
func TestAuditChainNamesTheAlteredRow(t *testing.T) {
	pool := pgtest.NewPool(t)
	ctx := context.Background()
	insertAuditRows(t, pool, 1, 10)
	st := (postgres.DB{Pool: pool})
	ids := map[int]int64{}
	rows, _ := pool.Query(ctx, `SELECT chain_seq, id FROM audit_events`)
	for rows.Next() {
		var pos, id int64
		if err := rows.Scan(&pos, &id); err != nil {
			t.Fatal(err)
		}
		ids[int(pos)] = id
	}
	tamper := func(sql string, args ...any) {
		t.Helper()
		tx, err := pool.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback(ctx) //nolint:errcheck // committed below
		for _, q := range []string{`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update`, sql,
			`ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update`} {
			a := []any(nil)
			if q == sql {
				a = args
			}
			if _, err := tx.Exec(ctx, q, a...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	}
	check := func(wantID int64, wantReason string) {
		t.Helper()
		rep, err := st.VerifyAuditChain(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Break == nil || rep.Break.ID != wantID || !strings.Contains(rep.Break.Reason, wantReason) {
			t.Fatalf("want a break at id %d (%s), got %+v", wantID, wantReason, rep.Break)
		}
	}
	if rep, _ := st.VerifyAuditChain(ctx); rep.Break != nil || rep.Events != 10 {
		t.Fatalf("untouched chain: %+v", rep)
	}

	// The append-only trigger refuses a plain UPDATE, DELETE and TRUNCATE.
	for _, q := range []string{`UPDATE audit_events SET action = 'x'`, `DELETE FROM audit_events`, `TRUNCATE audit_events`} {
		if _, err := pool.Exec(ctx, q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Fatalf("%s: %v", q, err)
		}
	}

	// Content altered, hash left: the row itself is named.
	tamper(`UPDATE audit_events SET details = '{"worker": 1, "i": 6, "text": "Đã sửa"}' WHERE id = $1`, ids[7])
	check(ids[7], "content no longer matches")
	tamper(`UPDATE audit_events SET details = jsonb_build_object('worker', 1, 'i', 6, 'text', 'Thẩm định hồ sơ') WHERE id = $1`, ids[7])
	if rep, _ := st.VerifyAuditChain(ctx); rep.Break != nil {
		t.Fatalf("restored chain: %v", rep.Break)
	}

	// Content altered and the row's own hash recomputed: the link to the next breaks.
	tamper(`UPDATE audit_events SET action = 'forged' WHERE id = $1`, ids[4])
	tamper(`UPDATE audit_events e SET hash = sha256(e.prev_hash || convert_to(audit_event_canonical(e), 'UTF8')) WHERE e.id = $1`, ids[4])
	rep, _ := st.VerifyAuditChain(ctx)
	if rep.Break == nil || rep.Break.ID != ids[4] {
		t.Fatalf("recomputed hash of id %d: %+v", ids[4], rep.Break)
	}
	if rep.Events != 3 {
		t.Fatalf("%d intact events before the forged one, want 3", rep.Events)
	}
}

// TestAuditChainDetectsDeletedAndForeignRows: a deleted middle row, a row inserted
// with the chain trigger off, and rows cut off the end are each reported.
func TestAuditChainDetectsDeletedAndForeignRows(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name, sql, want string
	}{
		{"deleted", `DELETE FROM audit_events WHERE chain_seq = 3`, "missing (deleted)"},
		{"tail cut", `DELETE FROM audit_events WHERE chain_seq >= 4`, "removed from the end"},
		{"foreign", `ALTER TABLE audit_events DISABLE TRIGGER audit_events_chain;
			ALTER TABLE audit_events ALTER COLUMN chain_seq DROP NOT NULL, ALTER COLUMN prev_hash DROP NOT NULL, ALTER COLUMN hash DROP NOT NULL;
			INSERT INTO audit_events (seq, at, action) VALUES (99, now(), 'smuggled')`, "outside the chain"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pool := pgtest.NewPool(t)
			insertAuditRows(t, pool, 1, 5)
			if _, err := pool.Exec(ctx, `ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update; `+tc.sql); err != nil {
				t.Fatal(err)
			}
			rep, err := postgres.DB{Pool: pool}.VerifyAuditChain(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Break == nil || !strings.Contains(rep.Break.Reason, tc.want) {
				t.Fatalf("want %q, got %+v", tc.want, rep.Break)
			}
		})
	}
}

// TestApplicationRoleCannotRewriteTheAuditLog creates a login role that is not the
// owner, grants it what docker-compose's tdkt_app gets, applies
// audit_restrict_role, and shows that it can append audit rows (chained by the
// SECURITY DEFINER trigger) but not update, delete or truncate them, nor move the
// chain head.
func TestApplicationRoleCannotRewriteTheAuditLog(t *testing.T) {
	pool := pgtest.NewPool(t)
	ctx := context.Background()
	_, ident := throwawayRole(t, pool, func(role, ident string) []string {
		return []string{
			`CREATE ROLE ` + ident + ` NOLOGIN`,
			`GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA public TO ` + ident,
			`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ` + ident,
			`SELECT audit_restrict_role('` + role + `')`,
		}
	})
	conn, err := pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SET ROLE `+ident); err != nil {
		t.Fatal(err)
	}
	defer conn.Exec(context.Background(), `RESET ROLE`) //nolint:errcheck // the connection is released after
	if _, err := conn.Exec(ctx, `INSERT INTO audit_events (seq, at, action) VALUES (1, now(), 'by the app role')`); err != nil {
		t.Fatalf("the application role cannot append: %v", err)
	}
	for _, q := range []string{`UPDATE audit_events SET action = 'x'`, `DELETE FROM audit_events`, `TRUNCATE audit_events`,
		`UPDATE audit_chain_head SET last_seq = 0`, `UPDATE audit_dossier_heads SET last_pos = 0`,
		`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update`} {
		if _, err := conn.Exec(ctx, q); err == nil || !(strings.Contains(err.Error(), "permission denied") || strings.Contains(err.Error(), "must be owner")) {
			t.Errorf("%s as the application role: %v", q, err)
		}
	}
	var anchored int
	if err := conn.QueryRow(ctx, `SELECT audit_anchor()`).Scan(&anchored); err != nil || anchored != 0 {
		t.Errorf("the application role anchors (nothing to anchor): %d %v", anchored, err)
	}
	if _, err := conn.Exec(ctx, `RESET ROLE`); err != nil {
		t.Fatal(err)
	}
	if rep, err := (postgres.DB{Pool: pool}).VerifyAuditChain(ctx); err != nil || rep.Break != nil || rep.Events != 1 {
		t.Fatalf("after the application role's insert: %+v %v", rep, err)
	}
}

// BenchmarkAuditInsertChained measures one audit row inserted in its own
// transaction, chained by the trigger under the head's lock.
func BenchmarkAuditInsertChained(b *testing.B) {
	pool := pgtest.NewPool(b)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		i++
		if _, err := pool.Exec(ctx, `INSERT INTO audit_events (seq, at, action, details) VALUES ($1, now(), 'bench', '{"note": "Thẩm định"}')`, i); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyAuditChain measures `tdkt audit verify` over 10,000 events.
func BenchmarkVerifyAuditChain(b *testing.B) {
	pool := pgtest.NewPool(b)
	ctx := context.Background()
	if _, err := pool.Exec(ctx, `INSERT INTO audit_events (seq, at, action, details)
		SELECT g, now(), 'bench', jsonb_build_object('note', 'Thẩm định hồ sơ', 'i', g) FROM generate_series(1, 10000) g`); err != nil {
		b.Fatal(err)
	}
	st := (postgres.DB{Pool: pool})
	for b.Loop() {
		rep, err := st.VerifyAuditChain(ctx)
		if err != nil || rep.Break != nil || rep.Events != 10000 {
			b.Fatalf("%+v %v", rep, err)
		}
	}
}

// throwawayRole creates a role of a random name with the statements setup gives for
// it (the first one creating it) and drops it, with what it owns, when the test
// ends. It returns the role's name and its quoted identifier.
func throwawayRole(t *testing.T, pool *pgxpool.Pool, setup func(role, ident string) []string) (string, string) {
	t.Helper()
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	role := "tdkt_t_app_" + hex.EncodeToString(b)
	ident := pgx.Identifier{role}.Sanitize()
	for _, q := range setup(role, ident) {
		if _, err := pool.Exec(context.Background(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	t.Cleanup(func() {
		for _, q := range []string{`DROP OWNED BY ` + ident, `DROP ROLE ` + ident} {
			if _, err := pool.Exec(context.Background(), q); err != nil {
				t.Errorf("%s: %v", q, err)
			}
		}
	})
	return role, ident
}
