package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// clockTick is the unit of /proc/PID/stat's utime and stime (USER_HZ, 100 on Linux).
const clockTick = 10 * time.Millisecond

// procCPU is the CPU time (user + system) a process has used; false when it is gone.
func procCPU(pid int) (time.Duration, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false
	}
	// The command name (field 2) is in parentheses and may hold spaces: count the
	// fields after its closing one. utime and stime are fields 14 and 15.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 13 {
		return 0, false
	}
	u, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return time.Duration(u+st) * clockTick, true
}

// cpuUse is the CPU time used over a stretch of the run by the bench process (the
// embedded Temporal server and tdkt's API side), the worker process and the
// PostgreSQL backends connected to the bench's database: what one submission costs
// in CPU, whatever else the machine is doing at the time, which the rate alone does
// not say.
type cpuUse struct {
	Bench, Serve, Worker, Postgres time.Duration
}

// Total is the CPU time of every process measured.
func (u cpuUse) Total() time.Duration { return u.Bench + u.Serve + u.Worker + u.Postgres }

// cpuMeter takes the CPU times at the start of the stretch.
type cpuMeter struct {
	pool                 *pgxpool.Pool
	workerPID, servePID  int
	bench, worker, serve time.Duration
	backends             map[int]time.Duration
}

// startCPUMeter measures this process, the worker and, when servePID is not 0, an API
// process; with a nil pool, no PostgreSQL backend.
func startCPUMeter(ctx context.Context, pool *pgxpool.Pool, workerPID, servePID int) (*cpuMeter, error) {
	m := &cpuMeter{pool: pool, workerPID: workerPID, servePID: servePID}
	m.bench, _ = procCPU(os.Getpid())
	m.worker, _ = procCPU(workerPID)
	if servePID != 0 {
		m.serve, _ = procCPU(servePID)
	}
	var err error
	m.backends, err = m.backendCPU(ctx)
	return m, err
}

// backendCPU is the CPU time of each PostgreSQL backend of the bench's database
// (the server must run on this machine, as the bench's does).
func (m *cpuMeter) backendCPU(ctx context.Context) (map[int]time.Duration, error) {
	if m.pool == nil {
		return nil, nil
	}
	rows, err := m.pool.Query(ctx, `SELECT pid FROM pg_stat_activity WHERE datname = current_database()`)
	if err != nil {
		return nil, err
	}
	pids, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil {
		return nil, err
	}
	out := make(map[int]time.Duration, len(pids))
	for _, p := range pids {
		if d, ok := procCPU(int(p)); ok {
			out[int(p)] = d
		}
	}
	return out, nil
}

// stop returns the CPU time used since the start. A backend that started during
// the stretch counts whole; one that ended during it is not counted (the pools keep
// their connections, so there are none in practice).
func (m *cpuMeter) stop(ctx context.Context) (cpuUse, error) {
	var u cpuUse
	if d, ok := procCPU(os.Getpid()); ok {
		u.Bench = d - m.bench
	}
	if d, ok := procCPU(m.workerPID); ok {
		u.Worker = d - m.worker
	}
	if d, ok := procCPU(m.servePID); ok && m.servePID != 0 {
		u.Serve = d - m.serve
	}
	end, err := m.backendCPU(ctx)
	if err != nil {
		return u, err
	}
	for pid, d := range end {
		u.Postgres += d - m.backends[pid]
	}
	return u, nil
}
