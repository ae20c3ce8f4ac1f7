package inboxpages

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/accounts"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/history"
	"github.com/tdkt/tdkt/internal/inbox"
	"github.com/tdkt/tdkt/internal/web"
)

// inboxData is the inbox's content: the user's open tasks after the filters, each
// with who handles it and whether the user acts in it under a delegation.
type inboxData struct {
	Tasks  []inbox.InboxEntry
	UserID int64
	// AwardNames names the award of each task's dossier.
	AwardNames map[string]string
	// Assign lists, for each task the user may give to someone (as the head of
	// its unit), the people who may receive it.
	Assign map[int64][]inbox.Assignable
	// Views are the user's saved filter sets of the inbox.
	Views   []accounts.SavedView
	Total   int
	Steps   []domain.Step
	Step    string
	Overdue bool
	Q       string
}

// inbox lists the tasks waiting for the user (việc cần xử lý), soonest due first,
// filtered by step, by overdue and by words of the title, award, unit or assignee
// (with or without Vietnamese diacritics).
func (s *server) inbox(c *gin.Context) {
	d, err := s.inboxTasks(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.Render(c, http.StatusOK, "inbox", s.page(c, "inbox", d))
}

// inboxTasks reads the user's open tasks and applies the filters of the query.
func (s *server) inboxTasks(c *gin.Context) (inboxData, error) {
	tasks, err := s.cfg.App.InboxWithAssignees(web.Ctx(c), web.UserID(c))
	if err != nil {
		return inboxData{}, err
	}
	awards, err := s.cfg.App.Awards(web.Ctx(c))
	if err != nil {
		return inboxData{}, err
	}
	names := map[string]string{}
	for _, a := range awards {
		names[a.Code] = a.Name
	}
	d := inboxData{Total: len(tasks), Steps: web.AllSteps, UserID: web.UserID(c), AwardNames: names, Step: c.Query("step"),
		Overdue: c.Query("overdue") == "1", Q: strings.TrimSpace(c.Query("q"))}
	if d.Views, err = s.cfg.App.SavedViews(web.Ctx(c), web.UserID(c), "inbox"); err != nil {
		return inboxData{}, err
	}
	words := strings.Fields(fold(d.Q))
	for _, t := range tasks {
		if d.Step != "" && string(t.Step) != d.Step {
			continue
		}
		if d.Overdue && !t.Overdue {
			continue
		}
		if !matchesAll(fold(t.NominationTitle+" "+names[t.AwardCode]+" "+t.UnitName+" "+t.AssigneeName+" "+
			t.DossierCode+" "+t.SenderUnitName+" "+t.NomineeNames), words) {
			continue
		}
		d.Tasks = append(d.Tasks, t)
	}
	if d.Assign, err = s.cfg.App.AssignChoices(web.Ctx(c), web.UserID(c), d.Tasks); err != nil {
		return inboxData{}, err
	}
	return d, nil
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
// finds "Bằng khen": the one fold of names and searches, history.Fold.
func fold(s string) string { return history.Fold(s) }
