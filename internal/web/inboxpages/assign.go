package inboxpages

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/web"
)

// assignTask gives a task to a named person of its unit (phân công), through
// app.Service.AssignTask: the head of the task's unit chooses among the people
// holding the task's role there. From the dossier page (a dossier field in the
// form) it goes back to the dossier, from the inbox to the inbox with its filters.
func (s *server) assignTask(c *gin.Context) {
	to, err := strconv.ParseInt(c.PostForm("user_id"), 10, 64)
	if err != nil {
		to = 0 // refused by AssignTask as an assignee who cannot handle the task
	}
	assign := func(id int64) error {
		_, err := s.cfg.App.AssignTask(web.Ctx(c), web.UserID(c), id, to)
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
