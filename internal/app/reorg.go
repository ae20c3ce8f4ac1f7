package app

import (
	"context"
	"io"
	"time"

	"github.com/tdkt/tdkt/internal/authz"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/reorg"
	"github.com/tdkt/tdkt/internal/store"
)

// DatedUnitNode is a unit of the tree of a given day with its lifetime, code and
// children.
type DatedUnitNode struct {
	store.DatedUnit
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
			ok, err = s.successorVisible(ctx, u.ID, today)
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

// successorVisible reports whether a unit succeeding id, directly or through later
// reorganisations, is in the visible set.
func (s *Service) successorVisible(ctx context.Context, id string, visible map[string]bool) (bool, error) {
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
	if Clean(v) == "" {
		return s.today(), nil
	}
	d, err := time.Parse(time.DateOnly, Clean(v))
	if err != nil {
		return time.Time{}, domain.Invalid("the date is not valid", domain.FieldError{Field: field, Message: "a date as yyyy-mm-dd"})
	}
	return d, nil
}

// UnitSuccessions returns the successions of a unit the user may read, as
// predecessor or successor. KindForbidden otherwise (an ended unit is readable
// through a successor the user may read).
func (s *Service) UnitSuccessions(ctx context.Context, userID int64, unitID string) ([]store.Succession, error) {
	unitID = Clean(unitID)
	if !s.Can(userID, unitID, authz.ObjectUnit, "read") {
		today := map[string]bool{}
		for _, id := range s.Authz.VisibleUnits(userID, authz.ObjectUnit, "read") {
			today[id] = true
		}
		ok, err := s.successorVisible(ctx, unitID, today)
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
func (s *Service) ImportUnits(ctx context.Context, userID int64, file io.Reader, source string) (store.ImportResult, error) {
	rows, err := reorg.Parse(file)
	if err != nil {
		return store.ImportResult{}, err
	}
	inFile := map[string]bool{}
	for _, r := range rows {
		inFile[r.Code] = true
	}
	for _, r := range rows {
		if !inFile[r.Parent] {
			if ok, err := s.manages(ctx, userID, r.Parent); err != nil {
				return store.ImportResult{}, err
			} else if !ok {
				return store.ImportResult{}, domain.Errorf(domain.KindForbidden, "row %d: you do not manage the parent unit %s", r.Line, r.Parent)
			}
		}
		for _, p := range r.Predecessors {
			if ok, err := s.manages(ctx, userID, p.ID); err != nil {
				return store.ImportResult{}, err
			} else if !ok {
				return store.ImportResult{}, domain.Errorf(domain.KindForbidden, "row %d: you do not manage the predecessor %s", r.Line, p.ID)
			}
		}
	}
	res, err := s.Store.ImportUnits(ctx, rows, Clean(source), s.change(userID))
	if err != nil {
		return store.ImportResult{}, err
	}
	s.reloadAuthz(ctx)
	return res, nil
}

// manages reports whether the user manages a unit ("unit manage"). Authorization
// knows the tree of one day only, so an ended unit is judged by its nearest
// ancestor that has not ended. An unknown unit passes: the store reports it as a row error.
func (s *Service) manages(ctx context.Context, userID int64, id string) (bool, error) {
	for i := 0; i < 64 && id != ""; i++ {
		if s.Can(userID, id, authz.ObjectUnit, authz.ActionManage) {
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
