package reviewpages

import (
	"github.com/tdkt/tdkt/internal/campaigns"
	"github.com/tdkt/tdkt/internal/review"
)

// laggard is a unit of a campaign that has not reported by its deadline (missing)
// or reported after it (late).
type laggard struct {
	*campaigns.DashboardNode
	Missing bool
}

// Laggards lists, over the whole subtree shown (every level, not only the units
// directly below), the units whose report is still open after its deadline, then
// those that reported late, each in the tree's order. The campaign page shows them
// first, so that the three late communes are found without opening every district.
func (d campaignData) Laggards() []laggard {
	if d.D.Tree == nil {
		return nil
	}
	var missing, late []laggard
	var walk func(n *campaigns.DashboardNode)
	walk = func(n *campaigns.DashboardNode) {
		for _, ch := range n.Children {
			switch {
			case ch.Shown == review.StatusOverdue:
				missing = append(missing, laggard{DashboardNode: ch, Missing: true})
			case ch.Late:
				late = append(late, laggard{DashboardNode: ch})
			}
			walk(ch)
		}
	}
	walk(d.D.Tree)
	return append(missing, late...)
}
