package documents

import (
	"fmt"
	"strings"
)

// Appraisal is the appraisal note (phiếu thẩm định hồ sơ) the standing body writes
// when it has appraised a dossier: what the dossier contains, what was returned
// for supplementing, each nominee against the award's criteria with the
// appraiser's overrides, the appraisers' comments and the conclusion.
type Appraisal struct {
	// Header: Superior is the People's Committee, Issuer the standing body; a
	// phiếu carries no register number (Number "").
	Header Header
	// Code is written into the file's metadata for POST /api/v1/documents/verify;
	// it is not printed: the public page answers for decisions and certificates.
	Code  string
	Award string
	// Facts are the dossier's particulars, each "label: value" (name, submitting
	// unit, submission letter, received on, nominees).
	Facts []string
	// Documents is the intake checklist: each required part and whether it is there.
	Documents []AppraisalDocument
	// Returns are the returns for supplementing: "Công văn số …: thiếu …".
	Returns  []string
	Nominees []AppraisalNominee
	Comments []string
	// Conclusion is the appraisal's result in one paragraph.
	Conclusion string
	Signature  Signature
}

// AppraisalDocument is one line of the intake checklist.
type AppraisalDocument struct {
	Name    string
	Present bool
}

// AppraisalNominee is one nominee's check against the award's criteria.
type AppraisalNominee struct {
	Name     string
	Position string
	// Checked is false when the nominee names no subject whose record could be
	// checked; Eligible is then meaningless.
	Checked  bool
	Eligible bool
	Criteria []AppraisalCriterion
	Warnings []string
}

// AppraisalCriterion is one criterion: met or not, why, and the appraiser's
// override with its reason ("" when none).
type AppraisalCriterion struct {
	Label       string
	Met         bool
	Explanation string
	Override    string
}

// RenderAppraisal produces the appraisal note.
func RenderAppraisal(a Appraisal) (Rendered, error) {
	if err := need(map[string]string{"issuer": a.Header.Issuer, "award": a.Award, "conclusion": a.Conclusion,
		"signer": a.Signature.Name}); err != nil {
		return Rendered{}, err
	}
	w, err := newWriter(Meta{Title: "Phiếu thẩm định hồ sơ đề nghị tặng " + a.Award, Author: a.Header.Issuer,
		Subject: "Thẩm định hồ sơ đề nghị khen thưởng", Code: a.Code, Date: a.Header.Date}, false)
	if err != nil {
		return Rendered{}, err
	}
	w.AddPage()
	y := w.header(a.Header)
	y = w.title(y, "Phiếu thẩm định", "Hồ sơ đề nghị tặng "+a.Award)
	w.SetY(y + 2)
	section := func(title string) {
		w.SetY(w.GetY() + 1)
		w.paraAt(marginLeft, w.width(), 0, "B", 14, title)
	}
	section("I. THÔNG TIN HỒ SƠ")
	for _, f := range a.Facts {
		w.para("", 14, "- "+f+".")
	}
	section("II. THÀNH PHẦN HỒ SƠ")
	if len(a.Documents) == 0 {
		w.para("", 14, "Loại hình khen thưởng này không quy định thành phần hồ sơ bắt buộc.")
	} else {
		cols := []column{{"STT", 12, "C"}, {"Thành phần hồ sơ", 123, "L"}, {"Kết quả", 30, "C"}}
		w.tableRow(cols, cellTexts(cols), "B", true)
		for i, d := range a.Documents {
			res := "Thiếu"
			if d.Present {
				res = "Có"
			}
			w.tableRow(cols, []string{fmt.Sprint(i + 1), d.Name, res}, "", false)
		}
		w.SetY(w.GetY() + 1)
	}
	if len(a.Returns) > 0 {
		section("III. TRẢ LẠI, YÊU CẦU BỔ SUNG")
		for _, r := range a.Returns {
			w.para("", 14, "- "+strings.TrimSuffix(r, ".")+".")
		}
	}
	n := 3
	if len(a.Returns) > 0 {
		n = 4
	}
	section(roman(n) + ". ĐIỀU KIỆN, TIÊU CHUẨN KHEN THƯỞNG")
	cols := []column{{"STT", 12, "C"}, {"Họ và tên / Tên tập thể", 45, "L"}, {"Tiêu chuẩn và kết quả kiểm tra", 82, "L"}, {"Kết luận", 26, "C"}}
	w.tableRow(cols, cellTexts(cols), "B", true)
	for i, nm := range a.Nominees {
		var lines []string
		for _, c := range nm.Criteria {
			mark := "Đạt"
			if !c.Met {
				mark = "Không đạt"
			}
			l := c.Label + ": " + mark
			if c.Explanation != "" {
				l += " (" + strings.TrimSuffix(c.Explanation, ".") + ")"
			}
			if c.Override != "" {
				l += "; người thẩm định xác định: " + c.Override
			}
			lines = append(lines, "- "+l+".")
		}
		for _, wn := range nm.Warnings {
			lines = append(lines, "- Lưu ý: "+strings.TrimSuffix(wn, ".")+".")
		}
		verdict := "Chưa kiểm tra được"
		switch {
		case !nm.Checked:
			if len(lines) == 0 {
				lines = append(lines, "Không có dữ liệu khen thưởng để đối chiếu.")
			}
		case nm.Eligible:
			verdict = "Đủ điều kiện"
		default:
			verdict = "Chưa đủ điều kiện"
		}
		name := nm.Name
		if nm.Position != "" {
			name += ", " + nm.Position
		}
		w.tableRow(cols, []string{fmt.Sprint(i + 1), name, strings.Join(lines, " "), verdict}, "", false)
	}
	w.SetY(w.GetY() + 1)
	n++
	if len(a.Comments) > 0 {
		section(roman(n) + ". Ý KIẾN THẨM ĐỊNH")
		for _, c := range a.Comments {
			w.para("", 14, "- "+strings.TrimSuffix(c, ".")+".")
		}
		n++
	}
	section(roman(n) + ". KẾT LUẬN")
	w.para("", 14, a.Conclusion)
	// The appraiser signs on the right; no recipients on an internal note.
	y = w.GetY() + 4
	lines := a.Signature.Lines()
	if y+float64(len(lines))*6.4+sealH+8 > pageH-marginBottom {
		w.AddPage()
		y = w.GetY()
	}
	sx, sw := marginLeft+80.0, w.width()-80
	for _, l := range lines {
		y = w.centred(sx, y, sw, "B", 13.5, l)
	}
	top := y + 1
	w.centred(sx, top+sealH, sw, "B", 13.5, a.Signature.Name)
	w.SetY(top + sealH + 8)
	seal := Seal{Page: w.PageNo(), Rect: Rect{X1: mmToPt(sx + 5), Y1: mmToPt(pageH - top - sealH), X2: mmToPt(sx + sw - 5), Y2: mmToPt(pageH - top)}}
	b, err := w.bytes()
	return Rendered{PDF: b, Seal: seal}, err
}

func roman(n int) string {
	return [...]string{"", "I", "II", "III", "IV", "V", "VI", "VII", "VIII"}[min(n, 8)]
}
