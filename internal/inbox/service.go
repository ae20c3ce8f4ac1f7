// Package inbox holds the work lists: the inbox with assignees, claiming and assigning
// tasks, deadlines, notifications, the dashboard's counts and the decisions register,
// with their SQL.
package inbox

import (
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tdkt/tdkt/internal/admin"
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
	Store   *Store
	admin   *admin.Service
	refdata *refdata.Service

	// SharedStatsMinUnits and SharedStatsTTL say from which size of scope the
	// dashboard's figures are shared and for how long (shared_stats.go); New sets
	// the defaults, tests smaller ones.
	SharedStatsMinUnits int
	SharedStatsTTL      time.Duration
	stats               sharedStats
}

// New returns the use cases over base and store.
func New(base *usecase.Base, store *Store, admin *admin.Service, refdata *refdata.Service) *Service {
	return &Service{Base: base, Store: store, admin: admin, refdata: refdata,
		SharedStatsMinUnits: SharedStatsMinUnits, SharedStatsTTL: SharedStatsTTL}
}
