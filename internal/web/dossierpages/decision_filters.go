package dossierpages

import (
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/inbox"
	"github.com/tdkt/tdkt/internal/web"
)

// dossierKinds lists the kinds of commendation (Law art. 8) for filters.
var dossierKinds = domain.NominationKinds

// decisionFilterData holds the decisions register's filters beyond the year and
// the choices of its selects.
type decisionFilterData struct {
	Filter inbox.DecisionFilter
	Units  []web.UnitOption
	Awards []domain.Award
	Kinds  []domain.NominationKind
}

// decisionFilters reads the register's unit, award, kind and text filters into f
// and loads the choices of the selects (the units the user may read, the awards).
func (s *server) decisionFilters(c *gin.Context, f *inbox.DecisionFilter) (decisionFilterData, error) {
	f.UnitID, f.AwardCode, f.Query = c.Query("unit"), c.Query("award"), strings.TrimSpace(c.Query("q"))
	if k := domain.NominationKind(c.Query("kind")); k.Valid() {
		f.Kind = string(k)
	}
	d := decisionFilterData{Kinds: dossierKinds}
	roots, err := s.cfg.App.Units(web.Ctx(c), web.UserID(c))
	if err != nil {
		return d, err
	}
	d.Units = web.FlattenUnits(roots, 0, nil)
	if d.Awards, err = s.cfg.App.Awards(web.Ctx(c)); err != nil {
		return d, err
	}
	d.Filter = *f
	return d, nil
}
