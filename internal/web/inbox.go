package web

import (
	"net/http"
	"strings"
	"unicode"

	"github.com/gin-gonic/gin"
	"golang.org/x/text/unicode/norm"

	"github.com/tdkt/tdkt/internal/domain"
)

// inboxData is the inbox's content: the user's open tasks after the filters.
type inboxData struct {
	Tasks   []domain.Task
	Total   int
	Steps   []domain.Step
	Step    string
	Overdue bool
	Q       string
}

// allSteps lists the steps in the order of the procedure.
var allSteps = []domain.Step{domain.StepSubmit, domain.StepSupplement, domain.StepIntake, domain.StepAppraise,
	domain.StepConcur, domain.StepVote, domain.StepForward, domain.StepDecide}

// inbox lists the tasks waiting for the user (việc cần xử lý), soonest due first,
// filtered by step, by overdue and by words of the title (with or without
// Vietnamese diacritics).
func (s *Server) inbox(c *gin.Context) {
	tasks, err := s.cfg.App.Inbox(ctx(c), userID(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	d := inboxData{Total: len(tasks), Steps: allSteps, Step: c.Query("step"), Overdue: c.Query("overdue") == "1",
		Q: strings.TrimSpace(c.Query("q"))}
	words := strings.Fields(fold(d.Q))
	for _, t := range tasks {
		if d.Step != "" && string(t.Step) != d.Step {
			continue
		}
		if d.Overdue && !t.Overdue {
			continue
		}
		if !matchesAll(fold(t.NominationTitle), words) {
			continue
		}
		d.Tasks = append(d.Tasks, t)
	}
	s.render(c, http.StatusOK, "inbox", s.page(c, "inbox", d))
}

func matchesAll(text string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(text, w) {
			return false
		}
	}
	return true
}

// fold lowercases s and strips Vietnamese diacritics (đ → d), so that "bang khen"
// finds "Bằng khen".
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'đ':
			b.WriteRune('d')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
