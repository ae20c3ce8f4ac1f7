package postgres_test

import (
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tdkt/tdkt/internal/postgres"
)

func TestServerSettingsTurnJITOffUnlessTheURLSetsIt(t *testing.T) {
	for _, c := range []struct{ url, want string }{
		{"postgres://u@h/db", "off"},
		{"postgres://u@h/db?jit=on", "on"},
		{"postgres://u@h/db?jit=off", "off"},
	} {
		pc, err := pgxpool.ParseConfig(c.url)
		if err != nil {
			t.Fatal(err)
		}
		postgres.ServerSettings(pc)
		if got := pc.ConnConfig.RuntimeParams["jit"]; got != c.want {
			t.Errorf("%s: jit %q, want %q", c.url, got, c.want)
		}
	}
}
