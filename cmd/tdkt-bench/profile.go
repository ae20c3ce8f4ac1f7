package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sync"
	"time"
)

// startActionsProfiles profiles the CPU of the bench process itself (which holds the
// embedded Temporal server when the bench started it) and of each named tdkt
// process (its TDKT_PPROF_ADDR, empty: skipped) until the returned stop is
// called, writing dir/<name>.cpu.pprof (the bench process's as dir/<self>.cpu.pprof). The tdkt processes are profiled in
// consecutive 5-second windows (the profiler's HTTP endpoint needs a length up
// front); read them together with `go tool pprof -top bin/tdkt dir/serve.cpu.*.pprof`.
func startActionsProfiles(ctx context.Context, dir, self string, procs map[string]string) (func() error, error) {
	stopOwn, err := startOwnProfile(dir, self+".cpu.pprof")
	if err != nil {
		return nil, err
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []error
	for name, addr := range procs {
		if addr == "" {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-done:
					return
				default:
				}
				if err := fetchProfile(ctx, addr, filepath.Join(dir, fmt.Sprintf("%s.cpu.%03d.pprof", name, i))); err != nil {
					mu.Lock()
					errs = append(errs, fmt.Errorf("%s: %w", name, err))
					mu.Unlock()
					return
				}
			}
		}()
	}
	return func() error {
		ownErr := stopOwn()
		close(done)
		wg.Wait()
		return errors.Join(append(errs, ownErr)...)
	}, nil
}

// startOwnProfile writes a CPU profile of this process to dir/file, creating dir,
// until the returned function is called; that function returns the file's close error.
func startOwnProfile(dir, file string) (func() error, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	f, err := os.Create(filepath.Join(dir, file))
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() error {
		pprof.StopCPUProfile()
		return f.Close()
	}, nil
}

// fetchProfile writes a 5-second CPU profile of the process serving pprof at addr.
func fetchProfile(ctx context.Context, addr, path string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/debug/pprof/profile?seconds=5", nil)
	if err != nil {
		return err
	}
	resp, err := (&http.Client{Timeout: time.Minute}).Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("profile: %s", resp.Status)
	}
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, resp.Body); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
