package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/tdkt/tdkt/internal/seed"
)

// TestAnotherDistrictsClerkIsForbiddenEverything: a commune clerk of another
// district gets 403 on every action on a dossier outside their units.
func TestAnotherDistrictsClerkIsForbiddenEverything(t *testing.T) {
	b := setup(t)
	id := b.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations", bkTinhDossier(seed.DemoCommune)).body["id"].(string)
	path := "/api/v1/nominations/" + id
	for _, tc := range []struct {
		method, path string
		body         any
	}{
		{"GET", path, nil},
		{"GET", path + "/history", nil},
		{"PATCH", path, map[string]any{"title": "x"}},
		{"POST", path + "/submit", nil},
		{"POST", path + "/actions", map[string]any{"action": "withdraw"}},
		{"POST", path + "/actions", map[string]any{"action": "approve"}},
		{"POST", path + "/actions", map[string]any{"action": "return", "missing_items": []string{"x"}}},
		{"POST", path + "/actions", map[string]any{"action": "reject", "reason": "x"}},
		{"POST", path + "/actions", map[string]any{"action": "forward"}},
		{"POST", path + "/actions", map[string]any{"action": "decide"}},
		{"POST", "/api/v1/nominations", bkTinhDossier(seed.DemoCommune)},
	} {
		r := b.do("xa2.clerk", tc.method, tc.path, tc.body)
		// A dossier outside the user's units answers exactly as an unknown one; creating in
		// a unit that is not theirs is forbidden.
		want, typ := http.StatusNotFound, "/problems/not-found"
		if tc.path == "/api/v1/nominations" {
			want, typ = http.StatusForbidden, "/problems/forbidden"
		}
		if r.status != want || r.body["type"] != typ {
			t.Errorf("%s %s as another district's clerk: %d %s", tc.method, tc.path, r.status, r.raw)
		}
	}
	// The submit task of that task id is equally out of reach.
	task := b.taskFor("xa.clerk", id)
	if r := b.do("xa2.clerk", "POST", "/api/v1/tasks/"+jsonNumber(task["id"])+"/actions", map[string]any{"action": "submit"}); r.status != http.StatusNotFound {
		t.Errorf("task action as another district's clerk: %d %s", r.status, r.raw)
	}
	var status string
	if err := b.pool.QueryRow(t.Context(), `SELECT status FROM nominations WHERE id = $1`, id).Scan(&status); err != nil || status != "draft" {
		t.Fatalf("dossier changed by forbidden requests: %s %v", status, err)
	}
}

func TestRolesAreLimitedToTheirOwnSteps(t *testing.T) {
	b := setup(t)
	id := b.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations", bkTinhDossier(seed.DemoCommune)).body["id"].(string)
	path := "/api/v1/nominations/" + id
	// An appraiser cannot submit for the commune; a district appraiser cannot create there.
	b.must(http.StatusForbidden, "huyen.appraiser", "POST", path+"/submit", nil)
	b.must(http.StatusForbidden, "huyen.appraiser", "POST", "/api/v1/nominations", bkTinhDossier(seed.DemoCommune))
	b.must(http.StatusOK, "xa.clerk", "POST", path+"/submit", nil)
	// A clerk cannot approve; a decider cannot appraise; the province cannot act at the district.
	b.must(http.StatusForbidden, "xa.clerk", "POST", path+"/actions", map[string]any{"action": "approve"})
	b.must(http.StatusNotFound, "huyen.clerk", "POST", path+"/actions", map[string]any{"action": "approve"}) // cannot read it
	b.must(http.StatusForbidden, "huyen.decider", "POST", path+"/actions", map[string]any{"action": "approve"})
	b.must(http.StatusForbidden, "tinh.appraiser", "POST", path+"/actions", map[string]any{"action": "approve"})
	b.must(http.StatusForbidden, "tinh.auditor", "POST", path+"/actions", map[string]any{"action": "approve"})
	// The auditor reads; a council member of the district reads.
	b.must(http.StatusOK, "tinh.auditor", "GET", path, nil)
	b.must(http.StatusOK, "huyen.council_member", "GET", path+"/history", nil)
	// Unauthenticated requests get 401.
	if r := b.do("", "GET", path, nil); r.status != http.StatusUnauthorized || r.body["type"] != "/problems/unauthorized" {
		t.Fatalf("unauthenticated: %d %s", r.status, r.raw)
	}
	// A wrong password is 401 too; logout revokes the token.
	b.must(http.StatusUnauthorized, "", "POST", "/api/v1/login", map[string]string{"username": "xa.clerk", "password": "wrong"})
	b.must(http.StatusUnauthorized, "", "POST", "/api/v1/login", map[string]string{"username": "nobody", "password": "wrong"})
	b.must(http.StatusNoContent, "xa.clerk", "POST", "/api/v1/logout", nil)
	b.must(http.StatusUnauthorized, "xa.clerk", "GET", "/api/v1/me", nil)
}

func jsonNumber(v any) string {
	if f, ok := v.(float64); ok {
		return itoa(int64(f))
	}
	return "0"
}

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}
