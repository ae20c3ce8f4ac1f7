package main

import (
	"cmp"
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"

	"github.com/tdkt/tdkt/internal/accounts"
	"github.com/tdkt/tdkt/internal/app"
	"github.com/tdkt/tdkt/internal/authz"
	"github.com/tdkt/tdkt/internal/authz/national"
	"github.com/tdkt/tdkt/internal/httpapi"
	"github.com/tdkt/tdkt/internal/ops"
	"github.com/tdkt/tdkt/internal/postgres"
	"github.com/tdkt/tdkt/internal/seed"
	"github.com/tdkt/tdkt/internal/usecase"
	"github.com/tdkt/tdkt/internal/web"
	"github.com/tdkt/tdkt/internal/webui"
	"github.com/tdkt/tdkt/workflows/contract"
)

// The reads scenario (#17, scenario 2): the country's dossiers in the database, 50
// people working. It seeds in bulk by SQL, over the national skeleton, -dossiers
// dossiers with three nominees each (each nominee a subject of the dossier's commune,
// a person nominated about twice over the years), with a realistic spread of statuses,
// years, open tasks and due dates; then -clients HTTP clients, each a user of some
// level (commune clerk, province appraiser, ministry appraiser), read for -duration
// through the real API and web UI: the inbox, the dossier list with three filters, a
// nominee-name search typed without diacritics, the dashboard, the deadline counts of
// a province, and one dossier page. It reports p50/p95/p99 and throughput per read,
// against the target p99 ≤ 50 ms, and logs EXPLAIN (ANALYZE, BUFFERS) of the SQL
// behind the slow ones.

// readsReport is the JSON of the reads scenario.
type readsReport struct {
	Scenario string  `json:"scenario"`
	Machine  machine `json:"machine"`
	Params   struct {
		Dossiers int     `json:"dossiers"`
		Nominees int     `json:"nominees"`
		Subjects int     `json:"subjects"`
		OpenTask int     `json:"open_tasks"`
		Clients  int     `json:"clients"`
		Duration float64 `json:"duration_seconds"`
		// ThinkSeconds is the mean pause between a client's reads (0: closed loop).
		ThinkSeconds float64 `json:"think_seconds"`
		// WarmupSeconds: reads started in this first part of the run are not counted.
		WarmupSeconds float64 `json:"warmup_seconds,omitempty"`
	} `json:"params"`
	SeedSeconds float64 `json:"seed_seconds"` // 0 when the database was reused
	Reused      string  `json:"reused_database,omitempty"`
	// ReadsPerSecond is the throughput of all reads together.
	ReadsPerSecond float64                `json:"reads_per_second"`
	Reads          map[string]latencyJSON `json:"reads"` // "us" fields in microseconds
	Errors         map[string]int         `json:"errors,omitempty"`
	TargetP99ms    float64                `json:"target_p99_ms"`
	// Timeline is every read (the warm-up's too) by the window of the run it
	// started in: how long a cold start lasts.
	Timeline []timelineWindow `json:"timeline"`
	// CPUms is the CPU time per counted read, in ms, of the bench process (the
	// server and the clients) and of the PostgreSQL backends, over the counted part
	// of the run: what a read costs, which its latency on a shared machine does not say.
	CPUms *cpuJSON `json:"cpu_ms_per_read,omitempty"`
	// GaugesMs is how long one reading of the business gauges took (what a
	// /metrics scrape costs each tdkt serve replica once per 15 s), after the reads,
	// three readings.
	GaugesMs []float64 `json:"business_gauges_ms,omitempty"`
}

// timedRead is one read: when it started in the run, how long it took, what was
// read and by whom (the reader's level).
type timedRead struct {
	at, took    time.Duration
	kind, level string
}

// writeReadsCSV writes every read, the warm-up's too, in the order they started:
// start and duration in milliseconds from the run's start, the read and the
// reader's level. A tail seen in a window of the timeline can be traced to the
// reads around it.
func writeReadsCSV(path string, reads []timedRead) error {
	slices.SortFunc(reads, func(a, b timedRead) int { return cmp.Compare(a.at, b.at) })
	var b strings.Builder
	b.WriteString("start_ms,took_ms,read,level\n")
	for _, r := range reads {
		fmt.Fprintf(&b, "%.1f,%.1f,%s,%s\n", float64(r.at.Microseconds())/1e3, float64(r.took.Microseconds())/1e3, r.kind, r.level)
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// timelineWindow summarises the reads started in [FromSeconds, FromSeconds+window).
type timelineWindow struct {
	FromSeconds float64     `json:"from_seconds"`
	Reads       latencyJSON `json:"reads"`
}

// printTimeline prints and returns the p50/p99/max of all reads together by window
// of the run, from its start.
func printTimeline(reads []timedRead, window time.Duration) []timelineWindow {
	byWindow := map[int][]time.Duration{}
	last := 0
	for _, r := range reads {
		w := int(r.at / window)
		byWindow[w] = append(byWindow[w], r.took)
		last = max(last, w)
	}
	fmt.Printf("  all reads by %s of the run (warm-up included):\n", window)
	var out []timelineWindow
	for w := 0; w <= last; w++ {
		l := national.Summarise(byWindow[w], window)
		out = append(out, timelineWindow{FromSeconds: (time.Duration(w) * window).Seconds(), Reads: toJSON(l)})
		fmt.Printf("    %3.0f–%3.0f s: %4d reads, p50 %7.1f ms, p99 %7.1f ms, max %7.1f ms\n", (time.Duration(w) * window).Seconds(),
			(time.Duration(w+1) * window).Seconds(), l.N, float64(l.P50.Microseconds())/1e3, float64(l.P99.Microseconds())/1e3,
			float64(l.Max.Microseconds())/1e3)
	}
	return out
}

// readKinds are the reads in the order of the table.
var readKinds = []string{"inbox", "dossier_list_3_filters", "nominee_search_no_diacritics", "dashboard", "deadlines_province", "dossier_page"}

// Generated people: family, middle and given names (the search types them folded).
var (
	benchFamilies = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Nông", "Lương", "Hà", "Vi"}
	benchMiddles  = []string{"Văn", "Thị", "Đức", "Minh", "Ngọc", "Quang", "Thanh", "Hữu", "Xuân", "Thu"}
	benchGivens   = []string{"An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hoa", "Hùng", "Hương", "Huyền", "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Ngân", "Phong", "Phúc", "Phương", "Quân", "Quyên", "Sơn", "Tâm", "Thắng", "Thảo", "Thủy", "Trang", "Trung", "Tú", "Tuấn", "Uyên", "Việt", "Vinh", "Xuân", "Yến", "Đạt"}
)

func sqlArray(xs []string) string {
	return "ARRAY['" + strings.Join(xs, "','") + "']"
}

// seedReads loads the skeleton, the users and the dossiers; it returns the number of
// subjects and open tasks.
func seedReads(ctx context.Context, pool *pgxpool.Pool, dossiers int) (subjects, open int, err error) {
	if _, err := seed.National(ctx, pool); err != nil {
		return 0, 0, err
	}
	if _, err := addBenchUsers(ctx, pool); err != nil {
		return 0, 0, err
	}
	// Communes numbered 0..C-1; a commune's clerk created the dossiers there.
	steps := []struct{ name, sql string }{
		{"communes", `CREATE TABLE bench_communes AS
			SELECT (row_number() OVER (ORDER BY u.id) - 1)::int AS idx, u.id, u.parent_id AS province,
			       (SELECT user_id FROM role_assignments r WHERE r.unit_id = u.id AND r.role = 'clerk' LIMIT 1) AS clerk
			FROM units u WHERE u.level = 'commune'`},
		{"awards", `CREATE TABLE bench_awards AS
			SELECT (row_number() OVER (ORDER BY code) - 1)::int AS idx, code FROM awards`},
		// Subjects: 450 people per commune.
		{"subjects", fmt.Sprintf(`INSERT INTO subjects (id, unit_id, code, kind, name)
			OVERRIDING SYSTEM VALUE
			SELECT s + 1, c.id, 'CD' || lpad(s::text, 9, '0'), 'individual',
			       (%s)[1 + (s * 7 + s / 13) %% %d] || ' ' || (%s)[1 + (s / 3) %% %d] || ' ' || (%s)[1 + (s * 31 + s / 7) %% %d]
			FROM generate_series(0, (SELECT count(*) FROM bench_communes) * 450 - 1) AS s
			JOIN bench_communes c ON c.idx = s %% (SELECT count(*) FROM bench_communes)`,
			sqlArray(benchFamilies), len(benchFamilies), sqlArray(benchMiddles), len(benchMiddles), sqlArray(benchGivens), len(benchGivens))},
		{"subjects sequence", `SELECT setval(pg_get_serial_sequence('subjects', 'id'), (SELECT max(id) FROM subjects))`},
		// Dossiers: status by a hash of the number, open ones in 2026, closed ones
		// over 2020–2026; an open dossier past the commune waits at the province.
		// An open dossier waits at the step of its open task, due from 10 days ago
		// to 30 days ahead (stage_due_at, as the workflow records it).
		{"dossiers", fmt.Sprintf(`INSERT INTO nominations (id, workflow_id, unit_id, award_code, year, title, status, current_step,
				current_unit_id, route, created_by, created_at, updated_at, submitted_at, closed_at, stage_due_at)
			SELECT md5('bench' || d)::uuid, 'bench-' || d, c.id, a.code, x.year,
			       'Đề nghị khen thưởng số ' || d, x.status,
			       CASE x.status WHEN 'draft' THEN 'submit' WHEN 'returned' THEN 'supplement' WHEN 'voting' THEN 'vote'
			            WHEN 'deciding' THEN 'decide' WHEN 'forwarding' THEN 'forward' WHEN 'intake' THEN 'intake'
			            WHEN 'appraising' THEN 'appraise' ELSE '' END,
			       CASE WHEN x.status IN ('draft', 'returned', 'intake') OR x.h %% 3 = 0 THEN c.id ELSE c.province END,
			       jsonb_build_array(jsonb_build_object('unit_id', c.id, 'unit_name', c.id, 'level', 'commune', 'decides', false),
			                         jsonb_build_object('unit_id', c.province, 'unit_name', c.province, 'level', 'province', 'decides', true)),
			       c.clerk, x.created, x.created + interval '3 days', x.created + interval '1 day',
			       CASE WHEN x.status IN ('decided', 'rejected', 'withdrawn') THEN x.created + interval '40 days' END,
			       CASE WHEN x.status NOT IN ('decided', 'rejected', 'withdrawn')
			            THEN now() + ((abs(hashtext('bench-' || d)) %% 40) - 10) * interval '1 day' END
			FROM generate_series(0, %d - 1) AS d
			CROSS JOIN LATERAL (SELECT (d::bigint * 2654435761 %% 1000003)::int AS h) hh
			CROSS JOIN LATERAL (SELECT hh.h,
			       CASE WHEN hh.h %% 100 < 50 THEN 'decided' WHEN hh.h %% 100 < 54 THEN 'rejected' WHEN hh.h %% 100 < 57 THEN 'withdrawn'
			            WHEN hh.h %% 100 < 64 THEN 'draft' WHEN hh.h %% 100 < 68 THEN 'intake' WHEN hh.h %% 100 < 80 THEN 'appraising'
			            WHEN hh.h %% 100 < 83 THEN 'returned' WHEN hh.h %% 100 < 87 THEN 'voting' WHEN hh.h %% 100 < 91 THEN 'forwarding'
			            ELSE 'deciding' END AS status) s0
			CROSS JOIN LATERAL (SELECT s0.h, s0.status,
			       CASE WHEN s0.status IN ('decided', 'rejected', 'withdrawn') THEN 2020 + d %% 7 ELSE 2026 END AS year) y0
			CROSS JOIN LATERAL (SELECT y0.h, y0.status, y0.year,
			       LEAST(make_date(y0.year, 1, 1) + (y0.h / 100) %% 330, now()::date - 1)::timestamptz AS created) x
			JOIN bench_communes c ON c.idx = d %% (SELECT count(*) FROM bench_communes)
			JOIN bench_awards a ON a.idx = (x.h / 7) %% (SELECT count(*) FROM bench_awards)`, dossiers)},
		// Three nominees each: people of the dossier's commune.
		{"nominees", fmt.Sprintf(`INSERT INTO nominees (nomination_id, position, kind, name, subject_id, status)
			SELECT n.id, p, 'individual', s.name, s.id, CASE WHEN n.status = 'decided' THEN 'decided' ELSE 'pending' END
			FROM generate_series(0, %d - 1) AS d
			CROSS JOIN generate_series(1, 3) AS p
			JOIN nominations n ON n.workflow_id = 'bench-' || d
			JOIN subjects s ON s.id = 1 + d %% (SELECT count(*) FROM bench_communes)
			     + (SELECT count(*) FROM bench_communes) * (((d / (SELECT count(*) FROM bench_communes)) * 3 + p) %% 450)`, dossiers)},
		// One open task per open dossier, where it waits; due from 10 days ago to 30 ahead.
		{"open tasks", `INSERT INTO tasks (nomination_id, seq, step, unit_id, role, status, due_at, created_at)
			SELECT n.id, 1, n.current_step,
			       n.current_unit_id, CASE WHEN n.current_unit_id = n.unit_id THEN 'clerk' ELSE 'appraiser' END, 'open',
			       n.stage_due_at, n.updated_at
			FROM nominations n WHERE n.status NOT IN ('decided', 'rejected', 'withdrawn')`},
		{"closed tasks", `INSERT INTO tasks (nomination_id, seq, step, unit_id, role, status, due_at, created_at, done_at, outcome)
			SELECT n.id, 1, 'appraise', n.current_unit_id, 'appraiser', 'done', n.created_at + interval '10 days', n.created_at,
			       n.closed_at, 'approve'
			FROM nominations n WHERE n.status IN ('decided', 'rejected', 'withdrawn')`},
		{"vacuum", `VACUUM ANALYZE`},
		// The mark of a complete seed, checked by -reuse.
		{"mark", fmt.Sprintf(`CREATE TABLE bench_seeded AS SELECT %d AS dossiers`, dossiers)},
	}
	for _, st := range steps {
		t0 := time.Now()
		if _, err := pool.Exec(ctx, st.sql); err != nil {
			return 0, 0, fmt.Errorf("seed %s: %w", st.name, err)
		}
		fmt.Printf("  seeded %-18s %6.1f s\n", st.name, time.Since(t0).Seconds())
	}
	if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM subjects), (SELECT count(*) FROM tasks WHERE status = 'open')`).Scan(&subjects, &open); err != nil {
		return 0, 0, err
	}
	return subjects, open, nil
}

// benchClient is one person reading: a user of some level with a session.
type benchClient struct {
	name, token, unit, province string
}

// runReads is the reads scenario.
func runReads(ctx context.Context, cfg config) error {
	rep := readsReport{Scenario: "reads", Machine: describeMachine(), TargetP99ms: 50, Errors: map[string]int{}}
	dbURL, pool, done, seeded, err := openReadsDatabase(ctx, cfg)
	if err != nil {
		return err
	}
	defer done()
	var subjects, open int
	if seeded {
		rep.Reused = cfg.reuse
		if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM subjects), (SELECT count(*) FROM tasks WHERE status = 'open')`).Scan(&subjects, &open); err != nil {
			return err
		}
		fmt.Printf("reusing database %s (migrated, vacuumed and analyzed)\n", cfg.reuse)
	} else {
		fmt.Printf("seeding %d dossiers, %d nominees over the national skeleton…\n", cfg.dossiers, 3*cfg.dossiers)
		t0 := time.Now()
		if subjects, open, err = seedReads(ctx, pool, cfg.dossiers); err != nil {
			return err
		}
		rep.SeedSeconds = time.Since(t0).Seconds()
	}
	rep.Params.Dossiers, rep.Params.Nominees, rep.Params.Subjects, rep.Params.OpenTask = cfg.dossiers, 3*cfg.dossiers, subjects, open
	rep.Params.Clients, rep.Params.Duration, rep.Params.ThinkSeconds = cfg.clients, cfg.duration.Seconds(), cfg.think.Seconds()
	rep.Params.WarmupSeconds = cfg.warmup.Seconds()
	fmt.Printf("%d dossiers, %d nominees, %d subjects, %d open tasks (seeding took %.0f s)\n", cfg.dossiers, 3*cfg.dossiers, subjects, open, rep.SeedSeconds)
	enf, err := authz.Load(ctx, pool, time.Now())
	if err != nil {
		return err
	}
	// The server's own pool, traced: the statements slower than 20 ms are kept
	// with their arguments, to be explained after the run.
	tracer := &slowTracer{threshold: 20 * time.Millisecond, slow: map[string]slowQuery{}}
	pcfg, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		return err
	}
	postgres.ServerSettings(pcfg) // as tdkt serve's pool
	pcfg.ConnConfig.Tracer = tracer
	pcfg.MaxConns = 20
	postgres.PoolSize(pcfg, cfg.poolMin)
	t0 := time.Now()
	srvPool, err := postgres.OpenPool(ctx, pcfg) // as tdkt serve opens it, before it listens
	if err != nil {
		return err
	}
	fmt.Printf("server pool: %d connections opened and warmed in %.2f s (at most %d)\n", pcfg.MinConns, time.Since(t0).Seconds(), pcfg.MaxConns)
	defer srvPool.Close()
	tc, err := client.NewLazyClient(client.Options{HostPort: "127.0.0.1:1", Logger: quietLogger()}) // reads never reach Temporal
	if err != nil {
		return err
	}
	defer tc.Close()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := app.New(srvPool, &usecase.Base{Authz: enf, Temporal: tc, TaskQueue: contract.TaskQueue})
	t0 = time.Now()
	if err := svc.Worklists.WarmSharedStats(ctx); err != nil { // as tdkt serve does before it listens
		return err
	}
	fmt.Printf("shared dashboard figures counted in %.2f s\n", time.Since(t0).Seconds())
	api := &httpapi.Server{App: svc, Log: log, MaxBodyBytes: 64 << 10, ExpensiveRate: httpapi.RateLimit{Rate: 1e6, Burst: 1e6}}
	ui, err := webui.New(web.Config{App: svc, Log: log, Calendar: svc.RefData.Store.LoadCalendar, Limit: api.AllowExpensive})
	if err != nil {
		return err
	}
	api.Mount = append(api.Mount, ui.Mount)
	srv := httptest.NewServer(api.Handler())
	defer srv.Close()

	clients, err := readClients(ctx, pool, svc.Accounts.Store, cfg.clients)
	if err != nil {
		return err
	}
	var dossierIDs []string
	provinceDossiers := map[string][]string{}
	// Two dossiers of every commune, so that every province's readers have some of
	// their own (a sample of the table's pages, cut at a limit, held only the first
	// provinces' dossiers, and the others' readers opened dossiers outside their
	// area: refused, as they should be, and not counted).
	rows, err := pool.Query(ctx, `SELECT n.id::text, c.province FROM bench_communes c
		CROSS JOIN LATERAL (SELECT id FROM nominations WHERE unit_id = c.id LIMIT 2) n`)
	if err == nil {
		var id, prov string
		_, err = pgx.ForEachRow(rows, []any{&id, &prov}, func() error {
			dossierIDs = append(dossierIDs, id)
			provinceDossiers[prov] = append(provinceDossiers[prov], id)
			return nil
		})
	}
	if err != nil || len(dossierIDs) == 0 {
		return fmt.Errorf("sample dossiers: %v", err)
	}
	var unitDossiers sync.Map // commune → one of its dossiers (a clerk opens their own)
	for _, c := range clients {
		var id string
		if err := pool.QueryRow(ctx, `SELECT id::text FROM nominations WHERE unit_id = $1 ORDER BY created_at DESC LIMIT 1`, c.unit).Scan(&id); err == nil {
			unitDossiers.Store(c.unit, id)
		}
	}
	statuses := []string{"appraising", "decided", "draft", "deciding", "returned"}
	var awards []string
	if rows, err := pool.Query(ctx, `SELECT code FROM awards ORDER BY code`); err == nil {
		awards, _ = pgx.CollectRows(rows, pgx.RowTo[string])
	}
	path := func(kind string, c benchClient, rng *rand.Rand) string {
		switch kind {
		case "inbox":
			return "/api/v1/inbox"
		case "dossier_list_3_filters":
			return fmt.Sprintf("/api/v1/nominations?status=%s&year=%d&award=%s&limit=50", statuses[rng.IntN(len(statuses))],
				2020+rng.IntN(7), awards[rng.IntN(len(awards))])
		case "nominee_search_no_diacritics":
			n := strings.ToLower(fold(benchFamilies[rng.IntN(len(benchFamilies))] + " " + benchMiddles[rng.IntN(len(benchMiddles))] + " " + benchGivens[rng.IntN(len(benchGivens))]))
			return "/api/v1/subjects?limit=50&q=" + strings.ReplaceAll(n, " ", "+")
		case "dashboard":
			return "/"
		case "deadlines_province":
			return "/api/v1/deadlines?subtree=1&unit=" + c.province
		default:
			// A dossier of the reader's own area: their commune's newest, or one of
			// their province's (the ministry: anywhere).
			if c.name == "commune" {
				if id, ok := unitDossiers.Load(c.unit); ok {
					return "/dossiers/" + id.(string)
				}
			}
			if ids := provinceDossiers[c.province]; c.name == "province" && len(ids) > 0 {
				return "/dossiers/" + ids[rng.IntN(len(ids))]
			}
			return "/dossiers/" + dossierIDs[rng.IntN(len(dossierIDs))]
		}
	}
	fmt.Printf("%d clients reading for %s (%d commune clerks, %d province appraisers, %d at the ministry)…\n", len(clients), cfg.duration,
		count(clients, "commune"), count(clients, "province"), count(clients, "ministry"))
	samples := map[string][]time.Duration{}
	var timeline []timedRead // every read, the warm-up's too: the cold start window by window
	var slowPaths = map[string]string{}
	var mu sync.Mutex
	httpc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: len(clients) * 2}}
	rep.Machine.LoadStart = loadavg() // as the reading starts, after any seeding
	stop := time.Now().Add(cfg.duration)
	start := time.Now()
	var wg sync.WaitGroup
	for i, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(i), 7))
			if cfg.think > 0 {
				// People do not start in step: each begins within one think time.
				time.Sleep(time.Duration(rng.Float64() * float64(cfg.think)))
			}
			local := map[string][]time.Duration{}
			var times []timedRead
			errs := map[string]int{}
			for time.Now().Before(stop) && ctx.Err() == nil {
				kind := readKinds[rng.IntN(len(readKinds))]
				if kind == "deadlines_province" && c.name == "commune" {
					kind = "inbox" // a commune clerk has no province board
				}
				p := path(kind, c, rng)
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+p, nil)
				req.Header.Set("Authorization", "Bearer "+c.token)
				req.AddCookie(&http.Cookie{Name: "tdkt_session", Value: c.token})
				t := time.Now()
				res, err := httpc.Do(req)
				var body []byte
				if err == nil {
					if res.StatusCode == http.StatusOK {
						_, _ = io.Copy(io.Discard, res.Body)
					} else {
						body, _ = io.ReadAll(io.LimitReader(res.Body, 4096))
					}
					res.Body.Close()
				}
				d := time.Since(t)
				if err != nil || res.StatusCode != http.StatusOK {
					errs[kind]++
					if errs[kind] == 1 {
						st := 0
						if res != nil {
							st = res.StatusCode
						}
						fmt.Printf("  %s %s as %s: %v %d %s\n", kind, p, c.name, err, st, errorText(body))
					}
					continue
				}
				times = append(times, timedRead{at: t.Sub(start), took: d, kind: kind, level: c.name})
				if t.Sub(start) >= cfg.warmup { // a read started in the warm-up is not counted
					local[kind] = append(local[kind], d)
				}
				if d > 50*time.Millisecond {
					mu.Lock()
					slowPaths[kind+" "+c.name] = p
					mu.Unlock()
				}
				if cfg.think > 0 {
					// A person reads the page before the next one: 0.5–1.5 × think.
					pause := time.Duration(float64(cfg.think) * (0.5 + rng.Float64()))
					select {
					case <-time.After(min(pause, time.Until(stop))):
					case <-ctx.Done():
					}
				}
			}
			mu.Lock()
			for k, v := range local {
				samples[k] = append(samples[k], v...)
			}
			for k, v := range errs {
				rep.Errors[k] += v
			}
			timeline = append(timeline, times...)
			mu.Unlock()
		}()
	}
	// The CPU time and the profile cover the counted part of the run.
	time.Sleep(time.Until(start.Add(cfg.warmup)))
	meter, err := startCPUMeter(ctx, pool, 0, 0)
	if err != nil {
		return err
	}
	stopProfile := func() {}
	if cfg.profile != "" {
		// The bench process holds the server and the clients: its profile shows
		// where a read's Go time goes (the clients' share is net/http's client side
		// and this file's loop).
		stopOwn, err := startOwnProfile(cfg.profile, "reads.cpu.pprof")
		if err != nil {
			return err
		}
		stopProfile = func() {
			if err := stopOwn(); err == nil {
				fmt.Printf("wrote a CPU profile of the counted reads to %s\n", filepath.Join(cfg.profile, "reads.cpu.pprof"))
			}
		}
	}
	wg.Wait()
	stopProfile()
	used, err := meter.stop(ctx)
	if err != nil {
		return err
	}
	wall := time.Since(start) - cfg.warmup
	rep.Reads = map[string]latencyJSON{}
	total := 0
	for _, v := range samples {
		total += len(v)
	}
	rep.ReadsPerSecond = float64(total) / wall.Seconds()
	mode := "closed loop, no pause"
	if cfg.think > 0 {
		mode = fmt.Sprintf("think %s (0.5–1.5×)", cfg.think)
	}
	if cfg.warmup > 0 {
		mode += fmt.Sprintf(", the first %s not counted", cfg.warmup)
	}
	fmt.Printf("\nreads at %d dossiers, %d nominees; %d clients, %s, for %.0f s; %.1f reads/s; %d CPUs; load %s at start, %s now\n",
		cfg.dossiers, 3*cfg.dossiers, len(clients), mode, wall.Seconds(), rep.ReadsPerSecond, runtime.NumCPU(), rep.Machine.LoadStart, loadavg())
	fmt.Printf("  %-30s %8s %8s %8s %8s %9s %7s\n", "read", "p50", "p95", "p99", "max", "per s", "≤50ms")
	for _, k := range readKinds {
		l := national.Summarise(samples[k], wall)
		rep.Reads[k] = toJSON(l)
		ok := "yes"
		if l.P99 > 50*time.Millisecond {
			ok = "NO"
		}
		ms := func(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1e3) }
		fmt.Printf("  %-30s %8s %8s %8s %8s %9.1f %7s\n", k, ms(l.P50), ms(l.P95), ms(l.P99), ms(l.Max), l.PerSecond, ok)
	}
	for _, k := range readKinds {
		if n := rep.Errors[k]; n > 0 {
			fmt.Printf("  %s: %d reads refused or failed, not counted above\n", k, n)
		}
	}
	if total > 0 {
		rep.CPUms = cpuPer(used, total)
		fmt.Printf("  CPU per read: %.1f ms (the bench process, server and clients: %.1f; PostgreSQL: %.1f): %.2f of the %d cores on average\n",
			rep.CPUms.Total, rep.CPUms.Bench, rep.CPUms.Postgres, used.Total().Seconds()/wall.Seconds(), runtime.NumCPU())
	}
	// What monitoring costs at this scale: the business gauges each tdkt serve
	// reads for /metrics (cached 15 s), read three times after the reads.
	for range 3 {
		t := time.Now()
		if _, err := ops.NewStore(srvPool).LoadOpsGauges(ctx, time.Now()); err != nil {
			return fmt.Errorf("business gauges: %w", err)
		}
		rep.GaugesMs = append(rep.GaugesMs, float64(time.Since(t).Microseconds())/1e3)
	}
	fmt.Printf("  business gauges (a /metrics reading of tdkt serve, cached 15 s): %.0f, %.0f, %.0f ms\n", rep.GaugesMs[0], rep.GaugesMs[1], rep.GaugesMs[2])
	rep.Timeline = printTimeline(timeline, 5*time.Second)
	if cfg.readsCSV != "" {
		if err := writeReadsCSV(cfg.readsCSV, timeline); err != nil {
			return err
		}
		fmt.Printf("wrote every read to %s\n", cfg.readsCSV)
	}
	if cfg.explain {
		keys := make([]string, 0, len(slowPaths))
		for k := range slowPaths {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			fmt.Printf("  slow: %s → %s\n", k, slowPaths[k])
		}
		explainSlow(ctx, srvPool, tracer) // with the server's settings
	}
	rep.Machine.LoadEnd = loadavg()
	if cfg.jsonOut != "" {
		return writeJSON(cfg.jsonOut, rep)
	}
	return nil
}

func count(cs []benchClient, name string) int {
	n := 0
	for _, c := range cs {
		if c.name == name {
			n++
		}
	}
	return n
}

// fold drops the Vietnamese diacritics, as a user types a name on a phone.
func fold(s string) string {
	from := []rune("àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđĐ")
	to := []rune("aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyydD")
	m := map[rune]rune{}
	for i, r := range from {
		m[r] = to[i]
	}
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if x, ok := m[r]; ok {
			r = x
		}
		b.WriteRune(r)
	}
	return b.String()
}

// readClients opens a session for each client: 60% commune clerks, 30% province
// appraisers, 10% the ministry's appraiser.
func readClients(ctx context.Context, pool *pgxpool.Pool, st *accounts.Store, n int) ([]benchClient, error) {
	rows, err := pool.Query(ctx, `SELECT r.user_id, r.unit_id, coalesce(u.parent_id, ''), u.level FROM role_assignments r JOIN units u ON u.id = r.unit_id
		WHERE (u.level = 'commune' AND r.role = 'clerk') OR (u.level <> 'commune' AND r.role = 'appraiser') ORDER BY u.level, r.unit_id`)
	if err != nil {
		return nil, err
	}
	type ra struct {
		user                  int64
		unit, province, level string
	}
	byLevel := map[string][]ra{}
	var r ra
	if _, err := pgx.ForEachRow(rows, []any{&r.user, &r.unit, &r.province, &r.level}, func() error {
		byLevel[r.level] = append(byLevel[r.level], r)
		return nil
	}); err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(3, 4))
	var out []benchClient
	for i := range n {
		level, name := "commune", "commune"
		switch {
		case i%10 == 9:
			level, name = "central", "ministry"
		case i%10 >= 6:
			level, name = "province", "province"
		}
		cands := byLevel[level]
		if len(cands) == 0 {
			return nil, fmt.Errorf("no %s user", level)
		}
		u := cands[rng.IntN(len(cands))]
		var b [32]byte
		_, _ = crand.Read(b[:])
		tok := hex.EncodeToString(b[:])
		if err := st.CreateSession(ctx, accounts.HashToken(tok), u.user, time.Now().Add(24*time.Hour)); err != nil {
			return nil, err
		}
		province := u.province
		switch level {
		case "province":
			province = u.unit
		case "central":
			province = "P01"
		}
		out = append(out, benchClient{name: name, token: tok, unit: u.unit, province: province})
	}
	return out, nil
}

// openReadsDatabase opens the reads scenario's database. Without -reuse it is a
// throwaway one (openBenchDatabase), to be seeded. With -reuse NAME it is the
// database NAME: created when missing (to be seeded, then kept), else migrated to
// this build's schema (new migrations apply to the seeded data, as they would in
// production), checked to hold a complete seed of cfg.dossiers dossiers, vacuumed
// and analyzed; seeded tells that it needs no seeding.
func openReadsDatabase(ctx context.Context, cfg config) (dbURL string, pool *pgxpool.Pool, done func(), seeded bool, err error) {
	if cfg.reuse == "" {
		dbURL, pool, done, err = openBenchDatabase(ctx, cfg)
		return dbURL, pool, done, false, err
	}
	if !reuseName.MatchString(cfg.reuse) {
		return "", nil, nil, false, fmt.Errorf("-reuse %q: a database name of lower-case letters, digits and _", cfg.reuse)
	}
	conn, err := pgx.Connect(ctx, cfg.databaseURL)
	if err != nil {
		return "", nil, nil, false, fmt.Errorf("database server: %w", err)
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, cfg.reuse).Scan(&exists); err != nil {
		return "", nil, nil, false, err
	}
	if !exists {
		if _, err := conn.Exec(ctx, "CREATE DATABASE "+cfg.reuse); err != nil {
			return "", nil, nil, false, err
		}
	}
	u, err := url.Parse(cfg.databaseURL)
	if err != nil {
		return "", nil, nil, false, err
	}
	u.Path = "/" + cfg.reuse
	dbURL = u.String()
	if pool, err = pgxpool.New(ctx, dbURL); err != nil {
		return "", nil, nil, false, err
	}
	done = func() { pool.Close(); fmt.Println("kept database", cfg.reuse) }
	fail := func(err error) (string, *pgxpool.Pool, func(), bool, error) {
		done()
		return "", nil, nil, false, err
	}
	if _, err := postgres.Migrate(ctx, pool); err != nil {
		return fail(err)
	}
	if err := seed.Reference(ctx, pool); err != nil {
		return fail(err)
	}
	if !exists {
		return dbURL, pool, done, false, nil
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT dossiers FROM bench_seeded`).Scan(&n); err != nil || n != cfg.dossiers {
		return fail(fmt.Errorf("database %s does not hold a complete seed of %d dossiers (%d, %v): drop it or name another", cfg.reuse, cfg.dossiers, n, err))
	}
	t0 := time.Now()
	if _, err := pool.Exec(ctx, `VACUUM ANALYZE`); err != nil {
		return fail(err)
	}
	fmt.Printf("vacuumed and analyzed %s in %.0f s\n", cfg.reuse, time.Since(t0).Seconds())
	return dbURL, pool, done, true, nil
}

var reuseName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// errorText is what a refused read answered, at most 300 letters: a JSON error as
// sent, or the text of an HTML page's main element without its tags.
func errorText(body []byte) string {
	s := string(body)
	if i := strings.Index(s, "<main"); i >= 0 {
		s = s[i:]
	}
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
			b.WriteByte(' ')
		case !in:
			b.WriteRune(r)
		}
	}
	out := []rune(strings.Join(strings.Fields(b.String()), " "))
	return string(out[:min(len(out), 300)])
}
