package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tdkt/tdkt/internal/app"
	"github.com/tdkt/tdkt/internal/dossiers"
	"github.com/tdkt/tdkt/internal/e2etest"
	"github.com/tdkt/tdkt/internal/httpapi"
	"github.com/tdkt/tdkt/internal/pgtest"
	"github.com/tdkt/tdkt/internal/seed"
	"github.com/tdkt/tdkt/internal/web"
	"github.com/tdkt/tdkt/internal/webui"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// bundle is one test's running product: a fresh database with the demo, a real
// Temporal server with tdkt's worker, and the API with the web UI mounted, over HTTP.
type bundle struct {
	t    testing.TB
	pool *pgxpool.Pool
	url  string
	svc  *app.Service
}

// beforeReform is a day when districts still decided the commune's Giấy khen and
// forwarded its Bằng khen (the district level was abolished on 2025-07-01). The
// application runs on that day so that the demo's district takes part.
func beforeReform() time.Time { return time.Date(2025, 6, 16, 3, 0, 0, 0, time.UTC) }

// setup starts the whole product for one test, as `tdkt serve` wires it, with the
// application's clock on beforeReform.
func setup(t *testing.T) *bundle {
	t.Helper()
	e := e2etest.Start(t, e2etest.WithClock(beforeReform), e2etest.WithMount(mountUI),
		e2etest.WithServer(func(s *httpapi.Server) { s.MaxBodyBytes = 1 << 20 }))
	return &bundle{t: t, pool: e.Pool, url: e.URL, svc: e.Service}
}

// mountUI builds the web UI over the application, as cmd/tdkt does.
func mountUI(e *e2etest.Env) (func(*gin.Engine), error) {
	pki, err := testPKI()
	if err != nil {
		return nil, err
	}
	ui, err := webui.New(web.Config{App: e.Service, Log: e.Log, Calendar: e.Service.RefData.Store.LoadCalendar, Signing: pki})
	if err != nil {
		return nil, err
	}
	return ui.Mount, nil
}

// count returns a row count, for "nothing changed" checks.
func (b *bundle) count(table string) int {
	b.t.Helper()
	var n int
	if err := b.pool.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		b.t.Fatal(err)
	}
	return n
}

// browser is one user's cookie jar on the site, without JavaScript: it follows
// redirects like a browser and remembers the page's CSRF token.
type browser struct {
	b      *bundle
	client *http.Client
	csrf   string
	lang   string
}

// page is a fetched page.
type page struct {
	status int
	header http.Header
	body   string
	url    string
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (b *bundle) anonymous() *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return &browser{b: b, client: &http.Client{Jar: jar}}
}

// login logs the user in through the login form.
func (b *bundle) login(user string) *browser {
	b.t.Helper()
	br := b.anonymous()
	br.get("/login")
	p := br.post("/login", url.Values{"username": {user}, "password": {seed.DemoPassword}})
	if p.status != http.StatusOK || strings.Contains(p.url, "/login") {
		b.t.Fatalf("login %s: %d at %s:\n%s", user, p.status, p.url, p.body)
	}
	return br
}

func (br *browser) do(req *http.Request) page {
	br.b.t.Helper()
	if br.lang != "" {
		req.Header.Set("Accept-Language", br.lang)
	}
	res, err := br.client.Do(req)
	if err != nil {
		br.b.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		br.b.t.Fatal(err)
	}
	p := page{status: res.StatusCode, header: res.Header, body: string(raw), url: res.Request.URL.String()}
	if m := csrfRe.FindStringSubmatch(p.body); m != nil {
		br.csrf = m[1]
	}
	return p
}

func (br *browser) get(path string) page {
	br.b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, br.b.url+path, nil)
	if err != nil {
		br.b.t.Fatal(err)
	}
	return br.do(req)
}

// post sends a form with the CSRF token of the last page (unless the form has one).
func (br *browser) post(path string, form url.Values) page {
	br.b.t.Helper()
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", br.csrf)
	}
	req, err := http.NewRequest(http.MethodPost, br.b.url+path, strings.NewReader(form.Encode()))
	if err != nil {
		br.b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return br.do(req)
}

// must fails the test unless the page has the status.
func (p page) must(t testing.TB, status int) page {
	t.Helper()
	if p.status != status {
		t.Fatalf("%s: status %d, want %d:\n%s", p.url, p.status, status, p.body)
	}
	return p
}

// has fails the test unless the page contains every text.
func (p page) has(t testing.TB, texts ...string) page {
	t.Helper()
	for _, s := range texts {
		if !strings.Contains(p.body, s) {
			t.Fatalf("%s does not show %q:\n%s", p.url, s, p.body)
		}
	}
	return p
}

// lacks fails the test if the page contains any of the texts.
func (p page) lacks(t testing.TB, texts ...string) page {
	t.Helper()
	for _, s := range texts {
		if strings.Contains(p.body, s) {
			t.Fatalf("%s shows %q but should not:\n%s", p.url, s, p.body)
		}
	}
	return p
}

var dossierURLRe = regexp.MustCompile(`/dossiers/([0-9a-f-]{36})`)

// dossierID returns the id of the dossier whose page p is.
func (p page) dossierID(t testing.TB) string {
	t.Helper()
	m := dossierURLRe.FindStringSubmatch(p.url)
	if m == nil {
		t.Fatalf("not a dossier page: %s", p.url)
	}
	return m[1]
}

var versionRe = regexp.MustCompile(`name="version" value="(\d+)"`)

// version returns the dossier version the page's action forms carry.
func (p page) version(t testing.TB) string {
	t.Helper()
	m := versionRe.FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("%s has no action form:\n%s", p.url, p.body)
	}
	return m[1]
}

// userID returns the id of a demo user.
func (b *bundle) userID(username string) int64 {
	b.t.Helper()
	var id int64
	if err := b.pool.QueryRow(context.Background(), `SELECT id FROM users WHERE username = $1`, username).Scan(&id); err != nil {
		b.t.Fatal(err)
	}
	return id
}

// moreDossiers gives the dashboard something to draw: n Giấy khen dossiers of the
// demo commune created through the application as its clerk, all but the first
// submitted, every other submitted one taken on by the district's standing body,
// and one open task of the district made two days overdue on the application's
// clock (test data: its due date is moved back, as if the dossier had waited).
func (b *bundle) moreDossiers(n int) {
	b.t.Helper()
	ctx := context.Background()
	clerk, appraiser := b.userID("xa.clerk"), b.userID("huyen.appraiser")
	for i := range n {
		d, err := b.svc.CreateNomination(ctx, clerk, dossiers.CreateNominationInput{UnitID: seed.DemoCommune, AwardCode: "GK",
			Year: 2025, Title: fmt.Sprintf("Đề nghị tặng Giấy khen hộ gia đình tiêu biểu, đợt %d", i+1),
			Nominees: []dossiers.NomineeInput{{Kind: "household", Name: fmt.Sprintf("Hộ gia đình số %d thôn Bản Loỏng", i+1)}}})
		if err != nil {
			b.t.Fatal(err)
		}
		if i == 0 {
			continue
		}
		if _, err := b.svc.Act(ctx, clerk, d.ID, dossiers.ActInput{Action: "submit"}, ""); err != nil {
			b.t.Fatal(err)
		}
		if i%2 == 0 {
			if _, err := b.svc.Act(ctx, appraiser, d.ID, dossiers.ActInput{Action: "accept"}, ""); err != nil {
				b.t.Fatal(err)
			}
		}
	}
	if _, err := b.pool.Exec(ctx, `WITH late AS (
			UPDATE tasks SET due_at = $2::timestamptz - interval '2 days'
			WHERE id = (SELECT min(id) FROM tasks WHERE status = 'open' AND unit_id = $1)
			RETURNING nomination_id, due_at)
		UPDATE nominations n SET stage_due_at = late.due_at FROM late WHERE n.id = late.nomination_id`,
		seed.DemoDistrict, b.svc.Now()); err != nil {
		b.t.Fatal(err)
	}
}
