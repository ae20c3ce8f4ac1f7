//go:build !cgo

package keys

import (
	"crypto/x509"
	"errors"
)

// errNoCgo: PKCS#11 modules are shared libraries loaded through cgo (miekg/pkcs11),
// which a CGO_ENABLED=0 build (the static container image) does not have.
var errNoCgo = errors.New("documents: this tdkt was built without cgo (CGO_ENABLED=0) and cannot load a PKCS#11 module: build it with CGO_ENABLED=1, or use PKCS#12 files (TDKT_SIGNING_KEYS_DIR)")

// Token is the PKCS#11 signing configuration; without cgo it cannot be opened.
type Token struct{}

// OpenToken says that this build cannot load a PKCS#11 module.
func OpenToken(TokenConfig, string) (*Token, error) { return nil, errNoCgo }

// UnitKey is never reached: OpenToken does not return a Token without cgo.
func (*Token) UnitKey(string, string) (*Key, error) { return nil, errNoCgo }

// Roots is never reached either.
func (*Token) Roots() *x509.CertPool { return nil }

// Close has nothing to close.
func (*Token) Close() error { return nil }
