package main

import (
	"context"
	"fmt"
	"io"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tdkt/tdkt/internal/seed"
)

// seedNational loads the national skeleton over the demo (tdkt seed national): the
// other 33 provinces of 2025-07-01 and their communes, Lạng Sơn being the demo's.
// A second run changes nothing and says so.
func seedNational(ctx context.Context, pool *pgxpool.Pool, out io.Writer) error {
	rep, err := seed.National(ctx, pool)
	if err != nil {
		return err
	}
	if rep.AlreadyApplied {
		fmt.Fprintf(out, "National skeleton already loaded: %d provinces, %d communes in force from %s; nothing changed\n",
			rep.Provinces, rep.Communes, seed.Reform2025)
		return nil
	}
	fmt.Fprintf(out, "National skeleton: %d provinces, %d communes in force from %s (%d units created)\n",
		rep.Provinces, rep.Communes, seed.Reform2025, rep.Created)
	fmt.Fprintf(out, "  province names and commune counts per province: official (Cục Thống kê, CV 915 and 1027/CTK-CSCL)\n")
	fmt.Fprintf(out, "  commune names: %d official (Lạng Sơn, %s), %d GENERATED (\"UBND xã số 12 – Cao Bằng\"): their real names are not shipped\n",
		rep.Real, seed.Source1672, rep.Generated)
	return nil
}
