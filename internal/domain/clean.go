package domain

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Clean normalises user text to NFC and trims it, so Vietnamese text typed on
// different keyboards compares and round-trips the same.
func Clean(s string) string { return strings.TrimSpace(norm.NFC.String(s)) }
