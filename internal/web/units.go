package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/admin"
	"github.com/tdkt/tdkt/internal/inbox"
)

// unitNodeView is one node of the unit tree page, with the page for translations.
type unitNodeView struct {
	P     *Page
	N     *admin.UnitNode
	Depth int
}

// Child returns the view of a child node.
func (v unitNodeView) Child(n *admin.UnitNode) unitNodeView {
	return unitNodeView{P: v.P, N: n, Depth: v.Depth + 1}
}

// Open reports whether the node starts unfolded: the roots do.
func (v unitNodeView) Open() bool { return v.Depth == 0 }

// Node returns the view of a root node.
func (p *Page) Node(n *admin.UnitNode) unitNodeView { return unitNodeView{P: p, N: n} }

// unitTree shows the units the user may read (cây đơn vị), folded below the roots.
func (s *Server) unitTree(c *gin.Context) {
	roots, err := s.cfg.App.Units(Ctx(c), UserID(c))
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.Render(c, http.StatusOK, "units", s.Page(c, "units", roots))
}

// notifData is the notifications page's content.
type notifData struct {
	Items      []inbox.Notification
	UnreadOnly bool
}

func (s *Server) notifications(c *gin.Context) {
	d := notifData{UnreadOnly: c.Query("unread") == "1"}
	var err error
	if d.Items, err = s.cfg.App.Notifications(Ctx(c), UserID(c), d.UnreadOnly); err != nil {
		s.Fail(c, err)
		return
	}
	s.Render(c, http.StatusOK, "notifications", s.Page(c, "notifications", d))
}

// markRead marks the posted notifications (all of them without an id) read.
func (s *Server) markRead(c *gin.Context) {
	ids := []int64{} // not nil: the store reads an empty list as "all", a NULL one as none
	for _, v := range c.PostFormArray("id") {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			s.RenderError(c, http.StatusBadRequest, "error.invalid.title", "error.invalid")
			return
		}
		ids = append(ids, id)
	}
	if _, err := s.cfg.App.MarkNotificationsRead(Ctx(c), UserID(c), ids); err != nil {
		s.Fail(c, err)
		return
	}
	target := "/notifications?ok=read"
	if c.PostForm("unread") == "1" {
		target += "&unread=1"
	}
	c.Redirect(http.StatusSeeOther, target)
}

// WebLink turns a notification's link into a page of the web UI: a dossier, as the
// API or a notification names it, becomes its dossier page, a review report's API
// resource its report page; anything that is not a local path is dropped.
func WebLink(link string) string {
	for _, prefix := range []string{"/api/v1/nominations/", "/nominations/"} {
		if rest, ok := strings.CutPrefix(link, prefix); ok {
			return "/dossiers/" + rest
		}
	}
	// A review report's notification links its API resource; its page is the same
	// path without the API prefix.
	if rest, ok := strings.CutPrefix(link, "/api/v1/reviews/"); ok && strings.Count(rest, "/") == 2 && strings.Contains(rest, "/reports/") {
		return "/reviews/" + rest
	}
	if safeNext(link) != link || strings.HasPrefix(link, "/api/") {
		return ""
	}
	return link
}
