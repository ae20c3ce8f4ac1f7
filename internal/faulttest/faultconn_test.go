package faulttest

import (
	"bytes"
	"context"
	"errors"
	"net"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// errInjected is the error a faulty connection returns.
var errInjected = errors.New("faulttest: connection lost (injected)")

// faultMode is what a faulty connection does when its fault fires.
type faultMode int

const (
	// loseCommitAnswer: the transaction that wrote the armed statement commits on
	// the server, then its connection dies before the answer reaches the client.
	loseCommitAnswer faultMode = iota
	// hangCommitAnswer: as loseCommitAnswer, but the connection first hangs until
	// released — the process is frozen after the commit (then killed).
	hangCommitAnswer
	// dropStatement: the connection dies as it sends the armed statement, which the
	// server never sees.
	dropStatement
)

// faults injects database faults through the pool's dial function. A statement
// whose text contains arm (lower case) arms the connection; the fault fires on
// that transaction's COMMIT (or, with dropStatement, on the statement itself), at
// most `remaining` times. The pool runs every statement with its text (describe-
// exec mode), so the text is seen on every execution.
type faults struct {
	mode faultMode
	arm  []byte

	mu        sync.Mutex
	remaining int
	injected  int
	hung      chan struct{} // closed when a hangCommitAnswer fault starts hanging
	release   chan struct{} // closed by the test to end the hang
}

func newFaults(mode faultMode, arm string) *faults {
	return &faults{mode: mode, arm: []byte(arm), hung: make(chan struct{}), release: make(chan struct{})}
}

// fireOnce arms the fault for its next occurrence.
func (f *faults) fireOnce() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.remaining = 1
}

// count returns how many faults fired.
func (f *faults) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.injected
}

func (f *faults) take() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.remaining == 0 {
		return false
	}
	f.remaining--
	f.injected++
	return true
}

// pool opens a pool on the same database as base whose connections carry f.
func (f *faults) pool(t *testing.T, base *pgxpool.Pool) *pgxpool.Pool {
	t.Helper()
	cfg := base.Config().Copy()
	cfg.ConnConfig.DefaultQueryExecMode = pgx.QueryExecModeDescribeExec
	cfg.ConnConfig.DialFunc = func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return &faultConn{Conn: c, f: f}, nil
	}
	p, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

type faultConn struct {
	net.Conn
	f          *faults
	armed      bool
	commitSent bool
}

func (c *faultConn) Write(b []byte) (int, error) {
	lower := bytes.ToLower(b)
	if bytes.Contains(lower, c.f.arm) {
		if c.f.mode == dropStatement && c.f.take() {
			c.Conn.Close()
			return 0, errInjected
		}
		c.armed = true
	}
	if c.armed && (bytes.Contains(lower, []byte("commit\x00")) || bytes.Contains(lower, []byte("rollback\x00"))) {
		if bytes.Contains(lower, []byte("commit\x00")) && c.f.mode != dropStatement && c.f.take() {
			c.commitSent = true
		}
		c.armed = false
	}
	return c.Conn.Write(b)
}

func (c *faultConn) Read(b []byte) (int, error) {
	if !c.commitSent {
		return c.Conn.Read(b)
	}
	// The server answers COMMIT only once the transaction is durable: read the
	// answer, then lose it with the connection.
	if _, err := c.Conn.Read(b); err != nil {
		return 0, err
	}
	c.commitSent = false
	if c.f.mode == hangCommitAnswer {
		close(c.f.hung)
		<-c.f.release
	}
	c.Conn.Close()
	return 0, errInjected
}
