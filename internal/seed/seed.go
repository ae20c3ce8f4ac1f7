// Package seed fills the database with the reference data every installation needs
// (administrative levels, the award catalogue, the authority matrix) and with the
// demo: Lạng Sơn province as it stood in 2018, when it reported on the Prime
// Minister's movement of Decision 1258/QĐ-TTg, with one account per role.
//
// Both entry points are idempotent and run in one transaction: a second run
// changes nothing, and a failure half-way leaves nothing behind. Rows that already
// exist are left alone rather than overwritten, so that what an administrator has
// configured since (a bonus multiplier, a changed password) survives a restart.
package seed

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// DemoPassword is the password of every demo account. It is a demo.
const DemoPassword = "tdkt-demo-2026"

// validFrom is the date from which the seeded units and rules are in force: the demo
// keeps the pre-2025 shape (with districts) in force.
const validFrom = "2000-01-01"

// seedLockKey serializes concurrent seeds (several replicas starting at once).
const seedLockKey = 0x7464_6b74_7365 // "tdktse"

// DB is what the seed needs from PostgreSQL. Both *pgxpool.Pool and pgx.Tx satisfy it.
// When db can begin a transaction (both can; a pgx.Tx begins a savepoint), the seed
// runs inside one.
type DB interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Login is a demo account as the README and the tests present it: who signs in with
// which password, and which role they hold in which unit.
type Login struct {
	Username string
	Password string
	FullName string
	Role     string
	UnitID   string // where the role applies
	UnitName string
}

// Reference inserts the administrative levels, the award catalogue and the authority
// rules. Existing rows are kept as they are. It returns the database error, wrapped
// with the step that failed.
func Reference(ctx context.Context, db DB) error {
	return inTx(ctx, db, func(tx DB) error { return reference(ctx, tx) })
}

// Demo inserts the reference data, the demo organisation (the central level, Lạng
// Sơn with its departments, 11 district-level units and 226 communes) and the demo
// accounts, and returns the logins. hash turns a password into the stored hash; it
// is called only for accounts that do not exist yet, so a second run neither calls
// it nor changes anything, and returns the same logins. If hash or the database
// fails, the error is returned and nothing is kept.
func Demo(ctx context.Context, db DB, hash func(password string) (string, error)) ([]Login, error) {
	var logins []Login
	err := inTx(ctx, db, func(tx DB) error {
		if err := reference(ctx, tx); err != nil {
			return err
		}
		units := demoUnits()
		if err := insertUnits(ctx, tx, units); err != nil {
			return err
		}
		names := make(map[string]string, len(units))
		for _, u := range units {
			names[u.id] = u.name
		}
		var err error
		logins, err = insertUsers(ctx, tx, demoUsers(), names, hash)
		return err
	})
	if err != nil {
		return nil, err
	}
	return logins, nil
}

// beginner is a DB that can open a transaction.
type beginner interface {
	Begin(ctx context.Context) (pgx.Tx, error)
}

// inTx runs fn in a transaction when db can begin one, holding an advisory lock so
// that concurrent seeds run one after the other.
func inTx(ctx context.Context, db DB, fn func(DB) error) (err error) {
	b, ok := db.(beginner)
	if !ok {
		return fn(db)
	}
	tx, err := b.Begin(ctx)
	if err != nil {
		return fmt.Errorf("seed: begin: %w", err)
	}
	defer func() {
		if err != nil {
			if rbErr := tx.Rollback(context.WithoutCancel(ctx)); rbErr != nil && !errors.Is(rbErr, pgx.ErrTxClosed) {
				err = errors.Join(err, fmt.Errorf("seed: rollback: %w", rbErr))
			}
		}
	}()
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(seedLockKey)); err != nil {
		return fmt.Errorf("seed: lock: %w", err)
	}
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("seed: commit: %w", err)
	}
	return nil
}

func reference(ctx context.Context, db DB) error {
	for _, l := range levelRows() {
		if _, err := db.Exec(ctx,
			`INSERT INTO levels (code, name, rank) VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING`,
			l.code, l.name, l.rank); err != nil {
			return fmt.Errorf("seed: level %s: %w", l.code, err)
		}
	}
	for _, a := range awardCatalogue() {
		if _, err := db.Exec(ctx,
			`INSERT INTO awards (code, name, category, nominee_kinds, bonus_multiplier, description)
			 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (code) DO NOTHING`,
			a.code, a.name, a.category, a.kinds, a.bonus, a.description); err != nil {
			return fmt.Errorf("seed: award %s: %w", a.code, err)
		}
	}
	// authority_rules has no natural key; a rule counts as present when one for the
	// same award and submitting level starts on the same date, whatever it decides now.
	for _, r := range authorityRules() {
		stages, err := json.Marshal(r.stages)
		if err != nil {
			return err
		}
		var validTo any
		if r.validTo != "" {
			validTo = r.validTo
		}
		if _, err := db.Exec(ctx,
			`INSERT INTO authority_rules (award_code, submitter_level, decision_level, valid_from, valid_to, stages)
			 SELECT $1, $2, $3, $4::date, $5::date, $6
			 WHERE NOT EXISTS (
			     SELECT 1 FROM authority_rules a
			     WHERE a.award_code = $1 AND a.submitter_level = $2 AND a.valid_from = $4::date)`,
			r.award, r.submitter, r.decision, r.validFrom, validTo, stages); err != nil {
			return fmt.Errorf("seed: authority rule %s from %s: %w", r.award, r.submitter, err)
		}
	}
	for award, secret := range voteRules() {
		if _, err := db.Exec(ctx, `INSERT INTO award_vote_rules (award_code, secret) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
			award, secret); err != nil {
			return fmt.Errorf("seed: vote rule %s: %w", award, err)
		}
	}
	if err := reviewTemplates(ctx, db); err != nil {
		return err
	}
	for _, d := range requiredDocuments() {
		if _, err := db.Exec(ctx, `INSERT INTO required_documents (category, procedure, doc_kind, name) VALUES ($1, $2, $3, $4)
			ON CONFLICT DO NOTHING`, d[0], d[1], d[2], d[3]); err != nil {
			return fmt.Errorf("seed: required document %s: %w", d[2], err)
		}
	}
	return nil
}

func insertUnits(ctx context.Context, db DB, units []unitRow) error {
	n := len(units)
	ids, parents, names, levels, kinds, subkinds := make([]string, n), make([]*string, n), make([]string, n),
		make([]string, n), make([]string, n), make([]string, n)
	for i, u := range units {
		ids[i], names[i], levels[i], kinds[i], subkinds[i] = u.id, u.name, u.level, u.kind, u.subkind
		if u.parentID != "" {
			parents[i] = &u.parentID
		}
	}
	if _, err := db.Exec(ctx,
		`INSERT INTO units (id, parent_id, name, level, kind, subkind, valid_from)
		 SELECT u.id, u.parent_id, u.name, u.level, u.kind, u.subkind, $7::date
		 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
		      WITH ORDINALITY AS u(id, parent_id, name, level, kind, subkind, n)
		 ORDER BY u.n
		 ON CONFLICT (id) DO NOTHING`,
		ids, parents, names, levels, kinds, subkinds, validFrom); err != nil {
		return fmt.Errorf("seed: units: %w", err)
	}
	return nil
}

func insertUsers(ctx context.Context, db DB, users []demoUser, unitNames map[string]string,
	hash func(string) (string, error)) ([]Login, error) {
	logins := make([]Login, 0, len(users))
	for _, u := range users {
		var id int64
		err := db.QueryRow(ctx, `SELECT id FROM users WHERE username = $1`, u.username).Scan(&id)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			h, err := hash(DemoPassword)
			if err != nil {
				return nil, fmt.Errorf("seed: hash password of %s: %w", u.username, err)
			}
			if err := db.QueryRow(ctx,
				`INSERT INTO users (username, full_name, password_hash, unit_id) VALUES ($1, $2, $3, $4) RETURNING id`,
				u.username, u.fullName, h, u.homeUnit).Scan(&id); err != nil {
				return nil, fmt.Errorf("seed: user %s: %w", u.username, err)
			}
		case err != nil:
			return nil, fmt.Errorf("seed: user %s: %w", u.username, err)
		}
		if _, err := db.Exec(ctx,
			`INSERT INTO role_assignments (user_id, role, unit_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
			id, u.role, u.roleUnit); err != nil {
			return nil, fmt.Errorf("seed: role %s of %s in %s: %w", u.role, u.username, u.roleUnit, err)
		}
		logins = append(logins, Login{
			Username: u.username,
			Password: DemoPassword,
			FullName: u.fullName,
			Role:     u.role,
			UnitID:   u.roleUnit,
			UnitName: unitNames[u.roleUnit],
		})
	}
	return logins, nil
}
