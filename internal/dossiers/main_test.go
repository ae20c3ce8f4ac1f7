package dossiers_test

import (
	"testing"

	"github.com/tdkt/tdkt/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }
