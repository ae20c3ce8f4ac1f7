package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/httpx"
)

// parseTemplates parses every page of templates/ together with the layout and the
// shared partials (files whose name starts with "_"). A page is a file defining
// "title" and "content"; the layout renders them.
func parseTemplates(funcs template.FuncMap) (map[string]*template.Template, error) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	base := template.New("").Funcs(funcs)
	var pages []string
	for _, n := range names {
		if strings.HasPrefix(path.Base(n), "_") {
			if _, err := base.ParseFS(templateFS, n); err != nil {
				return nil, fmt.Errorf("web: template %s: %w", n, err)
			}
			continue
		}
		pages = append(pages, n)
	}
	out := make(map[string]*template.Template, len(pages))
	for _, n := range pages {
		t, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := t.ParseFS(templateFS, n); err != nil {
			return nil, fmt.Errorf("web: template %s: %w", n, err)
		}
		out[strings.TrimSuffix(path.Base(n), ".html")] = t
	}
	return out, nil
}

// funcs are the template functions that do not depend on the reader's language.
func (s *Server) funcs() template.FuncMap {
	return template.FuncMap{
		"date":     FormatDate,
		"datetime": formatDateTime,
		"isodate":  FormatISODate,
		"num":      func(n int) string { return FormatNumber(int64(n)) },
		"asset":    s.asset,
		"add":      func(a, b int) int { return a + b },
		"upper":    strings.ToUpper,
		"weblink":  WebLink,
		"expand":   ExpandCommittee,
	}
}

// Page is what every template receives: the reader's language and session, the
// page's own data, and the form errors and messages to show.
type Page struct {
	Lang string
	// Nav is the key of the menu entry to mark as current.
	Nav    string
	User   *domain.User
	Unread int
	CSRF   string
	// Flash is the message key of a successful action (?ok=…), Error the message key
	// of a failure and Fields the field errors of a form, by field name.
	Flash  string
	Error  string
	Detail string
	Fields map[string]string
	Data   any

	flashCount *int

	s   *Server
	ctx context.Context
	url *url.URL
	now time.Time
}

// Root is what a page template renders: a *Page, or a page package's type that
// embeds one and adds the methods its templates call.
type Root interface{ base() *Page }

func (p *Page) base() *Page { return p }

// Page builds the template data of a request.
func (s *Server) Page(c *gin.Context, nav string, data any) *Page {
	p := &Page{Lang: langOf(c), Nav: nav, Data: data, s: s, ctx: c.Request.Context(), url: c.Request.URL, now: s.Now()}
	if sess := sessionOf(c); sess != nil {
		p.User = &sess.user
		p.Unread = sess.unread
		p.CSRF = csrfToken(sess.token, csrfLabel)
	}
	if ok := c.Query("ok"); ok != "" && HasMessage("flash."+ok) {
		p.Flash = "flash." + ok
		if n, err := strconv.Atoi(c.Query("n")); err == nil && strings.Contains(p.T(p.Flash), "%d") {
			p.flashCount = &n
		}
	}
	return p
}

// FlashText is the flash message. A message that counts ("%d nominees imported")
// takes the redirect's ?n=; any other ignores it.
func (p *Page) FlashText() string {
	if p.flashCount != nil {
		return p.T(p.Flash, *p.flashCount)
	}
	return p.T(p.Flash)
}

// T returns the message of key in the page's language, formatted with args.
func (p *Page) T(key string, args ...any) string { return Translate(p.Lang, key, args...) }

// NavItems returns the menu with the current entry marked.
func (p *Page) NavItems() []navItem {
	out := make([]navItem, 0, len(navItems))
	for _, n := range navItems {
		if show, ok := navShown[n.Key]; ok && !show(p.User) {
			continue
		}
		out = append(out, navItem{Key: n.Key, Path: n.Path, Label: p.T("nav." + n.Key), Current: n.Key == p.Nav})
	}
	return out
}

type navItem struct {
	Key, Path, Label string
	Current          bool
}

// LangURL returns the current page's URL with the language set to lang.
func (p *Page) LangURL(lang string) string {
	q := p.url.Query()
	q.Set("lang", lang)
	q.Del("ok")
	return p.url.Path + "?" + q.Encode()
}

// Due describes a deadline in working days for the inbox and the dossier page.
func (p *Page) Due(due *time.Time) dueView {
	if due == nil {
		return dueView{Text: p.T("due.none"), Class: "due-none"}
	}
	d := dueIn(p.s.Calendar(p.ctx), p.now, *due)
	v := dueView{Date: FormatDate(*due), Overdue: d.Overdue}
	switch {
	case d.Overdue && d.Days < 0:
		v.Text, v.Class = p.T("due.overdue", -d.Days), "due-overdue"
	case d.Overdue:
		v.Text, v.Class = p.T("due.overdue_short"), "due-overdue"
	case d.Days == 0:
		v.Text, v.Class = p.T("due.today"), "due-soon"
	case d.Days <= 2:
		v.Text, v.Class = p.T("due.left", d.Days), "due-soon"
	default:
		v.Text, v.Class = p.T("due.left", d.Days), "due-ok"
	}
	return v
}

type dueView struct {
	Text, Class, Date string
	Overdue           bool
}

// Now is the time the page was built at, by the server's clock.
func (p *Page) Now() time.Time { return p.now }

// FieldError returns the translated error of a form field, or "".
func (p *Page) FieldError(name string) string { return p.Fields[name] }

// Status, Step, Action, Event, Role, Kind and Level label the vocabulary of the
// procedure in the reader's language.
func (p *Page) Status(v any) string { return p.T(fmt.Sprint("status.", v)) }

// Step labels a step of the procedure.
func (p *Page) Step(v any) string { return p.T(fmt.Sprint("step.", v)) }

// Event labels an audit event's action.
func (p *Page) Event(v any) string { return p.T(fmt.Sprint("event.", v)) }

// Role labels a role.
func (p *Page) Role(v any) string { return p.T(fmt.Sprint("role.", v)) }

// Kind labels a nominee kind.
func (p *Page) Kind(v any) string { return p.T(fmt.Sprint("kind.", v)) }

// NomineeStatus labels a nominee's status.
func (p *Page) NomineeStatus(v any) string { return p.T(fmt.Sprint("nstatus.", v)) }

// Level labels an administrative level.
func (p *Page) Level(v any) string { return p.T(fmt.Sprint("level.", v)) }

// RenderWith renders a page whose content data builds, typically a form shown
// again with the errors p carries; a failure to build it fails the request instead.
func (s *Server) RenderWith(c *gin.Context, status int, name string, p Root, data func() (any, error)) {
	d, err := data()
	if err != nil {
		s.Fail(c, err)
		return
	}
	p.base().Data = d
	s.Render(c, status, name, p)
}

// Render executes a page template into a buffer first, so that a template error
// becomes a clean error page rather than half a page.
func (s *Server) Render(c *gin.Context, status int, name string, p Root) {
	t, ok := s.pages[name]
	if !ok {
		s.Fail(c, fmt.Errorf("web: no page template %q", name))
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		s.cfg.Log.Error("page render failed", slog.String("page", name), slog.Any("err", err))
		if name != "error" {
			s.RenderError(c, http.StatusInternalServerError, "error.internal.title", "error.internal")
		} else {
			c.String(http.StatusInternalServerError, "Internal error")
		}
		return
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// errorData is the error page's content.
type errorData struct {
	Title, Message string // message keys
}

// RenderError renders the error page with a status and message keys.
func (s *Server) RenderError(c *gin.Context, status int, title, msg string) {
	p := s.Page(c, "", errorData{Title: title, Message: msg})
	s.Render(c, status, "error", p)
	c.Abort()
}

// errorPages names the message of the error page of each error kind (its title
// is the key with ".title"); the status comes from httpx's table, the same as the
// API's. A kind without a page here is shown as a system error.
var errorPages = map[domain.ErrorKind]string{
	domain.KindInvalid:             "error.invalid",
	domain.KindForbidden:           "error.forbidden",
	domain.KindNotFound:            "error.notfound",
	domain.KindConflict:            "error.conflict",
	domain.KindTooMany:             "error.toomany",
	httpx.KindTooLarge:             "error.toolarge",
	httpx.KindPreconditionFailed:   "error.conflict",
	httpx.KindPreconditionRequired: "error.conflict",
	httpx.KindIdempotencyKeyReused: "error.invalid",
}

// Fail renders the page of an error: its status is the one httpx gives its kind
// (as the API answers it), its message the kind's in errorPages. An unauthorised
// request goes to the login form; an internal error is logged and shown as
// "system error" only.
func (s *Server) Fail(c *gin.Context, err error) {
	kind, h := httpx.KindOf(err)
	if kind == domain.KindUnauthorized {
		c.Redirect(http.StatusSeeOther, "/login")
		c.Abort()
		return
	}
	key, ok := errorPages[kind]
	if !ok {
		s.cfg.Log.ErrorContext(c.Request.Context(), "web request failed", slog.String("path", c.FullPath()), slog.Any("err", err))
		s.RenderError(c, http.StatusInternalServerError, "error.internal.title", "error.internal")
		return
	}
	s.RenderError(c, h.Status, key+".title", key)
}

// FormError fills the page with a failed action's message and field errors, in the
// reader's language. It returns false when err is not the user's to correct (the
// caller then fails the request).
func (p *Page) FormError(err error) (status int, ok bool) {
	var de *domain.Error
	if !errors.As(err, &de) {
		return 0, false
	}
	switch de.Kind {
	case domain.KindInvalid:
		p.Error = "error.invalid"
		p.Fields = map[string]string{}
		for _, f := range de.Fields {
			if _, dup := p.Fields[f.Field]; !dup {
				p.Fields[f.Field] = p.FieldMessage(f)
			}
		}
		if len(de.Fields) == 0 {
			p.Detail = de.Message
		}
		return http.StatusUnprocessableEntity, true
	case domain.KindConflict:
		p.Error = "error.conflict"
		p.Detail = de.Message
		return http.StatusConflict, true
	}
	return 0, false
}

// fieldMessages maps the application's field messages (English, stable) to
// message keys, by prefix; anything else is "invalid value".
var fieldMessages = []struct{ prefix, key string }{
	{"required", "field.required"},
	{"at least one nominee", "field.nominees_required"},
	{"at most", "field.too_long"},
	{"must be individual, collective or household", "field.kind_invalid"},
	{"only an individual has a leadership level", "field.level_individual"},
	{"only a collective can be an enterprise", "field.enterprise_collective"},
	{"must be between", "field.year_range"},
	{"no such", "field.no_such"},
	{"not allowed for this award", "field.kind_not_allowed"},
	{"no authority rule", "field.no_authority"},
	{"list everything that is missing", "field.missing_items"},
	{"a rejection needs a written reason", "field.reason"},
	{"a written reason is required", "field.reason"},
	{"name at least one unit", "field.units"},
	{"agree or object", "field.answer"},
	{"yes, no or abstain", "field.choice"},
	{"PDF, DOCX, XLSX, JPEG or PNG only", "field.file_type"},
	{"the comment's text is required", "field.comment"},
}

func (p *Page) FieldMessage(f domain.FieldError) string {
	if p.Lang == "en" {
		return f.Message
	}
	for _, m := range fieldMessages {
		if strings.HasPrefix(f.Message, m.prefix) {
			return p.T(m.key)
		}
	}
	if strings.Contains(f.Message, "cannot be given to a nominee of kind") {
		return p.T("field.kind_not_allowed")
	}
	return p.T("field.invalid")
}

// RenderPartial renders a shared partial (a template of a "_" file) on its own, for
// the fragments htmx swaps into a page.
func (s *Server) RenderPartial(c *gin.Context, name string, data any) {
	var buf bytes.Buffer
	if err := s.pages["error"].ExecuteTemplate(&buf, name, data); err != nil {
		s.Fail(c, fmt.Errorf("web: partial %s: %w", name, err))
		return
	}
	c.Data(http.StatusOK, "text/html; charset=utf-8", buf.Bytes())
}

// pagerView is the data of the "pager" partial.
type pagerView struct {
	P                *Page
	PrevURL, NextURL string
}

// Pager builds the links to the previous and next pages of a list.
func (p *Page) Pager(prev, next string) pagerView {
	return pagerView{P: p, PrevURL: prev, NextURL: next}
}
