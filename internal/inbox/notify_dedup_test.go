package inbox_test

import (
	"context"
	"testing"

	"github.com/tdkt/tdkt/internal/inbox"
	"github.com/tdkt/tdkt/internal/pgtest"
	"github.com/tdkt/tdkt/internal/seed"
)

func TestNotifyWithADedupKeyWritesOncePerUser(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.NewPool(t)
	if _, err := seed.Demo(ctx, pool, func(string) (string, error) { return "x", nil }); err != nil {
		t.Fatal(err)
	}
	st := inbox.NewStore(pool)
	n := inbox.NewNotification{UnitID: seed.Province, Role: "council_member", Kind: "review",
		Title: "Họp Hội đồng TĐKT tỉnh", DedupKey: "council:2026-05"}
	first, err := st.Notify(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	if first < 2 {
		t.Fatalf("the first notify reached %d council members, want every member of the provincial council", first)
	}
	again, err := st.Notify(ctx, n) // a retried activity
	if err != nil {
		t.Fatal(err)
	}
	if again != 0 {
		t.Errorf("a retried notify with the same dedup key wrote %d more rows", again)
	}
	var rows int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM notifications WHERE dedup_key = $1`, n.DedupKey).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if int64(rows) != first {
		t.Errorf("%d rows with the dedup key, want %d (one per member)", rows, first)
	}
	n.DedupKey = ""
	if c, err := st.Notify(ctx, n); err != nil || c != first {
		t.Errorf("without a dedup key notify wrote %d rows (%v), want %d", c, err, first)
	}
}
