import { VERSION } from '../../version.js';
import {
  answer, arrayOf, bool, buildOpenApi, input, int, ref, str, type ErrorDoc, type OperationDoc, type ResponseDoc, type RouteDoc, type Schema,
} from '../shared/openapi.js';
import { PAGING, SHARED_SCHEMAS, TOTAL_COUNT } from '../shared/openapi-schemas.js';
import { FORWARD_AUTH_METHODS } from './routes/verify.js';

/**
 * The AUTH plane's OpenAPI description (docs/auth-api.md as a document). `createAuthApp` builds it
 * once from the same switches that decide which routes it mounts; test/http/openapi.test.ts checks
 * that the two lists agree.
 */
export interface DescribedAuthRoutes {
  issuer: string;
  /** `enable-pkce`: the authorization-code routes and login pages. */
  authorizationCode: boolean;
  /** Refresh tokens enabled: the refresh_token grant. */
  refresh: boolean;
  /** `enable-token-revocation`: POST /revoke. */
  revocation: boolean;
}

const CLIENT = [['clientBasic'], []] as const; // RFC 6749 §2.3.1: Basic, or client_id/client_secret in the body
const BEARER = [['bearerAuth']] as const;
const OPEN = [] as const;

const oauth = (description: string): ErrorDoc => ({ description, schema: ref('OAuthError') });
const envelope = (description: string): ErrorDoc => ({ description, schema: ref('MessageEnvelope') });
const html = (description: string): ErrorDoc => ({ description, schema: { type: 'string' }, type: 'text/html' });
const TOO_MANY = envelope('Too many requests from this client IP; see Retry-After');
const BEARER_401 = { 401: 'Missing, invalid, expired or revoked bearer token (WWW-Authenticate: Bearer)' };

const clientFields = {
  client_id: str('Client identifier (when not sent with HTTP Basic)'),
  client_secret: str('Client secret (when not sent with HTTP Basic; none for public clients)'),
};
const tokenFields = {
  token: str(),
  token_type_hint: { enum: ['access_token', 'refresh_token'] },
  ...clientFields,
};

const SCHEMAS: Readonly<Record<string, Schema>> = {
  ...SHARED_SCHEMAS,
  OAuthError: answer({ error: str('RFC 6749 §5.2 error code'), error_description: str(), error_uri: { type: 'null' } }),
  Introspection: {
    type: 'object', description: 'RFC 7662: {"active":false} alone, or the token details',
    properties: { active: bool(), scope: str(), client_id: str(), username: str(),
      token_type: { enum: ['access_token', 'refresh_token'] }, exp: int(), iat: int(), nbf: int(), sub: str(),
      aud: { anyOf: [str(), arrayOf(str())] }, iss: str(), jti: str(), token_use: str(), mad: str() },
    required: ['active'],
  },
  UserInfo: answer({ sub: str(), email: str(), email_verified: bool(), preferred_username: str(), name: str() },
    ['email', 'preferred_username', 'name']),
  Me: answer({ sub: str(), email: { type: ['string', 'null'] }, roles: arrayOf(str()), scopes: arrayOf(str()) }),
  PkceAuthorizeResponse: answer({ jti: str('the login id'), client_id: str(), redirect_uri: str(), requires_totp: bool(),
    is_session_based: bool() }),
  AuthSessionView: answer({ jti: str(), client_id: str(), client_name: str(), scope: str(), requires_totp: bool(),
    redirect_host: str(), redirect_origin: str(), expires_at: str() }),
  VerifyResponse: answer({ active: { const: true }, sub: str() }),
  Discovery: { type: 'object', description: 'OpenID Connect Discovery 1.0 / RFC 8414 metadata',
    properties: { issuer: str(), token_endpoint: str(), jwks_uri: str() }, required: ['issuer', 'token_endpoint', 'jwks_uri'] },
  CreateUserRequest: input({ username: str(), email: str(), password: str('8–1024 characters') }, ['username', 'email', 'password']),
};

function tokenRequest(f: DescribedAuthRoutes): Schema {
  const grants = ['password', 'client_credentials', ...(f.refresh ? ['refresh_token'] : []),
    ...(f.authorizationCode ? ['authorization_code'] : [])];
  return input({
    grant_type: { enum: grants },
    username: str('password grant'),
    password: str('password grant'),
    totp_code: str('password grant, when the client enables TOTP and the user enrolled'),
    scope: str('client_credentials: space-separated subset of the client\'s scopes'),
    ...(f.refresh ? { refresh_token: str('refresh_token grant') } : {}),
    ...(f.authorizationCode ? { code: str('authorization_code grant'), redirect_uri: str('authorization_code grant'),
      code_verifier: str('authorization_code grant (PKCE, RFC 7636)') } : {}),
    ...clientFields,
  }, ['grant_type']);
}

const FORWARD_AUTH: OperationDoc = {
  tag: 'Forward auth', security: BEARER,
  summary: 'Check a bearer token for a reverse proxy (forward-auth)',
  description: 'Any of these methods (the proxy keeps the original one); the body is never read. Identity in '
    + 'X-Auth-Sub, X-Auth-Scope, X-Auth-Roles, X-Auth-Client, X-Auth-Expires.',
  query: { scope: { description: 'Scopes that must all be held (space or comma separated)' },
    role: { description: 'Roles of which one must be held' }, aud: { description: 'Audiences that must all be present' } },
  ok: { description: 'The token is valid and meets the requirements', schema: ref('VerifyResponse'),
    headers: { 'X-Auth-Sub': 'subject', 'X-Auth-Scope': 'scopes', 'X-Auth-Roles': 'roles', 'X-Auth-Client': 'client', 'X-Auth-Expires': 'exp' } },
  errors: { ...BEARER_401, 403: 'A required scope, role or audience is missing (insufficient_scope)' },
};

function infoRoutes(): RouteDoc[] {
  const cached = (summary: string, schema: Schema, type?: string): OperationDoc =>
    ({ tag: 'Info', summary, ok: { description: 'OK (ETag, cacheable)', schema, ...(type ? { type } : {}) } });
  return [
    ['GET /ping', { tag: 'Info', summary: 'Liveness', ok: { description: 'pong from auth', schema: ref('MessageOnly') } }],
    ['GET /version', { tag: 'Info', summary: 'Server name and version', ok: { description: 'OK', schema: ref('Version') } }],
    ['GET /.well-known/openid-configuration', cached('OpenID Connect discovery document', ref('Discovery'))],
    ['GET /.well-known/oauth-authorization-server', cached('RFC 8414 authorization server metadata', ref('Discovery'))],
    ['GET /jwks.json', cached('Public signing keys of the AUTH plane (JWKS)', ref('Jwks'))],
    ['GET /keys/auth.pem', { ...cached('Current public signing key as SPKI PEM', { type: 'string' }, 'application/x-pem-file'),
      description: 'For proxies that verify JWTs with one static key; X-Key-Id names the key.' }],
    ['GET /openapi.json', cached('This OpenAPI description', { type: 'object' })],
    ...FORWARD_AUTH_METHODS.filter((m) => m !== 'HEAD').map((m): RouteDoc => [`${m} /verify`, FORWARD_AUTH]),
  ];
}

function tokenRoutes(f: DescribedAuthRoutes): RouteDoc[] {
  const tokenErrors = { 400: oauth('invalid_request, invalid_grant ("Invalid credentials"), unsupported_grant_type, invalid_scope'),
    401: oauth('invalid_client'), 413: oauth('Body over --body-limit (invalid_request)'), 429: TOO_MANY };
  const tokenCheck = (summary: string, ok: ResponseDoc, more: Partial<OperationDoc> = {}): OperationDoc => ({
    tag: 'Tokens', summary, security: CLIENT, errorSchema: ref('OAuthError'),
    body: { form: input(tokenFields, ['token']), json: input(tokenFields, ['token']) }, ok,
    errors: { 400: 'invalid_request (missing token, malformed JSON, unsupported content type)', 413: 'invalid_request (body too large)', 401: 'invalid_client', 429: TOO_MANY }, ...more,
  });
  return [
    ['POST /token', { tag: 'Tokens', summary: 'Issue tokens (password, client_credentials, refresh_token, authorization_code grants)',
      description: 'RFC 6749 token endpoint. Form body only; repeated parameters are invalid_request. Cache-Control: no-store.',
      security: CLIENT, errorSchema: ref('OAuthError'), body: { form: tokenRequest(f) },
      ok: { description: 'Tokens', schema: ref('TokenResponse') }, errors: tokenErrors }],
    ['POST /oidc/token', { tag: 'Tokens', summary: 'Machine token (client_credentials), the original\'s route',
      security: CLIENT, body: { form: input({ grant_type: { const: 'client_credentials' }, scope: str(), ...clientFields }, ['grant_type']) },
      ok: { description: 'Tokens', schema: ref('TokenResponse') },
      errors: { 403: 'Every failure: Invalid credentials', 429: TOO_MANY } }],
    ['POST /introspect', tokenCheck('Introspect a token (RFC 7662)', { description: 'Introspection answer', schema: ref('Introspection') })],
    ...(f.revocation ? [['POST /revoke', tokenCheck('Revoke a token (RFC 7009)',
      { description: 'Revoked, or nothing to revoke (RFC 7009 §2.2)', schema: ref('MessageEnvelope') })] as RouteDoc] : []),
  ];
}

function authorizationCodeRoutes(): RouteDoc[] {
  const step = (summary: string, fields: Record<string, Schema>, required: string[]): OperationDoc => ({
    tag: 'Authorization code', summary, body: { json: input(fields, required), form: input(fields, required) },
    ok: { description: 'The login, and whether TOTP is still required', schema: ref('PkceAuthorizeResponse') },
    errors: { 400: 'Invalid credentials (counts toward lockout), or a refused request', 429: TOO_MANY },
  });
  const page = (summary: string, query: string[], ok: ResponseDoc): OperationDoc => ({
    tag: 'Login pages', summary, query: Object.fromEntries(query.map((q) => [q, { required: q === 'jti' }])),
    ok, errors: { 400: html('Error page (unknown or expired login, bad request)'), 429: TOO_MANY },
  });
  const form = (fields: string[]): NonNullable<OperationDoc['body']> =>
    ({ form: input(Object.fromEntries(fields.map((n) => [n, str()])), fields) });
  const htmlPage = { description: 'HTML page', schema: { type: 'string' }, type: 'text/html' };
  const redirect = (status: number, to: string): ResponseDoc => ({ status, description: `Redirect to ${to}`, headers: { Location: to } });
  return [
    ['POST /authorize', step('Start a headless authorization-code + PKCE login',
      { client_id: str(), redirect_uri: str(), code_challenge: str(), code_challenge_method: { const: 'S256' }, scope: str(),
        state: str(), nonce: str('required when scope contains openid'), max_age: int() }, ['client_id', 'redirect_uri'])],
    ['POST /login/password', step('Password step of a login', { jti: str(), username: str(), password: str(), redirect_uri: str() },
      ['jti', 'username', 'password'])],
    ['POST /login/totp', step('TOTP step of a login', { jti: str(), totp_code: str() }, ['jti', 'totp_code'])],
    ['GET /auth-session/{jti}', { tag: 'Authorization code', summary: 'What a login page may show about a login',
      ok: { description: 'The login', schema: ref('AuthSessionView') },
      errors: { 404: 'Session not found or expired', 429: TOO_MANY } }],
    ['POST /login/finalize', { tag: 'Authorization code', summary: 'Finish a login: redirect to the client with code and state',
      body: { json: input({ jti: str() }, ['jti']), form: input({ jti: str() }, ['jti']) },
      ok: redirect(302, 'the redirect_uri with code and state'),
      errors: { 400: { description: 'Invalid credentials (steps not done)', schema: { const: 'Invalid credentials' } }, 429: TOO_MANY } }],
    ['GET /authorize', page('Browser authorization endpoint (RFC 6749 §4.1.1)',
      ['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'nonce', 'code_challenge', 'code_challenge_method', 'max_age'],
      redirect(302, '/login?jti=… (or the client, with an error)'))],
    ['GET /login', page('Sign-in page', ['jti'], htmlPage)],
    ['POST /login', { ...page('Submit the sign-in page', [], redirect(303, '/totp or /login/finalize')),
      body: form(['jti', 'csrf', 'username', 'password']) }],
    ['GET /totp', page('TOTP page', ['jti'], htmlPage)],
    ['POST /totp', { ...page('Submit the TOTP page', [], redirect(303, '/login/finalize')), body: form(['jti', 'csrf', 'totp_code']) }],
    ['GET /login/finalize', page('Finish a browser login', ['jti'], redirect(302, 'the client with code and state'))],
  ];
}

function bearerRoutes(): RouteDoc[] {
  const me = (summary: string, ok: ResponseDoc, errors: Record<number, ErrorDoc> = {}): OperationDoc =>
    ({ tag: 'Self-service', summary, security: BEARER, ok, errors: { ...BEARER_401, ...errors } });
  const userOnly = { 403: 'Forbidden (machine token)' };
  const scoped = (scope: string, summary: string, ok: ResponseDoc, more: Partial<OperationDoc> = {}): OperationDoc => ({
    tag: 'Scoped user administration', summary: `${summary} (scope ${scope})`, security: BEARER, ok, ...more,
    errors: { 400: 'Invalid payload or validation message', ...BEARER_401, 403: 'Permission denied', ...more.errors },
  });
  return [
    ['GET /whoami', me('Hello, <sub>', { description: 'OK', schema: ref('MessageOnly') })],
    ['GET /me', me('Identity from the token', { description: 'OK', schema: ref('Me') })],
    ['GET /userinfo', me('OpenID Connect userinfo', { description: 'OK', schema: ref('UserInfo') },
      { 403: 'insufficient_scope: the token has no openid scope' })],
    ['GET /me/sessions', me('My sessions', { description: 'OK', schema: arrayOf(ref('SessionResponse')), headers: TOTAL_COUNT }, userOnly)],
    ['GET /me/refresh-tokens', me('My refresh tokens', { description: 'OK', schema: arrayOf(ref('RefreshTokenResponse')), headers: TOTAL_COUNT }, userOnly)],
    ['POST /logout', me('Revoke my sessions and refresh tokens for the token\'s client',
      { description: 'Logged out', schema: ref('MessageEnvelope') }, { 400: 'Missing user or client identifier', ...userOnly })],
    ['POST /logout-all', me('Revoke all my sessions and refresh tokens', { description: 'Logged out', schema: ref('MessageEnvelope') }, userOnly)],
    ['POST /user', scoped('admin:provision_users', 'Create a user', { description: 'The user', schema: ref('UserObject') },
      { body: { json: ref('CreateUserRequest') } })],
    ['POST /user/{id}/reset', scoped('admin:reset_passwords', 'Reset a user\'s password',
      { description: 'Password reset', schema: ref('MessageEnvelope') },
      { body: { json: input({ new_password: str() }, ['new_password']) } })],
    ['POST /user/{id}/deactivate', scoped('admin:deactivate_users', 'Deactivate a user (revokes sessions and refresh tokens)',
      { description: 'Deactivated', schema: ref('MessageEnvelope') }, { errors: { 404: 'User not found' } })],
    ['GET /user/{id}', scoped('admin:read_user', 'Get a user', { description: 'The user', schema: ref('UserObject') },
      { errors: { 404: 'User not found' } })],
    ['GET /users', scoped('admin:list_users', 'List active users',
      { description: 'Active users', schema: arrayOf(ref('UserObject')), headers: TOTAL_COUNT }, { query: PAGING })],
  ];
}

/** The AUTH plane's document, for the routes `f` says are served. */
export function authOpenApi(f: DescribedAuthRoutes): Record<string, unknown> {
  return buildOpenApi({
    title: 'microauthd AUTH plane',
    description: 'OAuth 2.0 / OpenID Connect for users and machines. Errors of /token, /introspect and /revoke are '
      + 'OAuth errors; others are {"success":false,"message"}. See docs/auth-api.md.',
    version: VERSION,
    serverUrl: f.issuer,
    securitySchemes: {
      clientBasic: { type: 'http', scheme: 'basic', description: 'Client credentials (RFC 6749 §2.3.1); or client_id/client_secret form fields' },
      bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An AUTH-plane access token' },
    },
    security: OPEN,
    errorSchema: ref('MessageEnvelope'),
    schemas: SCHEMAS,
    tags: [
      { name: 'Info', description: 'Public documents' },
      { name: 'Tokens', description: 'Token, introspection and revocation endpoints (client-authenticated, rate-limited)' },
      ...(f.authorizationCode ? [{ name: 'Authorization code', description: 'Headless authorization-code + PKCE flow' },
        { name: 'Login pages', description: 'Hosted browser sign-in pages (HTML)' }] : []),
      { name: 'Self-service', description: 'Bearer routes about the token\'s user' },
      { name: 'Scoped user administration', description: 'Bearer routes needing an admin:* scope' },
      { name: 'Forward auth', description: 'Token checks for reverse proxies' },
    ],
    routes: [...infoRoutes(), ...tokenRoutes(f), ...(f.authorizationCode ? authorizationCodeRoutes() : []), ...bearerRoutes()],
  });
}
