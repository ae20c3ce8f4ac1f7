package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/server/temporaltest"
	"golang.org/x/crypto/bcrypt"

	"github.com/tdkt/tdkt/activities"
	"github.com/tdkt/tdkt/internal/app"
	"github.com/tdkt/tdkt/internal/authz"
	"github.com/tdkt/tdkt/internal/httpapi"
	"github.com/tdkt/tdkt/internal/password"
	"github.com/tdkt/tdkt/internal/pgtest"
	"github.com/tdkt/tdkt/internal/seed"
	"github.com/tdkt/tdkt/internal/store"
	"github.com/tdkt/tdkt/workflows"
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

// options adjust a test bundle.
type options struct {
	now  func() time.Time               // the API's clock (the date a dossier is created on)
	days func(time.Time, int) time.Time // "N working days after" for deadlines; nil = the calendar
	api  []func(*httpapi.Server)        // adjustments of the API server (security options)
}

// option is one adjustment.
type option func(*options)

// withClock makes the API see the given time as now.
func withClock(now func() time.Time) option { return func(o *options) { o.now = now } }

// withFastDeadlines makes every "N working days" last N×unit of real time, so that
// reminders, escalations, consultation windows and concurrence deadlines fire in a test.
func withFastDeadlines(unit time.Duration) option {
	return func(o *options) {
		o.days = func(from time.Time, n int) time.Time { return from.Add(time.Duration(n) * unit) }
	}
}

func setup(t *testing.T, opts ...option) *bundle {
	t.Helper()
	var o options
	for _, f := range opts {
		f(&o)
	}
	ctx := context.Background()
	pool := pgtest.NewPool(t)
	if _, err := seed.Demo(ctx, pool, password.Hasher{Cost: bcrypt.MinCost}.Hash); err != nil {
		t.Fatal(err)
	}
	ts := temporaltest.NewServer(temporaltest.WithT(t))
	st := store.New(pool)
	ts.NewWorker(workflows.TaskQueue, func(r worker.Registry) {
		workflows.Register(r, &activities.Activities{Store: st, Calendar: st.LoadCalendar, AddWorkingDays: o.days})
	})
	enf, err := authz.Load(ctx, pool, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	svc := &app.Service{Store: st, Authz: enf, Temporal: ts.GetDefaultClient(), TaskQueue: workflows.TaskQueue, Now: o.now}
	api := &httpapi.Server{App: svc, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), MaxBodyBytes: 64 << 10}
	api.ExpensiveRate = httpapi.RateLimit{Rate: 1000, Burst: 1000} // tests page fast; ratelimit_test.go sets its own
	for _, f := range o.api {
		f(api)
	}
	srv := httptest.NewServer(api.Handler())
	t.Cleanup(srv.Close)
	return &bundle{t: t, pool: pool, url: srv.URL, tokens: map[string]string{}, tc: ts.GetDefaultClient(), enf: enf}
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
	var rd io.Reader
	switch v := body.(type) {
	case nil:
	case string:
		rd = bytes.NewBufferString(v)
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
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	r := response{status: res.StatusCode, header: res.Header, raw: raw}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &r.body); err != nil {
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
