package main

import "testing"

func TestBrowseURLKeepsTheListenPortAndHost(t *testing.T) {
	for addr, want := range map[string]string{
		":8080":           "http://localhost:8080",
		"0.0.0.0:8080":    "http://localhost:8080",
		"127.0.0.1:18080": "http://127.0.0.1:18080",
		"[::]:9000":       "http://localhost:9000",
		"[::1]:9000":      "http://[::1]:9000",
		"nonsense":        "http://localhost",
	} {
		if got := browseURL(addr); got != want {
			t.Errorf("browseURL(%q) = %q, want %q", addr, got, want)
		}
	}
}
