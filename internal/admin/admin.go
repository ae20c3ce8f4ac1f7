package admin

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tdkt/tdkt/internal/authz"
	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/password"
)

// The administration (quản trị) of units, users and role assignments. An
// administrator acts only inside the subtree where they hold "unit manage" or
// "user manage" (policies/policy.csv: admin, subtree); nobody changes their own
// roles or deactivates themselves; every change is written with its audit event
// in one transaction and the Casbin enforcer is reloaded at once, so that a grant
// applies from the very next request.

// MinPasswordLen is the shortest password an administrator may set.
const MinPasswordLen = 10

// maxAdminNameLen caps the names of units and people.
const maxAdminNameLen = 200

// UnitKinds are the kinds of unit (units.kind): people's committees, departments,
// enterprises, mass organisations, ministries and the government.
var UnitKinds = []string{"people_committee", "department", "enterprise", "mass_org", "ministry", "government"}

var (
	unitCodeRe = regexp.MustCompile(`^[A-Z0-9]{1,12}(-[A-Z0-9]{1,12}){0,5}$`)
	subkindRe  = regexp.MustCompile(`^[a-z_]{0,40}$`)
	usernameRe = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{2,63}$`)
)

// reloadAuthz makes a change of units, role assignments or active users visible
// to the enforcer at once (ReloadAuthz; other replicas follow the notification).
func (s *Service) reloadAuthz(ctx context.Context) {
	if s.ReloadAuthz != nil {
		s.ReloadAuthz(ctx)
	}
}

// syncAuthzUser makes a change of one user's role assignments or active flag visible
// to the enforcer at once: incrementally when SyncAuthzUsers is set, else by reloading.
func (s *Service) syncAuthzUser(ctx context.Context, id int64) {
	if s.SyncAuthzUsers != nil {
		s.SyncAuthzUsers(ctx, id)
		return
	}
	s.reloadAuthz(ctx)
}

func (s *Service) hasher() password.Hasher {
	if s.Passwords != nil {
		return *s.Passwords
	}
	return password.Hasher{}
}

// Change is the actor and time of an administrative change, for its audit event.
func (s *Service) Change(actorID int64) AdminChange {
	return AdminChange{ActorID: actorID, At: s.Clock()}
}

// today is the civil date of now in Vietnam, as a UTC midnight (a date column).
func (s *Service) today() time.Time {
	n := s.Clock().In(calendar.Zone)
	return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
}

// AdminUnit is a unit of the administrator's subtree in tree order: Depth counts
// from the top of what they manage, CanEnd says whether they may end it (they
// manage its parent).
type AdminUnit struct {
	domain.Unit
	Depth  int  `json:"depth"`
	CanEnd bool `json:"can_end"`
}

// AdminUnits returns the units in force that the user may manage, parents first
// and each followed by its subtree. KindForbidden for a user who manages none.
func (s *Service) AdminUnits(ctx context.Context, userID int64) ([]AdminUnit, error) {
	visible := s.Authz.VisibleUnits(userID, authz.ObjectUnit, authz.ActionManage)
	if len(visible) == 0 {
		return nil, domain.Errorf(domain.KindForbidden, "you do not administer any unit")
	}
	managed := make(map[string]bool, len(visible))
	for _, id := range visible {
		managed[id] = true
	}
	all, err := s.Store.Units(ctx, s.Clock())
	if err != nil {
		return nil, err
	}
	children := map[string][]domain.Unit{}
	var roots []domain.Unit
	for _, u := range all {
		if !managed[u.ID] {
			continue
		}
		if managed[u.ParentID] {
			children[u.ParentID] = append(children[u.ParentID], u)
		} else {
			roots = append(roots, u)
		}
	}
	out := make([]AdminUnit, 0, len(visible))
	var walk func(u domain.Unit, depth int)
	walk = func(u domain.Unit, depth int) {
		out = append(out, AdminUnit{Unit: u, Depth: depth, CanEnd: managed[u.ParentID]})
		for _, c := range children[u.ID] {
			walk(c, depth+1)
		}
	}
	for _, r := range roots {
		walk(r, 0)
	}
	return out, nil
}

// Levels returns the administrative levels, lowest first, for the unit forms.
// KindForbidden for a user who manages no unit.
func (s *Service) Levels(ctx context.Context, userID int64) ([]Level, error) {
	if len(s.Authz.VisibleUnits(userID, authz.ObjectUnit, authz.ActionManage)) == 0 {
		return nil, domain.Errorf(domain.KindForbidden, "you do not administer any unit")
	}
	return s.Store.Levels(ctx)
}

// CreateUnitInput is a unit to create. ValidFrom is yyyy-mm-dd, today when empty.
type CreateUnitInput struct {
	ID        string `json:"id"`
	ParentID  string `json:"parent_id"`
	Name      string `json:"name"`
	Level     string `json:"level"`
	Kind      string `json:"kind"`
	Subkind   string `json:"subkind"`
	ValidFrom string `json:"valid_from"`
}

// checkUnitFields validates the fields a unit's create and edit share.
func checkUnitFields(name, kind, subkind string, fields *[]domain.FieldError) {
	if name == "" {
		*fields = append(*fields, domain.FieldError{Field: "name", Message: "required"})
	} else if utf8.RuneCountInString(name) > maxAdminNameLen {
		*fields = append(*fields, domain.FieldError{Field: "name", Message: fmt.Sprintf("at most %d characters", maxAdminNameLen)})
	}
	if !slices.Contains(UnitKinds, kind) {
		*fields = append(*fields, domain.FieldError{Field: "kind", Message: "must be one of " + strings.Join(UnitKinds, ", ")})
	}
	if !subkindRe.MatchString(subkind) {
		*fields = append(*fields, domain.FieldError{Field: "subkind", Message: "at most 40 lower-case letters or _, e.g. xa, phuong"})
	}
}

// CreateUnit creates a unit under a parent the user manages ("unit manage" on the
// parent). KindForbidden outside the user's subtree (an unknown parent included);
// KindInvalid for a malformed code, an empty name, an unknown kind or level, or a
// level not below the parent's; KindConflict when the code is taken.
func (s *Service) CreateUnit(ctx context.Context, userID int64, in CreateUnitInput) (domain.Unit, error) {
	in.ID = strings.ToUpper(domain.Clean(in.ID))
	in.ParentID = strings.ToUpper(domain.Clean(in.ParentID))
	in.Name, in.Level, in.Kind, in.Subkind = domain.Clean(in.Name), domain.Clean(in.Level), domain.Clean(in.Kind), domain.Clean(in.Subkind)
	if in.ParentID == "" {
		return domain.Unit{}, domain.Invalid("the unit needs a parent", domain.FieldError{Field: "parent_id", Message: "required"})
	}
	if err := s.Allow(userID, in.ParentID, authz.ObjectUnit, authz.ActionManage); err != nil {
		return domain.Unit{}, err
	}
	var fields []domain.FieldError
	if !unitCodeRe.MatchString(in.ID) {
		fields = append(fields, domain.FieldError{Field: "id", Message: "required: letters A-Z and digits in groups joined by -, e.g. LS-09-030"})
	}
	checkUnitFields(in.Name, in.Kind, in.Subkind, &fields)
	if in.Level == "" {
		fields = append(fields, domain.FieldError{Field: "level", Message: "required"})
	}
	from := s.today()
	if in.ValidFrom != "" {
		d, err := time.Parse(time.DateOnly, in.ValidFrom)
		if err != nil {
			fields = append(fields, domain.FieldError{Field: "valid_from", Message: "a date as yyyy-mm-dd"})
		}
		from = d
	}
	if len(fields) > 0 {
		return domain.Unit{}, domain.Invalid("the unit has invalid fields", fields...)
	}
	err := s.Store.CreateUnit(ctx, NewUnit{ID: in.ID, ParentID: in.ParentID, Name: in.Name, Level: in.Level,
		Kind: in.Kind, Subkind: in.Subkind, ValidFrom: from}, s.Change(userID))
	if err != nil {
		return domain.Unit{}, err
	}
	s.reloadAuthz(ctx)
	return s.Store.Unit(ctx, in.ID)
}

// UpdateUnitInput changes a unit's name, kind or subkind; nil leaves a field as it is.
type UpdateUnitInput struct {
	Name    *string `json:"name"`
	Kind    *string `json:"kind"`
	Subkind *string `json:"subkind"`
}

// UpdateUnit changes a unit the user manages ("unit manage" on it). KindNotFound
// for an unknown unit, KindForbidden outside the subtree, KindInvalid for a bad field.
func (s *Service) UpdateUnit(ctx context.Context, userID int64, id string, in UpdateUnitInput) (domain.Unit, error) {
	u, err := s.Store.Unit(ctx, id)
	if err != nil {
		return domain.Unit{}, err
	}
	if err := s.Allow(userID, u.ID, authz.ObjectUnit, authz.ActionManage); err != nil {
		return domain.Unit{}, err
	}
	if in.Name != nil {
		u.Name = domain.Clean(*in.Name)
	}
	if in.Kind != nil {
		u.Kind = domain.Clean(*in.Kind)
	}
	if in.Subkind != nil {
		u.Subkind = domain.Clean(*in.Subkind)
	}
	var fields []domain.FieldError
	checkUnitFields(u.Name, u.Kind, u.Subkind, &fields)
	if len(fields) > 0 {
		return domain.Unit{}, domain.Invalid("the unit has invalid fields", fields...)
	}
	if err := s.Store.UpdateUnit(ctx, u.ID, u.Name, u.Kind, u.Subkind, s.Change(userID)); err != nil {
		return domain.Unit{}, err
	}
	return s.Store.Unit(ctx, u.ID)
}

// EndUnit ends a unit on validTo (yyyy-mm-dd, exclusive: the last day in force is
// the day before), as the 2025 reform dissolved the districts. Ending a unit is a
// change of its parent's structure: the user needs "unit manage" on the parent, so
// nobody ends the top of their own subtree. KindConflict while a unit below stays
// in force after that date or active users still work there, or when the unit
// has already ended.
func (s *Service) EndUnit(ctx context.Context, userID int64, id, validTo string) (domain.Unit, error) {
	u, err := s.Store.Unit(ctx, id)
	if err != nil {
		return domain.Unit{}, err
	}
	if u.ParentID == "" {
		return domain.Unit{}, domain.Errorf(domain.KindForbidden, "the root of the unit tree cannot be ended")
	}
	if err := s.Allow(userID, u.ParentID, authz.ObjectUnit, authz.ActionManage); err != nil {
		return domain.Unit{}, err
	}
	d, err := time.Parse(time.DateOnly, domain.Clean(validTo))
	if err != nil {
		return domain.Unit{}, domain.Invalid("the end date is required", domain.FieldError{Field: "valid_to", Message: "required, as yyyy-mm-dd"})
	}
	if err := s.Store.EndUnit(ctx, u.ID, d, s.Change(userID)); err != nil {
		return domain.Unit{}, err
	}
	s.reloadAuthz(ctx)
	s.tellDossiersAt(ctx, []string{u.ID})
	return s.Store.Unit(ctx, u.ID)
}

// UserQuery filters the administrator's user list.
type UserQuery struct {
	UnitID string
	Query  string
	Active *bool
	Limit  int
	Offset int
}

// UserPage is one page of the user list and the number of users matching.
type UserPage struct {
	Users  []AdminUser `json:"users"`
	Total  int         `json:"total"`
	Limit  int         `json:"limit"`
	Offset int         `json:"offset"`
}

// AdminUsers lists the users whose home unit is in the user's "user manage"
// subtree. KindForbidden for a user who manages no users, or a unit filter outside
// the subtree.
func (s *Service) AdminUsers(ctx context.Context, userID int64, q UserQuery) (UserPage, error) {
	units := s.Authz.VisibleUnits(userID, authz.ObjectUser, authz.ActionManage)
	if len(units) == 0 {
		return UserPage{}, domain.Errorf(domain.KindForbidden, "you do not administer any users")
	}
	q.UnitID = strings.ToUpper(domain.Clean(q.UnitID))
	if q.UnitID != "" && !slices.Contains(units, q.UnitID) {
		return UserPage{}, domain.Errorf(domain.KindForbidden, "you may not manage the users of this unit")
	}
	if q.Limit <= 0 || q.Limit > 200 {
		q.Limit = 50
	}
	if q.Offset < 0 {
		q.Offset = 0
	}
	users, total, err := s.Store.AdminUsers(ctx, UserFilter{Units: units, UnitID: q.UnitID, Query: domain.Clean(q.Query),
		Active: q.Active, Limit: q.Limit, Offset: q.Offset})
	if err != nil {
		return UserPage{}, err
	}
	return UserPage{Users: users, Total: total, Limit: q.Limit, Offset: q.Offset}, nil
}

// ManagedUser loads a user and checks the caller may manage users in their home
// unit; KindNotFound for an unknown user, KindForbidden outside the subtree.
func (s *Service) ManagedUser(ctx context.Context, userID, id int64) (AdminUser, error) {
	u, err := s.Store.AdminUserByID(ctx, id)
	if err != nil {
		return AdminUser{}, err
	}
	// A user of an ended unit is managed from the unit above it (reorg.go).
	if err := s.allowManaging(ctx, userID, u.UnitID, authz.ObjectUser); err != nil {
		return AdminUser{}, err
	}
	return u, nil
}

// AdminUser returns a user of the caller's subtree with their role assignments.
func (s *Service) AdminUser(ctx context.Context, userID, id int64) (AdminUser, error) {
	return s.ManagedUser(ctx, userID, id)
}

// CreateUserInput is an account to create with its initial password.
type CreateUserInput struct {
	Username string `json:"username"`
	FullName string `json:"full_name"`
	UnitID   string `json:"unit_id"`
	Password string `json:"password"`
}

func checkPassword(pw string, fields *[]domain.FieldError) {
	if utf8.RuneCountInString(pw) < MinPasswordLen || len(pw) > password.MaxLen {
		*fields = append(*fields, domain.FieldError{Field: "password",
			Message: fmt.Sprintf("must be between %d and %d characters", MinPasswordLen, password.MaxLen)})
	}
}

func checkFullName(name string, fields *[]domain.FieldError) {
	if name == "" {
		*fields = append(*fields, domain.FieldError{Field: "full_name", Message: "required"})
	} else if utf8.RuneCountInString(name) > maxAdminNameLen {
		*fields = append(*fields, domain.FieldError{Field: "full_name", Message: fmt.Sprintf("at most %d characters", maxAdminNameLen)})
	}
}

// CreateUser creates an active account in a unit where the caller manages users;
// the password is hashed with the application's hasher. The account holds no role
// until one is granted. KindInvalid for a malformed username, an empty name or a
// short password; KindConflict when the username is taken (in any letter case).
func (s *Service) CreateUser(ctx context.Context, userID int64, in CreateUserInput) (AdminUser, error) {
	in.Username, in.FullName, in.UnitID = strings.ToLower(domain.Clean(in.Username)), domain.Clean(in.FullName), strings.ToUpper(domain.Clean(in.UnitID))
	if in.UnitID == "" {
		return AdminUser{}, domain.Invalid("the user needs a unit", domain.FieldError{Field: "unit_id", Message: "required"})
	}
	if err := s.Allow(userID, in.UnitID, authz.ObjectUser, authz.ActionManage); err != nil {
		return AdminUser{}, err
	}
	var fields []domain.FieldError
	if !usernameRe.MatchString(in.Username) {
		fields = append(fields, domain.FieldError{Field: "username", Message: "required: 3 to 64 lower-case letters, digits, dots, - or _, e.g. xa.clerk"})
	}
	checkFullName(in.FullName, &fields)
	checkPassword(in.Password, &fields)
	if len(fields) > 0 {
		return AdminUser{}, domain.Invalid("the user has invalid fields", fields...)
	}
	hash, err := s.hasher().Hash(in.Password)
	if err != nil {
		return AdminUser{}, fmt.Errorf("app.CreateUser: %w", err)
	}
	id, err := s.Store.CreateUser(ctx, NewUser{Username: in.Username, FullName: in.FullName, UnitID: in.UnitID,
		PasswordHash: hash}, s.Change(userID))
	if err != nil {
		return AdminUser{}, err
	}
	return s.Store.AdminUserByID(ctx, id)
}

// UpdateUserInput changes a user's full name or home unit; nil leaves it.
type UpdateUserInput struct {
	FullName *string `json:"full_name"`
	UnitID   *string `json:"unit_id"`
}

// UpdateUser changes a user of the caller's subtree; moving them needs "user
// manage" in the new unit too. Their roles stay where they are held.
func (s *Service) UpdateUser(ctx context.Context, userID, id int64, in UpdateUserInput) (AdminUser, error) {
	u, err := s.ManagedUser(ctx, userID, id)
	if err != nil {
		return AdminUser{}, err
	}
	if in.UnitID != nil {
		unit := strings.ToUpper(domain.Clean(*in.UnitID))
		if unit == "" {
			return AdminUser{}, domain.Invalid("the user needs a unit", domain.FieldError{Field: "unit_id", Message: "required"})
		}
		if unit != u.UnitID {
			if err := s.Allow(userID, unit, authz.ObjectUser, authz.ActionManage); err != nil {
				return AdminUser{}, err
			}
		}
		u.UnitID = unit
	}
	if in.FullName != nil {
		u.FullName = domain.Clean(*in.FullName)
	}
	var fields []domain.FieldError
	checkFullName(u.FullName, &fields)
	if len(fields) > 0 {
		return AdminUser{}, domain.Invalid("the user has invalid fields", fields...)
	}
	if err := s.Store.UpdateUser(ctx, u.ID, u.FullName, u.UnitID, s.Change(userID)); err != nil {
		return AdminUser{}, err
	}
	return s.Store.AdminUserByID(ctx, u.ID)
}

// SetUserActive deactivates (active false) or reactivates a user of the caller's
// subtree. Deactivation revokes the user's sessions and API tokens at once and
// their roles stop applying; nobody deactivates themselves (KindForbidden).
func (s *Service) SetUserActive(ctx context.Context, userID, id int64, active bool) (AdminUser, error) {
	if id == userID && !active {
		return AdminUser{}, domain.Errorf(domain.KindForbidden, "you cannot deactivate your own account")
	}
	u, err := s.ManagedUser(ctx, userID, id)
	if err != nil {
		return AdminUser{}, err
	}
	if err := s.Store.SetUserActive(ctx, u.ID, active, s.Change(userID)); err != nil {
		return AdminUser{}, err
	}
	s.syncAuthzUser(ctx, u.ID)
	return s.Store.AdminUserByID(ctx, u.ID)
}

// ResetPassword sets a new password for a user of the caller's subtree and ends
// their sessions, so that whoever held the old password is logged out.
// KindInvalid for a password shorter than MinPasswordLen.
func (s *Service) ResetPassword(ctx context.Context, userID, id int64, pw string) error {
	u, err := s.ManagedUser(ctx, userID, id)
	if err != nil {
		return err
	}
	var fields []domain.FieldError
	checkPassword(pw, &fields)
	if len(fields) > 0 {
		return domain.Invalid("the password is not acceptable", fields...)
	}
	hash, err := s.hasher().Hash(pw)
	if err != nil {
		return fmt.Errorf("app.ResetPassword: %w", err)
	}
	return s.Store.ResetPassword(ctx, u.ID, hash, s.Change(userID))
}

// Roles returns the role catalogue an administrator may grant: the roles of the
// embedded policy. KindForbidden for a user who manages no users.
func (s *Service) Roles(userID int64) ([]string, error) {
	if len(s.Authz.VisibleUnits(userID, authz.ObjectUser, authz.ActionManage)) == 0 {
		return nil, domain.Errorf(domain.KindForbidden, "you do not administer any users")
	}
	return authz.PolicyRoles(), nil
}

// checkRoleChange applies the rules a grant and a revocation share: the caller
// manages users both in the target's home unit and in the unit of the role.
func (s *Service) checkRoleChange(ctx context.Context, userID, id int64, unitID string) (AdminUser, string, error) {
	u, err := s.ManagedUser(ctx, userID, id)
	if err != nil {
		return AdminUser{}, "", err
	}
	unitID = strings.ToUpper(domain.Clean(unitID))
	if unitID == "" {
		return AdminUser{}, "", domain.Invalid("the role needs a unit", domain.FieldError{Field: "unit_id", Message: "required"})
	}
	if err := s.allowManaging(ctx, userID, unitID, authz.ObjectUser); err != nil {
		return AdminUser{}, "", err
	}
	return u, unitID, nil
}

// GrantRole gives a user of the caller's subtree a role in a unit of that subtree;
// it applies from the next request. Nobody grants themselves anything
// (KindForbidden); KindInvalid for a role the policy does not know, KindConflict
// when the user already holds it there.
func (s *Service) GrantRole(ctx context.Context, userID, id int64, role, unitID string) (AdminUser, error) {
	if id == userID {
		return AdminUser{}, domain.Errorf(domain.KindForbidden, "you cannot grant yourself a role: ask another administrator")
	}
	u, unitID, err := s.checkRoleChange(ctx, userID, id, unitID)
	if err != nil {
		return AdminUser{}, err
	}
	if err := s.Allow(userID, unitID, authz.ObjectUser, authz.ActionManage); err != nil {
		return AdminUser{}, err // a role is granted only in a unit in force
	}
	role = domain.Clean(role)
	if !slices.Contains(authz.PolicyRoles(), role) {
		return AdminUser{}, domain.Invalid("unknown role", domain.FieldError{Field: "role",
			Message: "no such role; one of " + strings.Join(authz.PolicyRoles(), ", ")})
	}
	if err := s.checkGrantor(ctx, userID, u.ID, role, unitID); err != nil {
		return AdminUser{}, err
	}
	if err := s.Store.GrantRole(ctx, u.ID, role, unitID, s.Change(userID)); err != nil {
		return AdminUser{}, err
	}
	s.syncAuthzUser(ctx, u.ID)
	return s.Store.AdminUserByID(ctx, u.ID)
}

// checkGrantor applies the rules of who may grant a role: nobody obtains a role
// through an account they created or empowered (the grantee may not be among those
// who created or empowered the grantor), and an admin role at a unit is granted
// from above it, by an administrator of its parent.
func (s *Service) checkGrantor(ctx context.Context, grantor, grantee int64, role, unitID string) error {
	up, err := s.Store.EmpoweredBy(ctx, grantor, grantee)
	if err != nil {
		return err
	}
	if up {
		return domain.Errorf(domain.KindForbidden,
			"you cannot grant a role to a user who created your account or gave you a role: ask an administrator above you")
	}
	if role != domain.RoleAdmin {
		return nil
	}
	unit, err := s.Store.Unit(ctx, unitID)
	if err != nil {
		return err
	}
	if unit.ParentID == "" || !s.Can(grantor, unit.ParentID, authz.ObjectUser, authz.ActionManage) {
		return domain.Errorf(domain.KindForbidden, "an admin role at %s is granted by an administrator of the unit above it", unitID)
	}
	return nil
}

// RevokeRole takes a role in a unit from a user of the caller's subtree. An
// administrator may give up their own roles but not their last admin role
// (KindConflict), so that a subtree never loses its administrator by mistake.
// KindNotFound when the user does not hold the role there.
func (s *Service) RevokeRole(ctx context.Context, userID, id int64, role, unitID string) (AdminUser, error) {
	u, unitID, err := s.checkRoleChange(ctx, userID, id, unitID)
	if err != nil {
		return AdminUser{}, err
	}
	if err := s.Store.RevokeRole(ctx, u.ID, domain.Clean(role), unitID, s.Change(userID)); err != nil {
		return AdminUser{}, err
	}
	s.syncAuthzUser(ctx, u.ID)
	return s.Store.AdminUserByID(ctx, u.ID)
}
