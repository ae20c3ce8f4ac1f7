package admin

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/postgres"
	"github.com/tdkt/tdkt/internal/reorg"
)

// Units have a lifetime (valid_from, valid_to exclusive) and a succession
// (unit_successions, migration 0015): a reorganisation creates new units, ends the
// old ones the day the new ones start, and records which old unit went, whole or in
// part, to which new one.

// DatedUnit is a unit with its lifetime and official code, as the tree of a given
// day shows it.
type DatedUnit struct {
	domain.Unit
	Code      string `json:"code,omitempty"`
	ValidFrom string `json:"valid_from"`
}

// UnitsOn returns the units in force on day `on` (a date), parents before
// children, with their lifetime and code.
func (s *Store) UnitsOn(ctx context.Context, on time.Time) ([]DatedUnit, error) {
	const op = "admin.UnitsOn"
	rows, err := s.Pool.Query(ctx, `WITH RECURSIVE tree AS (
			SELECT u.*, 0 AS depth FROM units u
			WHERE u.parent_id IS NULL AND u.valid_from <= $1 AND (u.valid_to IS NULL OR u.valid_to > $1)
			UNION ALL
			SELECT c.*, t.depth + 1 FROM units c JOIN tree t ON c.parent_id = t.id
			WHERE c.valid_from <= $1 AND (c.valid_to IS NULL OR c.valid_to > $1))
		SELECT id, coalesce(parent_id, ''), name, level, kind, subkind, valid_to, code, to_char(valid_from, 'YYYY-MM-DD')
		FROM tree ORDER BY depth, id`, dateOnly(on))
	if err != nil {
		return nil, postgres.Translate(op, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (DatedUnit, error) {
		var u DatedUnit
		err := r.Scan(&u.ID, &u.ParentID, &u.Name, &u.Level, &u.Kind, &u.Subkind, &u.ValidTo, &u.Code, &u.ValidFrom)
		return u, err
	})
	return out, postgres.Translate(op, err)
}

// dateOnly is the civil date of t (in its own location) as a UTC midnight.
func dateOnly(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// Succession is one row of unit_successions with the names of both units.
type Succession struct {
	PredecessorID   string `json:"predecessor_id"`
	PredecessorName string `json:"predecessor_name"`
	SuccessorID     string `json:"successor_id"`
	SuccessorName   string `json:"successor_name"`
	Whole           bool   `json:"whole"`
	Effective       string `json:"effective"`
	Source          string `json:"source,omitempty"`
}

// Successions returns the successions a unit takes part in, as predecessor or as
// successor, oldest first.
func (s *Store) Successions(ctx context.Context, unitID string) ([]Succession, error) {
	const op = "Successions"
	rows, err := s.Pool.Query(ctx, `SELECT s.predecessor_id, p.name, s.successor_id, n.name, s.whole,
			to_char(s.effective, 'YYYY-MM-DD'), s.source
		FROM unit_successions s JOIN units p ON p.id = s.predecessor_id JOIN units n ON n.id = s.successor_id
		WHERE s.predecessor_id = $1 OR s.successor_id = $1
		ORDER BY s.effective, s.predecessor_id, s.successor_id`, unitID)
	if err != nil {
		return nil, postgres.Translate(op, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Succession, error) {
		var x Succession
		err := r.Scan(&x.PredecessorID, &x.PredecessorName, &x.SuccessorID, &x.SuccessorName, &x.Whole, &x.Effective, &x.Source)
		return x, err
	})
	return out, postgres.Translate(op, err)
}

// Lineage returns the unit and every unit it succeeds, directly or through earlier
// reorganisations (a commune of 2025 → the communes it took in → their 2018
// predecessors), so that what was recorded under an old unit is found under the
// new one. The unit comes first; KindNotFound for an unknown unit.
func (s *Store) Lineage(ctx context.Context, unitID string) ([]string, error) {
	const op = "admin.Lineage"
	rows, err := s.Pool.Query(ctx, `WITH RECURSIVE back(id) AS (
			SELECT id FROM units WHERE id = $1
			UNION
			SELECT s.predecessor_id FROM unit_successions s JOIN back b ON s.successor_id = b.id)
		SELECT id FROM back`, unitID)
	if err != nil {
		return nil, postgres.Translate(op, err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, postgres.Translate(op, err)
	}
	if len(ids) == 0 {
		return nil, &domain.Error{Op: op, Kind: domain.KindNotFound, Message: "no such unit"}
	}
	sort.SliceStable(ids[1:], func(i, j int) bool { return ids[1+i] < ids[1+j] })
	return ids, nil
}

// ImportResult is what an import of units changed.
type ImportResult struct {
	Created      int      `json:"created"`
	Ended        []string `json:"ended"`         // predecessors ended by the import
	Successions  int      `json:"successions"`   // rows of unit_successions written
	UsersToMove  int      `json:"users_to_move"` // active users whose home unit the import ended
	RolesToClose int      `json:"roles_to_close"`
}

// ImportUnits writes a reorganisation in one transaction: each row's unit is
// created under its parent (a unit of the database or of an earlier row), each
// predecessor ends the day its successors start, and each (predecessor, successor)
// pair is recorded with source. Every row is checked against the database before
// anything is written; any bad row makes the whole import fail with KindInvalid,
// its fields naming the row and column ("row 7: predecessors"), and nothing is
// kept. ch.ActorID 0 records the import as the system's (the command line).
func (s *Store) ImportUnits(ctx context.Context, rows []reorg.Row, source string, ch AdminChange) (ImportResult, error) {
	const op = "admin.ImportUnits"
	var res ImportResult
	err := s.InTx(ctx, op, func(tx pgx.Tx) error {
		fields, order, err := checkImport(ctx, tx, rows)
		if err != nil {
			return err
		}
		if len(fields) > 0 {
			return domain.Invalid(fmt.Sprintf("%d errors in the file; nothing was imported", len(fields)), fields...)
		}
		ended := map[string]bool{}
		for _, r := range order {
			if _, err := tx.Exec(ctx, `INSERT INTO units (id, parent_id, name, level, kind, subkind, valid_from)
				VALUES ($1, $2, $3, $4, 'people_committee', $5, $6)`, r.Code, r.Parent, r.Name, r.Level, r.Kind, r.ValidFrom); err != nil {
				return fmt.Errorf("row %d: %w", r.Line, err)
			}
			res.Created++
			for _, p := range r.Predecessors {
				if _, err := tx.Exec(ctx, `INSERT INTO unit_successions (predecessor_id, successor_id, whole, effective, source)
					VALUES ($1, $2, $3, $4, $5)`, p.ID, r.Code, p.Whole, r.ValidFrom, source); err != nil {
					return fmt.Errorf("row %d: %w", r.Line, err)
				}
				res.Successions++
				if !ended[p.ID] {
					ended[p.ID] = true
					if _, err := tx.Exec(ctx, `UPDATE units SET valid_to = $2 WHERE id = $1 AND valid_to IS NULL`, p.ID, r.ValidFrom); err != nil {
						return fmt.Errorf("row %d: %w", r.Line, err)
					}
				}
			}
		}
		for id := range ended {
			res.Ended = append(res.Ended, id)
		}
		sort.Strings(res.Ended)
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM users WHERE active AND unit_id = ANY($1)`, res.Ended).Scan(&res.UsersToMove); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM role_assignments WHERE unit_id = ANY($1)`, res.Ended).Scan(&res.RolesToClose); err != nil {
			return err
		}
		details, err := json.Marshal(map[string]any{"source": source, "created": res.Created, "ended": res.Ended,
			"successions": res.Successions})
		if err != nil {
			return err
		}
		var actor *int64
		if ch.ActorID != 0 {
			actor = &ch.ActorID
		}
		_, err = tx.Exec(ctx, `INSERT INTO audit_events (nomination_id, seq, at, actor_id, action, unit_id, details)
			VALUES (NULL, 0, $1, $2, 'admin.unit.import', NULL, $3)`, ch.At, actor, details)
		return err
	})
	if err != nil {
		return ImportResult{}, err
	}
	return res, nil
}

// unitFacts is what the import checks of an existing unit.
type unitFacts struct {
	rank int
	kind string
	from time.Time
	to   *time.Time
}

// checkImport checks every row against the database and the other rows, and
// returns the field errors and the rows in insertion order (parents first).
func checkImport(ctx context.Context, tx pgx.Tx, rows []reorg.Row) ([]domain.FieldError, []reorg.Row, error) {
	var fields []domain.FieldError
	bad := func(line int, col, msg string) {
		fields = append(fields, domain.FieldError{Field: fmt.Sprintf("row %d: %s", line, col), Message: msg})
	}
	ranks := map[string]int{}
	lr, err := tx.Query(ctx, `SELECT code, rank FROM levels`)
	if err != nil {
		return nil, nil, err
	}
	for lr.Next() {
		var c string
		var r int
		if err := lr.Scan(&c, &r); err != nil {
			lr.Close()
			return nil, nil, err
		}
		ranks[c] = r
	}
	if err := lr.Err(); err != nil {
		return nil, nil, err
	}
	inFile := map[string]reorg.Row{}
	for _, r := range rows {
		inFile[r.Code] = r
	}
	lookup := func(id string) (unitFacts, bool, error) {
		var f unitFacts
		err := tx.QueryRow(ctx, `SELECT l.rank, u.kind, u.valid_from, u.valid_to FROM units u JOIN levels l ON l.code = u.level
			WHERE u.id = $1 FOR UPDATE OF u`, id).Scan(&f.rank, &f.kind, &f.from, &f.to)
		if err == pgx.ErrNoRows {
			return f, false, nil
		}
		return f, err == nil, err
	}
	predDate := map[string]time.Time{}
	for _, r := range rows {
		var taken bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM units WHERE upper(id) = upper($1))`, r.Code).Scan(&taken); err != nil {
			return nil, nil, err
		}
		if taken {
			bad(r.Line, "code", r.Code+" already exists")
		}
		rank, ok := ranks[r.Level]
		if !ok {
			bad(r.Line, "kind", "level "+r.Level+" is not configured")
		}
		if p, ok := inFile[r.Parent]; ok {
			if p.ValidFrom.After(r.ValidFrom) {
				bad(r.Line, "parent", r.Parent+" starts after this unit")
			}
			if ranks[p.Level] <= rank {
				bad(r.Line, "parent", "the parent's level must be above this unit's")
			}
		} else {
			pf, found, err := lookup(r.Parent)
			if err != nil {
				return nil, nil, err
			}
			switch {
			case !found:
				bad(r.Line, "parent", "no unit "+r.Parent)
			case r.ValidFrom.Before(pf.from) || (pf.to != nil && !r.ValidFrom.Before(*pf.to)):
				bad(r.Line, "parent", r.Parent+" is not in force on "+r.ValidFrom.Format(time.DateOnly))
			case pf.rank <= rank:
				bad(r.Line, "parent", "the parent's level must be above this unit's")
			}
		}
		for _, p := range r.Predecessors {
			if _, ok := inFile[p.ID]; ok {
				bad(r.Line, "predecessors", p.ID+" is created by this file: a predecessor must already exist")
				continue
			}
			pf, found, err := lookup(p.ID)
			if err != nil {
				return nil, nil, err
			}
			day := r.ValidFrom.Format(time.DateOnly)
			switch {
			case !found:
				bad(r.Line, "predecessors", "no unit "+p.ID)
				continue
			case !pf.from.Before(r.ValidFrom):
				bad(r.Line, "predecessors", p.ID+" starts on or after "+day)
				continue
			case pf.to != nil && !pf.to.Equal(r.ValidFrom):
				bad(r.Line, "predecessors", p.ID+" ended on "+pf.to.Format(time.DateOnly)+", not the day before "+day)
				continue
			}
			if d, ok := predDate[p.ID]; ok && !d.Equal(r.ValidFrom) {
				bad(r.Line, "predecessors", p.ID+" goes to units starting on different days")
			}
			predDate[p.ID] = r.ValidFrom
			var kid string
			err = tx.QueryRow(ctx, `SELECT id FROM units WHERE parent_id = $1 AND (valid_to IS NULL OR valid_to > $2)
				ORDER BY id LIMIT 1`, p.ID, r.ValidFrom).Scan(&kid)
			if err == nil {
				bad(r.Line, "predecessors", p.ID+" still has unit "+kid+" below it after "+day+": end or move it first")
			} else if err != pgx.ErrNoRows {
				return nil, nil, err
			}
		}
	}
	// Parents first: a row whose parent is in the file comes after it; a cycle in
	// the file is an error.
	var order []reorg.Row
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(r reorg.Row) bool
	visit = func(r reorg.Row) bool {
		switch state[r.Code] {
		case 1:
			return false
		case 2:
			return true
		}
		state[r.Code] = 1
		if p, ok := inFile[r.Parent]; ok && !visit(p) {
			return false
		}
		state[r.Code] = 2
		order = append(order, r)
		return true
	}
	for _, r := range rows {
		if !visit(r) {
			bad(r.Line, "parent", "the parents in the file form a cycle")
			state[r.Code] = 2
		}
	}
	return fields, order, nil
}

// EndedUnitAccounts is an ended unit with the accounts and roles still attached to
// it, and the units that succeeded it.
type EndedUnitAccounts struct {
	UnitID     string           `json:"unit_id"`
	UnitName   string           `json:"unit_name"`
	ValidTo    string           `json:"valid_to"` // exclusive: the first day it no longer exists
	Successors []string         `json:"successors"`
	Users      []EndedUnitUser  `json:"users"` // whose home unit it is
	Roles      []EndedUnitGrant `json:"roles"` // held in it
}

// EndedUnitUser is an account whose home unit has ended.
type EndedUnitUser struct {
	ID       int64  `json:"id"`
	Username string `json:"username"`
	FullName string `json:"full_name"`
	Active   bool   `json:"active"`
}

// EndedUnitGrant is a role held in an ended unit.
type EndedUnitGrant struct {
	UserID   int64  `json:"user_id"`
	Username string `json:"username"`
	Role     string `json:"role"`
}

// EndedUnitsWithAccounts lists the units ended on or before day that still have
// accounts or role assignments, by unit id.
func (s *Store) EndedUnitsWithAccounts(ctx context.Context, day time.Time) ([]EndedUnitAccounts, error) {
	const op = "admin.EndedUnitsWithAccounts"
	rows, err := s.Pool.Query(ctx, `SELECT u.id, u.name, to_char(u.valid_to, 'YYYY-MM-DD'),
			coalesce((SELECT array_agg(successor_id ORDER BY successor_id) FROM unit_successions WHERE predecessor_id = u.id), '{}'),
			coalesce((SELECT jsonb_agg(jsonb_build_object('id', x.id, 'username', x.username, 'full_name', x.full_name, 'active', x.active)
				ORDER BY x.username) FROM users x WHERE x.unit_id = u.id), '[]'),
			coalesce((SELECT jsonb_agg(jsonb_build_object('user_id', r.user_id, 'username', x.username, 'role', r.role)
				ORDER BY x.username, r.role) FROM role_assignments r JOIN users x ON x.id = r.user_id WHERE r.unit_id = u.id), '[]')
		FROM units u
		WHERE u.valid_to IS NOT NULL AND u.valid_to <= $1
		  AND (EXISTS (SELECT 1 FROM users x WHERE x.unit_id = u.id) OR EXISTS (SELECT 1 FROM role_assignments r WHERE r.unit_id = u.id))
		ORDER BY u.id`, dateOnly(day))
	if err != nil {
		return nil, postgres.Translate(op, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (EndedUnitAccounts, error) {
		var e EndedUnitAccounts
		var users, roles []byte
		if err := r.Scan(&e.UnitID, &e.UnitName, &e.ValidTo, &e.Successors, &users, &roles); err != nil {
			return e, err
		}
		if err := json.Unmarshal(users, &e.Users); err != nil {
			return e, err
		}
		return e, json.Unmarshal(roles, &e.Roles)
	})
	return out, postgres.Translate(op, err)
}

// endedUnit locks a unit and checks that it has ended by day: KindNotFound for an
// unknown unit, KindConflict for one still in force.
func endedUnit(ctx context.Context, tx pgx.Tx, id string, day time.Time) error {
	var to *time.Time
	if err := tx.QueryRow(ctx, `SELECT valid_to FROM units WHERE id = $1 FOR UPDATE`, id).Scan(&to); err != nil {
		return err
	}
	if to == nil || to.After(dateOnly(day)) {
		return domain.Errorf(domain.KindConflict, "unit %s is still in force: change its users one by one", id)
	}
	return nil
}

// MoveUsers moves every account whose home unit is the ended unit from to the unit
// to (in force on ch.At), and, with roles, its role assignments too (a role the
// user already holds in to is dropped rather than doubled), with one audit event.
// It returns the accounts and roles moved.
func (s *Store) MoveUsers(ctx context.Context, from, to string, roles bool, ch AdminChange) (users, moved int, err error) {
	const op = "admin.MoveUsers"
	err = s.InTx(ctx, op, func(tx pgx.Tx) error {
		if err := endedUnit(ctx, tx, from, ch.At); err != nil {
			return err
		}
		var live bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM units WHERE id = $1 AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2))`,
			to, dateOnly(ch.At)).Scan(&live); err != nil {
			return err
		}
		if !live {
			return domain.Invalid("the target unit is not in force", domain.FieldError{Field: "to", Message: "a unit in force today"})
		}
		tag, err := tx.Exec(ctx, `UPDATE users SET unit_id = $2 WHERE unit_id = $1`, from, to)
		if err != nil {
			return err
		}
		users = int(tag.RowsAffected())
		if roles {
			tag, err := tx.Exec(ctx, `UPDATE role_assignments r SET unit_id = $2 WHERE r.unit_id = $1
				AND NOT EXISTS (SELECT 1 FROM role_assignments o WHERE o.user_id = r.user_id AND o.role = r.role AND o.unit_id = $2)`, from, to)
			if err != nil {
				return err
			}
			moved = int(tag.RowsAffected())
			if _, err := tx.Exec(ctx, `DELETE FROM role_assignments WHERE unit_id = $1`, from); err != nil {
				return err
			}
		}
		return adminAudit2(ctx, tx, ch, "admin.users.move", from, map[string]any{"to": to, "users": users, "roles": moved})
	})
	return users, moved, err
}

// RevokeRolesIn revokes every role held in the ended unit, with one audit event,
// and returns how many.
func (s *Store) RevokeRolesIn(ctx context.Context, unitID string, ch AdminChange) (int, error) {
	const op = "admin.RevokeRolesIn"
	var n int
	err := s.InTx(ctx, op, func(tx pgx.Tx) error {
		if err := endedUnit(ctx, tx, unitID, ch.At); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `DELETE FROM role_assignments WHERE unit_id = $1`, unitID)
		if err != nil {
			return err
		}
		n = int(tag.RowsAffected())
		return adminAudit2(ctx, tx, ch, "admin.roles.revoke_ended", unitID, map[string]any{"roles": n})
	})
	return n, err
}

// adminAudit2 is adminAudit for a change the system may make (ActorID 0: no actor).
func adminAudit2(ctx context.Context, tx pgx.Tx, ch AdminChange, action, unitID string, details map[string]any) error {
	if ch.ActorID != 0 {
		return Audit(ctx, tx, ch, action, unitID, details)
	}
	js, err := json.Marshal(details)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO audit_events (nomination_id, seq, at, actor_id, action, unit_id, details)
		VALUES (NULL, 0, $1, NULL, $2, $3, $4)`, ch.At, action, unitID, js)
	return err
}

// WithPast extends a set of units in force with their past: the units that ended
// below them and the units they succeed, directly or through earlier
// reorganisations (a 2025 commune → the communes it took in; a province → its
// ended districts and their communes). What was recorded under an old unit is
// read through the unit that carries it on today.
func (s *Store) WithPast(ctx context.Context, units []string) ([]string, error) {
	const op = "admin.WithPast"
	rows, err := s.Pool.Query(ctx, `WITH RECURSIVE edge(id, via) AS (
			SELECT id, parent_id FROM units WHERE valid_to IS NOT NULL AND parent_id IS NOT NULL
			UNION ALL
			SELECT predecessor_id, successor_id FROM unit_successions),
		past(id) AS (
			SELECT unnest($1::text[])
			UNION
			SELECT e.id FROM edge e JOIN past p ON e.via = p.id)
		SELECT id FROM past ORDER BY id`, units)
	if err != nil {
		return nil, postgres.Translate(op, err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return out, postgres.Translate(op, err)
}

// SuccessorOn is where a unit's work goes on day: the unit itself while it is in
// force, else the unit that took it in whole, followed through later
// reorganisations to one in force on day. ok is false when there is none: the unit
// was split (only parts went on) or its level was abolished (a district), and a
// dossier waiting there goes to the next stop of its route instead. This is the
// store side of handing over in-flight dossiers; the workflow calls it through an
// activity (see the report of the reform branch).
func (s *Store) SuccessorOn(ctx context.Context, unitID string, day time.Time) (id string, ok bool, err error) {
	const op = "admin.SuccessorOn"
	err = s.Pool.QueryRow(ctx, `WITH RECURSIVE fwd(id, depth) AS (
			SELECT id, 0 FROM units WHERE id = $1
			UNION
			SELECT s.successor_id, f.depth + 1 FROM unit_successions s JOIN fwd f ON s.predecessor_id = f.id
			WHERE s.whole AND f.depth < 16
			  AND (SELECT count(*) FROM unit_successions o WHERE o.predecessor_id = f.id) = 1)
		SELECT f.id FROM fwd f JOIN units u ON u.id = f.id
		WHERE u.valid_from <= $2 AND (u.valid_to IS NULL OR u.valid_to > $2)
		ORDER BY f.depth LIMIT 1`, unitID, dateOnly(day)).Scan(&id)
	if err == pgx.ErrNoRows {
		return "", false, nil
	}
	if err != nil {
		return "", false, postgres.Translate(op, err)
	}
	return id, true, nil
}
