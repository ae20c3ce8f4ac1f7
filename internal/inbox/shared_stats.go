package inbox

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// The dashboard's figures over a very large scope (the ministry's: every unit of
// the country) cost a read of tens of thousands of kept counts and of every overdue
// open dossier, a few hundred milliseconds of a core at 1M dossiers. Readers of
// such a scope share one computation per SharedStatsTTL in this process: `tdkt
// serve` computes them before it listens (Service.WarmSharedStats), a read in the
// interval's last quarter has them computed anew in the background, and only a read
// after an interval in which nobody read them waits for a computation (concurrent
// readers of the same scope wait for that one); the others read them as of that
// moment. The page says so (NominationStats.AsOf). Smaller scopes, a commune's or a province's, are
// counted at each read and stay exact and immediate.

// SharedStatsMinUnits is the size of scope, in units, from which the dashboard's
// figures are shared: above any province (at most 169 units) and below the
// ministry's (3,356).
const SharedStatsMinUnits = 500

// SharedStatsTTL is how long shared figures are served before they are computed again.
const SharedStatsTTL = 30 * time.Second

// sharedStats holds the shared figures by scope.
type sharedStats struct {
	mu      sync.Mutex
	entries map[string]NominationStats
	flight  singleflight.Group
}

// scopeKey names a sorted set of units.
func scopeKey(units []string) string {
	sum := sha256.Sum256([]byte(strings.Join(units, "\x00")))
	return hex.EncodeToString(sum[:])
}

// get returns the figures of units computed at most ttl before now, computing them
// with compute (once for all concurrent callers of the scope) when they are older.
// Figures older than three quarters of ttl are still returned, and computed anew in
// the background (once), so that while a scope is read its readers do not wait for
// the computation every ttl: they did (0.3–0.8 s for the ministry at 1M dossiers,
// cmd/tdkt-bench -scenario reads). The computation is not cancelled with the caller
// that started it, since others may be waiting for it.
func (c *sharedStats) get(ctx context.Context, units []string, now time.Time, ttl time.Duration,
	compute func(ctx context.Context, now time.Time) (NominationStats, error)) (NominationStats, error) {
	key := scopeKey(units)
	refreshAt := ttl - ttl/4
	if st, ok := c.fresh(key, now, ttl); ok {
		if now.Sub(st.AsOf) >= refreshAt {
			c.flight.DoChan(key, func() (any, error) {
				// A computation that ended since is used.
				if st, ok := c.fresh(key, now, ttl); ok && now.Sub(st.AsOf) < refreshAt {
					return st, nil
				}
				return c.compute(ctx, key, now, ttl, compute)
			})
		}
		return st, nil
	}
	v, err, _ := c.flight.Do(key, func() (any, error) {
		// A computation that ended between the check above and this one is used.
		if st, ok := c.fresh(key, now, ttl); ok {
			return st, nil
		}
		return c.compute(ctx, key, now, ttl, compute)
	})
	if err != nil {
		return NominationStats{}, err
	}
	return v.(NominationStats), nil
}

// fresh returns the figures of key if they were computed less than ttl before now.
func (c *sharedStats) fresh(key string, now time.Time, ttl time.Duration) (NominationStats, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	st, ok := c.entries[key]
	return st, ok && !now.Before(st.AsOf) && now.Sub(st.AsOf) < ttl
}

// compute computes the figures of key as of now and keeps them, dropping the
// figures of other scopes that are ttl old.
func (c *sharedStats) compute(ctx context.Context, key string, now time.Time, ttl time.Duration,
	compute func(ctx context.Context, now time.Time) (NominationStats, error)) (NominationStats, error) {
	st, err := compute(context.WithoutCancel(ctx), now)
	if err != nil {
		return NominationStats{}, err
	}
	st.AsOf, st.Shared, st.Every = now, true, ttl
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[string]NominationStats{}
	}
	for k, e := range c.entries {
		if now.Sub(e.AsOf) >= ttl {
			delete(c.entries, k)
		}
	}
	c.entries[key] = st
	return st, nil
}
