package authz

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Load reads the units in force on the calendar date of on (in on's location) and the
// role assignments of active users from PostgreSQL, and builds an enforcer from them.
// Both are read in one read-only repeatable-read transaction, so the tree and the
// assignments are consistent with each other. It returns an error if the database cannot
// be read or the tree is broken (see New).
func Load(ctx context.Context, db *pgxpool.Pool, on time.Time) (*Enforcer, error) {
	s, err := loadSnapshot(ctx, db, on)
	if err != nil {
		return nil, err
	}
	e := &Enforcer{}
	e.snap.Store(s)
	return e, nil
}

// Reload reads the tree and assignments again, as Load does, and swaps them in at once;
// calls to Allow running meanwhile answer from the previous snapshot. On error the
// enforcer keeps its previous snapshot.
func (e *Enforcer) Reload(ctx context.Context, db *pgxpool.Pool, on time.Time) error {
	s, err := loadSnapshot(ctx, db, on)
	if err != nil {
		return err
	}
	e.snap.Store(s)
	return nil
}

func loadSnapshot(ctx context.Context, db *pgxpool.Pool, on time.Time) (*snapshot, error) {
	units, assignments, err := readTreeAndAssignments(ctx, db, on)
	if err != nil {
		return nil, err
	}
	return newSnapshot(units, assignments)
}

// readTreeAndAssignments reads the units in force on a date and the assignments of active
// users. A deactivated user keeps its rows (for history) but holds no permission.
func readTreeAndAssignments(ctx context.Context, db *pgxpool.Pool, on time.Time) (units []UnitNode, assignments []Assignment, err error) {
	day := pgtype.Date{Time: time.Date(on.Year(), on.Month(), on.Day(), 0, 0, 0, 0, time.UTC), Valid: true}
	tx, err := db.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, nil, fmt.Errorf("authz: begin reading units and roles: %w", err)
	}
	// A read-only transaction has nothing to commit; rolling back only ends it.
	defer func() { _ = tx.Rollback(ctx) }()

	rows, err := tx.Query(ctx, `
		SELECT id, coalesce(parent_id, '')
		FROM units
		WHERE valid_from <= $1 AND (valid_to IS NULL OR $1 < valid_to)`, day)
	if err != nil {
		return nil, nil, fmt.Errorf("authz: query units in force on %s: %w", on.Format(time.DateOnly), err)
	}
	units, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (UnitNode, error) {
		var u UnitNode
		err := r.Scan(&u.ID, &u.ParentID)
		return u, err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("authz: read units in force on %s: %w", on.Format(time.DateOnly), err)
	}

	rows, err = tx.Query(ctx, `
		SELECT ra.user_id, ra.role, ra.unit_id
		FROM role_assignments ra
		JOIN users u ON u.id = ra.user_id
		WHERE u.active`)
	if err != nil {
		return nil, nil, fmt.Errorf("authz: query role assignments: %w", err)
	}
	assignments, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Assignment, error) {
		var a Assignment
		err := r.Scan(&a.UserID, &a.Role, &a.UnitID)
		return a, err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("authz: read role assignments: %w", err)
	}
	return units, assignments, nil
}

// ChangeChannel is the PostgreSQL notification channel on which the database
// announces a committed change of units, role assignments or users (migration
// 0010's triggers).
const ChangeChannel = "tdkt_authz"

// Follow keeps the enforcer in step with the database until ctx ends: it listens
// on ChangeChannel over a connection of its own and reloads (on the date now
// gives) after every notification, so that a role granted through any replica
// applies on every replica at once. It also reloads after each (re)connection,
// since notifications sent while it was not listening are lost; a lost connection
// is retried every retry. Errors (connection, reload) go to onErr, and the
// enforcer keeps answering from its last snapshot meanwhile. The caller's periodic
// reload stays useful for the change of date, which no notification announces.
func (e *Enforcer) Follow(ctx context.Context, db *pgxpool.Pool, now func() time.Time, retry time.Duration, onErr func(error)) {
	for ctx.Err() == nil {
		err := e.follow(ctx, db, now)
		if ctx.Err() != nil {
			return
		}
		onErr(fmt.Errorf("following authorization changes: %w", err))
		select {
		case <-ctx.Done():
			return
		case <-time.After(retry):
		}
	}
}

// follow listens on one connection until it fails or ctx ends.
func (e *Enforcer) follow(ctx context.Context, db *pgxpool.Pool, now func() time.Time) error {
	conn, err := db.Acquire(ctx)
	if err != nil {
		return err
	}
	// The connection leaves the pool: LISTEN state must not be handed to others.
	pc := conn.Hijack()
	defer pc.Close(context.WithoutCancel(ctx))
	if _, err := pc.Exec(ctx, "LISTEN "+ChangeChannel); err != nil {
		return err
	}
	if err := e.Reload(ctx, db, now()); err != nil {
		return err
	}
	for {
		if _, err := pc.WaitForNotification(ctx); err != nil {
			return err
		}
		if err := e.Reload(ctx, db, now()); err != nil {
			return err
		}
	}
}
