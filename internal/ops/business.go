package ops

import (
	"context"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Business exposes the gauges an operator alerts on, read from PostgreSQL on
// scrape and cached for TTL so that several scrapers (or a fast scrape interval)
// cost one query set per TTL. Labels are codes from closed sets: levels, steps,
// actions and statuses.
type Business struct {
	Store *Store
	// TTL is how long a reading is reused (default 15 s).
	TTL time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time

	mu     sync.Mutex
	at     time.Time
	cached OpsGauges
	err    error
}

var (
	descOpenTasks   = prometheus.NewDesc("tdkt_tasks_open", "Open tasks by the level of the unit holding them and step.", []string{"level", "step"}, nil)
	descAtRisk      = prometheus.NewDesc("tdkt_tasks_at_risk", "Open tasks past their reminder and not yet due, by level.", []string{"level"}, nil)
	descOverdue     = prometheus.NewDesc("tdkt_tasks_overdue", "Open tasks past their due date, by level.", []string{"level"}, nil)
	descActions     = prometheus.NewDesc("tdkt_dossier_actions", "Dossier audit events recorded, by action.", []string{"action"}, nil)
	descDecisions   = prometheus.NewDesc("tdkt_decisions_issued", "Award decisions issued, by the level of the deciding unit.", []string{"level"}, nil)
	descNominations = prometheus.NewDesc("tdkt_nominations_open", "Dossiers not closed, by status.", []string{"status"}, nil)
	descLate        = prometheus.NewDesc("tdkt_review_reports_late", "Review reports of running campaigns submitted after their deadline.", nil, nil)
	descMissing     = prometheus.NewDesc("tdkt_review_reports_overdue", "Review reports of running campaigns still not submitted past their deadline.", nil, nil)
	descCampaigns   = prometheus.NewDesc("tdkt_review_campaigns_running", "Review campaigns running.", nil, nil)
	descScrapeErr   = prometheus.NewDesc("tdkt_business_metrics_error", "1 when the last reading of the business gauges failed.", nil, nil)
)

// Describe lists the business gauges.
func (b *Business) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descOpenTasks, descAtRisk, descOverdue, descActions, descDecisions, descNominations,
		descLate, descMissing, descCampaigns, descScrapeErr} {
		ch <- d
	}
}

// Collect reads the gauges (or reuses a reading younger than TTL).
func (b *Business) Collect(ch chan<- prometheus.Metric) {
	g, err := b.read()
	failed := 0.0
	if err != nil {
		failed = 1
	}
	ch <- prometheus.MustNewConstMetric(descScrapeErr, prometheus.GaugeValue, failed)
	if err != nil {
		return
	}
	emit := func(d *prometheus.Desc, cs []OpsCount) {
		for _, c := range cs {
			ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, c.N, c.Labels...)
		}
	}
	emit(descOpenTasks, g.OpenTasks)
	emit(descAtRisk, g.AtRiskTasks)
	emit(descOverdue, g.OverdueTasks)
	emit(descActions, g.Actions)
	emit(descDecisions, g.Decisions)
	emit(descNominations, g.OpenNominations)
	ch <- prometheus.MustNewConstMetric(descLate, prometheus.GaugeValue, g.ReportsLate)
	ch <- prometheus.MustNewConstMetric(descMissing, prometheus.GaugeValue, g.ReportsOverdue)
	ch <- prometheus.MustNewConstMetric(descCampaigns, prometheus.GaugeValue, g.RunningCampaigns)
}

func (b *Business) read() (OpsGauges, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := time.Now
	if b.Now != nil {
		now = b.Now
	}
	ttl := b.TTL
	if ttl == 0 {
		ttl = 15 * time.Second
	}
	if !b.at.IsZero() && now().Sub(b.at) < ttl {
		return b.cached, b.err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	b.cached, b.err = b.Store.LoadOpsGauges(ctx, now())
	b.at = now()
	return b.cached, b.err
}
