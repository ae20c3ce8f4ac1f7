package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/tdkt/tdkt/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// TestAuditVerifyNamesTheAlteredRow runs `tdkt audit verify` on an intact log, then
// alters one row as the database owner could (append-only trigger disabled) and
// runs it again: it names that row and fails.
func TestAuditVerifyNamesTheAlteredRow(t *testing.T) {
	pool := pgtest.NewPool(t)
	ctx := context.Background()
	for i := 1; i <= 12; i++ {
		if _, err := pool.Exec(ctx, `INSERT INTO audit_events (seq, at, actor_id, action, from_status, to_status, details)
			VALUES ($1, now(), NULL, 'approve', 'appraising', 'voting', '{"note": "Đủ điều kiện"}')`, i); err != nil {
			t.Fatal(err)
		}
	}
	getenv := func(k string) string {
		if k == "DATABASE_URL" {
			return pool.Config().ConnString()
		}
		return ""
	}
	var out bytes.Buffer
	if err := auditCmd(ctx, getenv, []string{"verify"}, &out); err != nil {
		t.Fatalf("intact log: %v\n%s", err, out.String())
	}
	if !strings.HasPrefix(out.String(), "audit chain intact: 12 events\n  12 in the global chain, 0 in 0 dossier chains") {
		t.Fatalf("intact log printed %q", out.String())
	}

	var id int64
	if err := pool.QueryRow(ctx, `SELECT id FROM audit_events WHERE chain_seq = 8`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update;
		UPDATE audit_events SET to_status = 'decided' WHERE chain_seq = 8;
		ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update`); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	err := auditCmd(ctx, getenv, []string{"verify"}, &out)
	if !errors.Is(err, errAuditBroken) {
		t.Fatalf("altered log: error %v\n%s", err, out.String())
	}
	if want := fmt.Sprintf("after 7 intact events at event id %d (chain position 8", id); !strings.Contains(out.String(), want) {
		t.Fatalf("altered log printed %q, want it to contain %q", out.String(), want)
	}
	if err := auditCmd(ctx, getenv, []string{"bogus"}, &out); err == nil {
		t.Fatal("an unknown subcommand was accepted")
	}
}
