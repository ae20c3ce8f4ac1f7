package main

import (
	"context"
	"log/slog"

	"github.com/tdkt/tdkt/internal/config"
	"github.com/tdkt/tdkt/internal/temporalserver"
)

// temporalServer runs the Temporal server of the production topology on
// PostgreSQL (see internal/temporalserver) until ctx ends.
func temporalServer(ctx context.Context, cfg config.Config, log *slog.Logger) error {
	srv, err := temporalserver.Start(ctx, temporalserver.Options{DatabaseURL: cfg.TemporalDatabaseURL,
		VisibilityDatabase: cfg.TemporalVisibilityDatabase, Address: cfg.TemporalAddress,
		HistoryShards: cfg.TemporalHistoryShards, Namespace: cfg.TemporalNamespace, Logger: log})
	if err != nil {
		return err
	}
	log.Info("Temporal server ready", "address", cfg.TemporalAddress, "namespace", cfg.TemporalNamespace,
		"history_shards", cfg.TemporalHistoryShards, "database", config.MaskURL(cfg.TemporalDatabaseURL))
	<-ctx.Done()
	return srv.Stop()
}
