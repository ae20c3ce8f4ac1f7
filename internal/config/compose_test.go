package config

import (
	"os"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestComposeSetsOnlyVariablesTheConfigReads parses docker-compose.yml and checks
// that every environment variable it gives a tdkt service (image tdkt:…, the
// shared x-tdkt-env block merged in) is one Load reads: a misspelt or removed
// variable would otherwise be ignored silently in production.
func TestComposeSetsOnlyVariablesTheConfigReads(t *testing.T) {
	raw, err := os.ReadFile("../../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	var compose struct {
		Services map[string]struct {
			Image       string         `yaml:"image"`
			Environment map[string]any `yaml:"environment"`
		} `yaml:"services"`
	}
	if err := yaml.Unmarshal(raw, &compose); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	read := map[string]bool{}
	if _, err := Load(func(k string) string { read[k] = true; return "" }, nil); err != nil {
		t.Fatal(err)
	}
	checked := 0
	for name, svc := range compose.Services {
		if !strings.HasPrefix(svc.Image, "tdkt") {
			continue
		}
		if len(svc.Environment) == 0 {
			t.Errorf("service %s sets no environment", name)
		}
		for k := range svc.Environment {
			checked++
			if !read[k] {
				t.Errorf("docker-compose.yml service %s sets %s, which the configuration does not read", name, k)
			}
		}
	}
	var names []string
	for n, s := range compose.Services {
		if strings.HasPrefix(s.Image, "tdkt") {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{"api", "migrate", "temporal", "worker"}) || checked < 20 {
		t.Fatalf("tdkt services %v with %d variables: the parse missed some", names, checked)
	}
}
