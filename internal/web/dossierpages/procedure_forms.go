package dossierpages

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/attachments"
	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/councils"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/dossiers"
	"github.com/tdkt/tdkt/internal/httpx"
	"github.com/tdkt/tdkt/internal/web"
	"github.com/tdkt/tdkt/workflows/contract"
)

// procedureData is what the dossier page shows of the procedure beyond the steps
// of the route: the council's vote sessions and minutes (biên bản hội đồng), the
// concurrence requests and answers (hiệp y), the public consultation (lấy ý kiến
// công khai), the attachments (tài liệu đính kèm) with the checklist of required
// documents, and what the user may do with each.
type procedureData struct {
	Council  []councils.CouncilSession
	Consult  dossiers.Consultation
	Docs     []attachments.Document
	Required []attachments.RequiredDocument
	// CanVote: the user is a council member of the level holding the dossier and a
	// vote is open; Voted and Recused say what the user has done in it.
	CanVote, Voted, Recused bool
	// CanComment: the consultation is open and the user may read the dossier.
	CanComment bool
	// ConcurUnits are the asked units, not yet answered, the user answers for.
	ConcurUnits []string
	// ConcurCandidates are the units offered to a concurrence request: the other
	// units of the route and the submitting unit.
	ConcurCandidates []unitChoice
	CanUpload        bool
	// Lower are the awards the current level may give instead of the proposed one
	// (app.Service.LowerAwards), for a downgrade.
	Lower []domain.Award
	// UnitNames names the units of the route.
	UnitNames map[string]string
}

// unitChoice is a unit offered in a form.
type unitChoice struct{ ID, Name string }

// otherDocKind is the kind of an attachment outside the checklist.
const otherDocKind = "khac"

// AnswerKey is the message key of a concurrence answer: agree, object, silent, or
// none yet.
func (d *procedureData) AnswerKey(a dossiers.ConcurrenceAnswer) string {
	if a.Answer == nil {
		return "concur.answer.none"
	}
	return "concur.answer." + *a.Answer
}

// Choices are the ballot's choices, in the order the form shows them.
func (d *procedureData) Choices() []string { return []string{"yes", "no", "abstain"} }

// OtherKind is the kind of an attachment outside the checklist, for the upload form.
func (d *procedureData) OtherKind() string { return otherDocKind }

// UnitName returns a unit's name when the route names it, else its id.
func (d *procedureData) UnitName(id string) string {
	if n := d.UnitNames[id]; n != "" {
		return n
	}
	return id
}

// Nominees returns the dossier's nominees in one status (pending, held).
func (d *dossierData) Nominees(status string) []domain.Nominee {
	var out []domain.Nominee
	for _, nm := range d.N.Nominees {
		if string(nm.Status) == status {
			out = append(out, nm)
		}
	}
	return out
}

// OpenSession returns the open vote session, or nil.
func (d *procedureData) OpenSession() *councils.CouncilSession {
	for i := range d.Council {
		if d.Council[i].ClosedAt == nil {
			return &d.Council[i]
		}
	}
	return nil
}

// ConsultClosesAt returns when the latest consultation window closes, as
// dd/mm/yyyy HH:mm in Vietnam time, or "".
func (d *procedureData) ConsultClosesAt() string {
	if len(d.Consult.Windows) == 0 {
		return ""
	}
	return d.Consult.Windows[len(d.Consult.Windows)-1].ClosesAt.In(calendar.Zone).Format("02/01/2006 15:04")
}

// KindName labels an attachment's kind with the checklist's name of it.
func (d *procedureData) KindName(kind string) string {
	for _, r := range d.Required {
		if r.DocKind == kind {
			return r.Name
		}
	}
	return ""
}

// Size writes a file size as "12,3 KB".
func (d *procedureData) Size(n int64) string {
	switch {
	case n >= 1<<20:
		return web.FormatDecimal(float64(n*10/(1<<20))/10) + " MB"
	case n >= 1<<10:
		return web.FormatDecimal(float64(n*10/(1<<10))/10) + " KB"
	}
	return strconv.FormatInt(n, 10) + " B"
}

// loadProcedure reads the council, the consultation, the attachments and the
// checklist of a dossier the user may read, and works out the forms to offer.
func (s *server) loadProcedure(c *gin.Context, d *dossierData, _ []domain.Award) error {
	uid, n := web.UserID(c), d.N
	p := &d.procedureData
	var err error
	if p.Council, err = s.cfg.App.Council(web.Ctx(c), uid, n.ID); err != nil {
		return err
	}
	if p.Consult, err = s.cfg.App.Consultation(web.Ctx(c), uid, n.ID); err != nil {
		return err
	}
	if p.Docs, err = s.cfg.App.Documents(web.Ctx(c), uid, n.ID); err != nil {
		return err
	}
	if p.Required, err = s.cfg.App.Checklist(web.Ctx(c), uid, n.ID); err != nil {
		return err
	}
	p.UnitNames = map[string]string{n.UnitID: n.UnitName}
	for _, st := range n.Route {
		p.UnitNames[st.UnitID] = st.UnitName
	}
	if n.Status == domain.StatusVoting && s.cfg.App.Can(uid, n.CurrentUnitID, "nomination", "vote") {
		p.CanVote = true
		if open := p.OpenSession(); open != nil {
			for _, v := range open.Voters {
				p.Voted = p.Voted || v.UserID == uid
			}
			for _, cf := range open.Conflicts {
				p.Recused = p.Recused || cf.UserID == uid
			}
		}
	}
	p.CanComment = n.Status == domain.StatusConsulting && s.cfg.App.Can(uid, n.UnitID, "nomination", "read")
	if n.Status == domain.StatusConcurring {
		for _, a := range p.Consult.Concurrences {
			if a.Answer == nil && s.cfg.App.Can(uid, a.UnitID, "nomination", "appraise") && !contains(p.ConcurUnits, a.UnitID) {
				p.ConcurUnits = append(p.ConcurUnits, a.UnitID)
			}
		}
	}
	if d.Actions[domain.ActionRequestConcurrence] {
		seen := map[string]bool{n.CurrentUnitID: true}
		add := func(id, name string) {
			if !seen[id] {
				seen[id] = true
				p.ConcurCandidates = append(p.ConcurCandidates, unitChoice{ID: id, Name: name})
			}
		}
		for _, st := range n.Route {
			add(st.UnitID, st.UnitName)
		}
		add(n.UnitID, n.UnitName)
	}
	withUnit := n.Status == domain.StatusDraft || n.Status == domain.StatusReturned
	p.CanUpload = (withUnit && s.cfg.App.Can(uid, n.UnitID, "nomination", "edit")) ||
		(!n.Status.Terminal() && n.CurrentUnitID != "" && s.cfg.App.Can(uid, n.CurrentUnitID, "nomination", "appraise"))
	if d.Actions[domain.ActionForward] || d.Actions[domain.ActionDecide] {
		if p.Lower, err = s.cfg.App.LowerAwards(web.Ctx(c), n); err != nil {
			return err
		}
	}
	return nil
}

// vote casts the council member's ballot from the dossier page.
func (s *server) vote(c *gin.Context) {
	id := c.Param("id")
	if _, err := s.cfg.App.Vote(web.Ctx(c), web.UserID(c), id, c.PostForm("choice")); err != nil {
		s.actFailed(c, id, actForm{Action: "vote"}, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/dossiers/"+id+"?ok=vote#council")
}

// declareConflict records the council member's conflict of interest: they are
// recused from the dossier's votes.
func (s *server) declareConflict(c *gin.Context) {
	id := c.Param("id")
	form := actForm{Action: "conflict", Reason: c.PostForm("reason")}
	if err := s.cfg.App.DeclareConflict(web.Ctx(c), web.UserID(c), id, form.Reason); err != nil {
		s.actFailed(c, id, form, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/dossiers/"+id+"?ok=conflict#council")
}

// uploadDocument attaches a file sent with a multipart form (httpx.ReadUpload,
// as the API reads it). The API's body limit applies to the whole request, so an
// oversized file is refused while it is read.
func (s *server) uploadDocument(c *gin.Context) {
	id := c.Param("id")
	form := actForm{Action: "upload", DocKind: c.PostForm("kind")}
	f, err := httpx.ReadUpload(c, "file")
	switch {
	case domain.IsKind(err, httpx.KindTooLarge):
		s.Fail(c, err)
		return
	case err != nil:
		s.actFailed(c, id, form, err)
		return
	}
	if _, err := s.cfg.App.AddDocument(web.Ctx(c), web.UserID(c), id, form.DocKind, f.Name, f.Data); err != nil {
		s.actFailed(c, id, form, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/dossiers/"+id+"?ok=upload#documents")
}

// procedureInput completes an action from the dossier page with the fields of the
// procedure's forms: the units asked for concurrence, the answering unit and its
// answer, the nominee held or released, and the per-nominee outcomes of a
// decision or a forwarding.
func procedureInput(c *gin.Context, n domain.Nomination, form *actForm) (units []string, outcomes []contract.Outcome, nominee int64) {
	units = c.PostFormArray("units")
	for _, u := range strings.FieldsFunc(c.PostForm("units_other"), func(r rune) bool { return r == ',' || r == ' ' || r == '\n' }) {
		if u = strings.TrimSpace(u); u != "" && !contains(units, u) {
			units = append(units, u)
		}
	}
	nominee, _ = strconv.ParseInt(c.PostForm("nominee_id"), 10, 64)
	if form.Action == string(domain.ActionDecide) || form.Action == string(domain.ActionForward) {
		for _, nm := range n.Nominees {
			key := strconv.FormatInt(nm.ID, 10)
			switch o := c.PostForm("outcome_" + key); o {
			case "downgrade", "reject":
				out := contract.Outcome{NomineeID: nm.ID, Outcome: o, Reason: strings.TrimSpace(c.PostForm("oreason_" + key))}
				if o == "downgrade" {
					out.AwardCode = c.PostForm("award_" + key)
				}
				outcomes = append(outcomes, out)
				form.keepOutcome(out)
			}
		}
	}
	return units, outcomes, nominee
}
