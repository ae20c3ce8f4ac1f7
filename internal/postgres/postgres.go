// Package postgres is what tdkt's feature packages share of PostgreSQL: the pool,
// transactions, the translation of storage errors into domain errors, the embedded
// migrations and the audit chain's verification. Each feature package (dossiers,
// campaigns, awards, admin, accounts, inbox) owns its own SQL on top of DB.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tdkt/tdkt/internal/domain"
)

// DB is the pool a feature package's store embeds.
type DB struct {
	Pool *pgxpool.Pool
}

// Translate turns storage errors into domain errors: no rows → not found, unique
// violation → conflict, foreign-key or check violation → invalid. Others are
// wrapped as internal errors with the operation.
func Translate(op string, err error) error {
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

// InTx runs fn in a transaction, committing when it returns nil.
func (db DB) InTx(ctx context.Context, op string, fn func(pgx.Tx) error) error {
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return Translate(op, err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // no-op after commit
	if err := fn(tx); err != nil {
		return Translate(op, err)
	}
	return Translate(op, tx.Commit(ctx))
}

// BeginTx starts a transaction for callers that must span a store write and an
// external call (creating a dossier and starting its workflow).
func (db DB) BeginTx(ctx context.Context) (pgx.Tx, error) {
	tx, err := db.Pool.Begin(ctx)
	return tx, Translate("postgres.BeginTx", err)
}

// IsUUID reports whether s is a UUID in its text form, so that a malformed id is
// answered as unknown before it reaches a uuid column.
func IsUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
				return false
			}
		}
	}
	return true
}

// LikeEscape escapes the LIKE wildcards of a search word.
func LikeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// Querier is what a read needs: a pool or a transaction.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// NullUUID is NULL for "" and the id otherwise; a malformed id is refused as invalid
// by PostgreSQL (22P02), an unknown one by the foreign key (23503).
func NullUUID(id string) any {
	if id == "" {
		return nil
	}
	return id
}

// ServerSettings sets the session settings tdkt's pool runs with, unless the
// database URL sets them: jit off. tdkt's statements are short reads over indexes;
// at 1M dossiers the planner's cost estimates of some (the inbox's, the
// dashboard's) passed jit_above_cost and compiling took 157 of the inbox
// statement's 163 ms (cmd/tdkt-bench -scenario reads, EXPLAIN ANALYZE).
func ServerSettings(pc *pgxpool.Config) {
	if _, set := pc.ConnConfig.RuntimeParams["jit"]; !set {
		pc.ConnConfig.RuntimeParams["jit"] = "off"
	}
}
