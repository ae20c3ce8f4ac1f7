package documents

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"unicode/utf16"
)

// classic is the cross-reference table of a PDF written with a classic xref (as
// fpdf writes it): the object offsets and the trailer.
type classic struct {
	startxref int
	offsets   map[int]int
	size      int
	root      int
	info      int
	id        string // the trailer's /ID array, kept as written
}

var (
	reStartxref = regexp.MustCompile(`startxref\s+(\d+)\s+%%EOF\s*$`)
	reSize      = regexp.MustCompile(`/Size\s+(\d+)`)
	reRoot      = regexp.MustCompile(`/Root\s+(\d+)\s+0\s+R`)
	reInfo      = regexp.MustCompile(`/Info\s+(\d+)\s+0\s+R`)
	reID        = regexp.MustCompile(`/ID\s*\[[^\]]*\]`)
	rePages     = regexp.MustCompile(`/Pages\s+(\d+)\s+0\s+R`)
	reKids      = regexp.MustCompile(`/Kids\s*\[([^\]]*)\]`)
	reRef       = regexp.MustCompile(`(\d+)\s+0\s+R`)
	reAnnots    = regexp.MustCompile(`/Annots\s*\[([^\]]*)\]`)
	reAnnotsRef = regexp.MustCompile(`/Annots\s+\d+\s+0\s+R`)
)

// readClassic parses the last cross-reference section of b, which must be a
// classic table (not a cross-reference stream).
func readClassic(b []byte) (*classic, error) {
	m := reStartxref.FindSubmatch(b)
	if m == nil {
		return nil, errors.New("no startxref at the end of the file")
	}
	off, _ := strconv.Atoi(string(m[1]))
	if off <= 0 || off >= len(b) || !bytes.HasPrefix(b[off:], []byte("xref")) {
		return nil, errors.New("only PDFs with a classic cross-reference table can be signed here")
	}
	c := &classic{startxref: off, offsets: map[int]int{}}
	lines := bytes.Split(b[off:], []byte("\n"))
	i := 1
	for i < len(lines) {
		l := bytes.TrimSpace(lines[i])
		if bytes.HasPrefix(l, []byte("trailer")) {
			break
		}
		var first, count int
		if _, err := fmt.Sscanf(string(l), "%d %d", &first, &count); err != nil {
			return nil, fmt.Errorf("bad xref subsection %q", l)
		}
		for k := 0; k < count; k++ {
			i++
			if i >= len(lines) {
				return nil, errors.New("truncated xref table")
			}
			e := bytes.TrimSpace(lines[i])
			if len(e) >= 18 && e[17] == 'n' {
				o, _ := strconv.Atoi(string(e[:10]))
				c.offsets[first+k] = o
			}
		}
		i++
	}
	trailer := b[off:]
	if m := reSize.FindSubmatch(trailer); m != nil {
		c.size, _ = strconv.Atoi(string(m[1]))
	}
	if m := reRoot.FindSubmatch(trailer); m != nil {
		c.root, _ = strconv.Atoi(string(m[1]))
	}
	if m := reInfo.FindSubmatch(trailer); m != nil {
		c.info, _ = strconv.Atoi(string(m[1]))
	}
	if m := reID.Find(trailer); m != nil {
		c.id = string(m)
	}
	if c.size == 0 || c.root == 0 {
		return nil, errors.New("the trailer has no /Size or /Root")
	}
	return c, nil
}

// object returns the body of object n (between "obj" and "endobj").
func (c *classic) object(b []byte, n int) ([]byte, error) {
	off, ok := c.offsets[n]
	if !ok || off >= len(b) {
		return nil, fmt.Errorf("object %d is not in the cross-reference table", n)
	}
	s := b[off:]
	start := bytes.Index(s, []byte("obj"))
	end := bytes.Index(s, []byte("endobj"))
	if start < 0 || end < start {
		return nil, fmt.Errorf("object %d cannot be read", n)
	}
	return bytes.TrimSpace(s[start+3 : end]), nil
}

// pageObjects lists the page objects in order (a flat page tree, as fpdf writes).
func (c *classic) pageObjects(b []byte) ([]int, error) {
	cat, err := c.object(b, c.root)
	if err != nil {
		return nil, err
	}
	m := rePages.FindSubmatch(cat)
	if m == nil {
		return nil, errors.New("the catalog has no /Pages")
	}
	pn, _ := strconv.Atoi(string(m[1]))
	pages, err := c.object(b, pn)
	if err != nil {
		return nil, err
	}
	k := reKids.FindSubmatch(pages)
	if k == nil {
		return nil, errors.New("the page tree has no /Kids")
	}
	var out []int
	for _, r := range reRef.FindAllSubmatch(k[1], -1) {
		n, _ := strconv.Atoi(string(r[1]))
		out = append(out, n)
	}
	return out, nil
}

// pdfText writes s as a PDF text string: UTF-16BE with a byte order mark, in hex.
func pdfText(s string) string {
	var b bytes.Buffer
	b.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", u)
	}
	b.WriteString(">")
	return b.String()
}

// withEntry inserts entry before the closing ">>" of a dictionary.
func withEntry(dict []byte, entry string) ([]byte, error) {
	i := bytes.LastIndex(dict, []byte(">>"))
	if i < 0 {
		return nil, errors.New("not a dictionary")
	}
	out := append([]byte{}, dict[:i]...)
	out = append(out, "\n"+entry+"\n"...)
	return append(out, dict[i:]...), nil
}
