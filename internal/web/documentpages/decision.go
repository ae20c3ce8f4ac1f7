package documentpages

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/tdkt/tdkt/internal/documents"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/web"
)

// decisionData is the printable decision's content.
type decisionData struct {
	N          domain.Nomination
	D          domain.Decision
	Award      domain.Award
	IssuerName string
	Signer     string
	Signed     time.Time
	Rows       []awardeeRow
	// Total is the sum of the bonuses, "" when no amount is set.
	Total string
	// Events is the dossier's history, where the documents find the submission
	// letters and the council's result.
	Events []domain.AuditEvent
	// Sign is the signature block (KT./TM./Q.) of the printable page.
	Sign documents.Signature
}

// awardeeRow is one line of the decision's list of awardees.
type awardeeRow struct {
	No                   int
	NomineeID            int64 // 0 for a row without an awardee record
	Name, Position, Kind string
	Award                string
	Bonus                string
}

// Issuer returns the issuing body's name in full and in capitals, as the heading of
// an administrative document writes it: "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN".
func (d decisionData) Issuer() string {
	return strings.ToUpper(web.ExpandCommittee(d.IssuerName))
}

// Place returns where the decision is signed: the issuing unit's name without
// "UBND tỉnh", "UBND huyện"…; Hà Nội at the central level.
func (d decisionData) Place() string {
	if d.D.UnitID == "TW" {
		return "Hà Nội"
	}
	name := strings.TrimPrefix(d.IssuerName, "UBND ")
	for _, kind := range []string{"tỉnh ", "thành phố ", "huyện ", "thị xã ", "quận ", "xã ", "phường ", "thị trấn "} {
		if strings.HasPrefix(name, kind) {
			return strings.TrimPrefix(name, kind)
		}
	}
	return name
}

// SignedDate writes the signing date as "ngày 26 tháng 11 năm 2026".
func (d decisionData) SignedDate() string {
	return fmt.Sprintf("ngày %02d tháng %02d năm %d", d.Signed.Day(), int(d.Signed.Month()), d.Signed.Year())
}

// Multiplier returns the award's bonus multiplier with a decimal comma, or "".
func (d decisionData) Multiplier() string {
	if d.Award.BonusMultiplier == nil {
		return ""
	}
	return web.FormatDecimal(*d.Award.BonusMultiplier)
}

// decisionPrint renders one decision of a dossier (?code=, else the latest) as a
// printable administrative document with its list of awardees and bonuses.
func (s *server) decisionPrint(c *gin.Context) {
	d, ok := s.decisionContent(c)
	if !ok {
		return
	}
	var err error
	if d.Sign, err = s.decisionSignature(c, d); err != nil {
		s.Fail(c, err)
		return
	}
	s.Render(c, http.StatusOK, "decision", s.page(c, "decisions", d))
}

// decisionContent reads one decision of a dossier (?code=, else the latest) with
// what its documents show; on an error it has answered and returns false.
func (s *server) decisionContent(c *gin.Context) (decisionData, bool) {
	uid := web.UserID(c)
	n, err := s.cfg.App.Nomination(web.Ctx(c), uid, c.Param("id"))
	if err != nil {
		s.Fail(c, err)
		return decisionData{}, false
	}
	decisions := DecisionsOf(n)
	var dec *domain.Decision
	for i := range decisions {
		if code := c.Query("code"); code == "" || decisions[i].Code == code {
			dec = &decisions[i]
		}
	}
	if dec == nil {
		s.Fail(c, domain.Errorf(domain.KindNotFound, "the dossier has no such decision"))
		return decisionData{}, false
	}
	events, err := s.cfg.App.AuditTrail(web.Ctx(c), uid, n.ID)
	if err != nil {
		s.Fail(c, err)
		return decisionData{}, false
	}
	awards, err := s.cfg.App.Awards(web.Ctx(c))
	if err != nil {
		s.Fail(c, err)
		return decisionData{}, false
	}
	awardNames := map[string]string{}
	d := decisionData{N: n, D: *dec}
	for _, a := range awards {
		awardNames[a.Code] = a.Name
		if a.Code == n.AwardCode {
			d.Award = a
		}
	}
	d.Signed, _ = time.Parse(time.DateOnly, dec.SignedOn)
	d.IssuerName = dec.UnitID
	for _, st := range n.Route {
		if st.UnitID == dec.UnitID {
			d.IssuerName = st.UnitName
		}
	}
	for _, e := range events {
		if e.Action == string(domain.ActionDecide) && !e.At.Before(dec.CreatedAt.Add(-time.Minute)) && d.Signer == "" {
			d.Signer = e.ActorName
		}
	}
	d.Rows, d.Total = awardeeRows(n, *dec, awardNames)
	d.Events = events
	return d, true
}

// awardeeRows lists who a decision awards: its awardees with their bonuses, or, for
// a read model without awardees, the nominees marked awarded.
func awardeeRows(n domain.Nomination, dec domain.Decision, awardNames map[string]string) ([]awardeeRow, string) {
	byID := map[int64]domain.Nominee{}
	for _, nm := range n.Nominees {
		byID[nm.ID] = nm
	}
	row := func(nm domain.Nominee, award string) awardeeRow {
		pos := nm.JobTitle
		if pos != "" && nm.Organisation != "" {
			pos += ", "
		}
		return awardeeRow{Name: nm.Name, Position: pos + nm.Organisation, Kind: web.Translate("vi", "kind."+string(nm.Kind)),
			Award: awardNames[award]}
	}
	var rows []awardeeRow
	var total int64
	amounts := false
	for _, a := range dec.Awardees {
		nm, ok := byID[a.NomineeID]
		if !ok {
			nm = domain.Nominee{ID: a.NomineeID, Name: a.Name, Kind: domain.NomineeKind(a.Kind)}
		}
		r := row(nm, a.AwardCode)
		r.NomineeID = a.NomineeID
		if a.BonusVND != nil {
			r.Bonus = web.FormatMoney(*a.BonusVND)
			total += *a.BonusVND
			amounts = true
		}
		rows = append(rows, r)
	}
	if len(dec.Awardees) == 0 {
		for _, nm := range n.Nominees {
			if nm.Status == domain.NomineeAwarded {
				rows = append(rows, row(nm, n.AwardCode))
			}
		}
	}
	for i := range rows {
		rows[i].No = i + 1
	}
	if !amounts {
		return rows, ""
	}
	return rows, web.FormatMoney(total)
}

// DecisionsOf returns every decision of a dossier; a read model that carries only
// the latest one gives a list of one.
func DecisionsOf(n domain.Nomination) []domain.Decision {
	if len(n.Decisions) > 0 {
		return n.Decisions
	}
	if n.Decision != nil {
		return []domain.Decision{*n.Decision}
	}
	return nil
}
