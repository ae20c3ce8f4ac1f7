// Package dossiers holds the procedure of a dossier (hồ sơ đề nghị khen thưởng): create,
// edit, act through its workflow, councils, consultation, attachments and issued
// documents, with their SQL. The rules themselves are decided by the pure core,
// internal/nomination.
package dossiers

import (
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tdkt/tdkt/internal/accounts"
	"github.com/tdkt/tdkt/internal/admin"
	"github.com/tdkt/tdkt/internal/awards"
	"github.com/tdkt/tdkt/internal/inbox"
	"github.com/tdkt/tdkt/internal/postgres"
	"github.com/tdkt/tdkt/internal/refdata"
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
	awards   *awards.Service
	inbox    *inbox.Service
	refdata  *refdata.Service
}

// New returns the use cases over base and store.
func New(base *usecase.Base, store *Store, admin *admin.Service, accounts *accounts.Service, awards *awards.Service, inbox *inbox.Service, refdata *refdata.Service) *Service {
	return &Service{Base: base, Store: store, admin: admin, accounts: accounts, awards: awards, inbox: inbox, refdata: refdata}
}
