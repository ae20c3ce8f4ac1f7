// Package devtemporal runs a Temporal server inside the tdkt process for `tdkt dev` and
// integration tests. Its state lives in one SQLite file, so stopping the process and
// starting it again on the same file resumes open workflows and their timers. It is the
// only package that depends on go.temporal.io/server; production talks to a real cluster.
package devtemporal

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/server/common/cluster"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/dynamicconfig"
	"go.temporal.io/server/common/log"
	"go.temporal.io/server/common/metrics"
	"go.temporal.io/server/common/persistence/sql"
	"go.temporal.io/server/common/persistence/sql/sqlplugin"
	sqliteplugin "go.temporal.io/server/common/persistence/sql/sqlplugin/sqlite"
	"go.temporal.io/server/common/resolver"
	"go.temporal.io/server/schema/sqlite"
	"go.temporal.io/server/temporal"

	"github.com/tdkt/tdkt/internal/devenv"
)

const (
	defaultNamespace = "default"
	clusterName      = "active"
	localhost        = "127.0.0.1"
	readyTimeout     = 30 * time.Second
)

// TemporalOptions configures StartTemporal.
type TemporalOptions struct {
	// DBFile is the SQLite file holding all server state; it is created (with its parent
	// directory) if missing.
	DBFile string
	// Namespace is registered on start if missing ("default" if empty).
	Namespace string
	// FrontendPort is the gRPC port clients and workers dial on 127.0.0.1; 0 picks a free one.
	FrontendPort int
	// Logger receives the server's warnings and errors; nil discards all server logging.
	Logger *slog.Logger
}

// Temporal is a running in-process Temporal server started by StartTemporal.
type Temporal struct {
	// HostPort is the frontend address for client.Options.HostPort.
	HostPort string
	// Namespace is the registered namespace for client.Options.Namespace.
	Namespace string

	server  temporal.Server
	quiet   *atomic.Bool // see serverLogger
	mu      sync.Mutex
	stopped bool
}

// StartTemporal starts an in-process Temporal server (frontend, history, matching and
// worker services, one history shard) whose state lives in the SQLite file opts.DBFile,
// so that a restart on the same file resumes open workflows and timers. On first start it
// creates the schema; it registers opts.Namespace (24 h retention) if missing. All
// services listen on free 127.0.0.1 ports except the frontend when opts.FrontendPort is
// set. It returns once the frontend answers for the namespace, or an error if the file is
// not a Temporal database, the server fails to start, or it is not ready within 30 s.
func StartTemporal(ctx context.Context, opts TemporalOptions) (*Temporal, error) {
	if opts.DBFile == "" {
		return nil, errors.New("start temporal: DBFile is required")
	}
	dbFile, err := filepath.Abs(opts.DBFile)
	if err != nil {
		return nil, fmt.Errorf("start temporal: db file: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(dbFile), 0o755); err != nil {
		return nil, fmt.Errorf("start temporal: db file directory: %w", err)
	}
	namespace := opts.Namespace
	if namespace == "" {
		namespace = defaultNamespace
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}

	cfg, err := serverConfig(dbFile, opts.FrontendPort)
	if err != nil {
		return nil, fmt.Errorf("start temporal: %w", err)
	}
	sqlCfg := cfg.Persistence.DataStores[sqliteplugin.PluginName].SQL
	if err := prepareDatabase(sqlCfg); err != nil {
		return nil, fmt.Errorf("start temporal: %s: %w", dbFile, err)
	}
	nsCfg, err := sqlite.NewNamespaceConfig(clusterName, namespace, false, nil)
	if err != nil {
		return nil, fmt.Errorf("start temporal: namespace %q: %w", namespace, err)
	}
	if err := sqlite.CreateNamespaces(sqlCfg, nsCfg); err != nil {
		return nil, fmt.Errorf("start temporal: register namespace %q: %w", namespace, err)
	}

	quiet := new(atomic.Bool)
	quiet.Store(true)
	server, err := temporal.NewServer(
		temporal.WithConfig(cfg),
		temporal.ForServices(temporal.DefaultServices),
		temporal.WithLogger(newServerLogger(logger, quiet)),
		temporal.WithCustomMetricsHandler(metrics.NoopMetricsHandler),
		temporal.WithDynamicConfigClient(dynamicconfig.StaticClient{
			// Search attributes added at run time are visible at once, not after a cache refresh.
			dynamicconfig.ForceSearchAttributesCacheRefreshOnRead.Key(): true,
		}),
	)
	if err != nil {
		return nil, fmt.Errorf("start temporal: create server: %w", err)
	}
	if err := server.Start(); err != nil {
		return nil, fmt.Errorf("start temporal: %w", err)
	}
	t := &Temporal{HostPort: cfg.PublicClient.HostPort, Namespace: namespace, server: server, quiet: quiet}
	if err := t.waitReady(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("start temporal: %w", err), t.Stop())
	}
	quiet.Store(false)
	logger.Info("started Temporal dev server", "host_port", t.HostPort, "namespace", namespace, "db_file", dbFile)
	return t, nil
}

// Stop shuts the server down; calling it again does nothing. Clients and workers should
// be stopped first. It returns the server's shutdown error.
func (t *Temporal) Stop() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.stopped {
		return nil
	}
	t.stopped = true
	t.quiet.Store(true)
	if err := t.server.Stop(); err != nil {
		return fmt.Errorf("stop temporal: %w", err)
	}
	return nil
}

// serverConfig builds a single-node configuration on the SQLite file with every service
// on its own free port.
func serverConfig(dbFile string, frontendPort int) (*config.Config, error) {
	var err error
	if frontendPort == 0 {
		if frontendPort, err = devenv.FreePort(); err != nil {
			return nil, err
		}
	}
	services := map[string]config.Service{}
	for _, name := range temporal.DefaultServices {
		rpc := config.RPC{GRPCPort: frontendPort, BindOnIP: localhost}
		if name != "frontend" {
			if rpc.GRPCPort, err = devenv.FreePort(); err != nil {
				return nil, err
			}
		}
		if rpc.MembershipPort, err = devenv.FreePort(); err != nil {
			return nil, err
		}
		services[name] = config.Service{RPC: rpc}
	}
	hostPort := localhost + ":" + strconv.Itoa(frontendPort)

	return &config.Config{
		Global: config.Global{
			Membership: config.Membership{MaxJoinDuration: 30 * time.Second, BroadcastAddress: localhost},
		},
		Persistence: config.Persistence{
			DefaultStore:     sqliteplugin.PluginName,
			VisibilityStore:  sqliteplugin.PluginName,
			NumHistoryShards: 1,
			DataStores: map[string]config.DataStore{
				sqliteplugin.PluginName: {SQL: &config.SQL{
					PluginName:   sqliteplugin.PluginName,
					DatabaseName: dbFile,
					// rwc: read-write, create the file if missing. Write-ahead log with
					// synchronous=normal: a commit is an append to the log, synced at
					// checkpoints instead of on every commit; a crash of the process
					// loses nothing, a power cut may lose the last commits (dev mode).
					ConnectAttributes: map[string]string{"mode": "rwc", "journal_mode": "wal", "synchronous": "normal"},
				}},
			},
		},
		ClusterMetadata: &cluster.Config{
			EnableGlobalNamespace:    false,
			FailoverVersionIncrement: 10,
			MasterClusterName:        clusterName,
			CurrentClusterName:       clusterName,
			ClusterInformation: map[string]cluster.ClusterInformation{
				clusterName: {Enabled: true, InitialFailoverVersion: 1, RPCAddress: hostPort},
			},
		},
		DCRedirectionPolicy: config.DCRedirectionPolicy{Policy: "noop"},
		Services:            services,
		Archival: config.Archival{
			History:    config.HistoryArchival{State: "disabled"},
			Visibility: config.VisibilityArchival{State: "disabled"},
		},
		NamespaceDefaults: config.NamespaceDefaults{
			Archival: config.ArchivalNamespaceDefaults{
				History:    config.HistoryArchivalNamespaceDefaults{State: "disabled"},
				Visibility: config.VisibilityArchivalNamespaceDefaults{State: "disabled"},
			},
		},
		// The worker service talks to the frontend through this address.
		PublicClient: config.PublicClient{HostPort: hostPort},
	}, nil
}

// prepareDatabase creates the Temporal schema in an empty file and leaves the schema of a
// file that has it alone (SetupSchema is not idempotent). A file with other tables is
// refused rather than touched.
//
// On a file from an earlier run it forgets the cluster members that run registered: they
// listened on other ports and are gone, and ringpop would otherwise spend its whole join
// timeout (30 s) trying to reach them before the restarted services find each other.
func prepareDatabase(cfg *config.SQL) error {
	db, err := sql.NewSQLAdminDB(sqlplugin.DbKindUnknown, cfg, resolver.NewNoopResolver(), log.NewNoopLogger(), metrics.NoopMetricsHandler)
	if err != nil {
		return fmt.Errorf("open: %w", err)
	}
	defer db.Close() //nolint:errcheck // nothing left to flush
	tables, err := db.ListTables(cfg.DatabaseName)
	if err != nil {
		return fmt.Errorf("list tables: %w", err)
	}
	switch {
	case slices.Contains(tables, "namespaces") && slices.Contains(tables, "cluster_membership"):
		if err := db.Exec(`DELETE FROM cluster_membership`); err != nil {
			return fmt.Errorf("forget members of the previous run: %w", err)
		}
		return nil
	case len(tables) > 0:
		return fmt.Errorf("file has tables %v but not the Temporal schema; refusing to use it", tables)
	}
	if err := sqlite.SetupSchemaOnDB(db); err != nil {
		return fmt.Errorf("create schema: %w", err)
	}
	return nil
}

// waitReady polls the frontend until it answers for the namespace, at most readyTimeout.
func (t *Temporal) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	quiet := sdklog.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))
	var lastErr error
	for {
		nc, err := client.NewNamespaceClient(client.Options{HostPort: t.HostPort, Logger: quiet})
		if err == nil {
			_, err = nc.Describe(ctx, t.Namespace)
			nc.Close()
			if err == nil {
				return nil
			}
		}
		lastErr = err
		select {
		case <-ctx.Done():
			return fmt.Errorf("frontend %s not ready: %w", t.HostPort, lastErr)
		case <-time.After(200 * time.Millisecond):
		}
	}
}
