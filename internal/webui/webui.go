// Package webui composes the web UI: the core (internal/web: sessions, CSRF,
// rendering, templates, the dashboard and the shared pages) and the feature page
// packages under internal/web/, each of which registers its own routes.
package webui

import (
	"github.com/tdkt/tdkt/internal/web"
	"github.com/tdkt/tdkt/internal/web/adminpages"
	"github.com/tdkt/tdkt/internal/web/documentpages"
	"github.com/tdkt/tdkt/internal/web/dossierpages"
	"github.com/tdkt/tdkt/internal/web/inboxpages"
	"github.com/tdkt/tdkt/internal/web/reviewpages"
)

// New builds the web UI with every page package mounted; cfg.Pages, when set,
// registers further pages after them.
func New(cfg web.Config) (*web.Server, error) {
	cfg.Pages = append([]web.PageRoutes{
		reviewpages.Routes,
		adminpages.Routes,
		inboxpages.Routes,
		dossierpages.Routes,
		documentpages.Routes,
	}, cfg.Pages...)
	return web.New(cfg)
}
