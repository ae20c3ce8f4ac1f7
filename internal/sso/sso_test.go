package sso_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/go-jose/go-jose/v4"

	"github.com/tdkt/tdkt/internal/accounts"
	"github.com/tdkt/tdkt/internal/admin"
	"github.com/tdkt/tdkt/internal/app"
	"github.com/tdkt/tdkt/internal/config"
	"github.com/tdkt/tdkt/internal/httpx"
	"github.com/tdkt/tdkt/internal/pgtest"
	"github.com/tdkt/tdkt/internal/seed"
	"github.com/tdkt/tdkt/internal/sso"
	"github.com/tdkt/tdkt/internal/usecase"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

const clientID, clientSecret = "tdkt-web", "s3cret"

// provider is an OpenID Connect provider: discovery, JWKS, an authorization
// endpoint that signs the person in at once, and a token endpoint that checks the
// code, the client and the PKCE verifier. mint shapes the ID token it issues.
type provider struct {
	srv  *httptest.Server
	key  *rsa.PrivateKey
	mu   sync.Mutex
	code map[string]grant
	// mint lets a test change the ID token's claims or signing key.
	mint func(claims map[string]any) (map[string]any, *rsa.PrivateKey)
}

type grant struct{ nonce, challenge, redirect string }

func newProvider(t *testing.T) *provider {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p := &provider{key: key, code: map[string]grant{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, map[string]any{
			"issuer": p.srv.URL, "authorization_endpoint": p.srv.URL + "/authorize", "token_endpoint": p.srv.URL + "/token",
			"jwks_uri": p.srv.URL + "/jwks", "response_types_supported": []string{"code"}, "subject_types_supported": []string{"public"},
			"id_token_signing_alg_values_supported": []string{"RS256"}, "code_challenge_methods_supported": []string{"S256"},
		})
	})
	mux.HandleFunc("GET /jwks", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
	})
	mux.HandleFunc("GET /authorize", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Get("client_id") != clientID || q.Get("response_type") != "code" || q.Get("code_challenge_method") != "S256" ||
			q.Get("state") == "" || q.Get("nonce") == "" || !strings.Contains(q.Get("scope"), "openid") {
			http.Error(w, "bad authorization request: "+r.URL.RawQuery, http.StatusBadRequest)
			return
		}
		code := rand.Text()
		p.mu.Lock()
		p.code[code] = grant{nonce: q.Get("nonce"), challenge: q.Get("code_challenge"), redirect: q.Get("redirect_uri")}
		p.mu.Unlock()
		http.Redirect(w, r, q.Get("redirect_uri")+"?code="+code+"&state="+url.QueryEscape(q.Get("state")), http.StatusFound)
	})
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		id, secret, ok := r.BasicAuth()
		if !ok {
			id, secret = r.PostFormValue("client_id"), r.PostFormValue("client_secret")
		}
		p.mu.Lock()
		g, found := p.code[r.PostFormValue("code")]
		delete(p.code, r.PostFormValue("code"))
		p.mu.Unlock()
		sum := sha256.Sum256([]byte(r.PostFormValue("code_verifier")))
		if id != clientID || secret != clientSecret || !found || g.redirect != r.PostFormValue("redirect_uri") ||
			base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"error":"invalid_grant"}`) //nolint:errcheck // test server
			return
		}
		now := time.Now()
		claims := map[string]any{"iss": p.srv.URL, "sub": "person-1", "aud": clientID, "nonce": g.nonce,
			"iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(), "preferred_username": "cb.xa", "unit": "X"}
		signer := p.key
		if p.mint != nil {
			claims, signer = p.mint(claims)
		}
		writeJSON(w, map[string]any{"access_token": "at", "token_type": "Bearer", "expires_in": 300, "id_token": sign(t, signer, claims)})
	})
	p.srv = httptest.NewServer(mux)
	t.Cleanup(p.srv.Close)
	return p
}

func sign(t *testing.T, key *rsa.PrivateKey, claims map[string]any) string {
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key}, (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", "k1"))
	if err != nil {
		t.Fatal(err)
	}
	payload, _ := json.Marshal(claims)
	jws, err := s.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	out, err := jws.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v) //nolint:errcheck // test server
}

// fixture is tdkt with single sign-on in front of a real database holding the
// accounts cb.xa (unit X), cu.xa (deactivated) and khoa.xa (locked out).
type fixture struct {
	idp  *provider
	tdkt *httptest.Server
	svc  *app.Service
	ids  map[string]int64
	cfg  config.OIDC
}

func newFixture(t *testing.T, unitClaim string) *fixture {
	pool := pgtest.NewPool(t)
	ctx := context.Background()
	if err := seed.Reference(ctx, pool); err != nil {
		t.Fatal(err)
	}
	f := &fixture{idp: newProvider(t), ids: map[string]int64{}}
	if _, err := pool.Exec(ctx, `INSERT INTO units (id, name, level, kind) VALUES ('X', 'UBND xã X', 'commune', 'people_committee'), ('Y', 'UBND xã Y', 'commune', 'people_committee')`); err != nil {
		t.Fatal(err)
	}
	for _, u := range []struct {
		name   string
		active bool
	}{{"cb.xa", true}, {"cu.xa", false}, {"khoa.xa", true}} {
		var id int64
		if err := pool.QueryRow(ctx, `INSERT INTO users (username, full_name, password_hash, unit_id, active) VALUES ($1, $1, 'x', 'X', $2) RETURNING id`,
			u.name, u.active).Scan(&id); err != nil {
			t.Fatal(err)
		}
		f.ids[u.name] = id
	}
	st := accounts.NewStore(pool)
	now := time.Now()
	if err := st.Lock(ctx, admin.LockAccount, "khoa.xa", now, now.Add(accounts.LockoutDuration)); err != nil {
		t.Fatal(err)
	}
	f.svc = app.New(pool, &usecase.Base{SessionTTL: time.Hour, PasswordLoginDisabled: true})
	var handler http.Handler
	f.tdkt = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	t.Cleanup(f.tdkt.Close)
	f.cfg = config.OIDC{Issuer: f.idp.srv.URL, ClientID: clientID, ClientSecret: clientSecret,
		RedirectURL: f.tdkt.URL + "/login/sso/callback", UsernameClaim: "preferred_username", UnitClaim: unitClaim}
	h, err := sso.New(f.cfg, f.svc, slog.New(slog.NewTextHandler(io.Discard, nil)), false)
	if err != nil {
		t.Fatal(err)
	}
	gin.SetMode(gin.TestMode)
	r := gin.New()
	h.Mount(r)
	handler = r
	return f
}

// login runs the browser's side of the flow from /login/sso?next=/inbox: it
// follows each redirect by hand and returns where tdkt finally sends the browser
// and the session cookie it set, if any.
func (f *fixture) login(t *testing.T, tamper func(callback *url.URL)) (location, session string) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	next := f.tdkt.URL + sso.StartPath + "?next=" + url.QueryEscape("/inbox")
	for hop := 0; hop < 4; hop++ {
		u, _ := url.Parse(next)
		if tamper != nil && u.Path == "/login/sso/callback" {
			tamper(u)
		}
		resp, err := c.Get(u.String())
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode/100 != 3 {
			t.Fatalf("GET %s: %d %s", u, resp.StatusCode, body)
		}
		for _, ck := range resp.Cookies() {
			if ck.Name == httpx.SessionCookie && ck.MaxAge >= 0 {
				session = ck.Value
			}
		}
		next = resp.Header.Get("Location")
		if !strings.HasPrefix(next, "http") { // back on tdkt's pages: the flow is over
			return next, session
		}
	}
	t.Fatalf("no end to the redirects at %s", next)
	return "", ""
}

func TestSSOLogin(t *testing.T) {
	if err := pgtest.Available(); err != nil {
		t.Skip("no PostgreSQL:", err)
	}
	f := newFixture(t, "unit")
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("good login opens the password login's session", func(t *testing.T) {
		f.idp.mint = nil
		loc, tok := f.login(t, nil)
		if loc != "/inbox" || tok == "" {
			t.Fatalf("went to %q with session %q, want /inbox with a session", loc, tok)
		}
		id, err := f.svc.Authenticate(context.Background(), tok)
		if err != nil || id != f.ids["cb.xa"] {
			t.Fatalf("session authenticates as %d (%v), want cb.xa = %d", id, err, f.ids["cb.xa"])
		}
		if err := f.svc.Logout(context.Background(), tok); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Authenticate(context.Background(), tok); err == nil {
			t.Fatal("the session outlived its logout")
		}
	})

	refused := []struct {
		name, want string
		mint       func(map[string]any) (map[string]any, *rsa.PrivateKey)
		tamper     func(*url.URL)
	}{
		{"bad signature", "failed", func(c map[string]any) (map[string]any, *rsa.PrivateKey) { return c, other }, nil},
		{"wrong audience", "failed", func(c map[string]any) (map[string]any, *rsa.PrivateKey) {
			c["aud"] = "another-client"
			return c, f.idp.key
		}, nil},
		{"expired token", "failed", func(c map[string]any) (map[string]any, *rsa.PrivateKey) {
			c["iat"], c["exp"] = time.Now().Add(-time.Hour).Unix(), time.Now().Add(-30*time.Minute).Unix()
			return c, f.idp.key
		}, nil},
		{"wrong issuer", "failed", func(c map[string]any) (map[string]any, *rsa.PrivateKey) {
			c["iss"] = "https://idp.example.org"
			return c, f.idp.key
		}, nil},
		{"replayed nonce", "failed", func(c map[string]any) (map[string]any, *rsa.PrivateKey) {
			c["nonce"] = "from-another-login"
			return c, f.idp.key
		}, nil},
		{"forged state", "failed", nil, func(u *url.URL) {
			q := u.Query()
			q.Set("state", "attacker")
			u.RawQuery = q.Encode()
		}},
		{"unknown user", "unknown", func(c map[string]any) (map[string]any, *rsa.PrivateKey) {
			c["preferred_username"] = "nobody"
			return c, f.idp.key
		}, nil},
		{"deactivated user", "unknown", func(c map[string]any) (map[string]any, *rsa.PrivateKey) {
			c["preferred_username"] = "cu.xa"
			return c, f.idp.key
		}, nil},
		{"locked account", "locked", func(c map[string]any) (map[string]any, *rsa.PrivateKey) {
			c["preferred_username"] = "khoa.xa"
			return c, f.idp.key
		}, nil},
		{"unit differs", "unit", func(c map[string]any) (map[string]any, *rsa.PrivateKey) {
			c["unit"] = "Y"
			return c, f.idp.key
		}, nil},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			f.idp.mint = tc.mint
			loc, tok := f.login(t, tc.tamper)
			if loc != "/login?sso="+tc.want || tok != "" {
				t.Fatalf("went to %q with session %q, want /login?sso=%s and no session", loc, tok, tc.want)
			}
		})
	}
	f.idp.mint = nil

	t.Run("password login disabled", func(t *testing.T) {
		_, err := f.svc.Login(context.Background(), "cb.xa", "x")
		if !errors.Is(err, accounts.ErrPasswordLoginDisabled) {
			t.Fatalf("password login with it disabled: %v", err)
		}
	})
}
