// Package refdata holds the reference data the procedure computes with, kept by
// administrators as dated data: the working-day calendar (holidays and their
// overrides), the time limit of each step and the base salaries bonuses are
// computed from, with their SQL.
package refdata

import (
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tdkt/tdkt/internal/admin"
	"github.com/tdkt/tdkt/internal/postgres"
	"github.com/tdkt/tdkt/internal/usecase"
)

// Store is the package's SQL.
type Store struct{ postgres.DB }

// NewStore returns the package's SQL on the pool.
func NewStore(pool *pgxpool.Pool) *Store { return &Store{postgres.DB{Pool: pool}} }

// Service is the package's use cases; changes are audited as administrative ones.
type Service struct {
	*usecase.Base
	Store *Store
	admin *admin.Service
}

// New returns the use cases over base and store.
func New(base *usecase.Base, store *Store, admin *admin.Service) *Service {
	return &Service{Base: base, Store: store, admin: admin}
}
