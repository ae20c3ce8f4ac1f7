package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/inbox"
)

// assignTask gives a task to a named person of its unit (phân công), through
// app.Service.AssignTask: the head of the task's unit chooses among the people
// holding the task's role there. From the dossier page (a dossier field in the
// form) it goes back to the dossier, from the inbox to the inbox with its filters.
func (s *Server) assignTask(c *gin.Context) {
	to, err := strconv.ParseInt(c.PostForm("user_id"), 10, 64)
	if err != nil {
		to = 0 // refused by AssignTask as an assignee who cannot handle the task
	}
	assign := func(id int64) error {
		_, err := s.cfg.App.AssignTask(Ctx(c), UserID(c), id, to)
		return err
	}
	dossier := c.PostForm("dossier")
	if dossier == "" {
		s.taskAction(c, "assigned", assign)
		return
	}
	id, err := strconv.ParseInt(c.Param("task"), 10, 64)
	if err != nil || !validUUID(dossier) {
		s.Fail(c, domain.Errorf(domain.KindNotFound, "no such task"))
		return
	}
	if err := assign(id); err != nil {
		s.Fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/dossiers/"+dossier+"?ok=assigned#task")
}

// validUUID reports whether s has the form of a dossier id.
func validUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, r := range s {
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if r != '-' {
				return false
			}
		case (r < '0' || r > '9') && (r < 'a' || r > 'f') && (r < 'A' || r > 'F'):
			return false
		}
	}
	return true
}

// assignFormView is the assign form of one task (template "assign-form").
type assignFormView struct {
	P          *Page
	TaskID     int64
	AssigneeID int64
	Title      string
	People     []inbox.Assignable
	// Dossier, when set, brings the form back to the dossier page.
	Dossier string
}

// AssignForm builds the assign form of a task for the template "assign-form".
func (p *Page) AssignForm(taskID, assigneeID int64, title string, people []inbox.Assignable, dossier string) assignFormView {
	return assignFormView{P: p, TaskID: taskID, AssigneeID: assigneeID, Title: title, People: people, Dossier: dossier}
}

// DueRisk is Due for a task whose at-risk state the application computed (75 %
// of the step's limit, inbox.AtRiskPercent): an at-risk task is marked so, others
// by their working days left.
func (p *Page) DueRisk(due *time.Time, atRisk bool) dueView {
	v := p.Due(due)
	if atRisk && !v.Overdue {
		v.Class = "due-soon"
		v.Text = p.T("due.at_risk", v.Text)
	} else if v.Class == "due-soon" {
		v.Class = "due-ok"
	}
	return v
}
