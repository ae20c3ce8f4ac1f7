package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/app"
	"github.com/tdkt/tdkt/internal/authz"
	"github.com/tdkt/tdkt/internal/dossiers"
	"github.com/tdkt/tdkt/internal/e2etest"
	"github.com/tdkt/tdkt/internal/httpapi"
	"github.com/tdkt/tdkt/internal/httpx"
	"github.com/tdkt/tdkt/internal/refdata"
	"github.com/tdkt/tdkt/internal/seed"
	"github.com/tdkt/tdkt/internal/usecase"
	"github.com/tdkt/tdkt/internal/web"
	"github.com/tdkt/tdkt/internal/webui"
)

// benchDossiers is how many dossiers the page benchmarks run against.
const benchDossiers = 20_000

// seedBenchDossiers adds n dossiers to the demo, spread over every commune of Lạng
// Sơn, each a Bằng khen tỉnh with three nominees and its route (district, then the
// province): a fifth in draft, the rest at intake or appraisal at their district
// (about half of those overdue), at the province, or decided with a numbered
// decision; each has its audit events and its open task. The rows are written in
// bulk SQL because going through Temporal would take minutes; the shapes are the
// ones the Record activity writes.
func seedBenchDossiers(tb testing.TB, n int) (*dossiers.Store, string) {
	tb.Helper()
	ctx := context.Background()
	pool := e2etest.DemoDB(tb)
	_, err := pool.Exec(ctx, `
		WITH communes AS (
			SELECT c.id, c.parent_id, d.name AS dname, row_number() OVER (ORDER BY c.id) - 1 AS i, count(*) OVER () AS total
			FROM units c JOIN units d ON d.id = c.parent_id WHERE c.level = 'commune'),
		clerk AS (SELECT id FROM users WHERE username = 'xa.clerk'),
		gen AS (SELECT g, c.id AS unit_id, c.parent_id AS district_id, c.dname FROM generate_series(1, $1) g
			JOIN communes c ON c.i = (CASE WHEN g % 4 = 0 THEN (SELECT i FROM communes WHERE id = 'LS-09-003') ELSE g % c.total END)),
		shaped AS (SELECT g, unit_id, district_id, dname,
			CASE g % 5 WHEN 0 THEN 'draft' WHEN 1 THEN 'intake' WHEN 2 THEN 'appraising' WHEN 3 THEN 'appraising' ELSE 'decided' END AS status,
			CASE WHEN g % 5 = 3 THEN 1 ELSE 0 END AS route_index FROM gen)
		INSERT INTO nominations (workflow_id, unit_id, award_code, year, title, status, current_step, current_unit_id, route,
			route_index, version, created_by, created_at, updated_at, submitted_at, closed_at, stage_due_at)
		SELECT 'bench-' || g, unit_id, 'BK_TINH', 2020 + g % 6,
			'Đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh năm ' || (2020 + g % 6) || ', hồ sơ số ' || g, status,
			CASE status WHEN 'draft' THEN 'submit' WHEN 'intake' THEN 'intake' WHEN 'appraising' THEN 'appraise' ELSE '' END,
			CASE status WHEN 'draft' THEN unit_id WHEN 'decided' THEN NULL ELSE (CASE route_index WHEN 0 THEN district_id ELSE 'LS' END) END,
			jsonb_build_array(
				jsonb_build_object('unit_id', district_id, 'unit_name', 'UBND huyện ' || dname, 'level', 'district', 'decides', false),
				jsonb_build_object('unit_id', 'LS', 'unit_name', 'UBND tỉnh Lạng Sơn', 'level', 'province', 'decides', true, 'council', true)),
			route_index, CASE status WHEN 'draft' THEN 0 WHEN 'decided' THEN 6 ELSE 1 + route_index * 3 END,
			(SELECT id FROM clerk), now() - (g || ' minutes')::interval, now() - (g || ' seconds')::interval,
			CASE WHEN status <> 'draft' THEN now() - (g || ' seconds')::interval END,
			CASE WHEN status = 'decided' THEN now() - (g || ' seconds')::interval END,
			CASE WHEN status IN ('intake', 'appraising') THEN now() + ((hashtext('bench-' || g) % 15) || ' days')::interval END
		FROM shaped`, n)
	if err != nil {
		tb.Fatal(err)
	}
	_, err = pool.Exec(ctx, `
		INSERT INTO nominees (nomination_id, position, kind, name, job_title, organisation, achievements, status)
		SELECT n.id, p, CASE p WHEN 3 THEN 'collective' ELSE 'individual' END,
			CASE p WHEN 1 THEN 'Hoàng Văn Tùng' WHEN 2 THEN 'Nông Thị Hoa' ELSE 'Hội Nông dân xã' END,
			CASE p WHEN 3 THEN '' ELSE 'Trưởng thôn' END, 'Thôn Bản Loỏng',
			'Dẫn đầu phong trào "Cả nước chung tay vì người nghèo – Không để ai bị bỏ lại phía sau"',
			CASE n.status WHEN 'decided' THEN 'awarded' ELSE 'pending' END
		FROM nominations n CROSS JOIN generate_series(1, 3) p;
		INSERT INTO audit_events (nomination_id, seq, at, actor_id, action, from_status, to_status, unit_id, details)
		SELECT n.id, 0, n.created_at, n.created_by, 'create', '', 'draft', n.unit_id, '{"award_code": "BK_TINH", "nominees": 3}'
		FROM nominations n;
		INSERT INTO audit_events (nomination_id, seq, at, actor_id, action, from_status, to_status, unit_id, details)
		SELECT n.id, 1, n.submitted_at, n.created_by, 'submit', 'draft', 'intake', n.unit_id,
			jsonb_build_object('next_step', 'intake', 'next_unit_id', n.route->0->>'unit_id')
		FROM nominations n WHERE n.status <> 'draft';
		INSERT INTO decision_counters (unit_id, year, last_number)
		SELECT 'LS', 2026, count(*) FROM nominations WHERE status = 'decided';
		INSERT INTO decisions (nomination_id, unit_id, year, number, code, signed_by, signed_on, created_at)
		SELECT n.id, 'LS', 2026, row_number() OVER (ORDER BY n.id), row_number() OVER (ORDER BY n.id) || '/QĐ-UBND',
			(SELECT id FROM users WHERE username = 'tinh.decider'), current_date, n.closed_at
		FROM nominations n WHERE n.status = 'decided';
		INSERT INTO tasks (nomination_id, seq, step, unit_id, role, status, due_at, created_at)
		SELECT n.id, n.version, n.current_step, n.current_unit_id,
			CASE n.current_step WHEN 'submit' THEN 'clerk' ELSE 'appraiser' END, 'open',
			n.stage_due_at, n.created_at
		FROM nominations n WHERE n.status <> 'decided';
		ANALYZE`)
	if err != nil {
		tb.Fatal(err)
	}
	var detail string
	if err := pool.QueryRow(ctx, `SELECT id FROM nominations WHERE unit_id = 'LS-09-003' AND status = 'appraising'
		ORDER BY created_at LIMIT 1`).Scan(&detail); err != nil {
		tb.Fatal(err)
	}
	return dossiers.NewStore(pool), detail
}

// BenchmarkPages renders the main pages through the whole HTTP stack (session,
// CSRF token, Casbin, PostgreSQL reads, templates) against the demo with 20,000
// dossiers, and reports the 95th percentile of the per-request time besides the
// mean. Run with: go test -run '^$' -bench Pages ./internal/web/
func BenchmarkPages(b *testing.B) {
	st, detail := seedBenchDossiers(b, benchDossiers)
	subject := seedBenchSubjects(b, st.Pool, benchSubjects)
	ctx := context.Background()
	// The mid-term review of movement 1258 (226 commune and 11 district reports) for
	// the report and movement pages.
	if err := seed.Review1258(ctx, st.Pool); err != nil {
		b.Fatal(err)
	}
	enf, err := authz.Load(ctx, st.Pool, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	svc := app.New(st.Pool, &usecase.Base{Authz: enf})
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	ui, err := webui.New(web.Config{App: svc, Log: log, Calendar: refdata.NewStore(st.Pool).LoadCalendar})
	if err != nil {
		b.Fatal(err)
	}
	handler := (&httpapi.Server{App: svc, Log: log, Mount: []func(*gin.Engine){ui.Mount}}).Handler()
	login := func(user string) *http.Cookie {
		sess, err := svc.Login(ctx, user, seed.DemoPassword)
		if err != nil {
			b.Fatal(err)
		}
		return &http.Cookie{Name: httpx.SessionCookie, Value: sess.Token}
	}
	district, province, admin := login("huyen.appraiser"), login("tinh.appraiser"), login("tinh.admin")
	for _, pg := range []struct {
		name, path string
		who        *http.Cookie
		want       string
	}{
		{"inbox", "/inbox", district, `data-dossier=`},
		{"dossier-list", "/dossiers", province, `/dossiers/`},
		{"dossier-list-filtered", "/dossiers?status=appraising&unit=LS-09-003&year=2024", province, `/dossiers/`},
		{"dossier-detail", "/dossiers/" + detail, district, `id="appraise-form"`},
		{"dashboard", "/", province, `id="h-waiting"`},
		{"decisions", "/decisions", province, `/QĐ-UBND`},
		{"units", "/units", province, `UBND xã Bảo Lâm`},
		{"calendar", "/calendar", province, `id="holidays"`},
		{"review-report", "/reviews/" + seed.Campaign1258ID + "/reports/" + seed.DemoDistrict, province, `id="report-indicators"`},
		{"movement", "/movements/" + seed.MovementLS1258ID, province, `id="registrations"`},
		{"history", "/history", province, `class="subject"`},
		{"history-search", "/history?q=nguyen+van", province, `Nguyễn Văn`},
		{"subject-eligibility", fmt.Sprintf("/history/subjects/%d?award=BK_TINH&year=2024", subject), province, `id="elig-result"`},
		{"admin-users", "/admin/users", admin, `id="admin-users"`},
	} {
		b.Run(pg.name, func(b *testing.B) {
			get := func() *httptest.ResponseRecorder {
				req := httptest.NewRequest(http.MethodGet, pg.path, nil)
				req.AddCookie(pg.who)
				rec := httptest.NewRecorder()
				handler.ServeHTTP(rec, req)
				return rec
			}
			if rec := get(); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), pg.want) {
				b.Fatalf("GET %s: %d, lacks %q:\n%.2000s", pg.path, rec.Code, pg.want, rec.Body.String())
			}
			durations := make([]time.Duration, 0, b.N)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				start := time.Now()
				if rec := get(); rec.Code != http.StatusOK {
					b.Fatalf("GET %s: %d", pg.path, rec.Code)
				}
				durations = append(durations, time.Since(start))
			}
			b.StopTimer()
			b.ReportMetric(p95(durations), "p95-ms")
		})
	}
}

// p95 returns the 95th percentile of the durations, in milliseconds.
func p95(ds []time.Duration) float64 {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	i := int(math.Ceil(0.95*float64(len(ds)))) - 1
	return float64(ds[i]) / float64(time.Millisecond)
}
