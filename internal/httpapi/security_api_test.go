package httpapi_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/tdkt/tdkt/internal/httpapi"
	"github.com/tdkt/tdkt/internal/password"
	"github.com/tdkt/tdkt/internal/seed"
)

// doWith is do with extra request headers; a bearer value in hdr["Authorization"]
// replaces the user's login token.
func (b *bundle) doWith(user, method, path string, body any, hdr map[string]string) response {
	b.t.Helper()
	return b.request(user, method, path, body, hdr, true)
}

func (b *bundle) mustWith(want int, user, method, path string, body any, hdr map[string]string) response {
	b.t.Helper()
	r := b.doWith(user, method, path, body, hdr)
	if r.status != want {
		b.t.Fatalf("%s %s as %s %v: status %d, want %d: %s", method, path, user, hdr, r.status, want, r.raw)
	}
	return r
}

func (b *bundle) auditCount(id, action string) int {
	b.t.Helper()
	var n int
	if err := b.pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_events WHERE nomination_id = $1 AND action = $2`,
		id, action).Scan(&n); err != nil {
		b.t.Fatal(err)
	}
	return n
}

// TestIfMatchGuardsDossierChanges: a stale If-Match is 412 before anything moves,
// a current one passes, a stale body version is 409 from the workflow, and an
// outsider learns nothing (403, no ETag).
func TestIfMatchGuardsDossierChanges(t *testing.T) {
	b := setup(t)
	created := b.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations", bkTinhDossier(seed.DemoCommune))
	id := created.body["id"].(string)
	path := "/api/v1/nominations/" + id
	if r := b.must(http.StatusOK, "xa.clerk", "GET", path, nil); r.header.Get("ETag") != `"0"` {
		t.Fatalf("ETag of a new dossier: %q", r.header.Get("ETag"))
	}
	r := b.mustWith(http.StatusPreconditionFailed, "xa.clerk", "PATCH", path, map[string]any{"title": "Tên mới"}, map[string]string{"If-Match": `"4"`})
	if r.body["type"] != "/problems/precondition-failed" || r.header.Get("ETag") != `"0"` {
		t.Fatalf("stale PATCH: %s %v", r.raw, r.header)
	}
	b.mustWith(http.StatusOK, "xa.clerk", "PATCH", path, map[string]any{"title": "Tên mới"}, map[string]string{"If-Match": `"0"`})
	b.mustWith(http.StatusBadRequest, "xa.clerk", "POST", path+"/submit", nil, map[string]string{"If-Match": `"abc"`})
	if r := b.doWith("xa2.clerk", "POST", path+"/submit", nil, map[string]string{"If-Match": `"0"`}); r.status != http.StatusNotFound || r.header.Get("ETag") != "" {
		t.Fatalf("outsider with If-Match: %d %v", r.status, r.header)
	}
	r = b.mustWith(http.StatusOK, "xa.clerk", "POST", path+"/submit", nil, map[string]string{"If-Match": `W/"0"`})
	if r.header.Get("ETag") != `"1"` {
		t.Fatalf("ETag after submit: %q", r.header.Get("ETag"))
	}
	// The district appraiser saw version 0: 412, and the dossier stays at intake.
	b.mustWith(http.StatusPreconditionFailed, "huyen.appraiser", "POST", path+"/actions", map[string]any{"action": "accept"}, map[string]string{"If-Match": `"0"`})
	task := b.taskFor("huyen.appraiser", id)
	b.mustWith(http.StatusPreconditionFailed, "huyen.appraiser", "POST", "/api/v1/tasks/"+jsonNumber(task["id"])+"/actions",
		map[string]any{"action": "accept"}, map[string]string{"If-Match": `"0"`})
	// A stale version in the body is the workflow's conflict, as before.
	b.must(http.StatusConflict, "huyen.appraiser", "POST", path+"/actions", map[string]any{"action": "accept", "version": 0})
	if b.status(id) != "intake" {
		t.Fatalf("refused requests moved the dossier to %s", b.status(id))
	}
	b.mustWith(http.StatusOK, "huyen.appraiser", "POST", path+"/actions", map[string]any{"action": "accept"}, map[string]string{"If-Match": `"1"`})
}

// TestIfMatchRequiredWhenConfigured: with RequireIfMatch, PATCH, submit and
// actions without If-Match are 428; with it they pass.
func TestIfMatchRequiredWhenConfigured(t *testing.T) {
	b := setup(t, withAPI(func(s *httpapi.Server) { s.RequireIfMatch = true }))
	id := b.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations", bkTinhDossier(seed.DemoCommune)).body["id"].(string)
	path := "/api/v1/nominations/" + id
	for _, rq := range []struct {
		method, path string
		body         any
	}{
		{"PATCH", path, map[string]any{"title": "x"}},
		{"POST", path + "/submit", nil},
		{"POST", path + "/actions", map[string]any{"action": "withdraw"}},
		{"POST", "/api/v1/tasks/" + jsonNumber(b.taskFor("xa.clerk", id)["id"]) + "/actions", map[string]any{"action": "submit"}},
	} {
		if r := b.do("xa.clerk", rq.method, rq.path, rq.body); r.status != http.StatusPreconditionRequired || r.body["type"] != "/problems/precondition-required" {
			t.Errorf("%s %s without If-Match: %d %s", rq.method, rq.path, r.status, r.raw)
		}
	}
	b.mustWith(http.StatusOK, "xa.clerk", "POST", path+"/submit", nil, map[string]string{"If-Match": `"0"`})
	// Reads and creates need no If-Match.
	b.must(http.StatusOK, "xa.clerk", "GET", path, nil)
	b.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations", bkTinhDossier(seed.DemoCommune))
}

// TestIdempotentCreate: the same key and body give the same dossier once; another
// body with the key is 422; another user's key is theirs; concurrent duplicates
// create one dossier.
func TestIdempotentCreate(t *testing.T) {
	b := setup(t)
	key := map[string]string{"Idempotency-Key": "tao-ho-so-2026-001"}
	first := b.mustWith(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations", bkTinhDossier(seed.DemoCommune), key)
	again := b.mustWith(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations", bkTinhDossier(seed.DemoCommune), key)
	if again.body["id"] != first.body["id"] || again.header.Get("Idempotent-Replayed") != "true" ||
		again.header.Get("Location") != first.header.Get("Location") || !bytes.Equal(again.raw, first.raw) {
		t.Fatalf("replay differs:\n%s\n%s\n%v", first.raw, again.raw, again.header)
	}
	other := bkTinhDossier(seed.DemoCommune)
	other["year"] = 2025
	if r := b.doWith("xa.clerk", "POST", "/api/v1/nominations", other, key); r.status != http.StatusUnprocessableEntity || r.body["type"] != "/problems/idempotency-key-reused" {
		t.Fatalf("same key, other body: %d %s", r.status, r.raw)
	}
	if n := b.count("nominations"); n != 1 {
		t.Fatalf("%d dossiers after a create and two retries", n)
	}
	// Another user's identical key is another request.
	b.mustWith(http.StatusCreated, "xa2.clerk", "POST", "/api/v1/nominations", bkTinhDossier(seed.OtherCommune), key)

	// Eight copies of one request at once: one dossier, every answer is it or "in progress".
	key = map[string]string{"Idempotency-Key": "tao-ho-so-2026-002"}
	b.token("xa.clerk")
	var wg sync.WaitGroup
	answers := make([]response, 8)
	for i := range answers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			answers[i] = b.doWith("xa.clerk", "POST", "/api/v1/nominations", bkTinhDossier(seed.DemoCommune), key)
		}()
	}
	wg.Wait()
	ids := map[any]bool{}
	for _, r := range answers {
		switch r.status {
		case http.StatusCreated:
			ids[r.body["id"]] = true
		case http.StatusConflict:
			if r.header.Get("Retry-After") == "" {
				t.Errorf("in-progress answer without Retry-After: %s", r.raw)
			}
		default:
			t.Errorf("concurrent duplicate: %d %s", r.status, r.raw)
		}
	}
	if len(ids) != 1 || b.count("nominations") != 3 {
		t.Fatalf("concurrent duplicates made %d ids, %d dossiers in all (want 1 and 3)", len(ids), b.count("nominations"))
	}
}

// TestIdempotentSubmitReplaysAfterTheDossierMoved: a retried submit answers what
// the first did, although the dossier has moved on; the event is recorded once.
func TestIdempotentSubmitReplaysAfterTheDossierMoved(t *testing.T) {
	b := setup(t)
	id := b.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations", bkTinhDossier(seed.DemoCommune)).body["id"].(string)
	key := map[string]string{"Idempotency-Key": "trinh-" + id}
	first := b.mustWith(http.StatusOK, "xa.clerk", "POST", "/api/v1/nominations/"+id+"/submit", nil, key)
	b.must(http.StatusOK, "huyen.appraiser", "POST", "/api/v1/nominations/"+id+"/actions", map[string]any{"action": "accept"})
	again := b.mustWith(http.StatusOK, "xa.clerk", "POST", "/api/v1/nominations/"+id+"/submit", nil, key)
	if again.body["status"] != "intake" || !bytes.Equal(first.raw, again.raw) {
		t.Fatalf("replayed submit: %s", again.raw)
	}
	if n := b.auditCount(id, "submit"); n != 1 {
		t.Fatalf("%d submit events", n)
	}
	// Without the key the same request is a new one, refused by the state.
	b.must(http.StatusConflict, "xa.clerk", "POST", "/api/v1/nominations/"+id+"/submit", nil)
}

// TestTwoActorsOnOneTaskExactlyOneWins: two appraisers of the district, four
// requests each, all accepting the same dossier at the same version at the same
// moment: one 200, seven 409, one accept event.
func TestTwoActorsOnOneTaskExactlyOneWins(t *testing.T) {
	b := setup(t)
	b.addUser("huyen.appraiser2", "Hoàng Thị Thêu", "appraiser", seed.DemoDistrict)
	b.reloadAuthz()
	id := b.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations", bkTinhDossier(seed.DemoCommune)).body["id"].(string)
	b.must(http.StatusOK, "xa.clerk", "POST", "/api/v1/nominations/"+id+"/submit", nil)
	users := []string{"huyen.appraiser", "huyen.appraiser2"}
	for _, u := range users {
		b.token(u)
	}
	start := make(chan struct{})
	var wg sync.WaitGroup
	statuses := make([]int, 8)
	for i := range statuses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			statuses[i] = b.do(users[i%2], "POST", "/api/v1/nominations/"+id+"/actions", map[string]any{"action": "accept", "version": 1}).status
		}()
	}
	close(start)
	wg.Wait()
	ok, conflict := 0, 0
	for _, s := range statuses {
		switch s {
		case http.StatusOK:
			ok++
		case http.StatusConflict:
			conflict++
		}
	}
	if ok != 1 || conflict != 7 {
		t.Fatalf("statuses %v: want one 200 and seven 409", statuses)
	}
	if n := b.auditCount(id, "accept"); n != 1 || b.status(id) != "appraising" {
		t.Fatalf("%d accept events, status %s", n, b.status(id))
	}
}

// TestLoginLockoutPerAccount: five wrong passwords lock the account for everyone
// (even with the right password, 429 with Retry-After); another account is not
// affected; an administrator above the account's unit clears it, one elsewhere
// cannot.
func TestLoginLockoutPerAccount(t *testing.T) {
	b := setup(t)
	login := func(user, pw string) response {
		return b.do("", "POST", "/api/v1/login", map[string]string{"username": user, "password": pw})
	}
	for i := 0; i < 5; i++ {
		if r := login("xa.clerk", "sai-mat-khau"); r.status != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d %s", i+1, r.status, r.raw)
		}
	}
	r := login("XA.Clerk", seed.DemoPassword)
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") != "900" || r.body["type"] != "/problems/too-many-requests" {
		t.Fatalf("locked account with the right password: %d %v %s", r.status, r.header, r.raw)
	}
	// An unknown username locks the same way, so lockouts reveal nobody.
	for i := 0; i < 5; i++ {
		login("khong.ton.tai", "x")
	}
	if r := login("khong.ton.tai", "x"); r.status != http.StatusTooManyRequests {
		t.Fatalf("unknown account after five failures: %d", r.status)
	}
	if r := login("xa.head", seed.DemoPassword); r.status != http.StatusOK {
		t.Fatalf("another account: %d %s", r.status, r.raw)
	}
	b.must(http.StatusForbidden, "huyen.clerk", "DELETE", "/api/v1/admin/lockouts/xa.clerk", nil)
	b.must(http.StatusNotFound, "tinh.admin", "DELETE", "/api/v1/admin/lockouts/khong.ton.tai", nil)
	b.must(http.StatusNoContent, "tinh.admin", "DELETE", "/api/v1/admin/lockouts/xa.clerk", nil)
	if r := login("xa.clerk", seed.DemoPassword); r.status != http.StatusOK {
		t.Fatalf("after the administrator cleared the lockout: %d %s", r.status, r.raw)
	}
	// The failures before the clearing no longer count: one more is not a lockout.
	login("xa.clerk", "sai")
	if r := login("xa.clerk", seed.DemoPassword); r.status != http.StatusOK {
		t.Fatalf("one failure after clearing: %d", r.status)
	}
}

// TestLoginLockoutPerAddress: behind a trusted proxy, twenty failures from one
// client address over many usernames lock that address, not another.
func TestLoginLockoutPerAddress(t *testing.T) {
	b := setup(t, withAPI(func(s *httpapi.Server) { s.TrustedProxies = []string{"127.0.0.1"} }))
	from := func(ip, user, pw string) response {
		return b.doWith("", "POST", "/api/v1/login", map[string]string{"username": user, "password": pw},
			map[string]string{"X-Forwarded-For": ip})
	}
	for i := 0; i < 20; i++ {
		if r := from("203.0.113.7", fmt.Sprintf("thu.%d", i), "x"); r.status != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d", i, r.status)
		}
	}
	if r := from("203.0.113.7", "xa.clerk", seed.DemoPassword); r.status != http.StatusTooManyRequests {
		t.Fatalf("right password from the locked address: %d %s", r.status, r.raw)
	}
	if r := from("203.0.113.8", "xa.clerk", seed.DemoPassword); r.status != http.StatusOK {
		t.Fatalf("from another address: %d %s", r.status, r.raw)
	}
}

// TestSessionsExpireAndLogoutRevokes: an expired session and a logged-out one no
// longer authenticate.
func TestSessionsExpireAndLogoutRevokes(t *testing.T) {
	b := setup(t)
	tok := b.token("xa.clerk")
	bearer := map[string]string{"Authorization": "Bearer " + tok}
	b.mustWith(http.StatusOK, "", "GET", "/api/v1/me", nil, bearer)
	if _, err := b.pool.Exec(context.Background(), `UPDATE sessions SET expires_at = now() - interval '1 second' WHERE token_hash = $1`,
		sha(tok)); err != nil {
		t.Fatal(err)
	}
	b.mustWith(http.StatusUnauthorized, "", "GET", "/api/v1/me", nil, bearer)
	delete(b.tokens, "xa.clerk")
	tok = b.token("xa.clerk")
	bearer = map[string]string{"Authorization": "Bearer " + tok}
	b.mustWith(http.StatusNoContent, "", "POST", "/api/v1/logout", nil, bearer)
	b.mustWith(http.StatusUnauthorized, "", "GET", "/api/v1/me", nil, bearer)
	b.mustWith(http.StatusUnauthorized, "", "GET", "/api/v1/inbox", nil, map[string]string{"Cookie": "tdkt_session=" + tok})
}

func sha(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

// TestPersonalAPITokens: a token is shown once, stored hashed, authenticates like
// a session, cannot mint tokens, lists without its secret, and stops working when
// revoked or expired; another user cannot revoke it.
func TestPersonalAPITokens(t *testing.T) {
	b := setup(t)
	r := b.must(http.StatusCreated, "huyen.appraiser", "POST", "/api/v1/me/tokens", map[string]any{"name": "Đồng bộ phần mềm văn thư", "expires_in": 3600})
	tok, _ := r.body["token"].(string)
	if !strings.HasPrefix(tok, "tdkt_") || r.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("new token: %s %v", r.raw, r.header)
	}
	var stored int
	if err := b.pool.QueryRow(context.Background(), `SELECT count(*) FROM api_tokens WHERE token_hash = $1`, sha(tok)).Scan(&stored); err != nil || stored != 1 {
		t.Fatalf("token hash stored %d times: %v", stored, err)
	}
	var plain int
	if err := b.pool.QueryRow(context.Background(), `SELECT count(*) FROM api_tokens WHERE position($1 in encode(token_hash, 'escape')) > 0 OR name = $1`,
		tok).Scan(&plain); err != nil || plain != 0 {
		t.Fatalf("the token's secret is stored: %d %v", plain, err)
	}
	bearer := map[string]string{"Authorization": "Bearer " + tok}
	me := b.mustWith(http.StatusOK, "", "GET", "/api/v1/me", nil, bearer)
	if me.body["username"] != "huyen.appraiser" {
		t.Fatalf("token user: %s", me.raw)
	}
	b.mustWith(http.StatusForbidden, "", "POST", "/api/v1/me/tokens", map[string]any{"name": "x"}, bearer)
	list := b.must(http.StatusOK, "huyen.appraiser", "GET", "/api/v1/me/tokens", nil)
	if strings.Contains(string(list.raw), tok) || strings.Contains(string(list.raw), `"token"`) || len(list.body["tokens"].([]any)) != 1 {
		t.Fatalf("token list: %s", list.raw)
	}
	tid := idOf(t, list.body["tokens"].([]any)[0])
	b.must(http.StatusNotFound, "xa.clerk", "DELETE", "/api/v1/me/tokens/"+tid, nil)
	b.mustWith(http.StatusOK, "", "GET", "/api/v1/inbox", nil, bearer)
	b.must(http.StatusNoContent, "huyen.appraiser", "DELETE", "/api/v1/me/tokens/"+tid, nil)
	b.mustWith(http.StatusUnauthorized, "", "GET", "/api/v1/me", nil, bearer)

	r = b.must(http.StatusCreated, "huyen.appraiser", "POST", "/api/v1/me/tokens", map[string]any{"name": "ngắn hạn"})
	short := r.body["token"].(string)
	if _, err := b.pool.Exec(context.Background(), `UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = $1`, sha(short)); err != nil {
		t.Fatal(err)
	}
	b.mustWith(http.StatusUnauthorized, "", "GET", "/api/v1/me", nil, map[string]string{"Authorization": "Bearer " + short})
	b.must(http.StatusBadRequest, "huyen.appraiser", "POST", "/api/v1/me/tokens", map[string]any{"name": "", "expires_in": 10})
	b.must(http.StatusBadRequest, "huyen.appraiser", "POST", "/api/v1/me/tokens", map[string]any{"name": "x", "expires_in": 400 * 24 * 3600})
}

// TestLoginRehashesBcryptToArgon2id: a password stored as bcrypt still logs in,
// and the login replaces the hash with argon2id.
func TestLoginRehashesBcryptToArgon2id(t *testing.T) {
	b := setup(t, withAPI(func(s *httpapi.Server) { s.App.Passwords = &password.Hasher{Cost: bcrypt.MinCost} }))
	old, err := bcrypt.GenerateFromPassword([]byte(seed.DemoPassword), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := b.pool.Exec(ctx, `UPDATE users SET password_hash = $1 WHERE username = 'xa.clerk'`, string(old)); err != nil {
		t.Fatal(err)
	}
	b.token("xa.clerk")
	var hash string
	if err := b.pool.QueryRow(ctx, `SELECT password_hash FROM users WHERE username = 'xa.clerk'`).Scan(&hash); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$") {
		t.Fatalf("hash after login: %s", hash)
	}
	delete(b.tokens, "xa.clerk")
	b.token("xa.clerk")
}

// TestExpensiveRequestsAreRateLimitedPerUser: with a bucket of three, the fourth
// list request of a user is 429 with Retry-After; another user and cheap routes
// are not affected.
func TestExpensiveRequestsAreRateLimitedPerUser(t *testing.T) {
	b := setup(t, withAPI(func(s *httpapi.Server) { s.ExpensiveRate = httpapi.RateLimit{Rate: 0.01, Burst: 3} }))
	for i := 0; i < 3; i++ {
		b.must(http.StatusOK, "tinh.auditor", "GET", "/api/v1/nominations?status=draft", nil)
	}
	r := b.do("tinh.auditor", "GET", "/api/v1/nominations", nil)
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" {
		t.Fatalf("fourth list: %d %v", r.status, r.header)
	}
	b.must(http.StatusOK, "tinh.auditor", "GET", "/api/v1/me", nil)
	b.must(http.StatusOK, "tinh.decider", "GET", "/api/v1/nominations", nil)
}

// TestListPaginationIsCapped: 230 dossiers; a page holds at most 200 whatever the
// client asks, and offset pages on.
func TestListPaginationIsCapped(t *testing.T) {
	b := setup(t)
	if _, err := b.pool.Exec(context.Background(), `INSERT INTO nominations (id, workflow_id, unit_id, award_code, year, title, status, route, created_by)
		SELECT gen_random_uuid(), 'bulk-' || g, $1, 'BK_TINH', 2026, 'Hồ sơ ' || g, 'draft', '[]', (SELECT id FROM users WHERE username = 'xa.clerk')
		FROM generate_series(1, 230) g`, seed.DemoCommune); err != nil {
		t.Fatal(err)
	}
	page := func(q string) int {
		return len(b.must(http.StatusOK, "xa.clerk", "GET", "/api/v1/nominations?"+q, nil).body["nominations"].([]any))
	}
	if n := page("limit=200"); n != 200 {
		t.Fatalf("limit=200 gave %d", n)
	}
	if n := page("limit=100000"); n > 200 {
		t.Fatalf("limit=100000 gave %d rows", n)
	}
	if n := page("limit=200&offset=200"); n != 30 {
		t.Fatalf("second page %d", n)
	}
	b.must(http.StatusBadRequest, "xa.clerk", "GET", "/api/v1/nominations?limit=-1", nil)
}
