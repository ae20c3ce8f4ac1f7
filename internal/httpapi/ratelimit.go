package httpapi

import (
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/domain"
)

// RateLimit is a token bucket: Rate requests per second on average and Burst at
// once, per user.
type RateLimit struct {
	Rate  float64
	Burst int
}

// DefaultExpensiveRate lets a user run 2 expensive requests a second on average
// and 20 in a burst: a person paging through lists never meets it; a script
// hammering searches or uploads is slowed to 2 a second.
var DefaultExpensiveRate = RateLimit{Rate: 2, Burst: 20}

// expensiveRoutes are the routes the per-user rate limit covers: lists and
// searches that scan many rows, uploads and imports that carry large bodies and
// exports that render files.
var expensiveRoutes = map[string]bool{
	"GET /api/v1/nominations":                      true,
	"POST /api/v1/nominations/:id/documents":       true,
	"GET /api/v1/deadlines":                        true,
	"GET /api/v1/subjects":                         true,
	"POST /api/v1/history/import":                  true,
	"GET /api/v1/history/export":                   true,
	"GET /api/v1/movements":                        true,
	"GET /api/v1/reviews":                          true,
	"GET /api/v1/reviews/:id/dashboard":            true,
	"GET /api/v1/reviews/:id/reports/:unit/export": true,
	"GET /api/v1/nominations/:id/nominees/export":  true,
	"POST /api/v1/nominations/:id/nominees/import": true,
	"GET /api/v1/admin/users":                      true,
}

// secure applies the engine settings of this file's concern: the reverse proxies
// whose X-Forwarded-For is believed (none unless configured: Gin's default trusts
// every address, so a client could pick its own address and escape the per-address
// login throttle) and the rate limiter.
func (s *Server) secure(r *gin.Engine) {
	if err := r.SetTrustedProxies(s.TrustedProxies); err != nil {
		s.Log.Error("invalid trusted proxies; trusting none", "err", err)
		_ = r.SetTrustedProxies(nil)
	}
	rl := s.ExpensiveRate
	if rl.Rate <= 0 || rl.Burst <= 0 {
		rl = DefaultExpensiveRate
	}
	s.limiter = newRateLimiter(rl, time.Now)
}

// rateLimit refuses an expensive request (see expensiveRoutes) with 429 and
// Retry-After when the user's bucket is empty. The buckets live in this replica's
// memory: with N replicas behind a load balancer a user gets at most N times the
// rate, which is acceptable for a guard against runaway scripts.
func (s *Server) rateLimit(c *gin.Context) {
	if !expensiveRoutes[c.Request.Method+" "+c.FullPath()] {
		c.Next()
		return
	}
	ok, wait := s.limiter.allow(userID(c))
	if !ok {
		c.Header("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		s.fail(c, domain.Errorf(domain.KindTooMany, "too many requests of this kind; slow down"))
		return
	}
	c.Next()
}

// rateLimiter holds one token bucket per user.
type rateLimiter struct {
	rate  float64
	burst float64
	now   func() time.Time

	mu      sync.Mutex
	buckets map[int64]*bucket
	calls   int
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newRateLimiter(rl RateLimit, now func() time.Time) *rateLimiter {
	return &rateLimiter{rate: rl.Rate, burst: float64(rl.Burst), now: now, buckets: map[int64]*bucket{}}
}

// allow takes a token from the user's bucket, or says how long until there is one.
// Every 4096 calls it drops the buckets that have refilled, so memory follows the
// number of recently active users.
func (l *rateLimiter) allow(user int64) (bool, time.Duration) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls++
	if l.calls%4096 == 0 {
		for id, b := range l.buckets {
			if b.tokens+now.Sub(b.last).Seconds()*l.rate >= l.burst {
				delete(l.buckets, id)
			}
		}
	}
	b, ok := l.buckets[user]
	if !ok {
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[user] = b
	}
	b.tokens = math.Min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
}

// AllowExpensive takes a token from the user's bucket of expensive requests, or
// says how long until there is one; the web UI's searches, exports and imports
// share the bucket with the API's. Before Handler has built the limiter it
// allows everything.
func (s *Server) AllowExpensive(userID int64) (bool, time.Duration) {
	if s.limiter == nil {
		return true, 0
	}
	return s.limiter.allow(userID)
}
