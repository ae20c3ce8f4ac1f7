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
// such a scope share one computation per SharedStatsTTL in this process: the first
// read after the interval computes the figures (concurrent readers of the same scope
// wait for that one computation), the others read them as of that moment. The page
// says so (NominationStats.AsOf). Smaller scopes, a commune's or a province's, are
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
// The computation is not cancelled with the caller that started it, since others
// may be waiting for it.
func (c *sharedStats) get(ctx context.Context, units []string, now time.Time, ttl time.Duration,
	compute func(ctx context.Context, now time.Time) (NominationStats, error)) (NominationStats, error) {
	key := scopeKey(units)
	fresh := func() (NominationStats, bool) {
		c.mu.Lock()
		defer c.mu.Unlock()
		st, ok := c.entries[key]
		return st, ok && !now.Before(st.AsOf) && now.Sub(st.AsOf) < ttl
	}
	if st, ok := fresh(); ok {
		return st, nil
	}
	v, err, _ := c.flight.Do(key, func() (any, error) {
		// A computation that ended between the check above and this one is used.
		if st, ok := fresh(); ok {
			return st, nil
		}
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
	})
	if err != nil {
		return NominationStats{}, err
	}
	return v.(NominationStats), nil
}
