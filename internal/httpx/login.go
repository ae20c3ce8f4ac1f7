package httpx

import (
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/accounts"
	"github.com/tdkt/tdkt/internal/app"
	"github.com/tdkt/tdkt/internal/domain"
)

// Login is the one login path of the API and the web UI: it runs
// app.Service.Login with the client's address (from the connection, or from a
// trusted proxy's X-Forwarded-For), so that the per-address lockout counts and
// applies to both. A locked account or address is KindTooMany and the answer
// carries Retry-After. The caller sets the session cookie (SetSessionCookie) and
// answers in its own form.
func Login(c *gin.Context, svc *app.Service, username, password string) (accounts.Session, error) {
	sess, err := svc.Login(accounts.WithClientIP(Ctx(c), c.ClientIP()), username, password)
	if domain.IsKind(err, domain.KindTooMany) {
		c.Header("Retry-After", strconv.Itoa(int(accounts.LockoutDuration.Seconds())))
	}
	return sess, err
}
