package httpapi

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/inbox"
)

// deadlineRoutes registers the deadline dashboard.
func (s *Server) deadlineRoutes(g *gin.RouterGroup) {
	g.GET("/deadlines", s.deadlines)
}

// deadlines answers GET /deadlines?unit=ID&subtree=1&soon=3: open tasks by step,
// due soon and overdue, per unit below the requested one, and the overdue tasks.
func (s *Server) deadlines(c *gin.Context) {
	q := inbox.DeadlineQuery{UnitID: c.Query("unit"), Soon: inbox.DefaultSoonWorkingDays}
	switch c.Query("subtree") {
	case "", "0", "false":
	case "1", "true":
		q.Subtree = true
	default:
		s.fail(c, domain.Invalid("invalid subtree", domain.FieldError{Field: "subtree", Message: "1 or 0"}))
		return
	}
	if v := c.Query("soon"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			s.fail(c, domain.Invalid("invalid soon", domain.FieldError{Field: "soon", Message: "a number of working days"}))
			return
		}
		q.Soon = n
	}
	board, err := s.App.Deadlines(ctx(c), userID(c), q)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, board)
}
