package inboxpages

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/web"
)

// claimTask makes the user the one handling a task of the inbox (nhận xử lý),
// through app.Service.ClaimTask, and goes back to the inbox with the filters kept.
func (s *server) claimTask(c *gin.Context) {
	s.taskAction(c, "claim", func(id int64) error {
		_, err := s.cfg.App.ClaimTask(web.Ctx(c), web.UserID(c), id)
		return err
	})
}

// releaseTask gives a claimed task back to everyone holding its role (trả lại
// việc), through app.Service.UnclaimTask.
func (s *server) releaseTask(c *gin.Context) {
	s.taskAction(c, "release_task", func(id int64) error {
		_, err := s.cfg.App.UnclaimTask(web.Ctx(c), web.UserID(c), id)
		return err
	})
}

// taskAction runs an action on the task of the URL and redirects to the inbox
// with the message flash.<ok>; a refusal shows the error page of its kind.
func (s *server) taskAction(c *gin.Context, ok string, do func(int64) error) {
	id, err := strconv.ParseInt(c.Param("task"), 10, 64)
	if err != nil {
		s.Fail(c, domain.Errorf(domain.KindNotFound, "no such task"))
		return
	}
	if err := do(id); err != nil {
		s.Fail(c, err)
		return
	}
	back := "/inbox?ok=" + ok
	if q := c.PostForm("back"); q != "" && len(q) < 500 {
		back += "&" + q
	}
	c.Redirect(http.StatusSeeOther, back)
}
