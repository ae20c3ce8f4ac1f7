package main

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// lockWaitsJSON is what sampling pg_stat_activity during a run saw: how many of the
// database's sessions were waiting for a lock, and how many of those in an insert
// into audit_events (the audit chain head's row lock, taken by its trigger).
type lockWaitsJSON struct {
	Samples int `json:"samples"`
	// Mean sessions waiting for a lock, any and in an audit insert.
	MeanWaiting      float64 `json:"mean_waiting"`
	MeanWaitingAudit float64 `json:"mean_waiting_audit_insert"`
	// Share of samples with at least one session waiting in an audit insert.
	ShareAudit float64 `json:"share_with_audit_waiter"`
	MaxAudit   int     `json:"max_waiting_audit_insert"`
	// Waiting lists the statements seen waiting for a lock (their first 100
	// characters), most often seen first, with the mean number waiting in them.
	Waiting []waitingStatement `json:"waiting,omitempty"`
}

// waitingStatement is one statement seen waiting for a lock, and how many
// sessions waited in it on average over the samples.
type waitingStatement struct {
	Statement   string  `json:"statement"`
	MeanWaiting float64 `json:"mean_waiting"`
}

// sampleLockWaits samples the database's lock waits every interval until stop is
// called, which returns the summary.
func sampleLockWaits(ctx context.Context, pool *pgxpool.Pool, interval time.Duration) (stop func() lockWaitsJSON) {
	ctx, cancel := context.WithCancel(ctx)
	var out lockWaitsJSON
	var sumAll, sumAudit, withAudit int
	seen := map[string]int{}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			var all, audit int
			var waiting []string
			if err := pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE wait_event_type = 'Lock'),
					count(*) FILTER (WHERE wait_event_type = 'Lock' AND query ILIKE '%INSERT INTO audit_events%'),
					coalesce(array_agg(left(regexp_replace(query, '\s+', ' ', 'g'), 100)) FILTER (WHERE wait_event_type = 'Lock'), '{}')
				FROM pg_stat_activity WHERE datname = current_database()`).Scan(&all, &audit, &waiting); err != nil {
				continue
			}
			for _, q := range waiting {
				seen[q]++
			}
			out.Samples++
			sumAll += all
			sumAudit += audit
			if audit > 0 {
				withAudit++
			}
			out.MaxAudit = max(out.MaxAudit, audit)
		}
	}()
	return func() lockWaitsJSON {
		cancel()
		wg.Wait()
		if out.Samples > 0 {
			n := float64(out.Samples)
			out.MeanWaiting, out.MeanWaitingAudit, out.ShareAudit = float64(sumAll)/n, float64(sumAudit)/n, float64(withAudit)/n
			for q, c := range seen {
				out.Waiting = append(out.Waiting, waitingStatement{Statement: q, MeanWaiting: float64(c) / n})
			}
			slices.SortFunc(out.Waiting, func(a, b waitingStatement) int {
				return cmp.Or(cmp.Compare(b.MeanWaiting, a.MeanWaiting), strings.Compare(a.Statement, b.Statement))
			})
			if len(out.Waiting) > 10 {
				out.Waiting = out.Waiting[:10]
			}
		}
		return out
	}
}
