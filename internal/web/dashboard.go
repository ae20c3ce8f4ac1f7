package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/inbox"
)

// dashData is the overview page's content.
type dashData struct {
	MyTasks   int
	MyOverdue int
	Total     int
	ByStatus  Chart
	BySteps   Chart
	Waiting   []inbox.UnitLoad
	CanNew    bool
	// AsOf is when the figures over the user's units were counted, shown when
	// they are shared ones (a very large scope) and so may be earlier than now.
	AsOf      string
	AsOfEvery int // seconds between two counts of shared figures
}

// dashboard shows the user's own workload and, over every dossier the user may
// read, the dossiers by status and the open tasks by step with the overdue ones,
// as server-side SVG charts, and the units holding the most overdue tasks.
// AllSteps lists the steps in the order of the procedure.
var AllSteps = []domain.Step{domain.StepSubmit, domain.StepSupplement, domain.StepIntake, domain.StepAppraise,
	domain.StepConcur, domain.StepVote, domain.StepForward, domain.StepDecide}

func (s *Server) dashboard(c *gin.Context) {
	uid := UserID(c)
	work, err := s.cfg.App.InboxWorkload(Ctx(c), uid)
	if err != nil {
		s.Fail(c, err)
		return
	}
	st, err := s.cfg.App.DossierStats(Ctx(c), uid)
	if err != nil {
		s.Fail(c, err)
		return
	}
	creatable, err := s.cfg.App.CreatableUnits(Ctx(c), uid)
	if err != nil {
		s.Fail(c, err)
		return
	}
	p := s.Page(c, "dashboard", nil)
	d := dashData{MyTasks: work.Tasks, MyOverdue: work.Overdue, Waiting: st.Waiting, CanNew: len(creatable) > 0}
	if st.Shared {
		d.AsOf = st.AsOf.In(calendar.Zone).Format("15:04:05 02/01/2006")
		d.AsOfEvery = int(st.Every.Seconds())
	}
	counts := map[domain.Status]int{}
	for _, sc := range st.ByStatus {
		counts[sc.Status] = sc.Count
		d.Total += sc.Count
	}
	var statusRows []ChartInput
	for _, status := range AllStatuses {
		statusRows = append(statusRows, ChartInput{Label: p.Status(status), Link: "/dossiers?status=" + string(status),
			Values: []ChartValue{{Value: counts[status], Class: "bar-" + string(status)}}})
	}
	d.ByStatus = NewChart("chart-status", p.T("dash.by_status"), statusRows, nil)
	steps := map[domain.Step]inbox.StepCount{}
	for _, sc := range st.BySteps {
		steps[sc.Step] = sc
	}
	var stepRows []ChartInput
	for _, step := range AllSteps {
		sc := steps[step]
		stepRows = append(stepRows, ChartInput{Label: p.Step(step), Values: []ChartValue{
			{Value: sc.Open - sc.Overdue, Class: "bar-intime", Name: p.T("dash.in_time")},
			{Value: sc.Overdue, Class: "bar-overdue", Name: p.T("dash.overdue")},
		}})
	}
	d.BySteps = NewChart("chart-steps", p.T("dash.by_step"), stepRows,
		[]LegendItem{{Class: "bar-intime", Label: p.T("dash.in_time")}, {Class: "bar-overdue", Label: p.T("dash.overdue")}})
	p.Data = d
	s.Render(c, http.StatusOK, "dashboard", p)
}
