package config

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

// TestPKCS11Settings checks that the token settings are read from the environment
// and flags, that an incomplete or contradictory setting is refused at start naming
// the variable, and that the PIN is masked in the logged configuration.
func TestPKCS11Settings(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	good := map[string]string{"TDKT_PKCS11_MODULE": "/usr/lib/softhsm/libsofthsm2.so", "TDKT_PKCS11_TOKEN_LABEL": "UBND-LS",
		"TDKT_PKCS11_PIN": "pin-s3cret", "TDKT_TRUST_ANCHORS": "/etc/tdkt/vgca-roots.pem"}
	c, err := Load(env(good), nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.PKCS11.Module != good["TDKT_PKCS11_MODULE"] || c.PKCS11.TokenLabel != "UBND-LS" || c.PKCS11.PIN != "pin-s3cret" || c.PKCS11.SlotNumber() != nil {
		t.Fatalf("read %+v", c.PKCS11)
	}
	c, err = Load(env(map[string]string{"TDKT_PKCS11_MODULE": "/m.so", "TDKT_TRUST_ANCHORS": "/a.pem"}), []string{"-pkcs11-slot", "0", "-pkcs11-pin", "flag-p1n"})
	if err != nil {
		t.Fatal(err)
	}
	if n := c.PKCS11.SlotNumber(); n == nil || *n != 0 || c.PKCS11.PIN != "flag-p1n" {
		t.Fatalf("flags read %+v", c.PKCS11)
	}
	for _, tc := range []struct{ unset, set, value, want string }{
		{"TDKT_PKCS11_TOKEN_LABEL", "", "", "TDKT_PKCS11_SLOT"},
		{"", "TDKT_PKCS11_SLOT", "2", "one of TDKT_PKCS11_TOKEN_LABEL and TDKT_PKCS11_SLOT"},
		{"TDKT_PKCS11_TOKEN_LABEL", "TDKT_PKCS11_SLOT", "first", "TDKT_PKCS11_SLOT"},
		{"TDKT_TRUST_ANCHORS", "", "", "TDKT_TRUST_ANCHORS"},
		{"", "TDKT_SIGNING_KEYS_DIR", "/etc/tdkt/keys", "not both"},
		{"TDKT_PKCS11_MODULE", "", "", "TDKT_PKCS11_MODULE"},
	} {
		kv := map[string]string{}
		for k, v := range good {
			kv[k] = v
		}
		delete(kv, tc.unset)
		if tc.set != "" {
			kv[tc.set] = tc.value
		}
		if _, err := Load(env(kv), nil); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s unset, %s=%q: %v, want an error naming %s", tc.unset, tc.set, tc.value, err, tc.want)
		}
	}

	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("config", "config", c)
	if strings.Contains(buf.String(), "flag-p1n") || !strings.Contains(buf.String(), "pkcs11_pin=xxxxx") || !strings.Contains(buf.String(), "pkcs11_module=/m.so") {
		t.Fatalf("logged PKCS#11 settings: %s", buf.String())
	}
}
