package httpapi

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/inbox"
)

// assignmentRoutes registers claiming, assigning and releasing inbox tasks.
func (s *Server) assignmentRoutes(g *gin.RouterGroup) {
	g.POST("/tasks/:id/claim", s.claimTask)
	g.DELETE("/tasks/:id/claim", s.unclaimTask)
	g.POST("/tasks/:id/assign", s.assignTask)
}

// pathTaskID reads the :id parameter of a task; KindNotFound unless it is a number.
func pathTaskID(c *gin.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.Errorf(domain.KindNotFound, "no such task")
	}
	return id, nil
}

func (s *Server) answerTask(c *gin.Context, t inbox.InboxEntry, err error) {
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, t)
}

// claimTask makes the user the assignee of the task.
func (s *Server) claimTask(c *gin.Context) {
	id, err := pathTaskID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	t, err := s.App.ClaimTask(ctx(c), userID(c), id)
	s.answerTask(c, t, err)
}

// unclaimTask releases the task.
func (s *Server) unclaimTask(c *gin.Context) {
	id, err := pathTaskID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	t, err := s.App.UnclaimTask(ctx(c), userID(c), id)
	s.answerTask(c, t, err)
}

type assignRequest struct {
	UserID int64 `json:"user_id"`
}

// assignTask gives the task to another user of the unit.
func (s *Server) assignTask(c *gin.Context) {
	id, err := pathTaskID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	var req assignRequest
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	t, err := s.App.AssignTask(ctx(c), userID(c), id, req.UserID)
	s.answerTask(c, t, err)
}
