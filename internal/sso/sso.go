// Package sso is single sign-on with an OpenID Connect provider (the province's
// identity service, Keycloak, Entra ID…), through github.com/coreos/go-oidc/v3.
//
// The flow is the authorization code flow with state, nonce and PKCE (S256):
//
//  1. GET /login/sso?next=/path sets a short-lived HttpOnly cookie holding a
//     random state, nonce and PKCE verifier (and where to go afterwards), and
//     redirects to the provider's authorization endpoint.
//  2. The provider sends the browser back to the configured redirect URL with a
//     code. The state must match the cookie's; the code is exchanged (with the
//     verifier) for tokens; the ID token's signature (the provider's JWKS),
//     issuer, audience (our client ID) and expiry are verified by go-oidc, and its
//     nonce must be the cookie's.
//  3. The configured claim names the tdkt account, which must exist and be
//     active: nobody is created. httpx.LoginVerified then opens the same session as
//     the password login (app.Service.LoginVerified), under the same lockouts, and
//     the same session cookie is set.
//
// A refusal sends the browser back to /login?sso=<reason>, whose page says why;
// the details go to the log.
package sso

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/gin-gonic/gin"
	"golang.org/x/oauth2"

	"github.com/tdkt/tdkt/internal/app"
	"github.com/tdkt/tdkt/internal/config"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/httpx"
)

const (
	// StartPath begins the flow; the login page links to it.
	StartPath = "/login/sso"
	// flowCookie carries the state, nonce and PKCE verifier between the redirect
	// to the provider and the callback.
	flowCookie = "tdkt_sso"
	// flowTTL is how long a person has to sign in at the provider.
	flowTTL = 10 * time.Minute
)

// Reasons a login is refused, as /login?sso=<reason>; the login page has a message
// for each (login.sso.<reason>).
const (
	ReasonFailed   = "failed"   // the flow or the token did not verify
	ReasonUnknown  = "unknown"  // no active tdkt account for the claimed username
	ReasonLocked   = "locked"   // the account or address is locked out
	ReasonUnit     = "unit"     // the provider's unit is not the account's
	ReasonProvider = "provider" // the provider could not be reached
)

// Handler serves the single sign-on routes.
type Handler struct {
	cfg           config.OIDC
	app           *app.Service
	log           *slog.Logger
	secureCookies bool
	// client makes the calls to the provider (discovery, JWKS, token).
	client   *http.Client
	callback string // the redirect URL's path

	mu       sync.Mutex
	provider *oidc.Provider // discovered on first use, then kept
}

// New returns the handler for cfg. The provider is discovered on first use, so
// that tdkt starts while the provider is down; a failed discovery is retried on
// the next login.
func New(cfg config.OIDC, svc *app.Service, log *slog.Logger, secureCookies bool) (*Handler, error) {
	u, err := url.Parse(cfg.RedirectURL)
	if err != nil || u.Path == "" {
		return nil, fmt.Errorf("sso: redirect URL %q has no path", cfg.RedirectURL)
	}
	return &Handler{cfg: cfg, app: svc, log: log, secureCookies: secureCookies,
		client: &http.Client{Timeout: 15 * time.Second}, callback: u.Path}, nil
}

// Mount registers GET StartPath and GET <redirect URL's path>.
func (h *Handler) Mount(r *gin.Engine) {
	r.GET(StartPath, h.start)
	r.GET(h.callback, h.finish)
}

// discover returns the provider, reading its discovery document the first time.
func (h *Handler) discover(ctx context.Context) (*oidc.Provider, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.provider != nil {
		return h.provider, nil
	}
	p, err := oidc.NewProvider(oidc.ClientContext(context.WithoutCancel(ctx), h.client), h.cfg.Issuer)
	if err != nil {
		return nil, err
	}
	h.provider = p
	return p, nil
}

func (h *Handler) oauth2(p *oidc.Provider) *oauth2.Config {
	return &oauth2.Config{ClientID: h.cfg.ClientID, ClientSecret: h.cfg.ClientSecret, RedirectURL: h.cfg.RedirectURL,
		Endpoint: p.Endpoint(), Scopes: []string{oidc.ScopeOpenID, "profile", "email"}}
}

// flow is what the cookie keeps between the two legs.
type flow struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	Next     string `json:"x"`
}

func random() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// start redirects to the provider's authorization endpoint.
func (h *Handler) start(c *gin.Context) {
	p, err := h.discover(c.Request.Context())
	if err != nil {
		h.refuse(c, ReasonProvider, "discovery", err)
		return
	}
	f := flow{Verifier: oauth2.GenerateVerifier(), Next: httpx.SafeNext(c.Query("next"))}
	if f.State, err = random(); err == nil {
		f.Nonce, err = random()
	}
	if err != nil {
		h.refuse(c, ReasonFailed, "random", err)
		return
	}
	raw, _ := json.Marshal(f)
	// SameSite=Lax: the provider's redirect back is a top-level GET from another
	// site, which must carry the cookie.
	http.SetCookie(c.Writer, &http.Cookie{Name: flowCookie, Value: base64.RawURLEncoding.EncodeToString(raw),
		Path: "/", MaxAge: int(flowTTL.Seconds()), HttpOnly: true, Secure: h.secureCookies, SameSite: http.SameSiteLaxMode})
	c.Header("Cache-Control", "no-store")
	c.Redirect(http.StatusFound, h.oauth2(p).AuthCodeURL(f.State, oidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier)))
}

// finish is the callback: it verifies the answer and opens the session.
func (h *Handler) finish(c *gin.Context) {
	f, ok := h.takeFlow(c)
	if !ok || c.Query("state") != f.State {
		h.refuse(c, ReasonFailed, "state", errors.New("state missing or not this browser's"))
		return
	}
	if e := c.Query("error"); e != "" {
		h.refuse(c, ReasonFailed, "provider answer", fmt.Errorf("%s: %s", e, c.Query("error_description")))
		return
	}
	ctx := oidc.ClientContext(c.Request.Context(), h.client)
	p, err := h.discover(ctx)
	if err != nil {
		h.refuse(c, ReasonProvider, "discovery", err)
		return
	}
	tok, err := h.oauth2(p).Exchange(ctx, c.Query("code"), oauth2.VerifierOption(f.Verifier))
	if err != nil {
		h.refuse(c, ReasonFailed, "code exchange", err)
		return
	}
	rawID, _ := tok.Extra("id_token").(string)
	if rawID == "" {
		h.refuse(c, ReasonFailed, "token response", errors.New("no id_token"))
		return
	}
	// Signature, issuer, audience and expiry.
	idt, err := p.Verifier(&oidc.Config{ClientID: h.cfg.ClientID}).Verify(ctx, rawID)
	if err != nil {
		h.refuse(c, ReasonFailed, "ID token", err)
		return
	}
	if idt.Nonce != f.Nonce {
		h.refuse(c, ReasonFailed, "ID token", errors.New("nonce is not this login's"))
		return
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		h.refuse(c, ReasonFailed, "ID token claims", err)
		return
	}
	username, _ := claims[h.cfg.UsernameClaim].(string)
	if username == "" {
		h.refuse(c, ReasonUnknown, "ID token claims", fmt.Errorf("claim %q missing or not a string (subject %s)", h.cfg.UsernameClaim, idt.Subject))
		return
	}
	var unit string
	if h.cfg.UnitClaim != "" {
		if unit, _ = claims[h.cfg.UnitClaim].(string); unit == "" {
			h.refuse(c, ReasonUnit, "ID token claims", fmt.Errorf("claim %q missing or not a string (user %s)", h.cfg.UnitClaim, username))
			return
		}
	}
	sess, err := httpx.LoginVerified(c, h.app, username, unit)
	switch {
	case domain.IsKind(err, domain.KindTooMany):
		h.refuse(c, ReasonLocked, "login", err)
		return
	case domain.IsKind(err, domain.KindForbidden):
		h.refuse(c, ReasonUnit, "login", err)
		return
	case domain.IsKind(err, domain.KindUnauthorized):
		h.refuse(c, ReasonUnknown, "login", err)
		return
	case err != nil:
		h.log.ErrorContext(c.Request.Context(), "single sign-on: login", "err", err)
		c.AbortWithStatus(http.StatusInternalServerError)
		return
	}
	h.log.InfoContext(c.Request.Context(), "single sign-on login", "user", username, "user_id", sess.User.ID)
	// A browser-session cookie, as the password form sets.
	httpx.SetSessionCookie(c, sess.Token, time.Time{}, h.secureCookies)
	c.Redirect(http.StatusSeeOther, f.Next)
}

// takeFlow reads and clears the flow cookie.
func (h *Handler) takeFlow(c *gin.Context) (flow, bool) {
	var f flow
	v, err := c.Cookie(flowCookie)
	if err != nil || v == "" {
		return f, false
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: flowCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: h.secureCookies, SameSite: http.SameSiteLaxMode})
	raw, err := base64.RawURLEncoding.DecodeString(v)
	if err != nil || json.Unmarshal(raw, &f) != nil || f.State == "" || f.Nonce == "" || f.Verifier == "" {
		return f, false
	}
	f.Next = httpx.SafeNext(f.Next)
	return f, true
}

// refuse logs why and sends the browser to the login page with the reason.
func (h *Handler) refuse(c *gin.Context, reason, step string, err error) {
	h.log.WarnContext(c.Request.Context(), "single sign-on refused", "reason", reason, "step", step, "err", err)
	c.Header("Cache-Control", "no-store")
	c.Redirect(http.StatusSeeOther, "/login?sso="+reason)
}
