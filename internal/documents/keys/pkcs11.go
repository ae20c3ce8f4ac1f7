//go:build cgo

package keys

import (
	"bytes"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"sync"

	"github.com/ThalesGroup/crypto11"
	"github.com/miekg/pkcs11"
)

// Token is the production signing configuration with the keys on a PKCS#11 token
// (an HSM, a USB token, SoftHSM): each issuing unit's key pair and its certificate
// carry the unit's id as their label (CKA_LABEL), and the trust anchors come from a
// PEM file as for KeyDir. The private keys never leave the token: the Key's Signer
// asks the token to sign.
type Token struct {
	ctx   *crypto11.Context
	roots *x509.CertPool
	// anchors are the trust anchors' certificates, to complete a unit's chain.
	anchors []*x509.Certificate
	mu      sync.Mutex
	keys    map[string]*Key
}

// OpenToken loads the PKCS#11 module, logs into the token and reads the trust
// anchors. A wrong PIN, an unknown token or a module that cannot be loaded is an
// error saying which (crypto11 says "could not find PKCS#11 token" for the second).
func OpenToken(cfg TokenConfig, anchorsPEM string) (*Token, error) {
	anchors, roots, err := readAnchors(anchorsPEM)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(cfg.Module); err != nil {
		return nil, fmt.Errorf("documents: PKCS#11 module: %w", err)
	}
	c := &crypto11.Config{Path: cfg.Module, Pin: cfg.PIN}
	which := ""
	if cfg.Slot != nil {
		c.SlotNumber = cfg.Slot
		which = fmt.Sprintf("in slot %d", *cfg.Slot)
	} else {
		c.TokenLabel = cfg.TokenLabel
		which = fmt.Sprintf("%q", cfg.TokenLabel)
	}
	ctx, err := crypto11.Configure(c)
	if err != nil {
		var p11 pkcs11.Error
		switch {
		case errors.As(err, &p11) && (p11 == pkcs11.CKR_PIN_INCORRECT || p11 == pkcs11.CKR_PIN_LEN_RANGE):
			return nil, fmt.Errorf("documents: PKCS#11 token %s: wrong PIN (%w)", which, err)
		case errors.As(err, &p11) && p11 == pkcs11.CKR_PIN_LOCKED:
			return nil, fmt.Errorf("documents: PKCS#11 token %s: the PIN is locked (%w)", which, err)
		}
		return nil, fmt.Errorf("documents: PKCS#11 token %s in module %s: %w", which, cfg.Module, err)
	}
	return &Token{ctx: ctx, roots: roots, anchors: anchors, keys: map[string]*Key{}}, nil
}

// UnitKey finds the unit's key pair and certificate on the token, both labelled
// with the unit's id, on first use. The chain is the token's certificate followed
// by the trust anchors that issued it.
func (t *Token) UnitKey(id, _ string) (*Key, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if key, ok := t.keys[id]; ok {
		return key, nil
	}
	signer, err := t.ctx.FindKeyPair(nil, []byte(id))
	if err != nil || signer == nil {
		return nil, fmt.Errorf("documents: no key pair labelled %q on the PKCS#11 token: %v", id, err)
	}
	cert, err := t.ctx.FindCertificate(nil, []byte(id), nil)
	if err != nil {
		return nil, fmt.Errorf("documents: certificate labelled %q on the PKCS#11 token: %w", id, err)
	}
	if cert == nil {
		return nil, fmt.Errorf("documents: no certificate labelled %q on the PKCS#11 token", id)
	}
	pub, _ := x509.MarshalPKIXPublicKey(signer.Public())
	if p, _ := x509.MarshalPKIXPublicKey(cert.PublicKey); !bytes.Equal(p, pub) {
		return nil, fmt.Errorf("documents: the certificate labelled %q on the PKCS#11 token is not the key's", id)
	}
	key := &Key{Signer: signer, Chain: []*x509.Certificate{cert}}
	// Up the chain through the anchors' file (intermediates and root), as far as it goes.
	for c := cert; len(key.Chain) < 8; {
		var up *x509.Certificate
		for _, a := range t.anchors {
			if !a.Equal(c) && bytes.Equal(a.RawSubject, c.RawIssuer) && c.CheckSignatureFrom(a) == nil {
				up = a
				break
			}
		}
		if up == nil {
			break
		}
		key.Chain = append(key.Chain, up)
		c = up
	}
	t.keys[id] = key
	return key, nil
}

// Roots returns the trust anchors.
func (t *Token) Roots() *x509.CertPool { return t.roots }

// Close logs out of the token and unloads the module when nothing else uses it.
func (t *Token) Close() error { return t.ctx.Close() }
