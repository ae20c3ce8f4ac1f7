package inboxpages

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/tdkt/tdkt/internal/inbox"
	"github.com/tdkt/tdkt/internal/web"
)

// deadlinesData is the deadline page's content: the application's deadline board
// (the same use case as GET /api/v1/deadlines) and the filter as chosen.
type deadlinesData struct {
	Board inbox.DeadlineBoard
	Soon  int
}

// deadlinesPage shows, for the units of the user's subtree, the open tasks, those
// due within the horizon (?soon=, working days, 3 by default) and those overdue,
// per unit directly below the user's unit, then the overdue tasks themselves.
func (s *server) deadlinesPage(c *gin.Context) {
	d := deadlinesData{Soon: inbox.DefaultSoonWorkingDays}
	if v, err := strconv.Atoi(c.Query("soon")); err == nil {
		d.Soon = v
	}
	board, err := s.cfg.App.Deadlines(web.Ctx(c), web.UserID(c), inbox.DeadlineQuery{Soon: d.Soon})
	if err != nil {
		s.Fail(c, err)
		return
	}
	d.Board = board
	s.Render(c, http.StatusOK, "deadlines", s.page(c, "dashboard", d))
}
