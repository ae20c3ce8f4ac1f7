package httpx

import (
	"net/url"
	"strings"
)

// SafeNext keeps a post-login target only when it is a path on this site, so that
// a login link cannot be used to send users elsewhere; "/" otherwise.
func SafeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.Contains(next, `\`) {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return "/"
	}
	return next
}
