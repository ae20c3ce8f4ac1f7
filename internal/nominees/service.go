// Package nominees holds the use cases on a dossier's nominees that need both the
// dossier and the award history: nominee files (import, export), the eligibility of a
// dossier's nominees and its overrides, and the check of the subjects nominees name.
package nominees

import (
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tdkt/tdkt/internal/awards"
	"github.com/tdkt/tdkt/internal/dossiers"
	"github.com/tdkt/tdkt/internal/postgres"
	"github.com/tdkt/tdkt/internal/usecase"
)

// Store is the package's SQL.
type Store struct{ postgres.DB }

// NewStore returns the package's SQL on the pool.
func NewStore(pool *pgxpool.Pool) *Store { return &Store{postgres.DB{Pool: pool}} }

// Service is the package's use cases.
type Service struct {
	*usecase.Base
	Store    *Store
	dossiers *dossiers.Service
	awards   *awards.Service
}

// New returns the use cases over base and store.
func New(base *usecase.Base, store *Store, dossiers *dossiers.Service, awards *awards.Service) *Service {
	return &Service{Base: base, Store: store, dossiers: dossiers, awards: awards}
}
