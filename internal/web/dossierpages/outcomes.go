package dossierpages

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/dossiers"
	"github.com/tdkt/tdkt/internal/web"
	"github.com/tdkt/tdkt/workflows/contract"
)

// outcomeChoice is what was chosen for one nominee on the forwarding or decision
// form, kept to show the form again when it is refused.
type outcomeChoice struct {
	Outcome, Award, Reason string
}

// keepOutcome remembers a nominee's outcome as the form sent it.
func (f *actForm) keepOutcome(o contract.Outcome) {
	if f.Outcomes == nil {
		f.Outcomes = map[int64]outcomeChoice{}
	}
	f.Outcomes[o.NomineeID] = outcomeChoice{Outcome: o.Outcome, Award: o.AwardCode, Reason: o.Reason}
}

// Outcome returns what the refused form had chosen for a nominee.
func (d *dossierData) Outcome(nomineeID int64) outcomeChoice { return d.Form.Outcomes[nomineeID] }

// LowerFor lists the lower awards the current level may give the nominee: those of
// app.Service.LowerAwards that allow the nominee's kind.
func (d *dossierData) LowerFor(nm domain.Nominee) []domain.Award {
	var out []domain.Award
	for _, a := range d.Lower {
		if a.AllowsKind(nm.Kind) {
			out = append(out, a)
		}
	}
	return out
}

// checkOutcomes refuses, before the action is sent, a downgrade to an award that
// the current level may not give the nominee instead of the proposed one
// (dossiers.CheckLowerAward): the form comes back with a message naming each nominee
// concerned and every choice kept. It reports whether the form was refused.
func (s *server) checkOutcomes(c *gin.Context, n domain.Nomination, form actForm, outcomes []contract.Outcome) bool {
	var downgrades []contract.Outcome
	for _, o := range outcomes {
		if o.Outcome == "downgrade" {
			downgrades = append(downgrades, o)
		}
	}
	if len(downgrades) == 0 {
		return false
	}
	lower, err := s.cfg.App.LowerAwards(web.Ctx(c), n)
	if err != nil {
		s.Fail(c, err)
		return true
	}
	p := s.page(c, "dossiers", nil)
	fields := map[string]string{}
	for _, o := range downgrades {
		for _, nm := range n.Nominees {
			if nm.ID != o.NomineeID {
				continue
			}
			if err := dossiers.CheckLowerAward(lower, nm, o.AwardCode); err != nil {
				key := "act.outcomes.err.award"
				if strings.TrimSpace(o.AwardCode) == "" {
					key = "act.outcomes.err.required"
				}
				var de *domain.Error
				if errors.As(err, &de) && len(de.Fields) > 0 {
					fields[de.Fields[0].Field] = p.T(key, nm.Name)
				}
			}
		}
	}
	if len(fields) == 0 {
		return false
	}
	p.Error, p.Fields = "error.invalid", fields
	s.showDossier(c, n.ID, p, form, http.StatusUnprocessableEntity)
	return true
}

// councilResults are the results a council_result event carries in its reason.
var councilResults = map[string]bool{"passed": true, "failed": true, "no_quorum": true}

// councilResult shows a council's result as a result, not as a reason: the event
// records "passed" where a return or a rejection records why.
func councilResult(v eventView) eventView {
	if v.Action == string(domain.ActionCouncilResult) && councilResults[v.Reason] {
		v.Result, v.Reason = v.Reason, ""
	}
	return v
}
