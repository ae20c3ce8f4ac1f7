package inboxpages

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/dossiers"
	"github.com/tdkt/tdkt/internal/web"
)

// bulkActions are the actions the inbox takes on many dossiers at once.
var bulkActions = map[string]bool{"accept": true, "approve": true, "forward": true, "return": true}

// bulkResult is the outcome of a bulk action on one dossier.
type bulkResult struct {
	ID, Title string
	OK        bool
	// Message is what happened: the action's message, or why it was refused.
	Message string
}

// bulkData is the page that reports a bulk action item by item.
type bulkData struct {
	Action  string
	Note    string
	Results []bulkResult
	Done    int
}

// bulkAct takes one action (accept, approve, forward or return) with one comment on
// every dossier checked in the inbox. Each dossier goes through app.Service.Act on
// its own, with its own authorization and validation, at the version the user
// saw; a return lists the comment as the missing item. The page then reports each
// dossier: done, or refused and why. Nothing checked, or an unknown action, is
// refused before anything is done.
func (s *server) bulkAct(c *gin.Context) {
	action, note := c.PostForm("bulk_action"), strings.TrimSpace(c.PostForm("bulk_note"))
	ids := c.PostFormArray("dossier")
	p := s.page(c, "inbox", nil)
	if !bulkActions[action] || len(ids) == 0 || (action == "return" && note == "") {
		s.RenderError(c, http.StatusUnprocessableEntity, "error.invalid.title", "bulk.invalid")
		return
	}
	d := bulkData{Action: action, Note: note}
	uid := web.UserID(c)
	for _, id := range ids {
		r := bulkResult{ID: id, Title: id}
		n, err := s.cfg.App.Nomination(web.Ctx(c), uid, id)
		if err == nil {
			r.Title = n.Title
			in := dossiers.ActInput{Action: action, Version: &n.Version, Note: note}
			if action == string(domain.ActionReturn) {
				in.MissingItems = []string{note}
			}
			_, err = s.cfg.App.Act(web.Ctx(c), uid, id, in, "")
		}
		if err == nil {
			r.OK, r.Message = true, p.T("flash."+action)
			d.Done++
		} else {
			r.Message = s.bulkRefusal(p, err)
		}
		d.Results = append(d.Results, r)
	}
	p.Data = d
	s.Render(c, http.StatusOK, "inbox_bulk", p)
}

// bulkRefusal says in the reader's language why one dossier of a bulk action was
// refused; an internal error is logged and reported without its detail.
func (s *server) bulkRefusal(p *page, err error) string {
	var de *domain.Error
	if !errors.As(err, &de) {
		s.cfg.Log.Error("bulk action", slog.Any("err", err))
		return p.T("error.internal")
	}
	key := map[domain.ErrorKind]string{domain.KindForbidden: "error.forbidden", domain.KindNotFound: "error.notfound",
		domain.KindConflict: "error.conflict", domain.KindInvalid: "error.invalid"}[de.Kind]
	if key == "" {
		return p.T("error.internal")
	}
	msg := p.T(key)
	if de.Message != "" {
		msg += " (" + de.Message + ")"
	}
	return msg
}
