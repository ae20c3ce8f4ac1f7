package web

import (
	"strings"

	"github.com/tdkt/tdkt/internal/admin"
	"github.com/tdkt/tdkt/internal/domain"
)

// PageSize is how many rows a page of a list shows.
const PageSize = 50

// UnitOption is a unit in a select, indented by its depth in the tree.
type UnitOption struct {
	ID, Name string
	Depth    int
}

// Indent returns the prefix that shows the option's depth.
func (u UnitOption) Indent() string { return strings.Repeat("— ", u.Depth) }

// AllStatuses lists the statuses in the order of the procedure, for filters and charts.
var AllStatuses = []domain.Status{domain.StatusDraft, domain.StatusIntake, domain.StatusAppraising, domain.StatusReturned,
	domain.StatusConcurring, domain.StatusConsulting, domain.StatusVoting, domain.StatusForwarding, domain.StatusDeciding,
	domain.StatusDecided, domain.StatusRejected, domain.StatusWithdrawn}

// FlattenUnits lists a unit forest depth first, for selects.
func FlattenUnits(nodes []*admin.UnitNode, depth int, out []UnitOption) []UnitOption {
	for _, n := range nodes {
		out = append(out, UnitOption{ID: n.ID, Name: n.Name, Depth: depth})
		out = FlattenUnits(n.Children, depth+1, out)
	}
	return out
}

// NomineeKinds are the kinds of nominee, in the order the forms offer them.
var NomineeKinds = []string{string(domain.NomineeIndividual), string(domain.NomineeCollective), string(domain.NomineeHousehold)}
