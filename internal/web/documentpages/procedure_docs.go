package documentpages

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/documents"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/register"
	"github.com/tdkt/tdkt/internal/web"
)

// The documents of a dossier's procedure besides the decision and the tờ trình:
// the council minutes, the return letter, the appraisal note and the certificates
// of a decision in one PDF; and the signature authority of the decider.

// signatureFor is the signature block of the head of a level or a deputy signing
// for them (Decree 30/2020, art. 13 and appendix I): the chair signs on behalf of
// the People's Committee (TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH), a vice-chair for the
// chair (KT. CHỦ TỊCH / PHÓ CHỦ TỊCH), an acting chair as Q. CHỦ TỊCH. At the
// central level the Prime Minister signs THỦ TƯỚNG, a deputy KT. THỦ TƯỚNG / PHÓ
// THỦ TƯỚNG. A decision without a recorded title is signed as by the chair.
func signatureFor(unitID, title, name string) documents.Signature {
	head, body := "Chủ tịch", "Ủy ban nhân dân"
	if unitID == "TW" {
		head, body = "Thủ tướng", ""
	}
	tm := "TM."
	if body == "" {
		tm = ""
	}
	switch title {
	case "vice_chair":
		return documents.Signature{Authority: "KT.", For: head, Title: "Phó " + strings.ToLower(head), Name: name}
	case "acting_chair":
		return documents.Signature{Authority: tm, For: body, Title: "Q. " + head, Name: name}
	}
	return documents.Signature{Authority: tm, For: body, Title: head, Name: name}
}

// decisionSignature is the signature block of a decision and its certificates,
// from the title its signer held on the day (recorded with the decision).
func (s *server) decisionSignature(c *gin.Context, d decisionData) (documents.Signature, error) {
	st := s.cfg.App.Papers
	id, err := st.DecisionID(web.Ctx(c), d.N.ID, d.D.Code)
	if err != nil {
		return documents.Signature{}, err
	}
	title, err := st.DecisionSignerTitle(web.Ctx(c), id)
	if err != nil {
		return documents.Signature{}, err
	}
	return signatureFor(d.D.UnitID, title, d.Signer), nil
}

// standingBody is the standing body of the council of a level (DOMAIN.md §1): who
// receives and appraises dossiers, and the title of its head.
func standingBody(level string) (body, head string) {
	switch level {
	case "commune":
		return "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân", "Chánh Văn phòng"
	case "district":
		return "Phòng Nội vụ", "Trưởng phòng Nội vụ"
	case "province":
		return "Sở Nội vụ", "Giám đốc Sở Nội vụ"
	case "central":
		return "Ban Thi đua - Khen thưởng Trung ương", "Trưởng ban"
	}
	return "Cơ quan thường trực Hội đồng Thi đua - Khen thưởng", "Thủ trưởng cơ quan thường trực"
}

// unitNamed returns a unit's name as the dossier's route spells it, else the
// register's, with its level.
func (s *server) unitNamed(c *gin.Context, n domain.Nomination, id string) (name, level string) {
	for _, r := range n.Route {
		if r.UnitID == id {
			name, level = r.UnitName, r.Level
		}
	}
	if u, err := s.cfg.App.Admin.Store.Unit(web.Ctx(c), id); err == nil {
		if name == "" {
			name = u.Name
		}
		level = u.Level
	}
	if name == "" {
		name = id
	}
	return name, level
}

// placeOf is where a unit's documents are signed.
func placeOf(unitID, name string) string {
	return decisionData{IssuerName: name, D: domain.Decision{UnitID: unitID}}.Place()
}

// letterBefore returns the last submission letter recorded before t and its date.
func letterBefore(events []domain.AuditEvent, t time.Time) string {
	out := ""
	for _, e := range events {
		if e.At.After(t) {
			break
		}
		if code, ok := e.Details["letter_code"].(string); ok && code != "" {
			out = "Tờ trình số " + code + " " + documents.DateLine("", e.At.In(calendar.Zone))
		}
	}
	return out
}

func detailStrings(e domain.AuditEvent, key string) []string {
	var out []string
	if items, ok := e.Details[key].([]any); ok {
		for _, it := range items {
			if s, ok := it.(string); ok {
				out = append(out, s)
			}
		}
	}
	return out
}

// returnLetterPDF serves the letter that returned a dossier with its missing
// items (?letter=4/UBND-TĐKT), issued once like the decision.
func (s *server) returnLetterPDF(c *gin.Context) {
	uid := web.UserID(c)
	n, err := s.cfg.App.Nomination(web.Ctx(c), uid, c.Param("id"))
	if err != nil {
		s.Fail(c, err)
		return
	}
	st := s.cfg.App.Papers
	letters, err := st.ReturnLetters(web.Ctx(c), n.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var l *register.IssuedReturnLetter
	for i := range letters {
		if letters[i].Code == c.Query("letter") {
			l = &letters[i]
		}
	}
	if l == nil {
		s.Fail(c, domain.Errorf(domain.KindNotFound, "the dossier has no such return letter"))
		return
	}
	events, err := s.cfg.App.AuditTrail(web.Ctx(c), uid, n.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	var ev *domain.AuditEvent
	for i := range events {
		if events[i].Seq == l.Seq {
			ev = &events[i]
		}
	}
	if ev == nil {
		s.Fail(c, domain.Errorf(domain.KindNotFound, "the return is not in the dossier's history"))
		return
	}
	from, level := s.unitNamed(c, n, l.UnitID)
	_, head := standingBody(level)
	issuer := web.ExpandCommittee(from)
	k := issued{kind: "return_letter", ref: "return:" + strconv.FormatInt(l.ID, 10), nominationID: n.ID, unitID: l.UnitID,
		unitName: issuer, place: placeOf(l.UnitID, from)}
	doc, err := s.issue(c, k, func(code, url string) (documents.Rendered, string, error) {
		dossier := "hồ sơ đề nghị tặng " + n.AwardName
		if n.Title != "" {
			dossier = "hồ sơ “" + n.Title + "”"
		}
		if letter := letterBefore(events, ev.At); letter != "" {
			dossier += " kèm theo " + letter
		}
		r, err := documents.RenderReturnLetter(documents.ReturnLetter{
			Header: documents.Header{Issuer: issuer, Number: l.Code, Place: k.place, Date: l.SignedOn,
				About: "trả lại hồ sơ đề nghị khen thưởng"},
			Code: code, To: web.ExpandCommittee(n.UnitName), Dossier: dossier, Missing: detailStrings(*ev, "missing_items"),
			Recipients: []string{"Như trên;", "Lưu: VT, TĐKT."},
			Signature:  documents.Signature{Authority: "TL.", For: "Chủ tịch", Title: head, Name: l.SignerName},
		})
		return r, "Công văn số " + l.Code, err
	})
	if err != nil {
		s.Fail(c, err)
		return
	}
	servePDF(c, doc, "cong-van-tra-lai-"+l.Code)
}

// minutesPDF serves the minutes of a closed council vote (?session=1).
func (s *server) minutesPDF(c *gin.Context) {
	uid := web.UserID(c)
	n, err := s.cfg.App.Nomination(web.Ctx(c), uid, c.Param("id"))
	if err != nil {
		s.Fail(c, err)
		return
	}
	session, err := strconv.Atoi(c.Query("session"))
	if err != nil {
		s.Fail(c, domain.Errorf(domain.KindNotFound, "the dossier has no such council vote"))
		return
	}
	m, err := s.cfg.App.Papers.CouncilMinutes(web.Ctx(c), n.ID, session)
	if err != nil {
		s.Fail(c, err)
		return
	}
	unitName, _ := s.unitNamed(c, n, m.UnitID)
	committee := web.ExpandCommittee(unitName)
	if m.Chair == "" {
		s.Fail(c, domain.Errorf(domain.KindConflict, "the council of %s has no chair to sign its minutes", unitName))
		return
	}
	k := issued{kind: "minutes", ref: "session:" + strconv.Itoa(session), nominationID: n.ID, unitID: m.UnitID,
		unitName: committee, place: placeOf(m.UnitID, unitName)}
	doc, err := s.issue(c, k, func(code, url string) (documents.Rendered, string, error) {
		closed := m.ClosedAt.In(calendar.Zone)
		opened := m.OpenedAt.In(calendar.Zone)
		held := fmt.Sprintf("Từ hồi %s ngày %s đến hồi %s ngày %s, Hội đồng Thi đua - Khen thưởng %s biểu quyết trên hệ thống quản lý thi đua, khen thưởng (phiên biểu quyết số %d) về hồ sơ “%s” của %s",
			opened.Format("15 giờ 04"), opened.Format("02/01/2006"), closed.Format("15 giờ 04"), closed.Format("02/01/2006"),
			strings.TrimPrefix(committee, "Ủy ban nhân dân "), m.Session, n.Title, n.UnitName)
		var votes []documents.Vote
		for _, nm := range n.Nominees {
			votes = append(votes, documents.Vote{Name: nm.Name, For: m.Tally.Yes, Against: m.Tally.No, Abstaining: m.Tally.Abstain,
				Passed: m.Tally.Result == "passed"})
		}
		ballot := "công khai"
		if m.Secret {
			ballot = "bằng phiếu kín"
		}
		ballot += ", một lần đối với toàn bộ danh sách đề nghị"
		var conclusion string
		switch m.Tally.Result {
		case "passed":
			conclusion = fmt.Sprintf("Với %d/%d thành viên đồng ý, Hội đồng thống nhất đề nghị tặng %s cho %d tập thể, cá nhân có tên trên.",
				m.Tally.Yes, m.Tally.Members, n.AwardName, len(n.Nominees))
		case "no_quorum":
			conclusion = fmt.Sprintf("Số thành viên tham gia biểu quyết (%d/%d) không đủ theo quy định; kết quả biểu quyết không có giá trị.",
				m.Tally.Present, m.Tally.Members)
		default:
			conclusion = fmt.Sprintf("Số phiếu đồng ý (%d/%d) không đạt tỷ lệ theo quy định; Hội đồng không đề nghị khen thưởng.",
				m.Tally.Yes, m.Tally.Members)
		}
		secretary := documents.Signature{Title: "Thư ký", Name: m.Secretary}
		if m.Secretary == "" {
			secretary = documents.Signature{}
		}
		r, err := documents.RenderMinutes(documents.Minutes{
			Header: documents.Header{Superior: committee, Issuer: "Hội đồng Thi đua - Khen thưởng", Number: m.Code, Place: k.place,
				Date: closed},
			Code: code, Award: n.AwardName, Held: held, Chair: m.Chair + ", Chủ tịch Hội đồng", Secretary: orDash(m.Secretary),
			Members: m.Members, Present: m.Voters, Votes: votes, Ballot: ballot, Conclusion: conclusion,
			ChairSign: documents.Signature{Title: "Chủ tịch Hội đồng", Name: m.Chair}, SecretarySign: secretary,
		})
		return r, "Biên bản số " + m.Code, err
	})
	if err != nil {
		s.Fail(c, err)
		return
	}
	servePDF(c, doc, "bien-ban-"+m.Code)
}

func orDash(s string) string {
	if s == "" {
		return "không có"
	}
	return s
}

// appraised reports whether an event concludes an appraisal: passed, or rejected
// while appraising.
func appraised(e domain.AuditEvent) bool {
	return e.Action == string(domain.ActionApprove) ||
		e.Action == string(domain.ActionReject) && e.FromStatus == string(domain.StatusAppraising)
}

// appraisalPDF serves the appraisal note of the appraisal concluded by a dossier's
// event (?event=5): the intake checklist as the dossier stood then, the returns
// and their missing items, each nominee against the award's criteria with the
// appraisers' overrides, the appraisers' notes and the conclusion.
func (s *server) appraisalPDF(c *gin.Context) {
	uid := web.UserID(c)
	n, err := s.cfg.App.Nomination(web.Ctx(c), uid, c.Param("id"))
	if err != nil {
		s.Fail(c, err)
		return
	}
	events, err := s.cfg.App.AuditTrail(web.Ctx(c), uid, n.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	seq, _ := strconv.Atoi(c.Query("event"))
	var ev *domain.AuditEvent
	for i := range events {
		if events[i].Seq == seq && appraised(events[i]) {
			ev = &events[i]
		}
	}
	if ev == nil {
		s.Fail(c, domain.Errorf(domain.KindNotFound, "the dossier has no such appraisal"))
		return
	}
	st := s.cfg.App.Files.Store
	unitName, level := s.unitNamed(c, n, ev.UnitID)
	body, _ := standingBody(level)
	committee := web.ExpandCommittee(unitName)
	k := issued{kind: "appraisal", ref: "event:" + strconv.Itoa(ev.Seq), nominationID: n.ID, unitID: ev.UnitID,
		unitName: committee, place: placeOf(ev.UnitID, unitName)}
	doc, err := s.issue(c, k, func(code, url string) (documents.Rendered, string, error) {
		a := documents.Appraisal{
			Header: documents.Header{Superior: committee, Issuer: body, Place: k.place, Date: ev.At.In(calendar.Zone)},
			Code:   code, Award: n.AwardName,
			Signature: documents.Signature{Title: "Người thẩm định", Name: ev.ActorName},
		}
		a.Facts = append(a.Facts, "Tên hồ sơ: "+n.Title, "Đơn vị trình: "+n.UnitName, "Hình thức đề nghị: "+n.AwardName)
		if l := letterBefore(events, ev.At); l != "" {
			a.Facts = append(a.Facts, "Văn bản đề nghị: "+l)
		}
		if n.SubmittedAt != nil {
			a.Facts = append(a.Facts, "Ngày nộp hồ sơ: "+n.SubmittedAt.In(calendar.Zone).Format("02/01/2006"))
		}
		a.Facts = append(a.Facts, fmt.Sprintf("Số tập thể, cá nhân được đề nghị: %d", len(n.Nominees)))
		required, err := st.Checklist(web.Ctx(c), n.ID)
		if err != nil {
			return documents.Rendered{}, "", err
		}
		files, err := st.Documents(web.Ctx(c), n.ID)
		if err != nil {
			return documents.Rendered{}, "", err
		}
		for _, r := range required {
			present := false
			for _, f := range files {
				present = present || f.DocKind == r.DocKind && !f.UploadedAt.After(ev.At)
			}
			a.Documents = append(a.Documents, documents.AppraisalDocument{Name: r.Name, Present: present})
		}
		for _, e := range events {
			if e.At.After(ev.At) {
				break
			}
			if e.Action == string(domain.ActionReturn) && e.UnitID == ev.UnitID {
				line := "Ngày " + e.At.In(calendar.Zone).Format("02/01/2006")
				if code, ok := e.Details["return_letter_code"].(string); ok {
					line += " (Công văn số " + code + ")"
				}
				a.Returns = append(a.Returns, line+" trả lại hồ sơ, yêu cầu bổ sung: "+strings.Join(detailStrings(e, "missing_items"), "; "))
			}
			if note, ok := e.Details["note"].(string); ok && note != "" && e.UnitID == ev.UnitID && e.Action != string(domain.ActionComment) {
				a.Comments = append(a.Comments, note+" ("+e.ActorName+", "+e.At.In(calendar.Zone).Format("02/01/2006")+")")
			}
		}
		if elig, err := s.cfg.App.NominationEligibilityOf(web.Ctx(c), n); err == nil {
			for _, ne := range elig.Nominees {
				an := documents.AppraisalNominee{Name: ne.Name, Warnings: ne.Warnings}
				if ne.Result != nil {
					an.Checked, an.Eligible = true, ne.Result.Eligible
					for _, cr := range ne.Result.Criteria {
						ac := documents.AppraisalCriterion{Label: cr.Label, Met: cr.Met, Explanation: cr.Explanation}
						if o := cr.Override; o != nil {
							ac.Override = "đạt"
							if !o.Met {
								ac.Override = "không đạt"
							}
							ac.Override += ", lý do: " + o.Reason
						}
						an.Criteria = append(an.Criteria, ac)
					}
				}
				a.Nominees = append(a.Nominees, an)
			}
		} else {
			return documents.Rendered{}, "", err
		}
		if ev.Action == string(domain.ActionReject) {
			reason, _ := ev.Details["reason"].(string)
			a.Conclusion = "Hồ sơ không đủ điều kiện khen thưởng. Lý do: " + strings.TrimSuffix(reason, ".") + "."
		} else {
			next := "trình cấp có thẩm quyền xem xét"
			switch step, _ := ev.Details["next_step"].(string); domain.Step(step) {
			case domain.StepVote:
				next = "trình Hội đồng Thi đua - Khen thưởng " + strings.TrimPrefix(committee, "Ủy ban nhân dân ") + " xét"
			case domain.StepDecide:
				next = "trình Chủ tịch " + committee + " xem xét, quyết định khen thưởng"
			case domain.StepForward:
				next = "trình Chủ tịch " + committee + " ký Tờ trình đề nghị cấp trên khen thưởng"
			case domain.StepConcur:
				next = "lấy ý kiến hiệp y của các cơ quan liên quan trước khi trình"
			}
			var missing []string
			for _, d := range a.Documents {
				if !d.Present {
					missing = append(missing, d.Name)
				}
			}
			if len(missing) == 0 {
				a.Conclusion = "Hồ sơ đủ thành phần theo quy định và đã được thẩm định theo kết quả trên; đề nghị " + next + "."
			} else {
				// The appraiser approved a dossier with parts missing: the note says so.
				a.Conclusion = "Hồ sơ được thẩm định đạt theo kết quả trên, trong đó thành phần hồ sơ còn thiếu: " +
					strings.Join(missing, "; ") + "; đề nghị " + next + "."
			}
		}
		r, err := documents.RenderAppraisal(a)
		return r, "Phiếu thẩm định hồ sơ " + n.Title, err
	})
	if err != nil {
		s.Fail(c, err)
		return
	}
	servePDF(c, doc, "phieu-tham-dinh-"+strconv.Itoa(ev.Seq))
}

// certificatesPDF serves every certificate of a decision in one PDF, one page per
// awardee, for printing: each page is the awardee's issued certificate (its code
// and QR code), rendered again; the file itself is a print copy, not signed.
func (s *server) certificatesPDF(c *gin.Context) {
	d, ok := s.decisionContent(c)
	if !ok {
		return
	}
	var certs []documents.Certificate
	for _, a := range d.D.Awardees {
		cert, doc, err := s.certificate(c, d, a.NomineeID)
		if err != nil {
			s.Fail(c, err)
			return
		}
		cert.Code, cert.VerifyURL = doc.Code, requestBase(c)+"/verify/"+doc.Code
		certs = append(certs, cert)
	}
	if len(certs) == 0 {
		s.Fail(c, domain.Errorf(domain.KindNotFound, "the decision lists no awardee"))
		return
	}
	r, err := documents.RenderCertificates(certs)
	if err != nil {
		s.Fail(c, domain.Errorf(domain.KindInvalid, "the certificates cannot be produced: %v", err))
		return
	}
	disp := "inline"
	if c.Query("download") != "" {
		disp = "attachment"
	}
	c.Header("Content-Disposition", disp+`; filename="giay-khen-`+safeName(d.D.Code)+`.pdf"`)
	c.Data(200, "application/pdf", r.PDF)
}

// PaperLink is one document of a dossier offered on its page: viewed in the
// browser or downloaded.
type PaperLink struct {
	// Key and Arg are the i18n key of its name and the argument (a number).
	Key, Arg string
	At       time.Time
	URL      string
}

// dossierPapers lists the documents a dossier's procedure has issued or can issue,
// in the order of its history: submission letters, return letters, appraisal
// notes, council minutes, decisions with their certificates.
func (s *server) dossierPapers(c *gin.Context, n domain.Nomination, events []domain.AuditEvent) []PaperLink {
	base := "/dossiers/" + n.ID
	var out []PaperLink
	for _, e := range events {
		str := func(k string) string {
			v, _ := e.Details[k].(string)
			return v
		}
		if code := str("letter_code"); code != "" {
			out = append(out, PaperLink{Key: "papers.letter", Arg: code, At: e.At, URL: base + "/submission.pdf?letter=" + urlQuery(code)})
		}
		if code := str("return_letter_code"); code != "" {
			out = append(out, PaperLink{Key: "papers.return", Arg: code, At: e.At, URL: base + "/return-letter.pdf?letter=" + urlQuery(code)})
		}
		if appraised(e) {
			out = append(out, PaperLink{Key: "papers.appraisal", Arg: e.ActorName, At: e.At, URL: base + "/appraisal.pdf?event=" + strconv.Itoa(e.Seq)})
		}
		if code := str("minutes_code"); code != "" {
			if cr, ok := e.Details["council"].(map[string]any); ok {
				if session, ok := cr["session"].(float64); ok {
					out = append(out, PaperLink{Key: "papers.minutes", Arg: code, At: e.At,
						URL: base + "/minutes.pdf?session=" + strconv.Itoa(int(session))})
				}
			}
		}
		if code := str("decision_code"); code != "" && e.Action == string(domain.ActionDecide) {
			out = append(out, PaperLink{Key: "papers.decision", Arg: code, At: e.At, URL: base + "/decision.pdf?code=" + urlQuery(code)},
				PaperLink{Key: "papers.certificates", Arg: code, At: e.At, URL: base + "/certificates.pdf?code=" + urlQuery(code)})
		}
	}
	return out
}

func urlQuery(s string) string { return url.QueryEscape(s) }
