package ops

import (
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/sdk/client"
)

// TemporalMetrics receives the Temporal SDK's metrics (workflow task and activity
// latencies, sticky cache, pollers, requests) through client.MetricsHandler and
// exposes them as Prometheus series: counters get the suffix _total, timers become
// histograms in seconds with the suffix _seconds, gauges keep their name. The
// SDK's tags (namespace, task_queue, workflow_type, activity_type, operation,
// poller_type…) become labels; they name types and queues, never executions.
//
// It is a small adapter over client_golang, written because the SDK's tally
// contrib module is not available here. A metric name seen with different tag sets
// is exposed with the union of their keys, missing values empty, as Prometheus
// requires one label set per family.
type TemporalMetrics struct {
	mu       sync.Mutex
	families map[string]*family
}

type metricKind int

const (
	kindCounter metricKind = iota
	kindGauge
	kindTimer
)

// timerBuckets are the histogram bounds of SDK timers, in seconds.
var timerBuckets = []float64{.001, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60}

type family struct {
	kind   metricKind
	keys   map[string]bool
	series map[string]*series
}

type series struct {
	labels  map[string]string
	value   float64
	count   uint64
	buckets []uint64
}

// NewTemporalMetrics returns an empty adapter; pass Handler() to client.Options
// and register the adapter itself with the process's registry.
func NewTemporalMetrics() *TemporalMetrics {
	return &TemporalMetrics{families: map[string]*family{}}
}

// Handler is the client.MetricsHandler the Temporal client and its workers report to.
func (t *TemporalMetrics) Handler() client.MetricsHandler { return newSDKHandler(t, nil) }

// metricName is the Prometheus name of an SDK metric of a kind.
func metricName(name string, kind metricKind) string {
	switch kind {
	case kindCounter:
		if !strings.HasSuffix(name, "_total") {
			name += "_total"
		}
	case kindTimer:
		name += "_seconds"
	}
	return sanitize(name)
}

// tagSet is a handler's tags as the series are keyed and labelled: computed once
// per WithTags, not at every emission.
type tagSet struct {
	id     string            // the sorted key/value pairs, the series' key in a family
	keys   []string          // the sanitized label names
	labels map[string]string // sanitized label name → value
}

func newTagSet(tags map[string]string) tagSet {
	var id strings.Builder
	ts := tagSet{labels: make(map[string]string, len(tags))}
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		id.WriteString(k + "\x00" + tags[k] + "\x00")
		ts.keys = append(ts.keys, sanitize(k))
		ts.labels[sanitize(k)] = tags[k]
	}
	ts.id = id.String()
	return ts
}

// get returns the series of a metric with a tag set, created on first use; the
// caller holds t.mu.
func (t *TemporalMetrics) get(name string, kind metricKind, tags tagSet) *series {
	f := t.families[name]
	if f == nil {
		f = &family{kind: kind, keys: map[string]bool{}, series: map[string]*series{}}
		t.families[name] = f
	}
	s := f.series[tags.id]
	if s == nil {
		for _, k := range tags.keys {
			f.keys[k] = true
		}
		s = &series{labels: tags.labels}
		if kind == kindTimer {
			s.buckets = make([]uint64, len(timerBuckets))
		}
		f.series[tags.id] = s
	}
	return s
}

// Describe sends nothing: the families appear as the SDK reports them (an
// unchecked collector).
func (t *TemporalMetrics) Describe(chan<- *prometheus.Desc) {}

// Collect exposes every series recorded so far.
func (t *TemporalMetrics) Collect(ch chan<- prometheus.Metric) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for name, f := range t.families {
		keys := slices.Sorted(maps.Keys(f.keys))
		desc := prometheus.NewDesc(name, "Temporal SDK metric "+name+".", keys, nil)
		for _, s := range f.series {
			vals := make([]string, len(keys))
			for i, k := range keys {
				vals[i] = s.labels[k]
			}
			switch f.kind {
			case kindCounter:
				ch <- prometheus.MustNewConstMetric(desc, prometheus.CounterValue, s.value, vals...)
			case kindGauge:
				ch <- prometheus.MustNewConstMetric(desc, prometheus.GaugeValue, s.value, vals...)
			case kindTimer:
				b := make(map[float64]uint64, len(timerBuckets))
				for i, ub := range timerBuckets {
					b[ub] = s.buckets[i]
				}
				ch <- prometheus.MustNewConstHistogram(desc, s.count, s.value, b, vals...)
			}
		}
	}
}

// sanitize keeps a metric or label name within [a-zA-Z0-9_].
func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, s)
}

// sdkHandler is the client.MetricsHandler with a set of tags. A metric's series is
// looked up once per handler and name, then kept: an emission only adds under the
// lock.
type sdkHandler struct {
	t    *TemporalMetrics
	tags map[string]string
	set  tagSet
	mu   sync.Mutex
	seen map[string]*series // metricName → series, for this handler's tags
}

func newSDKHandler(t *TemporalMetrics, tags map[string]string) *sdkHandler {
	return &sdkHandler{t: t, tags: tags, set: newTagSet(tags), seen: map[string]*series{}}
}

func (h *sdkHandler) WithTags(tags map[string]string) client.MetricsHandler {
	merged := maps.Clone(h.tags)
	if merged == nil {
		merged = map[string]string{}
	}
	maps.Copy(merged, tags)
	return newSDKHandler(h.t, merged)
}

// series returns the series of a metric for this handler's tags.
func (h *sdkHandler) series(name string, kind metricKind) *series {
	name = metricName(name, kind)
	h.mu.Lock()
	defer h.mu.Unlock()
	if s := h.seen[name]; s != nil {
		return s
	}
	h.t.mu.Lock()
	s := h.t.get(name, kind, h.set)
	h.t.mu.Unlock()
	h.seen[name] = s
	return s
}

func (h *sdkHandler) Counter(name string) client.MetricsCounter {
	return counterFunc(func(d int64) {
		s := h.series(name, kindCounter)
		h.t.mu.Lock()
		s.value += float64(d)
		h.t.mu.Unlock()
	})
}

func (h *sdkHandler) Gauge(name string) client.MetricsGauge {
	return gaugeFunc(func(v float64) {
		s := h.series(name, kindGauge)
		h.t.mu.Lock()
		s.value = v
		h.t.mu.Unlock()
	})
}

func (h *sdkHandler) Timer(name string) client.MetricsTimer {
	return timerFunc(func(d time.Duration) {
		sec := d.Seconds()
		s := h.series(name, kindTimer)
		h.t.mu.Lock()
		s.count++
		s.value += sec
		for i := sort.SearchFloat64s(timerBuckets, sec); i < len(timerBuckets); i++ {
			s.buckets[i]++
		}
		h.t.mu.Unlock()
	})
}

type (
	counterFunc func(int64)
	gaugeFunc   func(float64)
	timerFunc   func(time.Duration)
)

func (f counterFunc) Inc(d int64)          { f(d) }
func (f gaugeFunc) Update(v float64)       { f(v) }
func (f timerFunc) Record(d time.Duration) { f(d) }
