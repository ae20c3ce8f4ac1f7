package admin

import (
	"context"
	"io"
	"strings"
	"time"

	"github.com/tdkt/tdkt/internal/authz"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/reorg"
)

// DatedUnitNode is a unit of the tree of a given day with its lifetime, code and
// children.
type DatedUnitNode struct {
	DatedUnit
	Children []*DatedUnitNode `json:"children,omitempty"`
}

// UnitsOn returns the forest of units in force on day `on` that the user may read.
// Authorization follows today's tree, so a unit of another day is readable when the
// user may read it today, its parent on that day, or (for an ended unit) one of its
// successors: a province's staff see the province's 2018 tree, a commune's staff
// the old communes their commune took in.
func (s *Service) UnitsOn(ctx context.Context, userID int64, on time.Time) ([]*DatedUnitNode, error) {
	all, err := s.Store.UnitsOn(ctx, on)
	if err != nil {
		return nil, err
	}
	today := map[string]bool{}
	for _, id := range s.Authz.VisibleUnits(userID, authz.ObjectUnit, "read") {
		today[id] = true
	}
	nodes := map[string]*DatedUnitNode{}
	roots := []*DatedUnitNode{}
	for _, u := range all { // parents come before children
		ok := today[u.ID] || nodes[u.ParentID] != nil
		if !ok && u.ValidTo != nil {
			ok, err = s.SuccessorVisible(ctx, u.ID, today)
			if err != nil {
				return nil, err
			}
		}
		if !ok {
			continue
		}
		n := &DatedUnitNode{DatedUnit: u}
		nodes[u.ID] = n
		if p, found := nodes[u.ParentID]; found {
			p.Children = append(p.Children, n)
		} else {
			roots = append(roots, n)
		}
	}
	return roots, nil
}

// SuccessorVisible reports whether a unit succeeding id, directly or through later
// reorganisations, is in the visible set.
func (s *Service) SuccessorVisible(ctx context.Context, id string, visible map[string]bool) (bool, error) {
	seen := map[string]bool{id: true}
	queue := []string{id}
	for len(queue) > 0 && len(seen) < 256 {
		succ, err := s.Store.Successions(ctx, queue[0])
		if err != nil {
			return false, err
		}
		from := queue[0]
		queue = queue[1:]
		for _, x := range succ {
			if x.PredecessorID != from || seen[x.SuccessorID] {
				continue
			}
			if visible[x.SuccessorID] {
				return true, nil
			}
			seen[x.SuccessorID] = true
			queue = append(queue, x.SuccessorID)
		}
	}
	return false, nil
}

// ParseDay reads a yyyy-mm-dd query parameter; "" is today in Vietnam.
func (s *Service) ParseDay(field, v string) (time.Time, error) {
	if domain.Clean(v) == "" {
		return s.today(), nil
	}
	d, err := time.Parse(time.DateOnly, domain.Clean(v))
	if err != nil {
		return time.Time{}, domain.Invalid("the date is not valid", domain.FieldError{Field: field, Message: "a date as yyyy-mm-dd"})
	}
	return d, nil
}

// UnitSuccessions returns the successions of a unit the user may read, as
// predecessor or successor. KindForbidden otherwise (an ended unit is readable
// through a successor the user may read).
func (s *Service) UnitSuccessions(ctx context.Context, userID int64, unitID string) ([]Succession, error) {
	unitID = domain.Clean(unitID)
	if !s.Can(userID, unitID, authz.ObjectUnit, "read") {
		today := map[string]bool{}
		for _, id := range s.Authz.VisibleUnits(userID, authz.ObjectUnit, "read") {
			today[id] = true
		}
		ok, err := s.SuccessorVisible(ctx, unitID, today)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, domain.Errorf(domain.KindForbidden, "you may not read this unit")
		}
	}
	return s.Store.Successions(ctx, unitID)
}

// ImportUnits reads a reorganisation (see reorg.Parse for the file) and writes it
// in one transaction (store.ImportUnits). The user must manage ("unit manage")
// every parent the file names that already exists and every predecessor it ends;
// KindForbidden names the first that is not theirs. Row errors come back as one
// KindInvalid error and nothing is kept.
func (s *Service) ImportUnits(ctx context.Context, userID int64, file io.Reader, source string) (ImportResult, error) {
	rows, err := reorg.Parse(file)
	if err != nil {
		return ImportResult{}, err
	}
	inFile := map[string]bool{}
	for _, r := range rows {
		inFile[r.Code] = true
	}
	for _, r := range rows {
		if !inFile[r.Parent] {
			if ok, err := s.manages(ctx, userID, r.Parent); err != nil {
				return ImportResult{}, err
			} else if !ok {
				return ImportResult{}, domain.Errorf(domain.KindForbidden, "row %d: you do not manage the parent unit %s", r.Line, r.Parent)
			}
		}
		for _, p := range r.Predecessors {
			if ok, err := s.manages(ctx, userID, p.ID); err != nil {
				return ImportResult{}, err
			} else if !ok {
				return ImportResult{}, domain.Errorf(domain.KindForbidden, "row %d: you do not manage the predecessor %s", r.Line, p.ID)
			}
		}
	}
	res, err := s.Store.ImportUnits(ctx, rows, domain.Clean(source), s.Change(userID))
	if err != nil {
		return ImportResult{}, err
	}
	s.reloadAuthz(ctx)
	s.tellDossiersAt(ctx, res.Ended)
	return res, nil
}

// manages reports whether the user manages a unit ("unit manage").
func (s *Service) manages(ctx context.Context, userID int64, id string) (bool, error) {
	return s.managesAs(ctx, userID, id, authz.ObjectUnit)
}

// managesAs reports whether the user holds "obj manage" on a unit. Authorization
// knows the tree of one day only, so an ended unit is judged by its nearest
// ancestor that has not ended. An unknown unit passes: the caller's store reports
// it as a row error or not found.
func (s *Service) managesAs(ctx context.Context, userID int64, id, obj string) (bool, error) {
	for i := 0; i < 64 && id != ""; i++ {
		if s.Can(userID, id, obj, authz.ActionManage) {
			return true, nil
		}
		u, err := s.Store.Unit(ctx, id)
		if domain.KindOf(err) == domain.KindNotFound {
			return i == 0, nil
		}
		if err != nil {
			return false, err
		}
		if u.ValidTo == nil {
			return false, nil
		}
		id = u.ParentID
	}
	return false, nil
}

// allowManaging is Allow(obj manage) that also admits an ended unit under a unit the
// user manages (managesAs); KindForbidden otherwise.
func (s *Service) allowManaging(ctx context.Context, userID int64, unitID, obj string) error {
	ok, err := s.managesAs(ctx, userID, unitID, obj)
	if err != nil {
		return err
	}
	if !ok {
		return domain.Errorf(domain.KindForbidden, "you may not %s this %s", authz.ActionManage, obj)
	}
	return nil
}

// EndedUnitAccounts lists the ended units the user manages users of ("user
// manage" on the unit above) that still have accounts or roles.
func (s *Service) EndedUnitAccounts(ctx context.Context, userID int64) ([]EndedUnitAccounts, error) {
	all, err := s.Store.EndedUnitsWithAccounts(ctx, s.today())
	if err != nil {
		return nil, err
	}
	out := []EndedUnitAccounts{}
	for _, e := range all {
		ok, err := s.managesAs(ctx, userID, e.UnitID, authz.ObjectUser)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, e)
		}
	}
	return out, nil
}

// MoveUsersInput moves the accounts of an ended unit: To is the unit in force they
// work in now (usually a successor); Roles moves their roles there too.
type MoveUsersInput struct {
	To    string `json:"to"`
	Roles bool   `json:"roles"`
}

// MoveUsersResult counts what a move changed.
type MoveUsersResult struct {
	Users int `json:"users"`
	Roles int `json:"roles"`
}

// MoveUsers moves every account of an ended unit the user manages to a unit in
// force they manage. KindConflict when the unit has not ended; KindForbidden
// outside the user's subtree.
func (s *Service) MoveUsers(ctx context.Context, userID int64, from string, in MoveUsersInput) (MoveUsersResult, error) {
	from, to := strings.ToUpper(domain.Clean(from)), strings.ToUpper(domain.Clean(in.To))
	if to == "" {
		return MoveUsersResult{}, domain.Invalid("the target unit is required", domain.FieldError{Field: "to", Message: "required"})
	}
	if err := s.allowManaging(ctx, userID, from, authz.ObjectUser); err != nil {
		return MoveUsersResult{}, err
	}
	if err := s.Allow(userID, to, authz.ObjectUser, authz.ActionManage); err != nil {
		return MoveUsersResult{}, err
	}
	users, roles, err := s.Store.MoveUsers(ctx, from, to, in.Roles, s.Change(userID))
	if err != nil {
		return MoveUsersResult{}, err
	}
	s.reloadAuthz(ctx)
	return MoveUsersResult{Users: users, Roles: roles}, nil
}

// RevokeEndedRoles revokes every role held in an ended unit the user manages.
func (s *Service) RevokeEndedRoles(ctx context.Context, userID int64, unitID string) (int, error) {
	unitID = strings.ToUpper(domain.Clean(unitID))
	if err := s.allowManaging(ctx, userID, unitID, authz.ObjectUser); err != nil {
		return 0, err
	}
	n, err := s.Store.RevokeRolesIn(ctx, unitID, s.Change(userID))
	if err != nil {
		return 0, err
	}
	s.reloadAuthz(ctx)
	return n, nil
}
