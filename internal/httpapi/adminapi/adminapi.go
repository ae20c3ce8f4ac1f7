// Package adminapi is the part of the JSON API that administers reference data and
// structure: the working-day calendar, step time limits and base salaries, the
// record of a reorganisation (units, successions, ended units' users and roles),
// and the statistics forms of TT 02/2023. internal/httpapi mounts it on its
// authenticated group; the plumbing (errors, decoding, the user) is internal/httpx's.
package adminapi

import (
	"log/slog"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/app"
	"github.com/tdkt/tdkt/internal/httpx"
	"github.com/tdkt/tdkt/internal/strictjson"
)

type handlers struct {
	App *app.Service
	Log *slog.Logger
}

// Routes registers the package's routes on the API's authenticated group.
func Routes(g *gin.RouterGroup, svc *app.Service, log *slog.Logger) {
	s := &handlers{App: svc, Log: log}
	g.GET("/units", s.units)
	s.calendarRoutes(g)
	s.reorgRoutes(g)
	s.statisticsRoutes(g)
}

func (s *handlers) fail(c *gin.Context, err error) { httpx.WriteProblem(c, s.Log, err) }

func decode(c *gin.Context, v any) error { return strictjson.Decode(c.Request.Body, v) }
