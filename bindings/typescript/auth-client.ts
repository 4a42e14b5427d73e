import { MadApiError } from './models.js';
import { Transport, type TransportOptions } from './transport.js';
import type {
  AuthorizationCodeGrantRequest, AuthorizeRequest, AuthSessionView, PkceAuthorizeResponse,
  ClientCredentials, IntrospectionResponse, Jwks, MeResponse, MessageResponse, PasswordGrantRequest, PingResponse,
  RefreshTokenResponse, SessionResponse, TokenResponse, UserInfoResponse, VersionResponse,
  UserObject,
} from './models.js';

/** Form fields and headers for client authentication: HTTP Basic (form-encoded parts) or form fields. */
function clientAuth(c: ClientCredentials, form: Record<string, string | undefined>): { form: Record<string, string | undefined>; headers: Record<string, string> } {
  if (!c.basic) return { form: { ...form, client_id: c.clientId, client_secret: c.clientSecret }, headers: {} };
  const part = (v: string): string => new URLSearchParams({ v }).toString().slice(2);
  // The parts are form-encoded first, so they are ASCII and btoa applies directly.
  const basic = btoa(`${part(c.clientId)}:${part(c.clientSecret)}`);
  return { form, headers: { Authorization: `Basic ${basic}` } };
}

/**
 * Client for every route of the AUTH plane (default http://127.0.0.1:9040): token grants,
 * introspection, revocation, self-service routes, discovery and JWKS.
 */
export class AuthClient {
  readonly transport: Transport;

  constructor(options: TransportOptions | string) {
    this.transport = new Transport(typeof options === 'string' ? { baseUrl: options } : options);
  }

  get token(): string | undefined {
    return this.transport.token;
  }

  set token(value: string | undefined) {
    this.transport.token = value;
  }

  ping(): Promise<PingResponse> {
    return this.transport.request({ method: 'GET', path: '/ping', anonymous: true });
  }

  version(): Promise<VersionResponse> {
    return this.transport.request({ method: 'GET', path: '/version', anonymous: true });
  }

  jwks(): Promise<Jwks> {
    return this.transport.request({ method: 'GET', path: '/jwks.json', anonymous: true });
  }

  discovery(): Promise<Record<string, unknown>> {
    return this.transport.request({ method: 'GET', path: '/.well-known/openid-configuration', anonymous: true });
  }

  /** RFC 8414 metadata (`/.well-known/oauth-authorization-server`): the same document as discovery. */
  authorizationServerMetadata(): Promise<Record<string, unknown>> {
    return this.transport.request({ method: 'GET', path: '/.well-known/oauth-authorization-server', anonymous: true });
  }

  /** The current signing key as SPKI PEM (`/keys/auth.pem`), for proxies that verify with one static key. */
  publicKeyPem(): Promise<string> {
    return this.transport.request({ method: 'GET', path: '/keys/auth.pem', anonymous: true, expectJson: false });
  }

  /**
   * `GET /verify` (forward-auth): checks `token` on the server — signature, issuer, expiry, access token,
   * not revoked — and the optional requirements (every `scope`, any `role`, every `aud`; space-separated).
   * Returns the `x-auth-*` identity headers; a refusal throws MadApiError 401 or 403. A 2xx answer without the
   * X-Auth-Sub header (not microauthd's /verify: another web server at the base URL, say) throws MadApiError too.
   */
  async verify(token: string, require: { scope?: string; role?: string; aud?: string } = {}): Promise<Record<string, string>> {
    const res = await this.transport.raw({ method: 'GET', path: '/verify', anonymous: true, headers: { Authorization: `Bearer ${token}` },
      query: { scope: require.scope, role: require.role, aud: require.aud }, expectJson: false });
    if (!res.headers.has('x-auth-sub')) {
      throw new MadApiError(res.status,
        `expected the X-Auth-Sub header from GET /verify, got none (HTTP ${res.status}); is ${this.transport.baseUrl} a microauthd auth plane?`, res.body);
    }
    const identity: Record<string, string> = {};
    res.headers.forEach((value, name) => {
      if (name.startsWith('x-auth-')) identity[name] = value;
    });
    return identity;
  }

  // ---- token grants, introspection, revocation, self-service (auth plane issue) ----

  private grant(c: ClientCredentials, path: string, form: Record<string, string | undefined>): Promise<TokenResponse> {
    const auth = clientAuth(c, form);
    return this.transport.request({ method: 'POST', path, anonymous: true, headers: auth.headers, body: { form: auth.form } });
  }

  /** `POST /token` grant_type=password (with `totp_code` when the client requires TOTP). */
  passwordGrant(r: PasswordGrantRequest): Promise<TokenResponse> {
    return this.grant(r, '/token', { grant_type: 'password', username: r.username, password: r.password, totp_code: r.totpCode });
  }

  /** `POST /token` grant_type=refresh_token: one-time use; the answer carries the successor. */
  refresh(c: ClientCredentials & { refreshToken: string }): Promise<TokenResponse> {
    return this.grant(c, '/token', { grant_type: 'refresh_token', refresh_token: c.refreshToken });
  }

  /** `POST /token` grant_type=client_credentials, optionally narrowing the client's scopes. */
  clientCredentials(c: ClientCredentials & { scope?: string }): Promise<TokenResponse> {
    return this.grant(c, '/token', { grant_type: 'client_credentials', scope: c.scope });
  }

  /** `POST /oidc/token` (client_credentials; failures are 403 `Invalid credentials`). */
  oidcToken(c: ClientCredentials & { scope?: string }): Promise<TokenResponse> {
    return this.grant(c, '/oidc/token', { grant_type: 'client_credentials', scope: c.scope });
  }

  /** `POST /introspect` (RFC 7662) as the given client. */
  introspect(c: ClientCredentials & { token: string; tokenTypeHint?: 'access_token' | 'refresh_token' }): Promise<IntrospectionResponse> {
    const auth = clientAuth(c, { token: c.token, token_type_hint: c.tokenTypeHint });
    return this.transport.request({ method: 'POST', path: '/introspect', anonymous: true, headers: auth.headers, body: { form: auth.form } });
  }

  /** `POST /revoke` (RFC 7009) as the given client; 200 even for unknown tokens. */
  revoke(c: ClientCredentials & { token: string; tokenTypeHint?: 'access_token' | 'refresh_token' }): Promise<MessageResponse> {
    const auth = clientAuth(c, { token: c.token, token_type_hint: c.tokenTypeHint });
    return this.transport.request({ method: 'POST', path: '/revoke', anonymous: true, headers: auth.headers, body: { form: auth.form } });
  }

  /** The bearer routes below use `token` (an auth-plane access token). */
  userinfo(): Promise<UserInfoResponse> {
    return this.transport.request({ method: 'GET', path: '/userinfo' });
  }

  me(): Promise<MeResponse> {
    return this.transport.request({ method: 'GET', path: '/me' });
  }

  meSessions(): Promise<SessionResponse[]> {
    return this.transport.request({ method: 'GET', path: '/me/sessions' });
  }

  meRefreshTokens(): Promise<RefreshTokenResponse[]> {
    return this.transport.request({ method: 'GET', path: '/me/refresh-tokens' });
  }

  whoami(): Promise<{ message: string }> {
    return this.transport.request({ method: 'GET', path: '/whoami' });
  }

  /** Revokes this user's sessions and refresh tokens for the token's client. */
  logout(): Promise<MessageResponse> {
    return this.transport.request({ method: 'POST', path: '/logout' });
  }

  /** Revokes every auth-plane session and refresh token of this user. */
  logoutAll(): Promise<MessageResponse> {
    return this.transport.request({ method: 'POST', path: '/logout-all' });
  }

  // ---- headless authorization code + PKCE flow (browser login issue) ----

  /**
   * The `GET /authorize` URL to send a user's browser to (the hosted /login and /totp pages, then a redirect to
   * `redirectUri` with `code` and `state`; redeem with authorizationCodeGrant). `response_type=code`; built on this
   * client's base URL, so give the client the public one.
   */
  authorizationUrl(r: AuthorizeRequest): string {
    const url = new URL(`${this.transport.baseUrl}/authorize`);
    const params: Record<string, string | undefined> = { response_type: 'code', client_id: r.clientId, redirect_uri: r.redirectUri,
      code_challenge: r.codeChallenge, code_challenge_method: r.codeChallengeMethod ?? 'S256', scope: r.scope, nonce: r.nonce,
      state: r.state, max_age: r.maxAge === undefined ? undefined : String(r.maxAge) };
    for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
    return url.toString();
  }

  /** `POST /authorize`: opens a login (headless). */
  authorize(r: AuthorizeRequest): Promise<PkceAuthorizeResponse> {
    return this.transport.request({ method: 'POST', path: '/authorize', anonymous: true, body: { form: {
      client_id: r.clientId, redirect_uri: r.redirectUri, code_challenge: r.codeChallenge, code_challenge_method: r.codeChallengeMethod,
      scope: r.scope, nonce: r.nonce, state: r.state, max_age: r.maxAge === undefined ? undefined : String(r.maxAge) } } });
  }

  /** `POST /login/password`: the password step of a login. */
  loginPassword(jti: string, username: string, password: string): Promise<PkceAuthorizeResponse> {
    return this.transport.request({ method: 'POST', path: '/login/password', anonymous: true, body: { form: { jti, username, password } } });
  }

  /** `POST /login/totp`: the TOTP step, when `requires_totp` was true. */
  loginTotp(jti: string, totpCode: string): Promise<PkceAuthorizeResponse> {
    return this.transport.request({ method: 'POST', path: '/login/totp', anonymous: true, body: { form: { jti, totp_code: totpCode } } });
  }

  /** `GET /auth-session/{jti}`. */
  authSession(jti: string): Promise<AuthSessionView> {
    return this.transport.request({ method: 'GET', path: `/auth-session/${encodeURIComponent(jti)}`, anonymous: true });
  }

  /**
   * `POST /login/finalize`: the redirect URI (with `code` and `state`) the server answers with. A refused
   * login (no password step, TOTP pending, unknown or expired jti) throws MadApiError 400 `Invalid credentials`.
   */
  async finalize(jti: string): Promise<string> {
    const res = await this.transport.raw({ method: 'POST', path: '/login/finalize', anonymous: true, acceptRedirect: true, expectJson: false,
      body: { form: { jti } } });
    const location = res.headers.get('location');
    if (res.status < 300 || !location) throw new MadApiError(res.status, `expected a redirect, got HTTP ${res.status}`, res.body);
    return location;
  }

  /** `POST /token` grant_type=authorization_code; a public client passes an empty `clientSecret`. */
  authorizationCodeGrant(c: ClientCredentials, r: AuthorizationCodeGrantRequest): Promise<TokenResponse> {
    const form = { grant_type: 'authorization_code', code: r.code, redirect_uri: r.redirectUri, code_verifier: r.codeVerifier };
    if (!c.clientSecret) {
      return this.transport.request({ method: 'POST', path: '/token', anonymous: true, body: { form: { ...form, client_id: c.clientId } } });
    }
    return this.grant(c, '/token', form);
  }

  // ---- end auth plane ----

  // ---- auth part A: scoped user administration (POST /user, /user/{id}/reset, /user/{id}/deactivate, GET /user/{id}, GET /users) ----

  /** Needs `admin:provision_users` in the bearer token's scope. */
  provisionUser(user: { username: string; email: string; password: string }): Promise<UserObject> {
    return this.transport.request({ method: 'POST', path: '/user', body: { json: user } });
  }

  /** Needs `admin:reset_passwords`. */
  resetUserPassword(id: string, newPassword: string): Promise<MessageResponse> {
    return this.transport.request({ method: 'POST', path: `/user/${encodeURIComponent(id)}/reset`, body: { json: { new_password: newPassword } } });
  }

  /** Needs `admin:deactivate_users`; revokes the user's sessions. */
  deactivateUser(id: string): Promise<MessageResponse> {
    return this.transport.request({ method: 'POST', path: `/user/${encodeURIComponent(id)}/deactivate` });
  }

  /** Needs `admin:read_user`. */
  readUser(id: string): Promise<UserObject> {
    return this.transport.request({ method: 'GET', path: `/user/${encodeURIComponent(id)}` });
  }

  /** Needs `admin:list_users`. */
  listUsers(options: { limit?: number; offset?: number } = {}): Promise<UserObject[]> {
    return this.transport.request({ method: 'GET', path: '/users', query: { limit: options.limit, offset: options.offset } });
  }

  // ---- end auth part A ----
}
