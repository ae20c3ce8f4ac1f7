// Package app composes tdkt's feature packages into the one Service that both the
// JSON API and the web UI call, so that every entry point reaches the same use
// cases. It holds no use case of its own: each lives in its feature package
// (dossiers, inbox, nominees, campaigns, awards, admin, accounts, statistics, councils,
// attachments), whose methods
// the Service promotes.
package app

import (
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tdkt/tdkt/internal/accounts"
	"github.com/tdkt/tdkt/internal/admin"
	"github.com/tdkt/tdkt/internal/attachments"
	"github.com/tdkt/tdkt/internal/awards"
	"github.com/tdkt/tdkt/internal/campaigns"
	"github.com/tdkt/tdkt/internal/councils"
	"github.com/tdkt/tdkt/internal/dossiers"
	"github.com/tdkt/tdkt/internal/inbox"
	"github.com/tdkt/tdkt/internal/nominees"
	"github.com/tdkt/tdkt/internal/refdata"
	"github.com/tdkt/tdkt/internal/register"
	"github.com/tdkt/tdkt/internal/statistics"
	"github.com/tdkt/tdkt/internal/usecase"
)

// The feature packages' use cases, named so that Service can embed them all.
type (
	Admin     = admin.Service
	Accounts  = accounts.Service
	History   = awards.Service
	Worklists = inbox.Service
	Dossiers  = dossiers.Service
	Nominees  = nominees.Service
	Reviews   = campaigns.Service
	Forms     = statistics.Service
	Councils  = councils.Service
	Files     = attachments.Service
	RefData   = refdata.Service
)

// Service is the application: the feature packages' use cases over one Base.
type Service struct {
	*usecase.Base
	*Admin
	*Accounts
	*History
	*Worklists
	*Dossiers
	*Nominees
	*Reviews
	*Forms
	*Councils
	*Files
	*RefData
	// Papers is the register of issued documents the web UI issues, signs and
	// verifies documents through.
	Papers *register.Store
}

// New wires the feature packages over one pool and one Base.
func New(pool *pgxpool.Pool, base *usecase.Base) *Service {
	ad := admin.New(base, admin.NewStore(pool))
	ac := accounts.New(base, accounts.NewStore(pool), ad)
	aw := awards.New(base, awards.NewStore(pool), ad)
	rd := refdata.New(base, refdata.NewStore(pool), ad)
	in := inbox.New(base, inbox.NewStore(pool), ad, rd)
	do := dossiers.New(base, dossiers.NewStore(pool), ad, ac, aw, in, rd)
	return &Service{
		Base: base, Admin: ad, RefData: rd, Accounts: ac, History: aw, Worklists: in, Dossiers: do,
		Nominees: nominees.New(base, nominees.NewStore(pool), do, aw),
		Reviews:  campaigns.New(base, campaigns.NewStore(pool), ad, ac),
		Forms:    statistics.New(base, statistics.NewStore(pool), ad.Store),
		Councils: councils.New(base, councils.NewStore(pool), do),
		Files:    attachments.New(base, attachments.NewStore(pool), do),
		Papers:   register.NewStore(pool),
	}
}
