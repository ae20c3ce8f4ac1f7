package inbox

import (
	"cmp"
	"context"
	"slices"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/tdkt/tdkt/internal/domain"
)

// DeadlineQuery selects the tasks of the deadline dashboard. UnitID empty means the
// units where the user may read dossiers; Subtree adds every unit below UnitID;
// Soon is the "due soon" horizon in working days (0–60).
type DeadlineQuery struct {
	UnitID  string
	Subtree bool
	Soon    int
}

// DefaultSoonWorkingDays is the "due soon" horizon when the query gives none.
const DefaultSoonWorkingDays = 3

// maxOverdueListed caps the list of overdue tasks on the dashboard.
const maxOverdueListed = 200

// DeadlineTally counts open tasks: all of them, those due soon and those overdue.
type DeadlineTally struct {
	Open    int `json:"open"`
	DueSoon int `json:"due_soon"`
	Overdue int `json:"overdue"`
	// AtRisk counts the tasks past AtRiskPercent of their step's limit, not overdue.
	AtRisk int `json:"at_risk"`
}

// DeadlineCounts is a tally in total and per step of the procedure.
type DeadlineCounts struct {
	DeadlineTally
	ByStep map[domain.Step]DeadlineTally `json:"by_step"`
}

func (c *DeadlineCounts) add(r DeadlineCount) {
	c.Open += r.Open
	c.DueSoon += r.DueSoon
	c.Overdue += r.Overdue
	c.AtRisk += r.AtRisk
	if c.ByStep == nil {
		c.ByStep = map[domain.Step]DeadlineTally{}
	}
	t := c.ByStep[r.Step]
	t.Open += r.Open
	t.DueSoon += r.DueSoon
	t.Overdue += r.Overdue
	t.AtRisk += r.AtRisk
	c.ByStep[r.Step] = t
}

// DeadlineGroup is the tally of one unit directly below the requested unit, over
// its whole subtree (or of the requested unit's own tasks): a district as the
// province sees it.
type DeadlineGroup struct {
	UnitID   string `json:"unit_id"`
	UnitName string `json:"unit_name"`
	Level    string `json:"level"`
	DeadlineCounts
}

// DeadlineBoard is the deadline dashboard (theo dõi, đôn đốc thời hạn): open tasks
// counted by step, due soon and overdue, grouped per unit below the requested one
// so that a level can chase the levels below it, and the overdue tasks themselves.
type DeadlineBoard struct {
	UnitID          string          `json:"unit_id,omitempty"`
	Subtree         bool            `json:"subtree"`
	AsOf            time.Time       `json:"as_of"`
	SoonWorkingDays int             `json:"soon_working_days"`
	SoonUntil       time.Time       `json:"soon_until"`
	Totals          DeadlineCounts  `json:"totals"`
	Groups          []DeadlineGroup `json:"groups"`
	OverdueTasks    []OverdueTask   `json:"overdue_tasks"`
}

// Deadlines builds the deadline dashboard. "Due soon" means due within q.Soon
// working days of now, with the calendar in force; overdue means due before now.
// With a unit, the user needs "nomination read" there (KindForbidden otherwise,
// KindNotFound for a unit not in force) and sees only the units below it where
// they may read dossiers; groups are the requested unit's own tasks and each unit
// directly below it. Without a unit, the scope is every unit where the user may
// read dossiers and the groups sit below the top of each visible subtree.
func (s *Service) Deadlines(ctx context.Context, userID int64, q DeadlineQuery) (DeadlineBoard, error) {
	if q.Soon < 0 || q.Soon > 60 {
		return DeadlineBoard{}, domain.Invalid("invalid horizon", domain.FieldError{Field: "soon", Message: "must be between 0 and 60 working days"})
	}
	now := s.Clock()
	visibleUnits := s.Authz.VisibleUnits(userID, "nomination", "read")
	// Only the units the board can name are read: the requested unit's subtree, or
	// the visible units (the paths from a visible unit up to the top of its visible
	// subtree are visible).
	var units []domain.Unit
	var err error
	if q.UnitID != "" {
		units, err = s.admin.Store.Subtree(ctx, q.UnitID, now)
	} else {
		units, err = s.admin.Store.UnitsInForce(ctx, now, visibleUnits)
	}
	if err != nil {
		return DeadlineBoard{}, err
	}
	byID := make(map[string]domain.Unit, len(units))
	children := map[string][]string{}
	for _, u := range units {
		byID[u.ID] = u
		children[u.ParentID] = append(children[u.ParentID], u.ID)
	}
	visible := map[string]bool{}
	for _, id := range visibleUnits {
		visible[id] = true
	}

	board := DeadlineBoard{UnitID: q.UnitID, Subtree: q.Subtree, AsOf: now, SoonWorkingDays: q.Soon,
		Totals: DeadlineCounts{ByStep: map[domain.Step]DeadlineTally{}}, Groups: []DeadlineGroup{}, OverdueTasks: []OverdueTask{}}
	var scope []string
	// top maps a unit of the scope to the unit its group is anchored at (the
	// requested unit, or the top of a visible subtree).
	top := func(id string) string { return q.UnitID }
	if q.UnitID != "" {
		if _, ok := byID[q.UnitID]; !ok {
			return DeadlineBoard{}, domain.Errorf(domain.KindNotFound, "no unit %s in force", q.UnitID)
		}
		if err := s.Allow(userID, q.UnitID, "nomination", "read"); err != nil {
			return DeadlineBoard{}, err
		}
		scope = []string{q.UnitID}
		if q.Subtree {
			var walk func(string)
			walk = func(id string) {
				for _, c := range children[id] {
					if visible[c] {
						scope = append(scope, c)
					}
					walk(c)
				}
			}
			walk(q.UnitID)
		}
	} else {
		for id := range visible {
			if _, ok := byID[id]; ok {
				scope = append(scope, id)
			}
		}
		slices.Sort(scope)
		top = func(id string) string {
			for visible[byID[id].ParentID] {
				id = byID[id].ParentID
			}
			return id
		}
		roots := map[string]bool{}
		for _, id := range scope {
			roots[top(id)] = true
		}
		if len(roots) == 1 {
			for r := range roots {
				board.UnitID = r
			}
			board.Subtree = true
		}
	}
	if len(scope) == 0 {
		return board, nil
	}

	cal, err := s.refdata.Store.LoadCalendar(ctx)
	if err != nil {
		return DeadlineBoard{}, err
	}
	board.SoonUntil = cal.AddWorkingDays(now, q.Soon)
	atRisk, err := s.atRiskLimits(ctx, cal, now)
	if err != nil {
		return DeadlineBoard{}, err
	}
	// The counts and the page of overdue tasks are read at once, on two of the
	// pool's connections: read one after the other they were the board's two
	// longest waits (9 ms each in PostgreSQL on average for the province boards
	// at 1M dossiers, cmd/tdkt-bench -scenario reads). The page is kept only when
	// the counts find a task overdue, as when it was read after them.
	var counts []DeadlineCount
	var overdue []OverdueTask
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		counts, err = s.Store.DeadlineCounts(gctx, scope, now, board.SoonUntil, atRisk)
		return err
	})
	g.Go(func() (err error) {
		overdue, err = s.Store.OverdueTasks(gctx, scope, now, maxOverdueListed)
		return err
	})
	if err := g.Wait(); err != nil {
		return DeadlineBoard{}, err
	}
	// group returns the unit directly below anchor on the way up from id, or
	// anchor itself for its own tasks.
	group := func(id string) string {
		anchor := top(id)
		for id != anchor && byID[id].ParentID != anchor && byID[id].ParentID != "" {
			id = byID[id].ParentID
		}
		return id
	}
	groups := map[string]*DeadlineGroup{}
	for _, c := range counts {
		board.Totals.add(c)
		g := group(c.UnitID)
		if groups[g] == nil {
			u := byID[g]
			groups[g] = &DeadlineGroup{UnitID: u.ID, UnitName: u.Name, Level: u.Level}
		}
		groups[g].add(c)
	}
	for _, g := range groups {
		board.Groups = append(board.Groups, *g)
	}
	slices.SortFunc(board.Groups, func(a, b DeadlineGroup) int {
		return cmp.Or(cmp.Compare(b.Overdue, a.Overdue), cmp.Compare(b.DueSoon, a.DueSoon), cmp.Compare(a.UnitID, b.UnitID))
	})
	if board.Totals.Overdue > 0 {
		for i := range overdue {
			overdue[i].WorkingDaysOverdue = cal.WorkingDaysBetween(overdue[i].DueAt, now)
		}
		board.OverdueTasks = overdue
	}
	return board, nil
}
