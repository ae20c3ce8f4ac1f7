package adminpages

import (
	"testing"

	"github.com/tdkt/tdkt/internal/history"
	"github.com/tdkt/tdkt/internal/web"
)

// TestHistoryLabelsExistInBothLanguages: every rating, award kind, scope, hold
// kind and source the subject page labels has its message (in both languages:
// TestCatalogue checks that both have the same keys).
func TestHistoryLabelsExistInBothLanguages(t *testing.T) {
	var keys []string
	for _, v := range historyOptions.Ratings {
		keys = append(keys, "rating."+string(v))
	}
	for _, v := range historyOptions.AwardKinds {
		keys = append(keys, "awardkind."+string(v))
	}
	for _, v := range historyOptions.Scopes {
		keys = append(keys, "scope."+string(v))
	}
	for _, v := range historyOptions.HoldKinds {
		keys = append(keys, "holdkind."+string(v))
	}
	for _, v := range historyOptions.Levels {
		keys = append(keys, "level."+v)
	}
	for _, v := range []string{history.SourceDecision, history.SourceManual, history.SourceImport} {
		keys = append(keys, "source."+v)
	}
	for _, v := range []string{history.SectionRatings, history.SectionAwards, history.SectionInitiatives, history.SectionHolds} {
		keys = append(keys, "flash.history_"+v)
	}
	for _, k := range keys {
		if !web.HasMessage(k) {
			t.Errorf("no message %q", k)
		}
	}
}
