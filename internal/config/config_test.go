package config

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoadAppliesDefaultsThenEnvThenFlags(t *testing.T) {
	c, err := Load(env(map[string]string{"TDKT_HTTP_ADDR": ":9000", "TDKT_SESSION_TTL": "2h", "DATABASE_URL": "postgres://a:b@h/db"}),
		[]string{"-http-addr", ":9100"})
	if err != nil {
		t.Fatal(err)
	}
	if c.HTTPAddr != ":9100" {
		t.Errorf("flag should win over env: got %q", c.HTTPAddr)
	}
	if c.SessionTTL != 2*time.Hour {
		t.Errorf("env should win over default: got %v", c.SessionTTL)
	}
	if c.TaskQueue != "tdkt" || c.TemporalNamespace != "default" {
		t.Errorf("defaults lost: %+v", c)
	}
}

func TestLoadRejectsMalformedValues(t *testing.T) {
	for _, tc := range []map[string]string{
		{"TDKT_SESSION_TTL": "forever"},
		{"TDKT_BCRYPT_COST": "ten"},
		{"TDKT_LOG_LEVEL": "loud"},
		{"TDKT_MAX_BODY_BYTES": "0"},
		{"TDKT_SECURE_COOKIES": "maybe"},
	} {
		if _, err := Load(env(tc), nil); err == nil {
			t.Errorf("Load(%v) accepted a malformed value", tc)
		}
	}
}

func TestLoggedConfigMasksTheDatabasePassword(t *testing.T) {
	c := Default()
	c.DatabaseURL = "postgres://tdkt:s3cret-pw@db:5432/tdkt?sslmode=disable"
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("config", "config", c)
	if strings.Contains(buf.String(), "s3cret-pw") {
		t.Fatalf("password leaked into the log: %s", buf.String())
	}
	if !strings.Contains(buf.String(), "tdkt:xxxxx@db:5432") {
		t.Fatalf("masked URL missing from the log: %s", buf.String())
	}
}

func TestDBPoolMinConnsDefaultsToFourAndRefusesANegativeNumber(t *testing.T) {
	c, err := Load(env(nil), nil)
	if err != nil || c.DBPoolMinConns != 4 {
		t.Fatalf("default: %d, %v; want 4", c.DBPoolMinConns, err)
	}
	c, err = Load(env(map[string]string{"TDKT_DB_POOL_MIN_CONNS": "20"}), nil)
	if err != nil || c.DBPoolMinConns != 20 {
		t.Fatalf("TDKT_DB_POOL_MIN_CONNS=20: %d, %v", c.DBPoolMinConns, err)
	}
	for _, v := range []string{"-1", "many"} {
		if _, err := Load(env(map[string]string{"TDKT_DB_POOL_MIN_CONNS": v}), nil); err == nil {
			t.Errorf("TDKT_DB_POOL_MIN_CONNS=%s accepted", v)
		}
	}
}

func TestTemporalCompressionDefaultsToNoneAndTakesOnlyNoneOrGzip(t *testing.T) {
	c, err := Load(env(nil), nil)
	if err != nil || c.TemporalCompression != CompressionNone {
		t.Fatalf("default: %q, %v; want none", c.TemporalCompression, err)
	}
	c, err = Load(env(map[string]string{"TDKT_TEMPORAL_COMPRESSION": "gzip"}), nil)
	if err != nil || c.TemporalCompression != CompressionGzip {
		t.Fatalf("TDKT_TEMPORAL_COMPRESSION=gzip: %q, %v", c.TemporalCompression, err)
	}
	c, err = Load(env(nil), []string{"-temporal-compression", "gzip"})
	if err != nil || c.TemporalCompression != CompressionGzip {
		t.Fatalf("-temporal-compression gzip: %q, %v", c.TemporalCompression, err)
	}
	for _, v := range []string{"zstd", "GZIP", " "} {
		if _, err := Load(env(map[string]string{"TDKT_TEMPORAL_COMPRESSION": v}), nil); err == nil || !strings.Contains(err.Error(), "TDKT_TEMPORAL_COMPRESSION") {
			t.Errorf("TDKT_TEMPORAL_COMPRESSION=%q: %v, want a clear refusal", v, err)
		}
	}
}
