package reviewpages

import (
	"testing"

	"github.com/tdkt/tdkt/internal/campaigns"
	"github.com/tdkt/tdkt/internal/review"
)

// TestLaggardsListMissingThenLateUnitsAtEveryDepth: a province's campaign where one
// district is on time but two of its communes are missing and one reported late,
// and another district itself is missing: the list names the three missing units
// (district and communes, at any depth) before the late one, and no unit on time.
func TestLaggardsListMissingThenLateUnitsAtEveryDepth(t *testing.T) {
	node := func(id string, shown review.Status, late bool, children ...*campaigns.DashboardNode) *campaigns.DashboardNode {
		return &campaigns.DashboardNode{UnitID: id, UnitName: id, Shown: shown, Late: late, Children: children}
	}
	tree := node("tinh", review.StatusCollecting, false,
		node("huyen-a", review.StatusSubmitted, false,
			node("xa-1", review.StatusOverdue, false),
			node("xa-2", review.StatusAccepted, true),
			node("xa-3", review.StatusOverdue, false),
			node("xa-4", review.StatusSubmitted, false)),
		node("huyen-b", review.StatusOverdue, false))
	got := campaignData{D: campaigns.Dashboard{Tree: tree}}.Laggards()
	var ids []string
	for _, l := range got {
		tag := "late"
		if l.Missing {
			tag = "missing"
		}
		ids = append(ids, l.UnitID+":"+tag)
	}
	want := []string{"xa-1:missing", "xa-3:missing", "huyen-b:missing", "xa-2:late"}
	if len(ids) != len(want) {
		t.Fatalf("laggards %v, want %v", ids, want)
	}
	for i := range want {
		if ids[i] != want[i] {
			t.Fatalf("laggards %v, want %v", ids, want)
		}
	}
	if (campaignData{}).Laggards() != nil {
		t.Fatal("a campaign without a tree has laggards")
	}
}
