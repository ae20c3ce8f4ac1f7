package documents

import (
	"bytes"
	"compress/zlib"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"
	"unicode/utf16"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// contentsReserve is the room kept for the CMS signature, in bytes (the hex string
// in the file is twice as long): enough for a chain of several certificates.
const contentsReserve = 12 * 1024

// SignInfo is what a signature says besides the CMS: when, why and where.
type SignInfo struct {
	Time     time.Time
	Reason   string // e.g. "Ban hành Quyết định số 12/QĐ-UBND"
	Location string // e.g. "Lạng Sơn"
}

// Sign appends a PAdES baseline signature (ETSI.CAdES.detached) to a PDF that tdkt
// generated, as an incremental update: the original bytes are kept as they are, and
// a signature field with a visible block is added over the seal space. chain[0] is
// the signer's certificate, followed by any intermediates; signer holds its key
// (a software key, a PKCS#12 file, or a token behind crypto.Signer).
func Sign(pdf []byte, seal Seal, signer crypto.Signer, chain []*x509.Certificate, info SignInfo) ([]byte, error) {
	if len(chain) == 0 {
		return nil, errors.New("documents: signing needs the signer's certificate")
	}
	xr, err := readClassic(pdf)
	if err != nil {
		return nil, fmt.Errorf("documents: %w", err)
	}
	cat, err := xr.object(pdf, xr.root)
	if err != nil {
		return nil, fmt.Errorf("documents: %w", err)
	}
	if bytes.Contains(cat, []byte("/AcroForm")) {
		return nil, errors.New("documents: the PDF already has a form or a signature")
	}
	pages, err := xr.pageObjects(pdf)
	if err != nil {
		return nil, fmt.Errorf("documents: %w", err)
	}
	if seal.Page < 1 || seal.Page > len(pages) {
		return nil, fmt.Errorf("documents: the seal is on page %d of %d", seal.Page, len(pages))
	}
	pageNum := pages[seal.Page-1]
	page, err := xr.object(pdf, pageNum)
	if err != nil {
		return nil, fmt.Errorf("documents: %w", err)
	}
	if info.Time.IsZero() {
		info.Time = time.Now()
	}
	n := xr.size
	sigObj, widget, ap, font := n, n+1, n+2, n+3
	ref := func(o int) string { return fmt.Sprintf("%d 0 R", o) }

	// The page with the widget added to its annotations.
	switch {
	case reAnnots.Match(page):
		page = reAnnots.ReplaceAll(page, []byte("/Annots [$1 "+ref(widget)+"]"))
	case reAnnotsRef.Match(page):
		return nil, errors.New("documents: the page's annotations are an indirect array")
	default:
		if page, err = withEntry(page, "/Annots ["+ref(widget)+"]"); err != nil {
			return nil, fmt.Errorf("documents: page: %w", err)
		}
	}
	if cat, err = withEntry(cat, "/AcroForm << /Fields ["+ref(widget)+"] /SigFlags 3 >>"); err != nil {
		return nil, fmt.Errorf("documents: catalog: %w", err)
	}
	cert := chain[0]
	signerName := cert.Subject.CommonName
	org := ""
	if len(cert.Subject.Organization) > 0 {
		org = cert.Subject.Organization[0]
	}
	stream, fontObjs, err := appearance(seal.Rect, signerName, org, info.Time, ref(font), font)
	if err != nil {
		return nil, err
	}
	rect := seal.Rect
	placeholderBR := "/ByteRange [0 0 0 0]" + strings.Repeat(" ", 40)
	objs := []struct {
		num  int
		body string
	}{
		{sigObj, "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached " + placeholderBR +
			" /Contents <" + strings.Repeat("0", contentsReserve*2) + ">" +
			" /M " + pdfDate(info.Time) + " /Name " + pdfText(signerName) + " /Reason " + pdfText(info.Reason) +
			" /Location " + pdfText(info.Location) + " >>"},
		{widget, fmt.Sprintf("<< /Type /Annot /Subtype /Widget /FT /Sig /T %s /V %s /F 132 /P %s /Rect [%.2f %.2f %.2f %.2f] /AP << /N %s >> >>",
			pdfText("Chữ ký số"), ref(sigObj), ref(pageNum), rect.X1, rect.Y1, rect.X2, rect.Y2, ref(ap))},
		{ap, stream},
		{pageNum, string(page)},
		{xr.root, string(cat)},
	}
	objs = append(objs, fontObjs...)
	var upd bytes.Buffer
	base := len(pdf)
	if !bytes.HasSuffix(pdf, []byte("\n")) {
		upd.WriteByte('\n')
	}
	offsets := map[int]int{}
	maxObj := 0
	for _, o := range objs {
		offsets[o.num] = base + upd.Len()
		maxObj = max(maxObj, o.num)
		fmt.Fprintf(&upd, "%d 0 obj\n%s\nendobj\n", o.num, o.body)
	}
	xrefAt := base + upd.Len()
	upd.WriteString("xref\n0 1\n0000000000 65535 f \n")
	for o := 1; o <= maxObj; o++ {
		off, ok := offsets[o]
		if !ok {
			continue
		}
		fmt.Fprintf(&upd, "%d 1\n%010d 00000 n \n", o, off)
	}
	trailer := fmt.Sprintf("trailer\n<< /Size %d /Root %s /Prev %d", maxObj+1, ref(xr.root), xr.startxref)
	if xr.info != 0 {
		trailer += " /Info " + ref(xr.info)
	}
	if xr.id != "" {
		trailer += " " + xr.id
	}
	fmt.Fprintf(&upd, "%s >>\nstartxref\n%d\n%%%%EOF\n", trailer, xrefAt)

	out := append(append([]byte{}, pdf...), upd.Bytes()...)
	brAt := bytes.LastIndex(out, []byte(placeholderBR))
	cStart := bytes.Index(out[brAt:], []byte("/Contents <")) + brAt + len("/Contents ")
	cEnd := cStart + contentsReserve*2 + 2
	br := fmt.Sprintf("/ByteRange [0 %d %d %d]", cStart, cEnd, len(out)-cEnd)
	if len(br) > len(placeholderBR) {
		return nil, errors.New("documents: the byte range does not fit its placeholder")
	}
	copy(out[brAt:], br+strings.Repeat(" ", len(placeholderBR)-len(br)))
	h := sha256.New()
	h.Write(out[:cStart])
	h.Write(out[cEnd:])
	cms, err := signCMS(h.Sum(nil), signer, chain)
	if err != nil {
		return nil, err
	}
	if len(cms) > contentsReserve {
		return nil, fmt.Errorf("documents: the signature (%d bytes) exceeds the %d reserved", len(cms), contentsReserve)
	}
	copy(out[cStart+1:], strings.ToUpper(hex.EncodeToString(cms)))
	return out, nil
}

// pdfDate writes a time as a PDF date: (D:20261205093000+07'00').
func pdfDate(t time.Time) string {
	_, off := t.Zone()
	sign := "+"
	if off < 0 {
		sign, off = "-", -off
	}
	return fmt.Sprintf("(D:%s%s%02d'%02d')", t.Format("20060102150405"), sign, off/3600, off%3600/60)
}

var (
	apFontOnce sync.Once
	apFont     *sfnt.Font
	apFontRaw  []byte
	apFontErr  error
)

// appearance returns the visible signature block's form XObject and the font
// objects it uses: the embedded Liberation Serif as a CID font (Identity-H), so any
// Vietnamese name can be written.
func appearance(r Rect, name, org string, at time.Time, fontRef string, fontObj int) (string, []struct {
	num  int
	body string
}, error) {
	apFontOnce.Do(func() {
		apFontRaw, apFontErr = fontFS.ReadFile("fonts/LiberationSerif-Regular.ttf")
		if apFontErr == nil {
			apFont, apFontErr = sfnt.Parse(apFontRaw)
		}
	})
	if apFontErr != nil {
		return "", nil, fmt.Errorf("documents: appearance font: %w", apFontErr)
	}
	w, h := r.X2-r.X1, r.Y2-r.Y1
	lines := []string{"Ký bởi: " + name}
	if org != "" && org != name {
		lines = append(lines, "Cơ quan: "+org)
	}
	lines = append(lines, "Thời gian ký: "+at.Format("02/01/2006 15:04:05 -07:00"))
	var buf sfnt.Buffer
	upem := float64(apFont.UnitsPerEm())
	widths := map[sfnt.GlyphIndex]int{}
	runes := map[sfnt.GlyphIndex]rune{}
	encode := func(s string) (string, float64, error) {
		var hexs strings.Builder
		total := 0.0
		for _, c := range s {
			g, err := apFont.GlyphIndex(&buf, c)
			if err != nil || g == 0 {
				g, _ = apFont.GlyphIndex(&buf, '?')
			}
			adv, err := apFont.GlyphAdvance(&buf, g, fixed.Int26_6(apFont.UnitsPerEm())<<6, 0)
			if err != nil {
				return "", 0, err
			}
			wd := int(math.Round(float64(adv>>6) * 1000 / upem))
			widths[g] = wd
			if _, ok := runes[g]; !ok {
				runes[g] = c
			}
			total += float64(wd)
			fmt.Fprintf(&hexs, "%04X", uint16(g))
		}
		return hexs.String(), total / 1000, nil
	}
	size := 10.0
	enc := make([]string, len(lines))
	for i, l := range lines {
		e, wd, err := encode(l)
		if err != nil {
			return "", nil, fmt.Errorf("documents: appearance: %w", err)
		}
		enc[i] = e
		size = math.Min(size, (w-12)/wd)
	}
	var s strings.Builder
	fmt.Fprintf(&s, "q 0.75 0 0 RG 1 w 2 2 %.2f %.2f re S Q\n", w-4, h-4)
	lead := size * 1.35
	y := h/2 + lead*float64(len(lines))/2 - size
	for _, e := range enc {
		fmt.Fprintf(&s, "BT 0.75 0 0 rg /F1 %.2f Tf 6 %.2f Td <%s> Tj ET\n", size, y, e)
		y -= lead
	}
	content := s.String()
	stream := fmt.Sprintf("<< /Type /XObject /Subtype /Form /BBox [0 0 %.2f %.2f] /Resources << /Font << /F1 %s >> >> /Length %d >>\nstream\n%s\nendstream",
		w, h, fontRef, len(content), content)

	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(apFontRaw)
	zw.Close()
	var wArr strings.Builder
	for g, wd := range sortedWidths(widths) {
		fmt.Fprintf(&wArr, "%d [%d] ", g, wd)
	}
	// ToUnicode lets text extraction read the block (pdftotext reads appearances).
	var cmap strings.Builder
	cmap.WriteString("/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def /CMapName /Adobe-Identity-UCS def /CMapType 2 def 1 begincodespacerange <0000> <FFFF> endcodespacerange\n")
	fmt.Fprintf(&cmap, "%d beginbfchar\n", len(runes))
	for g := range sortedWidths(widths) {
		u := utf16.Encode([]rune{runes[g]})
		fmt.Fprintf(&cmap, "<%04X> <", uint16(g))
		for _, x := range u {
			fmt.Fprintf(&cmap, "%04X", x)
		}
		cmap.WriteString(">\n")
	}
	cmap.WriteString("endbfchar endcmap CMapName currentdict /CMap defineresource pop end end")
	ref := func(o int) string { return fmt.Sprintf("%d 0 R", o) }
	objs := []struct {
		num  int
		body string
	}{
		{fontObj, fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /LiberationSerif /Encoding /Identity-H /DescendantFonts [%s] /ToUnicode %s >>", ref(fontObj+1), ref(fontObj+4))},
		{fontObj + 1, fmt.Sprintf("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /LiberationSerif /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor %s /CIDToGIDMap /Identity /DW 500 /W [%s] >>", ref(fontObj+2), wArr.String())},
		{fontObj + 2, fmt.Sprintf("<< /Type /FontDescriptor /FontName /LiberationSerif /Flags 34 /FontBBox [-543 -303 1278 982] /ItalicAngle 0 /Ascent 891 /Descent -216 /CapHeight 662 /StemV 80 /FontFile2 %s >>", ref(fontObj+3))},
		{fontObj + 3, fmt.Sprintf("<< /Length %d /Length1 %d /Filter /FlateDecode >>\nstream\n%s\nendstream", z.Len(), len(apFontRaw), z.String())},
		{fontObj + 4, fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", cmap.Len(), cmap.String())},
	}
	return stream, objs, nil
}

// sortedWidths returns the glyph widths ordered by glyph, so the output is stable.
func sortedWidths(m map[sfnt.GlyphIndex]int) func(yield func(sfnt.GlyphIndex, int) bool) {
	return func(yield func(sfnt.GlyphIndex, int) bool) {
		keys := make([]int, 0, len(m))
		for g := range m {
			keys = append(keys, int(g))
		}
		sortInts(keys)
		for _, k := range keys {
			if !yield(sfnt.GlyphIndex(k), m[sfnt.GlyphIndex(k)]) {
				return
			}
		}
	}
}
