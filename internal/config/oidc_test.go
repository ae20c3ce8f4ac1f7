package config

import (
	"strings"
	"testing"
)

// TestOIDCSettings checks that single sign-on is read from the environment and
// that an incomplete or contradictory setting is refused at start, naming the
// variable.
func TestOIDCSettings(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	good := map[string]string{"TDKT_OIDC_ISSUER": "https://id.langson.gov.vn/realms/tdkt", "TDKT_OIDC_CLIENT_ID": "tdkt",
		"TDKT_OIDC_CLIENT_SECRET": "s", "TDKT_OIDC_REDIRECT_URL": "https://tdkt.langson.gov.vn/login/sso/callback",
		"TDKT_OIDC_UNIT_CLAIM": "unit", "TDKT_PASSWORD_LOGIN": "false"}
	c, err := Load(env(good), nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.OIDC.UsernameClaim != "preferred_username" || c.OIDC.UnitClaim != "unit" || c.PasswordLogin {
		t.Fatalf("read %+v, password login %v", c.OIDC, c.PasswordLogin)
	}
	for _, tc := range []struct{ unset, set, value, want string }{
		{"", "TDKT_OIDC_ISSUER", "", "TDKT_PASSWORD_LOGIN"},
		{"TDKT_OIDC_CLIENT_ID", "", "", "TDKT_OIDC_CLIENT_ID"},
		{"", "TDKT_OIDC_REDIRECT_URL", "/login/sso/callback", "TDKT_OIDC_REDIRECT_URL"},
		{"", "TDKT_OIDC_ISSUER", "id.langson.gov.vn", "TDKT_OIDC_ISSUER"},
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
}
