package dossierpages

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/attachments"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/web"
)

// Missing lists the required documents not yet attached, which the submit form
// warns about.
func (d *procedureData) Missing() []attachments.RequiredDocument {
	var out []attachments.RequiredDocument
	for _, r := range d.Required {
		if !r.Present {
			out = append(out, r)
		}
	}
	return out
}

// refuseIncomplete stops the submission of a dossier that lacks required documents
// unless the clerk confirmed sending it anyway (submit_anyway): the page comes back
// with the list of what is missing. A user who may not submit is left to the
// action's own refusal. It reports whether it refused.
func (s *server) refuseIncomplete(c *gin.Context, n domain.Nomination, form actForm) bool {
	if form.Action != string(domain.ActionSubmit) || c.PostForm("submit_anyway") == "1" {
		return false
	}
	may := false
	for _, a := range s.cfg.App.AvailableActions(web.Ctx(c), web.UserID(c), n) {
		may = may || a == domain.ActionSubmit
	}
	if !may {
		return false // the action itself is refused as it would be without the check
	}
	id := n.ID
	required, err := s.cfg.App.Checklist(web.Ctx(c), web.UserID(c), id)
	if err != nil {
		return false // the action itself reports what is wrong
	}
	for _, r := range required {
		if !r.Present {
			p := s.page(c, "dossiers", nil)
			p.Error, p.Fields = "error.invalid", map[string]string{"submit_missing": p.T("field.submit_missing")}
			s.showDossier(c, id, p, form, http.StatusUnprocessableEntity)
			return true
		}
	}
	return false
}
