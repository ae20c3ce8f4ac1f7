// Package documents produces tdkt's documents with legal force: the decision and its
// annex, the submission letter, the council minutes, the return letter and the
// certificates, as PDFs in the administrative format of Decree 30/2020/NĐ-CP
// (appendix I: A4, Times-like serif 13–14 pt, margins 20/20/30/15 mm); it signs them
// (PAdES, CMS detached) through a crypto.Signer and verifies signed copies.
//
// The fonts are Liberation Serif 2.1 (metric-compatible with Times New Roman, SIL
// Open Font License, see fonts/LICENSE), vendored and embedded in the binary: the
// bytes of an issued document are what its signature and its verification compare,
// so they must not depend on the fonts of the machine that renders them.
package documents

import (
	"bytes"
	"embed"
	"fmt"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

//go:embed fonts/*.ttf
var fontFS embed.FS

// Page geometry in millimetres (Decree 30/2020, appendix I).
const (
	marginTop    = 20.0
	marginBottom = 20.0
	marginLeft   = 30.0
	marginRight  = 15.0
	pageW        = 210.0
	pageH        = 297.0
	family       = "LiberationSerif"
	lineH        = 6.2 // a 13 pt line with its leading
)

// KeywordPrefix starts the PDF's Keywords entry of every tdkt document; the
// verification code follows it.
const KeywordPrefix = "tdkt-verify:"

// Meta is what a document says about itself in its information dictionary.
type Meta struct {
	Title   string
	Author  string // the issuing body
	Subject string
	// Code is the document's verification code, written into Keywords.
	Code string
	// Date is the document's date; it is also the PDF's creation date, so the same
	// content always renders to the same bytes.
	Date time.Time
}

// writer is an fpdf document with the Decree 30 primitives.
type writer struct {
	*fpdf.Fpdf
	landscape bool
	err       error
}

func newWriter(m Meta, landscape bool) (*writer, error) {
	orientation := "P"
	if landscape {
		orientation = "L"
	}
	f := fpdf.NewCustom(&fpdf.InitType{OrientationStr: orientation, UnitStr: "mm", SizeStr: "A4"})
	for _, st := range []struct{ style, file string }{{"", "Regular"}, {"B", "Bold"}, {"I", "Italic"}, {"BI", "BoldItalic"}} {
		b, err := fontFS.ReadFile("fonts/LiberationSerif-" + st.file + ".ttf")
		if err != nil {
			return nil, fmt.Errorf("documents: font %s: %w", st.file, err)
		}
		f.AddUTF8FontFromBytes(family, st.style, b)
	}
	f.SetMargins(marginLeft, marginTop, marginRight)
	f.SetAutoPageBreak(true, marginBottom)
	f.SetTitle(m.Title, true)
	f.SetAuthor(m.Author, true)
	f.SetSubject(m.Subject, true)
	f.SetCreator("tdkt", false)
	f.SetProducer("tdkt", false)
	if m.Code != "" {
		f.SetKeywords(KeywordPrefix+m.Code, false)
	}
	date := m.Date
	if date.IsZero() {
		date = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	f.SetCreationDate(date)
	f.SetModificationDate(date)
	f.SetCatalogSort(true)
	w := &writer{Fpdf: f, landscape: landscape}
	if !landscape {
		// Decree 30: pages from the second on carry their number, centred in the top margin.
		f.SetHeaderFunc(func() {
			if f.PageNo() > 1 {
				f.SetFont(family, "", 13)
				f.SetXY(marginLeft, 8)
				f.CellFormat(pageW-marginLeft-marginRight, 6, fmt.Sprint(f.PageNo()), "", 0, "C", false, 0, "")
				f.SetXY(marginLeft, marginTop)
			}
		})
	}
	return w, nil
}

// bytes finishes the document.
func (w *writer) bytes() ([]byte, error) {
	if err := w.Error(); err != nil {
		return nil, fmt.Errorf("documents: %w", err)
	}
	var buf bytes.Buffer
	if err := w.Output(&buf); err != nil {
		return nil, fmt.Errorf("documents: %w", err)
	}
	return buf.Bytes(), nil
}

// width is the text width between the margins.
func (w *writer) width() float64 {
	pw, _ := w.GetPageSize()
	l, _, r, _ := w.GetMargins()
	return pw - l - r
}

// centred writes lines centred in the column [x, x+cw), wrapping long ones, and
// returns the y below them.
func (w *writer) centred(x, y, cw float64, style string, size float64, text string) float64 {
	w.SetFont(family, style, size)
	for _, line := range w.SplitText(text, cw) {
		w.SetXY(x, y)
		w.CellFormat(cw, size*0.47, line, "", 0, "C", false, 0, "")
		y += size * 0.47
	}
	return y
}

// rule draws a horizontal line of length l centred at cx.
func (w *writer) rule(cx, y, l float64) {
	w.SetLineWidth(0.3)
	w.Line(cx-l/2, y, cx+l/2, y)
}

// Header is the top of an administrative document: the issuing body with its
// superior, the number and symbol, the national title and motto, place and date.
type Header struct {
	Superior string // cơ quan chủ quản, "" when none (a people's committee has none)
	Issuer   string // e.g. "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN"
	Number   string // e.g. "12/QĐ-UBND"
	Place    string // e.g. "Lạng Sơn"
	Date     time.Time
	// About is the summary of a letter without a kind name (công văn), written
	// under the number as "V/v …"; "" for documents with a kind name.
	About string
}

// DateLine writes "Lạng Sơn, ngày 05 tháng 02 năm 2026": days below 10 and the
// months January and February take a leading zero (Decree 30, appendix I).
func DateLine(place string, d time.Time) string {
	month := fmt.Sprint(int(d.Month()))
	if d.Month() <= 2 {
		month = "0" + month
	}
	s := fmt.Sprintf("ngày %02d tháng %s năm %d", d.Day(), month, d.Year())
	if place == "" {
		return s
	}
	return place + ", " + s
}

// header writes the document's top block and returns the y below it.
func (w *writer) header(h Header) float64 {
	const leftW, gap = 72.0, 3.0
	x0 := marginLeft - 8 // the issuer block may reach into the left margin, as printed forms do
	rightX := x0 + leftW + gap
	rightW := pageW - marginRight - rightX + 4
	y := marginTop
	ly := y
	if h.Superior != "" {
		ly = w.centred(x0, ly, leftW, "", 12.5, strings.ToUpper(h.Superior))
	}
	ly = w.centred(x0, ly, leftW, "B", 12.5, strings.ToUpper(h.Issuer))
	w.rule(x0+leftW/2, ly+0.8, leftW/3)
	ly += 3
	if h.Number != "" { // an internal form (phiếu) has no register number
		ly = w.centred(x0, ly, leftW, "", 13, "Số: "+h.Number)
	}
	if h.About != "" {
		ly = w.centred(x0+4, ly+1, leftW-8, "", 12, "V/v "+h.About)
	}
	ry := y
	size := 12.5
	w.SetFont(family, "B", size)
	ry = w.centred(rightX, ry, rightW, "B", size, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
	motto := "Độc lập - Tự do - Hạnh phúc"
	ry = w.centred(rightX, ry, rightW, "B", 13, motto)
	w.SetFont(family, "B", 13)
	w.rule(rightX+rightW/2, ry+0.8, w.GetStringWidth(motto))
	ry += 3
	ry = w.centred(rightX, ry, rightW, "I", 13, DateLine(h.Place, h.Date))
	return max(ly, ry) + 6
}

// title writes the kind name and the summary, centred and bold, with the short rule
// under the summary, and returns the y below.
func (w *writer) title(y float64, kind, summary string) float64 {
	y = w.centred(marginLeft, y, w.width(), "B", 14, strings.ToUpper(kind))
	if summary != "" {
		y = w.centred(marginLeft+10, y+0.5, w.width()-20, "B", 14, summary)
		w.rule(marginLeft+w.width()/2, y+0.8, 35)
		y += 3
	}
	return y + 3
}

// para writes a justified paragraph with a first-line indent of 1 cm, at the given
// style and size, starting at the current y and moving it down.
func (w *writer) para(style string, size float64, text string) {
	w.paraAt(marginLeft, w.width(), 10, style, size, text)
}

// paraAt writes a justified paragraph in the column [x, x+cw) with a first-line
// indent; the last line is left aligned. Words are placed one by one, so the same
// text always gives the same bytes.
func (w *writer) paraAt(x, cw, indent float64, style string, size float64, text string) {
	w.SetFont(family, style, size)
	h := size*0.42 + 0.9
	space := w.GetStringWidth(" ")
	words := strings.Fields(text)
	var line []string
	lineW := 0.0
	first := true
	flush := func(last bool) {
		if len(line) == 0 {
			return
		}
		avail := cw
		lx := x
		if first {
			avail -= indent
			lx += indent
		}
		y := w.GetY()
		if _, ph := w.GetPageSize(); y+h > ph-marginBottom {
			w.AddPage()
			y = w.GetY()
		}
		gap := space
		if !last && len(line) > 1 {
			gap = (avail - (lineW - space*float64(len(line)-1))) / float64(len(line)-1)
		}
		cx := lx
		for _, word := range line {
			w.SetXY(cx, y)
			ww := w.GetStringWidth(word)
			w.CellFormat(ww, h, word, "", 0, "L", false, 0, "")
			cx += ww + gap
		}
		w.SetXY(x, y+h)
		line, lineW, first = nil, 0, false
	}
	for _, word := range words {
		ww := w.GetStringWidth(word)
		avail := cw
		if first {
			avail -= indent
		}
		add := ww
		if len(line) > 0 {
			add += space
		}
		if len(line) > 0 && lineW+add > avail {
			flush(false)
			add = ww
		}
		line = append(line, word)
		lineW += add
	}
	flush(true)
	w.SetY(w.GetY() + 0.9)
}

// article writes an article: its bold label ("Điều 1.") then its text, justified.
func (w *writer) article(label, text string) {
	w.SetFont(family, "B", 14)
	lw := w.GetStringWidth(label + " ")
	y := w.GetY()
	if _, ph := w.GetPageSize(); y+7 > ph-marginBottom {
		w.AddPage()
		y = w.GetY()
	}
	w.SetXY(marginLeft+10, y)
	w.CellFormat(lw, 14*0.42+0.9, label, "", 0, "L", false, 0, "")
	w.SetXY(marginLeft, y)
	w.paraAt(marginLeft, w.width(), 10+lw, "", 14, text)
}

// Signature is the signing block: the authority (TM., KT., Q., TL., TUQ. or none),
// the body signed for, the title and the signer's name.
type Signature struct {
	// Authority is "TM." (on behalf of a collective body), "KT." (deputy signing for
	// the head), "Q." (acting), "TL." or "TUQ.", or "" when the head signs.
	Authority string
	// For is what the authority is exercised for: the collective body after TM.
	// ("ỦY BAN NHÂN DÂN"), the head's title after KT./Q./TL./TUQ. ("CHỦ TỊCH").
	For string
	// Title is the signer's own title ("CHỦ TỊCH", "PHÓ CHỦ TỊCH").
	Title string
	Name  string
}

// Lines returns the block's capitalised lines above the seal space.
func (s Signature) Lines() []string {
	var out []string
	if s.Authority != "" && s.For != "" {
		out = append(out, strings.ToUpper(s.Authority+" "+s.For))
	}
	if s.Title != "" {
		out = append(out, strings.ToUpper(s.Title))
	}
	return out
}

// Rect is a rectangle on a page in PDF points from the bottom-left corner.
type Rect struct{ X1, Y1, X2, Y2 float64 }

// Seal is where the signature's visible block goes: the space left for the seal
// and the signature, on a page (1-based) of the document.
type Seal struct {
	Page int
	Rect Rect
}

// sealH is the height of the space for the seal and the signature, in millimetres.
const sealH = 24.0

// closing writes Nơi nhận on the left and the signature block on the right, keeping
// them on one page, with the verification code and its QR code (when code is set)
// under the recipients, and returns where the seal space is.
func (w *writer) closing(recipients []string, sig Signature, code, url string) Seal {
	lines := sig.Lines()
	need := float64(len(lines))*6.4 + sealH + 6
	qrH := 0.0
	if code != "" {
		qrH = 19
	}
	if n := float64(len(recipients))*5.2 + 8 + qrH; n > need {
		need = n
	}
	y := w.GetY() + 4
	if y+need > pageH-marginBottom {
		w.AddPage()
		y = w.GetY()
	}
	// Recipients: "Nơi nhận:" bold italic 12, the list 11.
	w.SetFont(family, "BI", 12)
	w.SetXY(marginLeft, y)
	w.CellFormat(70, 5.5, "Nơi nhận:", "", 0, "L", false, 0, "")
	ry := y + 5.8
	w.SetFont(family, "", 11)
	for _, r := range recipients {
		for _, l := range w.SplitText("- "+r, 78) {
			w.SetXY(marginLeft, ry)
			w.CellFormat(78, 4.8, l, "", 0, "L", false, 0, "")
			ry += 4.8
		}
	}
	// Signature block, centred in the right column.
	sx, sw := marginLeft+80.0, w.width()-80
	sy := y
	for _, l := range lines {
		sy = w.centred(sx, sy, sw, "B", 13.5, l)
	}
	seal := sy + 1
	name := seal + sealH
	w.centred(sx, name, sw, "B", 13.5, sig.Name)
	if code != "" {
		w.SetY(ry + 2)
		w.verification(code, url)
		ry = w.GetY()
	}
	w.SetY(max(ry, name+7))
	_, ph := w.GetPageSize()
	return Seal{Page: w.PageNo(), Rect: Rect{X1: mmToPt(sx + 5), Y1: mmToPt(ph - seal - sealH), X2: mmToPt(sx + sw - 5), Y2: mmToPt(ph - seal)}}
}

func mmToPt(mm float64) float64 { return mm * 72 / 25.4 }
