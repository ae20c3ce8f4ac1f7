package httpapi_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/converter"
	"golang.org/x/crypto/bcrypt"

	"github.com/tdkt/tdkt/internal/campaigns"
	"github.com/tdkt/tdkt/internal/e2etest"
	"github.com/tdkt/tdkt/internal/httpapi"
	"github.com/tdkt/tdkt/internal/pgtest"
	"github.com/tdkt/tdkt/internal/review"
	"github.com/tdkt/tdkt/internal/seed"
	"github.com/tdkt/tdkt/workflows/contract"
)

// The generated province: P with 10 districts P-D01…P-D10 of 20 communes each, under
// the ministry TW. Every unit has a clerk; the ministry, the province and the districts
// have an appraiser (standing body).
const (
	genDistricts = 10
	genCommunes  = 20
)

func districtID(d int) string   { return fmt.Sprintf("P-D%02d", d) }
func communeID(d, c int) string { return fmt.Sprintf("P-D%02d-C%02d", d, c) }
func clerk(unit string) string  { return "clerk." + strings.ToLower(unit) }
func appraiser(u string) string { return "appraiser." + strings.ToLower(u) }

// setupProvince starts a bundle over a fresh database holding the reference data and
// the generated province with its accounts.
func setupProvince(t *testing.T) *bundle {
	t.Helper()
	ctx := context.Background()
	pool := pgtest.NewPool(t)
	if err := seed.Reference(ctx, pool); err != nil {
		t.Fatal(err)
	}
	type unit struct{ id, parent, name, level, kind string }
	units := []unit{{"TW", "", "Bộ Lao động - Thương binh và Xã hội", "central", "ministry"}, {"P", "TW", "UBND tỉnh Phú An", "province", "people_committee"}}
	for d := 1; d <= genDistricts; d++ {
		units = append(units, unit{districtID(d), "P", fmt.Sprintf("UBND huyện Số %d", d), "district", "people_committee"})
		for c := 1; c <= genCommunes; c++ {
			units = append(units, unit{communeID(d, c), districtID(d), fmt.Sprintf("UBND xã %d-%d", d, c), "commune", "people_committee"})
		}
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(seed.DemoPassword), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range units {
		var parent any
		if u.parent != "" {
			parent = u.parent
		}
		if _, err := pool.Exec(ctx, `INSERT INTO units (id, parent_id, name, level, kind) VALUES ($1, $2, $3, $4, $5)`,
			u.id, parent, u.name, u.level, u.kind); err != nil {
			t.Fatal(err)
		}
		roles := []string{"clerk"}
		if u.level != "commune" {
			roles = append(roles, "appraiser")
		}
		for _, role := range roles {
			if _, err := pool.Exec(ctx, `WITH u AS (INSERT INTO users (username, full_name, password_hash, unit_id)
					VALUES ($1, $1, $2, $3) RETURNING id)
				INSERT INTO role_assignments (user_id, role, unit_id) SELECT id, $4, $3 FROM u`,
				role+"."+strings.ToLower(u.id), string(hash), u.id, role); err != nil {
				t.Fatal(err)
			}
		}
	}
	// The test polls the dashboard while the workflows move: it must not be slowed
	// down by the per-user limit on expensive reads (2/s), as setup's tests are not.
	return wrap(t, e2etest.Start(t, e2etest.WithDatabase(pool), withAPI(func(s *httpapi.Server) {
		s.MaxBodyBytes = 256 << 10
		s.ExpensiveRate = httpapi.RateLimit{Rate: 1000, Burst: 1000}
	})))
}

// communeFigures are what commune (d, c) reports; the test sums them itself.
func communeFigures(d, c int) map[string]int64 {
	i := int64((d-1)*genCommunes + c)
	households := 800 + (i*37)%400
	return map[string]int64{
		"so_ho": households, "so_ho_ngheo": households * (10 + i%15) / 100, "so_ho_can_ngheo": households * (5 + i%7) / 100,
		"dan_so": households * 4, "so_nguoi_bhyt": households*4 - i%50,
		"quy_vi_nguoi_ngheo": 1_000_000*(i%9+1) + i*1234, "nha_xay_moi": i % 3, "nha_sua_chua": i % 2,
	}
}

// raw does a request and returns the status and the body undecoded (exports).
func (b *bundle) raw(user, path string) (int, http.Header, []byte) {
	b.t.Helper()
	req, err := http.NewRequest("GET", b.url+path, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+b.token(user))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, body
}

// eventually polls cond every 100 ms for up to 20 s.
func (b *bundle) eventually(what string, cond func() bool) {
	b.t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if cond() {
			return
		}
	}
	b.t.Fatalf("timed out waiting for %s", what)
}

// waitStarted waits until the report workflow of every unit of the campaign runs.
func (b *bundle) waitStarted(campaignID string, units []string) {
	b.t.Helper()
	for _, u := range units {
		b.eventually("the workflow of "+u, func() bool {
			_, err := b.tc.DescribeWorkflowExecution(context.Background(), review.UnitWorkflowID(campaignID, u), "")
			return err == nil
		})
	}
}

// act sends a report action and fails unless the status is want.
func (b *bundle) act(want int, user, campaignID, unit string, body map[string]any) response {
	b.t.Helper()
	return b.must(want, user, "POST", "/api/v1/reviews/"+campaignID+"/reports/"+unit+"/actions", body)
}

// apiCall is one request of a batch sent in parallel.
type apiCall struct {
	user, method, path string
	body               any
	want               int
}

// parallel sends the calls over 8 connections at once and fails the test with every
// unexpected answer. Tokens are fetched first, one by one.
func (b *bundle) parallel(calls []apiCall) {
	b.t.Helper()
	for _, c := range calls {
		b.token(c.user)
	}
	work := make(chan apiCall)
	errs := make(chan string, len(calls))
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range work {
				js, _ := json.Marshal(c.body)
				req, err := http.NewRequest(c.method, b.url+c.path, bytes.NewReader(js))
				if err != nil {
					errs <- err.Error()
					continue
				}
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+b.tokens[c.user])
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					errs <- err.Error()
					continue
				}
				raw, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode != c.want {
					errs <- fmt.Sprintf("%s %s as %s: %d, want %d: %s", c.method, c.path, c.user, res.StatusCode, c.want, raw)
				}
			}
		}()
	}
	for _, c := range calls {
		work <- c
	}
	close(work)
	wg.Wait()
	close(errs)
	for e := range errs {
		b.t.Error(e)
	}
	if b.t.Failed() {
		b.t.FailNow()
	}
}

// rate formats num/den × 100 as the report prints it: rounded half up, comma decimal.
func rate(num, den int64, decimals int) string {
	x := new(big.Rat).SetFrac64(num*100, den)
	f, _ := x.Float64()
	return strings.Replace(fmt.Sprintf("%.*f", decimals, f), ".", ",", 1)
}

func numbersOf(t *testing.T, v any) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	m, _ := v.(map[string]any)
	nums, _ := m["numbers"].(map[string]any)
	for k, x := range nums {
		out[k] = int64(x.(float64))
	}
	return out
}

func resultsOf(v any) map[string]string {
	out := map[string]string{}
	for _, r := range v.([]any) {
		m := r.(map[string]any)
		out[m["code"].(string)] = m["display"].(string)
	}
	return out
}

func sumInto(dst, src map[string]int64) {
	for k, v := range src {
		dst[k] += v
	}
}

func TestCampaignOverAGeneratedProvinceToCompletionOverHTTP(t *testing.T) {
	b := setupProvince(t)
	tw := appraiser("TW")
	// The ministry launches the movement; the province registers.
	mv := b.must(http.StatusCreated, tw, "POST", "/api/v1/movements", map[string]any{
		"unit_id": "TW", "name": "Cả nước chung tay vì người nghèo", "decision_number": "1258/QĐ-TTg", "decision_date": "2017-08-21",
		"period_start": "2026-01-01", "period_end": "2030-12-31", "template_code": review.Template1258,
	}).body
	movementID := mv["id"].(string)
	b.must(http.StatusCreated, clerk("P"), "POST", "/api/v1/movements/"+movementID+"/registrations",
		map[string]any{"unit_id": "P", "commitments": "Giảm tỷ lệ hộ nghèo 2%/năm"})
	b.must(http.StatusForbidden, clerk(communeID(1, 1)), "POST", "/api/v1/movements/"+movementID+"/registrations",
		map[string]any{"unit_id": "P", "commitments": "x"})

	// The ministry asks for the annual review, final deadline in 40 days.
	final := time.Now().In(time.FixedZone("ICT", 7*3600)).AddDate(0, 0, 40).Format(time.DateOnly)
	rc := b.must(http.StatusCreated, tw, "POST", "/api/v1/reviews", map[string]any{
		"movement_id": movementID, "kind": "annual", "final_deadline": final, "letter_number": "2422/LĐTBXH-VPQGGN",
		"letter_date": "2026-06-18", "gap_working_days": 5, "reminder_working_days": 2,
	}).body
	id := rc["id"].(string)
	if rc["units"].(float64) != 1+genDistricts+genDistricts*genCommunes || rc["depths"].(float64) != 3 {
		t.Fatalf("campaign covers %v units in %v levels, want 211 in 3", rc["units"], rc["depths"])
	}
	b.eventually("the deadline plan", func() bool {
		return len(b.must(http.StatusOK, tw, "GET", "/api/v1/reviews/"+id, nil).body["levels"].([]any)) == 3
	})
	var all []string
	for d := 1; d <= genDistricts; d++ {
		all = append(all, districtID(d))
		for c := 1; c <= genCommunes; c++ {
			all = append(all, communeID(d, c))
		}
	}
	b.waitStarted(id, append(all, "P"))

	late := map[string]bool{communeID(1, 5): true, communeID(3, 10): true, communeID(7, 20): true, communeID(10, 1): true}
	missing := map[string]bool{communeID(2, 2): true, communeID(5, 7): true}
	returned := communeID(4, 3)
	submission := func(d, c int, fig map[string]int64) apiCall {
		u := communeID(d, c)
		return apiCall{clerk(u), "POST", "/api/v1/reviews/" + id + "/reports/" + u + "/actions", map[string]any{"action": "submit",
			"numbers": fig, "texts": map[string]string{review.SectionResults: "Kết quả của xã " + u}}, http.StatusOK}
	}
	submit := func(d, c int, fig map[string]int64) { b.parallel([]apiCall{submission(d, c, fig)}) }
	// Everyone on time except the late and the missing; one commune saves a draft first.
	b.act(http.StatusOK, clerk(communeID(1, 1)), id, communeID(1, 1), map[string]any{"action": "save", "numbers": map[string]int64{"so_ho": 1}})
	b.act(http.StatusConflict, clerk(communeID(1, 1)), id, communeID(1, 1), map[string]any{"action": "save", "version": 99})
	b.act(http.StatusBadRequest, clerk(communeID(1, 1)), id, communeID(1, 1), map[string]any{"action": "save", "numbers": map[string]int64{"ty_le_ho_ngheo": 5}})
	var calls []apiCall
	for d := 1; d <= genDistricts; d++ {
		for c := 1; c <= genCommunes; c++ {
			if u := communeID(d, c); !late[u] && !missing[u] {
				calls = append(calls, submission(d, c, communeFigures(d, c)))
			}
		}
	}
	b.parallel(calls)
	// The district returns one report with a reason; the commune corrects and resubmits.
	b.act(http.StatusBadRequest, appraiser(districtID(4)), id, returned, map[string]any{"action": "return"})
	b.act(http.StatusForbidden, appraiser(districtID(5)), id, returned, map[string]any{"action": "return", "reason": "x"})
	b.act(http.StatusForbidden, clerk(returned), id, returned, map[string]any{"action": "accept"})
	b.act(http.StatusOK, appraiser(districtID(4)), id, returned, map[string]any{"action": "return", "reason": "Số hộ nghèo chưa khớp danh sách rà soát"})
	b.act(http.StatusConflict, appraiser(districtID(4)), id, returned, map[string]any{"action": "accept"})
	corrected := communeFigures(4, 3)
	corrected["so_ho_ngheo"] += 7
	submit(4, 3, corrected)
	b.must(http.StatusForbidden, clerk(communeID(1, 1)), "GET", "/api/v1/reviews/"+id+"/reports/"+communeID(2, 1), nil)

	// The ministry brings the communes' deadline forward to now: the six open reports
	// become overdue, and their districts are pre-filled with what arrived.
	levels := b.must(http.StatusOK, tw, "GET", "/api/v1/reviews/"+id, nil).body["levels"].([]any)
	now := time.Now().UTC().Add(time.Second).Format(time.RFC3339)
	b.must(http.StatusOK, tw, "PUT", "/api/v1/reviews/"+id+"/deadlines", map[string]any{
		"level_deadlines": []string{levels[0].(map[string]any)["deadline"].(string), levels[1].(map[string]any)["deadline"].(string), now},
		"note":            "Rút ngắn thời hạn báo cáo của cấp xã",
	})
	b.must(http.StatusForbidden, clerk("P"), "PUT", "/api/v1/reviews/"+id+"/deadlines", map[string]any{"final_deadline": final})
	communeLevel := func(q string) map[string]any {
		d := b.must(http.StatusOK, tw, "GET", "/api/v1/reviews/"+id+"/dashboard"+q, nil).body
		for _, l := range d["levels"].([]any) {
			if l.(map[string]any)["depth"].(float64) == 3 {
				return l.(map[string]any)
			}
		}
		t.Fatal("no commune level on the dashboard")
		return nil
	}
	b.eventually("six overdue communes and ten pre-filled districts", func() bool {
		var prefilled int
		if err := b.pool.QueryRow(context.Background(), `SELECT count(*) FROM review_reports WHERE campaign_id = $1 AND depth = 2
			AND prefilled_at IS NOT NULL`, id).Scan(&prefilled); err != nil {
			t.Fatal(err)
		}
		var overdue int
		if err := b.pool.QueryRow(context.Background(), `SELECT count(*) FROM review_reports WHERE campaign_id = $1 AND depth = 3
			AND overdue_at IS NOT NULL`, id).Scan(&overdue); err != nil {
			t.Fatal(err)
		}
		return communeLevel("")["overdue"].(float64) == 6 && prefilled == genDistricts && overdue == 6
	})
	d2 := b.must(http.StatusOK, appraiser(districtID(2)), "GET", "/api/v1/reviews/"+id+"/reports/"+districtID(2), nil).body
	if ms := d2["missing_units"].([]any); len(ms) != 1 || ms[0].(map[string]any)["id"] != communeID(2, 2) {
		t.Fatalf("district 2's missing units: %v", ms)
	}
	// The late communes still report; they are accepted and marked late.
	calls = nil
	for u := range late {
		var d, c int
		fmt.Sscanf(u, "P-D%02d-C%02d", &d, &c)
		calls = append(calls, submission(d, c, communeFigures(d, c)))
	}
	b.parallel(calls)
	// The districts accept every report that arrived, then submit their pre-filled drafts;
	// district 6 corrects one figure first.
	calls = nil
	for d := 1; d <= genDistricts; d++ {
		for c := 1; c <= genCommunes; c++ {
			if u := communeID(d, c); !missing[u] {
				calls = append(calls, apiCall{appraiser(districtID(d)), "POST", "/api/v1/reviews/" + id + "/reports/" + u + "/actions",
					map[string]any{"action": "accept"}, http.StatusOK})
			}
		}
	}
	b.parallel(calls)
	const d6Fund = 123_456_789
	b.act(http.StatusOK, clerk(districtID(6)), id, districtID(6), map[string]any{"action": "save",
		"numbers": map[string]int64{"quy_vi_nguoi_ngheo": d6Fund}, "texts": map[string]string{review.SectionSituation: "Huyện Số 6 tự đánh giá."}})
	calls = nil
	for d := 1; d <= genDistricts; d++ {
		calls = append(calls, apiCall{clerk(districtID(d)), "POST", "/api/v1/reviews/" + id + "/reports/" + districtID(d) + "/actions",
			map[string]any{"action": "submit"}, http.StatusOK})
	}
	b.parallel(calls)
	calls = nil
	for d := 1; d <= genDistricts; d++ {
		calls = append(calls, apiCall{appraiser("P"), "POST", "/api/v1/reviews/" + id + "/reports/" + districtID(d) + "/actions",
			map[string]any{"action": "accept"}, http.StatusOK})
	}
	b.parallel(calls)
	b.eventually("the province pre-filled", func() bool {
		r := b.must(http.StatusOK, clerk("P"), "GET", "/api/v1/reviews/"+id+"/reports/P", nil).body
		return r["prefilled_at"] != nil
	})
	b.act(http.StatusOK, clerk("P"), id, "P", map[string]any{"action": "submit"})
	b.act(http.StatusOK, tw, id, "P", map[string]any{"action": "accept"})

	// Every aggregate against the test's own sums.
	district := map[string]map[string]int64{}
	province := map[string]int64{}
	for d := 1; d <= genDistricts; d++ {
		sum := map[string]int64{}
		for c := 1; c <= genCommunes; c++ {
			u := communeID(d, c)
			switch {
			case missing[u]:
			case u == returned:
				sumInto(sum, corrected)
			default:
				sumInto(sum, communeFigures(d, c))
			}
		}
		district[districtID(d)] = sum
		submitted := map[string]int64{}
		sumInto(submitted, sum)
		if d == 6 {
			submitted["quy_vi_nguoi_ngheo"] = d6Fund
		}
		sumInto(province, submitted)
	}
	for d := 1; d <= genDistricts; d++ {
		u := districtID(d)
		r := b.must(http.StatusOK, appraiser("P"), "GET", "/api/v1/reviews/"+id+"/reports/"+u, nil).body
		agg, vals := numbersOf(t, r["aggregate"]), numbersOf(t, r["values"])
		if fmt.Sprint(agg) != fmt.Sprint(district[u]) {
			t.Errorf("%s aggregate %v, its communes sum to %v", u, agg, district[u])
		}
		wantVals := map[string]int64{}
		sumInto(wantVals, district[u])
		if d == 6 {
			wantVals["quy_vi_nguoi_ngheo"] = d6Fund
		}
		if fmt.Sprint(vals) != fmt.Sprint(wantVals) {
			t.Errorf("%s submitted %v, want %v", u, vals, wantVals)
		}
		shown := resultsOf(r["aggregate_indicators"])
		if want := rate(district[u]["so_ho_ngheo"], district[u]["so_ho"], 2); shown["ty_le_ho_ngheo"] != want {
			t.Errorf("%s poverty rate %s, want %s", u, shown["ty_le_ho_ngheo"], want)
		}
		wantReported := float64(genCommunes)
		for m := range missing {
			if strings.HasPrefix(m, u+"-") {
				wantReported--
			}
		}
		if r["children_reported"].(float64) != wantReported || r["status"] != "accepted" {
			t.Errorf("%s: %v reported, status %v", u, r["children_reported"], r["status"])
		}
	}
	p := b.must(http.StatusOK, tw, "GET", "/api/v1/reviews/"+id+"/reports/P", nil).body
	if agg := numbersOf(t, p["aggregate"]); fmt.Sprint(agg) != fmt.Sprint(province) {
		t.Errorf("province aggregate %v, want %v", agg, province)
	}
	shown := resultsOf(p["indicators"])
	for code, want := range map[string]string{
		"so_ho_ngheo":        review.FormatInt(province["so_ho_ngheo"]),
		"ty_le_ho_ngheo":     rate(province["so_ho_ngheo"], province["so_ho"], 2),
		"ty_le_ho_can_ngheo": rate(province["so_ho_can_ngheo"], province["so_ho"], 2),
		"ty_le_bhyt":         rate(province["so_nguoi_bhyt"], province["dan_so"], 1),
		"quy_vi_nguoi_ngheo": review.FormatInt(province["quy_vi_nguoi_ngheo"]),
	} {
		if shown[code] != want {
			t.Errorf("province %s = %s, want %s", code, shown[code], want)
		}
	}
	// The dashboard: counts per level, the ministry's aggregate, the subtree filter.
	dash := b.must(http.StatusOK, tw, "GET", "/api/v1/reviews/"+id+"/dashboard", nil).body
	if agg := resultsOf(dash["aggregate"]); agg["ty_le_ho_ngheo"] != rate(province["so_ho_ngheo"], province["so_ho"], 2) {
		t.Errorf("ministry's aggregate rate %s", agg["ty_le_ho_ngheo"])
	}
	want := map[float64]string{
		1: "total 1 accepted 1 overdue 0 late 0",
		2: "total 10 accepted 10 overdue 0 late 0",
		3: "total 200 accepted 198 overdue 2 late 4",
	}
	for _, l := range dash["levels"].([]any) {
		m := l.(map[string]any)
		got := fmt.Sprintf("total %v accepted %v overdue %v late %v", m["total"], m["accepted"], m["overdue"], m["late"])
		if got != want[m["depth"].(float64)] {
			t.Errorf("level %v: %s, want %s", m["depth"], got, want[m["depth"].(float64)])
		}
	}
	sub := b.must(http.StatusOK, appraiser(districtID(5)), "GET", "/api/v1/reviews/"+id+"/dashboard", nil).body
	if tree := sub["tree"].(map[string]any); tree["unit_id"] != districtID(5) || len(tree["children"].([]any)) != genCommunes {
		t.Errorf("district 5's dashboard is rooted at %v with %d children", tree["unit_id"], len(tree["children"].([]any)))
	}
	overdue := b.must(http.StatusOK, tw, "GET", "/api/v1/reviews/"+id+"/dashboard?status=overdue", nil).body["units"].([]any)
	var overdueIDs []string
	for _, u := range overdue {
		overdueIDs = append(overdueIDs, u.(map[string]any)["unit_id"].(string))
	}
	slices.Sort(overdueIDs)
	if fmt.Sprint(overdueIDs) != fmt.Sprint([]string{communeID(2, 2), communeID(5, 7)}) {
		t.Errorf("overdue units %v", overdueIDs)
	}
	b.must(http.StatusForbidden, appraiser(districtID(5)), "GET", "/api/v1/reviews/"+id+"/dashboard?unit=P", nil)

	// Notifications: the returned commune was told why; district 2 was told its commune is overdue.
	var told int
	if err := b.pool.QueryRow(context.Background(), `SELECT count(*) FROM notifications n JOIN users u ON u.id = n.user_id
		WHERE u.username = $1 AND n.kind = 'overdue' AND n.title LIKE '%xã 2-2%'`, appraiser(districtID(2))).Scan(&told); err != nil || told != 1 {
		t.Errorf("district 2's standing body got %d overdue notices about xã 2-2 (%v)", told, err)
	}
	if err := b.pool.QueryRow(context.Background(), `SELECT count(*) FROM notifications n JOIN users u ON u.id = n.user_id
		WHERE u.username = $1 AND n.body LIKE '%chưa khớp%'`, clerk(returned)).Scan(&told); err != nil || told != 1 {
		t.Errorf("the returned commune's clerk got %d notices with the reason (%v)", told, err)
	}

	// Exports: JSON, and a Word document that opens.
	ex := b.must(http.StatusOK, tw, "GET", "/api/v1/reviews/"+id+"/reports/P/export?format=json", nil).body
	if ex["report"].(map[string]any)["unit_id"] != "P" || len(ex["sections"].([]any)) != 7 {
		t.Errorf("JSON export: %v", ex["report"])
	}
	status, hdr, docx := b.raw(appraiser(districtID(2)), "/api/v1/reviews/"+id+"/reports/"+districtID(2)+"/export?format=docx")
	if status != http.StatusOK || hdr.Get("Content-Type") != campaigns.ContentTypeDOCX {
		t.Fatalf("DOCX export: %d %s", status, hdr.Get("Content-Type"))
	}
	text := docxText(t, docx)
	for _, s := range []string{"UBND HUYỆN SỐ 2", "BÁO CÁO", "Các đơn vị chưa gửi báo cáo", "UBND xã 2-2",
		rate(district[districtID(2)]["so_ho_ngheo"], district[districtID(2)]["so_ho"], 2), "Thực hiện Công văn số 2422/LĐTBXH-VPQGGN"} {
		if !strings.Contains(text, s) {
			t.Errorf("the district's DOCX lacks %q", s)
		}
	}

	// The ministry closes the campaign; the missing reports stay missing, no action is taken any more.
	b.must(http.StatusForbidden, appraiser("P"), "POST", "/api/v1/reviews/"+id+"/close", nil)
	closed := b.must(http.StatusOK, tw, "POST", "/api/v1/reviews/"+id+"/close", map[string]string{"note": "Kết thúc đợt sơ kết"}).body
	if closed["status"] != "closed" {
		t.Fatalf("after closing: %v", closed["status"])
	}
	b.act(http.StatusConflict, clerk(communeID(2, 2)), id, communeID(2, 2), map[string]any{"action": "submit", "numbers": communeFigures(2, 2)})
	hist := b.must(http.StatusOK, clerk(returned), "GET", "/api/v1/reviews/"+id+"/reports/"+returned+"/history", nil).body["events"].([]any)
	var actions []string
	for _, e := range hist {
		actions = append(actions, e.(map[string]any)["action"].(string))
	}
	if fmt.Sprint(actions) != "[submit return submit accept]" {
		t.Errorf("the returned commune's history: %v", actions)
	}
	// Its workflow told district 4 only of the submission that completed the
	// district's set (review-tell-parent-async version 3), from its TellParent local
	// activity in the workflow task that recorded it: no signal command in the
	// commune's history; in the district's, only reports marked Complete — the
	// resubmission (seq 3) of the returned commune among them — and none of its
	// return or acceptance. The district's aggregate in PostgreSQL counted every
	// report all the same (checked above).
	ctx := context.Background()
	var signalCommands int
	for it := b.tc.GetWorkflowHistory(ctx, review.UnitWorkflowID(id, returned), "", false, 0); it.HasNext(); {
		ev, err := it.Next()
		if err != nil {
			t.Fatal(err)
		}
		if ev.GetEventType() == enumspb.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED {
			signalCommands++
		}
	}
	var took []contract.ChildReport
	for it := b.tc.GetWorkflowHistory(ctx, review.UnitWorkflowID(id, districtID(4)), "", false, 0); it.HasNext(); {
		ev, err := it.Next()
		if err != nil {
			t.Fatal(err)
		}
		if sig := ev.GetWorkflowExecutionSignaledEventAttributes(); sig.GetSignalName() == contract.SignalChildReport {
			var cr contract.ChildReport
			if err := converter.GetDefaultDataConverter().FromPayloads(sig.GetInput(), &cr); err != nil {
				t.Fatal(err)
			}
			took = append(took, cr)
		}
	}
	fromReturned := 0
	for _, cr := range took {
		if !cr.Complete || cr.Status != review.StatusSubmitted {
			t.Errorf("district 4 took a report that completes nothing: %+v", cr)
		}
		if cr.UnitID == returned {
			fromReturned++
			if cr.Seq != 3 {
				t.Errorf("district 4 took the returned commune's report of seq %d, want only its resubmission (3)", cr.Seq)
			}
		}
	}
	if signalCommands != 0 || fromReturned != 1 {
		t.Errorf("the returned commune's workflow issued %d signal commands; district 4 took %v, want the resubmission only", signalCommands, took)
	}
}

// docxText unzips a Word document, checks that every part is well-formed XML and
// returns the text of the document body.
func docxText(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("the DOCX is not a zip: %v", err)
	}
	var text strings.Builder
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		dec := xml.NewDecoder(rc)
		inText := false
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s is not well-formed: %v", f.Name, err)
			}
			if f.Name != "word/document.xml" {
				continue
			}
			switch el := tok.(type) {
			case xml.StartElement:
				inText = el.Name.Local == "t"
			case xml.EndElement:
				inText = false
				if el.Name.Local == "p" {
					text.WriteByte('\n')
				}
			case xml.CharData:
				if inText {
					text.Write(el)
				}
			}
		}
		rc.Close()
	}
	return text.String()
}

func TestReviewScheduleCreatePauseEditAndTriggerOnTemporal(t *testing.T) {
	b := setup(t)
	mv := b.must(http.StatusCreated, "tinh.appraiser", "POST", "/api/v1/movements", map[string]any{
		"unit_id": seed.Province, "name": "Lạng Sơn chung sức xây dựng nông thôn mới", "decision_number": "12/KH-UBND",
		"period_start": "2026-01-01", "period_end": "2030-12-31",
	}).body
	movementID := mv["id"].(string)
	base := "/api/v1/movements/" + movementID + "/schedules"
	b.must(http.StatusForbidden, "xa.clerk", "POST", base, map[string]any{"kind": "annual"})
	b.must(http.StatusBadRequest, "tinh.appraiser", "POST", base, map[string]any{"kind": "annual", "hour": 3})
	created := b.must(http.StatusCreated, "tinh.appraiser", "POST", base, map[string]any{"kind": "annual", "max_depth": 1}).body
	if created["paused"] != false {
		t.Fatalf("created %v", created)
	}
	b.must(http.StatusConflict, "tinh.appraiser", "POST", base, map[string]any{"kind": "annual"})
	// Temporal holds it: it fires on 1 December at 08:00 in Vietnam (01:00 UTC).
	desc := b.must(http.StatusOK, "tinh.appraiser", "GET", base+"/annual", nil).body
	next := desc["next_action_times"].([]any)
	if len(next) == 0 || !strings.HasSuffix(next[0].(string), "-12-01T01:00:00Z") {
		t.Fatalf("next fire times %v, want 1 December 01:00 UTC", next)
	}
	// Pause with a note, then move it to 15 November and resume.
	b.must(http.StatusOK, "tinh.appraiser", "POST", base+"/annual/pause", map[string]string{"note": "Chờ hướng dẫn của Trung ương"})
	if d := b.must(http.StatusOK, "tinh.appraiser", "GET", base+"/annual", nil).body; d["paused"] != true || d["note"] != "Chờ hướng dẫn của Trung ương" {
		t.Fatalf("after pausing: %v", d)
	}
	b.must(http.StatusOK, "tinh.appraiser", "PATCH", base+"/annual", map[string]any{"month": 11, "day": 15, "hour": 9, "max_depth": 1})
	b.must(http.StatusOK, "tinh.appraiser", "POST", base+"/annual/unpause", nil)
	// Temporal applies schedule changes to the schedule asynchronously: read until the
	// description shows the edit and the resumption (bounded).
	var d map[string]any
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		d = b.must(http.StatusOK, "tinh.appraiser", "GET", base+"/annual", nil).body
		next, _ := d["next_action_times"].([]any)
		if d["paused"] == false && len(next) > 0 && strings.HasSuffix(next[0].(string), "-11-15T02:00:00Z") || time.Now().After(deadline) {
			break
		}
	}
	if next := d["next_action_times"].([]any); d["paused"] != false || len(next) == 0 || !strings.HasSuffix(next[0].(string), "-11-15T02:00:00Z") {
		t.Fatalf("after editing: paused %v, next %v; want 15 November 02:00 UTC", d["paused"], next)
	}
	list := b.must(http.StatusOK, "tinh.appraiser", "GET", base, nil).body["schedules"].([]any)
	if len(list) != 1 || list[0].(map[string]any)["spec"].(map[string]any)["day"].(float64) != 15 {
		t.Fatalf("schedules read model: %v", list)
	}
	// Triggered now, the schedule's run opens the campaign for the province's districts.
	b.must(http.StatusAccepted, "tinh.appraiser", "POST", base+"/annual/trigger", nil)
	var campaign map[string]any
	b.eventually("the scheduled campaign", func() bool {
		cs := b.must(http.StatusOK, "tinh.appraiser", "GET", "/api/v1/reviews?movement="+movementID, nil).body["reviews"].([]any)
		if len(cs) == 1 {
			campaign = cs[0].(map[string]any)
			return len(campaign["levels"].([]any)) == 1
		}
		return false
	})
	if campaign["kind"] != "annual" || campaign["units"].(float64) != 11 || campaign["unit_id"] != seed.Province ||
		!strings.Contains(campaign["title"].(string), "Sơ kết năm") || campaign["schedule_key"] == "" {
		t.Fatalf("scheduled campaign: %v", campaign)
	}
	id := campaign["id"].(string)
	b.waitStarted(id, []string{seed.DemoDistrict})
	// The district reports into it like into any other.
	r := b.act(http.StatusOK, "huyen.clerk", id, seed.DemoDistrict, map[string]any{"action": "submit",
		"texts": map[string]string{review.SectionResults: "Đã triển khai."}}).body
	if r["status"] != "submitted" {
		t.Fatalf("district report after submitting: %v", r["status"])
	}
}

func TestSeedScenario1258ThroughTheAPI(t *testing.T) {
	b := setup(t)
	if err := seed.Review1258(context.Background(), b.pool); err != nil {
		t.Fatal(err)
	}
	d := b.must(http.StatusOK, "tw.appraiser", "GET", "/api/v1/reviews/"+seed.Campaign1258ID+"/dashboard", nil).body
	shown := resultsOf(d["aggregate"])
	for code, want := range map[string]string{"so_ho_ngheo": "36.544", "ty_le_ho_ngheo": "19,07", "so_ho_can_ngheo": "21.814",
		"ty_le_ho_can_ngheo": "11,38", "quy_vi_nguoi_ngheo": "3.468.179.900", "nha_xay_moi": "60", "nha_sua_chua": "25",
		"bk_tinh_tap_the": "20", "bk_tinh_ca_nhan": "16", "bk_ttg_tap_the": "1"} {
		if shown[code] != want {
			t.Errorf("ministry's aggregate %s = %q, want %q", code, shown[code], want)
		}
	}
	for _, l := range d["levels"].([]any) {
		if m := l.(map[string]any); m["depth"].(float64) == 3 && (m["total"].(float64) != 226 || m["accepted"].(float64) != 226 || m["late"].(float64) != 3) {
			t.Errorf("communes: %v", m)
		}
	}
	// A commune clerk sees the movement and its own report, not the ministry's dashboard.
	b.must(http.StatusOK, "xa.clerk", "GET", "/api/v1/movements/"+seed.Movement1258ID, nil)
	b.must(http.StatusOK, "xa.clerk", "GET", "/api/v1/reviews/"+seed.Campaign1258ID+"/reports/"+seed.DemoCommune, nil)
	b.must(http.StatusForbidden, "xa.clerk", "GET", "/api/v1/reviews/"+seed.Campaign1258ID+"/dashboard?unit="+seed.Province, nil)
	// A commendation from the review (khen thưởng phong trào) carries the movement and campaign.
	dossier := bkTinhDossier(seed.DemoCommune)
	dossier["movement_id"], dossier["campaign_id"] = seed.MovementLS1258ID, seed.Campaign1258ID
	nid := b.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations", dossier).body["id"].(string)
	var movement, campaign string
	if err := b.pool.QueryRow(context.Background(), `SELECT movement_id::text, campaign_id::text FROM nominations WHERE id = $1`, nid).
		Scan(&movement, &campaign); err != nil || movement != seed.MovementLS1258ID || campaign != seed.Campaign1258ID {
		t.Errorf("the dossier is linked to %q / %q (%v)", movement, campaign, err)
	}
	dossier["movement_id"] = "00000000-0000-4000-8000-000000000000"
	b.must(http.StatusBadRequest, "xa.clerk", "POST", "/api/v1/nominations", dossier)
	status, _, docx := b.raw("tinh.appraiser", "/api/v1/reviews/"+seed.Campaign1258ID+"/reports/"+seed.Province+"/export?format=docx")
	if status != http.StatusOK {
		t.Fatalf("export: %d", status)
	}
	text := docxText(t, docx)
	for _, s := range []string{"UBND TỈNH LẠNG SƠN", "Thực hiện Công văn số 2422/LĐTĐ-BHXH-VPQGNN ngày 18/6/2018",
		"ĐẶC ĐIỂM, TÌNH HÌNH", "còn 36.544 hộ nghèo, chiếm tỷ lệ 19,07%", "19,07", "3.468.179.900", "Hiệp hội doanh nghiệp tỉnh",
		"Bằng khen của Chủ tịch UBND tỉnh", "UBND huyện Cao Lộc"} {
		if !strings.Contains(text, s) {
			t.Errorf("Lạng Sơn's DOCX lacks %q", s)
		}
	}
}
