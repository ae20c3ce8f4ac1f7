//go:build cgo

package documents

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ThalesGroup/crypto11"
	"github.com/tdkt/tdkt/internal/documents/keys"
)

// softHSM is Debian's softhsm2 module; the PKCS#11 test needs it.
const softHSM = "/usr/lib/softhsm/libsofthsm2.so"

// TestPKCS11TokenSigns keeps two units' keys on a SoftHSM2 token (one RSA, one
// ECDSA), each with a certificate from a test CA stored on the token under the
// unit's id, then signs the decision through Token.UnitKey and Sign as the product
// does: poppler's pdfsig finds the signature valid and names the signer, and tdkt's
// verifier accepts it against the test CA. A wrong PIN, an unknown token and a
// unit without a key are errors that say so.
func TestPKCS11TokenSigns(t *testing.T) {
	if _, err := os.Stat(softHSM); err != nil {
		t.Skipf("%s is absent: apt-get install softhsm2 (make test does it when run as root)", softHSM)
	}
	util := tool(t, "softhsm2-util", "softhsm2")
	pdfsig := tool(t, "pdfsig", "poppler-utils")

	// A token of our own: SoftHSM reads its configuration from SOFTHSM2_CONF.
	dir := t.TempDir()
	tokens := filepath.Join(dir, "tokens")
	if err := os.Mkdir(tokens, 0o700); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "softhsm2.conf")
	if err := os.WriteFile(conf, []byte("directories.tokendir = "+tokens+"\nobjectstore.backend = file\nlog.level = ERROR\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SOFTHSM2_CONF", conf)
	const label, pin = "tdkt-test", "246810"
	out, err := run(t, util, "--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", "13579135")
	if err != nil {
		t.Fatalf("softhsm2-util: %v\n%s", err, out)
	}
	// "The token has been initialized and is reassigned to slot 1234567"
	m := regexp.MustCompile(`slot (\d+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("softhsm2-util names no slot: %s", out)
	}
	slot, _ := strconv.Atoi(m[1])

	// The test CA, in software; it issues certificates for keys made on the token.
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	caTmpl := &x509.Certificate{SerialNumber: testSerial(), Subject: pkix.Name{CommonName: "tdkt PKCS#11 test CA", Country: []string{"VN"}},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().AddDate(1, 0, 0), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, caKey.Public(), caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	otherKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	otherDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, otherKey.Public(), otherKey)
	if err != nil {
		t.Fatal(err)
	}
	otherCA, _ := x509.ParseCertificate(otherDER)
	other := x509.NewCertPool()
	other.AddCert(otherCA)
	anchors := writeTemp(t, "anchors.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}))

	units := []struct{ id, name, kind string }{
		{"LS-X01", "Ủy ban nhân dân xã Hoàng Văn Thụ", "rsa"},
		{"LS-X02", "Ủy ban nhân dân xã Tân Thành", "ecdsa"},
	}
	setup, err := crypto11.Configure(&crypto11.Config{Path: softHSM, TokenLabel: label, Pin: pin})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range units {
		var pub crypto.PublicKey
		switch u.kind {
		case "rsa":
			s, err := setup.GenerateRSAKeyPairWithLabel([]byte(u.id), []byte(u.id), 2048)
			if err != nil {
				t.Fatal(err)
			}
			pub = s.Public()
		case "ecdsa":
			s, err := setup.GenerateECDSAKeyPairWithLabel([]byte(u.id), []byte(u.id), elliptic.P256())
			if err != nil {
				t.Fatal(err)
			}
			pub = s.Public()
		}
		tmpl := &x509.Certificate{SerialNumber: testSerial(), Subject: pkix.Name{CommonName: u.name, Organization: []string{u.name}, OrganizationalUnit: []string{u.id}, Country: []string{"VN"}},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().AddDate(1, 0, 0),
			KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection}}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, pub, caKey)
		if err != nil {
			t.Fatal(err)
		}
		cert, _ := x509.ParseCertificate(der)
		if err := setup.ImportCertificateWithLabel([]byte(u.id), []byte(u.id), cert); err != nil {
			t.Fatal(err)
		}
	}
	// A key without a certificate.
	if _, err := setup.GenerateECDSAKeyPairWithLabel([]byte("LS-X03"), []byte("LS-X03"), elliptic.P256()); err != nil {
		t.Fatal(err)
	}
	setup.Close()

	tok, err := keys.OpenToken(keys.TokenConfig{Module: softHSM, TokenLabel: label, PIN: pin}, anchors)
	if err != nil {
		t.Fatal(err)
	}
	r, err := RenderDecision(sampleDecision())
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range units {
		k, err := tok.UnitKey(u.id, u.name)
		if err != nil {
			t.Fatalf("%s: %v", u.id, err)
		}
		if len(k.Chain) != 2 || k.Chain[0].Subject.CommonName != u.name || !k.Chain[1].Equal(ca) {
			t.Fatalf("%s: chain %v", u.id, k.Chain)
		}
		if _, soft := k.Signer.(*ecdsa.PrivateKey); soft {
			t.Fatalf("%s: the key left the token", u.id)
		}
		at := time.Now().Truncate(time.Second).In(vn)
		s, err := Sign(r.PDF, r.Seal, k.Signer, k.Chain, SignInfo{Time: at, Reason: "Ban hành Quyết định số 12/QĐ-UBND", Location: "Lạng Sơn"})
		if err != nil {
			t.Fatalf("%s: %v", u.id, err)
		}
		out, err := run(t, pdfsig, writeTemp(t, "decision-pkcs11-"+u.kind+".pdf", s))
		if err != nil {
			t.Fatalf("pdfsig: %v\n%s", err, out)
		}
		for _, want := range []string{"Signature Validation: Signature is Valid.", "Signer Certificate Common Name: " + u.name, "Signature Type: ETSI.CAdES.detached"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: pdfsig does not say %q:\n%s", u.kind, want, out)
			}
		}
		got, err := (Verifier{Roots: tok.Roots()}).Verify(s)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Valid || got.Signer != u.name || got.SigningTime == nil || !got.SigningTime.Equal(at) {
			t.Errorf("%s: tdkt's verification: %+v", u.kind, got)
		}
		// Under another CA's anchor it is refused.
		if got, _ := (Verifier{Roots: other}).Verify(s); got.Valid || !strings.Contains(strings.Join(got.Problems, ";"), "not trusted") {
			t.Errorf("%s: valid without its CA as anchor: %+v", u.kind, got)
		}
	}
	// The same token chosen by its slot number.
	bySlot, err := keys.OpenToken(keys.TokenConfig{Module: softHSM, Slot: &slot, PIN: pin}, anchors)
	if err != nil {
		t.Fatal(err)
	}
	if k, err := bySlot.UnitKey(units[0].id, ""); err != nil || k.Chain[0].Subject.CommonName != units[0].name {
		t.Fatalf("by slot %d: %v", slot, err)
	}
	bySlot.Close()
	if _, err := tok.UnitKey("LS-H01", ""); err == nil || !strings.Contains(err.Error(), `no key pair labelled "LS-H01"`) {
		t.Errorf("a unit without a key: %v", err)
	}
	if _, err := tok.UnitKey("LS-X03", ""); err == nil || !strings.Contains(err.Error(), `no certificate labelled "LS-X03"`) {
		t.Errorf("a key without a certificate: %v", err)
	}
	tok.Close()

	// With every session closed, a wrong PIN is refused as such.
	if _, err := keys.OpenToken(keys.TokenConfig{Module: softHSM, TokenLabel: label, PIN: "111111"}, anchors); err == nil || !strings.Contains(err.Error(), "wrong PIN") {
		t.Errorf("a wrong PIN: %v", err)
	} else {
		t.Log(err)
	}
	if _, err := keys.OpenToken(keys.TokenConfig{Module: softHSM, TokenLabel: "no-such-token", PIN: pin}, anchors); err == nil || !strings.Contains(err.Error(), `"no-such-token"`) {
		t.Errorf("an unknown token: %v", err)
	} else {
		t.Log(err)
	}
	if _, err := keys.OpenToken(keys.TokenConfig{Module: filepath.Join(dir, "missing.so"), TokenLabel: label, PIN: pin}, anchors); err == nil {
		t.Error("a missing module is accepted")
	}
}

// testSerial is a random certificate serial number for the test's certificates.
func testSerial() *big.Int {
	n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 96))
	return n.Add(n, big.NewInt(1))
}
