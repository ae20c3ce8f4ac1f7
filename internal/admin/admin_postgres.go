package admin

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/history"
	"github.com/tdkt/tdkt/internal/postgres"
)

// The administration of units, users and role assignments (quản trị đơn vị, người
// dùng, phân quyền). Every change runs in one transaction together with its audit
// event, so a change is never stored without its trace and a failed change leaves
// nothing behind. Administrative audit events belong to no dossier: nomination_id
// is NULL and seq 0, and the action names what changed ("admin.unit.create"…).

// Level is an administrative level (cấp) of the levels table; a higher rank is a
// higher level.
type Level struct {
	Code string `json:"code"`
	Name string `json:"name"`
	Rank int    `json:"rank"`
}

// Levels returns the levels, lowest first.
func (s *Store) Levels(ctx context.Context) ([]Level, error) {
	const op = "admin.Levels"
	rows, err := s.Pool.Query(ctx, `SELECT code, name, rank FROM levels ORDER BY rank`)
	if err != nil {
		return nil, postgres.Translate(op, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Level, error) {
		var l Level
		err := r.Scan(&l.Code, &l.Name, &l.Rank)
		return l, err
	})
	return out, postgres.Translate(op, err)
}

// AdminChange names who makes an administrative change and when; it becomes the
// audit event's actor and instant.
type AdminChange struct {
	ActorID int64
	At      time.Time
}

// Audit appends the audit event of an administrative change inside tx.
func Audit(ctx context.Context, tx pgx.Tx, ch AdminChange, action, unitID string, details map[string]any) error {
	js, err := json.Marshal(details)
	if err != nil {
		return fmt.Errorf("audit details of %s: %w", action, err)
	}
	var unit *string
	if unitID != "" {
		unit = &unitID
	}
	_, err = tx.Exec(ctx, `INSERT INTO audit_events (nomination_id, seq, at, actor_id, action, unit_id, details)
		VALUES (NULL, 0, $1, $2, $3, $4, $5)`, ch.At, ch.ActorID, action, unit, js)
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// NewUnit is a unit to create under an existing parent.
type NewUnit struct {
	ID, ParentID, Name, Level, Kind, Subkind string
	ValidFrom                                time.Time
}

// peopleCommittee is the kind of the administrative units proper (UBND): each sits
// at a level strictly below its parent's. Departments, mass organisations and
// enterprises sit at their parent's level or below.
const peopleCommittee = "people_committee"

// CreateUnit inserts a unit under its parent with its audit event. The parent must
// exist and be in force on ValidFrom; the level must exist and rank below the
// parent's (at most the parent's for a unit that is not a people's committee).
// KindInvalid names the offending field; KindConflict when the id is taken.
func (s *Store) CreateUnit(ctx context.Context, u NewUnit, ch AdminChange) error {
	const op = "admin.CreateUnit"
	return s.InTx(ctx, op, func(tx pgx.Tx) error {
		var parentRank int
		var parentFrom time.Time
		var parentTo *time.Time
		err := tx.QueryRow(ctx, `SELECT l.rank, u.valid_from, u.valid_to FROM units u JOIN levels l ON l.code = u.level
			WHERE u.id = $1 FOR SHARE OF u`, u.ParentID).Scan(&parentRank, &parentFrom, &parentTo)
		if err == pgx.ErrNoRows {
			return domain.Invalid("the parent unit does not exist", domain.FieldError{Field: "parent_id", Message: "no such unit"})
		}
		if err != nil {
			return err
		}
		var rank int
		err = tx.QueryRow(ctx, `SELECT rank FROM levels WHERE code = $1`, u.Level).Scan(&rank)
		if err == pgx.ErrNoRows {
			return domain.Invalid("unknown level", domain.FieldError{Field: "level", Message: "no such level"})
		}
		if err != nil {
			return err
		}
		if rank > parentRank || (rank == parentRank && u.Kind == peopleCommittee) {
			return domain.Invalid("the level must be below the parent's",
				domain.FieldError{Field: "level", Message: "must rank below the parent unit's level"})
		}
		if u.ValidFrom.Before(parentFrom) || (parentTo != nil && !u.ValidFrom.Before(*parentTo)) {
			return domain.Invalid("the parent unit is not in force on that date",
				domain.FieldError{Field: "valid_from", Message: "must lie within the parent unit's validity"})
		}
		var taken bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM units WHERE upper(id) = upper($1))`, u.ID).Scan(&taken); err != nil {
			return err
		}
		if taken {
			return &domain.Error{Op: op, Kind: domain.KindConflict, Message: "a unit with this code already exists",
				Fields: []domain.FieldError{{Field: "id", Message: "already exists"}}}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO units (id, parent_id, name, level, kind, subkind, valid_from)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, u.ID, u.ParentID, u.Name, u.Level, u.Kind, u.Subkind, u.ValidFrom); err != nil {
			return err
		}
		return Audit(ctx, tx, ch, "admin.unit.create", u.ID, map[string]any{"parent_id": u.ParentID, "name": u.Name,
			"level": u.Level, "kind": u.Kind, "subkind": u.Subkind, "valid_from": u.ValidFrom.Format(time.DateOnly)})
	})
}

// UpdateUnit changes a unit's name, kind and subkind with its audit event (before
// and after); KindNotFound for an unknown unit.
func (s *Store) UpdateUnit(ctx context.Context, id, name, kind, subkind string, ch AdminChange) error {
	const op = "admin.UpdateUnit"
	return s.InTx(ctx, op, func(tx pgx.Tx) error {
		var oldName, oldKind, oldSub string
		if err := tx.QueryRow(ctx, `SELECT name, kind, subkind FROM units WHERE id = $1 FOR UPDATE`, id).
			Scan(&oldName, &oldKind, &oldSub); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE units SET name = $2, kind = $3, subkind = $4 WHERE id = $1`, id, name, kind, subkind); err != nil {
			return err
		}
		return Audit(ctx, tx, ch, "admin.unit.update", id, map[string]any{
			"before": map[string]string{"name": oldName, "kind": oldKind, "subkind": oldSub},
			"after":  map[string]string{"name": name, "kind": kind, "subkind": subkind}})
	})
}

// EndUnit ends a unit: it is in force until validTo (exclusive) and never deleted,
// so dossiers and history that refer to it keep their meaning. KindConflict when
// the unit has already ended, a unit below it stays in force after validTo, or
// active users still work there (once it ends, nobody could manage them);
// KindInvalid when validTo is not after the unit's start.
func (s *Store) EndUnit(ctx context.Context, id string, validTo time.Time, ch AdminChange) error {
	const op = "admin.EndUnit"
	return s.InTx(ctx, op, func(tx pgx.Tx) error {
		var from time.Time
		var to *time.Time
		if err := tx.QueryRow(ctx, `SELECT valid_from, valid_to FROM units WHERE id = $1 FOR UPDATE`, id).Scan(&from, &to); err != nil {
			return err
		}
		if to != nil {
			return domain.Errorf(domain.KindConflict, "the unit already ended on %s", to.Format("02/01/2006"))
		}
		if !validTo.After(from) {
			return domain.Invalid("the end date must follow the start", domain.FieldError{Field: "valid_to",
				Message: "must be after the unit's start " + from.Format(time.DateOnly)})
		}
		var child string
		err := tx.QueryRow(ctx, `SELECT id FROM units WHERE parent_id = $1 AND (valid_to IS NULL OR valid_to > $2)
			ORDER BY id LIMIT 1`, id, validTo).Scan(&child)
		if err == nil {
			return domain.Errorf(domain.KindConflict, "unit %s below it stays in force after that date: end it first", child)
		}
		if err != pgx.ErrNoRows {
			return err
		}
		var working int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM users WHERE unit_id = $1 AND active`, id).Scan(&working); err != nil {
			return err
		}
		if working > 0 {
			return domain.Errorf(domain.KindConflict, "%d active users work in this unit: move them to another unit or deactivate them first", working)
		}
		if _, err := tx.Exec(ctx, `UPDATE units SET valid_to = $2 WHERE id = $1`, id, validTo); err != nil {
			return err
		}
		return Audit(ctx, tx, ch, "admin.unit.end", id, map[string]any{"valid_to": validTo.Format(time.DateOnly)})
	})
}

// AdminUser is a user as the administration sees them: never the password hash.
type AdminUser struct {
	ID        int64                   `json:"id"`
	Username  string                  `json:"username"`
	FullName  string                  `json:"full_name"`
	UnitID    string                  `json:"unit_id"`
	UnitName  string                  `json:"unit_name"`
	Active    bool                    `json:"active"`
	CreatedAt time.Time               `json:"created_at"`
	Roles     []domain.RoleAssignment `json:"roles"`
	// SubjectID is the person subject the account stands for (0: not linked).
	SubjectID int64 `json:"subject_id,omitempty"`
}

// UserFilter narrows the user list. Units is the set of home units the reader may
// see (required: an empty set lists nobody); UnitID, Query (words of the username
// or full name) and Active narrow it further.
type UserFilter struct {
	Units  []string
	UnitID string
	Query  string
	Active *bool
	Limit  int
	Offset int
}

// AdminUsers lists users whose home unit is in the filter's units, by username,
// with their roles, and the number of users matching the filter.
func (s *Store) AdminUsers(ctx context.Context, f UserFilter) ([]AdminUser, int, error) {
	const op = "admin.AdminUsers"
	if len(f.Units) == 0 {
		return []AdminUser{}, 0, nil
	}
	where := []string{"u.unit_id = ANY($1)"}
	args := []any{f.Units}
	if f.UnitID != "" {
		args = append(args, f.UnitID)
		where = append(where, fmt.Sprintf("u.unit_id = $%d", len(args)))
	}
	// Each word matches the username or the name, with or without diacritics
	// (users.name_folded, migration 0011).
	for _, w := range strings.Fields(history.Fold(f.Query)) {
		args = append(args, "%"+postgres.LikeEscape(w)+"%")
		where = append(where, fmt.Sprintf("(u.username ILIKE $%d OR u.name_folded LIKE $%d)", len(args), len(args)))
	}
	if f.Active != nil {
		args = append(args, *f.Active)
		where = append(where, fmt.Sprintf("u.active = $%d", len(args)))
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := s.Pool.QueryRow(ctx, `SELECT count(*) FROM users u WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, postgres.Translate(op, err)
	}
	args = append(args, f.Limit, f.Offset)
	rows, err := s.Pool.Query(ctx, `SELECT u.id, u.username, u.full_name, u.unit_id, un.name, u.active, u.created_at,
			coalesce((SELECT jsonb_agg(jsonb_build_object('role', r.role, 'unit_id', r.unit_id, 'unit_name', ru.name, 'granted_by', r.granted_by) ORDER BY r.unit_id, r.role)
				FROM role_assignments r JOIN units ru ON ru.id = r.unit_id WHERE r.user_id = u.id), '[]'), coalesce(u.subject_id, 0)
		FROM users u JOIN units un ON un.id = u.unit_id
		WHERE `+cond+fmt.Sprintf(` ORDER BY u.username LIMIT $%d OFFSET $%d`, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, postgres.Translate(op, err)
	}
	out, err := pgx.CollectRows(rows, scanAdminUser)
	if err != nil {
		return nil, 0, postgres.Translate(op, err)
	}
	return out, total, nil
}

func scanAdminUser(r pgx.CollectableRow) (AdminUser, error) {
	var u AdminUser
	err := r.Scan(&u.ID, &u.Username, &u.FullName, &u.UnitID, &u.UnitName, &u.Active, &u.CreatedAt, &u.Roles, &u.SubjectID)
	return u, err
}

// AdminUserByID returns one user with their roles; KindNotFound if unknown.
func (s *Store) AdminUserByID(ctx context.Context, id int64) (AdminUser, error) {
	const op = "admin.AdminUserByID"
	rows, err := s.Pool.Query(ctx, `SELECT u.id, u.username, u.full_name, u.unit_id, un.name, u.active, u.created_at,
			coalesce((SELECT jsonb_agg(jsonb_build_object('role', r.role, 'unit_id', r.unit_id, 'unit_name', ru.name, 'granted_by', r.granted_by) ORDER BY r.unit_id, r.role)
				FROM role_assignments r JOIN units ru ON ru.id = r.unit_id WHERE r.user_id = u.id), '[]'), coalesce(u.subject_id, 0)
		FROM users u JOIN units un ON un.id = u.unit_id WHERE u.id = $1`, id)
	if err != nil {
		return AdminUser{}, postgres.Translate(op, err)
	}
	u, err := pgx.CollectExactlyOneRow(rows, scanAdminUser)
	return u, postgres.Translate(op, err)
}

// NewUser is an account to create; PasswordHash is already hashed.
type NewUser struct {
	Username, FullName, UnitID, PasswordHash string
}

// CreateUser inserts an active user with its audit event and returns its id.
// KindConflict when the username is taken in any letter case; KindInvalid for an
// unknown unit.
func (s *Store) CreateUser(ctx context.Context, u NewUser, ch AdminChange) (int64, error) {
	const op = "admin.CreateUser"
	var id int64
	err := s.InTx(ctx, op, func(tx pgx.Tx) error {
		var taken bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE lower(username) = lower($1))`, u.Username).Scan(&taken); err != nil {
			return err
		}
		if taken {
			return &domain.Error{Op: op, Kind: domain.KindConflict, Message: "this username is taken",
				Fields: []domain.FieldError{{Field: "username", Message: "already exists"}}}
		}
		if err := tx.QueryRow(ctx, `INSERT INTO users (username, full_name, password_hash, unit_id, created_at, created_by)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, u.Username, u.FullName, u.PasswordHash, u.UnitID, ch.At,
			nullID(ch.ActorID)).Scan(&id); err != nil {
			return err
		}
		return Audit(ctx, tx, ch, "admin.user.create", u.UnitID, map[string]any{"user_id": id, "username": u.Username,
			"full_name": u.FullName})
	})
	return id, err
}

// UpdateUser changes a user's full name and home unit with its audit event.
func (s *Store) UpdateUser(ctx context.Context, id int64, fullName, unitID string, ch AdminChange) error {
	const op = "admin.UpdateUser"
	return s.InTx(ctx, op, func(tx pgx.Tx) error {
		var oldName, oldUnit string
		if err := tx.QueryRow(ctx, `SELECT full_name, unit_id FROM users WHERE id = $1 FOR UPDATE`, id).Scan(&oldName, &oldUnit); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET full_name = $2, unit_id = $3 WHERE id = $1`, id, fullName, unitID); err != nil {
			return err
		}
		return Audit(ctx, tx, ch, "admin.user.update", unitID, map[string]any{"user_id": id,
			"before": map[string]string{"full_name": oldName, "unit_id": oldUnit},
			"after":  map[string]string{"full_name": fullName, "unit_id": unitID}})
	})
}

// RevokeCredentials ends every live session and API token of a user inside tx.
func RevokeCredentials(ctx context.Context, tx pgx.Tx, userID int64, at time.Time, tokens bool) error {
	if _, err := tx.Exec(ctx, `UPDATE sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL`, userID, at); err != nil {
		return err
	}
	if tokens {
		if _, err := tx.Exec(ctx, `UPDATE api_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL`, userID, at); err != nil {
			return err
		}
	}
	return nil
}

// SetUserActive deactivates or reactivates a user with its audit event. A
// deactivated user keeps their rows (dossiers, history, role assignments) but
// cannot log in, and every session and API token they held is revoked at once.
// Setting the state a user already has changes nothing and writes no event.
func (s *Store) SetUserActive(ctx context.Context, id int64, active bool, ch AdminChange) error {
	const op = "admin.SetUserActive"
	return s.InTx(ctx, op, func(tx pgx.Tx) error {
		var was bool
		var unit string
		if err := tx.QueryRow(ctx, `SELECT active, unit_id FROM users WHERE id = $1 FOR UPDATE`, id).Scan(&was, &unit); err != nil {
			return err
		}
		if was == active {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET active = $2 WHERE id = $1`, id, active); err != nil {
			return err
		}
		action := "admin.user.activate"
		if !active {
			action = "admin.user.deactivate"
			if err := RevokeCredentials(ctx, tx, id, ch.At, true); err != nil {
				return err
			}
		}
		return Audit(ctx, tx, ch, action, unit, map[string]any{"user_id": id})
	})
}

// ResetPassword replaces a user's password hash, revokes their sessions and API
// tokens (whoever held the old password may have minted one) and ends a lockout of the account, with its audit event (which never holds the password
// or its hash).
func (s *Store) ResetPassword(ctx context.Context, id int64, hash string, ch AdminChange) error {
	const op = "admin.ResetPassword"
	return s.InTx(ctx, op, func(tx pgx.Tx) error {
		var unit, username string
		if err := tx.QueryRow(ctx, `UPDATE users SET password_hash = $2 WHERE id = $1 RETURNING unit_id, username`, id, hash).Scan(&unit, &username); err != nil {
			return err
		}
		if err := RevokeCredentials(ctx, tx, id, ch.At, true); err != nil {
			return err
		}
		// The new password is for logging in now: a lockout of the account (after
		// failed attempts with the old one) ends with it.
		if _, err := clearLockoutsTx(ctx, tx, LockAccount, strings.ToLower(username), ch); err != nil {
			return err
		}
		return Audit(ctx, tx, ch, "admin.user.password", unit, map[string]any{"user_id": id})
	})
}

// GrantRole gives a user a role in a unit with its audit event; KindConflict when
// the user already holds it there, KindNotFound for an unknown user.
func (s *Store) GrantRole(ctx context.Context, userID int64, role, unitID string, ch AdminChange) error {
	const op = "admin.GrantRole"
	return s.InTx(ctx, op, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO role_assignments (user_id, role, unit_id, granted_by, granted_at)
			SELECT id, $2, $3, $4, $5 FROM users WHERE id = $1
			ON CONFLICT DO NOTHING`, userID, role, unitID, nullID(ch.ActorID), ch.At)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			var exists bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE id = $1)`, userID).Scan(&exists); err != nil {
				return err
			}
			if !exists {
				return domain.Errorf(domain.KindNotFound, "no such user")
			}
			return domain.Errorf(domain.KindConflict, "the user already holds this role in this unit")
		}
		return Audit(ctx, tx, ch, "admin.role.grant", unitID, map[string]any{"user_id": userID, "role": role})
	})
}

// RoleAdmin is the role that manages units, users and roles (see policies/policy.csv).
const RoleAdmin = "admin"

// RevokeRole takes a role in a unit from a user with its audit event; KindNotFound
// when the user does not hold it there. An administrator removing their own admin
// role must keep another one: KindConflict otherwise, checked in the same
// transaction so that two concurrent revocations cannot both pass.
func (s *Store) RevokeRole(ctx context.Context, userID int64, role, unitID string, ch AdminChange) error {
	const op = "admin.RevokeRole"
	return s.InTx(ctx, op, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT 1 FROM users WHERE id = $1 FOR UPDATE`, userID); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `DELETE FROM role_assignments WHERE user_id = $1 AND role = $2 AND unit_id = $3`, userID, role, unitID)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return domain.Errorf(domain.KindNotFound, "the user does not hold this role in this unit")
		}
		if userID == ch.ActorID && role == RoleAdmin {
			var left int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM role_assignments WHERE user_id = $1 AND role = $2`, userID, RoleAdmin).Scan(&left); err != nil {
				return err
			}
			if left == 0 {
				return domain.Errorf(domain.KindConflict, "you cannot remove your own last admin role: ask another administrator")
			}
		}
		return Audit(ctx, tx, ch, "admin.role.revoke", unitID, map[string]any{"user_id": userID, "role": role})
	})
}

// nullID is a user id for a nullable column: NULL for 0.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// EmpoweredBy reports whether grantee created the account of grantor or granted it
// a role, directly or through accounts they created or empowered in turn: such a
// grantee must not receive a role from grantor, or an administrator could obtain
// roles for themselves through an account of their own making.
func (s *Store) EmpoweredBy(ctx context.Context, grantor, grantee int64) (bool, error) {
	var ok bool
	err := s.Pool.QueryRow(ctx, `WITH RECURSIVE up(id) AS (
			SELECT $1::bigint
			UNION
			SELECT e.src FROM up JOIN (
				SELECT created_by AS src, id AS dst FROM users WHERE created_by IS NOT NULL
				UNION ALL
				SELECT granted_by, user_id FROM role_assignments WHERE granted_by IS NOT NULL
			) e ON e.dst = up.id
		)
		SELECT EXISTS (SELECT 1 FROM up WHERE id = $2)`, grantor, grantee).Scan(&ok)
	return ok, postgres.Translate("admin.EmpoweredBy", err)
}

// SetUserSubject links a user account to the person subject it stands for (nil
// unlinks), for separation of duties by identity; KindNotFound for an unknown user
// or subject.
func (s *Store) SetUserSubject(ctx context.Context, userID int64, subjectID *int64, ch AdminChange) error {
	const op = "admin.SetUserSubject"
	return s.InTx(ctx, op, func(tx pgx.Tx) error {
		var unit string
		if err := tx.QueryRow(ctx, `UPDATE users SET subject_id = $2 WHERE id = $1 RETURNING unit_id`, userID, subjectID).Scan(&unit); err != nil {
			if err == pgx.ErrNoRows {
				return domain.Errorf(domain.KindNotFound, "no such user")
			}
			return err
		}
		return Audit(ctx, tx, ch, "admin.user.subject", unit, map[string]any{"user_id": userID, "subject_id": subjectID})
	})
}
