package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tdkt/tdkt/internal/accounts"
	"github.com/tdkt/tdkt/internal/config"
	"github.com/tdkt/tdkt/internal/inbox"
	"github.com/tdkt/tdkt/internal/ops"
	"github.com/tdkt/tdkt/internal/postgres"
)

const auditUsage = `usage: tdkt audit verify|anchor [flags]

  verify   walk the audit log's hash chains (the global one and each dossier's) and
           check the anchors; print "audit chain intact: N events" and the head hash,
           or name the first altered, missing or foreign row and exit 1
  anchor   anchor the dossier chains that moved in the global chain now (the worker
           does it every 30 s)
`

// errAuditBroken is returned (exit status 1) when the chain does not hold.
var errAuditBroken = errors.New("audit chain broken")

// auditCmd runs `tdkt audit <sub>`: only verify exists.
func auditCmd(ctx context.Context, getenv func(string) string, args []string, out io.Writer) error {
	if len(args) == 0 || (args[0] != "verify" && args[0] != "anchor") {
		fmt.Fprint(out, auditUsage)
		return fmt.Errorf("audit: want the subcommand verify or anchor")
	}
	cfg, err := config.Load(getenv, args[1:])
	if err != nil {
		return err
	}
	return withPool(ctx, cfg, func(pool *pgxpool.Pool) error {
		if args[0] == "anchor" {
			n, err := postgres.DB{Pool: pool}.AnchorAuditChains(ctx)
			if err == nil {
				fmt.Fprintf(out, "anchored %d dossier chains\n", n)
			}
			return err
		}
		rep, err := postgres.DB{Pool: pool}.VerifyAuditChain(ctx)
		if err != nil {
			return err
		}
		if rep.Break != nil {
			fmt.Fprintf(out, "audit chain broken after %d intact events at %s\n", rep.Events, rep.Break)
			return errAuditBroken
		}
		fmt.Fprintf(out, "audit chain intact: %d events\n", rep.Events)
		fmt.Fprintf(out, "  %d in the global chain, %d in %d dossier chains (%d written since their dossier's last anchor)\n",
			rep.Events-rep.DossierEvents, rep.DossierEvents, rep.Dossiers, rep.Unanchored)
		fmt.Fprintf(out, "head %s\n", rep.Head)
		return nil
	})
}

// splitList splits a comma-separated setting, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// anchorEvery is how often a worker anchors the dossier audit chains that moved.
const anchorEvery = 30 * time.Second

// purgeEvery is how often a worker removes expired idempotency keys and the
// deadline board's counters that fell to 0, and folds the counts appended for the
// audit events and the decisions.
const purgeEvery = 10 * time.Minute

// every calls f each interval until ctx ends.
func every(ctx context.Context, interval time.Duration, f func()) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			f()
		}
	}
}

// startWorkerDuties starts what each worker does beside its workflows until ctx
// ends: anchoring the dossier audit chains that moved every anchorEvery (two
// workers at once anchor different heads), and removing the expired
// Idempotency-Keys and the empty task counters every purgeEvery.
func startWorkerDuties(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) {
	go every(ctx, anchorEvery, func() { anchorAuditChains(ctx, pool, log) })
	go every(ctx, purgeEvery, func() {
		purgeInBatches(ctx, log, "expired idempotency keys", func(limit int) (int64, error) {
			return accounts.NewStore(pool).PurgeIdempotencyKeys(ctx, time.Now(), limit)
		})
		purgeInBatches(ctx, log, "empty task counters", func(limit int) (int64, error) {
			return inbox.NewStore(pool).PurgeTaskCounts(ctx, limit)
		})
		if _, err := ops.NewStore(pool).CompactAppendedCounts(ctx); err != nil && ctx.Err() == nil {
			log.Error("compacting the counts of audit events and decisions", "err", err)
		}
	})
}

// anchorAuditChains anchors the dossier chains that moved.
func anchorAuditChains(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) {
	if n, err := (postgres.DB{Pool: pool}).AnchorAuditChains(ctx); err != nil && ctx.Err() == nil {
		log.Error("anchoring the dossier audit chains", "err", err)
	} else if n > 0 {
		log.Debug("anchored the dossier audit chains", "dossiers", n)
	}
}

// purgeInBatches calls purge with batches of 10,000 until a batch removes fewer
// (an expired Idempotency-Key is already claimed anew as an unknown one, and an
// empty task counter adds nothing to the board's sums: this only gives the space
// back).
func purgeInBatches(ctx context.Context, log *slog.Logger, what string, purge func(limit int) (int64, error)) {
	for ctx.Err() == nil {
		n, err := purge(10_000)
		if err != nil {
			if ctx.Err() == nil {
				log.Error("purging "+what, "err", err)
			}
			return
		}
		if n < 10_000 {
			return
		}
	}
}
