package authz_test

import (
	"testing"

	"github.com/tdkt/tdkt/internal/authz"
	"github.com/tdkt/tdkt/internal/authz/national"
)

// BenchmarkAllowNational asks the questions of national.Requests on a national tree with
// 100,000 role assignments, through the per-(object, action) partitions (what Allow
// does) and through the enforcer holding the whole policy (what Allow did before).
func BenchmarkAllowNational(b *testing.B) {
	tree, err := national.Generate(100_000, 1)
	if err != nil {
		b.Fatal(err)
	}
	e, err := authz.New(tree.Units, tree.Assignments)
	if err != nil {
		b.Fatal(err)
	}
	reqs := national.Requests(tree, 100_000, 2)
	for _, c := range []struct {
		name  string
		allow func(int64, string, string, string) (bool, error)
	}{
		{"partitions", e.Allow},
		{"whole_policy", e.AllowWholePolicy},
	} {
		b.Run(c.name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				r := reqs[i%len(reqs)]
				if _, err := c.allow(r.User, r.Unit, r.Obj, r.Act); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// BenchmarkNew builds the enforcer of a national tree with 100,000 role assignments.
func BenchmarkNew(b *testing.B) {
	tree, err := national.Generate(100_000, 1)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := authz.New(tree.Units, tree.Assignments); err != nil {
			b.Fatal(err)
		}
	}
}
