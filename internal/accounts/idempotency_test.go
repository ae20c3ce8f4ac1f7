package accounts_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/tdkt/tdkt/internal/accounts"
)

// TestIdempotencyKeysExpire: within IdempotencyKeyTTL a key is the request it was
// first used for (another request with it is told so); past it the key is claimed
// anew like an unknown one, without any purge having run; the purge removes only
// the expired keys, at most as many as asked.
func TestIdempotencyKeysExpire(t *testing.T) {
	ctx := context.Background()
	pool, ids := demoPool(t)
	st := accounts.NewStore(pool)
	clerk, other := ids["xa.clerk"], ids["xa.appraiser"]
	t0 := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	claim := func(user int64, key, hash string, at time.Time) (accounts.IdempotencyRecord, accounts.Claim) {
		t.Helper()
		rec, c, err := st.ClaimIdempotencyKey(ctx, user, key, []byte(hash), "res-"+hash, at, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		return rec, c
	}
	if _, c := claim(clerk, "k1", "a", t0); c != accounts.ClaimNew {
		t.Fatalf("first claim: %v", c)
	}
	if err := st.CompleteIdempotencyKey(ctx, clerk, "k1", 201, "application/json", "/x", []byte(`{}`), t0); err != nil {
		t.Fatal(err)
	}
	// The same key a day minus a minute later, for another request: still the first one's.
	rec, c := claim(clerk, "k1", "b", t0.Add(accounts.IdempotencyKeyTTL-time.Minute))
	if c != accounts.ClaimExisting || string(rec.RequestHash) != "a" || rec.Status == nil || *rec.Status != 201 {
		t.Fatalf("within the TTL: claim %v, hash %q, status %v", c, rec.RequestHash, rec.Status)
	}
	// Past the TTL it is claimed anew, with nothing of the old response left.
	rec, c = claim(clerk, "k1", "b", t0.Add(accounts.IdempotencyKeyTTL+time.Minute))
	if c != accounts.ClaimNew || string(rec.RequestHash) != "b" || rec.Status != nil || rec.Body != nil || rec.ResourceID != "res-b" {
		t.Fatalf("past the TTL: claim %v, hash %q, status %v, body %q, resource %q", c, rec.RequestHash, rec.Status, rec.Body, rec.ResourceID)
	}
	// Another user's key of the same name is theirs.
	if _, c := claim(other, "k1", "c", t0); c != accounts.ClaimNew {
		t.Fatalf("another user's key: %v", c)
	}
	for i, k := range []string{"old1", "old2", "old3"} {
		claim(clerk, k, "x", t0.Add(time.Duration(i)*time.Second))
	}
	now := t0.Add(accounts.IdempotencyKeyTTL + time.Hour)
	// Expired: old1–3 and the other user's k1 (created at t0); clerk's k1 was claimed anew at t0+TTL+1m.
	if n, err := st.PurgeIdempotencyKeys(ctx, now, 2); err != nil || n != 2 {
		t.Fatalf("purge of 2: %d, %v", n, err)
	}
	if n, err := st.PurgeIdempotencyKeys(ctx, now, 100); err != nil || n != 2 {
		t.Fatalf("purge of the rest: %d, %v", n, err)
	}
	var left []string
	rows, err := pool.Query(ctx, `SELECT user_id::text || ':' || key FROM idempotency_keys ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		left = append(left, s)
	}
	if len(left) != 1 || left[0] != strconv.FormatInt(clerk, 10)+":k1" {
		t.Fatalf("left after the purge: %v", left)
	}
}
