package httpapi_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tdkt/tdkt/internal/seed"
)

// TestHostileTextIsRefusedWith400 replays the probe's reproducers: a NUL in a
// JSON string (login's username, before any authentication, and a dossier's
// title) and %00, a control character or invalid UTF-8 in the query parameters
// q, status, unit, award and kind answered 500; now each is 400 with the field
// named, and nothing is written.
func TestHostileTextIsRefusedWith400(t *testing.T) {
	b := setup(t)
	b.token("xa.clerk")
	for _, tc := range []struct {
		name, user, method, path string
		body                     any
		field                    string
	}{
		{"login username NUL", "", "POST", "/api/v1/login", `{"username":"xa.clerk\u0000","password":"x"}`, "username"},
		{"dossier title NUL", "xa.clerk", "POST", "/api/v1/nominations", `{"unit_id":"LS-09-003","title":"a\u0000"}`, "title"},
		{"nominee name ESC", "xa.clerk", "POST", "/api/v1/nominations", `{"nominees":[{"kind":"individual","name":"x\u001b[31m"}]}`, "nominees[0].name"},
		{"duplicate key", "xa.clerk", "POST", "/api/v1/nominations", `{"unit_id":"LS-09-003","unit_id":"LS"}`, "unit_id"},
		{"key in other case", "xa.clerk", "POST", "/api/v1/nominations", `{"Unit_ID":"LS"}`, "Unit_ID"},
		{"null body", "xa.clerk", "PUT", "/api/v1/me/email", `null`, ""},
		{"q NUL", "xa.clerk", "GET", "/api/v1/nominations?q=%00", nil, "q"},
		{"status NUL", "xa.clerk", "GET", "/api/v1/nominations?status=draft%00", nil, "status"},
		{"unit NUL", "xa.clerk", "GET", "/api/v1/nominations?unit=%00", nil, "unit"},
		{"award NUL", "xa.clerk", "GET", "/api/v1/authority-rules?award=%00", nil, "award"},
		{"kind NUL", "xa.clerk", "GET", "/api/v1/subjects?kind=%00", nil, "kind"},
		{"q invalid UTF-8", "xa.clerk", "GET", "/api/v1/subjects?q=%ff%fe", nil, "q"},
		{"q tab", "xa.clerk", "GET", "/api/v1/subjects?q=a%09b", nil, "q"},
		{"upload kind NUL", "xa.clerk", "POST", "/api/v1/nominations/x/documents?kind=%00&name=a.pdf", "x", "kind"},
		{"path NUL", "xa.clerk", "GET", "/api/v1/nominations/%00", nil, "path"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := b.request(tc.user, tc.method, tc.path, tc.body, nil, false)
			if r.status != http.StatusBadRequest {
				t.Fatalf("status %d, want 400: %s", r.status, r.raw)
			}
			if tc.field == "" {
				return
			}
			errs, _ := r.body["errors"].([]any)
			if len(errs) == 0 || errs[0].(map[string]any)["field"] != tc.field {
				t.Fatalf("field errors %v, want %s", errs, tc.field)
			}
		})
	}
	if n := b.count("nominations"); n != 0 {
		t.Fatalf("refused input left %d dossiers", n)
	}
	// Ordinary Vietnamese text passes.
	b.must(http.StatusOK, "xa.clerk", "GET", "/api/v1/subjects?q="+strings.ReplaceAll("Hoàng Văn", " ", "%20"), nil)
}

// TestCredentialsEndWithResetDeactivationAndLogoutEverywhere: an API token
// stops working when an administrator resets the password or deactivates the
// user, and when the user logs out everywhere (every session too); the token
// list shows when a token was last used.
func TestCredentialsEndWithResetDeactivationAndLogoutEverywhere(t *testing.T) {
	b := setup(t)
	bearer := func(tok string) map[string]string { return map[string]string{"Authorization": "Bearer " + tok} }
	mint := func(user string) string {
		b.t.Helper()
		delete(b.tokens, user)
		r := b.must(http.StatusCreated, user, "POST", "/api/v1/me/tokens", map[string]any{"name": "script"})
		return r.body["token"].(string)
	}
	// Password reset.
	tok := mint("xa.clerk")
	session := b.token("xa.clerk")
	b.mustWith(http.StatusOK, "", "GET", "/api/v1/me", nil, bearer(tok))
	ts := b.must(http.StatusOK, "xa.clerk", "GET", "/api/v1/me/tokens", nil).body["tokens"].([]any)
	if used, _ := ts[0].(map[string]any)["last_used_at"].(string); used == "" {
		t.Fatalf("token list without last use after a use: %v", ts)
	}
	b.must(http.StatusNoContent, "tinh.admin", "POST", "/api/v1/admin/users/"+b.userIDOf("xa.clerk")+"/password", map[string]any{"password": "mat-khau-moi-2026"})
	b.mustWith(http.StatusUnauthorized, "", "GET", "/api/v1/me", nil, bearer(tok))
	b.mustWith(http.StatusUnauthorized, "", "GET", "/api/v1/me", nil, bearer(session))
	// Log out everywhere: every session and token of the caller, no one else's.
	tok = mint("xa.head")
	other := b.token("xa.appraiser")
	session = b.token("xa.head")
	b.mustWith(http.StatusNoContent, "", "POST", "/api/v1/me/logout-everywhere", nil, bearer(session))
	b.mustWith(http.StatusUnauthorized, "", "GET", "/api/v1/me", nil, bearer(tok))
	b.mustWith(http.StatusUnauthorized, "", "GET", "/api/v1/me", nil, bearer(session))
	b.mustWith(http.StatusOK, "", "GET", "/api/v1/me", nil, bearer(other))
	// Deactivation.
	tok = mint("xa.appraiser")
	b.must(http.StatusOK, "tinh.admin", "POST", "/api/v1/admin/users/"+b.userIDOf("xa.appraiser")+"/deactivate", nil)
	b.must(http.StatusOK, "tinh.admin", "POST", "/api/v1/admin/users/"+b.userIDOf("xa.appraiser")+"/activate", nil)
	b.mustWith(http.StatusUnauthorized, "", "GET", "/api/v1/me", nil, bearer(tok))
}

// TestCookieOnlyPostsNeedJSONAndSameOrigin: the probe's text/plain POST with
// only the session cookie created a dossier; now a cookie-authenticated unsafe
// request needs application/json and a same-origin Origin or Sec-Fetch-Site (or
// the X-CSRF-Token header). Bearer requests are unaffected.
func TestCookieOnlyPostsNeedJSONAndSameOrigin(t *testing.T) {
	b := setup(t)
	tok := b.token("xa.clerk")
	body := bkTinhDossier(seed.DemoCommune)
	host := strings.TrimPrefix(b.url, "http://")
	cookie := func(h map[string]string) map[string]string {
		h["Cookie"] = "tdkt_session=" + tok
		h["Authorization"] = ""
		return h
	}
	for name, h := range map[string]map[string]string{
		"text/plain, no origin":   {"Content-Type": "text/plain"},
		"text/plain, same origin": {"Content-Type": "text/plain", "Origin": "http://" + host},
		"json, no origin":         {},
		"json, other origin":      {"Origin": "https://evil.example"},
		"json, cross-site fetch":  {"Sec-Fetch-Site": "cross-site"},
	} {
		r := b.request("", "POST", "/api/v1/nominations", body, cookie(h), false)
		if r.status != http.StatusForbidden {
			t.Errorf("%s: status %d, want 403: %s", name, r.status, r.raw)
		}
	}
	if n := b.count("nominations"); n != 0 {
		t.Fatalf("refused cookie requests created %d dossiers", n)
	}
	for name, h := range map[string]map[string]string{
		"json, same origin":       {"Origin": "http://" + host},
		"json, same-origin fetch": {"Sec-Fetch-Site": "same-origin"},
		"CSRF header":             {"X-CSRF-Token": "1"},
	} {
		r := b.request("", "POST", "/api/v1/nominations", body, cookie(h), false)
		if r.status != http.StatusCreated {
			t.Errorf("%s: status %d, want 201: %s", name, r.status, r.raw)
		}
	}
	// A bearer request with any content type and no Origin is not a CSRF risk.
	b.mustWith(http.StatusCreated, "", "POST", "/api/v1/nominations", body, map[string]string{"Authorization": "Bearer " + tok, "Content-Type": "text/plain"})
	// A cookie GET is never refused by this rule.
	b.mustWith(http.StatusOK, "", "GET", "/api/v1/me", nil, cookie(map[string]string{}))
}

// TestDelegationOnlyToWhoCouldHoldTheRoleAndNamesNobody: the province's decider
// may delegate to the province's head, not to a commune clerk; the refusal is
// the same for that clerk, an unknown id and a deactivated user, and holds no
// name.
func TestDelegationOnlyToWhoCouldHoldTheRoleAndNamesNobody(t *testing.T) {
	b := setup(t)
	today := time.Now().In(time.FixedZone("ICT", 7*3600)).Format("2006-01-02")
	to := func(id any) map[string]any {
		return map[string]any{"to_user_id": id, "valid_from": today, "valid_to": today, "reason": "Đi công tác"}
	}
	b.must(http.StatusOK, "tinh.admin", "POST", "/api/v1/admin/users/"+b.userIDOf("tinh.auditor")+"/deactivate", nil)
	var first string
	for name, id := range map[string]any{"commune clerk": meID(b, "xa.clerk"), "unknown": 987654, "deactivated": json.Number(b.userIDOf("tinh.auditor"))} {
		r := b.must(http.StatusBadRequest, "tinh.decider", "POST", "/api/v1/delegations", to(id))
		if strings.Contains(string(r.raw), "Hoàng Thị Lan") || strings.Contains(string(r.raw), "Phan Thị Yến") {
			t.Fatalf("%s: the refusal names the user: %s", name, r.raw)
		}
		if first == "" {
			first = string(r.raw)
		} else if string(r.raw) != first {
			t.Fatalf("%s: refusal %s differs from %s", name, r.raw, first)
		}
	}
	b.must(http.StatusCreated, "tinh.decider", "POST", "/api/v1/delegations", to(meID(b, "tinh.head")))
}

// TestSubjectOfAnotherUnitAnswersAsAnUnknownOne: subject IDs are sequential,
// so a subject the caller may not see answers exactly as an ID nobody has.
func TestSubjectOfAnotherUnitAnswersAsAnUnknownOne(t *testing.T) {
	b := setup(t)
	id := b.subjectID("079123456789", "individual", "Hoàng Văn Tùng")
	b.must(http.StatusOK, "xa.clerk", "GET", "/api/v1/subjects/"+strconv.FormatFloat(id, 'f', 0, 64), nil)
	hidden := b.must(http.StatusNotFound, "xa2.clerk", "GET", "/api/v1/subjects/"+strconv.FormatFloat(id, 'f', 0, 64), nil)
	unknown := b.must(http.StatusNotFound, "xa2.clerk", "GET", "/api/v1/subjects/99999999", nil)
	if string(hidden.raw) != string(unknown.raw) {
		t.Fatalf("a hidden subject answers %s, an unknown one %s", hidden.raw, unknown.raw)
	}
}

// TestJSONUnderCurlsDefaultFormTypeIsStillRead: `curl -d '{…}'` sends JSON as
// application/x-www-form-urlencoded (the README's "Try it" does); the text check reads
// such a body without consuming it, so the API still decodes it, and a NUL in it is
// still refused.
func TestJSONUnderCurlsDefaultFormTypeIsStillRead(t *testing.T) {
	b := setup(t)
	form := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	r := b.request("", "POST", "/api/v1/login", []byte(`{"username":"xa.clerk","password":"`+seed.DemoPassword+`"}`), form, false)
	if r.status != http.StatusOK || r.body["token"] == nil {
		t.Fatalf("login with curl's form type: %d %s", r.status, r.raw)
	}
	r = b.request("", "POST", "/api/v1/login", []byte("{\"username\":\"xa.clerk\u0000\",\"password\":\"x\"}"), form, false)
	if r.status != http.StatusBadRequest {
		t.Fatalf("a NUL under the form type: %d %s", r.status, r.raw)
	}
}
