package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/tdkt/tdkt/internal/seed"
)

// TestBadInputIsRefusedAndLeavesNothing: every malformed or invalid dossier gets a
// problem document with the offending fields, and no row is written.
func TestBadInputIsRefusedAndLeavesNothing(t *testing.T) {
	b := setup(t)
	valid := func(edit func(m map[string]any)) map[string]any {
		m := bkTinhDossier(seed.DemoCommune)
		edit(m)
		return m
	}
	for _, tc := range []struct {
		name   string
		body   any
		status int
		field  string
	}{
		{"malformed JSON", `{"unit_id": "LS-09-003", "award_code": `, 400, ""},
		{"not an object", `[1,2,3]`, 400, ""},
		{"empty body", ``, 400, ""},
		{"trailing data", `{"unit_id":"LS-09-003"} {}`, 400, ""},
		{"wrong type", `{"year": "2026"}`, 400, "year"},
		{"unknown award", valid(func(m map[string]any) { m["award_code"] = "HUAN_CHUONG_VANG" }), 400, "award_code"},
		{"empty nominee list", valid(func(m map[string]any) { m["nominees"] = []any{} }), 400, "nominees"},
		{"nominee without name", valid(func(m map[string]any) { m["nominees"] = []any{map[string]any{"kind": "individual"}} }), 400, "nominees[0].name"},
		{"bad nominee kind", valid(func(m map[string]any) { m["nominees"] = []any{map[string]any{"kind": "robot", "name": "R2"}} }), 400, "nominees[0].kind"},
		{"kind the award excludes", valid(func(m map[string]any) {
			m["award_code"] = "LDTT"
			m["nominees"] = []any{map[string]any{"kind": "collective", "name": "Tổ 1"}}
		}), 400, "nominees[0].kind"},
		{"year out of range", valid(func(m map[string]any) { m["year"] = 1890 }), 400, "year"},
		{"unknown unit", valid(func(m map[string]any) { m["unit_id"] = "XX-99" }), 400, "unit_id"},
		{"mass assignment of status", valid(func(m map[string]any) { m["status"] = "decided" }), 400, "status"},
		{"oversized body", valid(func(m map[string]any) {
			m["nominees"] = []any{map[string]any{"kind": "individual", "name": "A", "achievements": strings.Repeat("x", 100<<10)}}
		}), 413, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := b.do("xa.clerk", "POST", "/api/v1/nominations", tc.body)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.raw)
			}
			if r.header.Get("Content-Type") != "application/problem+json" || r.body["status"].(float64) != float64(tc.status) {
				t.Fatalf("not a problem document: %s", r.raw)
			}
			if tc.field != "" {
				found := false
				errs, _ := r.body["errors"].([]any)
				for _, e := range errs {
					if e.(map[string]any)["field"] == tc.field {
						found = true
					}
				}
				if !found {
					t.Fatalf("no error for field %s: %s", tc.field, r.raw)
				}
			}
		})
	}
	for _, table := range []string{"nominations", "nominees", "tasks", "audit_events", "decisions"} {
		if n := b.count(table); n != 0 {
			t.Errorf("bad input left %d rows in %s", n, table)
		}
	}
	// Bad actions on a real dossier leave it as it was.
	id := b.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations", bkTinhDossier(seed.DemoCommune)).body["id"].(string)
	b.must(http.StatusOK, "xa.clerk", "POST", "/api/v1/nominations/"+id+"/submit", nil)
	b.must(http.StatusBadRequest, "huyen.appraiser", "POST", "/api/v1/nominations/"+id+"/actions", map[string]any{"action": "return"})
	b.must(http.StatusBadRequest, "huyen.appraiser", "POST", "/api/v1/nominations/"+id+"/actions", map[string]any{"action": "reject", "reason": "  "})
	b.must(http.StatusBadRequest, "huyen.appraiser", "POST", "/api/v1/nominations/"+id+"/actions", map[string]any{"action": "approve-everything"})
	b.must(http.StatusBadRequest, "huyen.appraiser", "POST", "/api/v1/nominations/"+id+"/actions", `{"action": "approve", "status": "decided"}`)
	if n := b.count("audit_events"); n != 2 {
		t.Fatalf("%d audit events after refused actions, want 2 (create, submit)", n)
	}
}
