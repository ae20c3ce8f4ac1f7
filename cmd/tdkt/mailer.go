package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tdkt/tdkt/internal/config"
	"github.com/tdkt/tdkt/internal/inbox"
	"github.com/tdkt/tdkt/internal/mailer"
)

// startMailer sends the notification outbox by e-mail in the background until ctx
// ends, when TDKT_SMTP_ADDR is set; several workers may run it side by side.
func startMailer(ctx context.Context, cfg config.Config, log *slog.Logger, pool *pgxpool.Pool) error {
	if cfg.SMTPAddr == "" {
		return nil
	}
	m, err := mailer.New(pool, mailer.Config{Addr: cfg.SMTPAddr, From: cfg.SMTPFrom,
		Username: cfg.SMTPUsername, Password: cfg.SMTPPassword}, log.With("component", "mailer"))
	if err != nil {
		return err
	}
	go m.Run(ctx, mailer.DefaultInterval) //nolint:errcheck // Run logs its failures and returns nil when ctx ends
	log.Info("e-mail notifications on", "smtp_addr", cfg.SMTPAddr)
	if cfg.EmailDigest {
		d := &mailer.Digest{Store: inbox.NewStore(pool), Pool: pool, Log: log.With("component", "digest"), Now: time.Now}
		go d.Run(ctx, 10*time.Minute)
		log.Info("daily e-mail digest on", "from_hour", mailer.DigestHour)
	}
	return nil
}
