package httpapi_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/tdkt/tdkt/internal/seed"
)

// movableClock is the application's clock for a test crossing a reorganisation:
// it runs at the real pace from the instant it was last set to.
type movableClock struct {
	mu       sync.Mutex
	app, off time.Time
}

func newMovableClock(at time.Time) *movableClock {
	c := &movableClock{}
	c.set(at)
	return c
}

func (c *movableClock) set(at time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.app, c.off = at, time.Now()
}

func (c *movableClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.app.Add(time.Since(c.off))
}

// lastMinuteOfTheDistricts is 30/6/2025 a few seconds before midnight in Vietnam,
// when the districts end.
func lastMinuteOfTheDistricts(before time.Duration) time.Time {
	return time.Date(2025, 7, 1, 0, 0, 0, 0, time.FixedZone("ICT", 7*3600)).Add(-before)
}

// handover returns the dossier's handover event, waiting for the workflow's timer.
func (b *bundle) handoverEvent(user, id string) map[string]any {
	b.t.Helper()
	var ev map[string]any
	b.eventually("the handover of dossier "+id, func() bool {
		evs := b.must(http.StatusOK, user, "GET", "/api/v1/nominations/"+id+"/history", nil).body["events"].([]any)
		for _, e := range evs {
			if m := e.(map[string]any); m["action"] == "handover" {
				ev = m
				return true
			}
		}
		return false
	})
	return ev
}

// A dossier waiting at a district on 30/6/2025 goes to the province when the
// district ends at midnight: the level is abolished, so the next stop of its route
// takes it, its intake opens there, and its history records the handover. The end
// is recorded through the API a few seconds before midnight (application clock);
// the workflow waits for it on a Temporal timer.
func TestADossierAtADistrictIsHandedToTheProvinceWhenTheDistrictEnds(t *testing.T) {
	clock := newMovableClock(lastMinuteOfTheDistricts(30 * time.Minute))
	b := setup(t, withClock(clock.now))
	dossier := bkTinhDossier(seed.DemoCommune)
	dossier["year"] = 2025
	id := b.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations", dossier).body["id"].(string)
	b.must(http.StatusOK, "xa.clerk", "POST", "/api/v1/nominations/"+id+"/submit", nil)
	b.actOn(http.StatusOK, "huyen.appraiser", id, map[string]any{"action": "accept", "version": 1})
	if n := b.must(http.StatusOK, "tinh.auditor", "GET", "/api/v1/nominations/"+id, nil).body; n["current_unit_id"] != seed.DemoDistrict ||
		n["status"] != "appraising" {
		t.Fatalf("before the reform: %v", n)
	}
	// The district's communes went to new units and its staff left (recorded
	// elsewhere); the province ends the district from 1/7/2025.
	ctx := context.Background()
	if _, err := b.pool.Exec(ctx, `UPDATE units SET valid_to = DATE '2025-07-01' WHERE parent_id = $1`, seed.DemoDistrict); err != nil {
		t.Fatal(err)
	}
	if _, err := b.pool.Exec(ctx, `UPDATE users SET active = false WHERE unit_id = $1`, seed.DemoDistrict); err != nil {
		t.Fatal(err)
	}
	clock.set(lastMinuteOfTheDistricts(4 * time.Second))
	b.must(http.StatusOK, "tinh.admin", "POST", "/api/v1/admin/units/"+seed.DemoDistrict+"/end", map[string]any{"valid_to": "2025-07-01"})
	if n := b.must(http.StatusOK, "tinh.auditor", "GET", "/api/v1/nominations/"+id, nil).body; n["current_unit_id"] != seed.DemoDistrict {
		t.Fatalf("handed over before midnight: %v", n)
	}
	ev := b.handoverEvent("tinh.auditor", id)
	at, _ := time.Parse(time.RFC3339Nano, ev["at"].(string))
	if at.Before(lastMinuteOfTheDistricts(0)) {
		t.Fatalf("handed over at %v, before the district ended", at)
	}
	n := b.must(http.StatusOK, "tinh.auditor", "GET", "/api/v1/nominations/"+id, nil).body
	if n["current_unit_id"] != seed.Province || n["status"] != "intake" || ev["unit_id"] != seed.DemoDistrict {
		t.Fatalf("after the district ended: %v; event %v", n, ev)
	}
	task := b.taskFor("tinh.appraiser", id)
	if task["step"] != "intake" {
		t.Fatalf("the province's task: %v", task)
	}
	var open int
	if err := b.pool.QueryRow(ctx, `SELECT count(*) FROM tasks WHERE nomination_id = $1 AND status = 'open' AND unit_id = $2`,
		id, seed.DemoDistrict).Scan(&open); err != nil || open != 0 {
		t.Fatalf("%d tasks left open at the district (%v)", open, err)
	}
	// The province carries on.
	b.actOn(http.StatusOK, "tinh.appraiser", id, map[string]any{"action": "accept", "version": n["version"]})
}

// A dossier waiting at a unit that a reorganisation merges whole into a new one
// is taken over by the successor as it stood: the same stage, its open task with
// the same due date moved to the successor's inbox, and the handover in its
// history. The successor's staff (moved there through the API) carry on and the
// successor decides.
func TestADossierAtAMergedUnitIsTakenOverByItsSuccessor(t *testing.T) {
	clock := newMovableClock(lastMinuteOfTheDistricts(30 * time.Minute))
	b := setup(t, withClock(clock.now))
	// A Giấy khen of the district chair (the rules before the reform): the district decides.
	id := b.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations", map[string]any{
		"unit_id": seed.DemoCommune, "award_code": "GK", "year": 2025,
		"nominees": []map[string]any{{"kind": "individual", "name": "Lăng Văn Hùng", "achievements": "Hoàn thành xuất sắc nhiệm vụ"}},
	}).body["id"].(string)
	// The reorganisation (recorded before the dossier reaches the district): the
	// district goes whole into a new one on 1/7/2025, its communes with it.
	const merged = "LS-HOP-NHAT"
	ctx := context.Background()
	for _, q := range []string{
		`INSERT INTO units (id, parent_id, name, level, kind, valid_from) VALUES ('` + merged + `', '` + seed.Province + `', 'UBND huyện Hợp Nhất', 'district', 'people_committee', DATE '2025-07-01')`,
		`INSERT INTO unit_successions (predecessor_id, successor_id, whole, effective, source) VALUES ('` + seed.DemoDistrict + `', '` + merged + `', true, DATE '2025-07-01', 'test')`,
		`UPDATE units SET parent_id = '` + merged + `' WHERE parent_id = '` + seed.DemoDistrict + `'`,
		`UPDATE units SET valid_to = DATE '2025-07-01' WHERE id = '` + seed.DemoDistrict + `'`,
	} {
		if _, err := b.pool.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	clock.set(lastMinuteOfTheDistricts(6 * time.Second))
	b.must(http.StatusOK, "xa.clerk", "POST", "/api/v1/nominations/"+id+"/submit", nil)
	before := b.taskFor("huyen.appraiser", id)
	if before["unit_id"] != seed.DemoDistrict {
		t.Fatalf("before midnight: %v", before)
	}
	ev := b.handoverEvent("tinh.auditor", id)
	n := b.must(http.StatusOK, "tinh.auditor", "GET", "/api/v1/nominations/"+id, nil).body
	if n["current_unit_id"] != merged || n["status"] != "intake" {
		t.Fatalf("after midnight: %v", n)
	}
	if d, _ := ev["details"].(map[string]any); d["handover_from"] != seed.DemoDistrict || d["handover_to"] != merged {
		t.Fatalf("handover event: %v", ev)
	}
	// The district's staff now work at the new district, and find the task there.
	b.reloadAuthz()
	b.must(http.StatusOK, "tinh.admin", "POST", "/api/v1/admin/units/"+seed.DemoDistrict+"/move-users", map[string]any{"to": merged, "roles": true})
	after := b.taskFor("huyen.appraiser", id)
	if after["unit_id"] != merged || after["due_at"] != before["due_at"] || after["id"] != before["id"] {
		t.Fatalf("the task moved: before %v, after %v", before, after)
	}
	v := n["version"].(float64)
	b.actOn(http.StatusOK, "huyen.appraiser", id, map[string]any{"action": "accept", "version": v})
	b.actOn(http.StatusOK, "huyen.appraiser", id, map[string]any{"action": "approve", "version": v + 1})
	n = b.actOn(http.StatusOK, "huyen.decider", id, map[string]any{"action": "decide", "version": v + 2})
	if n["status"] != "decided" || n["decision"].(map[string]any)["unit_id"] != merged {
		t.Fatalf("decided by the successor: %v", n)
	}
}
