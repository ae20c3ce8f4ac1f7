package ops_test

import (
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/tdkt/tdkt/internal/ops"
)

// TestTemporalMetricsAdapterKeysSeriesByTagsWhateverTheHandler checks the SDK
// metrics adapter: emissions through different handlers with the same tags (in
// any order of WithTags) add to one series, other tag sets make other series of
// the same family labelled with the union of the keys, timers fill their buckets,
// and names are suffixed and sanitized.
func TestTemporalMetricsAdapterKeysSeriesByTagsWhateverTheHandler(t *testing.T) {
	tm := ops.NewTemporalMetrics()
	root := tm.Handler()
	a := root.WithTags(map[string]string{"namespace": "default"}).WithTags(map[string]string{"task_queue": "tdkt"})
	b := root.WithTags(map[string]string{"task_queue": "tdkt", "namespace": "default"})
	c := root.WithTags(map[string]string{"namespace": "default", "operation": "Poll"})
	for range 3 {
		a.Counter("temporal_request").Inc(1)
	}
	b.Counter("temporal_request").Inc(2)
	c.Counter("temporal_request").Inc(10)
	a.Gauge("temporal.sticky-cache size").Update(7)
	a.Gauge("temporal.sticky-cache size").Update(5)
	a.Timer("temporal_latency").Record(3 * time.Millisecond)
	b.Timer("temporal_latency").Record(2 * time.Second)

	reg := prometheus.NewRegistry()
	reg.MustRegister(tm)
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*dto.MetricFamily{}
	for _, f := range fams {
		byName[f.GetName()] = f
	}
	labels := func(m *dto.Metric) map[string]string {
		out := map[string]string{}
		for _, l := range m.GetLabel() {
			out[l.GetName()] = l.GetValue()
		}
		return out
	}

	req := byName["temporal_request_total"]
	if req == nil || len(req.GetMetric()) != 2 {
		t.Fatalf("temporal_request_total: %v", req)
	}
	for _, m := range req.GetMetric() {
		l := labels(m)
		if len(l) != 3 {
			t.Errorf("labels %v: want the union namespace, operation, task_queue", l)
		}
		switch {
		case l["task_queue"] == "tdkt" && l["operation"] == "":
			if m.GetCounter().GetValue() != 5 {
				t.Errorf("same tags through two handlers: %v, want 5", m.GetCounter().GetValue())
			}
		case l["operation"] == "Poll" && l["task_queue"] == "":
			if m.GetCounter().GetValue() != 10 {
				t.Errorf("other tags: %v, want 10", m.GetCounter().GetValue())
			}
		default:
			t.Errorf("unexpected series %v", l)
		}
	}
	g := byName["temporal_sticky_cache_size"]
	if g == nil || len(g.GetMetric()) != 1 || g.GetMetric()[0].GetGauge().GetValue() != 5 {
		t.Fatalf("gauge: %v, want one series at the last value 5", g)
	}
	h := byName["temporal_latency_seconds"]
	if h == nil || len(h.GetMetric()) != 1 {
		t.Fatalf("timer: %v", h)
	}
	hist := h.GetMetric()[0].GetHistogram()
	if hist.GetSampleCount() != 2 || hist.GetSampleSum() < 2.003 || hist.GetSampleSum() > 2.0031 {
		t.Errorf("timer: count %d sum %v, want 2 and 2.003", hist.GetSampleCount(), hist.GetSampleSum())
	}
	for _, bk := range hist.GetBucket() {
		want := uint64(0)
		switch {
		case bk.GetUpperBound() >= 2.5:
			want = 2
		case bk.GetUpperBound() >= 0.005:
			want = 1
		}
		if bk.GetCumulativeCount() != want {
			t.Errorf("bucket le=%v: %d, want %d", bk.GetUpperBound(), bk.GetCumulativeCount(), want)
		}
	}
}
