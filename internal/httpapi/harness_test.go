package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"

	"github.com/tdkt/tdkt/internal/authz"
	"github.com/tdkt/tdkt/internal/e2etest"
	"github.com/tdkt/tdkt/internal/httpapi"
	"github.com/tdkt/tdkt/internal/pgtest"
	"github.com/tdkt/tdkt/internal/seed"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// bundle is one test's running product: a fresh database with the demo, a real
// Temporal server with tdkt's worker, and the API over HTTP.
type bundle struct {
	t      *testing.T
	pool   *pgxpool.Pool
	url    string
	tokens map[string]string
	tc     client.Client
	enf    *authz.Enforcer
}

// option is one adjustment of a test bundle.
type option = e2etest.Option

// withClock makes the API see the given time as now.
func withClock(now func() time.Time) option { return e2etest.WithClock(now) }

// withFastDeadlines makes every "N working days" last N×unit of real time, so that
// reminders, escalations, consultation windows and concurrence deadlines fire in a test.
func withFastDeadlines(unit time.Duration) option { return e2etest.WithFastDeadlines(unit) }

// withAPI adjusts the API server of a test bundle.
func withAPI(f func(*httpapi.Server)) option { return e2etest.WithServer(f) }

func setup(t *testing.T, opts ...option) *bundle {
	t.Helper()
	// Tests page fast; ratelimit_test.go sets its own rate after this one.
	fast := withAPI(func(s *httpapi.Server) { s.ExpensiveRate = httpapi.RateLimit{Rate: 1000, Burst: 1000} })
	return wrap(t, e2etest.Start(t, append([]option{fast}, opts...)...))
}

// wrap is the bundle over a running product.
func wrap(t *testing.T, e *e2etest.Env) *bundle {
	return &bundle{t: t, pool: e.Pool, url: e.URL, tokens: map[string]string{}, tc: e.Temporal, enf: e.Enforcer}
}

// response is a decoded answer.
type response struct {
	status int
	header http.Header
	body   map[string]any
	raw    []byte
}

func (b *bundle) do(user, method, path string, body any) response {
	b.t.Helper()
	return b.request(user, method, path, body, nil, false)
}

// request does a request with extra headers; a bearer value in hdr["Authorization"]
// replaces the user's login token. Unless lenient, an answer that is not a JSON
// object fails the test.
func (b *bundle) request(user, method, path string, body any, hdr map[string]string, lenient bool) response {
	b.t.Helper()
	var rd io.Reader
	switch v := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(v)
	case []byte:
		rd = bytes.NewReader(v)
	default:
		js, err := json.Marshal(v)
		if err != nil {
			b.t.Fatal(err)
		}
		rd = bytes.NewReader(js)
	}
	req, err := http.NewRequest(method, b.url+path, rd)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+b.token(user))
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	r := response{status: res.StatusCode, header: res.Header, raw: raw}
	if len(raw) > 0 {
		if lenient {
			if json.Valid(raw) {
				_ = json.Unmarshal(raw, &r.body)
			}
		} else if err := json.Unmarshal(raw, &r.body); err != nil {
			b.t.Fatalf("%s %s: answer is not a JSON object: %s", method, path, raw)
		}
	}
	return r
}

// must does a request and fails the test unless the status is want.
func (b *bundle) must(want int, user, method, path string, body any) response {
	b.t.Helper()
	r := b.do(user, method, path, body)
	if r.status != want {
		b.t.Fatalf("%s %s as %s: status %d, want %d: %s", method, path, user, r.status, want, r.raw)
	}
	return r
}

func (b *bundle) token(user string) string {
	b.t.Helper()
	if tok, ok := b.tokens[user]; ok {
		return tok
	}
	r := b.must(http.StatusOK, "", "POST", "/api/v1/login", map[string]string{"username": user, "password": seed.DemoPassword})
	tok, _ := r.body["token"].(string)
	if tok == "" {
		b.t.Fatalf("login %s: no token in %s", user, r.raw)
	}
	b.tokens[user] = tok
	return tok
}

// count returns a row count, for "nothing left behind" checks.
func (b *bundle) count(table string) int {
	b.t.Helper()
	var n int
	if err := b.pool.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		b.t.Fatal(err)
	}
	return n
}

// inbox returns the user's open tasks as (nomination id, step) pairs.
func (b *bundle) inbox(user string) []map[string]any {
	b.t.Helper()
	r := b.must(http.StatusOK, user, "GET", "/api/v1/inbox", nil)
	var out []map[string]any
	for _, t := range r.body["tasks"].([]any) {
		out = append(out, t.(map[string]any))
	}
	return out
}

// taskFor returns the user's open task on a dossier, failing if there is none.
func (b *bundle) taskFor(user, nominationID string) map[string]any {
	b.t.Helper()
	for _, t := range b.inbox(user) {
		if t["nomination_id"] == nominationID {
			return t
		}
	}
	b.t.Fatalf("%s has no task on dossier %s", user, nominationID)
	return nil
}

func (b *bundle) hasTask(user, nominationID string) bool {
	b.t.Helper()
	for _, t := range b.inbox(user) {
		if t["nomination_id"] == nominationID {
			return true
		}
	}
	return false
}
