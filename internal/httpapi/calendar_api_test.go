package httpapi_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/tdkt/tdkt/internal/calendar"
)

// holidayNames maps the dates of a GET /calendar/:year answer to their names.
func holidayNames(r response) map[string]string {
	out := map[string]string{}
	for _, h := range r.body["holidays"].([]any) {
		m := h.(map[string]any)
		out[m["date"].(string)] = m["name"].(string)
	}
	return out
}

func dueDate(b *bundle, from string, n int) string {
	b.t.Helper()
	r := b.must(http.StatusOK, "xa.clerk", "GET", "/api/v1/calendar/"+from[:4]+"/working-days?from="+from+"&n="+strconv.Itoa(n), nil)
	return r.body["due_date"].(string)
}

func fieldsOf(r response) map[string]bool {
	out := map[string]bool{}
	errs, _ := r.body["errors"].([]any)
	for _, e := range errs {
		out[e.(map[string]any)["field"].(string)] = true
	}
	return out
}

func TestCalendarIsReadByAnyoneAndEditedOnlyByTheCentralAdmin(t *testing.T) {
	b := setup(t)

	// Any logged-in user reads a year: the published 2026 decisions are in it.
	r := b.must(http.StatusOK, "xa.clerk", "GET", "/api/v1/calendar/2026", nil)
	names := holidayNames(r)
	if names["2026-02-16"] != calendar.NameTet || names["2026-09-02"] != calendar.NameNationalDay {
		t.Errorf("2026 holidays lack Tết 16/02 or Quốc khánh 02/09: %v", names)
	}
	published, err := calendar.New(calendar.Published())
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for d := (calendar.Date{Year: 2026, Month: 1, Day: 1}); d.Year == 2026; d = d.AddDays(1) {
		if published.IsWorkingDay(d) {
			want++
		}
	}
	if got := int(r.body["working_days"].(float64)); got != want {
		t.Errorf("2026 has %d working days, want %d", got, want)
	}
	if wo := r.body["working_overrides"].([]any); len(wo) != 2 || wo[0].(map[string]any)["date"] != "2026-01-10" {
		t.Errorf("2026 swapped Saturdays: %v, want 10/01 and 22/08", wo)
	}
	b.must(http.StatusUnauthorized, "", "GET", "/api/v1/calendar/2026", nil)
	b.must(http.StatusBadRequest, "xa.clerk", "GET", "/api/v1/calendar/20x6", nil)
	b.must(http.StatusBadRequest, "xa.clerk", "GET", "/api/v1/calendar/1800", nil)

	// Before any decision for 2027 the calendar uses the default Tết span.
	if got := dueDate(b, "2027-02-03", 1); got != "2027-02-04" {
		t.Fatalf("1 working day after 03/02/2027 is %s before the decision, want 2027-02-04", got)
	}
	tet2027 := map[string]any{"overrides": []map[string]any{
		{"date": "2027-02-04", "kind": "off", "name": "Tết Nguyên đán"},
		{"date": "2027-02-05", "kind": "off", "name": "Tết Nguyên đán"},
		{"date": "2027-02-06", "kind": "off", "name": "Tết Nguyên đán"},
		{"date": "2027-02-07", "kind": "off", "name": "Tết Nguyên đán"},
		{"date": "2027-02-08", "kind": "off", "name": "Tết Nguyên đán"},
		{"date": "2027-02-09", "kind": "off", "name": "Tết Nguyên đán"},
		{"date": "2027-02-10", "kind": "off", "name": "Tết Nguyên đán"},
		{"date": "2027-02-11", "kind": "off", "name": "Tết Nguyên đán"},
		{"date": "2027-02-12", "kind": "off", "name": "Tết Nguyên đán"},
		{"date": "2027-02-20", "kind": "work", "name": "Làm bù cho thứ Sáu 12/02/2027"},
	}}
	// The calendar is national: a provincial admin, a clerk cannot change it.
	b.must(http.StatusForbidden, "tinh.admin", "PUT", "/api/v1/calendar/2027/overrides", tet2027)
	b.must(http.StatusForbidden, "xa.clerk", "PUT", "/api/v1/calendar/2027/overrides", tet2027)

	bad := b.must(http.StatusBadRequest, "tw.admin", "PUT", "/api/v1/calendar/2027/overrides", map[string]any{"overrides": []map[string]any{
		{"date": "2026-12-31", "kind": "off", "name": "Năm khác"},
		{"date": "2027-03-01", "kind": "holiday", "name": "Loại sai"},
		{"date": "2027-03-02", "kind": "off", "name": " "},
		{"date": "2027-03-03", "kind": "work"},
		{"date": "2027-03-03", "kind": "work"},
		{"date": "03/04/2027", "kind": "off", "name": "Sai định dạng"},
	}})
	for _, f := range []string{"overrides[0].date", "overrides[1].kind", "overrides[2].name", "overrides[4].date", "overrides[5].date"} {
		if !fieldsOf(bad)[f] {
			t.Errorf("invalid overrides: no error for %s in %s", f, bad.raw)
		}
	}
	if fieldsOf(bad)["overrides[3].date"] {
		t.Errorf("a working day needs no name: %s", bad.raw)
	}
	if n := b.count("calendar_overrides"); n != 0 {
		t.Fatalf("a refused PUT stored %d overrides", n)
	}

	r = b.must(http.StatusOK, "tw.admin", "PUT", "/api/v1/calendar/2027/overrides", tet2027)
	if len(r.body["overrides"].([]any)) != 10 {
		t.Errorf("the answer lists %d recorded overrides, want 10: %s", len(r.body["overrides"].([]any)), r.raw)
	}
	if got := dueDate(b, "2027-02-03", 1); got != "2027-02-15" {
		t.Errorf("1 working day after 03/02/2027 is %s after the decision, want Monday 2027-02-15", got)
	}
	if got := dueDate(b, "2027-02-19", 1); got != "2027-02-20" {
		t.Errorf("the swapped Saturday 20/02/2027 is not a working day: got %s", got)
	}
	if names := holidayNames(b.must(http.StatusOK, "xa.clerk", "GET", "/api/v1/calendar/2027", nil)); names["2027-02-04"] != "Tết Nguyên đán" {
		t.Errorf("the recorded Tết span is not among the 2027 holidays: %v", names)
	}

	// A recorded row replaces the published decision of the same date only:
	// cancelling the swapped Saturday 10/01/2026 keeps the published Tết 2026.
	b.must(http.StatusOK, "tw.admin", "PUT", "/api/v1/calendar/2026/overrides", map[string]any{"overrides": []map[string]any{
		{"date": "2026-01-10", "kind": "off", "name": "Hủy làm bù"},
	}})
	r = b.must(http.StatusOK, "xa.clerk", "GET", "/api/v1/calendar/2026", nil)
	if wo := r.body["working_overrides"].([]any); len(wo) != 1 || wo[0].(map[string]any)["date"] != "2026-08-22" {
		t.Errorf("after the override 10/01/2026 the swapped Saturdays are %v, want only 22/08", wo)
	}
	if holidayNames(r)["2026-02-16"] != calendar.NameTet {
		t.Errorf("the published Tết 2026 was lost when another date of 2026 was recorded")
	}
	if got := dueDate(b, "2026-01-09", 1); got != "2026-01-12" {
		t.Errorf("1 working day after Friday 09/01/2026 is %s, want Monday 12/01 once the Saturday is cancelled", got)
	}

	// Deleting one day brings the published rule back; a second delete finds nothing.
	b.must(http.StatusNoContent, "tw.admin", "DELETE", "/api/v1/calendar/2026/overrides/2026-01-10", nil)
	if got := dueDate(b, "2026-01-09", 1); got != "2026-01-10" {
		t.Errorf("after the delete 1 working day after 09/01/2026 is %s, want the published swapped Saturday", got)
	}
	b.must(http.StatusNotFound, "tw.admin", "DELETE", "/api/v1/calendar/2026/overrides/2026-01-10", nil)
	b.must(http.StatusForbidden, "tinh.admin", "DELETE", "/api/v1/calendar/2027/overrides/2027-02-04", nil)
	b.must(http.StatusBadRequest, "tw.admin", "DELETE", "/api/v1/calendar/2027/overrides/2026-02-04", nil)

	// The due-date helper validates its query.
	b.must(http.StatusBadRequest, "xa.clerk", "GET", "/api/v1/calendar/2026/working-days?from=2026-02-30&n=3", nil)
	b.must(http.StatusBadRequest, "xa.clerk", "GET", "/api/v1/calendar/2026/working-days?from=2027-01-04&n=3", nil)
	b.must(http.StatusBadRequest, "xa.clerk", "GET", "/api/v1/calendar/2026/working-days?from=2026-01-05&n=-1", nil)
	b.must(http.StatusBadRequest, "xa.clerk", "GET", "/api/v1/calendar/2026/working-days?from=2026-01-05", nil)
	r = b.must(http.StatusOK, "xa.clerk", "GET", "/api/v1/calendar/2026/working-days?from=2026-02-10&n=10", nil)
	if r.body["due_date"] != "2026-03-03" || r.body["due_at"] != "2026-03-03T23:59:59.999999+07:00" {
		t.Errorf("10 working days from 10/02/2026 (Tết in between): %s", r.raw)
	}
}

func TestTimeLimitsAndBaseSalariesAreNationalReferenceData(t *testing.T) {
	b := setup(t)
	for _, u := range []string{"tinh.admin", "tinh.decider", "xa.clerk"} {
		b.must(http.StatusForbidden, u, "GET", "/api/v1/admin/time-limits", nil)
		b.must(http.StatusForbidden, u, "PUT", "/api/v1/admin/time-limits", map[string]any{"time_limits": []map[string]any{
			{"step": "appraise", "working_days": 12, "remind_before": 3}}})
		b.must(http.StatusForbidden, u, "GET", "/api/v1/admin/base-salaries", nil)
	}

	limits := func(r response) map[string][2]int {
		out := map[string][2]int{}
		for _, l := range r.body["time_limits"].([]any) {
			m := l.(map[string]any)
			out[m["step"].(string)] = [2]int{int(m["working_days"].(float64)), int(m["remind_before"].(float64))}
		}
		return out
	}
	r := b.must(http.StatusOK, "tw.admin", "GET", "/api/v1/admin/time-limits", nil)
	if got := limits(r); got["appraise"] != [2]int{10, 2} || got["forward"] != [2]int{15, 3} {
		t.Fatalf("default time limits: %v", got)
	}
	r = b.must(http.StatusOK, "tw.admin", "PUT", "/api/v1/admin/time-limits", map[string]any{"time_limits": []map[string]any{
		{"step": "appraise", "working_days": 20, "remind_before": 3}}})
	if got := limits(r); got["appraise"] != [2]int{20, 3} || got["forward"] != [2]int{15, 3} {
		t.Errorf("after changing appraise: %v (other steps must keep theirs)", got)
	}
	bad := b.must(http.StatusBadRequest, "tw.admin", "PUT", "/api/v1/admin/time-limits", map[string]any{"time_limits": []map[string]any{
		{"step": "decide", "working_days": 7, "remind_before": 1},
		{"step": "appraise", "working_days": 0, "remind_before": 0},
		{"step": "vote", "working_days": 5, "remind_before": 5}}})
	if f := fieldsOf(bad); !f["time_limits[1].working_days"] || !f["time_limits[2].remind_before"] {
		t.Errorf("invalid limits: %s", bad.raw)
	}
	bad = b.must(http.StatusBadRequest, "tw.admin", "PUT", "/api/v1/admin/time-limits", map[string]any{"time_limits": []map[string]any{
		{"step": "decide", "working_days": 7, "remind_before": 1},
		{"step": "khen_nhanh", "working_days": 5, "remind_before": 1}}})
	if !fieldsOf(bad)["time_limits[1].step"] {
		t.Errorf("an unknown step is not reported: %s", bad.raw)
	}
	if got := limits(b.must(http.StatusOK, "tw.admin", "GET", "/api/v1/admin/time-limits", nil)); got["decide"] != [2]int{5, 1} {
		t.Errorf("a refused PUT changed decide to %v", got["decide"])
	}

	r = b.must(http.StatusOK, "tw.admin", "GET", "/api/v1/admin/base-salaries", nil)
	if bs := r.body["base_salaries"].([]any); len(bs) != 3 || bs[2].(map[string]any)["amount"].(float64) != 2340000 {
		t.Fatalf("seeded base salaries: %s", r.raw)
	}
	table := []map[string]any{
		{"valid_from": "2019-07-01", "amount": 1490000, "source": "Nghị định 38/2019/NĐ-CP"},
		{"valid_from": "2023-07-01", "amount": 1800000, "source": "Nghị định 24/2023/NĐ-CP"},
		{"valid_from": "2024-07-01", "amount": 2340000, "source": "Nghị định 73/2024/NĐ-CP"},
		{"valid_from": "2026-07-01", "amount": 2530000, "source": "Nghị định tăng lương cơ sở 2026"},
	}
	r = b.must(http.StatusOK, "tw.admin", "PUT", "/api/v1/admin/base-salaries", map[string]any{"base_salaries": table})
	if bs := r.body["base_salaries"].([]any); len(bs) != 4 || bs[3].(map[string]any)["valid_from"] != "2026-07-01" {
		t.Errorf("after PUT: %s", r.raw)
	}
	bad = b.must(http.StatusBadRequest, "tw.admin", "PUT", "/api/v1/admin/base-salaries", map[string]any{"base_salaries": []map[string]any{
		{"valid_from": "2024-07-01", "amount": 0, "source": "x"},
		{"valid_from": "2024-07-01", "amount": 100, "source": ""},
		{"valid_from": "1/7/2025", "amount": 100, "source": "x"}}})
	if f := fieldsOf(bad); !f["base_salaries[0].amount"] || !f["base_salaries[1].valid_from"] || !f["base_salaries[1].source"] || !f["base_salaries[2].valid_from"] {
		t.Errorf("invalid base salaries: %s", bad.raw)
	}
	b.must(http.StatusBadRequest, "tw.admin", "PUT", "/api/v1/admin/base-salaries", map[string]any{"base_salaries": []map[string]any{}})
	if n := b.count("base_salaries"); n != 4 {
		t.Errorf("refused PUTs left %d base salaries, want the 4 stored before", n)
	}
}
