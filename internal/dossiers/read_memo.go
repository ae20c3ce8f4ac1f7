package dossiers

import (
	"context"
	"slices"
	"sync"

	"github.com/tdkt/tdkt/internal/domain"
)

// readMemo keeps the dossiers one read-only request has loaded, by ID: the dossier
// page asks Nomination for the same dossier through every part it shows (its
// trail, task, documents, checklist, council, consultation, eligibility…), each a
// batch of three statements. Only loads are kept; who may read is still decided at
// every call.
type readMemo struct {
	mu sync.Mutex
	m  map[string]domain.Nomination
}

type readMemoKey struct{}

// WithReadMemo returns a context under which Nomination loads each dossier once.
// Use it only for a request that changes nothing (a page's GET): a dossier changed
// under it would be answered as first loaded.
func WithReadMemo(ctx context.Context) context.Context {
	return context.WithValue(ctx, readMemoKey{}, &readMemo{m: map[string]domain.Nomination{}})
}

// load returns the dossier from the request's memo, else from the store (kept in
// the memo when there is one). The caller gets its own slices.
func (s *Service) load(ctx context.Context, id string) (domain.Nomination, error) {
	memo, _ := ctx.Value(readMemoKey{}).(*readMemo)
	if memo == nil {
		return s.Store.Nomination(ctx, id)
	}
	memo.mu.Lock()
	n, ok := memo.m[id]
	memo.mu.Unlock()
	if !ok {
		var err error
		if n, err = s.Store.Nomination(ctx, id); err != nil {
			return n, err
		}
		memo.mu.Lock()
		memo.m[id] = n
		memo.mu.Unlock()
	}
	return cloneNomination(n), nil
}

// cloneNomination copies the dossier's slices, so that a caller changing its copy
// does not change the memo's.
func cloneNomination(n domain.Nomination) domain.Nomination {
	n.Route = slices.Clone(n.Route)
	n.MissingItems = slices.Clone(n.MissingItems)
	n.Nominees = slices.Clone(n.Nominees)
	n.Decisions = slices.Clone(n.Decisions)
	for i := range n.Decisions {
		n.Decisions[i].Awardees = slices.Clone(n.Decisions[i].Awardees)
	}
	if len(n.Decisions) > 0 { // the store points Decision at the last one
		n.Decision = &n.Decisions[len(n.Decisions)-1]
	}
	return n
}
