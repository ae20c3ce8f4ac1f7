package documents

import (
	"fmt"
	"strings"
)

// Certificate is one awardee's Bằng khen or Giấy khen.
type Certificate struct {
	// Kind is the certificate's title: "Bằng khen" or "Giấy khen".
	Kind string
	// Authority is who awards it, in capitals: "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN".
	Authority   string
	Awardee     string
	Position    string // position and unit, "" for a collective
	Achievement string // "Đã có thành tích xuất sắc trong …"
	Decision    string // the decision's number: "12/QĐ-UBND"
	Header      Header // place and date of the decision; Issuer for the metadata
	Register    string // the entry in the awards register (sổ vàng), "" when none
	Code        string
	VerifyURL   string
	Signature   Signature
}

// RenderCertificate produces one certificate, A4 landscape with a double border.
func RenderCertificate(c Certificate) (Rendered, error) {
	if err := need(map[string]string{"kind": c.Kind, "authority": c.Authority, "awardee": c.Awardee,
		"decision": c.Decision, "signer": c.Signature.Name}); err != nil {
		return Rendered{}, err
	}
	w, err := newWriter(Meta{Title: c.Kind + " – " + c.Awardee, Author: c.Header.Issuer,
		Subject: "Kèm theo Quyết định số " + c.Decision, Code: c.Code, Date: c.Header.Date}, true)
	if err != nil {
		return Rendered{}, err
	}
	w.SetAutoPageBreak(false, 0)
	seal := w.certificatePage(c)
	b, err := w.bytes()
	return Rendered{PDF: b, Seal: seal}, err
}

// RenderCertificates produces the certificates of a decision in one PDF, one page
// per awardee, for printing on certificate paper; each page carries the awardee's
// own verification code. The file is a print copy: it has no code of its own and
// its Seal is the first page's.
func RenderCertificates(cs []Certificate) (Rendered, error) {
	if len(cs) == 0 {
		return Rendered{}, fmt.Errorf("documents: no certificate to print")
	}
	for _, c := range cs {
		if err := need(map[string]string{"kind": c.Kind, "authority": c.Authority, "awardee": c.Awardee,
			"decision": c.Decision, "signer": c.Signature.Name}); err != nil {
			return Rendered{}, err
		}
	}
	first := cs[0]
	w, err := newWriter(Meta{Title: fmt.Sprintf("%s – %d tập thể, cá nhân", first.Kind, len(cs)), Author: first.Header.Issuer,
		Subject: "Kèm theo Quyết định số " + first.Decision, Date: first.Header.Date}, true)
	if err != nil {
		return Rendered{}, err
	}
	w.SetAutoPageBreak(false, 0)
	var seal Seal
	for i, c := range cs {
		s := w.certificatePage(c)
		if i == 0 {
			seal = s
		}
	}
	b, err := w.bytes()
	return Rendered{PDF: b, Seal: seal}, err
}

// certificatePage draws one certificate on a new landscape page and returns where
// its seal goes.
func (w *writer) certificatePage(c Certificate) Seal {
	w.AddPage()
	const W, H = 297.0, 210.0
	w.SetDrawColor(150, 20, 20)
	w.SetLineWidth(1.6)
	w.Rect(10, 10, W-20, H-20, "D")
	w.SetLineWidth(0.4)
	w.Rect(13.5, 13.5, W-27, H-27, "D")
	w.SetDrawColor(0, 0, 0)
	y := w.centred(20, 22, W-40, "B", 13, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
	y = w.centred(20, y, W-40, "B", 14, "Độc lập - Tự do - Hạnh phúc")
	w.SetFont(family, "B", 14)
	w.rule(W/2, y+0.8, w.GetStringWidth("Độc lập - Tự do - Hạnh phúc"))
	y = w.centred(20, y+6, W-40, "B", 15, strings.ToUpper(c.Authority))
	w.SetTextColor(190, 20, 20)
	y = w.centred(20, y+4, W-40, "B", 40, strings.ToUpper(c.Kind))
	w.SetTextColor(0, 0, 0)
	y = w.centred(20, y+4, W-40, "I", 16, "Tặng")
	y = w.centred(20, y+1, W-40, "B", 22, c.Awardee)
	if c.Position != "" {
		y = w.centred(30, y+1, W-60, "", 15, c.Position)
	}
	w.SetY(y + 3)
	w.paraAt(45, W-90, 0, "I", 15, c.Achievement)
	// Bottom: the decision on the left, the signature on the right.
	by := 150.0
	w.SetFont(family, "", 12)
	for i, l := range []string{"Quyết định số: " + c.Decision, "Ngày " + c.Header.Date.Format("02/01/2006"), c.Register} {
		if l == "" {
			continue
		}
		w.SetXY(30, by+float64(i)*5.5)
		w.CellFormat(90, 5.5, l, "", 0, "L", false, 0, "")
	}
	if c.Code != "" && c.VerifyURL != "" {
		w.qr(135, 160, 22, c.VerifyURL)
		w.SetFont(family, "I", 9)
		w.SetXY(110, 183)
		w.CellFormat(72, 4, "Mã tra cứu: "+c.Code, "", 0, "C", false, 0, "")
	}
	sx, sw := 185.0, 95.0
	sy := w.centred(sx, 128, sw, "I", 13, DateLine(c.Header.Place, c.Header.Date))
	for _, l := range c.Signature.Lines() {
		sy = w.centred(sx, sy, sw, "B", 13, l)
	}
	seal := sy + 1
	w.centred(sx, seal+sealH, sw, "B", 14, c.Signature.Name)
	return Seal{Page: w.PageNo(), Rect: Rect{X1: mmToPt(sx + 8), Y1: mmToPt(H - seal - sealH), X2: mmToPt(sx + sw - 8), Y2: mmToPt(H - seal)}}
}

// Submission is a submission letter (tờ trình) proposing awards to the competent
// authority.
type Submission struct {
	Header     Header
	Code       string
	VerifyURL  string
	Award      string
	To         string // "Chủ tịch Ủy ban nhân dân tỉnh Lạng Sơn"
	Bases      []string
	Body       []string // paragraphs: the achievements and the proposal
	Awardees   []Awardee
	Attached   []string // the dossier's documents
	Recipients []string
	Signature  Signature
}

// RenderSubmission produces the tờ trình with its list of nominees.
func RenderSubmission(s Submission) (Rendered, error) {
	if err := need(map[string]string{"number": s.Header.Number, "issuer": s.Header.Issuer, "to": s.To,
		"award": s.Award, "signer": s.Signature.Name}); err != nil {
		return Rendered{}, err
	}
	w, err := newWriter(Meta{Title: "Tờ trình số " + s.Header.Number, Author: s.Header.Issuer,
		Subject: "Đề nghị tặng " + s.Award, Code: s.Code, Date: s.Header.Date}, false)
	if err != nil {
		return Rendered{}, err
	}
	w.AddPage()
	y := w.header(s.Header)
	y = w.title(y, "Tờ trình", "Về việc đề nghị tặng "+s.Award)
	y = w.centred(marginLeft, y, w.width(), "", 14, "Kính gửi: "+s.To+".")
	w.SetY(y + 4)
	for _, b := range s.Bases {
		w.para("", 14, "Căn cứ "+strings.TrimSuffix(b, ";")+";")
	}
	for _, p := range s.Body {
		w.para("", 14, p)
	}
	w.para("", 14, fmt.Sprintf("%s kính trình %s xem xét, quyết định tặng %s cho %d %s (có danh sách kèm theo).",
		upperFirst(s.Header.Issuer), s.To, s.Award, len(s.Awardees), subjects(s.Awardees)))
	if len(s.Attached) > 0 {
		w.para("", 14, "Hồ sơ kèm theo gồm: "+strings.Join(s.Attached, "; ")+".")
	}
	w.para("", 14, "Kính trình "+s.To+" xem xét, quyết định./.")
	seal := w.closing(s.Recipients, s.Signature, s.Code, s.VerifyURL)
	if len(s.Awardees) > 0 {
		w.AddPage()
		y := w.centred(marginLeft, w.GetY(), w.width(), "B", 14, "DANH SÁCH ĐỀ NGHỊ TẶNG "+strings.ToUpper(s.Award))
		y = w.centred(marginLeft, y, w.width(), "I", 13, "(Kèm theo Tờ trình số "+s.Header.Number+" "+DateLine("", s.Header.Date)+")")
		w.SetY(y + 4)
		cols := []column{{"STT", 12, "C"}, {"Họ và tên", 50, "L"}, {"Chức vụ, đơn vị công tác", 63, "L"}, {"Đối tượng", 40, "C"}}
		w.tableRow(cols, cellTexts(cols), "B", true)
		for i, a := range s.Awardees {
			w.tableRow(cols, []string{fmt.Sprint(i + 1), a.Name, a.Position, a.Kind}, "", false)
		}
	}
	b, err := w.bytes()
	return Rendered{PDF: b, Seal: seal}, err
}

// Vote is one nominee's result at a council meeting.
type Vote struct {
	Name                     string
	For, Against, Abstaining int
	Passed                   bool
}

// Minutes are the minutes of a council meeting (biên bản họp Hội đồng).
type Minutes struct {
	Header    Header
	Code      string
	Award     string
	Held      string   // time and place: "Vào hồi 14 giờ 00 ngày …, tại …"
	Chair     string   // "Ông Lộc Văn Thành, Chủ tịch UBND xã – Chủ tịch Hội đồng"
	Secretary string   // name
	Members   []string // every member, "name, title"
	Present   []string // names present
	Votes     []Vote
	// Ballot says how the council voted, after "biểu quyết": "bằng phiếu kín"
	// when "".
	Ballot     string
	Conclusion string
	// ChairSign and SecretarySign are the two signatures of the minutes.
	ChairSign, SecretarySign Signature
}

// RenderMinutes produces the council minutes: members, presence, the votes per
// nominee and the result.
func RenderMinutes(m Minutes) (Rendered, error) {
	if err := need(map[string]string{"number": m.Header.Number, "issuer": m.Header.Issuer, "award": m.Award,
		"chair": m.ChairSign.Name}); err != nil {
		return Rendered{}, err
	}
	w, err := newWriter(Meta{Title: "Biên bản số " + m.Header.Number, Author: m.Header.Issuer,
		Subject: "Họp Hội đồng xét " + m.Award, Code: m.Code, Date: m.Header.Date}, false)
	if err != nil {
		return Rendered{}, err
	}
	w.AddPage()
	y := w.header(m.Header)
	y = w.title(y, "Biên bản", "Họp Hội đồng Thi đua - Khen thưởng xét đề nghị tặng "+m.Award)
	w.SetY(y + 2)
	w.para("", 14, m.Held+".")
	w.para("", 14, "Chủ trì: "+m.Chair+". Thư ký: "+m.Secretary+".")
	w.para("", 14, fmt.Sprintf("Thành viên Hội đồng: %d người; có mặt %d người:", len(m.Members), len(m.Present)))
	for _, p := range m.Present {
		w.paraAt(marginLeft, w.width(), 10, "", 14, "- "+p+";")
	}
	if absent := len(m.Members) - len(m.Present); absent > 0 {
		w.para("", 14, fmt.Sprintf("Vắng mặt: %d người.", absent))
	}
	ballot := m.Ballot
	if ballot == "" {
		ballot = "bằng phiếu kín"
	}
	w.para("", 14, "Hội đồng đã xem xét hồ sơ và biểu quyết "+ballot+"; kết quả như sau:")
	cols := []column{{"STT", 12, "C"}, {"Họ và tên / Tên tập thể", 62, "L"}, {"Đồng ý", 20, "C"}, {"Không đồng ý", 24, "C"},
		{"Không biểu quyết", 24, "C"}, {"Kết quả", 23, "C"}}
	w.tableRow(cols, cellTexts(cols), "B", true)
	for i, v := range m.Votes {
		res := "Không đạt"
		if v.Passed {
			res = "Đạt"
		}
		w.tableRow(cols, []string{fmt.Sprint(i + 1), v.Name, fmt.Sprint(v.For), fmt.Sprint(v.Against), fmt.Sprint(v.Abstaining), res}, "", false)
	}
	w.SetY(w.GetY() + 3)
	w.para("", 14, "Kết luận: "+m.Conclusion)
	w.para("", 14, "Biên bản được thông qua tại cuộc họp và được lập thành 02 bản./.")
	// Two signatures side by side: the secretary on the left, the chair on the right.
	y = w.GetY() + 4
	if y+sealH+20 > pageH-marginBottom {
		w.AddPage()
		y = w.GetY()
	}
	ly, ry := y, y
	for _, l := range m.SecretarySign.Lines() {
		ly = w.centred(marginLeft, ly, 75, "B", 13.5, l)
	}
	for _, l := range m.ChairSign.Lines() {
		ry = w.centred(marginLeft+80, ry, w.width()-80, "B", 13.5, l)
	}
	top := max(ly, ry) + 1
	w.centred(marginLeft, top+sealH, 75, "B", 13.5, m.SecretarySign.Name)
	w.centred(marginLeft+80, top+sealH, w.width()-80, "B", 13.5, m.ChairSign.Name)
	w.SetY(top + sealH + 8)
	sx, sw := marginLeft+80.0, w.width()-80
	seal := Seal{Page: w.PageNo(), Rect: Rect{X1: mmToPt(sx + 5), Y1: mmToPt(pageH - top - sealH), X2: mmToPt(sx + sw - 5), Y2: mmToPt(pageH - top)}}
	b, err := w.bytes()
	return Rendered{PDF: b, Seal: seal}, err
}

// ReturnLetter is the official letter (công văn) that returns a dossier and lists
// what is missing.
type ReturnLetter struct {
	Header     Header // About: "trả lại hồ sơ đề nghị khen thưởng"
	Code       string
	To         string
	Dossier    string // "hồ sơ đề nghị tặng Bằng khen … kèm theo Tờ trình số 3/TTr-UBND ngày …"
	Missing    []string
	Deadline   string // "trước ngày 20 tháng 12 năm 2026", "" when none
	Recipients []string
	Signature  Signature
}

// RenderReturnLetter produces the return letter.
func RenderReturnLetter(r ReturnLetter) (Rendered, error) {
	if err := need(map[string]string{"number": r.Header.Number, "issuer": r.Header.Issuer, "to": r.To,
		"signer": r.Signature.Name}); err != nil {
		return Rendered{}, err
	}
	if len(r.Missing) == 0 {
		return Rendered{}, fmt.Errorf("documents: a return letter lists what is missing")
	}
	w, err := newWriter(Meta{Title: "Công văn số " + r.Header.Number, Author: r.Header.Issuer,
		Subject: r.Header.About, Code: r.Code, Date: r.Header.Date}, false)
	if err != nil {
		return Rendered{}, err
	}
	w.AddPage()
	y := w.header(r.Header)
	y = w.centred(marginLeft, y+2, w.width(), "", 14, "Kính gửi: "+r.To+".")
	w.SetY(y + 4)
	w.para("", 14, upperFirst(r.Header.Issuer)+" nhận được "+r.Dossier+". Sau khi xem xét, hồ sơ chưa đủ điều kiện để trình cấp có thẩm quyền khen thưởng do còn thiếu hoặc chưa đúng các nội dung sau:")
	for i, m := range r.Missing {
		w.para("", 14, fmt.Sprintf("%d. %s;", i+1, strings.TrimSuffix(m, ";")))
	}
	ask := "Đề nghị " + r.To + " bổ sung, hoàn thiện hồ sơ theo quy định và gửi lại"
	if r.Deadline != "" {
		ask += " " + r.Deadline
	}
	w.para("", 14, ask+"./.")
	// The code goes into the metadata only: the public page answers for decisions
	// and certificates, so a printed code would lead nowhere.
	seal := w.closing(r.Recipients, r.Signature, "", "")
	b, err := w.bytes()
	return Rendered{PDF: b, Seal: seal}, err
}
