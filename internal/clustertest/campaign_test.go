package clustertest

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/tdkt/tdkt/internal/review"
	"github.com/tdkt/tdkt/internal/seed"
)

// campaign drives a review campaign over the cluster while the dossiers run: the
// province asks the two communes that have accounts for their annual report, each
// commune saves its draft three times and submits, the province returns one report,
// which is submitted again, and accepts both. Every action goes through d.send
// (alternating replicas, retried with its Idempotency-Key while a fault lasts), and
// step k of a report waits until k/8 of the dossiers are decided, so the actions
// are spread over the faults.
type campaign struct {
	d        *driver
	id       string
	progress func() int64
	mu       sync.Mutex
	// done counts the actions answered 200, per unit and action: each must be in
	// review_events exactly once.
	done map[string]map[string]int
}

var campaignUnits = map[string]string{seed.TodayCommune: "xa.clerk", seed.TodayOtherCommune: "xa2.clerk"}

// launchCampaign asks for the campaign (before any fault: a launch is not idempotent).
func (d *driver) launchCampaign(ctx context.Context, progress func() int64) (*campaign, error) {
	final := time.Now().AddDate(0, 0, 40).Format(time.DateOnly)
	units := make([]string, 0, len(campaignUnits))
	for u := range campaignUnits {
		units = append(units, u)
	}
	code, out, err := d.send(ctx, "tinh.appraiser", "POST", "/api/v1/reviews", map[string]any{
		"movement_id": seed.MovementLS1258ID, "unit_id": seed.Province, "kind": "annual", "final_deadline": final,
		"letter_number": "99/KH-CLUSTER", "letter_date": time.Now().Format(time.DateOnly), "target_unit_ids": units, "max_depth": 1,
	}, "")
	if err != nil {
		return nil, err
	}
	id, _ := out["id"].(string)
	if code != http.StatusCreated || id == "" {
		return nil, fmt.Errorf("launch campaign: %d %v", code, out)
	}
	return &campaign{d: d, id: id, progress: progress, done: map[string]map[string]int{}}, nil
}

func (c *campaign) count(unit, action string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done[unit] == nil {
		c.done[unit] = map[string]int{}
	}
	c.done[unit][action]++
}

// run moves unit's report until it is accepted.
func (c *campaign) run(ctx context.Context, unit string, returnOnce bool) error {
	clerk := campaignUnits[unit]
	figures := map[string]int64{"so_ho": 812, "so_ho_ngheo": 97, "so_ho_can_ngheo": 48, "dan_so": 3248, "so_nguoi_bhyt": 3200,
		"quy_vi_nguoi_ngheo": 4_000_000, "nha_xay_moi": 1, "nha_sua_chua": 0}
	submit := map[string]any{"action": "submit", "numbers": figures, "texts": map[string]string{review.SectionResults: "Kết quả của xã " + unit}}
	saves, returned, refused := 0, false, 0
	var lastRefusal map[string]any
	lastVersion, stuckSince := -1, time.Now()
	for step := 0; ; {
		var status string
		var version int
		err := c.d.pool.QueryRow(ctx, `SELECT status, version FROM review_reports WHERE campaign_id = $1 AND unit_id = $2`, c.id, unit).
			Scan(&status, &version)
		if err != nil && ctx.Err() != nil {
			return err
		}
		if err == nil && version != lastVersion {
			lastVersion, stuckSince = version, time.Now()
		} else if time.Since(stuckSince) > 2*time.Minute {
			return fmt.Errorf("report %s stuck at %q v%d for 2 minutes (%v; last refusal %v)", unit, status, version, err, lastRefusal)
		}
		if err != nil { // the report's workflow has not recorded it yet
			time.Sleep(250 * time.Millisecond)
			continue
		}
		var user string
		var body map[string]any
		switch review.Status(status) {
		case review.StatusNotStarted, review.StatusDraft:
			if saves < 3 {
				user, body = clerk, map[string]any{"action": "save", "numbers": map[string]int64{"so_ho": 800 + int64(saves)}}
			} else {
				user, body = clerk, submit
			}
		case review.StatusReturned:
			user, body = clerk, submit
		case review.StatusSubmitted:
			if returnOnce && !returned {
				user, body = "tinh.appraiser", map[string]any{"action": "return", "reason": "Số hộ nghèo chưa khớp danh sách rà soát"}
			} else {
				user, body = "tinh.appraiser", map[string]any{"action": "accept"}
			}
		case review.StatusAccepted:
			return nil
		default:
			return fmt.Errorf("report %s in status %q: the cluster driver does not know the next step", unit, status)
		}
		// Spread the steps over the dossiers' run, and so over the faults.
		for c.progress() < int64(step*dossiers/8) && ctx.Err() == nil {
			time.Sleep(100 * time.Millisecond)
			stuckSince = time.Now()
		}
		body["version"] = version
		action := body["action"].(string)
		// One key per attempt: a retry after a fault keeps it, a new try after a
		// refusal (the read model was behind) takes another, or it would replay the
		// refusal.
		code, out, err := c.d.send(ctx, user, "POST", "/api/v1/reviews/"+c.id+"/reports/"+unit+"/actions", body,
			fmt.Sprintf("cluster-report-%s-%s-%d-%d", c.id, unit, version, refused))
		if err != nil {
			return err
		}
		switch {
		case code == http.StatusOK:
			c.count(unit, action)
			step++
			switch action {
			case "save":
				saves++
			case "return":
				returned = true
			}
		case code == http.StatusConflict:
			refused++
			lastRefusal = out
			time.Sleep(250 * time.Millisecond) // the read model is behind: read again
		default:
			return fmt.Errorf("%s as %s at %s v%d: %d %v", action, user, status, version, code, out)
		}
	}
}

// check compares the campaign's reports and events with what the driver did: every
// report accepted, the root completed, and each action answered 200 in
// review_events exactly once. It returns the figures for the run's summary.
func (c *campaign) check(ctx context.Context) (accepted, events, lost, duplicated int, rootStatus string, err error) {
	if err = c.d.pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE status = 'accepted') FROM review_reports WHERE campaign_id = $1 AND depth > 0`, c.id).
		Scan(&accepted); err != nil {
		return
	}
	if err = c.d.pool.QueryRow(ctx, `SELECT status FROM review_reports WHERE campaign_id = $1 AND depth = 0`, c.id).Scan(&rootStatus); err != nil {
		return
	}
	rows, err := c.d.pool.Query(ctx, `SELECT r.unit_id, e.action, count(*) FROM review_events e JOIN review_reports r ON r.id = e.report_id
		WHERE r.campaign_id = $1 AND r.depth > 0 AND e.action IN ('save', 'submit', 'return', 'accept') GROUP BY 1, 2`, c.id)
	if err != nil {
		return
	}
	got := map[string]map[string]int{}
	for rows.Next() {
		var unit, action string
		var n int
		if err = rows.Scan(&unit, &action, &n); err != nil {
			rows.Close()
			return
		}
		if got[unit] == nil {
			got[unit] = map[string]int{}
		}
		got[unit][action] = n
		events += n
	}
	rows.Close()
	if err = rows.Err(); err != nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for unit := range campaignUnits {
		for _, action := range []string{"save", "submit", "return", "accept"} {
			want, have := c.done[unit][action], got[unit][action]
			lost += max(0, want-have)
			duplicated += max(0, have-want)
		}
	}
	// Sequences: seq runs 1..n (or 0..n-1) without a hole in every report.
	var holes int
	if err = c.d.pool.QueryRow(ctx, `SELECT count(*) FROM (SELECT e.report_id FROM review_events e JOIN review_reports r ON r.id = e.report_id
		WHERE r.campaign_id = $1 GROUP BY e.report_id HAVING max(e.seq) - min(e.seq) + 1 <> count(*)) h`, c.id).Scan(&holes); err != nil {
		return
	}
	lost += holes
	return
}
