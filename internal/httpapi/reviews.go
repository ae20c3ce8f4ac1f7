package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/accounts"
	"github.com/tdkt/tdkt/internal/campaigns"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/httpx"
	"github.com/tdkt/tdkt/internal/review"
)

// reviewRoutes registers movements (phong trào thi đua), their registrations and
// recurring review schedules, indicator templates, and review campaigns (sơ kết, tổng
// kết) with their dashboard, reports, actions and exports.
func (s *Server) reviewRoutes(g *gin.RouterGroup) {
	g.GET("/review-templates", s.reviewTemplates)
	g.GET("/review-templates/:code", s.reviewTemplate)
	g.PUT("/review-templates/:code", s.putReviewTemplate)

	g.GET("/movements", s.listMovements)
	g.POST("/movements", s.launchMovement)
	g.GET("/movements/:id", s.getMovement)
	g.GET("/movements/:id/registrations", s.registrations)
	g.POST("/movements/:id/registrations", s.register)
	g.GET("/movements/:id/schedules", s.reviewSchedules)
	g.POST("/movements/:id/schedules", s.createReviewSchedule)
	g.GET("/movements/:id/schedules/:kind", s.describeReviewSchedule)
	g.PATCH("/movements/:id/schedules/:kind", s.updateReviewSchedule)
	g.POST("/movements/:id/schedules/:kind/pause", s.pauseReviewSchedule(true))
	g.POST("/movements/:id/schedules/:kind/unpause", s.pauseReviewSchedule(false))
	g.POST("/movements/:id/schedules/:kind/trigger", s.triggerReviewSchedule)

	g.GET("/reviews", s.listCampaigns)
	g.POST("/reviews", s.launchCampaign)
	g.GET("/reviews/:id", s.getCampaign)
	g.GET("/reviews/:id/dashboard", s.campaignDashboard)
	g.PUT("/reviews/:id/deadlines", s.setCampaignDeadlines)
	g.POST("/reviews/:id/close", s.closeCampaign)
	g.GET("/reviews/:id/reports/:unit", s.getReport)
	g.POST("/reviews/:id/reports/:unit/actions", s.idempotent(rerunReportAction), s.actOnReport)
	g.GET("/reviews/:id/reports/:unit/history", s.reportHistory)
	g.GET("/reviews/:id/reports/:unit/export", s.exportReport)
}

// rerunReportAction answers a report action whose API died by sending it again: its
// update id comes from the Idempotency-Key, so the report's workflow applies it once
// and answers the retry with the first outcome.
func rerunReportAction(*gin.Context, string, accounts.IdempotencyRecord) (int, any, string, bool, error) {
	return 0, nil, "", false, nil
}

// reviewReply answers v with status, or the error as a problem document.
func (s *Server) reviewReply(c *gin.Context, status int, v any, err error) {
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(status, v)
}

func (s *Server) reviewTemplates(c *gin.Context) {
	ts, err := s.App.ReviewTemplates(ctx(c))
	s.reviewReply(c, http.StatusOK, gin.H{"templates": ts}, err)
}

func (s *Server) reviewTemplate(c *gin.Context) {
	t, err := s.App.ReviewTemplate(ctx(c), c.Param("code"))
	s.reviewReply(c, http.StatusOK, t, err)
}

func (s *Server) putReviewTemplate(c *gin.Context) {
	var t review.Template
	if err := decode(c, &t); err != nil {
		s.fail(c, err)
		return
	}
	if t.Code != c.Param("code") {
		s.fail(c, domain.Invalid("the code in the body differs from the path", domain.FieldError{Field: "code", Message: "must be " + c.Param("code")}))
		return
	}
	out, err := s.App.PutReviewTemplate(ctx(c), userID(c), t)
	s.reviewReply(c, http.StatusOK, out, err)
}

func (s *Server) listMovements(c *gin.Context) {
	ms, err := s.App.Movements(ctx(c), userID(c), c.Query("status"))
	s.reviewReply(c, http.StatusOK, gin.H{"movements": ms}, err)
}

func (s *Server) launchMovement(c *gin.Context) {
	var in campaigns.LaunchMovementInput
	if err := decode(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	m, err := s.App.LaunchMovement(ctx(c), userID(c), in)
	if err == nil {
		c.Header("Location", "/api/v1/movements/"+m.ID)
	}
	s.reviewReply(c, http.StatusCreated, m, err)
}

func (s *Server) getMovement(c *gin.Context) {
	m, err := s.App.Movement(ctx(c), userID(c), c.Param("id"))
	s.reviewReply(c, http.StatusOK, m, err)
}

func (s *Server) registrations(c *gin.Context) {
	rs, err := s.App.Registrations(ctx(c), userID(c), c.Param("id"))
	s.reviewReply(c, http.StatusOK, gin.H{"registrations": rs}, err)
}

func (s *Server) register(c *gin.Context) {
	// Authorise reading the movement before reading the body.
	if _, err := s.App.Movement(ctx(c), userID(c), c.Param("id")); err != nil {
		s.fail(c, err)
		return
	}
	var in campaigns.RegisterInput
	if err := decode(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	r, err := s.App.RegisterForMovement(ctx(c), userID(c), c.Param("id"), in)
	s.reviewReply(c, http.StatusCreated, r, err)
}

func (s *Server) reviewSchedules(c *gin.Context) {
	rs, err := s.App.ReviewSchedules(ctx(c), userID(c), c.Param("id"))
	s.reviewReply(c, http.StatusOK, gin.H{"schedules": rs}, err)
}

func (s *Server) createReviewSchedule(c *gin.Context) {
	var in campaigns.ScheduleInput
	if err := decode(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	rs, err := s.App.CreateReviewSchedule(ctx(c), userID(c), c.Param("id"), in)
	s.reviewReply(c, http.StatusCreated, rs, err)
}

func (s *Server) updateReviewSchedule(c *gin.Context) {
	var in campaigns.ScheduleInput
	if err := decode(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	if in.Kind != "" && in.Kind != c.Param("kind") {
		s.fail(c, domain.Invalid("a schedule's kind cannot change", domain.FieldError{Field: "kind", Message: "create a schedule of the other kind"}))
		return
	}
	rs, err := s.App.UpdateReviewSchedule(ctx(c), userID(c), c.Param("id"), c.Param("kind"), in)
	s.reviewReply(c, http.StatusOK, rs, err)
}

// reviewNote is an optional note on a pause, a resumption or a closing.
type reviewNote struct {
	Note string `json:"note"`
}

func decodeReviewNote(c *gin.Context) (reviewNote, error) {
	var in reviewNote
	if c.Request.ContentLength != 0 {
		return in, decode(c, &in)
	}
	return in, nil
}

func (s *Server) pauseReviewSchedule(pause bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		in, err := decodeReviewNote(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		rs, err := s.App.PauseReviewSchedule(ctx(c), userID(c), c.Param("id"), c.Param("kind"), pause, in.Note)
		s.reviewReply(c, http.StatusOK, rs, err)
	}
}

func (s *Server) triggerReviewSchedule(c *gin.Context) {
	err := s.App.TriggerReviewSchedule(ctx(c), userID(c), c.Param("id"), c.Param("kind"))
	s.reviewReply(c, http.StatusAccepted, gin.H{"triggered": true}, err)
}

// scheduleDescription is what Temporal says of a schedule.
type scheduleDescription struct {
	ID          string      `json:"id"`
	Paused      bool        `json:"paused"`
	Note        string      `json:"note,omitempty"`
	NextActions []time.Time `json:"next_action_times"`
	RecentRuns  []string    `json:"recent_workflow_ids"`
	Actions     int         `json:"actions_taken"`
}

func (s *Server) describeReviewSchedule(c *gin.Context) {
	d, err := s.App.DescribeReviewSchedule(ctx(c), userID(c), c.Param("id"), c.Param("kind"))
	if err != nil {
		s.fail(c, err)
		return
	}
	out := scheduleDescription{ID: review.ScheduleID(c.Param("id"), review.CampaignKind(c.Param("kind"))),
		Paused: d.Schedule.State.Paused, Note: d.Schedule.State.Note, NextActions: d.Info.NextActionTimes,
		RecentRuns: []string{}, Actions: d.Info.NumActions}
	if out.NextActions == nil {
		out.NextActions = []time.Time{}
	}
	for _, a := range d.Info.RecentActions {
		if a.StartWorkflowResult != nil {
			out.RecentRuns = append(out.RecentRuns, a.StartWorkflowResult.WorkflowID)
		}
	}
	c.JSON(http.StatusOK, out)
}

func (s *Server) listCampaigns(c *gin.Context) {
	cs, err := s.App.Campaigns(ctx(c), userID(c), campaigns.CampaignFilter{MovementID: c.Query("movement"), Status: c.Query("status")})
	s.reviewReply(c, http.StatusOK, gin.H{"reviews": cs}, err)
}

func (s *Server) launchCampaign(c *gin.Context) {
	var in campaigns.LaunchCampaignInput
	if err := decode(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	rc, err := s.App.LaunchCampaign(ctx(c), userID(c), in)
	if err == nil {
		c.Header("Location", "/api/v1/reviews/"+rc.ID)
	}
	s.reviewReply(c, http.StatusCreated, rc, err)
}

func (s *Server) getCampaign(c *gin.Context) {
	rc, err := s.App.Campaign(ctx(c), userID(c), c.Param("id"))
	s.reviewReply(c, http.StatusOK, rc, err)
}

func (s *Server) campaignDashboard(c *gin.Context) {
	q := campaigns.DashboardQuery{UnitID: c.Query("unit"), Status: c.Query("status")}
	if v := c.Query("depth"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			s.fail(c, domain.Invalid("invalid filter", domain.FieldError{Field: "depth", Message: "must be a non-negative whole number"}))
			return
		}
		q.Depth = n
	}
	d, err := s.App.CampaignDashboard(ctx(c), userID(c), c.Param("id"), q)
	s.reviewReply(c, http.StatusOK, d, err)
}

func (s *Server) setCampaignDeadlines(c *gin.Context) {
	if _, err := s.App.Campaign(ctx(c), userID(c), c.Param("id")); err != nil {
		s.fail(c, err)
		return
	}
	var in campaigns.DeadlinesRequest
	if err := decode(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	rc, err := s.App.SetCampaignDeadlines(ctx(c), userID(c), c.Param("id"), in)
	s.reviewReply(c, http.StatusOK, rc, err)
}

func (s *Server) closeCampaign(c *gin.Context) {
	in, err := decodeReviewNote(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	rc, err := s.App.CloseCampaign(ctx(c), userID(c), c.Param("id"), in.Note)
	s.reviewReply(c, http.StatusOK, rc, err)
}

func (s *Server) getReport(c *gin.Context) {
	r, err := s.App.Report(ctx(c), userID(c), c.Param("id"), c.Param("unit"))
	s.reviewReply(c, http.StatusOK, r, err)
}

func (s *Server) actOnReport(c *gin.Context) {
	// Authorise reading the report before reading the body.
	if _, err := s.App.Report(ctx(c), userID(c), c.Param("id"), c.Param("unit")); err != nil {
		s.fail(c, err)
		return
	}
	var in campaigns.ReportActInput
	if err := decode(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	v, err := httpx.IfMatch(c, "report")
	if err != nil {
		s.fail(c, err)
		return
	}
	if v != nil {
		in.Version = v
	}
	r, err := s.App.ActOnReport(ctx(c), userID(c), c.Param("id"), c.Param("unit"), in)
	s.reviewReply(c, http.StatusOK, r, err)
}

func (s *Server) reportHistory(c *gin.Context) {
	evs, err := s.App.ReportHistory(ctx(c), userID(c), c.Param("id"), c.Param("unit"))
	s.reviewReply(c, http.StatusOK, gin.H{"events": evs}, err)
}

func (s *Server) exportReport(c *gin.Context) {
	format := c.DefaultQuery("format", campaigns.FormatJSON)
	body, contentType, name, err := s.App.ExportReport(ctx(c), userID(c), c.Param("id"), c.Param("unit"), format)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Data(http.StatusOK, contentType, body)
}
