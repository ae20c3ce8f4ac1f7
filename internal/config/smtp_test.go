package config

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

func TestSMTPSettingsLoadFromTheEnvironment(t *testing.T) {
	c, err := Load(env(map[string]string{"TDKT_SMTP_ADDR": "smtp.langson.gov.vn:587", "TDKT_SMTP_FROM": "TĐKT Lạng Sơn <tdkt@langson.gov.vn>",
		"TDKT_SMTP_USERNAME": "tdkt", "TDKT_SMTP_PASSWORD": "smtp-s3cret"}), nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.SMTPAddr != "smtp.langson.gov.vn:587" || c.SMTPFrom != "TĐKT Lạng Sơn <tdkt@langson.gov.vn>" ||
		c.SMTPUsername != "tdkt" || c.SMTPPassword != "smtp-s3cret" {
		t.Fatalf("SMTP settings not loaded: %+v", c)
	}
	if d := Default(); d.SMTPAddr != "" {
		t.Errorf("e-mail must be off by default, got SMTPAddr %q", d.SMTPAddr)
	}
}

func TestSMTPSettingsAreValidatedWhenEmailIsOn(t *testing.T) {
	for _, tc := range []map[string]string{
		{"TDKT_SMTP_ADDR": "smtp.langson.gov.vn", "TDKT_SMTP_FROM": "tdkt@langson.gov.vn"}, // no port
		{"TDKT_SMTP_ADDR": "smtp.langson.gov.vn:25"},                                       // no sender
		{"TDKT_SMTP_ADDR": "smtp.langson.gov.vn:25", "TDKT_SMTP_FROM": "not an address"},
	} {
		if _, err := Load(env(tc), nil); err == nil {
			t.Errorf("Load(%v) accepted invalid SMTP settings", tc)
		}
	}
	if _, err := Load(env(map[string]string{"TDKT_SMTP_FROM": "not an address"}), nil); err != nil {
		t.Errorf("with e-mail off the sender is not checked: %v", err)
	}
}

func TestLoggedConfigMasksTheSMTPPassword(t *testing.T) {
	c := Default()
	c.SMTPAddr, c.SMTPFrom, c.SMTPUsername, c.SMTPPassword = "smtp:25", "a@b.vn", "tdkt", "smtp-s3cret"
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("config", "config", c)
	if strings.Contains(buf.String(), "smtp-s3cret") {
		t.Fatalf("SMTP password leaked into the log: %s", buf.String())
	}
	if !strings.Contains(buf.String(), "smtp_password=xxxxx") || !strings.Contains(buf.String(), "smtp_username=tdkt") {
		t.Fatalf("SMTP settings missing from the log: %s", buf.String())
	}
}
