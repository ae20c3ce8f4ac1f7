// Package admin holds the administration of tdkt: units and their lifetimes and
// successions (reorganisations), users and role grants, the working-day calendar, step
// time limits and base salaries, with their SQL.
package admin

import (
	"github.com/jackc/pgx/v5/pgxpool"

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
	Store *Store
}

// New returns the use cases over base and store.
func New(base *usecase.Base, store *Store) *Service {
	return &Service{Base: base, Store: store}
}
