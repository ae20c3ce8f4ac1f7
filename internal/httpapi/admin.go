package httpapi

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/admin"
	"github.com/tdkt/tdkt/internal/domain"
)

// adminRoutes registers the administration of units, users and role assignments
// (quản trị). Every check is app.Service's: "unit manage" or "user manage" in
// the object's unit, which the policy grants to admin over its subtree.
func (s *Server) adminRoutes(g *gin.RouterGroup) {
	g.GET("/admin/units", s.adminUnits)
	g.POST("/admin/units", s.createUnit)
	g.PATCH("/admin/units/:id", s.updateUnit)
	g.POST("/admin/units/:id/end", s.endUnit)
	g.GET("/admin/levels", s.adminLevels)
	g.GET("/admin/roles", s.adminRoles)
	g.GET("/admin/users", s.adminUsers)
	g.POST("/admin/users", s.createUser)
	g.GET("/admin/users/:id", s.adminUser)
	g.PATCH("/admin/users/:id", s.updateUser)
	g.POST("/admin/users/:id/deactivate", s.setUserActive(false))
	g.POST("/admin/users/:id/activate", s.setUserActive(true))
	g.POST("/admin/users/:id/password", s.resetPassword)
	g.POST("/admin/users/:id/roles", s.grantRole)
	g.PUT("/admin/users/:id/subject", s.linkUserSubject)
	g.GET("/admin/users/:id/signer-title", s.signerTitle)
	g.PUT("/admin/users/:id/signer-title", s.setSignerTitle)
	g.DELETE("/admin/users/:id/roles", s.revokeRole)
}

func (s *Server) adminUnits(c *gin.Context) {
	units, err := s.App.AdminUnits(ctx(c), userID(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"units": units})
}

func (s *Server) createUnit(c *gin.Context) {
	var in admin.CreateUnitInput
	if err := decode(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	u, err := s.App.CreateUnit(ctx(c), userID(c), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/admin/units/"+u.ID)
	c.JSON(http.StatusCreated, u)
}

func (s *Server) updateUnit(c *gin.Context) {
	var in admin.UpdateUnitInput
	if err := decode(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	u, err := s.App.UpdateUnit(ctx(c), userID(c), c.Param("id"), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, u)
}

type endUnitRequest struct {
	// ValidTo is the first day the unit is no longer in force (yyyy-mm-dd).
	ValidTo string `json:"valid_to"`
}

func (s *Server) endUnit(c *gin.Context) {
	var req endUnitRequest
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	u, err := s.App.EndUnit(ctx(c), userID(c), c.Param("id"), req.ValidTo)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, u)
}

// adminLevels lists the administrative levels for the unit forms (anyone who may
// manage units).
func (s *Server) adminLevels(c *gin.Context) {
	levels, err := s.App.Levels(ctx(c), userID(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"levels": levels, "kinds": admin.UnitKinds})
}

// adminRoles is the role catalogue: the roles the policy knows.
func (s *Server) adminRoles(c *gin.Context) {
	roles, err := s.App.Roles(userID(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"roles": roles})
}

// adminUsers lists the users of the caller's subtree: ?unit=, ?q= (words of the
// username or name), ?active=true|false, ?limit= (≤ 200, default 50), ?offset=.
func (s *Server) adminUsers(c *gin.Context) {
	q := admin.UserQuery{UnitID: c.Query("unit"), Query: c.Query("q")}
	var fields []domain.FieldError
	if v := c.Query("active"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			fields = append(fields, domain.FieldError{Field: "active", Message: "true or false"})
		}
		q.Active = &b
	}
	for name, dst := range map[string]*int{"limit": &q.Limit, "offset": &q.Offset} {
		if v := c.Query(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				fields = append(fields, domain.FieldError{Field: name, Message: "a whole number, 0 or more"})
			}
			*dst = n
		}
	}
	if len(fields) > 0 {
		s.fail(c, domain.Invalid("bad list parameters", fields...))
		return
	}
	page, err := s.App.AdminUsers(ctx(c), userID(c), q)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, page)
}

// userParam reads the :id of a user route; an id that is not a number names no user.
func (s *Server) userParam(c *gin.Context) (int64, bool) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		s.fail(c, domain.Errorf(domain.KindNotFound, "no such user"))
		return 0, false
	}
	return id, true
}

func (s *Server) createUser(c *gin.Context) {
	var in admin.CreateUserInput
	if err := decode(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	u, err := s.App.CreateUser(ctx(c), userID(c), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/admin/users/"+strconv.FormatInt(u.ID, 10))
	c.JSON(http.StatusCreated, u)
}

func (s *Server) adminUser(c *gin.Context) {
	id, ok := s.userParam(c)
	if !ok {
		return
	}
	u, err := s.App.AdminUser(ctx(c), userID(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, u)
}

func (s *Server) updateUser(c *gin.Context) {
	id, ok := s.userParam(c)
	if !ok {
		return
	}
	var in admin.UpdateUserInput
	if err := decode(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	u, err := s.App.UpdateUser(ctx(c), userID(c), id, in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, u)
}

type subjectLinkRequest struct {
	SubjectID *int64 `json:"subject_id"`
}

// linkUserSubject links a user to the person subject the account stands for
// ({"subject_id": null} unlinks).
func (s *Server) linkUserSubject(c *gin.Context) {
	id, ok := s.userParam(c)
	if !ok {
		return
	}
	var in subjectLinkRequest
	if err := decode(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	u, err := s.App.LinkUserSubject(ctx(c), userID(c), id, in.SubjectID)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, u)
}

// signerTitleBody is the title a user signs decisions with (chair, vice_chair,
// acting_chair; "" for none): the request and the answer of the signer-title routes.
type signerTitleBody struct {
	Title string `json:"title"`
}

// signerTitle reads the title a user of the caller's subtree signs decisions with.
func (s *Server) signerTitle(c *gin.Context) {
	id, ok := s.userParam(c)
	if !ok {
		return
	}
	title, err := s.App.UserTitle(ctx(c), userID(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, signerTitleBody{Title: title})
}

// setSignerTitle sets the title a user signs decisions with, as the user's
// administration page does (admin.Service.SetUserTitle), and answers the stored one.
func (s *Server) setSignerTitle(c *gin.Context) {
	id, ok := s.userParam(c)
	if !ok {
		return
	}
	var in signerTitleBody
	if err := decode(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	if err := s.App.SetUserTitle(ctx(c), userID(c), id, in.Title); err != nil {
		s.fail(c, err)
		return
	}
	s.signerTitle(c)
}

// setUserActive deactivates or reactivates a user; no body.
func (s *Server) setUserActive(active bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, ok := s.userParam(c)
		if !ok {
			return
		}
		u, err := s.App.SetUserActive(ctx(c), userID(c), id, active)
		if err != nil {
			s.fail(c, err)
			return
		}
		c.JSON(http.StatusOK, u)
	}
}

type passwordRequest struct {
	Password string `json:"password"`
}

func (s *Server) resetPassword(c *gin.Context) {
	id, ok := s.userParam(c)
	if !ok {
		return
	}
	var req passwordRequest
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	if err := s.App.ResetPassword(ctx(c), userID(c), id, req.Password); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

type roleRequest struct {
	Role   string `json:"role"`
	UnitID string `json:"unit_id"`
}

func (s *Server) grantRole(c *gin.Context) {
	id, ok := s.userParam(c)
	if !ok {
		return
	}
	var req roleRequest
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	u, err := s.App.GrantRole(ctx(c), userID(c), id, req.Role, req.UnitID)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, u)
}

// revokeRole takes the role named by ?role= and ?unit_id= (a DELETE has no body).
func (s *Server) revokeRole(c *gin.Context) {
	id, ok := s.userParam(c)
	if !ok {
		return
	}
	u, err := s.App.RevokeRole(ctx(c), userID(c), id, c.Query("role"), c.Query("unit_id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, u)
}
