package dossiers

import (
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tdkt/tdkt/internal/accounts"
	"github.com/tdkt/tdkt/internal/admin"
	"github.com/tdkt/tdkt/internal/awards"
	"github.com/tdkt/tdkt/internal/inbox"
	"github.com/tdkt/tdkt/internal/refdata"
	"github.com/tdkt/tdkt/internal/usecase"
)

// newTestService wires the dossiers' use cases with the feature packages they
// depend on, as internal/app does, for the package's own tests.
func newTestService(pool *pgxpool.Pool, base *usecase.Base) *Service {
	ad := admin.New(base, admin.NewStore(pool))
	rd := refdata.New(base, refdata.NewStore(pool), ad)
	return New(base, NewStore(pool), ad, accounts.New(base, accounts.NewStore(pool), ad),
		awards.New(base, awards.NewStore(pool), ad), inbox.New(base, inbox.NewStore(pool), ad, rd), rd)
}
