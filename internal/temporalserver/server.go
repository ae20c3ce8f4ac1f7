// Package temporalserver runs the production shape of Temporal for tdkt: a server
// process built from go.temporal.io/server with PostgreSQL persistence and
// PostgreSQL (SQL advanced) visibility, several history shards, and the four
// services (frontend, history, matching, worker) in one process. `tdkt
// temporal-server` runs it; `make cluster`, the cluster test and docker-compose.yml
// use it. The schemas are created and upgraded by the server's own schema tooling
// (go.temporal.io/server/tools/sql and tools/common/schema with the embedded
// postgresql/v12 schemas), so an upgrade of the server module brings its schema
// updates with it.
package temporalserver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/server/common/cluster"
	"go.temporal.io/server/common/config"
	tlog "go.temporal.io/server/common/log"
	"go.temporal.io/server/common/metrics"
	"go.temporal.io/server/common/persistence/sql/sqlplugin/postgresql"
	"go.temporal.io/server/temporal"
	"go.temporal.io/server/tools/common/schema"
	sqltool "go.temporal.io/server/tools/sql"
	"google.golang.org/protobuf/types/known/durationpb"

	tdktconfig "github.com/tdkt/tdkt/internal/config"
	"github.com/tdkt/tdkt/internal/devenv/devtemporal"
)

const (
	clusterName = "active"
	// maxConns bounds each service's pool per store: 4 services × 2 stores × 5 =
	// at most 40 PostgreSQL connections for the server.
	maxConns = 5
)

// Options configures the server.
type Options struct {
	// DatabaseURL is the PostgreSQL URL of the persistence database
	// (postgres://user:pass@host:port/temporal?sslmode=disable); the database is
	// created when missing.
	DatabaseURL string
	// VisibilityDatabase is the name of the visibility database on the same
	// PostgreSQL server (default temporal_visibility).
	VisibilityDatabase string
	// Address is the frontend's host:port. The history, matching and worker services
	// listen on the next three ports, and ring membership on port-300 to port-297.
	Address string
	// HistoryShards is the number of history shards (default 4). It is fixed when
	// the cluster is created: a later start with another number fails.
	HistoryShards int
	// Namespace is registered (retention RetentionDays) when missing.
	Namespace string
	// RetentionDays is the namespace retention of a newly registered namespace
	// (default 30).
	RetentionDays int
	// Logger receives the server's warnings and errors.
	Logger *slog.Logger
}

// Server is a running server.
type Server struct {
	server   temporal.Server
	opts     Options
	frontend string
}

func (o *Options) defaults() error {
	if o.DatabaseURL == "" {
		return errors.New("the Temporal database URL is not set (TDKT_TEMPORAL_DATABASE_URL)")
	}
	if o.VisibilityDatabase == "" {
		o.VisibilityDatabase = "temporal_visibility"
	}
	if o.HistoryShards == 0 {
		o.HistoryShards = 4
	}
	if o.HistoryShards < 1 {
		return fmt.Errorf("history shards must be positive, got %d", o.HistoryShards)
	}
	if o.Namespace == "" {
		o.Namespace = "default"
	}
	if o.RetentionDays == 0 {
		o.RetentionDays = 30
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return nil
}

// sqlConfigs parses DatabaseURL into the persistence and visibility SQL configs.
func (o Options) sqlConfigs() (store, visibility *config.SQL, err error) {
	u, err := url.Parse(o.DatabaseURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return nil, nil, fmt.Errorf("the Temporal database URL must be postgres://user:pass@host:port/db, got %q", tdktconfig.MaskURL(o.DatabaseURL))
	}
	db := strings.TrimPrefix(u.Path, "/")
	if db == "" {
		db = "temporal"
	}
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), "5432")
	}
	pw, _ := u.User.Password()
	attrs := map[string]string{}
	for k, v := range u.Query() {
		attrs[k] = v[0]
	}
	mk := func(name string) *config.SQL {
		return &config.SQL{PluginName: postgresql.PluginNamePGX, User: u.User.Username(), Password: pw, DatabaseName: name,
			ConnectAddr: host, ConnectProtocol: "tcp", ConnectAttributes: attrs, MaxConns: maxConns, MaxIdleConns: maxConns,
			MaxConnLifetime: time.Hour}
	}
	return mk(db), mk(o.VisibilityDatabase), nil
}

// SetupSchema creates the persistence and visibility databases when missing and
// brings their schemas to the versions this server build embeds, with the server's
// schema tool: a new database gets the versioning tables at 0.0, then every
// versioned update (postgresql/v12/temporal and postgresql/v12/visibility) up to
// the latest is applied; a database already at the latest is left alone.
func SetupSchema(opts Options) error {
	if err := opts.defaults(); err != nil {
		return err
	}
	st, vis, err := opts.sqlConfigs()
	if err != nil {
		return err
	}
	logger := devtemporal.NewServerLogger(opts.Logger)
	for _, db := range []struct {
		cfg    *config.SQL
		schema string
	}{{st, "postgresql/v12/temporal"}, {vis, "postgresql/v12/visibility"}} {
		if err := setupOne(*db.cfg, db.schema, logger); err != nil {
			return fmt.Errorf("temporal schema %s in database %s: %w", db.schema, db.cfg.DatabaseName, err)
		}
	}
	return nil
}

func setupOne(cfg config.SQL, schemaName string, logger tlog.Logger) error {
	create := cfg
	if err := sqltool.DoCreateDatabase(&create, "postgres", logger); err != nil && !strings.Contains(err.Error(), "already exists") {
		return fmt.Errorf("create database: %w", err)
	}
	conn, err := sqltool.NewConnection(&cfg, logger)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close()
	if v, err := conn.ReadSchemaVersion(); err != nil || v == "" {
		if err := schema.NewSetupSchemaTask(conn, &schema.SetupConfig{InitialVersion: "0.0"}, logger).Run(); err != nil {
			return fmt.Errorf("setup: %w", err)
		}
	}
	if err := schema.NewUpdateSchemaTask(conn, &schema.UpdateConfig{DBName: cfg.DatabaseName, SchemaName: schemaName}, logger).Run(); err != nil {
		return fmt.Errorf("update: %w", err)
	}
	return nil
}

// Start sets the schemas up (SetupSchema), starts the server, registers the
// namespace when missing and returns once the frontend answers for it.
func Start(ctx context.Context, opts Options) (*Server, error) {
	if err := opts.defaults(); err != nil {
		return nil, err
	}
	if err := SetupSchema(opts); err != nil {
		return nil, err
	}
	cfg, err := opts.serverConfig()
	if err != nil {
		return nil, err
	}
	srv, err := temporal.NewServer(
		temporal.WithConfig(cfg),
		temporal.ForServices(temporal.DefaultServices),
		temporal.WithLogger(devtemporal.NewServerLogger(opts.Logger)),
		temporal.WithCustomMetricsHandler(metrics.NoopMetricsHandler),
	)
	if err != nil {
		return nil, fmt.Errorf("temporal server: %w", err)
	}
	if err := srv.Start(); err != nil {
		return nil, fmt.Errorf("temporal server: %w", err)
	}
	s := &Server{server: srv, opts: opts, frontend: cfg.PublicClient.HostPort}
	if err := s.registerNamespace(ctx); err != nil {
		return nil, errors.Join(err, srv.Stop())
	}
	return s, nil
}

// Stop stops the server.
func (s *Server) Stop() error { return s.server.Stop() }

// serverConfig is a single-process cluster on the PostgreSQL databases.
func (o Options) serverConfig() (*config.Config, error) {
	st, vis, err := o.sqlConfigs()
	if err != nil {
		return nil, err
	}
	host, portStr, err := net.SplitHostPort(o.Address)
	if err != nil {
		return nil, fmt.Errorf("TEMPORAL_ADDRESS must be host:port, got %q", o.Address)
	}
	port, err := strconv.Atoi(portStr)
	// Ring membership listens on port-300..port-297, and Temporal's PostgreSQL schema
	// stores membership ports as smallint.
	if err != nil || port < 400 || port > 32767+300-3 {
		return nil, fmt.Errorf("TEMPORAL_ADDRESS port must be in 400..33064 (membership ports, port-300 onwards, must fit PostgreSQL's smallint), got %q", portStr)
	}
	bind, broadcast := host, host
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		if broadcast, err = outboundIP(host); err != nil {
			return nil, err
		}
		if ip == nil {
			bind = broadcast
		}
	}
	services := map[string]config.Service{}
	for i, name := range []string{"frontend", "history", "matching", "worker"} {
		services[name] = config.Service{RPC: config.RPC{GRPCPort: port + i, MembershipPort: port - 300 + i, BindOnIP: bind}}
	}
	frontend := net.JoinHostPort(broadcast, strconv.Itoa(port))
	return &config.Config{
		Global: config.Global{Membership: config.Membership{MaxJoinDuration: 30 * time.Second, BroadcastAddress: broadcast}},
		Persistence: config.Persistence{
			DefaultStore: "default", VisibilityStore: "visibility", NumHistoryShards: int32(o.HistoryShards),
			DataStores: map[string]config.DataStore{"default": {SQL: st}, "visibility": {SQL: vis}},
		},
		ClusterMetadata: &cluster.Config{
			EnableGlobalNamespace: false, FailoverVersionIncrement: 10,
			MasterClusterName: clusterName, CurrentClusterName: clusterName,
			ClusterInformation: map[string]cluster.ClusterInformation{
				clusterName: {Enabled: true, InitialFailoverVersion: 1, RPCAddress: frontend},
			},
		},
		DCRedirectionPolicy: config.DCRedirectionPolicy{Policy: "noop"},
		Services:            services,
		Archival: config.Archival{History: config.HistoryArchival{State: "disabled"},
			Visibility: config.VisibilityArchival{State: "disabled"}},
		NamespaceDefaults: config.NamespaceDefaults{Archival: config.ArchivalNamespaceDefaults{
			History:    config.HistoryArchivalNamespaceDefaults{State: "disabled"},
			Visibility: config.VisibilityArchivalNamespaceDefaults{State: "disabled"}}},
		PublicClient: config.PublicClient{HostPort: frontend},
	}, nil
}

// outboundIP is the address other members reach this host on when the frontend
// binds all interfaces or a host name: the host name's first address, else the
// machine's.
func outboundIP(host string) (string, error) {
	if host == "" || net.ParseIP(host) != nil {
		h, err := os.Hostname()
		if err != nil {
			return "", err
		}
		host = h
	}
	addrs, err := net.LookupIP(host)
	if err != nil || len(addrs) == 0 {
		return "", fmt.Errorf("resolve %q for the cluster broadcast address: %v", host, err)
	}
	for _, a := range addrs {
		if a.To4() != nil {
			return a.String(), nil
		}
	}
	return addrs[0].String(), nil
}

// registerNamespace registers the namespace when missing, waiting for the
// frontend (at most a minute), and returns once it describes the namespace.
func (s *Server) registerNamespace(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	quiet := sdklog.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))
	var last error
	for {
		nc, err := client.NewNamespaceClient(client.Options{HostPort: s.frontend, Logger: quiet})
		if err == nil {
			_, err = nc.Describe(ctx, s.opts.Namespace)
			var nf *serviceerror.NamespaceNotFound
			if errors.As(err, &nf) {
				err = nc.Register(ctx, &workflowservice.RegisterNamespaceRequest{Namespace: s.opts.Namespace,
					WorkflowExecutionRetentionPeriod: durationpb.New(time.Duration(s.opts.RetentionDays) * 24 * time.Hour)})
				if err == nil {
					err = errors.New("registered; waiting for it to be visible")
				}
			}
			nc.Close()
			if err == nil {
				return nil
			}
		}
		last = err
		select {
		case <-ctx.Done():
			return fmt.Errorf("temporal frontend %s not ready for namespace %q: %w", s.opts.Address, s.opts.Namespace, last)
		case <-time.After(300 * time.Millisecond):
		}
	}
}
