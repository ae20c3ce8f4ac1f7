// Package devenv runs the local infrastructure that `tdkt dev` and the tests need when no
// real servers are configured: a throwaway PostgreSQL cluster built from the machine's own
// PostgreSQL binaries. The embedded Temporal server lives in the sibling package
// devtemporal, so that importing devenv (as the test helpers do) does not pull in the
// Temporal server.
package devenv

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// ErrNoPostgres is returned by StartPostgres when no PostgreSQL server binaries can be
// found (and installing them was not allowed or not possible). Its message tells the
// user what to do.
var ErrNoPostgres = errors.New("PostgreSQL binaries not found: install Debian's postgresql package (apt-get install postgresql) or set DATABASE_URL")

const (
	defaultDatabase = "tdkt"
	// superuser is the role initdb creates; with trust authentication it needs no password.
	superuser = "postgres"
	// osUser is the unprivileged account the server runs as when we are root, because
	// PostgreSQL refuses to run as root.
	osUser       = "postgres"
	logFileName  = "postgres.log"
	readyTimeout = 30 * time.Second
	// maxSocketPath is the usable length of sun_path on Linux (108 bytes with the NUL).
	maxSocketPath = 107
	// startAttempts bounds the retries with a fresh port when a free port was taken
	// between choosing it and the server binding it.
	startAttempts = 3
)

// PostgresOptions configures StartPostgres.
type PostgresOptions struct {
	// DataDir holds the cluster. It is created if missing; an existing cluster in it is reused.
	DataDir string
	// Port is the TCP port on 127.0.0.1 to listen on; 0 picks a free one.
	Port int
	// Database is created if missing and is the database of the returned URL ("tdkt" if empty).
	Database string
	// Logger receives progress messages; nil discards them.
	Logger *slog.Logger
	// AllowInstall lets StartPostgres run `apt-get install postgresql` when it is root and
	// finds no binaries.
	AllowInstall bool
}

// Postgres is a running throwaway PostgreSQL cluster started by StartPostgres.
type Postgres struct {
	// URL connects to the requested database as the superuser, over TCP without TLS.
	URL string
	// DataDir is the absolute path of the cluster's data directory.
	DataDir string
	// Port is the TCP port the server listens on at 127.0.0.1.
	Port int

	pgCtl   string
	runAs   *osAccount
	logger  *slog.Logger
	sockDir string // removed on Stop when tempSock is set
	// tempSock is set when the socket directory is a temporary one we created because
	// the data directory's path is too long for a Unix socket.
	tempSock bool

	mu      sync.Mutex
	stopped bool
}

// osAccount is the account the PostgreSQL programs run as when we are root.
type osAccount struct {
	name   string
	uid    int
	gid    int
	groups map[int]bool
}

// StartPostgres initialises (if DataDir has no cluster yet) and starts a PostgreSQL
// cluster in opts.DataDir listening on 127.0.0.1 (on opts.Port, or a free port if it is
// zero), creates the database opts.Database if missing, and returns its URL
// (postgres://postgres@127.0.0.1:PORT/tdkt?sslmode=disable). A second start on the same
// DataDir reuses the data; a cluster already running on it is reused as it is.
//
// initdb and pg_ctl are looked up on PATH and then under /usr/lib/postgresql/*/bin. If
// none are found it returns ErrNoPostgres, unless opts.AllowInstall is set and the process
// is root, in which case it installs Debian's postgresql package first. When running as
// root the programs run as the `postgres` account (via runuser), which must exist; the data
// directory is chowned to it and the directories above it are made traversable (o+x).
// Errors from initdb and pg_ctl carry their output; a server that does not accept
// connections within 30 s is an error too.
func StartPostgres(ctx context.Context, opts PostgresOptions) (*Postgres, error) {
	if opts.DataDir == "" {
		return nil, errors.New("start postgres: DataDir is required")
	}
	dataDir, err := filepath.Abs(opts.DataDir)
	if err != nil {
		return nil, fmt.Errorf("start postgres: data dir: %w", err)
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	database := opts.Database
	if database == "" {
		database = defaultDatabase
	}

	binDir, err := findPostgresBinaries()
	if errors.Is(err, ErrNoPostgres) && opts.AllowInstall && os.Geteuid() == 0 {
		logger.Info("PostgreSQL binaries not found; installing Debian's postgresql package")
		if ierr := installPostgres(ctx); ierr != nil {
			return nil, fmt.Errorf("start postgres: %w", ierr)
		}
		binDir, err = findPostgresBinaries()
	}
	if err != nil {
		return nil, err
	}

	var runAs *osAccount
	if os.Geteuid() == 0 {
		if runAs, err = lookupAccount(osUser); err != nil {
			return nil, fmt.Errorf("start postgres: PostgreSQL cannot run as root and %w", err)
		}
	}

	p := &Postgres{DataDir: dataDir, pgCtl: filepath.Join(binDir, "pg_ctl"), runAs: runAs, logger: logger}
	if err := p.prepareDataDir(); err != nil {
		return nil, fmt.Errorf("start postgres: %w", err)
	}
	if _, err := os.Stat(filepath.Join(dataDir, "PG_VERSION")); errors.Is(err, os.ErrNotExist) {
		if err := p.initdb(ctx, filepath.Join(binDir, "initdb")); err != nil {
			return nil, fmt.Errorf("start postgres: %w", err)
		}
	} else if err != nil {
		return nil, fmt.Errorf("start postgres: %w", err)
	}

	running, err := p.running(ctx)
	if err != nil {
		return nil, fmt.Errorf("start postgres: %w", err)
	}
	if running && !p.killedServerLingers() {
		// A server killed a moment ago can still be exiting (no longer accepting, not yet a
		// zombie): give it a few seconds to be gone before taking it for a live one.
		for range 50 {
			if p.accepts(ctx) || p.killedServerLingers() || !p.postmasterExists() {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		if !p.postmasterExists() {
			logger.Info("removing the lock file of a PostgreSQL server that has exited", "data_dir", dataDir)
			if err := os.Remove(filepath.Join(dataDir, "postmaster.pid")); err != nil && !os.IsNotExist(err) {
				return nil, fmt.Errorf("start postgres: remove stale postmaster.pid: %w", err)
			}
			running = false
		}
	}
	if running && p.killedServerLingers() {
		// A killed server whose process nobody has reaped yet still looks alive to pg_ctl
		// and to postgres's own lock-file check; its lock file is stale.
		logger.Info("removing the lock file of a killed PostgreSQL server", "data_dir", dataDir)
		if err := os.Remove(filepath.Join(dataDir, "postmaster.pid")); err != nil {
			return nil, fmt.Errorf("start postgres: remove stale postmaster.pid: %w", err)
		}
		running = false
	}
	if running {
		port, err := runningPort(dataDir)
		if err != nil {
			return nil, fmt.Errorf("start postgres: cluster already running in %s: %w", dataDir, err)
		}
		p.Port = port
		logger.Info("reusing running PostgreSQL cluster", "data_dir", dataDir, "port", port)
	} else if err := p.start(ctx, opts.Port); err != nil {
		p.removeTempSock()
		return nil, fmt.Errorf("start postgres: %w", err)
	}

	if err := p.waitReady(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("start postgres: %w", err), p.Stop())
	}
	if err := p.ensureDatabase(ctx, database); err != nil {
		return nil, errors.Join(fmt.Errorf("start postgres: %w", err), p.Stop())
	}
	p.URL = p.urlFor(database)
	return p, nil
}

// Stop shuts the cluster down with `pg_ctl stop -m fast` (also when StartPostgres found it
// already running, since the data directory is ours). Calling it again after a successful
// stop does nothing. It returns pg_ctl's error, with its output, if the stop fails.
func (p *Postgres) Stop() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped {
		return nil
	}
	// A cancelled caller context must not leave the server half-stopped, so no context here.
	if _, err := p.run(context.Background(), p.pgCtl, "stop", "-D", p.DataDir, "-m", "fast", "-w", "-t", "60"); err != nil {
		return fmt.Errorf("stop postgres in %s: %w", p.DataDir, err)
	}
	p.stopped = true
	p.removeTempSock()
	return nil
}

// FreePort returns a TCP port on 127.0.0.1 that nothing listens on right now. Another
// process may still take it before the caller binds it; callers that can retry should.
// The port is left in TIME_WAIT by a connection the listener closes first, which keeps
// Linux from handing it out again to other bind(0) callers for a while.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("free port: %w", err)
	}
	defer l.Close()
	addr := l.Addr().(*net.TCPAddr)
	c, err := net.DialTCP("tcp", nil, addr)
	if err != nil {
		return 0, fmt.Errorf("free port: %w", err)
	}
	server, err := l.Accept()
	if err != nil {
		c.Close()
		return 0, fmt.Errorf("free port: %w", err)
	}
	server.Close()
	c.Close()
	return addr.Port, nil
}

// findPostgresBinaries returns the directory holding initdb and pg_ctl: the PATH first,
// then the highest version under /usr/lib/postgresql.
func findPostgresBinaries() (string, error) {
	if initdb, err := exec.LookPath("initdb"); err == nil {
		if pgCtl, err := exec.LookPath("pg_ctl"); err == nil {
			// Resolve symlinks (e.g. /usr/local/bin/pg_ctl -> /usr/lib/postgresql/15/bin)
			// so that both programs come from the same installation.
			dir := filepath.Dir(resolve(pgCtl))
			if isExecutable(filepath.Join(dir, "initdb")) {
				return dir, nil
			}
			if filepath.Dir(resolve(initdb)) == dir {
				return dir, nil
			}
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	type candidate struct {
		dir     string
		version float64
	}
	var found []candidate
	for _, dir := range dirs {
		v, err := strconv.ParseFloat(filepath.Base(filepath.Dir(dir)), 64)
		if err != nil {
			continue
		}
		if isExecutable(filepath.Join(dir, "initdb")) && isExecutable(filepath.Join(dir, "pg_ctl")) {
			found = append(found, candidate{dir, v})
		}
	}
	if len(found) == 0 {
		return "", ErrNoPostgres
	}
	sort.Slice(found, func(i, j int) bool { return found[i].version > found[j].version })
	return found[0].dir, nil
}

func resolve(path string) string {
	if r, err := filepath.EvalSymlinks(path); err == nil {
		return r
	}
	return path
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

// installPostgres installs Debian's postgresql package; it needs root.
func installPostgres(ctx context.Context) error {
	for _, args := range [][]string{{"update"}, {"install", "-y", "postgresql"}} {
		cmd := exec.CommandContext(ctx, "apt-get", args...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("apt-get %s: %w\n%s", strings.Join(args, " "), err, tail(out))
		}
	}
	return nil
}

func lookupAccount(name string) (*osAccount, error) {
	u, err := user.Lookup(name)
	if err != nil {
		return nil, fmt.Errorf("no %q account to run it as: %w", name, err)
	}
	uid, err := strconv.Atoi(u.Uid)
	if err != nil {
		return nil, fmt.Errorf("account %q: uid %q: %w", name, u.Uid, err)
	}
	gid, err := strconv.Atoi(u.Gid)
	if err != nil {
		return nil, fmt.Errorf("account %q: gid %q: %w", name, u.Gid, err)
	}
	acc := &osAccount{name: name, uid: uid, gid: gid, groups: map[int]bool{gid: true}}
	if ids, err := u.GroupIds(); err == nil {
		for _, id := range ids {
			if g, err := strconv.Atoi(id); err == nil {
				acc.groups[g] = true
			}
		}
	}
	return acc, nil
}

// prepareDataDir creates the data directory with the permissions initdb demands (0700)
// and, when we are root, hands it to the postgres account and makes sure that account
// can reach it. It also picks the Unix socket directory.
func (p *Postgres) prepareDataDir() error {
	if err := os.MkdirAll(filepath.Dir(p.DataDir), 0o755); err != nil {
		return fmt.Errorf("create parent of data dir: %w", err)
	}
	if err := os.Mkdir(p.DataDir, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return fmt.Errorf("create data dir: %w", err)
	}
	if p.runAs != nil {
		if err := p.makeTraversable(filepath.Dir(p.DataDir)); err != nil {
			return err
		}
		if err := chownTree(p.DataDir, p.runAs.uid, p.runAs.gid); err != nil {
			return err
		}
	}

	p.sockDir = p.DataDir
	if len(p.sockDir)+len("/.s.PGSQL.65535.lock") > maxSocketPath {
		dir, err := os.MkdirTemp("", "tdkt-pgsock-")
		if err != nil {
			return fmt.Errorf("socket dir: %w", err)
		}
		p.sockDir, p.tempSock = dir, true
		if p.runAs != nil {
			if err := os.Chown(dir, p.runAs.uid, p.runAs.gid); err != nil {
				p.removeTempSock()
				return fmt.Errorf("socket dir: %w", err)
			}
		}
	}
	return nil
}

// makeTraversable adds the search (o+x) bit to every directory from dir up to the root
// that the postgres account could not otherwise enter; a root-owned 0700 temporary
// directory (as t.TempDir and os.MkdirTemp create) would otherwise hide the data dir.
func (p *Postgres) makeTraversable(dir string) error {
	for {
		fi, err := os.Stat(dir)
		if err != nil {
			return fmt.Errorf("check %s: %w", dir, err)
		}
		if !p.runAs.canSearch(fi) {
			mode := fi.Mode().Perm() | 0o001
			if err := os.Chmod(dir, mode); err != nil {
				return fmt.Errorf("make %s traversable for %s: %w", dir, p.runAs.name, err)
			}
			p.logger.Info("made directory traversable for the postgres account", "dir", dir, "mode", mode.String())
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return nil
		}
		dir = parent
	}
}

func (a *osAccount) canSearch(fi os.FileInfo) bool {
	perm := fi.Mode().Perm()
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return perm&0o001 != 0
	}
	switch {
	case int(st.Uid) == a.uid:
		return perm&0o100 != 0
	case a.groups[int(st.Gid)]:
		return perm&0o010 != 0
	default:
		return perm&0o001 != 0
	}
}

// chownTree gives dir (and, if dir itself was not already theirs, everything below it)
// to uid:gid, so that a data directory first created by root becomes usable.
func chownTree(dir string, uid, gid int) error {
	fi, err := os.Lstat(dir)
	if err != nil {
		return fmt.Errorf("chown data dir: %w", err)
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) == uid && int(st.Gid) == gid {
		return nil
	}
	err = filepath.WalkDir(dir, func(path string, _ os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(path, uid, gid)
	})
	if err != nil {
		return fmt.Errorf("chown data dir: %w", err)
	}
	return nil
}

// initdb creates the cluster, trying the C.UTF-8 locale first and plain C where the
// system lacks it.
func (p *Postgres) initdb(ctx context.Context, initdb string) error {
	p.logger.Info("initialising PostgreSQL cluster", "data_dir", p.DataDir)
	base := []string{"-D", p.DataDir, "-A", "trust", "-U", superuser, "-E", "UTF8"}
	out, err := p.run(ctx, initdb, append(base, "--locale=C.UTF-8")...)
	if err == nil {
		return nil
	}
	p.logger.Info("initdb with C.UTF-8 failed; retrying with the C locale", "output", tail(out))
	// initdb empties the directory on failure; make sure it is still there and ours.
	if err := p.prepareDataDir(); err != nil {
		return err
	}
	if _, err := p.run(ctx, initdb, append(base, "--locale=C")...); err != nil {
		return fmt.Errorf("initdb: %w", err)
	}
	return nil
}

// running reports whether a server is running on the data directory.
func (p *Postgres) running(ctx context.Context) (bool, error) {
	_, err := p.run(ctx, p.pgCtl, "status", "-D", p.DataDir)
	if err == nil {
		return true, nil
	}
	var exitErr *exec.ExitError
	// pg_ctl status exits with 3 when no server is running.
	if errors.As(err, &exitErr) && exitErr.ExitCode() == 3 {
		return false, nil
	}
	return false, fmt.Errorf("pg_ctl status: %w", err)
}

// start launches the server. With no fixed port it retries on a fresh free port, since
// the one chosen may be taken before the server binds it.
func (p *Postgres) start(ctx context.Context, port int) error {
	attempts := 1
	if port == 0 {
		attempts = startAttempts
	}
	logFile := filepath.Join(p.DataDir, logFileName)
	var lastErr error
	for range attempts {
		listen := port
		if listen == 0 {
			var err error
			if listen, err = FreePort(); err != nil {
				return err
			}
		}
		// pg_ctl hands -o to /bin/sh, hence the quoting of the socket path.
		serverOpts := fmt.Sprintf("-c fsync=off -c listen_addresses=127.0.0.1 -p %d -k %s", listen, shellQuote(p.sockDir))
		_, err := p.run(ctx, p.pgCtl, "start", "-D", p.DataDir, "-l", logFile, "-w", "-t", strconv.Itoa(int(readyTimeout/time.Second)), "-o", serverOpts)
		if err == nil {
			p.Port = listen
			p.logger.Info("started PostgreSQL", "data_dir", p.DataDir, "port", listen, "log", logFile)
			return nil
		}
		lastErr = fmt.Errorf("pg_ctl start on port %d: %w (server log: %s)", listen, err, logFile)
		if ctx.Err() != nil {
			break
		}
	}
	return lastErr
}

// killedServerLingers reports whether the process named in postmaster.pid is a zombie
// (dead, not yet reaped). Containers whose init does not reap promptly leave such
// processes behind when a server is killed. Without /proc it reports false.
func (p *Postgres) killedServerLingers() bool {
	pid, err := pidFileLine(p.DataDir, 1)
	if err != nil {
		return false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// The state follows the parenthesised command name: "PID (postgres) Z ...".
	_, rest, ok := strings.Cut(string(stat), ") ")
	return ok && strings.HasPrefix(rest, "Z")
}

// postmasterExists reports whether the process named in postmaster.pid still exists
// (alive or a zombie). Without /proc it reports true, leaving the decision to pg_ctl.
func (p *Postgres) postmasterExists() bool {
	pid, err := pidFileLine(p.DataDir, 1)
	if err != nil {
		return false
	}
	if _, err := os.Stat("/proc/self"); err != nil {
		return true
	}
	_, err = os.Stat(fmt.Sprintf("/proc/%d", pid))
	return err == nil
}

// accepts reports whether the server named in postmaster.pid answers one connection now.
func (p *Postgres) accepts(ctx context.Context) bool {
	port, err := runningPort(p.DataDir)
	if err != nil {
		return false
	}
	cctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	conn, err := pgx.Connect(cctx, fmt.Sprintf("postgres://%s@127.0.0.1:%d/postgres?sslmode=disable", superuser, port))
	if err != nil {
		return false
	}
	conn.Close(context.WithoutCancel(ctx))
	return true
}

// runningPort reads the port of a running server from postmaster.pid.
func runningPort(dataDir string) (int, error) {
	return pidFileLine(dataDir, 4)
}

// pidFileLine reads the number on line n of postmaster.pid (1: the postmaster's PID,
// 4: its port).
func pidFileLine(dataDir string, n int) (int, error) {
	f, err := os.Open(filepath.Join(dataDir, "postmaster.pid"))
	if err != nil {
		return 0, fmt.Errorf("read postmaster.pid: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		if line == n {
			v, err := strconv.Atoi(strings.TrimSpace(sc.Text()))
			if err != nil {
				return 0, fmt.Errorf("postmaster.pid line %d %q: %w", n, sc.Text(), err)
			}
			return v, nil
		}
	}
	if err := sc.Err(); err != nil {
		return 0, fmt.Errorf("read postmaster.pid: %w", err)
	}
	return 0, fmt.Errorf("postmaster.pid has no line %d", n)
}

// waitReady polls until the server accepts connections, at most readyTimeout.
func (p *Postgres) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	var lastErr error
	for {
		conn, err := pgx.Connect(ctx, p.urlFor("postgres"))
		if err == nil {
			err = conn.Ping(ctx)
			conn.Close(context.WithoutCancel(ctx))
			if err == nil {
				return nil
			}
		}
		lastErr = err
		select {
		case <-ctx.Done():
			return fmt.Errorf("postgres on port %d not accepting connections: %w", p.Port, lastErr)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func (p *Postgres) ensureDatabase(ctx context.Context, name string) error {
	conn, err := pgx.Connect(ctx, p.urlFor("postgres"))
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return fmt.Errorf("look up database %q: %w", name, err)
	}
	if exists {
		return nil
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return fmt.Errorf("create database %q: %w", name, err)
	}
	return nil
}

func (p *Postgres) urlFor(database string) string {
	return fmt.Sprintf("postgres://%s@127.0.0.1:%d/%s?sslmode=disable", superuser, p.Port, database)
}

// run executes a PostgreSQL program, as the postgres account when we are root, and
// returns its combined output; a failure's error includes the output's tail.
func (p *Postgres) run(ctx context.Context, prog string, args ...string) ([]byte, error) {
	var cmd *exec.Cmd
	if p.runAs != nil {
		cmd = exec.CommandContext(ctx, "runuser", append([]string{"-u", p.runAs.name, "--", prog}, args...)...)
	} else {
		cmd = exec.CommandContext(ctx, prog, args...)
	}
	// The postgres account may not be able to enter our working directory.
	cmd.Dir = "/"
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return out.Bytes(), fmt.Errorf("%s %s: %w: %s", filepath.Base(prog), args[0], err, tail(out.Bytes()))
	}
	return out.Bytes(), nil
}

func (p *Postgres) removeTempSock() {
	if p.tempSock {
		os.RemoveAll(p.sockDir) //nolint:errcheck // best effort: a leftover empty temp dir is harmless
	}
}

// shellQuote quotes s for /bin/sh.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// tail returns the last lines of a program's output, enough to explain a failure.
func tail(out []byte) string {
	s := strings.TrimSpace(string(out))
	lines := strings.Split(s, "\n")
	if len(lines) > 15 {
		lines = lines[len(lines)-15:]
	}
	return strings.Join(lines, "\n")
}
