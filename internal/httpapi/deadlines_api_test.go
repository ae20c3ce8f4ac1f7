package httpapi_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/seed"
)

// tally reads {open, due_soon, overdue} of a dashboard object.
func tally(v any) [3]int {
	m, _ := v.(map[string]any)
	n := func(k string) int { f, _ := m[k].(float64); return int(f) }
	return [3]int{n("open"), n("due_soon"), n("overdue")}
}

func groupsByUnit(r response) map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, g := range r.body["groups"].([]any) {
		m := g.(map[string]any)
		out[m["unit_id"].(string)] = m
	}
	return out
}

func TestDeadlineDashboardCountsPerUnitBelowAndListsOverdueTasks(t *testing.T) {
	b := setup(t)
	cal, err := calendar.New(calendar.Published())
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	at := func(t time.Time) *time.Time { return &t }
	dueSoon := cal.AddWorkingDays(now, 1)
	later := cal.AddWorkingDays(now, 10)
	provinceLate, districtLate, otherLate := now.Add(-40*24*time.Hour), now.Add(-10*24*time.Hour), now.Add(-5*24*time.Hour)

	_, provinceTask := plantTask(b, "Hồ sơ chờ tỉnh quyết định", plantedTask{unit: seed.Province, role: "decider", step: "decide", due: at(provinceLate)})
	districtDossier, _ := plantTask(b, "Hồ sơ chờ huyện thẩm định", plantedTask{unit: seed.DemoDistrict, role: "appraiser", step: "appraise", due: at(districtLate)})
	plantTask(b, "Hồ sơ xã đang bổ sung", plantedTask{unit: seed.DemoCommune, role: "clerk", step: "supplement", due: at(dueSoon)})
	plantTask(b, "Hồ sơ xã chưa gửi", plantedTask{unit: seed.DemoCommune, role: "clerk", step: "submit"})
	plantTask(b, "Hồ sơ Lộc Bình", plantedTask{unit: seed.OtherDistrict, role: "appraiser", step: "appraise", due: at(later)})
	plantTask(b, "Hồ sơ xã Ái Quốc quá hạn", plantedTask{unit: seed.OtherCommune, role: "clerk", step: "submit", due: at(otherLate)})
	plantTask(b, "Hồ sơ đã xong", plantedTask{unit: seed.DemoDistrict, role: "appraiser", step: "appraise", due: at(districtLate), status: "done"})

	// The province chases its districts.
	r := b.must(http.StatusOK, "tinh.decider", "GET", "/api/v1/deadlines?unit=LS&subtree=1&soon=3", nil)
	totals := r.body["totals"].(map[string]any)
	if got := tally(totals); got != [3]int{6, 1, 3} {
		t.Errorf("totals (open, due soon, overdue) = %v, want [6 1 3]: %s", got, r.raw)
	}
	byStep := totals["by_step"].(map[string]any)
	for step, want := range map[string][3]int{"appraise": {2, 0, 1}, "supplement": {1, 1, 0}, "submit": {2, 0, 1}, "decide": {1, 0, 1}} {
		if got := tally(byStep[step]); got != want {
			t.Errorf("step %s = %v, want %v", step, got, want)
		}
	}
	groups := groupsByUnit(r)
	for unit, want := range map[string][3]int{seed.Province: {1, 0, 1}, seed.DemoDistrict: {3, 1, 1}, seed.OtherDistrict: {2, 0, 1}} {
		if got := tally(groups[unit]); got != want {
			t.Errorf("group %s = %v, want %v (a district's group covers its communes)", unit, got, want)
		}
	}
	if len(groups) != 3 {
		t.Errorf("groups %v, want the province's own tasks and its two districts with tasks", groups)
	}
	if first := r.body["groups"].([]any)[0].(map[string]any)["unit_id"]; first != seed.DemoDistrict {
		t.Errorf("the most pressing group comes first: got %v, want %s (1 overdue, 1 due soon)", first, seed.DemoDistrict)
	}
	overdue := r.body["overdue_tasks"].([]any)
	if len(overdue) != 3 {
		t.Fatalf("%d overdue tasks listed, want 3: %s", len(overdue), r.raw)
	}
	oldest := overdue[0].(map[string]any)
	if int64(oldest["task_id"].(float64)) != provinceTask || oldest["step"] != "decide" || oldest["unit_id"] != seed.Province {
		t.Errorf("the longest overdue task comes first: %v", oldest)
	}
	if got, want := int(oldest["working_days_overdue"].(float64)), cal.WorkingDaysBetween(provinceLate, now); got != want || got < 20 {
		t.Errorf("working days overdue = %d, want %d", got, want)
	}
	if second := overdue[1].(map[string]any); second["nomination_id"] != districtDossier || second["nomination_title"] != "Hồ sơ chờ huyện thẩm định" {
		t.Errorf("second overdue task: %v", second)
	}

	// Without subtree only the unit's own tasks count.
	r = b.must(http.StatusOK, "tinh.decider", "GET", "/api/v1/deadlines?unit=LS", nil)
	if got := tally(r.body["totals"]); got != [3]int{1, 0, 1} {
		t.Errorf("LS alone = %v, want [1 0 1]", got)
	}
	// A provincial clerk reads the province's dossiers only, not the districts'.
	r = b.must(http.StatusOK, "tinh.clerk", "GET", "/api/v1/deadlines?unit=LS&subtree=1", nil)
	if got := tally(r.body["totals"]); got != [3]int{1, 0, 1} {
		t.Errorf("tinh.clerk over the LS subtree = %v, want only the province's own task", got)
	}

	// Without a unit: the user's own subtree, grouped below its top.
	r = b.must(http.StatusOK, "huyen.decider", "GET", "/api/v1/deadlines", nil)
	if r.body["unit_id"] != seed.DemoDistrict || r.body["subtree"] != true {
		t.Errorf("default scope of huyen.decider: unit %v subtree %v", r.body["unit_id"], r.body["subtree"])
	}
	groups = groupsByUnit(r)
	if tally(groups[seed.DemoDistrict]) != [3]int{1, 0, 1} || tally(groups[seed.DemoCommune]) != [3]int{2, 1, 0} || len(groups) != 2 {
		t.Errorf("huyen.decider groups: %s", r.raw)
	}
	r = b.must(http.StatusOK, "xa.clerk", "GET", "/api/v1/deadlines?soon=0", nil)
	if got := tally(r.body["totals"]); r.body["unit_id"] != seed.DemoCommune || got[0] != 2 {
		t.Errorf("xa.clerk's dashboard: %s", r.raw)
	}

	// Authorization and input.
	b.must(http.StatusForbidden, "huyen.appraiser", "GET", "/api/v1/deadlines?unit=LS&subtree=1", nil)
	b.must(http.StatusForbidden, "xa2.clerk", "GET", "/api/v1/deadlines?unit=LS-09", nil)
	b.must(http.StatusNotFound, "tinh.decider", "GET", "/api/v1/deadlines?unit=NOPE", nil)
	b.must(http.StatusBadRequest, "tinh.decider", "GET", "/api/v1/deadlines?unit=LS&soon=61", nil)
	b.must(http.StatusBadRequest, "tinh.decider", "GET", "/api/v1/deadlines?unit=LS&subtree=maybe", nil)
	b.must(http.StatusUnauthorized, "", "GET", "/api/v1/deadlines", nil)
}
