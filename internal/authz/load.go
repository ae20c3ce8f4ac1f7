package authz

import (
	"context"
	"fmt"
	"strconv"
	"strings"
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
	e.update.Lock()
	defer e.update.Unlock()
	s, err := loadSnapshot(ctx, db, on)
	if err != nil {
		return err
	}
	e.snap.Store(s)
	e.reloads.Add(1)
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
// on ChangeChannel over a connection of its own. A notification naming users (a
// change of role assignments, migration 0013) is applied incrementally: those users'
// rows are read again and their casbin lines added or removed (SyncUsers). Any other
// notification (units, users, a bulk change) reloads everything on the date now gives.
// Either way a role granted through any replica applies on every replica at once. It also reloads after each (re)connection,
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
		n, err := pc.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		if users, ok := notifiedUsers(n.Payload); ok {
			if err := e.SyncUsersFrom(ctx, db, users); err != nil {
				return err
			}
			continue
		}
		if err := e.Reload(ctx, db, now()); err != nil {
			return err
		}
	}
}

// notifiedUsers parses the payload "users:<id>,<id>,…" of a change of role assignments
// (migration 0013); ok is false for any other payload, which asks for a full reload.
func notifiedUsers(payload string) (users []int64, ok bool) {
	list, found := strings.CutPrefix(payload, "users:")
	if !found || list == "" {
		return nil, false
	}
	for _, f := range strings.Split(list, ",") {
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return nil, false
		}
		users = append(users, id)
	}
	return users, true
}

// SyncUsersFrom reads the current assignments of the given users (none for a
// deactivated user) and applies them with SyncUsers: a grant or revocation costs a read
// of one user's rows and the change of that user's casbin lines, whatever the number of
// assignments in the country. If the rows cannot be read, nothing changes. It waits for
// a Reload under way (and a Reload for it), so the two apply in the order they read.
func (e *Enforcer) SyncUsersFrom(ctx context.Context, db *pgxpool.Pool, users []int64) error {
	e.update.Lock()
	defer e.update.Unlock()
	rows, err := db.Query(ctx, `
		SELECT ra.user_id, ra.role, ra.unit_id
		FROM role_assignments ra
		JOIN users u ON u.id = ra.user_id
		WHERE u.active AND ra.user_id = ANY($1)`, users)
	if err != nil {
		return fmt.Errorf("authz: query role assignments of users %v: %w", users, err)
	}
	assignments, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Assignment, error) {
		var a Assignment
		err := r.Scan(&a.UserID, &a.Role, &a.UnitID)
		return a, err
	})
	if err != nil {
		return fmt.Errorf("authz: read role assignments of users %v: %w", users, err)
	}
	if err := e.SyncUsers(users, assignments); err != nil {
		return err
	}
	e.syncs.Add(1)
	return nil
}

// FollowCounts returns how many full reloads and how many incremental applications of
// a notification naming users the enforcer has done since it was built.
func (e *Enforcer) FollowCounts() (reloads, syncs int64) {
	return e.reloads.Load(), e.syncs.Load()
}
