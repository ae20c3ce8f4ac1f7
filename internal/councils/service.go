// Package councils holds the council vote on a dossier (Hội đồng Thi đua - Khen thưởng):
// voting, declaring a conflict of interest, the sessions with attendance, recusals and
// minutes, with their SQL. Who may vote is decided by the core (internal/nomination);
// the tally is recorded with the dossier's transitions.
package councils

import (
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tdkt/tdkt/internal/dossiers"
	"github.com/tdkt/tdkt/internal/postgres"
	"github.com/tdkt/tdkt/internal/usecase"
)

// Store is the package's SQL.
type Store struct{ postgres.DB }

// NewStore returns the package's SQL on the pool.
func NewStore(pool *pgxpool.Pool) *Store { return &Store{postgres.DB{Pool: pool}} }

// Service is the package's use cases; the dossier's own reads authorise them.
type Service struct {
	*usecase.Base
	Store    *Store
	dossiers *dossiers.Service
}

// New returns the use cases over base and store.
func New(base *usecase.Base, store *Store, dossiers *dossiers.Service) *Service {
	return &Service{Base: base, Store: store, dossiers: dossiers}
}
