package main

import (
	"context"
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
}

// sampleLockWaits samples the database's lock waits every interval until stop is
// called, which returns the summary.
func sampleLockWaits(ctx context.Context, pool *pgxpool.Pool, interval time.Duration) (stop func() lockWaitsJSON) {
	ctx, cancel := context.WithCancel(ctx)
	var out lockWaitsJSON
	var sumAll, sumAudit, withAudit int
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
			if err := pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE wait_event_type = 'Lock'),
					count(*) FILTER (WHERE wait_event_type = 'Lock' AND query ILIKE '%INSERT INTO audit_events%')
				FROM pg_stat_activity WHERE datname = current_database()`).Scan(&all, &audit); err != nil {
				continue
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
		}
		return out
	}
}
