package microauthd

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// AuthClient covers every route of the AUTH plane (default http://127.0.0.1:9040). ClientID/ClientSecret
// authenticate the client (HTTP Basic unless UseForm); the bearer token is kept after each grant.
type AuthClient struct {
	t            *transport
	ClientID     string
	ClientSecret string
	UseForm      bool
}

func NewAuthClient(baseURL, clientID, clientSecret string) *AuthClient {
	return &AuthClient{t: newTransport(baseURL, ""), ClientID: clientID, ClientSecret: clientSecret}
}

func (c *AuthClient) Token() string       { return c.t.token }
func (c *AuthClient) SetToken(tok string) { c.t.token = tok }

// clientRequest adds client authentication to a form request.
func (c *AuthClient) clientRequest(path string, form url.Values) request {
	r := request{method: "POST", path: path, form: form, anonymous: true}
	if c.ClientID == "" {
		return r
	}
	if c.UseForm {
		form.Set("client_id", c.ClientID)
		form.Set("client_secret", c.ClientSecret)
	} else {
		r.headers = map[string]string{"Authorization": basicAuth(c.ClientID, c.ClientSecret)}
	}
	return r
}

func (c *AuthClient) grant(ctx context.Context, path string, form url.Values) (TokenResponse, error) {
	res, err := call[TokenResponse](ctx, c.t, c.clientRequest(path, form))
	if err == nil {
		c.t.token = res.AccessToken
	}
	return res, err
}

func setIf(v url.Values, k, val string) url.Values {
	if val != "" {
		v.Set(k, val)
	}
	return v
}

// ---- info ----

func (c *AuthClient) Ping(ctx context.Context) (map[string]string, error) {
	return call[map[string]string](ctx, c.t, request{method: "GET", path: "/ping", anonymous: true})
}

func (c *AuthClient) Version(ctx context.Context) (map[string]string, error) {
	return call[map[string]string](ctx, c.t, request{method: "GET", path: "/version", anonymous: true})
}

func (c *AuthClient) JWKS(ctx context.Context) (JWKS, error) {
	return call[JWKS](ctx, c.t, request{method: "GET", path: "/jwks.json", anonymous: true})
}

func (c *AuthClient) Discovery(ctx context.Context) (map[string]interface{}, error) {
	return call[map[string]interface{}](ctx, c.t, request{method: "GET", path: "/.well-known/openid-configuration", anonymous: true})
}

// AuthorizationServerMetadata returns the RFC 8414 metadata (/.well-known/oauth-authorization-server): the same
// document as Discovery.
func (c *AuthClient) AuthorizationServerMetadata(ctx context.Context) (map[string]interface{}, error) {
	return call[map[string]interface{}](ctx, c.t, request{method: "GET", path: "/.well-known/oauth-authorization-server", anonymous: true})
}

// PublicKeyPEM returns the current signing key as SPKI PEM (/keys/auth.pem), for proxies that verify with one
// static key.
func (c *AuthClient) PublicKeyPEM(ctx context.Context) (string, error) {
	var pem []byte
	_, err := c.t.do(ctx, request{method: "GET", path: "/keys/auth.pem", anonymous: true}, &pem)
	return string(pem), err
}

// ---- grants ----

func (c *AuthClient) PasswordGrant(ctx context.Context, username, password, totpCode string) (TokenResponse, error) {
	return c.grant(ctx, "/token", setIf(url.Values{"grant_type": {"password"}, "username": {username}, "password": {password}}, "totp_code", totpCode))
}

func (c *AuthClient) Refresh(ctx context.Context, refreshToken string) (TokenResponse, error) {
	return c.grant(ctx, "/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refreshToken}})
}

func (c *AuthClient) ClientCredentials(ctx context.Context, scope string) (TokenResponse, error) {
	return c.grant(ctx, "/token", setIf(url.Values{"grant_type": {"client_credentials"}}, "scope", scope))
}

func (c *AuthClient) OidcToken(ctx context.Context, scope string) (TokenResponse, error) {
	return c.grant(ctx, "/oidc/token", setIf(url.Values{"grant_type": {"client_credentials"}}, "scope", scope))
}

// AuthorizationCodeGrant redeems a code from Finalize (POST /token grant_type=authorization_code); a public
// client (empty ClientSecret) sends only its client_id.
func (c *AuthClient) AuthorizationCodeGrant(ctx context.Context, code, redirectURI, codeVerifier string) (TokenResponse, error) {
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirectURI}, "code_verifier": {codeVerifier}}
	if c.ClientSecret == "" {
		res, err := call[TokenResponse](ctx, c.t, request{method: "POST", path: "/token", form: setIf(form, "client_id", c.ClientID), anonymous: true})
		if err == nil {
			c.t.token = res.AccessToken
		}
		return res, err
	}
	return c.grant(ctx, "/token", form)
}

// AuthorizationURL is the GET /authorize URL to send a user's browser to (the hosted /login and /totp pages, then
// a redirect to RedirectURI with code and state; redeem with AuthorizationCodeGrant). response_type=code; built on
// this client's base URL, so give the client the public one.
func (c *AuthClient) AuthorizationURL(r AuthorizeRequest) string {
	q := url.Values{"response_type": {"code"}}
	for k, v := range c.authorizeForm(r) {
		q[k] = v
	}
	return c.t.baseURL + "/authorize?" + q.Encode()
}

// ---- headless authorization code + PKCE login: Authorize → LoginPassword → (LoginTotp) → Finalize ----

func (c *AuthClient) Authorize(ctx context.Context, r AuthorizeRequest) (PkceAuthorizeResponse, error) {
	return call[PkceAuthorizeResponse](ctx, c.t, request{method: "POST", path: "/authorize", form: c.authorizeForm(r), anonymous: true})
}

func (c *AuthClient) authorizeForm(r AuthorizeRequest) url.Values {
	if r.ClientID == "" {
		r.ClientID = c.ClientID
	}
	if r.CodeChallengeMethod == "" {
		r.CodeChallengeMethod = "S256"
	}
	f := url.Values{"client_id": {r.ClientID}, "redirect_uri": {r.RedirectURI}, "code_challenge": {r.CodeChallenge},
		"code_challenge_method": {r.CodeChallengeMethod}}
	setIf(setIf(setIf(f, "scope", r.Scope), "nonce", r.Nonce), "state", r.State)
	if r.MaxAge > 0 {
		f.Set("max_age", strconv.Itoa(r.MaxAge))
	}
	return f
}

// LoginPassword is the password step; the answer's RequiresTotp says whether LoginTotp must follow.
func (c *AuthClient) LoginPassword(ctx context.Context, jti, username, password string) (PkceAuthorizeResponse, error) {
	return call[PkceAuthorizeResponse](ctx, c.t, request{method: "POST", path: "/login/password", anonymous: true,
		form: url.Values{"jti": {jti}, "username": {username}, "password": {password}}})
}

func (c *AuthClient) LoginTotp(ctx context.Context, jti, totpCode string) (PkceAuthorizeResponse, error) {
	return call[PkceAuthorizeResponse](ctx, c.t, request{method: "POST", path: "/login/totp", anonymous: true,
		form: url.Values{"jti": {jti}, "totp_code": {totpCode}}})
}

func (c *AuthClient) AuthSession(ctx context.Context, jti string) (AuthSessionView, error) {
	return call[AuthSessionView](ctx, c.t, request{method: "GET", path: "/auth-session/" + esc(jti), anonymous: true})
}

// Finalize returns the redirect URI, with code and state, the server answers with (302). A refused login (no
// password step, TOTP pending, unknown or expired jti) is an *APIError 400 "Invalid credentials".
func (c *AuthClient) Finalize(ctx context.Context, jti string) (string, error) {
	res, err := c.t.do(ctx, request{method: "POST", path: "/login/finalize", form: url.Values{"jti": {jti}}, anonymous: true,
		acceptRedirect: true}, nil)
	if err != nil {
		return "", err
	}
	if res.Header.Get("Location") == "" {
		return "", &APIError{Status: res.StatusCode, Message: fmt.Sprintf("expected a redirect from /login/finalize, got HTTP %d", res.StatusCode)}
	}
	return res.Header.Get("Location"), nil
}

// ---- introspection and revocation ----

func (c *AuthClient) Introspect(ctx context.Context, token, hint string) (map[string]interface{}, error) {
	return call[map[string]interface{}](ctx, c.t, c.clientRequest("/introspect", setIf(url.Values{"token": {token}}, "token_type_hint", hint)))
}

func (c *AuthClient) Revoke(ctx context.Context, token, hint string) (MessageResponse, error) {
	return call[MessageResponse](ctx, c.t, c.clientRequest("/revoke", setIf(url.Values{"token": {token}}, "token_type_hint", hint)))
}

// Verify calls GET /verify (forward-auth) and returns the X-Auth-* identity headers. The token must hold every
// scope and any role given (space-separated), and every aud; a refusal is an *APIError 401 or 403. A 2xx answer
// without the X-Auth-Sub header (not microauthd's /verify: another web server at the base URL, say) is an *APIError too.
func (c *AuthClient) Verify(ctx context.Context, token, scope, role string, aud ...string) (http.Header, error) {
	q := setIf(setIf(setIf(url.Values{}, "scope", scope), "role", role), "aud", strings.Join(aud, " "))
	res, err := c.t.do(ctx, request{method: "GET", path: "/verify", query: q, headers: map[string]string{"Authorization": "Bearer " + token}}, nil)
	if err != nil {
		return nil, err
	}
	if _, ok := res.Header["X-Auth-Sub"]; !ok {
		return nil, &APIError{Status: res.StatusCode, Message: fmt.Sprintf(
			"expected the X-Auth-Sub header from GET /verify, got none (HTTP %d); is %s a microauthd auth plane?", res.StatusCode, c.t.baseURL)}
	}
	out := http.Header{}
	for k, v := range res.Header {
		if len(k) > 7 && http.CanonicalHeaderKey(k)[:7] == "X-Auth-" {
			out[k] = v
		}
	}
	return out, nil
}

// ---- self-service (bearer) ----

func (c *AuthClient) Userinfo(ctx context.Context) (map[string]interface{}, error) {
	return call[map[string]interface{}](ctx, c.t, request{method: "GET", path: "/userinfo"})
}

func (c *AuthClient) Me(ctx context.Context) (map[string]interface{}, error) {
	return call[map[string]interface{}](ctx, c.t, request{method: "GET", path: "/me"})
}

func (c *AuthClient) MeSessions(ctx context.Context) ([]SessionResponse, error) {
	return call[[]SessionResponse](ctx, c.t, request{method: "GET", path: "/me/sessions"})
}

func (c *AuthClient) MeRefreshTokens(ctx context.Context) ([]RefreshTokenResponse, error) {
	return call[[]RefreshTokenResponse](ctx, c.t, request{method: "GET", path: "/me/refresh-tokens"})
}

func (c *AuthClient) Whoami(ctx context.Context) (map[string]string, error) {
	return call[map[string]string](ctx, c.t, request{method: "GET", path: "/whoami"})
}

func (c *AuthClient) Logout(ctx context.Context) (MessageResponse, error) {
	return call[MessageResponse](ctx, c.t, request{method: "POST", path: "/logout"})
}

func (c *AuthClient) LogoutAll(ctx context.Context) (MessageResponse, error) {
	return call[MessageResponse](ctx, c.t, request{method: "POST", path: "/logout-all"})
}

// ---- scoped user administration (bearer with admin:* scopes) ----

func (c *AuthClient) ProvisionUser(ctx context.Context, username, email, password string) (UserObject, error) {
	return call[UserObject](ctx, c.t, request{method: "POST", path: "/user", json: map[string]string{"username": username, "email": email, "password": password}})
}

func (c *AuthClient) ResetUserPassword(ctx context.Context, id, newPassword string) (MessageResponse, error) {
	return call[MessageResponse](ctx, c.t, request{method: "POST", path: "/user/" + esc(id) + "/reset", json: map[string]string{"new_password": newPassword}})
}

func (c *AuthClient) DeactivateUser(ctx context.Context, id string) (MessageResponse, error) {
	return call[MessageResponse](ctx, c.t, request{method: "POST", path: "/user/" + esc(id) + "/deactivate"})
}

func (c *AuthClient) ReadUser(ctx context.Context, id string) (UserObject, error) {
	return call[UserObject](ctx, c.t, request{method: "GET", path: "/user/" + esc(id)})
}

func (c *AuthClient) ListUsers(ctx context.Context) ([]UserObject, error) {
	return call[[]UserObject](ctx, c.t, request{method: "GET", path: "/users"})
}
