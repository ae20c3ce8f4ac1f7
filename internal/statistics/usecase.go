package statistics

import (
	"context"
	"slices"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/tdkt/tdkt/internal/admin"
	"github.com/tdkt/tdkt/internal/authz"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/postgres"
	"github.com/tdkt/tdkt/internal/usecase"
)

// Store is the forms' SQL.
type Store struct{ postgres.DB }

// NewStore returns the forms' SQL on the pool.
func NewStore(pool *pgxpool.Pool) *Store { return &Store{postgres.DB{Pool: pool}} }

// Service computes the forms for a user: the units are those whose dossiers the user
// may read (as for the decisions register), narrowed to a unit's subtree.
type Service struct {
	*usecase.Base
	Store *Store
	admin *admin.Store
}

// New returns the forms' use case; the unit tree comes from the administration's SQL.
func New(base *usecase.Base, store *Store, units *admin.Store) *Service {
	return &Service{Base: base, Store: store, admin: units}
}

// Query names a form, its year and, optionally, the unit whose subtree it covers;
// without a unit it covers every unit the user may read.
type Query struct {
	Form   string
	Year   int
	UnitID string
}

// Result is one computed form: Movements for 0601.N, Awards for 0602.N and 0603.N.
type Result struct {
	Movements *MovementForm
	Awards    *AwardForm
}

// Total is the form's grand total: movements launched, or awardees.
func (r Result) Total() int {
	if r.Movements != nil {
		return r.Movements.Total.Launched
	}
	return r.Awards.Total.Total
}

// Form computes the form of q for the user. An unknown form or a year out of range
// is invalid; a unit not in force is not found; a unit whose dossiers the user may
// not read is forbidden.
func (u *Service) Statistics(ctx context.Context, userID int64, q Query) (Result, error) {
	if !ValidForm(q.Form) {
		return Result{}, domain.Invalid("invalid form", domain.FieldError{Field: "form", Message: "one of 0601, 0602, 0603"})
	}
	if q.Year < 1945 || q.Year > 2200 {
		return Result{}, domain.Invalid("invalid year", domain.FieldError{Field: "year", Message: "a year between 1945 and 2200"})
	}
	units, name, err := u.scope(ctx, userID, q.UnitID)
	if err != nil {
		return Result{}, err
	}
	if q.Form == FormMovements {
		ts, err := u.Store.MovementTallies(ctx, units, q.Year)
		if err != nil {
			return Result{}, err
		}
		f := BuildMovementForm(q.Year, ts)
		f.UnitID, f.UnitName = q.UnitID, name
		return Result{Movements: &f}, nil
	}
	awards, ranks, err := u.Store.AwardLevels(ctx)
	if err != nil {
		return Result{}, err
	}
	ts, err := u.Store.AwardTallies(ctx, units, q.Year)
	if err != nil {
		return Result{}, err
	}
	f, err := BuildAwardForm(q.Form, q.Year, awards, ranks, ts)
	if err != nil {
		return Result{}, err
	}
	f.UnitID, f.UnitName = q.UnitID, name
	return Result{Awards: &f}, nil
}

// scope returns the units the form covers and the name of the requested unit.
func (u *Service) scope(ctx context.Context, userID int64, unitID string) ([]string, string, error) {
	visible := u.Authz.VisibleUnits(userID, authz.ObjectNomination, authz.ActionRead)
	if unitID == "" {
		if visible == nil {
			visible = []string{}
		}
		return visible, "", nil
	}
	all, err := u.admin.Units(ctx, u.Clock())
	if err != nil {
		return nil, "", err
	}
	children := map[string][]string{}
	name := ""
	for _, x := range all {
		children[x.ParentID] = append(children[x.ParentID], x.ID)
		if x.ID == unitID {
			name = x.Name
		}
	}
	if name == "" {
		return nil, "", domain.Errorf(domain.KindNotFound, "no unit %s in force", unitID)
	}
	ok, err := u.Authz.Allow(userID, unitID, authz.ObjectNomination, authz.ActionRead)
	if err != nil {
		return nil, "", err
	}
	if !ok {
		return nil, "", domain.Errorf(domain.KindForbidden, "you may not read the dossiers of unit %s", unitID)
	}
	var out []string
	var walk func(string)
	walk = func(id string) {
		if slices.Contains(visible, id) {
			out = append(out, id)
		}
		for _, c := range children[id] {
			walk(c)
		}
	}
	walk(unitID)
	return out, name, nil
}

// UnitName is the name of the unit the form covers, empty when it covers every
// unit the user reads.
func (r Result) UnitName() string {
	if r.Movements != nil {
		return r.Movements.UnitName
	}
	return r.Awards.UnitName
}
