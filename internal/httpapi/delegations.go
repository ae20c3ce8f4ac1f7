package httpapi

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/accounts"
	"github.com/tdkt/tdkt/internal/domain"
)

// delegationRoutes registers delegations of acting authority.
func (s *Server) delegationRoutes(g *gin.RouterGroup) {
	g.POST("/delegations", s.createDelegation)
	g.GET("/delegations", s.listDelegations)
	g.DELETE("/delegations/:id", s.revokeDelegation)
}

// createDelegation hands the user's roles to another user for a range of days.
func (s *Server) createDelegation(c *gin.Context) {
	var req accounts.DelegationInput
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	d, err := s.App.CreateDelegation(ctx(c), userID(c), req)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, d)
}

// listDelegations answers the delegations the user gave and received.
func (s *Server) listDelegations(c *gin.Context) {
	ds, err := s.App.Delegations(ctx(c), userID(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, ds)
}

// revokeDelegation ends a delegation the user gave.
func (s *Server) revokeDelegation(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		s.fail(c, domain.Errorf(domain.KindNotFound, "no such delegation"))
		return
	}
	if err := s.App.RevokeDelegation(ctx(c), userID(c), id); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
