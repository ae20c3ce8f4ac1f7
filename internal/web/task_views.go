package web

import (
	"time"

	"github.com/tdkt/tdkt/internal/inbox"
)

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
