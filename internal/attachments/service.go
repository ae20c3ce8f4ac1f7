// Package attachments holds the files attached to a dossier and the checklist of the
// documents its award and procedure require, with their SQL.
package attachments

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
