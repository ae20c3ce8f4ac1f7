package inboxpages

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/web"
)

// saveView saves the inbox's current filters under a name (app.Service.SaveView)
// and shows the inbox with them.
func (s *server) saveView(c *gin.Context) {
	query := c.PostForm("query")
	v, err := s.cfg.App.SaveView(web.Ctx(c), web.UserID(c), "inbox", c.PostForm("name"), query)
	if err != nil {
		s.Fail(c, err)
		return
	}
	q, _ := url.ParseQuery(v.Query)
	q.Set("ok", "view_saved")
	c.Redirect(http.StatusSeeOther, "/inbox?"+q.Encode())
}

// deleteView removes one of the user's saved views.
func (s *server) deleteView(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("view"), 10, 64)
	if err != nil {
		s.Fail(c, domain.Errorf(domain.KindNotFound, "no such view"))
		return
	}
	if err := s.cfg.App.DeleteView(web.Ctx(c), web.UserID(c), id); err != nil {
		s.Fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/inbox?ok=view_deleted")
}

// FilterQuery is the inbox's filters as a query string, saved with a view.
func (d inboxData) FilterQuery() string {
	_, q, _ := strings.Cut(d.ExportURL(), "?")
	return q
}
