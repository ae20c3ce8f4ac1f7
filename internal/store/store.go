// Package store is the PostgreSQL side of tdkt: embedded migrations, the domain
// records, the read model (inbox, lists) and the audit log, all through pgx v5.
// Storage errors are translated into domain errors at this boundary.
package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tdkt/tdkt/internal/domain"
)

// Store reads and writes tdkt's records in PostgreSQL.
type Store struct {
	pool *pgxpool.Pool
}

// New returns a Store on the pool.
func New(pool *pgxpool.Pool) *Store { return &Store{pool: pool} }

// Pool exposes the pool for packages that own their own tables (authz, seed).
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// translate turns storage errors into domain errors: no rows → not found, unique
// violation → conflict, foreign-key or check violation → invalid. Others are
// wrapped as internal errors with the operation.
func translate(op string, err error) error {
	if err == nil {
		return nil
	}
	var de *domain.Error
	if errors.As(err, &de) {
		return err
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return &domain.Error{Op: op, Kind: domain.KindNotFound, Message: "not found", Err: err}
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505":
			return &domain.Error{Op: op, Kind: domain.KindConflict, Message: "already exists", Err: err}
		case "23503":
			return &domain.Error{Op: op, Kind: domain.KindInvalid, Message: "refers to something that does not exist", Err: err}
		case "23514", "22P02", "22001", "22003":
			return &domain.Error{Op: op, Kind: domain.KindInvalid, Message: "invalid value", Err: err}
		}
	}
	return &domain.Error{Op: op, Kind: domain.KindInternal, Err: fmt.Errorf("%s: %w", op, err)}
}

// inTx runs fn in a transaction, committing when it returns nil.
func (s *Store) inTx(ctx context.Context, op string, fn func(pgx.Tx) error) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return translate(op, err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // no-op after commit
	if err := fn(tx); err != nil {
		return translate(op, err)
	}
	return translate(op, tx.Commit(ctx))
}
