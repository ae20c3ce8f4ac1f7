package documentpages

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/documents"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/register"
	"github.com/tdkt/tdkt/internal/web"
)

// decisionPDF serves a decision with its annex as a PDF (?code= as for the
// printable page). The first request issues the document: it is generated once,
// recorded with its verification code and, when a key is configured, signed with
// the issuing unit's key; later requests serve the recorded original.
func (s *server) decisionPDF(c *gin.Context) {
	d, ok := s.decisionContent(c)
	if !ok {
		return
	}
	k, err := s.decisionIssued(c, d, "decision", nil)
	if err != nil {
		s.Fail(c, err)
		return
	}
	doc, err := s.issue(c, k, func(code, url string) (documents.Rendered, string, error) {
		content, err := s.decisionDocument(c, d)
		if err != nil {
			return documents.Rendered{}, "", err
		}
		content.Code, content.VerifyURL = code, url
		r, err := documents.RenderDecision(content)
		return r, "Quyết định số " + d.D.Code, err
	})
	if err != nil {
		s.Fail(c, err)
		return
	}
	servePDF(c, doc, "quyet-dinh-"+d.D.Code)
}

// certificatePDF serves the certificate of one awardee of a decision (?nominee=).
func (s *server) certificatePDF(c *gin.Context) {
	d, ok := s.decisionContent(c)
	if !ok {
		return
	}
	nid, err := strconv.ParseInt(c.Query("nominee"), 10, 64)
	if err != nil {
		nid = 0
	}
	_, doc, err := s.certificate(c, d, nid)
	if err != nil {
		s.Fail(c, err)
		return
	}
	servePDF(c, doc, "giay-khen-"+strconv.FormatInt(nid, 10))
}

// certificate issues (once) the certificate of one awardee of a decision and
// returns its content and the issued document.
func (s *server) certificate(c *gin.Context, d decisionData, nid int64) (documents.Certificate, *register.IssuedDocument, error) {
	var aw *domain.Awardee
	for i := range d.D.Awardees {
		if d.D.Awardees[i].NomineeID == nid && nid != 0 {
			aw = &d.D.Awardees[i]
		}
	}
	if aw == nil {
		return documents.Certificate{}, nil, domain.Errorf(domain.KindNotFound, "the decision has no such awardee")
	}
	row := awardeeRow{}
	for i, a := range d.D.Awardees {
		if a.NomineeID == nid && i < len(d.Rows) {
			row = d.Rows[i]
		}
	}
	sig, err := s.decisionSignature(c, d)
	if err != nil {
		return documents.Certificate{}, nil, err
	}
	kind := "Giấy chứng nhận"
	achievement := fmt.Sprintf("Đã đạt danh hiệu %s năm %d.", row.Award, d.N.Year)
	for _, k := range []string{"Bằng khen", "Giấy khen"} {
		if strings.HasPrefix(row.Award, k) {
			kind = k
			achievement = fmt.Sprintf("Đã có thành tích xuất sắc năm %d.", d.N.Year)
		}
	}
	cert := documents.Certificate{Kind: kind, Authority: "Chủ tịch " + web.ExpandCommittee(d.IssuerName),
		Awardee: row.Name, Position: row.Position, Achievement: achievement, Decision: d.D.Code, Header: s.header(d),
		Signature: sig}
	k, err := s.decisionIssued(c, d, "certificate", &nid)
	if err != nil {
		return cert, nil, err
	}
	doc, err := s.issue(c, k, func(code, url string) (documents.Rendered, string, error) {
		cc := cert
		cc.Code, cc.VerifyURL = code, url
		r, err := documents.RenderCertificate(cc)
		return r, kind + " – " + row.Name, err
	})
	return cert, doc, err
}

// issued names a document: its kind, what it belongs to, and who issues it.
type issued struct {
	kind                            string
	decisionID, letterID, nomineeID *int64
	// ref names a document of the dossier that belongs to neither a decision nor
	// a submission letter (store.FindIssuedByRef).
	ref                     string
	nominationID            string
	unitID, unitName, place string
}

// decisionIssued names a decision's document (a certificate with a nominee).
func (s *server) decisionIssued(c *gin.Context, d decisionData, kind string, nomineeID *int64) (issued, error) {
	decID, err := s.cfg.App.Papers.DecisionID(web.Ctx(c), d.N.ID, d.D.Code)
	if err != nil {
		return issued{}, err
	}
	return issued{kind: kind, decisionID: &decID, nomineeID: nomineeID, nominationID: d.N.ID, unitID: d.D.UnitID,
		unitName: web.ExpandCommittee(d.IssuerName), place: d.Place()}, nil
}

// issue returns the document already issued, or renders, records and signs it.
func (s *server) issue(c *gin.Context, k issued, render func(code, url string) (documents.Rendered, string, error)) (*register.IssuedDocument, error) {
	st := s.cfg.App.Papers
	find := func() (*register.IssuedDocument, error) {
		if k.ref != "" {
			return st.FindIssuedByRef(web.Ctx(c), k.kind, k.nominationID, k.ref)
		}
		return st.FindIssuedDocument(web.Ctx(c), k.kind, k.decisionID, k.letterID, k.nomineeID)
	}
	if doc, err := find(); err != nil || doc != nil {
		return doc, err
	}
	code := register.NewVerificationCode()
	r, title, err := render(code, requestBase(c)+"/verify/"+code)
	if err != nil {
		return nil, domain.Errorf(domain.KindInvalid, "the document cannot be produced: %v", err)
	}
	seal, _ := json.Marshal(r.Seal)
	doc, err := st.IssueDocument(web.Ctx(c), register.IssuedDocument{Code: code, Kind: k.kind, DecisionID: k.decisionID, LetterID: k.letterID,
		NomineeID: k.nomineeID, NominationID: k.nominationID, UnitID: k.unitID, Title: title, PDF: r.PDF, Seal: seal, Ref: k.ref})
	if err != nil || doc.SignedPDF != nil || s.cfg.Signing == nil {
		return doc, err
	}
	key, err := s.cfg.Signing.UnitKey(k.unitID, k.unitName)
	if err != nil {
		return nil, err
	}
	var rs documents.Seal
	if err := json.Unmarshal(doc.Seal, &rs); err != nil {
		return nil, err
	}
	at := s.Now()
	signed, err := documents.Sign(doc.PDF, rs, key.Signer, key.Chain, documents.SignInfo{Time: at.In(calendar.Zone),
		Reason: "Ban hành " + doc.Title, Location: k.place})
	if err != nil {
		return nil, err
	}
	// A concurrent first download may have signed it meanwhile: its original stands.
	if err := st.SaveSigned(web.Ctx(c), doc.Code, signed, key.Chain[0].Subject.CommonName, at, false); err != nil && !domain.IsKind(err, domain.KindConflict) {
		return nil, err
	}
	return st.IssuedDocumentByCode(web.Ctx(c), doc.Code)
}

// header is the decision's Decree 30 heading.
func (s *server) header(d decisionData) documents.Header {
	return documents.Header{Issuer: web.ExpandCommittee(d.IssuerName), Number: d.D.Code, Place: d.Place(), Date: d.Signed}
}

// decisionDocument assembles the decision's content: the căn cứ in force for the
// issuing level on its date, the submission letter and the council's result from
// the history, the bonus from the base salary in force.
func (s *server) decisionDocument(c *gin.Context, d decisionData) (documents.Decision, error) {
	st, adm := s.cfg.App.Papers, s.cfg.App.Admin.Store
	unit, err := adm.Unit(web.Ctx(c), d.D.UnitID)
	if err != nil {
		return documents.Decision{}, err
	}
	bases, err := st.LegalBases(web.Ctx(c), unit.Level, d.Signed)
	if err != nil {
		return documents.Decision{}, err
	}
	issuer := web.ExpandCommittee(d.IssuerName)
	out := documents.Decision{Header: s.header(d), Summary: "Về việc tặng " + d.N.AwardName, Authority: "Chủ tịch " + issuer,
		Bases: bases, Award: d.N.AwardName, Achievement: fmt.Sprintf("xuất sắc năm %d", d.N.Year), Multiplier: d.Multiplier(),
		Fund:       "Quỹ thi đua, khen thưởng của " + issuer,
		Executors:  "Chánh Văn phòng " + issuer + ", Thủ trưởng các cơ quan, đơn vị có liên quan",
		Recipients: []string{"Như Điều 3;", d.N.UnitName + ";", "Lưu: VT."},
	}
	if out.Signature, err = s.decisionSignature(c, d); err != nil {
		return documents.Decision{}, err
	}
	out.Proposal = proposal(d)
	if salaries, err := s.cfg.App.RefData.Store.ListBaseSalaries(web.Ctx(c)); err == nil {
		for _, b := range salaries {
			if !b.ValidFrom.Time(time.UTC).After(d.Signed) {
				out.BaseSalary, out.BaseSalarySource = b.Amount, b.Source
			}
		}
	}
	for i, r := range d.Rows {
		a := documents.Awardee{Name: r.Name, Position: r.Position, Kind: r.Kind, Award: r.Award}
		if i < len(d.D.Awardees) {
			a.Amount = d.D.Awardees[i].BonusVND
		}
		out.Awardees = append(out.Awardees, a)
	}
	return out, nil
}

// proposal is the "Xét đề nghị" ground: the last submission letter before the
// decision and the council's result, from the dossier's history.
func proposal(d decisionData) string {
	var letter string
	var letterAt, councilAt time.Time
	for _, e := range d.Events {
		if e.At.After(d.D.CreatedAt.Add(time.Minute)) {
			continue
		}
		if code, ok := e.Details["letter_code"].(string); ok && code != "" {
			letter, letterAt = code, e.At
		}
		if e.Action == string(domain.ActionCouncilResult) {
			councilAt = e.At
		}
	}
	out := "đề nghị của " + d.N.UnitName
	if letter != "" {
		out += " tại Tờ trình số " + letter + " " + documents.DateLine("", letterAt.In(calendar.Zone))
	} else {
		out += " tại hồ sơ “" + d.N.Title + "”"
	}
	if !councilAt.IsZero() {
		out += " và kết quả xét của Hội đồng Thi đua - Khen thưởng " + documents.DateLine("", councilAt.In(calendar.Zone))
	}
	return out
}

func requestBase(c *gin.Context) string {
	scheme := "http"
	if c.Request.TLS != nil || c.GetHeader("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + c.Request.Host
}

// safeName is a file name's ASCII form.
func safeName(name string) string {
	return regexp.MustCompile(`[^A-Za-z0-9_-]+`).ReplaceAllString(name, "-")
}

func servePDF(c *gin.Context, doc *register.IssuedDocument, name string) {
	b := doc.PDF
	if doc.SignedPDF != nil {
		b = doc.SignedPDF
	}
	disp := "inline"
	if c.Query("download") != "" {
		disp = "attachment"
	}
	c.Header("Content-Disposition", disp+`; filename="`+safeName(name)+`.pdf"`)
	c.Header("X-Verification-Code", doc.Code)
	c.Data(http.StatusOK, "application/pdf", b)
}

// rateLimiter allows n requests per client address per minute.
type rateLimiter struct {
	mu    sync.Mutex
	n     int
	start time.Time
	seen  map[string]int
}

func (l *rateLimiter) allow(addr string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.start) > time.Minute || l.seen == nil {
		l.start, l.seen = now, map[string]int{}
	}
	l.seen[addr]++
	return l.seen[addr] <= l.n
}

var verifyLimit = &rateLimiter{n: 30}

// codeShape is the form of a verification code.
var codeShape = regexp.MustCompile(`^[2-9A-HJ-KM-NP-Z]{4}-[2-9A-HJ-KM-NP-Z]{4}$`)

// publicVerify is the public verification page (no login): the award, the
// awardee's name, the decision's number, date and issuer, and whether it is in
// force. An unknown code and a malformed one get the same answer.
func (s *server) publicVerify(c *gin.Context) {
	if !verifyLimit.allow(c.ClientIP(), s.Now()) {
		c.String(http.StatusTooManyRequests, "Quá nhiều yêu cầu, vui lòng thử lại sau một phút.\n")
		return
	}
	code := strings.ToUpper(c.Param("code"))
	var p *register.PublicAward
	if codeShape.MatchString(code) {
		var err error
		if p, err = s.cfg.App.Papers.PublicAwardByCode(web.Ctx(c), code); err != nil {
			s.cfg.Log.Error("public verification", "err", err)
			c.String(http.StatusServiceUnavailable, "Dịch vụ tạm thời gián đoạn.\n")
			return
		}
	}
	c.Header("Cache-Control", "no-store")
	if p == nil {
		c.Data(http.StatusNotFound, "text/html; charset=utf-8", []byte(verifyPage("Không tìm thấy văn bản", "<p>Mã tra cứu không đúng hoặc không tồn tại.</p>")))
		return
	}
	status := "Còn hiệu lực"
	if p.RevokedAt != nil {
		status = "Đã bị thu hồi, hủy bỏ ngày " + p.RevokedAt.In(calendar.Zone).Format("02/01/2006")
		if p.RevokeGround != "" {
			status += " (" + p.RevokeGround + ")"
		}
	}
	rows := [][2]string{{"Văn bản", p.Title}, {"Hình thức khen thưởng", p.Award}}
	if p.Awardee != "" {
		rows = append(rows, [2]string{"Người/tập thể được khen thưởng", p.Awardee})
	} else {
		rows = append(rows, [2]string{"Số tập thể, cá nhân được khen thưởng", strconv.Itoa(p.Awardees)})
	}
	rows = append(rows, [2]string{"Quyết định số", p.DecisionCode}, [2]string{"Ngày ký", p.SignedOn.Format("02/01/2006")},
		[2]string{"Cơ quan ban hành", web.ExpandCommittee(p.Issuer)}, [2]string{"Tình trạng", status})
	var b strings.Builder
	b.WriteString("<dl>")
	for _, r := range rows {
		fmt.Fprintf(&b, "<dt>%s</dt><dd>%s</dd>", htmlEscape(r[0]), htmlEscape(r[1]))
	}
	b.WriteString("</dl>")
	c.Data(http.StatusOK, "text/html; charset=utf-8", []byte(verifyPage("Tra cứu văn bản khen thưởng", b.String())))
}

func verifyPage(title, body string) string {
	return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
		`<title>` + htmlEscape(title) + `</title></head><body><main><h1>` + htmlEscape(title) + `</h1>` + body + `</main></body></html>`
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;").Replace(s)
}

// verifyUpload answers POST /api/v1/documents/verify: the PDF is the request body
// (application/pdf) or the multipart part "file". The answer says whether the
// signature is valid, who signed and when, whether it is a tdkt document, which,
// whether it has been revoked, and whether the file is the issued revision plus a
// signature.
func (s *server) verifyUpload(c *gin.Context) {
	if !verifyLimit.allow(c.ClientIP(), s.Now()) {
		c.JSON(http.StatusTooManyRequests, gin.H{"title": "too many requests"})
		return
	}
	var r io.Reader = c.Request.Body
	if fh, err := c.FormFile("file"); err == nil {
		f, err := fh.Open()
		if err != nil {
			c.JSON(http.StatusBadRequest, gin.H{"title": "the upload cannot be read"})
			return
		}
		defer f.Close()
		r = f
	}
	pdf, err := io.ReadAll(io.LimitReader(r, 20<<20+1))
	if err != nil || len(pdf) > 20<<20 || !strings.HasPrefix(string(pdf[:min(len(pdf), 5)]), "%PDF-") {
		c.JSON(http.StatusBadRequest, gin.H{"title": "send a PDF of at most 20 MB"})
		return
	}
	v := documents.Verifier{Lookup: s.lookupIssued(c)}
	if s.cfg.Signing != nil {
		v.Roots = s.cfg.Signing.Roots()
	}
	res, err := v.Verify(pdf)
	if err != nil {
		s.cfg.Log.Error("document verification", "err", err)
		c.JSON(http.StatusServiceUnavailable, gin.H{"title": "verification is unavailable"})
		return
	}
	c.JSON(http.StatusOK, res)
}

// lookupIssued finds an issued document for the verifier, with the revocation of
// its decision.
func (s *server) lookupIssued(c *gin.Context) documents.Lookup {
	return func(code string) (*documents.Issued, error) {
		doc, err := s.cfg.App.Papers.IssuedDocumentByCode(web.Ctx(c), code)
		if err != nil || doc == nil {
			return nil, err
		}
		out := &documents.Issued{Code: doc.Code, Kind: doc.Kind, Title: doc.Title, PDF: doc.PDF}
		if p, err := s.cfg.App.Papers.PublicAwardByCode(web.Ctx(c), code); err == nil && p != nil {
			out.Reference = p.DecisionCode
			if p.RevokedAt != nil {
				out.Revoked, out.RevokedBy = true, p.RevokeGround
			}
		}
		return out, nil
	}
}

// uploadSigned accepts the decision signed on the signer's own computer (for
// example with a VGCA token): the file must be the PDF tdkt issued plus one
// signature, valid, and by a certificate that chains to a trust anchor at the
// signing time. It is then kept as the original.
func (s *server) uploadSigned(c *gin.Context) {
	d, ok := s.decisionContent(c)
	if !ok {
		return
	}
	st := s.cfg.App.Papers
	decID, err := st.DecisionID(web.Ctx(c), d.N.ID, d.D.Code)
	if err != nil {
		s.Fail(c, err)
		return
	}
	doc, err := st.FindIssuedDocument(web.Ctx(c), "decision", &decID, nil, nil)
	if err != nil {
		s.Fail(c, err)
		return
	}
	if doc == nil {
		s.Fail(c, domain.Errorf(domain.KindConflict, "download the decision's PDF, sign it, then upload the signed copy"))
		return
	}
	fh, err := c.FormFile("file")
	if err != nil {
		s.Fail(c, domain.Invalid("choose the signed PDF", domain.FieldError{Field: "file", Message: "required"}))
		return
	}
	f, err := fh.Open()
	if err != nil {
		s.Fail(c, err)
		return
	}
	defer f.Close()
	pdf, err := io.ReadAll(io.LimitReader(f, 20<<20))
	if err != nil {
		s.Fail(c, err)
		return
	}
	v := documents.Verifier{Lookup: s.lookupIssued(c)}
	if s.cfg.Signing != nil {
		v.Roots = s.cfg.Signing.Roots()
	}
	res, err := v.Verify(pdf)
	if err != nil {
		s.Fail(c, err)
		return
	}
	if !res.Valid || !res.IssuedRevision || res.Code != doc.Code || res.SigningTime == nil {
		s.Fail(c, domain.Errorf(domain.KindInvalid, "the signed copy is refused: %s", strings.Join(res.Problems, "; ")))
		return
	}
	if err := st.SaveSigned(web.Ctx(c), doc.Code, pdf, res.Signer, *res.SigningTime, true); err != nil {
		s.Fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/dossiers/"+d.N.ID+"?ok=signed_copy")
}
