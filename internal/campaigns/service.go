// Package campaigns holds movements (phong trào thi đua) and their periodic review
// campaigns (sơ kết, tổng kết): templates, reports collected up the unit tree,
// schedules, with their SQL. The report rules live in internal/review.
package campaigns

import (
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tdkt/tdkt/internal/accounts"
	"github.com/tdkt/tdkt/internal/admin"
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
	admin    *admin.Service
	accounts *accounts.Service
}

// New returns the use cases over base and store.
func New(base *usecase.Base, store *Store, admin *admin.Service, accounts *accounts.Service) *Service {
	return &Service{Base: base, Store: store, admin: admin, accounts: accounts}
}
