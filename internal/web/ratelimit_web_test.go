package web_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/e2etest"
	"github.com/tdkt/tdkt/internal/httpapi"
	"github.com/tdkt/tdkt/internal/web"
	"github.com/tdkt/tdkt/internal/webui"
)

// TestSearchPagesShareTheUsersRateLimit: with the API's bucket at two requests,
// the web's dossier search answers 429 with Retry-After and a page that says so
// on the third request; cheap pages and other users are not affected.
func TestSearchPagesShareTheUsersRateLimit(t *testing.T) {
	var api *httpapi.Server
	e := e2etest.Start(t, e2etest.WithClock(beforeReform),
		e2etest.WithServer(func(s *httpapi.Server) {
			api = s
			s.ExpensiveRate = httpapi.RateLimit{Rate: 0.01, Burst: 2}
		}),
		e2etest.WithMount(func(e *e2etest.Env) (func(*gin.Engine), error) {
			ui, err := webui.New(web.Config{App: e.Service, Log: e.Log, Calendar: e.Service.RefData.Store.LoadCalendar,
				Limit: func(id int64) (bool, time.Duration) { return api.AllowExpensive(id) }})
			if err != nil {
				return nil, err
			}
			return ui.Mount, nil
		}))
	b := &bundle{t: t, pool: e.Pool, url: e.URL, svc: e.Service}
	clerk := b.login("xa.clerk")
	clerk.get("/dossiers?q=khen").must(t, http.StatusOK)
	clerk.get("/history?q=Lan").must(t, http.StatusOK)
	p := clerk.get("/dossiers?q=khen").must(t, http.StatusTooManyRequests).has(t, "Quá nhiều yêu cầu")
	if p.header.Get("Retry-After") == "" {
		t.Fatal("429 without Retry-After")
	}
	clerk.get("/inbox").must(t, http.StatusOK)
	b.login("xa.head").get("/dossiers").must(t, http.StatusOK)
}
