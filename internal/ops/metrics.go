package ops

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics is one process's Prometheus registry: the Go runtime and process
// collectors, HTTP requests (when Middleware is installed), and what Register*
// adds.
type Metrics struct {
	Registry *prometheus.Registry

	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

// NewMetrics creates the registry with the runtime, process and HTTP series.
// process names the command ("serve", "worker") in tdkt_build_info.
func NewMetrics(process string) *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		Registry: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tdkt_http_requests_total",
			Help: "HTTP requests answered, by route template, method and status code."}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "tdkt_http_request_duration_seconds",
			Help:    "HTTP request latency, by route template and method.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}}, []string{"route", "method"}),
	}
	info := prometheus.NewGauge(prometheus.GaugeOpts{Name: "tdkt_process_info", Help: "Always 1; the process role.",
		ConstLabels: prometheus.Labels{"process": process}})
	info.Set(1)
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.requests, m.latency, info)
	return m
}

// Middleware counts and times every request under its route template
// (c.FullPath(), e.g. /api/v1/nominations/:id), so that IDs never become label
// values; requests that match no route are counted as route "unmatched".
func (m *Metrics) Middleware(c *gin.Context) {
	start := time.Now()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	method := c.Request.Method
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions:
	default:
		method = "other"
	}
	m.requests.WithLabelValues(route, method, strconv.Itoa(c.Writer.Status())).Inc()
	m.latency.WithLabelValues(route, method).Observe(time.Since(start).Seconds())
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}

// RegisterPool adds the statistics of tdkt's PostgreSQL pool.
func (m *Metrics) RegisterPool(pool *pgxpool.Pool) { m.Registry.MustRegister(poolCollector{pool}) }

// Mount registers /livez, /readyz and /metrics on r; h may be nil (no /readyz).
func (m *Metrics) Mount(h *Health) func(r *gin.Engine) {
	return func(r *gin.Engine) {
		r.GET("/livez", Live)
		if h != nil {
			r.GET("/readyz", h.ReadyHandler)
		}
		r.GET("/metrics", gin.WrapH(m.Handler()))
	}
}

// poolCollector reads pgxpool.Stat on every scrape.
type poolCollector struct{ pool *pgxpool.Pool }

var (
	poolGauges = []struct {
		desc *prometheus.Desc
		val  func(*pgxpool.Stat) float64
	}{
		{prometheus.NewDesc("tdkt_db_pool_acquired_conns", "Connections in use.", nil, nil), func(s *pgxpool.Stat) float64 { return float64(s.AcquiredConns()) }},
		{prometheus.NewDesc("tdkt_db_pool_idle_conns", "Idle connections.", nil, nil), func(s *pgxpool.Stat) float64 { return float64(s.IdleConns()) }},
		{prometheus.NewDesc("tdkt_db_pool_total_conns", "Open connections (acquired, idle and being built).", nil, nil), func(s *pgxpool.Stat) float64 { return float64(s.TotalConns()) }},
		{prometheus.NewDesc("tdkt_db_pool_max_conns", "The pool's maximum size.", nil, nil), func(s *pgxpool.Stat) float64 { return float64(s.MaxConns()) }},
	}
	poolCounters = []struct {
		desc *prometheus.Desc
		val  func(*pgxpool.Stat) float64
	}{
		{prometheus.NewDesc("tdkt_db_pool_acquires_total", "Successful acquires.", nil, nil), func(s *pgxpool.Stat) float64 { return float64(s.AcquireCount()) }},
		{prometheus.NewDesc("tdkt_db_pool_acquire_wait_seconds_total", "Time spent waiting for a connection.", nil, nil), func(s *pgxpool.Stat) float64 { return s.AcquireDuration().Seconds() }},
		{prometheus.NewDesc("tdkt_db_pool_empty_acquires_total", "Acquires that had to wait for a connection.", nil, nil), func(s *pgxpool.Stat) float64 { return float64(s.EmptyAcquireCount()) }},
		{prometheus.NewDesc("tdkt_db_pool_canceled_acquires_total", "Acquires canceled by their context.", nil, nil), func(s *pgxpool.Stat) float64 { return float64(s.CanceledAcquireCount()) }},
		{prometheus.NewDesc("tdkt_db_pool_new_conns_total", "Connections opened.", nil, nil), func(s *pgxpool.Stat) float64 { return float64(s.NewConnsCount()) }},
	}
)

func (p poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, g := range poolGauges {
		ch <- g.desc
	}
	for _, c := range poolCounters {
		ch <- c.desc
	}
}

func (p poolCollector) Collect(ch chan<- prometheus.Metric) {
	s := p.pool.Stat()
	for _, g := range poolGauges {
		ch <- prometheus.MustNewConstMetric(g.desc, prometheus.GaugeValue, g.val(s))
	}
	for _, c := range poolCounters {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.CounterValue, c.val(s))
	}
}
