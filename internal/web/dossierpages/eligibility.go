package dossierpages

import (
	"log/slog"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/nominees"
	"github.com/tdkt/tdkt/internal/web"
)

// The eligibility of a dossier's nominees on the dossier page: each nominee's
// check against the award's criteria with the engine's explanations, the flags
// (already awarded, in flight elsewhere, on hold) and, for an appraiser of a level
// on the route, the form that overrides a criterion with a written reason
// (app.Service.OverrideEligibility, as the API's override).

// eligibilityView is the dossier page's eligibility section.
type eligibilityView struct {
	nominees.NominationEligibility
	// CanOverride shows the override form: the user appraises at a level of the
	// dossier's route and the dossier is still in its procedure.
	CanOverride bool
}

// Of returns the eligibility of one nominee, or nil.
func (v *eligibilityView) Of(nomineeID int64) *nominees.NomineeEligibility {
	if v == nil {
		return nil
	}
	for i := range v.Nominees {
		if v.Nominees[i].NomineeID == nomineeID {
			return &v.Nominees[i]
		}
	}
	return nil
}

// Checked lists the nominees with a checklist (those naming a subject), for the
// override form.
func (v *eligibilityView) Checked() []nominees.NomineeEligibility {
	var out []nominees.NomineeEligibility
	for _, ne := range v.Nominees {
		if ne.Result != nil {
			out = append(out, ne)
		}
	}
	return out
}

// dossierEligibility checks a dossier the user has read. A failure of the check
// is logged and leaves the page without the section: the dossier must stay
// readable, as the API's dossier read does.
func (s *server) dossierEligibility(c *gin.Context, n domain.Nomination) *eligibilityView {
	e, err := s.cfg.App.NominationEligibilityOf(web.Ctx(c), n)
	if err != nil {
		s.cfg.Log.Error("eligibility of dossier", slog.String("nomination", n.ID), slog.Any("err", err))
		return nil
	}
	v := &eligibilityView{NominationEligibility: e}
	if !n.Status.Terminal() {
		for _, stop := range n.Route {
			v.CanOverride = v.CanOverride || s.cfg.App.Can(web.UserID(c), stop.UnitID, "nomination", "appraise")
		}
	}
	return v
}

// overrideEligibility records an appraiser's decision on one criterion of one
// nominee, with the reason, and goes back to the dossier's eligibility section.
func (s *server) overrideEligibility(c *gin.Context) {
	id := c.Param("id")
	form := actForm{Action: "override", OverrideReason: c.PostForm("reason"), Nominee: c.PostForm("nominee_id"),
		Criterion: c.PostForm("criterion"), Met: c.PostForm("met")}
	in := nominees.OverrideInput{Criterion: form.Criterion, Reason: form.OverrideReason}
	in.NomineeID, _ = strconv.ParseInt(form.Nominee, 10, 64)
	switch form.Met {
	case "1":
		in.Met = new(bool)
		*in.Met = true
	case "0":
		in.Met = new(bool)
	}
	if _, err := s.cfg.App.OverrideEligibility(web.Ctx(c), web.UserID(c), id, in); err != nil {
		p := s.page(c, "dossiers", nil)
		status, ok := p.FormError(err)
		if !ok {
			s.Fail(c, err)
			return
		}
		// The page has other forms with a "reason": name this form's fields apart.
		fields := make(map[string]string, len(p.Fields))
		for k, v := range p.Fields {
			fields["override_"+k] = v
		}
		p.Fields = fields
		s.showDossier(c, id, p, form, status)
		return
	}
	c.Redirect(http.StatusSeeOther, "/dossiers/"+id+"?ok=override#eligibility")
}
