package national

import (
	"math/rand/v2"
	"slices"
	"time"

	"github.com/tdkt/tdkt/internal/authz"
)

// Request is one authorization question.
type Request struct {
	User     int64
	Unit     string
	Obj, Act string
}

// Requests draws n questions as the application asks them: a role holder acting on a
// dossier of its own unit (half of them), reading a dossier or the tree somewhere in
// the country (a quarter: below its unit, or elsewhere and denied), or asking for an
// action its role does not have (a quarter: denied).
func Requests(t Tree, n int, seed uint64) []Request {
	rng := rand.New(rand.NewPCG(seed, seed+1))
	own := map[string][]string{ // a role's own-unit actions on a dossier
		authz.RoleClerk:            {authz.ActionCreate, authz.ActionEdit, authz.ActionSubmit},
		authz.RoleUnitHead:         {authz.ActionSubmit, authz.ActionWithdraw},
		authz.RoleAppraiser:        {authz.ActionAppraise},
		authz.RoleCouncilMember:    {authz.ActionVote},
		authz.RoleCouncilSecretary: {authz.ActionRecord},
		authz.RoleCouncilChair:     {authz.ActionVote, authz.ActionRecord},
		authz.RoleDecider:          {authz.ActionDecide, authz.ActionForward},
	}
	denied := []string{authz.ActionDecide, authz.ActionAppraise, authz.ActionVote, authz.ActionEdit}
	out := make([]Request, 0, n)
	for range n {
		a := t.Assignments[rng.IntN(len(t.Assignments))]
		switch k := rng.IntN(4); {
		case k < 2:
			acts := own[a.Role]
			if len(acts) == 0 {
				acts = []string{authz.ActionRead}
			}
			out = append(out, Request{a.UserID, a.UnitID, authz.ObjectNomination, acts[rng.IntN(len(acts))]})
		case k == 2:
			obj := authz.ObjectNomination
			if rng.IntN(2) == 0 {
				obj = authz.ObjectUnit
			}
			out = append(out, Request{a.UserID, t.CommuneIDs[rng.IntN(len(t.CommuneIDs))], obj, authz.ActionRead})
		default:
			out = append(out, Request{a.UserID, a.UnitID, authz.ObjectNomination, denied[rng.IntN(len(denied))]})
		}
	}
	return out
}

// Latencies summarises timed calls.
type Latencies struct {
	N                        int
	P50, P95, P99, P999, Max time.Duration
	// PerSecond is the number of calls per second of the whole run.
	PerSecond float64
	// Allowed counts the calls answered true.
	Allowed int
}

// Summarise computes the percentiles of the samples (sorted in place) taken over wall.
func Summarise(samples []time.Duration, wall time.Duration) Latencies {
	if len(samples) == 0 {
		return Latencies{}
	}
	slices.Sort(samples)
	at := func(q float64) time.Duration { return samples[min(len(samples)-1, int(q*float64(len(samples))))] }
	l := Latencies{N: len(samples), P50: at(0.50), P95: at(0.95), P99: at(0.99), P999: at(0.999), Max: samples[len(samples)-1]}
	if wall > 0 {
		l.PerSecond = float64(len(samples)) / wall.Seconds()
	}
	return l
}

// MeasureDecisions asks every request once through allow, timing each call, and
// returns the latency summary. The error is the first error allow returned.
func MeasureDecisions(allow func(user int64, unit, obj, act string) (bool, error), reqs []Request) (Latencies, error) {
	samples := make([]time.Duration, len(reqs))
	allowed := 0
	start := time.Now()
	for i, r := range reqs {
		t0 := time.Now()
		ok, err := allow(r.User, r.Unit, r.Obj, r.Act)
		samples[i] = time.Since(t0)
		if err != nil {
			return Latencies{}, err
		}
		if ok {
			allowed++
		}
	}
	l := Summarise(samples, time.Since(start))
	l.Allowed = allowed
	return l, nil
}
