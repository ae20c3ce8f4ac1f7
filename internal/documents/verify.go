package documents

import (
	"bytes"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// Issued is what tdkt knows of a document it issued, found by its verification code.
type Issued struct {
	Code      string
	Kind      string // decision, certificate, submission, minutes, return_letter
	Title     string // e.g. "Quyết định số 12/QĐ-UBND"
	Reference string // the decision's number
	Revoked   bool
	RevokedBy string
	// PDF is the issued, unsigned document.
	PDF []byte
}

// Lookup finds an issued document by its verification code; nil, nil when none.
type Lookup func(code string) (*Issued, error)

// Verification is the answer about a signed PDF.
type Verification struct {
	// Valid is true when the signature is intact, covers the whole file and its
	// signer chains to a trust anchor valid at the signing time.
	Valid        bool       `json:"valid"`
	Problems     []string   `json:"problems,omitempty"`
	Signer       string     `json:"signer,omitempty"`
	Organisation string     `json:"organisation,omitempty"`
	SigningTime  *time.Time `json:"signing_time,omitempty"`
	Signatures   int        `json:"signatures"`
	// Tdkt says whether the document carries a tdkt verification code; Code,
	// Kind, Title, Reference and the revocation describe the issued document.
	Tdkt      bool   `json:"tdkt_document"`
	Code      string `json:"code,omitempty"`
	Kind      string `json:"kind,omitempty"`
	Title     string `json:"title,omitempty"`
	Reference string `json:"reference,omitempty"`
	Revoked   bool   `json:"revoked"`
	RevokedBy string `json:"revoked_by,omitempty"`
	// IssuedRevision is true when the signed file is, byte for byte, the document
	// tdkt issued followed by the signature's incremental update.
	IssuedRevision bool `json:"issued_revision"`
}

// Verifier checks signed PDFs against trust anchors and tdkt's issued documents.
type Verifier struct {
	Roots  *x509.CertPool
	Lookup Lookup
}

var (
	reByteRange = regexp.MustCompile(`/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]`)
	reSigM      = regexp.MustCompile(`/M\s*\(D:(\d{14})([Z+\-])?(\d{2})?'?(\d{2})?'?\)`)
	reKeywords  = regexp.MustCompile(`/Keywords\s*\(` + regexp.QuoteMeta(KeywordPrefix) + `([A-Z0-9-]{4,32})\)`)
	reObjDef    = regexp.MustCompile(`(?m)(?:^|[\s>])(\d+)\s+(\d+)\s+obj\b`)
	reContents  = regexp.MustCompile(`/Contents\s*(\[[^\]]*\]|\d+\s+0\s+R)`)
)

// Verify checks the last signature of a PDF and says which tdkt document it is.
func (v Verifier) Verify(pdf []byte) (Verification, error) {
	var out Verification
	problem := func(format string, a ...any) { out.Problems = append(out.Problems, fmt.Sprintf(format, a...)) }
	all := reByteRange.FindAllSubmatchIndex(pdf, -1)
	out.Signatures = len(all)
	if m := reKeywords.FindSubmatch(pdf); m != nil {
		out.Tdkt, out.Code = true, string(m[1])
	}
	var issued *Issued
	if out.Tdkt && v.Lookup != nil {
		var err error
		if issued, err = v.Lookup(out.Code); err != nil {
			return out, err
		}
		if issued == nil {
			out.Tdkt = false
			problem("the verification code %s is not one tdkt issued", out.Code)
		} else {
			out.Kind, out.Title, out.Reference, out.Revoked, out.RevokedBy = issued.Kind, issued.Title, issued.Reference, issued.Revoked, issued.RevokedBy
		}
	}
	if len(all) == 0 {
		problem("the PDF has no signature")
		return out, nil
	}
	last := all[len(all)-1]
	var br [4]int
	for i := range br {
		br[i], _ = strconv.Atoi(string(pdf[last[2+2*i]:last[3+2*i]]))
	}
	if br[0] != 0 || br[1] <= 0 || br[2] <= br[1] || br[2]+br[3] > len(pdf) || pdf[br[1]] != '<' || pdf[br[2]-1] != '>' {
		problem("the signature's byte range is malformed")
		return out, nil
	}
	if br[2]+br[3] != len(pdf) {
		problem("the file was changed after it was signed (%d bytes follow the signed part)", len(pdf)-br[2]-br[3])
	}
	// The value is padded with zeros after the DER, which the parser leaves aside.
	der, err := hex.DecodeString(string(bytes.TrimSpace(pdf[br[1]+1 : br[2]-1])))
	if err != nil {
		problem("the signature value is not hexadecimal")
		return out, nil
	}
	cms, err := parseCMS(der)
	if err != nil {
		problem("%v", err)
		return out, nil
	}
	out.Signer = cms.signer.Subject.CommonName
	if len(cms.signer.Subject.Organization) > 0 {
		out.Organisation = cms.signer.Subject.Organization[0]
	}
	// The signing time: the signature dictionary's /M, else the CMS signingTime.
	objStart := bytes.LastIndex(pdf[:last[0]], []byte("obj"))
	dictEnd := bytes.Index(pdf[br[2]:], []byte("endobj"))
	var dict []byte
	if objStart >= 0 {
		dict = append(dict, pdf[objStart:br[1]]...)
	}
	if dictEnd >= 0 {
		dict = append(dict, pdf[br[2]:br[2]+dictEnd]...)
	}
	if t, ok := parsePDFDate(dict); ok {
		out.SigningTime = &t
	} else if !cms.signingTime.IsZero() {
		t := cms.signingTime
		out.SigningTime = &t
	}
	h := cms.digestHash.New()
	h.Write(pdf[:br[1]])
	h.Write(pdf[br[2] : br[2]+br[3]])
	sigOK := true
	if !bytes.Equal(h.Sum(nil), cms.messageHash) {
		problem("the document does not match its signature: it was changed after signing")
		sigOK = false
	} else if err := cms.checkSignature(); err != nil {
		problem("the signature value is invalid (%v)", err)
		sigOK = false
	}
	trusted := false
	if v.Roots != nil {
		at := time.Now()
		if out.SigningTime != nil {
			at = *out.SigningTime
		}
		inter := x509.NewCertPool()
		for _, c := range cms.certs {
			if c != cms.signer {
				inter.AddCert(c)
			}
		}
		if _, err := cms.signer.Verify(x509.VerifyOptions{Roots: v.Roots, Intermediates: inter, CurrentTime: at,
			KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err != nil {
			problem("the signer's certificate is not trusted at the signing time (%v)", err)
		} else {
			trusted = true
		}
	} else {
		problem("no trust anchor is configured")
	}
	out.Valid = sigOK && trusted && br[2]+br[3] == len(pdf)
	if issued != nil {
		out.IssuedRevision = issuedRevision(pdf, issued.PDF, br, problem)
	}
	return out, nil
}

// issuedRevision checks that signed is issued followed by an incremental update
// that adds a signature and changes no page content.
func issuedRevision(signed, issued []byte, br [4]int, problem func(string, ...any)) bool {
	if len(issued) == 0 || !bytes.HasPrefix(signed, issued) {
		problem("the signed file is not the document tdkt issued: its first revision differs")
		return false
	}
	if br[1] < len(issued) {
		problem("the signature lies inside the issued document")
		return false
	}
	update := signed[len(issued):]
	if bytes.Contains(update, []byte("/ObjStm")) {
		problem("the signed revision adds compressed object streams, which tdkt cannot inspect")
		return false
	}
	xr, err := readClassic(issued)
	if err != nil {
		problem("the issued document cannot be read (%v)", err)
		return false
	}
	pages, _ := xr.pageObjects(issued)
	isPage := map[int]bool{}
	for _, p := range pages {
		isPage[p] = true
	}
	for _, m := range reObjDef.FindAllSubmatchIndex(update, -1) {
		n, _ := strconv.Atoi(string(update[m[2]:m[3]]))
		if _, existed := xr.offsets[n]; !existed {
			continue
		}
		end := bytes.Index(update[m[1]:], []byte("endobj"))
		if end < 0 {
			problem("object %d of the signed revision is not closed", n)
			return false
		}
		body := update[m[1] : m[1]+end]
		switch {
		case n == xr.root:
		case isPage[n]:
			orig, _ := xr.object(issued, n)
			if string(reContents.Find(orig)) != string(reContents.Find(body)) {
				problem("the signed revision changes the content of a page (object %d)", n)
				return false
			}
		default:
			problem("the signed revision changes object %d of the issued document", n)
			return false
		}
	}
	return true
}

// parsePDFDate reads the /M entry of a signature dictionary.
func parsePDFDate(dict []byte) (time.Time, bool) {
	m := reSigM.FindSubmatch(dict)
	if m == nil {
		return time.Time{}, false
	}
	loc := time.UTC
	if len(m[2]) > 0 && m[2][0] != 'Z' && len(m[3]) > 0 {
		hh, _ := strconv.Atoi(string(m[3]))
		mm, _ := strconv.Atoi(string(m[4]))
		off := hh*3600 + mm*60
		if m[2][0] == '-' {
			off = -off
		}
		loc = time.FixedZone("", off)
	}
	t, err := time.ParseInLocation("20060102150405", string(m[1]), loc)
	return t, err == nil
}
