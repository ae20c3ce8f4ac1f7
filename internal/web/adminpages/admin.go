package adminpages

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/admin"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/web"
)

// The admin area (khu vực quản trị): the units of the administrator's subtree
// with create, edit and end forms; its users with filters, a create form and a
// page per user (edit, deactivate or reactivate, reset the password, grant and
// revoke roles). Every page and action goes through app.Service, which checks
// "unit manage" or "user manage" in the object's unit; the menu entry is shown
// only to users who hold the admin role somewhere.

// adminRoutes registers the admin area's pages and actions in the authenticated
// group.
func (s *server) adminRoutes(a *gin.RouterGroup) {
	a.GET("/admin", s.adminUnitsPage)
	a.POST("/admin/units", s.adminCreateUnit)
	a.GET("/admin/units/:id", s.adminUnitPage)
	a.POST("/admin/units/:id", s.adminSaveUnit)
	a.POST("/admin/units/:id/end", s.adminEndUnit)
	a.GET("/admin/users", s.adminUsersPage)
	a.POST("/admin/users", s.adminCreateUser)
	a.GET("/admin/users/:id", s.adminUserPage)
	a.POST("/admin/users/:id", s.adminSaveUser)
	a.POST("/admin/users/:id/deactivate", s.adminSetActive(false))
	a.POST("/admin/users/:id/activate", s.adminSetActive(true))
	a.POST("/admin/users/:id/password", s.adminResetPassword)
	a.POST("/admin/users/:id/title", s.adminSetTitle)
	a.POST("/admin/users/:id/roles", s.adminGrantRole)
	a.POST("/admin/users/:id/roles/revoke", s.adminRevokeRole)
	s.adminImportRoutes(a)
}

// adminUnitOption is a unit of the administrator's subtree as a tree row or a
// select option. Indent, the prefix that shows its depth, is computed once: a
// provincial administrator's pages list some 250 units, in up to three selects.
type adminUnitOption struct {
	admin.AdminUnit
	Indent string
}

func unitOptions(units []admin.AdminUnit) []adminUnitOption {
	out := make([]adminUnitOption, len(units))
	for i, u := range units {
		out[i] = adminUnitOption{AdminUnit: u, Indent: strings.Repeat("— ", u.Depth)}
	}
	return out
}

// adminUnitsData is the units page: the subtree as a tree, and the create form.
type adminUnitsData struct {
	Units  []adminUnitOption
	Levels []admin.Level
	Kinds  []string
	// Form holds the create form's values when it is shown again with errors.
	Form map[string]string
}

// adminUnitData is one unit's page: the edit form and, for the administrator of
// its parent, the end form.
type adminUnitData struct {
	U      admin.AdminUnit
	Kinds  []string
	Form   map[string]string
	EndsOn string
}

// adminFieldMessages maps the administration's field messages (English, stable)
// to message keys, by prefix; the others go through fieldMessage.
var adminFieldMessages = []struct{ prefix, key string }{
	{"already exists", "admin.field.exists"},
	{"required: letters A-Z", "admin.field.code"},
	{"required: 3 to 64 lower-case", "admin.field.username"},
	{"must rank below", "admin.field.level_rank"},
	{"must be one of", "admin.field.kind"},
	{"at most 40 lower-case", "admin.field.subkind"},
	{"must lie within the parent", "admin.field.parent_validity"},
	{"a date as yyyy-mm-dd", "admin.field.date"},
	{"required, as yyyy-mm-dd", "admin.field.date"},
	{"must be after the unit's start", "admin.field.end_after"},
	{"no such role", "admin.field.role"},
	{"must be between", "admin.field.password"},
}

// adminConflicts maps the conflicts the administration reports to message keys,
// by prefix (or, but for the generic "unit ", by a part of the message).
var adminConflicts = []struct{ prefix, key string }{
	{"the user already holds", "admin.err.role_held"},
	{"you cannot remove your own last admin", "admin.err.last_admin"},
	{"the unit already ended", "admin.err.ended"},
	{"unit ", "admin.err.children"},
	{"active users work in this unit", "admin.err.users_left"},
	{"a unit with this code", "admin.err.code_taken"},
	{"this username is taken", "admin.err.username_taken"},
}

// adminFormError fills p with a failed action's errors, in the reader's language,
// renaming field names by rename (the same field in two forms of one page). It
// returns false when the error is not the user's to correct.
func (p *page) adminFormError(err error, rename map[string]string) (int, bool) {
	status, ok := p.FormError(err)
	if !ok {
		return 0, false
	}
	var de *domain.Error
	errors.As(err, &de)
	if p.Fields == nil {
		p.Fields = map[string]string{}
	}
	for _, f := range de.Fields {
		msg := p.FieldMessage(f)
		if p.Lang != "en" {
			for _, m := range adminFieldMessages {
				if strings.HasPrefix(f.Message, m.prefix) {
					msg = p.T(m.key)
					break
				}
			}
		}
		name := f.Field
		if r, ok := rename[name]; ok {
			name = r
		}
		p.Fields[name] = msg
	}
	if de.Kind == domain.KindConflict {
		for _, m := range adminConflicts {
			if strings.HasPrefix(de.Message, m.prefix) || strings.Contains(de.Message, m.prefix) && m.prefix != "unit " {
				p.Error, p.Detail = m.key, "" // the key says it in both languages
				break
			}
		}
	}
	return status, true
}

func (s *server) adminUnitsData(c *gin.Context, form map[string]string) (adminUnitsData, error) {
	units, err := s.cfg.App.AdminUnits(web.Ctx(c), web.UserID(c))
	if err != nil {
		return adminUnitsData{}, err
	}
	levels, err := s.cfg.App.Levels(web.Ctx(c), web.UserID(c))
	if err != nil {
		return adminUnitsData{}, err
	}
	if form == nil {
		form = map[string]string{"kind": "people_committee"}
	}
	return adminUnitsData{Units: unitOptions(units), Levels: levels, Kinds: admin.UnitKinds, Form: form}, nil
}

// adminUnitsPage shows the units the administrator manages and the create form.
func (s *server) adminUnitsPage(c *gin.Context) {
	d, err := s.adminUnitsData(c, nil)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.Render(c, http.StatusOK, "admin_units", s.page(c, "admin", d))
}

// formValues returns the posted values of the named fields.
func formValues(c *gin.Context, names ...string) map[string]string {
	out := make(map[string]string, len(names))
	for _, n := range names {
		out[n] = c.PostForm(n)
	}
	return out
}

func (s *server) adminCreateUnit(c *gin.Context) {
	form := formValues(c, "id", "parent_id", "name", "level", "kind", "subkind", "valid_from")
	in := admin.CreateUnitInput{ID: form["id"], ParentID: form["parent_id"], Name: form["name"], Level: form["level"],
		Kind: form["kind"], Subkind: form["subkind"], ValidFrom: form["valid_from"]}
	u, err := s.cfg.App.CreateUnit(web.Ctx(c), web.UserID(c), in)
	if err != nil {
		p := s.page(c, "admin", nil)
		status, ok := p.adminFormError(err, nil)
		if !ok {
			s.Fail(c, err)
			return
		}
		s.RenderWith(c, status, "admin_units", p, func() (any, error) { return s.adminUnitsData(c, form) })
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/units/"+url.PathEscape(u.ID)+"?ok=unit_created")
}

// adminUnit finds a unit among those the administrator manages; KindForbidden
// otherwise (an unknown unit included: the page does not tell them apart).
func (s *server) adminUnit(c *gin.Context) (admin.AdminUnit, error) {
	units, err := s.cfg.App.AdminUnits(web.Ctx(c), web.UserID(c))
	if err != nil {
		return admin.AdminUnit{}, err
	}
	id := c.Param("id")
	for _, u := range units {
		if u.ID == id {
			return u, nil
		}
	}
	return admin.AdminUnit{}, domain.Errorf(domain.KindForbidden, "you may not manage this unit")
}

func (s *server) renderUnitPage(c *gin.Context, status int, p *page, form map[string]string) {
	u, err := s.adminUnit(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	values := map[string]string{"name": u.Name, "kind": u.Kind, "subkind": u.Subkind}
	for k, v := range form {
		values[k] = v
	}
	form = values
	p.Data = adminUnitData{U: u, Kinds: admin.UnitKinds, Form: form, EndsOn: form["valid_to"]}
	s.Render(c, status, "admin_unit", p)
}

func (s *server) adminUnitPage(c *gin.Context) {
	s.renderUnitPage(c, http.StatusOK, s.page(c, "admin", nil), nil)
}

func (s *server) adminSaveUnit(c *gin.Context) {
	form := formValues(c, "name", "kind", "subkind")
	name, kind, sub := form["name"], form["kind"], form["subkind"]
	u, err := s.cfg.App.UpdateUnit(web.Ctx(c), web.UserID(c), c.Param("id"), admin.UpdateUnitInput{Name: &name, Kind: &kind, Subkind: &sub})
	if err != nil {
		p := s.page(c, "admin", nil)
		status, ok := p.adminFormError(err, nil)
		if !ok {
			s.Fail(c, err)
			return
		}
		s.renderUnitPage(c, status, p, form)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/units/"+url.PathEscape(u.ID)+"?ok=unit_saved")
}

func (s *server) adminEndUnit(c *gin.Context) {
	validTo := c.PostForm("valid_to")
	if _, err := s.cfg.App.EndUnit(web.Ctx(c), web.UserID(c), c.Param("id"), validTo); err != nil {
		p := s.page(c, "admin", nil)
		status, ok := p.adminFormError(err, nil)
		if !ok {
			s.Fail(c, err)
			return
		}
		s.renderUnitPage(c, status, p, map[string]string{"valid_to": validTo})
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin?ok=unit_ended")
}

// adminUsersData is the user list: the filters, one page of users, and the
// create form.
type adminUsersData struct {
	Units            []adminUnitOption
	Users            admin.UserPage
	Unit, Q          string
	Form             map[string]string
	PrevURL, NextURL string
}

// usersPageSize is how many users the list shows at once.
const usersPageSize = 50

func (s *server) adminUsersData(c *gin.Context, form map[string]string) (adminUsersData, error) {
	d := adminUsersData{Unit: c.Query("unit"), Q: c.Query("q"), Form: form}
	offset, _ := strconv.Atoi(c.Query("offset"))
	if offset < 0 {
		offset = 0
	}
	users, err := s.cfg.App.AdminUsers(web.Ctx(c), web.UserID(c), admin.UserQuery{UnitID: d.Unit, Query: d.Q, Limit: usersPageSize, Offset: offset})
	if err != nil {
		return d, err
	}
	units, err := s.cfg.App.AdminUnits(web.Ctx(c), web.UserID(c))
	if err != nil {
		return d, err
	}
	d.Users, d.Units = users, unitOptions(units)
	if d.Form == nil {
		d.Form = map[string]string{"unit_id": d.Unit}
	}
	q := url.Values{}
	if d.Unit != "" {
		q.Set("unit", d.Unit)
	}
	if d.Q != "" {
		q.Set("q", d.Q)
	}
	if offset > 0 {
		q.Set("offset", strconv.Itoa(max(0, offset-usersPageSize)))
		d.PrevURL = "/admin/users?" + q.Encode()
	}
	if offset+usersPageSize < users.Total {
		q.Set("offset", strconv.Itoa(offset+usersPageSize))
		d.NextURL = "/admin/users?" + q.Encode()
	}
	return d, nil
}

// adminUsersPage lists the users of the administrator's subtree, filtered by unit
// and by words of the name or username, with the create form.
func (s *server) adminUsersPage(c *gin.Context) {
	d, err := s.adminUsersData(c, nil)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.Render(c, http.StatusOK, "admin_users", s.page(c, "admin", d))
}

func (s *server) adminCreateUser(c *gin.Context) {
	form := formValues(c, "username", "full_name", "unit_id")
	u, err := s.cfg.App.CreateUser(web.Ctx(c), web.UserID(c), admin.CreateUserInput{Username: form["username"], FullName: form["full_name"],
		UnitID: form["unit_id"], Password: c.PostForm("password")})
	if err != nil {
		p := s.page(c, "admin", nil)
		status, ok := p.adminFormError(err, nil)
		if !ok {
			s.Fail(c, err)
			return
		}
		s.RenderWith(c, status, "admin_users", p, func() (any, error) { return s.adminUsersData(c, form) })
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/users/"+strconv.FormatInt(u.ID, 10)+"?ok=user_created")
}

// adminUserData is one user's page.
type adminUserData struct {
	U     admin.AdminUser
	Units []adminUnitOption
	Roles []string
	// Self is true on the administrator's own page: no grant form, no deactivation.
	Self bool
	Form map[string]string
	// Title is the title the user signs decisions with; Titles the choices.
	Title  string
	Titles []string
}

// userIDParam reads the :id of a user page; a malformed id names no user.
func userIDParam(c *gin.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return 0, domain.Errorf(domain.KindNotFound, "no such user")
	}
	return id, nil
}

func (s *server) renderUserPage(c *gin.Context, status int, p *page, form map[string]string) {
	id, err := userIDParam(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	u, err := s.cfg.App.AdminUser(web.Ctx(c), web.UserID(c), id)
	if err != nil {
		s.Fail(c, err)
		return
	}
	units, err := s.cfg.App.AdminUnits(web.Ctx(c), web.UserID(c))
	if err != nil {
		s.Fail(c, err)
		return
	}
	roles, err := s.cfg.App.Roles(web.UserID(c))
	if err != nil {
		s.Fail(c, err)
		return
	}
	if form == nil {
		form = map[string]string{}
	}
	if _, ok := form["full_name"]; !ok {
		form["full_name"], form["unit_id"] = u.FullName, u.UnitID
	}
	if _, ok := form["grant_unit_id"]; !ok {
		form["grant_unit_id"] = u.UnitID // a role is most often held where one works
	}
	title, err := s.cfg.App.UserTitle(web.Ctx(c), web.UserID(c), id)
	if err != nil {
		s.Fail(c, err)
		return
	}
	p.Data = adminUserData{U: u, Units: unitOptions(units), Roles: roles, Self: u.ID == web.UserID(c), Form: form,
		Title: title, Titles: signerTitles()}
	s.Render(c, status, "admin_user", p)
}

// adminUserPage shows a user with the edit, activation, password and role forms.
func (s *server) adminUserPage(c *gin.Context) {
	s.renderUserPage(c, http.StatusOK, s.page(c, "admin", nil), nil)
}

// adminAction runs a user action and redirects with its flash, or shows the
// user's page again with the errors (fields renamed by rename) and form.
func (s *server) adminAction(c *gin.Context, flash string, form map[string]string, rename map[string]string,
	act func(id int64) error) {
	id, err := userIDParam(c)
	if err == nil {
		err = act(id)
	}
	if err != nil {
		p := s.page(c, "admin", nil)
		status, ok := p.adminFormError(err, rename)
		if !ok {
			s.Fail(c, err)
			return
		}
		s.renderUserPage(c, status, p, form)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/users/"+strconv.FormatInt(id, 10)+"?ok="+flash)
}

func (s *server) adminSaveUser(c *gin.Context) {
	form := formValues(c, "full_name", "unit_id")
	s.adminAction(c, "user_saved", form, nil, func(id int64) error {
		name, unit := form["full_name"], form["unit_id"]
		_, err := s.cfg.App.UpdateUser(web.Ctx(c), web.UserID(c), id, admin.UpdateUserInput{FullName: &name, UnitID: &unit})
		return err
	})
}

func (s *server) adminSetActive(active bool) gin.HandlerFunc {
	flash := "user_deactivated"
	if active {
		flash = "user_activated"
	}
	return func(c *gin.Context) {
		s.adminAction(c, flash, nil, nil, func(id int64) error {
			_, err := s.cfg.App.SetUserActive(web.Ctx(c), web.UserID(c), id, active)
			return err
		})
	}
}

func (s *server) adminResetPassword(c *gin.Context) {
	s.adminAction(c, "password_reset", nil, nil, func(id int64) error {
		return s.cfg.App.ResetPassword(web.Ctx(c), web.UserID(c), id, c.PostForm("password"))
	})
}

func (s *server) adminGrantRole(c *gin.Context) {
	form := map[string]string{"role": c.PostForm("role"), "grant_unit_id": c.PostForm("unit_id")}
	s.adminAction(c, "role_granted", form, map[string]string{"unit_id": "grant_unit_id"}, func(id int64) error {
		_, err := s.cfg.App.GrantRole(web.Ctx(c), web.UserID(c), id, c.PostForm("role"), c.PostForm("unit_id"))
		return err
	})
}

func (s *server) adminRevokeRole(c *gin.Context) {
	s.adminAction(c, "role_revoked", nil, nil, func(id int64) error {
		_, err := s.cfg.App.RevokeRole(web.Ctx(c), web.UserID(c), id, c.PostForm("role"), c.PostForm("unit_id"))
		return err
	})
}

// adminTab is the data of the "admin-tabs" partial: the page and the current tab.
type adminTab struct {
	P   *page
	Tab string
}

// AdminTab builds the admin area's tabs with tab ("units" or "users") current.
func (p *page) AdminTab(tab string) adminTab { return adminTab{P: p, Tab: tab} }
