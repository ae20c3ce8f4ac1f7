// Package keys holds the signing identities tdkt signs documents with: a unit's key
// behind a crypto.Signer with its certificate chain, from PKCS#12 files (one per
// issuing unit), a PKCS#11 token (crypto11, with cgo), or the development CA that
// dev mode creates on first start.
package keys

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"time"

	"golang.org/x/crypto/pkcs12"
)

// Key is a signing identity: the key behind a crypto.Signer and its certificate
// chain, the signer's certificate first.
type Key struct {
	Signer crypto.Signer
	Chain  []*x509.Certificate
}

// LoadPKCS12 reads a signing key and its certificates from a PKCS#12 (.p12, .pfx)
// file. The decoder (golang.org/x/crypto/pkcs12) reads the widespread legacy
// encryption (PBE-SHA1-3DES, RC2); a file exported by OpenSSL 3 with its AES default
// must be exported with `-keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-3DES -macalg sha1`.
// Keys on a PKCS#11 token are read by OpenToken (pkcs11.go).
func LoadPKCS12(path, password string) (*Key, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("documents: signing key: %w", err)
	}
	blocks, err := pkcs12.ToPEM(data, password)
	if err != nil {
		return nil, fmt.Errorf("documents: signing key %s: %w", path, err)
	}
	k := &Key{}
	var certs []*x509.Certificate
	for _, b := range blocks {
		switch b.Type {
		case "PRIVATE KEY":
			key, err := parseKey(b.Bytes)
			if err != nil {
				return nil, fmt.Errorf("documents: signing key %s: %w", path, err)
			}
			k.Signer = key
		case "CERTIFICATE":
			c, err := x509.ParseCertificate(b.Bytes)
			if err != nil {
				return nil, fmt.Errorf("documents: signing key %s: %w", path, err)
			}
			certs = append(certs, c)
		}
	}
	if k.Signer == nil || len(certs) == 0 {
		return nil, fmt.Errorf("documents: signing key %s: no key or no certificate", path)
	}
	// The signer's certificate is the one whose public key matches the key.
	pub, _ := x509.MarshalPKIXPublicKey(k.Signer.Public())
	for i, c := range certs {
		if p, _ := x509.MarshalPKIXPublicKey(c.PublicKey); string(p) == string(pub) {
			certs[0], certs[i] = certs[i], certs[0]
			k.Chain = certs
			return k, nil
		}
	}
	return nil, fmt.Errorf("documents: signing key %s: no certificate matches the key", path)
}

func parseKey(der []byte) (crypto.Signer, error) {
	if k, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return k, nil
	}
	if k, err := x509.ParseECPrivateKey(der); err == nil {
		return k, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, err
	}
	s, ok := k.(crypto.Signer)
	if !ok {
		return nil, errors.New("the key cannot sign")
	}
	return s, nil
}

// DevPKI is the development mode's certificate authority: a local CA created on
// first start in a directory, and one certificate per unit, created when the unit
// first signs (an RSA key takes a moment; a province has dozens of units).
type DevPKI struct {
	dir string
	ca  *Key
	mu  sync.Mutex
	// keys caches the units' keys.
	keys map[string]*Key
}

var unitFile = regexp.MustCompile(`[^A-Za-z0-9_-]`)

// OpenDevPKI opens the development CA in dir, creating the directory and the CA
// on first use.
func OpenDevPKI(dir string) (*DevPKI, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("documents: dev PKI: %w", err)
	}
	p := &DevPKI{dir: dir, keys: map[string]*Key{}}
	ca, err := p.loadOrCreate("ca", func(key crypto.Signer) (*x509.Certificate, error) {
		tmpl := &x509.Certificate{
			SerialNumber:          serial(),
			Subject:               pkix.Name{CommonName: "tdkt development CA", Organization: []string{"tdkt (chỉ dùng thử nghiệm)"}, Country: []string{"VN"}},
			NotBefore:             time.Now().Add(-24 * time.Hour),
			NotAfter:              time.Now().AddDate(10, 0, 0),
			IsCA:                  true,
			BasicConstraintsValid: true,
			KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
		if err != nil {
			return nil, err
		}
		return x509.ParseCertificate(der)
	})
	if err != nil {
		return nil, err
	}
	p.ca = ca
	return p, nil
}

// Root is the development CA's certificate: the trust anchor in dev mode.
func (p *DevPKI) Root() *x509.Certificate { return p.ca.Chain[0] }

// Unit returns the signing key of a unit, creating its certificate (CN = the
// unit's name, O = the unit's name, OU = its code) on first use.
func (p *DevPKI) Unit(id, name string) (*Key, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if k, ok := p.keys[id]; ok {
		return k, nil
	}
	k, err := p.loadOrCreate("unit-"+unitFile.ReplaceAllString(id, "_"), func(key crypto.Signer) (*x509.Certificate, error) {
		tmpl := &x509.Certificate{
			SerialNumber: serial(),
			Subject:      pkix.Name{CommonName: name, Organization: []string{name}, OrganizationalUnit: []string{id}, Country: []string{"VN"}},
			NotBefore:    time.Now().Add(-24 * time.Hour),
			NotAfter:     time.Now().AddDate(3, 0, 0),
			KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
			ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection},
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, p.ca.Chain[0], key.Public(), p.ca.Signer)
		if err != nil {
			return nil, err
		}
		return x509.ParseCertificate(der)
	})
	if err != nil {
		return nil, err
	}
	k.Chain = append(k.Chain, p.ca.Chain[0])
	p.keys[id] = k
	return k, nil
}

// loadOrCreate reads name.key and name.pem from the directory, or creates an RSA
// key and a certificate with issue and writes them.
func (p *DevPKI) loadOrCreate(name string, issue func(crypto.Signer) (*x509.Certificate, error)) (*Key, error) {
	keyPath, certPath := filepath.Join(p.dir, name+".key"), filepath.Join(p.dir, name+".pem")
	if kb, err := os.ReadFile(keyPath); err == nil {
		cb, err := os.ReadFile(certPath)
		if err != nil {
			return nil, fmt.Errorf("documents: dev PKI %s: %w", name, err)
		}
		kp, _ := pem.Decode(kb)
		cp, _ := pem.Decode(cb)
		if kp == nil || cp == nil {
			return nil, fmt.Errorf("documents: dev PKI %s: not PEM", name)
		}
		key, err := parseKey(kp.Bytes)
		if err != nil {
			return nil, fmt.Errorf("documents: dev PKI %s: %w", name, err)
		}
		c, err := x509.ParseCertificate(cp.Bytes)
		if err != nil {
			return nil, fmt.Errorf("documents: dev PKI %s: %w", name, err)
		}
		return &Key{Signer: key, Chain: []*x509.Certificate{c}}, nil
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	c, err := issue(key)
	if err != nil {
		return nil, fmt.Errorf("documents: dev PKI %s: %w", name, err)
	}
	if err := os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}), 0o600); err != nil {
		return nil, fmt.Errorf("documents: dev PKI %s: %w", name, err)
	}
	if err := os.WriteFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw}), 0o644); err != nil {
		return nil, fmt.Errorf("documents: dev PKI %s: %w", name, err)
	}
	return &Key{Signer: key, Chain: []*x509.Certificate{c}}, nil
}

func serial() *big.Int {
	n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 96))
	return n.Add(n, big.NewInt(1))
}

// UnitKey is Unit, for the web's Signing interface.
func (p *DevPKI) UnitKey(id, name string) (*Key, error) { return p.Unit(id, name) }

// Roots is a pool holding the development CA.
func (p *DevPKI) Roots() *x509.CertPool {
	pool := x509.NewCertPool()
	pool.AddCert(p.ca.Chain[0])
	return pool
}

// KeyDir is the production signing configuration: one PKCS#12 file per issuing
// unit, named <unit id>.p12 in a directory, all under one password, and the trust
// anchors (the government CA's roots, e.g. VGCA's) as a PEM file that signed
// copies uploaded from elsewhere must chain to.
type KeyDir struct {
	dir, password string
	roots         *x509.CertPool
	mu            sync.Mutex
	keys          map[string]*Key
}

// OpenKeyDir checks the directory and reads the trust anchors.
func OpenKeyDir(dir, password, anchorsPEM string) (*KeyDir, error) {
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("documents: signing keys folder %q: not a folder", dir)
	}
	pemBytes, err := os.ReadFile(anchorsPEM)
	if err != nil {
		return nil, fmt.Errorf("documents: trust anchors: %w", err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(pemBytes) {
		return nil, fmt.Errorf("documents: trust anchors %s: no PEM certificate", anchorsPEM)
	}
	return &KeyDir{dir: dir, password: password, roots: roots, keys: map[string]*Key{}}, nil
}

// UnitKey loads the unit's PKCS#12 file on first use.
func (k *KeyDir) UnitKey(id, _ string) (*Key, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if key, ok := k.keys[id]; ok {
		return key, nil
	}
	key, err := LoadPKCS12(filepath.Join(k.dir, unitFile.ReplaceAllString(id, "_")+".p12"), k.password)
	if err != nil {
		return nil, err
	}
	k.keys[id] = key
	return key, nil
}

// Roots returns the trust anchors.
func (k *KeyDir) Roots() *x509.CertPool { return k.roots }
