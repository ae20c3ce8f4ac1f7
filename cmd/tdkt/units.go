package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tdkt/tdkt/internal/admin"
	"github.com/tdkt/tdkt/internal/config"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/reorg"
)

const unitsUsage = `usage: tdkt units import [-source ACT] FILE.csv [flags]

  import   record a reorganisation from an official list: a CSV with the header
           code,name,kind,parent,valid_from,predecessors (predecessors: unit codes
           separated by ";", a split one marked "(part)"). One transaction: any bad
           row is reported with its line and nothing is imported.
`

// unitsCmd runs `tdkt units <sub>`: only import exists. It runs as the system: the
// audit event has no actor.
func unitsCmd(ctx context.Context, getenv func(string) string, args []string, out io.Writer) error {
	if len(args) == 0 || args[0] != "import" {
		fmt.Fprint(out, unitsUsage)
		return fmt.Errorf("units: want the subcommand import")
	}
	fs := flag.NewFlagSet("units import", flag.ContinueOnError)
	source := fs.String("source", "", "the legal act of the reorganisation, recorded with each succession")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() < 1 {
		fmt.Fprint(out, unitsUsage)
		return fmt.Errorf("units import: want the file")
	}
	path := fs.Arg(0)
	cfg, err := config.Load(getenv, fs.Args()[1:])
	if err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	rows, err := reorg.Parse(f)
	if err != nil {
		return describe(err)
	}
	return withPool(ctx, cfg, func(pool *pgxpool.Pool) error {
		res, err := admin.NewStore(pool).ImportUnits(ctx, rows, *source, admin.AdminChange{At: time.Now()})
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(out, "imported %s: %d units created, %d ended, %d successions recorded\n",
			path, res.Created, len(res.Ended), res.Successions)
		if res.UsersToMove > 0 || res.RolesToClose > 0 {
			fmt.Fprintf(out, "%d active users work in ended units and %d role assignments are held there: move or revoke them in the admin area\n",
				res.UsersToMove, res.RolesToClose)
		}
		return nil
	})
}

// describe spells out a domain error's field errors, one line each, so that every
// bad row of the file is named.
func describe(err error) error {
	var de *domain.Error
	if !errors.As(err, &de) || len(de.Fields) == 0 {
		return err
	}
	var b strings.Builder
	b.WriteString(de.Message)
	for _, f := range de.Fields {
		fmt.Fprintf(&b, "\n  %s: %s", f.Field, f.Message)
	}
	return errors.New(b.String())
}
