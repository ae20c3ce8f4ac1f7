package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/temporalproto"
	"go.temporal.io/sdk/client"

	"github.com/tdkt/tdkt/internal/app"
	"github.com/tdkt/tdkt/internal/authz/national"
	"github.com/tdkt/tdkt/internal/campaigns"
	"github.com/tdkt/tdkt/internal/review"
)

// The review scenario's campaign: fan-out, commune submissions, roll-up.

// result is what the campaign measured.
type result struct {
	fanout, submit, rollup     time.Duration
	aggregateLag               time.Duration      // last commune submission → ministry's aggregate complete
	cpu                        cpuUse             // over the submissions
	latency                    national.Latencies // of one commune submission, as its client waited
	loadSubmitStart            string             // /proc/loadavg as the submissions began
	loadSubmitEnd              string             // and as they ended
	rootEvents, provinceEvents int
	households, poor           int64
	rate                       string
}

// communeFigures are what a commune reports in the benchmark.
func communeFigures(i int) map[string]int64 {
	households := int64(900 + (i*37)%600)
	return map[string]int64{"so_ho": households, "so_ho_ngheo": households * int64(5+i%20) / 100,
		"so_ho_can_ngheo": households * int64(3+i%9) / 100, "quy_vi_nguoi_ngheo": int64(1_000_000 + i*1_234)}
}

func campaign(ctx context.Context, cfg config, svc *app.Service, pool *pgxpool.Pool, tc client.Client, users benchUsers, wk *workerProcess) (result, error) {
	var res result
	tw := users["TW"][1]
	m, err := svc.LaunchMovement(ctx, tw, campaigns.LaunchMovementInput{UnitID: "TW", Name: "Cả nước chung tay vì người nghèo",
		PeriodStart: "2026-01-01", PeriodEnd: "2030-12-31", TemplateCode: review.Template1258})
	if err != nil {
		return res, err
	}
	start := time.Now()
	c, err := svc.LaunchCampaign(ctx, tw, campaigns.LaunchCampaignInput{MovementID: m.ID, Kind: "annual",
		FinalDeadline: time.Now().AddDate(0, 0, 60).Format(time.DateOnly)})
	if err != nil {
		return res, err
	}
	var communes []string
	rows, err := pool.Query(ctx, `SELECT unit_id FROM review_reports WHERE campaign_id = $1 AND depth = 2 ORDER BY unit_id`, c.ID)
	if err != nil {
		return res, err
	}
	if communes, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		return res, err
	}
	// Fan-out: wait until every commune's workflow runs. Four clients poll, each
	// waiting on one commune at a time, 200 ms apart: 16 clients polling every 50 ms kept
	// the server answering up to 320 describes a second, a share of the 2 cores the
	// fan-out itself needs.
	if err := forEach(4, communes, func(u string) error {
		for {
			// Started is not enough: a workflow whose first task still waits in the
			// task queue's backlog cannot take a submission, which would wait for
			// the rest of the fan-out behind it. Ready is: its first task has run.
			d, err := tc.DescribeWorkflowExecution(ctx, review.UnitWorkflowID(c.ID, u), "")
			if err == nil && d.GetWorkflowExecutionInfo().GetHistoryLength() >= 4 && d.GetPendingWorkflowTask() == nil {
				return nil
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(200 * time.Millisecond):
			}
		}
	}); err != nil {
		return res, err
	}
	res.fanout = time.Since(start)
	fmt.Printf("fan-out done in %.1f s; submitting %d commune reports with %d clients…\n", res.fanout.Seconds(), len(communes), cfg.clients)

	// Provinces submit as soon as their draft is pre-filled.
	var provinceErr atomic.Value
	provincesDone := make(chan struct{})
	go func() {
		defer close(provincesDone)
		submitted := map[string]bool{}
		for len(submitted) < cfg.provinces && ctx.Err() == nil {
			rows, err := pool.Query(ctx, `SELECT unit_id FROM review_reports WHERE campaign_id = $1 AND depth = 1
				AND prefilled_at IS NOT NULL AND status = 'draft'`, c.ID)
			if err == nil {
				var ready []string
				ready, err = pgx.CollectRows(rows, pgx.RowTo[string])
				for _, p := range ready {
					if submitted[p] || err != nil {
						continue
					}
					_, err = svc.ActOnReport(ctx, users[p][0], c.ID, p, campaigns.ReportActInput{Action: "submit"})
					submitted[p] = true
				}
			}
			if err != nil {
				provinceErr.Store(err)
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	}()
	stopProfiles := func() {}
	if cfg.profile != "" {
		if stopProfiles, err = startReviewProfiles(cfg.profile, wk); err != nil {
			return res, err
		}
	}
	res.loadSubmitStart = loadavg()
	meter, err := startCPUMeter(ctx, pool, wk.cmd.Process.Pid, 0)
	if err != nil {
		return res, err
	}
	first := time.Now()
	index := make(map[string]int, len(communes))
	for i, u := range communes {
		index[u] = i
	}
	var lastMu sync.Mutex
	var last time.Time // when the last commune submission was answered
	took := make([]time.Duration, 0, len(communes))
	var slowest string // the commune whose submission waited longest
	var slowestTook time.Duration
	if err := forEach(cfg.clients, communes, func(u string) error {
		t0 := time.Now()
		_, err := svc.ActOnReport(ctx, users[u][0], c.ID, u, campaigns.ReportActInput{Action: "submit", Numbers: communeFigures(index[u])})
		lastMu.Lock()
		last = time.Now()
		took = append(took, last.Sub(t0))
		if d := last.Sub(t0); d > slowestTook {
			slowest, slowestTook = u, d
		}
		lastMu.Unlock()
		return err
	}); err != nil {
		return res, err
	}
	stopProfiles()
	if res.cpu, err = meter.stop(ctx); err != nil {
		return res, err
	}
	res.submit = last.Sub(first)
	res.latency = national.Summarise(took, res.submit)
	res.loadSubmitEnd = loadavg()
	fmt.Printf("communes submitted in %.1f s; rolling up…\n", res.submit.Seconds())
	for {
		var reported int
		if err := pool.QueryRow(ctx, `SELECT children_reported FROM review_reports WHERE campaign_id = $1 AND depth = 0`, c.ID).Scan(&reported); err != nil {
			return res, err
		}
		if reported == cfg.provinces {
			break
		}
		if e, ok := provinceErr.Load().(error); ok {
			return res, fmt.Errorf("province submission: %w", e)
		}
		time.Sleep(20 * time.Millisecond)
	}
	res.rollup = time.Since(first)
	res.aggregateLag = time.Since(last)
	<-provincesDone
	root, err := svc.Reviews.Store.Report(ctx, c.ID, "TW")
	if err != nil {
		return res, err
	}
	var households, poor int64
	for i := range communes {
		f := communeFigures(i)
		households += f["so_ho"]
		poor += f["so_ho_ngheo"]
	}
	if root.Aggregate.Numbers["so_ho"] != households || root.Aggregate.Numbers["so_ho_ngheo"] != poor {
		return res, fmt.Errorf("ministry's aggregate %v differs from the communes' sum (%d households, %d poor)",
			root.Aggregate.Numbers, households, poor)
	}
	res.households, res.poor = households, poor
	for _, r := range review.Compute(c.Template, root.Aggregate, nil) {
		if r.Code == "ty_le_ho_ngheo" {
			res.rate = r.Display
		}
	}
	res.rootEvents = historyLength(ctx, tc, c.WorkflowID)
	var biggest string
	if err := pool.QueryRow(ctx, `SELECT unit_id FROM review_reports WHERE campaign_id = $1 AND depth = 1
		ORDER BY children_total DESC, unit_id LIMIT 1`, c.ID).Scan(&biggest); err != nil {
		return res, err
	}
	res.provinceEvents = historyLength(ctx, tc, review.UnitWorkflowID(c.ID, biggest))
	if cfg.histories != "" {
		for name, id := range map[string]string{"review-ministry": c.WorkflowID, "review-province": review.UnitWorkflowID(c.ID, biggest),
			"review-commune": review.UnitWorkflowID(c.ID, communes[0]), "review-slowest-commune": review.UnitWorkflowID(c.ID, slowest)} {
			if err := saveHistory(ctx, tc, id, filepath.Join(cfg.histories, name+".json")); err != nil {
				return res, err
			}
		}
	}
	_ = tc.TerminateWorkflow(ctx, c.WorkflowID, "", "benchmark done")
	_ = tc.TerminateWorkflow(ctx, m.WorkflowID, "", "benchmark done")
	return res, nil
}

// startReviewProfiles starts a CPU profile of this process and signals the worker to
// start its own; the returned function stops both.
func startReviewProfiles(dir string, wk *workerProcess) (func(), error) {
	stopOwn, err := startOwnProfile(dir, "bench.pprof")
	if err != nil {
		return nil, err
	}
	_ = wk.cmd.Process.Signal(syscall.SIGUSR1)
	return func() {
		_ = stopOwn()
		_ = wk.cmd.Process.Signal(syscall.SIGUSR2)
	}, nil
}

// saveHistory writes a workflow's history as JSON, as the replayer reads it.
func saveHistory(ctx context.Context, tc client.Client, workflowID, file string) error {
	var events []*historypb.HistoryEvent
	it := tc.GetWorkflowHistory(ctx, workflowID, "", false, 0)
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			return err
		}
		events = append(events, ev)
	}
	js, err := temporalproto.CustomJSONMarshalOptions{Indent: " "}.Marshal(&historypb.History{Events: events})
	if err != nil {
		return err
	}
	return os.WriteFile(file, append(js, '\n'), 0o644)
}

// historyLength counts the events in a workflow's history.
func historyLength(ctx context.Context, tc client.Client, workflowID string) int {
	it := tc.GetWorkflowHistory(ctx, workflowID, "", false, 0)
	n := 0
	for it.HasNext() {
		if _, err := it.Next(); err != nil {
			return n
		}
		n++
	}
	return n
}
