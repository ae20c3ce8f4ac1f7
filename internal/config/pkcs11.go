package config

import (
	"fmt"
	"strconv"
)

// PKCS11 configures signing with the units' keys on a PKCS#11 token (an HSM, a
// USB token, SoftHSM) instead of PKCS#12 files; off while Module is empty. Each
// issuing unit's key pair and certificate are labelled (CKA_LABEL) with the unit's
// id; the trust anchors are TrustAnchors as for PKCS#12.
type PKCS11 struct {
	// Module is the path of the token's PKCS#11 library, e.g.
	// /usr/lib/softhsm/libsofthsm2.so (TDKT_PKCS11_MODULE).
	Module string
	// TokenLabel or Slot (a slot number) selects the token, one of the two
	// (TDKT_PKCS11_TOKEN_LABEL, TDKT_PKCS11_SLOT).
	TokenLabel string
	Slot       string
	// PIN is the token's user PIN (TDKT_PKCS11_PIN); masked in logs.
	PIN string
}

// SlotNumber is Slot as a number, nil when the token is selected by its label.
func (p PKCS11) SlotNumber() *int {
	if p.Slot == "" {
		return nil
	}
	n, err := strconv.Atoi(p.Slot)
	if err != nil {
		return nil
	}
	return &n
}

// checkPKCS11 validates the PKCS#11 settings when they are used.
func (c Config) checkPKCS11() error {
	p := c.PKCS11
	if p.Module == "" {
		if p.TokenLabel != "" || p.Slot != "" || p.PIN != "" {
			return fmt.Errorf("TDKT_PKCS11_TOKEN_LABEL, TDKT_PKCS11_SLOT and TDKT_PKCS11_PIN need TDKT_PKCS11_MODULE")
		}
		return nil
	}
	if c.SigningKeysDir != "" {
		return fmt.Errorf("set TDKT_SIGNING_KEYS_DIR (PKCS#12 files) or TDKT_PKCS11_MODULE (a token), not both")
	}
	if (p.TokenLabel == "") == (p.Slot == "") {
		return fmt.Errorf("TDKT_PKCS11_MODULE needs one of TDKT_PKCS11_TOKEN_LABEL and TDKT_PKCS11_SLOT")
	}
	if p.Slot != "" {
		if n, err := strconv.Atoi(p.Slot); err != nil || n < 0 {
			return fmt.Errorf("TDKT_PKCS11_SLOT must be a slot number, got %q", p.Slot)
		}
	}
	if c.TrustAnchors == "" {
		return fmt.Errorf("TDKT_PKCS11_MODULE needs TDKT_TRUST_ANCHORS, the PEM file of the CA roots")
	}
	return nil
}
