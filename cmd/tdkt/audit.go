package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tdkt/tdkt/internal/config"
	"github.com/tdkt/tdkt/internal/postgres"
)

const auditUsage = `usage: tdkt audit verify [flags]

  verify   walk the audit log's hash chain; print "audit chain intact: N events" and the
           head hash, or name the first altered, missing or foreign row and exit 1
`

// errAuditBroken is returned (exit status 1) when the chain does not hold.
var errAuditBroken = errors.New("audit chain broken")

// auditCmd runs `tdkt audit <sub>`: only verify exists.
func auditCmd(ctx context.Context, getenv func(string) string, args []string, out io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		fmt.Fprint(out, auditUsage)
		return fmt.Errorf("audit: want the subcommand verify")
	}
	cfg, err := config.Load(getenv, args[1:])
	if err != nil {
		return err
	}
	return withPool(ctx, cfg, func(pool *pgxpool.Pool) error {
		rep, err := postgres.DB{Pool: pool}.VerifyAuditChain(ctx)
		if err != nil {
			return err
		}
		if rep.Break != nil {
			fmt.Fprintf(out, "audit chain broken after %d intact events at %s\n", rep.Events, rep.Break)
			return errAuditBroken
		}
		fmt.Fprintf(out, "audit chain intact: %d events\nhead %s\n", rep.Events, rep.Head)
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
