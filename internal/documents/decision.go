package documents

import (
	"fmt"
	"strings"
)

// Awardee is one line of a decision's annex.
type Awardee struct {
	Name     string
	Position string // position and unit, "" for a collective
	Kind     string // "Cá nhân", "Tập thể", "Hộ gia đình"
	Award    string
	// Amount is the bonus in đồng, nil when the award carries none.
	Amount *int64
}

// Decision is the content of a decision on commendation (quyết định khen thưởng).
type Decision struct {
	Header Header
	// Code is the short verification code printed with the QR code.
	Code string
	// VerifyURL is what the QR code links to (the public verification page).
	VerifyURL string
	// Summary follows the kind name: "Về việc tặng Bằng khen".
	Summary string
	// Authority is the competent person, as the line above the căn cứ writes it:
	// "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN".
	Authority string
	// Bases are the legal grounds in force, each a full citation without "Căn cứ".
	Bases []string
	// Proposal is the "Xét đề nghị…" ground naming the submission letter and the
	// council's result, without the leading "Xét".
	Proposal string
	Award    string
	// Achievement completes "đã có thành tích …": "xuất sắc trong phong trào thi đua năm 2026".
	Achievement string
	Awardees    []Awardee
	// Multiplier is the award's bonus as a multiple of the base salary ("0,3"), ""
	// when none; BaseSalary and BaseSalarySource are the base salary in force on the
	// decision's date and the decree that set it.
	Multiplier       string
	BaseSalary       int64
	BaseSalarySource string
	// Fund names where the bonus is paid from: "Quỹ thi đua, khen thưởng tỉnh".
	Fund string
	// Executors are the heads who carry the decision out (Điều 3).
	Executors  string
	Recipients []string
	Signature  Signature
}

// Total is the sum of the awardees' bonuses and whether any is set.
func (d Decision) Total() (int64, bool) {
	var t int64
	any := false
	for _, a := range d.Awardees {
		if a.Amount != nil {
			t += *a.Amount
			any = true
		}
	}
	return t, any
}

// Rendered is a generated document: its bytes and where its signature goes.
type Rendered struct {
	PDF  []byte
	Seal Seal
}

// RenderDecision produces the decision with its annex list as a PDF.
func RenderDecision(d Decision) (Rendered, error) {
	if err := need(map[string]string{"number": d.Header.Number, "issuer": d.Header.Issuer, "award": d.Award,
		"authority": d.Authority, "signer": d.Signature.Name}); err != nil {
		return Rendered{}, err
	}
	if len(d.Awardees) == 0 {
		return Rendered{}, fmt.Errorf("documents: the decision names no awardee")
	}
	w, err := newWriter(Meta{Title: "Quyết định số " + d.Header.Number, Author: d.Header.Issuer, Subject: d.Summary,
		Code: d.Code, Date: d.Header.Date}, false)
	if err != nil {
		return Rendered{}, err
	}
	w.AddPage()
	y := w.header(d.Header)
	y = w.title(y, "Quyết định", d.Summary)
	y = w.centred(marginLeft, y, w.width(), "B", 14, strings.ToUpper(d.Authority))
	w.SetY(y + 4)
	for _, b := range d.Bases {
		w.para("I", 14, "Căn cứ "+strings.TrimSuffix(b, ";")+";")
	}
	if d.Proposal != "" {
		w.para("I", 14, "Xét "+strings.TrimSuffix(d.Proposal, ".")+".")
	}
	w.SetY(w.centred(marginLeft, w.GetY()+2, w.width(), "B", 14, "QUYẾT ĐỊNH:") + 3)
	w.article("Điều 1.", fmt.Sprintf("Tặng %s cho %d %s có tên trong danh sách kèm theo, đã có thành tích %s.",
		d.Award, len(d.Awardees), subjects(d.Awardees), strings.TrimSuffix(d.Achievement, ".")))
	w.article("Điều 2.", d.bonusArticle())
	w.article("Điều 3.", "Quyết định này có hiệu lực kể từ ngày ký. "+strings.TrimSuffix(d.Executors, " ")+
		" và các "+subjects(d.Awardees)+" có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.")
	seal := w.closing(d.Recipients, d.Signature, d.Code, d.VerifyURL)
	d.annex(w)
	b, err := w.bytes()
	return Rendered{PDF: b, Seal: seal}, err
}

// bonusArticle is Điều 2: the amount, in figures and words, from the base salary.
func (d Decision) bonusArticle() string {
	total, ok := d.Total()
	if !ok {
		return "Hình thức khen thưởng tại Điều 1 không kèm theo tiền thưởng."
	}
	var b strings.Builder
	if d.Multiplier != "" {
		fmt.Fprintf(&b, "Mức tiền thưởng bằng %s lần mức lương cơ sở", d.Multiplier)
		if d.BaseSalary > 0 {
			fmt.Fprintf(&b, " (%s đồng", Money(d.BaseSalary))
			if d.BaseSalarySource != "" {
				fmt.Fprintf(&b, " theo %s", d.BaseSalarySource)
			}
			b.WriteString(")")
		}
		b.WriteString("; hộ gia đình bằng 1,5 lần mức tiền thưởng đối với cá nhân. ")
	}
	fmt.Fprintf(&b, "Tổng số tiền thưởng là %s đồng (Bằng chữ: %s)", Money(total), AmountWords(total))
	if d.Fund != "" {
		fmt.Fprintf(&b, ", chi từ %s", d.Fund)
	}
	b.WriteString(".")
	return b.String()
}

// subjects names who a list awards: "tập thể", "hộ gia đình", "cá nhân" or a
// combination such as "tập thể, cá nhân".
func subjects(as []Awardee) string {
	has := map[string]bool{}
	for _, a := range as {
		switch a.Kind {
		case "Tập thể":
			has["tập thể"] = true
		case "Hộ gia đình":
			has["hộ gia đình"] = true
		default:
			has["cá nhân"] = true
		}
	}
	var out []string
	for _, k := range []string{"tập thể", "hộ gia đình", "cá nhân"} {
		if has[k] {
			out = append(out, k)
		}
	}
	if len(out) == 0 {
		return "cá nhân"
	}
	return strings.Join(out, ", ")
}

// verification prints the QR code and the verification code under the recipients.
func (w *writer) verification(code, url string) {
	if code == "" {
		return
	}
	y := w.GetY() + 2
	if url != "" {
		w.qr(marginLeft, y, 17, url)
	}
	w.SetFont(family, "I", 10)
	x, cw := marginLeft+19, 58.0
	if url == "" {
		x = marginLeft
	}
	w.SetXY(x, y+5)
	w.CellFormat(cw, 4.5, "Mã tra cứu: "+code, "", 2, "L", false, 0, "")
	lines := []string{url}
	if i := strings.LastIndex(url, "/"); w.GetStringWidth(url) > cw && i > 0 {
		lines = []string{url[:i+1], url[i+1:]} // the code stays whole on its own line
	}
	for _, l := range lines {
		if l == "" {
			continue
		}
		w.SetX(x)
		w.CellFormat(cw, 4.5, l, "", 2, "L", false, 0, "")
	}
	w.SetY(y + 18)
}

// annex writes the list of awardees on its own pages.
func (d Decision) annex(w *writer) {
	w.AddPage()
	y := w.centred(marginLeft, w.GetY(), w.width(), "B", 14, "DANH SÁCH")
	y = w.centred(marginLeft+10, y, w.width()-20, "B", 14, strings.ToUpper(subjects(d.Awardees)[:1])+subjects(d.Awardees)[1:]+
		" được tặng "+d.Award)
	y = w.centred(marginLeft+5, y+0.5, w.width()-10, "I", 13, "(Kèm theo Quyết định số "+d.Header.Number+" "+
		DateLine("", d.Header.Date)+" của "+titleCase(d.Authority)+")")
	w.rule(marginLeft+w.width()/2, y+1, 35)
	w.SetY(y + 5)
	_, hasAmounts := d.Total()
	cols := []column{{"STT", 12, "C"}, {"Họ và tên", 42, "L"}, {"Chức vụ, đơn vị công tác", 51, "L"}, {"Đối tượng", 20, "C"},
		{"Hình thức", 40, "L"}}
	if hasAmounts {
		cols[2].w, cols[4].w = 42, 26
		cols = append(cols, column{"Số tiền (đồng)", 23, "R"})
	}
	w.tableRow(cols, cellTexts(cols), "B", true)
	for i, a := range d.Awardees {
		row := []string{fmt.Sprint(i + 1), a.Name, a.Position, a.Kind, a.Award}
		if hasAmounts {
			amount := ""
			if a.Amount != nil {
				amount = Money(*a.Amount)
			}
			row = append(row, amount)
		}
		w.tableRow(cols, row, "", false)
	}
	if total, ok := d.Total(); ok {
		sum := make([]column, 2)
		sum[0] = column{"", 0, "C"}
		for _, c := range cols[:len(cols)-1] {
			sum[0].w += c.w
		}
		sum[1] = cols[len(cols)-1]
		w.tableRow(sum, []string{"Tổng cộng", Money(total)}, "B", false)
		w.SetY(w.GetY() + 2)
		w.para("I", 13, "Bằng chữ: "+AmountWords(total)+".")
	}
}

type column struct {
	title string
	w     float64
	align string
}

func cellTexts(cols []column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.title
	}
	return out
}

// tableRow writes one row of a bordered table, each cell wrapped to its width and
// the row as tall as its tallest cell; a row that does not fit starts a new page.
func (w *writer) tableRow(cols []column, texts []string, style string, header bool) {
	const size, h = 12.0, 5.6
	w.SetFont(family, style, size)
	lines := make([][]string, len(cols))
	n := 1
	for i, c := range cols {
		lines[i] = w.SplitText(texts[i], c.w-2)
		n = max(n, len(lines[i]))
	}
	rowH := float64(n)*h + 1.5
	_, ph := w.GetPageSize()
	if w.GetY()+rowH > ph-marginBottom {
		w.AddPage()
	}
	x, y := marginLeft, w.GetY()
	w.SetLineWidth(0.2)
	for i, c := range cols {
		w.Rect(x, y, c.w, rowH, "D")
		align := c.align
		if header {
			align = "C"
		}
		for j, l := range lines[i] {
			w.SetXY(x+1, y+0.75+float64(j)*h)
			w.CellFormat(c.w-2, h, l, "", 0, align, false, 0, "")
		}
		x += c.w
	}
	w.SetXY(marginLeft, y+rowH)
}

// titleCase writes an all-capital title as a sentence inside running text:
// "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN" → "Chủ tịch Ủy ban nhân dân tỉnh Lạng Sơn".
// Words after "tỉnh", "xã", "phường", "huyện", "thành phố" are proper names and keep
// their capitals.
func titleCase(s string) string {
	words := strings.Fields(strings.ToLower(s))
	proper := false
	for i, wd := range words {
		if i == 0 || proper || wd == "ủy" && i > 0 {
			words[i] = upperFirst(wd)
		}
		switch wd {
		case "tỉnh", "xã", "phường", "huyện", "quận", "trấn":
			proper = true
		case "phố":
			if i > 0 && words[i-1] == "thành" {
				proper = true
			}
		}
	}
	return strings.Join(words, " ")
}

func upperFirst(s string) string {
	r := []rune(s)
	if len(r) == 0 {
		return s
	}
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

// need reports the first empty required field.
func need(fields map[string]string) error {
	var missing []string
	for k, v := range fields {
		if strings.TrimSpace(v) == "" {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("documents: missing %s", strings.Join(sortStrings(missing), ", "))
	}
	return nil
}
