package inbox

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestSharedStatsComputeOncePerIntervalForConcurrentReaders: readers of one scope
// arriving together while its figures are missing or expired wait for a single
// computation; within the interval they are served the same figures; other scopes
// are computed apart.
func TestSharedStatsComputeOncePerIntervalForConcurrentReaders(t *testing.T) {
	var c sharedStats
	var calls atomic.Int32
	compute := func(_ context.Context, now time.Time) (NominationStats, error) {
		calls.Add(1)
		time.Sleep(50 * time.Millisecond)
		return NominationStats{ByStatus: []StatusCount{{Status: "draft", Count: int(calls.Load())}}}, nil
	}
	ministry := []string{"BNV", "P01", "P02"}
	t0 := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	read := func(units []string, now time.Time, n int) []NominationStats {
		out := make([]NominationStats, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				st, err := c.get(context.Background(), units, now, 30*time.Second, compute)
				if err != nil {
					t.Error(err)
				}
				out[i] = st
			}()
		}
		wg.Wait()
		return out
	}
	for _, st := range read(ministry, t0, 20) {
		if !st.Shared || !st.AsOf.Equal(t0) || st.Every != 30*time.Second || st.ByStatus[0].Count != 1 {
			t.Fatalf("first read: %+v, want the one computation as of %v", st, t0)
		}
	}
	if n := calls.Load(); n != 1 {
		t.Fatalf("20 concurrent readers computed %d times, want 1", n)
	}
	for _, st := range read(ministry, t0.Add(22*time.Second), 5) { // before the refresh ahead (sharedStats.get)
		if !st.AsOf.Equal(t0) {
			t.Fatalf("within the interval: as of %v, want %v", st.AsOf, t0)
		}
	}
	read([]string{"P01"}, t0.Add(22*time.Second), 3)
	if n := calls.Load(); n != 2 {
		t.Fatalf("%d computations after another scope's read, want 2", n)
	}
	for _, st := range read(ministry, t0.Add(30*time.Second), 10) {
		if !st.AsOf.Equal(t0.Add(30 * time.Second)) {
			t.Fatalf("after the interval: as of %v, want a new count", st.AsOf)
		}
	}
	if n := calls.Load(); n != 3 {
		t.Fatalf("%d computations after the interval, want 3", n)
	}
}

// TestSharedStatsAreComputedAheadWhileTheyAreRead: a read in the last quarter of
// the interval gets the current figures at once and starts one computation in the
// background, whose figures the readers after the interval get without waiting.
func TestSharedStatsAreComputedAheadWhileTheyAreRead(t *testing.T) {
	var c sharedStats
	var calls atomic.Int32
	release := make(chan struct{})
	compute := func(_ context.Context, now time.Time) (NominationStats, error) {
		if calls.Add(1) > 1 {
			<-release // the computation ahead is slow
		}
		return NominationStats{}, nil
	}
	ministry := []string{"BNV", "P01", "P02"}
	t0 := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	ttl := 30 * time.Second
	get := func(now time.Time) NominationStats {
		st, err := c.get(context.Background(), ministry, now, ttl, compute)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	get(t0)
	for i := range 5 { // in the last quarter: served at once, one computation ahead
		if st := get(t0.Add(23*time.Second + time.Duration(i)*time.Second)); !st.AsOf.Equal(t0) {
			t.Fatalf("in the last quarter: as of %v, want %v", st.AsOf, t0)
		}
	}
	close(release)
	deadline := time.Now().Add(5 * time.Second)
	for {
		st, ok := c.fresh(scopeKey(ministry), t0.Add(31*time.Second), ttl)
		if ok && st.AsOf.Equal(t0.Add(23*time.Second)) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the figures computed ahead were not kept: %+v, %v", st, ok)
		}
		time.Sleep(time.Millisecond)
	}
	if st := get(t0.Add(31 * time.Second)); !st.AsOf.Equal(t0.Add(23 * time.Second)) {
		t.Fatalf("after the interval: as of %v, want the figures computed ahead", st.AsOf)
	}
	if n := calls.Load(); n != 2 {
		t.Fatalf("%d computations, want 2 (the first and one ahead)", n)
	}
}
