// Package config is tdkt's one typed configuration: defaults, then environment
// variables, then command-line flags. It is the only place that reads the
// environment. Secrets are masked when the effective configuration is logged.
package config

import (
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"net/url"
	"strconv"
	"time"
)

// Config is the effective configuration of every subcommand.
type Config struct {
	// HTTPAddr is where `serve` and `dev` listen (TDKT_HTTP_ADDR).
	HTTPAddr string
	// OpsAddr is where `tdkt worker` serves /livez, /readyz and /metrics
	// (TDKT_OPS_ADDR); `serve` answers them on HTTPAddr.
	OpsAddr string
	// PprofAddr, when set, is where `tdkt serve`, `worker` and `dev` serve Go's
	// profiler (/debug/pprof/); off by default. Bind it to localhost: profiles
	// show the code and the load, not data.
	PprofAddr string
	// DatabaseURL is the PostgreSQL URL (DATABASE_URL). Empty in dev mode starts a
	// throwaway cluster under DataDir.
	DatabaseURL string
	// TemporalAddress is the Temporal frontend host:port (TEMPORAL_ADDRESS); dev mode
	// starts its own server and ignores it.
	TemporalAddress string
	// TemporalNamespace is the Temporal namespace (TEMPORAL_NAMESPACE).
	TemporalNamespace string
	// TaskQueue is the Temporal task queue (TDKT_TASK_QUEUE).
	TaskQueue string
	// TemporalCompression is how requests to the Temporal frontend are compressed
	// (TDKT_TEMPORAL_COMPRESSION): "none" (the default) or "gzip" (the SDK's own
	// default). tdkt's requests are a few hundred bytes: on a local network, gzip
	// costs CPU at both ends for next to no bytes saved (see "Performance at national
	// scale"); gzip is for a Temporal server reached over a slow link.
	TemporalCompression string
	// WorkflowTaskPollers is how many workflow task polls a worker keeps open at
	// once (TDKT_WORKFLOW_TASK_POLLERS; the SDK's default is 2).
	WorkflowTaskPollers int
	// DBPoolMinConns is how many PostgreSQL connections a process keeps open, each
	// warmed when it opens (TDKT_DB_POOL_MIN_CONNS; at most the pool's maximum, which
	// pool_max_conns in DATABASE_URL sets, else pgx's default of 4 or the CPU count;
	// pool_min_conns in DATABASE_URL takes precedence). `tdkt serve` opens them
	// before it listens, so that its first readers do not wait for new connections.
	DBPoolMinConns int
	// DataDir holds dev mode's Temporal file and PostgreSQL cluster (TDKT_DATA_DIR).
	DataDir string
	// DevPKIDir holds a local CA and one signing certificate per unit, created on
	// first use, that sign the documents tdkt issues (TDKT_DEV_PKI_DIR; dev mode
	// uses DataDir/pki). Empty: documents are issued unsigned.
	DevPKIDir string
	// SigningKeysDir holds one PKCS#12 file per issuing unit, <unit id>.p12, under
	// the password SigningKeysPassword; TrustAnchors is the PEM file of the CA roots
	// that signatures must chain to (TDKT_SIGNING_KEYS_DIR, TDKT_SIGNING_KEYS_PASSWORD,
	// TDKT_TRUST_ANCHORS). It takes precedence over DevPKIDir.
	SigningKeysDir      string
	SigningKeysPassword string
	TrustAnchors        string
	// PKCS11 keeps the units' signing keys on a PKCS#11 token instead
	// (TDKT_PKCS11_*); it excludes SigningKeysDir and takes precedence over DevPKIDir.
	PKCS11 PKCS11
	// SessionTTL is how long a login lasts (TDKT_SESSION_TTL).
	SessionTTL time.Duration
	// SecureCookies marks cookies Secure; set it behind TLS (TDKT_SECURE_COOKIES).
	SecureCookies bool
	// MaxBodyBytes caps request bodies (TDKT_MAX_BODY_BYTES).
	MaxBodyBytes int64
	// BcryptCost is the password hashing cost (TDKT_BCRYPT_COST).
	BcryptCost int
	// LogLevel is debug, info, warn or error (TDKT_LOG_LEVEL).
	LogLevel string
	// SeedDemo makes `dev` seed the demo data (TDKT_SEED_DEMO); `seed` always does.
	SeedDemo bool
	// SMTPAddr is the SMTP server host:port for e-mail notifications
	// (TDKT_SMTP_ADDR); empty turns e-mail off.
	SMTPAddr string
	// SMTPFrom is the sender address of e-mail notifications (TDKT_SMTP_FROM).
	SMTPFrom string
	// SMTPUsername, when set, authenticates with AUTH PLAIN (TDKT_SMTP_USERNAME).
	SMTPUsername string
	// SMTPPassword goes with SMTPUsername (TDKT_SMTP_PASSWORD); masked in logs.
	SMTPPassword string
	// EmailDigest turns on the daily e-mail digest of open and overdue work
	// (TDKT_EMAIL_DIGEST; off by default; needs TDKT_SMTP_ADDR).
	EmailDigest bool
	// TrustedProxies are the reverse proxies (comma-separated addresses or CIDRs)
	// whose X-Forwarded-For names the client, for login throttling
	// (TDKT_TRUSTED_PROXIES); empty trusts none.
	TrustedProxies string
	// RequireIfMatch makes If-Match mandatory on dossier changes (TDKT_REQUIRE_IF_MATCH).
	RequireIfMatch bool
	// TemporalDatabaseURL is the PostgreSQL URL of the persistence database of
	// `tdkt temporal-server` (TDKT_TEMPORAL_DATABASE_URL); it listens on TemporalAddress.
	TemporalDatabaseURL string
	// TemporalVisibilityDatabase is the visibility database of `tdkt temporal-server`
	// on the same PostgreSQL server (TDKT_TEMPORAL_VISIBILITY_DATABASE).
	TemporalVisibilityDatabase string
	// TemporalHistoryShards is the history shard count of a new `tdkt
	// temporal-server` cluster (TDKT_TEMPORAL_HISTORY_SHARDS); fixed once created.
	TemporalHistoryShards int
	// OIDC is single sign-on with an OpenID Connect provider; off while
	// OIDC.Issuer is empty.
	OIDC OIDC
	// PasswordLogin allows the username and password form and POST
	// /api/v1/auth/login (TDKT_PASSWORD_LOGIN); false needs OIDC.
	PasswordLogin bool
	// OTLPEndpoint, when set, exports traces over OTLP/HTTP to this URL
	// (OTEL_EXPORTER_OTLP_ENDPOINT, e.g. http://collector:4318).
	OTLPEndpoint string
}

// OIDC configures OpenID Connect login (authorization code flow with PKCE).
type OIDC struct {
	// Issuer is the provider's issuer URL, whose /.well-known/openid-configuration
	// is read (TDKT_OIDC_ISSUER).
	Issuer string
	// ClientID and ClientSecret are tdkt's registration at the provider
	// (TDKT_OIDC_CLIENT_ID, TDKT_OIDC_CLIENT_SECRET; the secret is masked in logs).
	ClientID     string
	ClientSecret string
	// RedirectURL is the callback registered at the provider, on tdkt's public
	// address, e.g. https://tdkt.example.gov.vn/login/sso/callback
	// (TDKT_OIDC_REDIRECT_URL); tdkt answers on its path.
	RedirectURL string
	// UsernameClaim is the ID token claim holding the tdkt username
	// (TDKT_OIDC_USERNAME_CLAIM).
	UsernameClaim string
	// UnitClaim, when set, is the claim holding the person's unit id, which must be
	// the account's home unit (TDKT_OIDC_UNIT_CLAIM).
	UnitClaim string
}

// DefaultWorkflowTaskPollers is the workers' default WorkflowTaskPollers. With
// the SDK's 2, a burst of new dossiers queued their first workflow tasks, and a
// submit sent right after its create waited behind them (submit p95 about 2 s
// with 16 clients in the actions bench, p95 0.33 s with 8).
const DefaultWorkflowTaskPollers = 8

// The values of TemporalCompression.
const (
	CompressionNone = "none"
	CompressionGzip = "gzip"
)

// DefaultDBPoolMinConns is the default DBPoolMinConns: pgx's default maximum on a
// small machine, so that a pool of the default size is opened and warmed whole.
const DefaultDBPoolMinConns = 4

// Default returns the configuration with every default filled in.
func Default() Config {
	return Config{
		HTTPAddr:            ":8080",
		OpsAddr:             ":9090",
		TemporalAddress:     "127.0.0.1:7233",
		TemporalNamespace:   "default",
		TaskQueue:           "tdkt",
		TemporalCompression: CompressionNone,
		WorkflowTaskPollers: DefaultWorkflowTaskPollers,
		DBPoolMinConns:      DefaultDBPoolMinConns,
		DataDir:             ".tdkt",
		SessionTTL:          12 * time.Hour,
		MaxBodyBytes:        1 << 20,
		BcryptCost:          10,
		LogLevel:            "info",
		SeedDemo:            true,

		TemporalVisibilityDatabase: "temporal_visibility",
		TemporalHistoryShards:      4,
		OIDC:                       OIDC{UsernameClaim: "preferred_username"},
		PasswordLogin:              true,
	}
}

// Load builds the configuration from the defaults, then getenv, then args (flags).
// It returns an error naming the variable or flag whose value is malformed.
func Load(getenv func(string) string, args []string) (Config, error) {
	c := Default()
	fs := flag.NewFlagSet("tdkt", flag.ContinueOnError)
	str := func(p *string, name, env, usage string) {
		if v := getenv(env); v != "" {
			*p = v
		}
		fs.StringVar(p, name, *p, usage+" ("+env+")")
	}
	var errs []error
	dur := func(p *time.Duration, name, env, usage string) {
		if v := getenv(env); v != "" {
			d, err := time.ParseDuration(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", env, err))
			} else {
				*p = d
			}
		}
		fs.DurationVar(p, name, *p, usage+" ("+env+")")
	}
	integer := func(p *int, name, env, usage string) {
		if v := getenv(env); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", env, err))
			} else {
				*p = n
			}
		}
		fs.IntVar(p, name, *p, usage+" ("+env+")")
	}
	boolean := func(p *bool, name, env, usage string) {
		if v := getenv(env); v != "" {
			b, err := strconv.ParseBool(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", env, err))
			} else {
				*p = b
			}
		}
		fs.BoolVar(p, name, *p, usage+" ("+env+")")
	}
	str(&c.HTTPAddr, "http-addr", "TDKT_HTTP_ADDR", "HTTP listen address")
	str(&c.OpsAddr, "ops-addr", "TDKT_OPS_ADDR", "worker's listen address for /livez, /readyz and /metrics")
	str(&c.PprofAddr, "pprof-addr", "TDKT_PPROF_ADDR", "listen address of Go's profiler (/debug/pprof/); empty: off")
	str(&c.DatabaseURL, "database-url", "DATABASE_URL", "PostgreSQL URL")
	str(&c.TemporalAddress, "temporal-address", "TEMPORAL_ADDRESS", "Temporal frontend host:port")
	str(&c.TemporalNamespace, "temporal-namespace", "TEMPORAL_NAMESPACE", "Temporal namespace")
	str(&c.TaskQueue, "task-queue", "TDKT_TASK_QUEUE", "Temporal task queue")
	str(&c.TemporalCompression, "temporal-compression", "TDKT_TEMPORAL_COMPRESSION", "compression of requests to Temporal: none or gzip")
	integer(&c.WorkflowTaskPollers, "workflow-task-pollers", "TDKT_WORKFLOW_TASK_POLLERS", "workflow task polls a worker keeps open at once")
	integer(&c.DBPoolMinConns, "db-pool-min-conns", "TDKT_DB_POOL_MIN_CONNS", "PostgreSQL connections kept open and warmed (serve opens them before it listens)")
	str(&c.DataDir, "data-dir", "TDKT_DATA_DIR", "dev mode data folder")
	str(&c.DevPKIDir, "dev-pki-dir", "TDKT_DEV_PKI_DIR", "development CA and unit signing keys folder (dev mode: data-dir/pki)")
	str(&c.SigningKeysDir, "signing-keys-dir", "TDKT_SIGNING_KEYS_DIR", "folder of the units' PKCS#12 signing keys (<unit id>.p12)")
	str(&c.SigningKeysPassword, "signing-keys-password", "TDKT_SIGNING_KEYS_PASSWORD", "password of the PKCS#12 signing keys")
	str(&c.TrustAnchors, "trust-anchors", "TDKT_TRUST_ANCHORS", "PEM file of the CA roots signed documents must chain to")
	str(&c.PKCS11.Module, "pkcs11-module", "TDKT_PKCS11_MODULE", "PKCS#11 library of the token holding the units' signing keys (labelled with the unit id)")
	str(&c.PKCS11.TokenLabel, "pkcs11-token-label", "TDKT_PKCS11_TOKEN_LABEL", "label of the PKCS#11 token")
	str(&c.PKCS11.Slot, "pkcs11-slot", "TDKT_PKCS11_SLOT", "slot number of the PKCS#11 token, instead of its label")
	str(&c.PKCS11.PIN, "pkcs11-pin", "TDKT_PKCS11_PIN", "user PIN of the PKCS#11 token")
	dur(&c.SessionTTL, "session-ttl", "TDKT_SESSION_TTL", "login session lifetime")
	boolean(&c.SecureCookies, "secure-cookies", "TDKT_SECURE_COOKIES", "mark cookies Secure")
	maxBody := int(c.MaxBodyBytes)
	integer(&maxBody, "max-body-bytes", "TDKT_MAX_BODY_BYTES", "request body limit in bytes")
	integer(&c.BcryptCost, "bcrypt-cost", "TDKT_BCRYPT_COST", "bcrypt cost")
	str(&c.LogLevel, "log-level", "TDKT_LOG_LEVEL", "log level")
	boolean(&c.SeedDemo, "seed-demo", "TDKT_SEED_DEMO", "seed demo data in dev mode")
	str(&c.SMTPAddr, "smtp-addr", "TDKT_SMTP_ADDR", "SMTP server host:port for e-mail notifications; empty: no e-mail")
	str(&c.SMTPFrom, "smtp-from", "TDKT_SMTP_FROM", "sender address of e-mail notifications")
	str(&c.SMTPUsername, "smtp-username", "TDKT_SMTP_USERNAME", "SMTP username (AUTH PLAIN)")
	str(&c.SMTPPassword, "smtp-password", "TDKT_SMTP_PASSWORD", "SMTP password")
	boolean(&c.EmailDigest, "email-digest", "TDKT_EMAIL_DIGEST", "e-mail each user a daily digest of open and overdue work (needs SMTP)")
	str(&c.TrustedProxies, "trusted-proxies", "TDKT_TRUSTED_PROXIES", "comma-separated reverse proxies whose X-Forwarded-For is believed")
	boolean(&c.RequireIfMatch, "require-if-match", "TDKT_REQUIRE_IF_MATCH", "require If-Match on dossier changes")
	str(&c.TemporalDatabaseURL, "temporal-database-url", "TDKT_TEMPORAL_DATABASE_URL", "temporal-server: PostgreSQL URL of Temporal's persistence database")
	str(&c.TemporalVisibilityDatabase, "temporal-visibility-database", "TDKT_TEMPORAL_VISIBILITY_DATABASE", "temporal-server: visibility database name")
	integer(&c.TemporalHistoryShards, "temporal-history-shards", "TDKT_TEMPORAL_HISTORY_SHARDS", "temporal-server: history shards of a new cluster")
	str(&c.OIDC.Issuer, "oidc-issuer", "TDKT_OIDC_ISSUER", "OpenID Connect issuer URL; empty: no single sign-on")
	str(&c.OIDC.ClientID, "oidc-client-id", "TDKT_OIDC_CLIENT_ID", "OpenID Connect client ID")
	str(&c.OIDC.ClientSecret, "oidc-client-secret", "TDKT_OIDC_CLIENT_SECRET", "OpenID Connect client secret")
	str(&c.OIDC.RedirectURL, "oidc-redirect-url", "TDKT_OIDC_REDIRECT_URL", "OpenID Connect callback URL registered at the provider")
	str(&c.OIDC.UsernameClaim, "oidc-username-claim", "TDKT_OIDC_USERNAME_CLAIM", "ID token claim holding the tdkt username")
	str(&c.OIDC.UnitClaim, "oidc-unit-claim", "TDKT_OIDC_UNIT_CLAIM", "ID token claim holding the unit id, checked against the account's unit; empty: not checked")
	boolean(&c.PasswordLogin, "password-login", "TDKT_PASSWORD_LOGIN", "allow username and password login")
	str(&c.OTLPEndpoint, "otlp-endpoint", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTLP/HTTP endpoint for traces; empty: no traces")
	if len(errs) > 0 {
		return c, errs[0]
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	c.MaxBodyBytes = int64(maxBody)
	if c.MaxBodyBytes <= 0 {
		return c, fmt.Errorf("TDKT_MAX_BODY_BYTES must be positive")
	}
	if c.SessionTTL <= 0 {
		return c, fmt.Errorf("TDKT_SESSION_TTL must be positive")
	}
	if c.DBPoolMinConns < 0 {
		return c, fmt.Errorf("TDKT_DB_POOL_MIN_CONNS must not be negative")
	}
	if c.TemporalCompression != CompressionNone && c.TemporalCompression != CompressionGzip {
		return c, fmt.Errorf("TDKT_TEMPORAL_COMPRESSION must be %s or %s, got %q", CompressionNone, CompressionGzip, c.TemporalCompression)
	}
	if c.WorkflowTaskPollers < 2 {
		return c, fmt.Errorf("TDKT_WORKFLOW_TASK_POLLERS must be at least 2 (one for the sticky queue, one for the normal one)")
	}
	if _, err := c.Level(); err != nil {
		return c, err
	}
	if err := c.checkSMTP(); err != nil {
		return c, err
	}
	if err := c.checkOIDC(); err != nil {
		return c, err
	}
	if err := c.checkPKCS11(); err != nil {
		return c, err
	}
	return c, nil
}

// checkSMTP validates the e-mail settings when e-mail is on.
func (c Config) checkSMTP() error {
	if c.SMTPAddr == "" {
		return nil
	}
	if host, _, err := net.SplitHostPort(c.SMTPAddr); err != nil || host == "" {
		return fmt.Errorf("TDKT_SMTP_ADDR must be host:port, got %q", c.SMTPAddr)
	}
	if _, err := mail.ParseAddress(c.SMTPFrom); err != nil {
		return fmt.Errorf("TDKT_SMTP_FROM must be an e-mail address when TDKT_SMTP_ADDR is set: %w", err)
	}
	return nil
}

// checkOIDC validates the single sign-on settings.
func (c Config) checkOIDC() error {
	o := c.OIDC
	if o.Issuer == "" {
		if !c.PasswordLogin {
			return fmt.Errorf("TDKT_PASSWORD_LOGIN=false needs single sign-on: set TDKT_OIDC_ISSUER")
		}
		return nil
	}
	if u, err := url.Parse(o.Issuer); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("TDKT_OIDC_ISSUER must be an http(s) URL, got %q", o.Issuer)
	}
	if o.ClientID == "" {
		return fmt.Errorf("TDKT_OIDC_CLIENT_ID is required with TDKT_OIDC_ISSUER")
	}
	if u, err := url.Parse(o.RedirectURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.Path == "" {
		return fmt.Errorf("TDKT_OIDC_REDIRECT_URL must be an absolute http(s) URL with a path, got %q", o.RedirectURL)
	}
	if o.UsernameClaim == "" {
		return fmt.Errorf("TDKT_OIDC_USERNAME_CLAIM must not be empty")
	}
	return nil
}

// Level parses LogLevel.
func (c Config) Level() (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return l, fmt.Errorf("TDKT_LOG_LEVEL: %w", err)
	}
	return l, nil
}

// LogValue logs the configuration with the database and SMTP passwords masked.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("http_addr", c.HTTPAddr),
		slog.String("ops_addr", c.OpsAddr),
		slog.String("pprof_addr", c.PprofAddr),
		slog.String("database_url", MaskURL(c.DatabaseURL)),
		slog.String("temporal_address", c.TemporalAddress),
		slog.String("temporal_namespace", c.TemporalNamespace),
		slog.String("task_queue", c.TaskQueue),
		slog.String("temporal_compression", c.TemporalCompression),
		slog.Int("workflow_task_pollers", c.WorkflowTaskPollers),
		slog.Int("db_pool_min_conns", c.DBPoolMinConns),
		slog.String("data_dir", c.DataDir),
		slog.Duration("session_ttl", c.SessionTTL),
		slog.Bool("secure_cookies", c.SecureCookies),
		slog.Int64("max_body_bytes", c.MaxBodyBytes),
		slog.Int("bcrypt_cost", c.BcryptCost),
		slog.String("log_level", c.LogLevel),
		slog.Bool("seed_demo", c.SeedDemo),
		slog.String("smtp_addr", c.SMTPAddr),
		slog.String("smtp_from", c.SMTPFrom),
		slog.String("smtp_username", c.SMTPUsername),
		slog.String("smtp_password", maskSecret(c.SMTPPassword)),
		slog.String("trusted_proxies", c.TrustedProxies),
		slog.Bool("require_if_match", c.RequireIfMatch),
		slog.String("temporal_database_url", MaskURL(c.TemporalDatabaseURL)),
		slog.String("temporal_visibility_database", c.TemporalVisibilityDatabase),
		slog.Int("temporal_history_shards", c.TemporalHistoryShards),
		slog.String("oidc_issuer", c.OIDC.Issuer),
		slog.String("oidc_client_id", c.OIDC.ClientID),
		slog.String("oidc_client_secret", maskSecret(c.OIDC.ClientSecret)),
		slog.String("oidc_redirect_url", c.OIDC.RedirectURL),
		slog.String("oidc_username_claim", c.OIDC.UsernameClaim),
		slog.String("oidc_unit_claim", c.OIDC.UnitClaim),
		slog.Bool("password_login", c.PasswordLogin),
		slog.String("otlp_endpoint", MaskURL(c.OTLPEndpoint)),
		slog.String("pkcs11_module", c.PKCS11.Module),
		slog.String("pkcs11_token_label", c.PKCS11.TokenLabel),
		slog.String("pkcs11_slot", c.PKCS11.Slot),
		slog.String("pkcs11_pin", maskSecret(c.PKCS11.PIN)),
	)
}

// maskSecret shows whether a secret is set, never its value.
func maskSecret(s string) string {
	if s == "" {
		return ""
	}
	return "xxxxx"
}

// MaskURL replaces the password of a URL with "xxxxx"; unparsable input is masked whole.
func MaskURL(raw string) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable, masked)"
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.String()
}
