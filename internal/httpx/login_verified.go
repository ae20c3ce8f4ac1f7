package httpx

import (
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/accounts"
	"github.com/tdkt/tdkt/internal/app"
	"github.com/tdkt/tdkt/internal/domain"
)

// LoginVerified is Login for a person an identity provider has authenticated
// (single sign-on): app.Service.LoginVerified with the client's address, so that
// the address lockout applies, and Retry-After on a lockout.
func LoginVerified(c *gin.Context, svc *app.Service, username, unit string) (accounts.Session, error) {
	sess, err := svc.LoginVerified(accounts.WithClientIP(Ctx(c), c.ClientIP()), username, unit)
	if domain.IsKind(err, domain.KindTooMany) {
		c.Header("Retry-After", strconv.Itoa(int(accounts.LockoutDuration.Seconds())))
	}
	return sess, err
}
