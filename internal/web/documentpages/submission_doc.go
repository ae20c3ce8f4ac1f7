package documentpages

import (
	"fmt"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/documents"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/web"
)

// submissionPDF serves a dossier's submission letter (?letter=3/TTr-UBND) as a PDF,
// issued once like the decision: from the forwarding unit to the chair of the next
// level, with the căn cứ in force for the forwarding level and the nominees.
func (s *server) submissionPDF(c *gin.Context) {
	n, err := s.cfg.App.Nomination(web.Ctx(c), web.UserID(c), c.Param("id"))
	if err != nil {
		s.Fail(c, err)
		return
	}
	st := s.cfg.App.Papers
	l, err := st.SubmissionLetterByCode(web.Ctx(c), n.ID, c.Query("letter"))
	if err != nil {
		s.Fail(c, err)
		return
	}
	name := func(id string) string {
		for _, r := range n.Route {
			if r.UnitID == id {
				return r.UnitName
			}
		}
		if u, err := s.cfg.App.Admin.Store.Unit(web.Ctx(c), id); err == nil {
			return u.Name
		}
		return id
	}
	from, to := name(l.UnitID), name(l.ToUnitID)
	unit, err := s.cfg.App.Admin.Store.Unit(web.Ctx(c), l.UnitID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	bases, err := st.LegalBases(web.Ctx(c), unit.Level, l.SignedOn)
	if err != nil {
		s.Fail(c, err)
		return
	}
	place := decisionData{IssuerName: from, D: domain.Decision{UnitID: l.UnitID}}.Place()
	k := issued{kind: "submission", letterID: &l.ID, nominationID: n.ID, unitID: l.UnitID, unitName: web.ExpandCommittee(from), place: place}
	doc, err := s.issue(c, k, func(code, url string) (documents.Rendered, string, error) {
		var nominees []documents.Awardee
		for _, nm := range n.Nominees {
			pos := nm.JobTitle
			if pos != "" && nm.Organisation != "" {
				pos += ", "
			}
			nominees = append(nominees, documents.Awardee{Name: nm.Name, Position: pos + nm.Organisation,
				Kind: web.Translate("vi", "kind."+string(nm.Kind))})
		}
		r, err := documents.RenderSubmission(documents.Submission{
			Header: documents.Header{Issuer: web.ExpandCommittee(from), Number: l.Code, Place: place, Date: l.SignedOn},
			Code:   code, VerifyURL: url, Award: n.AwardName, To: "Chủ tịch " + web.ExpandCommittee(to), Bases: bases,
			Body: []string{fmt.Sprintf("Thực hiện Luật Thi đua, khen thưởng, %s đã xét chọn các tập thể, cá nhân có thành tích năm %d theo hồ sơ “%s”.",
				web.ExpandCommittee(from), n.Year, n.Title)},
			Awardees:   nominees,
			Recipients: []string{"Như trên;", "Lưu: VT."},
			Signature:  documents.Signature{Title: "Chủ tịch", Name: l.SignerName},
		})
		return r, "Tờ trình số " + l.Code, err
	})
	if err != nil {
		s.Fail(c, err)
		return
	}
	servePDF(c, doc, "to-trinh-"+l.Code)
}
