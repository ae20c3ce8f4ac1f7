package keys

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
)

// TokenConfig names the PKCS#11 module, the token (by label, or by slot number when
// Slot is not nil) and the user PIN.
type TokenConfig struct {
	Module     string // e.g. /usr/lib/softhsm/libsofthsm2.so
	TokenLabel string
	Slot       *int
	PIN        string
}

// readAnchors reads the trust anchors' PEM file.
func readAnchors(path string) ([]*x509.Certificate, *x509.CertPool, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("documents: trust anchors: %w", err)
	}
	var certs []*x509.Certificate
	pool := x509.NewCertPool()
	for {
		var blk *pem.Block
		blk, b = pem.Decode(b)
		if blk == nil {
			break
		}
		if blk.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(blk.Bytes)
		if err != nil {
			return nil, nil, fmt.Errorf("documents: trust anchors %s: %w", path, err)
		}
		certs = append(certs, c)
		pool.AddCert(c)
	}
	if len(certs) == 0 {
		return nil, nil, fmt.Errorf("documents: trust anchors %s: no PEM certificate", path)
	}
	return certs, pool, nil
}
