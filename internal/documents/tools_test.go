package documents

import (
	"bytes"
	"crypto/x509"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tdkt/tdkt/internal/documents/keys"
)

// tool returns the path of a command from a Debian package, skipping the test with
// a clear message when it cannot be had (make test installs them when root).
func tool(t *testing.T, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s is not installed: apt-get install %s (make test does it when run as root)", name, pkg)
	}
	return p
}

func run(t *testing.T, name string, args ...string) (string, error) {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	return string(out), err
}

func writeTemp(t *testing.T, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("DOCS_DUMP"); dir != "" {
		os.WriteFile(filepath.Join(dir, name), b, 0o644)
	}
	return p
}

// signed renders the sample decision and signs it with a unit key of a fresh dev CA.
func signed(t *testing.T, d Decision) (unsigned, signedPDF []byte, pki *keys.DevPKI) {
	return signedAt(t, d, signTime)
}

// signTime is when the tests sign: the dev certificates are valid from a day before
// they are made.
var signTime = time.Now().Truncate(time.Second).In(vn)

func signedAt(t *testing.T, d Decision, at time.Time) (unsigned, signedPDF []byte, pki *keys.DevPKI) {
	t.Helper()
	r, err := RenderDecision(d)
	if err != nil {
		t.Fatal(err)
	}
	pki, err = keys.OpenDevPKI(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	k, err := pki.Unit("LS-X01", "Ủy ban nhân dân xã Hoàng Văn Thụ")
	if err != nil {
		t.Fatal(err)
	}
	s, err := Sign(r.PDF, r.Seal, k.Signer, k.Chain, SignInfo{Time: at,
		Reason: "Ban hành Quyết định số " + d.Header.Number, Location: "Hoàng Văn Thụ"})
	if err != nil {
		t.Fatal(err)
	}
	return r.PDF, s, pki
}

func TestDecisionTextAndFontsCheckedByPoppler(t *testing.T) {
	pdftotext := tool(t, "pdftotext", "poppler-utils")
	pdffonts := tool(t, "pdffonts", "poppler-utils")
	qpdf := tool(t, "qpdf", "qpdf")
	_, s, _ := signed(t, sampleDecision())
	path := writeTemp(t, "decision-signed.pdf", s)
	txt, err := run(t, pdftotext, "-layout", path, "-")
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, txt)
	}
	flat := strings.Join(strings.Fields(txt), " ")
	for _, want := range []string{
		"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Số: 12/QĐ-UBND",
		"Hoàng Văn Thụ, ngày 05 tháng 12 năm 2026", "QUYẾT ĐỊNH", "Về việc tặng Giấy khen",
		"Căn cứ Luật Tổ chức chính quyền địa phương", "Căn cứ Nghị định số 129/2025/NĐ-CP",
		"Điều 1.", "Điều 2.", "Điều 3.", "Nơi nhận:", "Lưu: VT, VHXH.", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lộc Văn Thành",
		"Tổng số tiền thưởng là 3.861.000 đồng (Bằng chữ: Ba triệu tám trăm sáu mươi mốt nghìn đồng)",
		"DANH SÁCH", "Nguyễn Thị Hường", "1.053.000", "Mã tra cứu: K7QD-4M2X",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("pdftotext does not find %q in:\n%s", want, txt)
		}
	}
	fonts, err := run(t, pdffonts, path)
	if err != nil {
		t.Fatalf("pdffonts: %v\n%s", err, fonts)
	}
	lines := strings.Split(strings.TrimSpace(fonts), "\n")
	if len(lines) < 3 {
		t.Fatalf("pdffonts lists no font:\n%s", fonts)
	}
	for _, l := range lines[2:] {
		f := strings.Fields(l)
		// name type encoding emb sub uni object ID: "emb" is the fourth column from the end.
		if len(f) < 7 || f[len(f)-5] != "yes" {
			t.Errorf("font not embedded: %q", l)
		}
		if !strings.Contains(strings.ToLower(l), "liberationserif") {
			t.Errorf("unexpected font %q", l)
		}
	}
	if out, err := run(t, qpdf, "--check", path); err != nil {
		t.Errorf("qpdf --check fails: %v\n%s", err, out)
	}
}

func TestSignatureValidatedByPdfsig(t *testing.T) {
	pdfsig := tool(t, "pdfsig", "poppler-utils")
	_, s, _ := signed(t, sampleDecision())
	path := writeTemp(t, "decision-signed.pdf", s)
	out, err := run(t, pdfsig, path)
	if err != nil {
		t.Fatalf("pdfsig: %v\n%s", err, out)
	}
	for _, want := range []string{"Signature Validation: Signature is Valid.", "Signer Certificate Common Name: Ủy ban nhân dân xã Hoàng Văn Thụ",
		"Signature Type: ETSI.CAdES.detached", "Total document signed"} {
		if !strings.Contains(out, want) {
			t.Errorf("pdfsig does not say %q:\n%s", want, out)
		}
	}
	// One byte changed in the signed part: poppler and tdkt both see it.
	tampered := bytes.Clone(s)
	i := bytes.Index(tampered, []byte("/Title"))
	tampered[i+8] ^= 0x01
	tp := writeTemp(t, "decision-tampered.pdf", tampered)
	out, _ = run(t, pdfsig, tp)
	if strings.Contains(out, "Signature is Valid") || !strings.Contains(out, "Digest Mismatch") {
		t.Errorf("pdfsig accepts a tampered file:\n%s", out)
	}
}

func TestVerifyValidTamperedAndUntrusted(t *testing.T) {
	d := sampleDecision()
	unsigned, s, pki := signed(t, d)
	roots := x509.NewCertPool()
	roots.AddCert(pki.Root())
	lookup := func(code string) (*Issued, error) {
		if code != d.Code {
			return nil, nil
		}
		return &Issued{Code: code, Kind: "decision", Title: "Quyết định số 12/QĐ-UBND", Reference: "12/QĐ-UBND", PDF: unsigned}, nil
	}
	v := Verifier{Roots: roots, Lookup: lookup}
	got, err := v.Verify(s)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Valid || !got.IssuedRevision || !got.Tdkt || got.Code != "K7QD-4M2X" || got.Reference != "12/QĐ-UBND" ||
		got.Signer != "Ủy ban nhân dân xã Hoàng Văn Thụ" || got.SigningTime == nil || !got.SigningTime.Equal(signTime) {
		t.Fatalf("a valid signed decision: %+v", got)
	}

	tampered := bytes.Clone(s)
	i := bytes.Index(tampered, []byte("/Title"))
	tampered[i+8] ^= 0x01
	if got, _ := v.Verify(tampered); got.Valid || !strings.Contains(strings.Join(got.Problems, ";"), "changed after signing") {
		t.Errorf("a tampered decision: %+v", got)
	}

	// Bytes appended after the signature: the signature still holds, the file does not.
	if got, _ := v.Verify(append(bytes.Clone(s), "\n% appended\n"...)); got.Valid {
		t.Errorf("a file with bytes after the signed part: %+v", got)
	}

	// Signed by a CA that is not the trust anchor.
	_, other, _ := signed(t, d)
	if got, _ := v.Verify(other); got.Valid || !strings.Contains(strings.Join(got.Problems, ";"), "not trusted") {
		t.Errorf("a decision signed under another CA: %+v", got)
	}

	// A signing time before the certificate was valid.
	_, early, earlyPKI := signedAt(t, d, signTime.AddDate(0, 0, -3))
	earlyRoots := x509.NewCertPool()
	earlyRoots.AddCert(earlyPKI.Root())
	if got, _ := (Verifier{Roots: earlyRoots}).Verify(early); got.Valid || !strings.Contains(strings.Join(got.Problems, ";"), "expired or is not yet valid") {
		t.Errorf("signed before the certificate's validity: %+v", got)
	}

	// The same code on another document: valid signature, but not the issued revision.
	d2 := sampleDecision()
	d2.Awardees[0].Name = "Nguyễn Thị Hương"
	_, forged, _ := signed(t, d2)
	if got, _ := (Verifier{Roots: nil, Lookup: lookup}).Verify(forged); got.IssuedRevision {
		t.Errorf("another document with the same code: %+v", got)
	}

	// An unsigned PDF.
	if got, _ := v.Verify(unsigned); got.Valid || got.Signatures != 0 || !got.Tdkt {
		t.Errorf("an unsigned decision: %+v", got)
	}
}

func TestPKCS12LoadsAndSigns(t *testing.T) {
	openssl := tool(t, "openssl", "openssl")
	pkiDir := t.TempDir()
	pki, err := keys.OpenDevPKI(pkiDir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pki.Unit("LS", "Ủy ban nhân dân tỉnh Lạng Sơn"); err != nil {
		t.Fatal(err)
	}
	p12 := filepath.Join(t.TempDir(), "ls.p12")
	out, err := run(t, openssl, "pkcs12", "-export", "-inkey", filepath.Join(pkiDir, "unit-LS.key"), "-in", filepath.Join(pkiDir, "unit-LS.pem"),
		"-certfile", filepath.Join(pkiDir, "ca.pem"), "-keypbe", "PBE-SHA1-3DES", "-certpbe", "PBE-SHA1-3DES", "-macalg", "sha1",
		"-passout", "pass:mật-khẩu", "-out", p12)
	if err != nil {
		t.Fatalf("openssl: %v\n%s", err, out)
	}
	if _, err := keys.LoadPKCS12(p12, "wrong"); err == nil {
		t.Error("a wrong password is accepted")
	}
	k, err := keys.LoadPKCS12(p12, "mật-khẩu")
	if err != nil {
		t.Fatal(err)
	}
	if k.Chain[0].Subject.CommonName != "Ủy ban nhân dân tỉnh Lạng Sơn" || len(k.Chain) != 2 {
		t.Fatalf("chain %v", k.Chain)
	}
	r, err := RenderDecision(sampleDecision())
	if err != nil {
		t.Fatal(err)
	}
	s, err := Sign(r.PDF, r.Seal, k.Signer, k.Chain, SignInfo{Time: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(pki.Root())
	if got, _ := (Verifier{Roots: roots}).Verify(s); !got.Valid {
		t.Errorf("signed with the PKCS#12 key: %+v", got)
	}

	// The production configuration: a folder of <unit id>.p12 and the anchors' PEM.
	if _, err := keys.OpenKeyDir(filepath.Dir(p12), "mật-khẩu", filepath.Join(pkiDir, "unit-LS.key")); err == nil {
		t.Error("a key file is accepted as trust anchors")
	}
	os.Rename(p12, filepath.Join(filepath.Dir(p12), "LS.p12"))
	kd, err := keys.OpenKeyDir(filepath.Dir(p12), "mật-khẩu", filepath.Join(pkiDir, "ca.pem"))
	if err != nil {
		t.Fatal(err)
	}
	if k, err := kd.UnitKey("LS", ""); err != nil || k.Chain[0].Subject.CommonName != "Ủy ban nhân dân tỉnh Lạng Sơn" {
		t.Fatalf("UnitKey: %v", err)
	}
	if _, err := kd.UnitKey("LS-H01", ""); err == nil {
		t.Error("a unit without a key file has a key")
	}
	if got, _ := (Verifier{Roots: kd.Roots()}).Verify(s); !got.Valid {
		t.Errorf("verified against the configured anchors: %+v", got)
	}
}

func TestAmountWords(t *testing.T) {
	for n, want := range map[int64]string{
		0: "Không đồng", 15: "Mười lăm đồng", 21: "Hai mươi mốt đồng", 105: "Một trăm linh năm đồng",
		702000: "Bảy trăm linh hai nghìn đồng", 1053000: "Một triệu không trăm năm mươi ba nghìn đồng",
		1404000: "Một triệu bốn trăm linh bốn nghìn đồng", 3861000: "Ba triệu tám trăm sáu mươi mốt nghìn đồng",
		24000000: "Hai mươi tư triệu đồng", 1000000000: "Một tỷ đồng", 2005000000: "Hai tỷ không trăm linh năm triệu đồng",
		34: "Ba mươi tư đồng",
	} {
		if got := AmountWords(n); got != want {
			t.Errorf("AmountWords(%d) = %q, want %q", n, got, want)
		}
	}
	if got := Money(3861000); got != "3.861.000" {
		t.Errorf("Money = %q", got)
	}
	if got := DateLine("Lạng Sơn", time.Date(2026, 2, 5, 0, 0, 0, 0, time.UTC)); got != "Lạng Sơn, ngày 05 tháng 02 năm 2026" {
		t.Errorf("DateLine = %q", got)
	}
	if got := DateLine("", time.Date(2026, 7, 15, 0, 0, 0, 0, time.UTC)); got != "ngày 15 tháng 7 năm 2026" {
		t.Errorf("DateLine = %q", got)
	}
}
