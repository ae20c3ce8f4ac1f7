package documents

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"time"
)

// CMS (RFC 5652) object identifiers.
var (
	oidData                 = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidSignedData           = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidContentType          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	oidMessageDigest        = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
	oidSigningTime          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 5}
	oidSigningCertificateV2 = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 47}
	oidSHA1                 = asn1.ObjectIdentifier{1, 3, 14, 3, 2, 26}
	oidSHA256               = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidSHA384               = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 2}
	oidSHA512               = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 3}
	oidRSA                  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	oidSHA1WithRSA          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 5}
	oidSHA256WithRSA        = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 11}
	oidSHA384WithRSA        = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 12}
	oidSHA512WithRSA        = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 13}
	oidECDSAWithSHA256      = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
	oidECDSAWithSHA384      = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 3}
	oidECDSAWithSHA512      = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 4}
	oidECPublicKey          = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
)

type contentInfo struct {
	ContentType asn1.ObjectIdentifier
	Content     asn1.RawValue `asn1:"explicit,optional,tag:0"`
}

type signedData struct {
	Version          int
	DigestAlgorithms []pkix.AlgorithmIdentifier `asn1:"set"`
	EncapContentInfo contentInfo
	Certificates     asn1.RawValue `asn1:"optional,tag:0"`
	CRLs             asn1.RawValue `asn1:"optional,tag:1"`
	SignerInfos      []signerInfo  `asn1:"set"`
}

type issuerAndSerial struct {
	Issuer asn1.RawValue
	Serial *big.Int
}

type signerInfo struct {
	Version            int
	SID                asn1.RawValue
	DigestAlgorithm    pkix.AlgorithmIdentifier
	SignedAttrs        asn1.RawValue `asn1:"optional,tag:0"`
	SignatureAlgorithm pkix.AlgorithmIdentifier
	Signature          []byte
	UnsignedAttrs      asn1.RawValue `asn1:"optional,tag:1"`
}

type attribute struct {
	Type   asn1.ObjectIdentifier
	Values asn1.RawValue // SET OF
}

// essCertIDv2 and signingCertificateV2 are RFC 5035's attribute, required by
// CAdES/PAdES baseline signatures; SHA-256 is the default hash and is omitted.
type essCertIDv2 struct {
	Hash []byte
}

type signingCertificateV2 struct {
	Certs []essCertIDv2
}

func attr(oid asn1.ObjectIdentifier, value any) (attribute, error) {
	b, err := asn1.Marshal(value)
	if err != nil {
		return attribute{}, err
	}
	return attribute{Type: oid, Values: asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true, Bytes: b}}, nil
}

// signCMS returns a detached CMS SignedData over digest (SHA-256 of the signed byte
// ranges) with the signed attributes of a PAdES baseline B-B signature.
func signCMS(digest []byte, signer crypto.Signer, chain []*x509.Certificate) ([]byte, error) {
	if len(chain) == 0 {
		return nil, errors.New("documents: signing needs the signer's certificate")
	}
	cert := chain[0]
	certHash := sha256.Sum256(cert.Raw)
	var attrs []attribute
	for _, a := range []struct {
		oid asn1.ObjectIdentifier
		v   any
	}{
		{oidContentType, oidData},
		{oidMessageDigest, digest},
		{oidSigningCertificateV2, signingCertificateV2{Certs: []essCertIDv2{{Hash: certHash[:]}}}},
	} {
		at, err := attr(a.oid, a.v)
		if err != nil {
			return nil, err
		}
		attrs = append(attrs, at)
	}
	// DER: the attributes of a SET OF are sorted by their encodings.
	encoded := make([][]byte, len(attrs))
	for i, a := range attrs {
		b, err := asn1.Marshal(a)
		if err != nil {
			return nil, err
		}
		encoded[i] = b
	}
	slices.SortFunc(encoded, bytes.Compare)
	setBody := bytes.Join(encoded, nil)
	toSign, err := asn1.Marshal(asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true, Bytes: setBody})
	if err != nil {
		return nil, err
	}
	h := sha256.Sum256(toSign)
	sigAlg := pkix.AlgorithmIdentifier{Algorithm: oidSHA256WithRSA, Parameters: asn1.NullRawValue}
	switch signer.Public().(type) {
	case *rsa.PublicKey:
	case *ecdsa.PublicKey:
		sigAlg = pkix.AlgorithmIdentifier{Algorithm: oidECDSAWithSHA256}
	default:
		return nil, fmt.Errorf("documents: unsupported key type %T", signer.Public())
	}
	sig, err := signer.Sign(rand.Reader, h[:], crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("documents: signing: %w", err)
	}
	var certs []byte
	for _, c := range chain {
		certs = append(certs, c.Raw...)
	}
	si := signerInfo{
		Version:            1,
		SID:                asn1.RawValue{FullBytes: mustMarshal(issuerAndSerial{Issuer: asn1.RawValue{FullBytes: cert.RawIssuer}, Serial: cert.SerialNumber})},
		DigestAlgorithm:    pkix.AlgorithmIdentifier{Algorithm: oidSHA256, Parameters: asn1.NullRawValue},
		SignedAttrs:        asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: setBody},
		SignatureAlgorithm: sigAlg,
		Signature:          sig,
	}
	sd := signedData{
		Version:          1,
		DigestAlgorithms: []pkix.AlgorithmIdentifier{{Algorithm: oidSHA256, Parameters: asn1.NullRawValue}},
		EncapContentInfo: contentInfo{ContentType: oidData},
		Certificates:     asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: certs},
		SignerInfos:      []signerInfo{si},
	}
	inner, err := asn1.Marshal(sd)
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(struct {
		ContentType asn1.ObjectIdentifier
		Content     asn1.RawValue
	}{oidSignedData, asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: inner}})
}

func mustMarshal(v any) []byte {
	b, err := asn1.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// parsedCMS is what verification reads from a CMS SignedData.
type parsedCMS struct {
	certs       []*x509.Certificate
	signer      *x509.Certificate
	digestHash  crypto.Hash
	messageHash []byte
	signingTime time.Time
	// signedAttrs is the DER of the signed attributes as a SET, which the signature covers.
	signedAttrs []byte
	sigAlg      x509.SignatureAlgorithm
	signature   []byte
}

func hashOf(oid asn1.ObjectIdentifier) (crypto.Hash, bool) {
	switch {
	case oid.Equal(oidSHA256):
		return crypto.SHA256, true
	case oid.Equal(oidSHA384):
		return crypto.SHA384, true
	case oid.Equal(oidSHA512):
		return crypto.SHA512, true
	case oid.Equal(oidSHA1):
		return crypto.SHA1, true
	}
	return 0, false
}

// sigAlgorithm maps a SignerInfo's algorithms to x509's; CMS often names only the
// key type (rsaEncryption), leaving the hash to the digest algorithm.
func sigAlgorithm(sig asn1.ObjectIdentifier, h crypto.Hash) x509.SignatureAlgorithm {
	switch {
	case sig.Equal(oidSHA256WithRSA):
		return x509.SHA256WithRSA
	case sig.Equal(oidSHA384WithRSA):
		return x509.SHA384WithRSA
	case sig.Equal(oidSHA512WithRSA):
		return x509.SHA512WithRSA
	case sig.Equal(oidSHA1WithRSA):
		return x509.SHA1WithRSA
	case sig.Equal(oidECDSAWithSHA256):
		return x509.ECDSAWithSHA256
	case sig.Equal(oidECDSAWithSHA384):
		return x509.ECDSAWithSHA384
	case sig.Equal(oidECDSAWithSHA512):
		return x509.ECDSAWithSHA512
	case sig.Equal(oidRSA):
		switch h {
		case crypto.SHA256:
			return x509.SHA256WithRSA
		case crypto.SHA384:
			return x509.SHA384WithRSA
		case crypto.SHA512:
			return x509.SHA512WithRSA
		case crypto.SHA1:
			return x509.SHA1WithRSA
		}
	case sig.Equal(oidECPublicKey):
		switch h {
		case crypto.SHA256:
			return x509.ECDSAWithSHA256
		case crypto.SHA384:
			return x509.ECDSAWithSHA384
		case crypto.SHA512:
			return x509.ECDSAWithSHA512
		}
	}
	return x509.UnknownSignatureAlgorithm
}

// parseCMS reads a detached SignedData with one signer.
func parseCMS(der []byte) (*parsedCMS, error) {
	var ci contentInfo
	if _, err := asn1.Unmarshal(der, &ci); err != nil {
		return nil, fmt.Errorf("the signature is not a CMS structure (%v)", err)
	}
	if !ci.ContentType.Equal(oidSignedData) {
		return nil, errors.New("the signature is not CMS SignedData")
	}
	var sd signedData
	if _, err := asn1.Unmarshal(ci.Content.Bytes, &sd); err != nil {
		return nil, fmt.Errorf("the CMS SignedData cannot be read (%v)", err)
	}
	if len(sd.SignerInfos) != 1 {
		return nil, fmt.Errorf("the signature has %d signers, expected one", len(sd.SignerInfos))
	}
	p := &parsedCMS{}
	rest := sd.Certificates.Bytes
	for len(rest) > 0 {
		var raw asn1.RawValue
		var err error
		if rest, err = asn1.Unmarshal(rest, &raw); err != nil {
			return nil, fmt.Errorf("the signature's certificates cannot be read (%v)", err)
		}
		if raw.Class != asn1.ClassUniversal {
			continue // attribute certificates and other choices are not used here
		}
		c, err := x509.ParseCertificate(raw.FullBytes)
		if err != nil {
			return nil, fmt.Errorf("a certificate in the signature cannot be read (%v)", err)
		}
		p.certs = append(p.certs, c)
	}
	si := sd.SignerInfos[0]
	var ias issuerAndSerial
	if _, err := asn1.Unmarshal(si.SID.FullBytes, &ias); err == nil {
		for _, c := range p.certs {
			if bytes.Equal(c.RawIssuer, ias.Issuer.FullBytes) && c.SerialNumber.Cmp(ias.Serial) == 0 {
				p.signer = c
			}
		}
	} else if si.SID.Class == asn1.ClassContextSpecific && si.SID.Tag == 0 {
		for _, c := range p.certs {
			if bytes.Equal(c.SubjectKeyId, si.SID.Bytes) {
				p.signer = c
			}
		}
	}
	if p.signer == nil {
		return nil, errors.New("the signer's certificate is not in the signature")
	}
	h, ok := hashOf(si.DigestAlgorithm.Algorithm)
	if !ok {
		return nil, fmt.Errorf("unsupported digest algorithm %v", si.DigestAlgorithm.Algorithm)
	}
	p.digestHash = h
	p.sigAlg = sigAlgorithm(si.SignatureAlgorithm.Algorithm, h)
	p.signature = si.Signature
	if len(si.SignedAttrs.Bytes) == 0 {
		return nil, errors.New("the signature has no signed attributes")
	}
	set, err := asn1.Marshal(asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true, Bytes: si.SignedAttrs.Bytes})
	if err != nil {
		return nil, err
	}
	p.signedAttrs = set
	rest = si.SignedAttrs.Bytes
	for len(rest) > 0 {
		var a attribute
		if rest, err = asn1.Unmarshal(rest, &a); err != nil {
			return nil, fmt.Errorf("a signed attribute cannot be read (%v)", err)
		}
		switch {
		case a.Type.Equal(oidMessageDigest):
			if _, err := asn1.Unmarshal(a.Values.Bytes, &p.messageHash); err != nil {
				return nil, errors.New("the message digest attribute cannot be read")
			}
		case a.Type.Equal(oidSigningTime):
			var t time.Time
			if _, err := asn1.Unmarshal(a.Values.Bytes, &t); err == nil {
				p.signingTime = t
			}
		}
	}
	if p.messageHash == nil {
		return nil, errors.New("the signature has no message digest")
	}
	return p, nil
}

// checkSignature verifies the signer's signature over the signed attributes.
func (p *parsedCMS) checkSignature() error {
	if _, ok := p.signer.PublicKey.(ed25519.PublicKey); ok {
		return errors.New("Ed25519 signatures are not supported")
	}
	if p.sigAlg == x509.UnknownSignatureAlgorithm {
		return errors.New("unsupported signature algorithm")
	}
	return p.signer.CheckSignature(p.sigAlg, p.signedAttrs, p.signature)
}
