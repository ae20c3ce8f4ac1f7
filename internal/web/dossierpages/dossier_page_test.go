package dossierpages

import (
	"testing"

	"github.com/tdkt/tdkt/internal/web"
)

// TestWebActionsHaveMessages: every action of the dossier page has its button,
// event and flash messages (in both languages: TestCatalogue checks that both
// have the same keys).
func TestWebActionsHaveMessages(t *testing.T) {
	for a := range webActions {
		for _, k := range []string{"action." + string(a), "event." + string(a), "flash." + string(a)} {
			if !web.HasMessage(k) {
				t.Errorf("no message %q", k)
			}
		}
	}
}
