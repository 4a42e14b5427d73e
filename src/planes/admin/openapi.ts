import { VERSION } from '../../version.js';
import {
  answer, arrayOf, bool, buildOpenApi, dateTime, input, int, orNull, ref, str,
  type BodyDoc, type ErrorDoc, type OperationDoc, type ParamDoc, type ResponseDoc, type RouteDoc, type Schema,
} from '../shared/openapi.js';
import { PAGING, SHARED_SCHEMAS, TOTAL_COUNT } from '../shared/openapi-schemas.js';

/**
 * The ADMIN plane's OpenAPI description (docs/admin-api.md as a document). `createAdminApp` builds
 * it once from the same switches that decide which route groups it mounts; test/http/openapi.test.ts
 * checks that the two lists agree.
 */
export interface DescribedAdminRoutes {
  clients: boolean;
  clientFlags: boolean;
  redirectUris: boolean;
  externalIdps: boolean;
  sessions: boolean;
  /** `/refresh-tokens*` (refresh tokens enabled). */
  refreshTokens: boolean;
  audit: boolean;
  /** `enable-token-revocation`: POST /revoke and DELETE /sessions/{jti}. */
  revocation: boolean;
}

const idName = answer({ id: str(), name: str() });

const SCHEMAS: Readonly<Record<string, Schema>> = {
  ...SHARED_SCHEMAS,
  RoleObject: answer({ id: str(), name: str(), description: orNull(str()), is_protected: bool(), is_active: bool() }),
  IdName: { ...idName, description: 'RoleDto, PermissionDto and PermissionObject' },
  ScopeObject: answer({ id: str(), name: str(), desc: orNull(str('the description (the original\'s spelling)')),
    is_active: bool(), is_protected: bool(), created_at: dateTime }),
  ClientObject: answer({ id: str('internal id'), client_id: str('public identifier'), display_name: str(), is_active: bool(),
    created_at: dateTime, audience: str(), client_secret: str('only when the server generated it, returned once') }, ['client_secret']),
  ClientRedirectUriObject: answer({ id: str(), client_id: str('internal id of the client'), redirect_uri: str() }),
  ExternalIdpProviderDto: answer({ id: str(), client_id: str(), provider_key: str(), display_name: str(), issuer: str(),
    client_identifier: str(), scopes: str(), created_at: dateTime, modified_at: dateTime }),
  FlagResponse: answer({ success: bool(), message: str('"True"/"False", or the options'), enabled: bool() }),
  RevokeResponse: answer({ jti: str(), status: { const: 'revoked' }, message: str() }),
  AuditLogResponse: answer({ id: str(), actor_id: orNull(str()), action: str(), secondary: orNull(str()), target: orNull(str()),
    timestamp: dateTime, ip_address: orNull(str()), user_agent: orNull(str()), outcome: { enum: ['success', 'failure'] } }),
  AuditChainResponse: answer({ ok: bool(), checked: int(), broken_at: orNull(int()) }),
  KeyInfo: answer({ kid: str(), alg: { enum: ['RS256', 'ES256'] }, status: { enum: ['current', 'standby', 'retired'] },
    created_at: dateTime, activated_at: orNull(dateTime), retired_at: orNull(dateTime), publish_until: orNull(dateTime) }),
  TotpQrResponse: answer({ success: bool(), filename: orNull(str()), otpauth_uri: str(), qr_svg: str() }),
  AccessCheckResponse: answer({ user_id: str(), permission_id: str(), allowed: bool() }),
  AdminIntrospection: { type: 'object', description: 'An active AUTH-plane token: its claims plus valid, expired (false) and '
    + 'active (true); an inactive one (revoked, expired, unknown, bad signature): exactly {"active":false}',
    properties: { valid: bool(), expired: bool(), active: bool() }, required: ['active'] },
  CreateUserRequest: input({ username: str('1–64 of a-z 0-9 . _ @ + -'), email: str(), password: str('8–1024 characters') },
    ['username', 'email', 'password']),
  UpdateUserRequest: input({ id: str('must match the route id if given'), username: str(), email: str(), is_active: bool(),
    email_verified: bool(), lockout_until: orNull(dateTime) }),
  CreateClientRequest: input({ client_id: str(), client_secret: str('omit for a server-generated secret'), display_name: str(),
    audience: str() }, ['client_id']),
  UpdateClientRequest: input({ client_id: str(), display_name: str(), audience: str(), is_active: bool() }),
  ExternalIdpInput: input({ provider_key: str(), display_name: str(), issuer: str(), client_identifier: str(), scopes: str() }),
  PurgeTokensRequest: input({ older_than_seconds: int('default 86400'), purge_expired: bool('default true'),
    purge_revoked: bool('default false') }),
};

const AUTH_ERRORS = { 401: 'Missing, invalid, revoked or AUTH-plane token', 429: 'Too many requests; see Retry-After' };
const BODY_400 = 'Unreadable body (not JSON, malformed, not an object, missing) or a validation message';

interface Op {
  ok: ResponseDoc;
  description?: string;
  body?: BodyDoc;
  query?: Readonly<Record<string, ParamDoc>>;
  params?: Readonly<Record<string, ParamDoc>>;
  errors?: Readonly<Record<number, ErrorDoc>>;
}

/** A bearer-protected admin operation (the default), with the plane's 401/429 answers. */
const op = (tag: string, summary: string, o: Op): OperationDoc => ({
  tag, summary, ...o, errors: { ...(o.body ? { 400: BODY_400 } : {}), ...o.errors, ...AUTH_ERRORS },
});
const json = (schema: Schema): BodyDoc => ({ json: schema });
const ok = (schema: Schema, description = 'OK'): ResponseDoc => ({ description, schema });
const list = (item: string): ResponseDoc => ({ description: 'List', schema: arrayOf(ref(item)), headers: TOTAL_COUNT });
const done = (description: string): ResponseDoc => ({ description, schema: ref('MessageEnvelope') });
const idString: ResponseDoc = { description: 'The internal id, as a bare JSON string', schema: str() };
const notFound = (what: string) => ({ 404: `${what} not found` });

function publicRoutes(): RouteDoc[] {
  const open = (summary: string, res: ResponseDoc, more: Partial<OperationDoc> = {}): OperationDoc =>
    ({ tag: 'Info', summary, security: [], ok: res, ...more });
  return [
    ['GET /ping', open('Liveness', ok(ref('MessageOnly'), 'pong from admin'))],
    ['GET /version', open('Server name and version', ok(ref('Version')))],
    ['GET /jwks.json', open('Public signing keys of the ADMIN plane (JWKS)', ok(ref('Jwks')))],
    ['GET /openapi.json', open('This OpenAPI description', ok({ type: 'object' }))],
    ['POST /token', open('Admin login: a token for a MadAdmin holder', ok(ref('TokenResponse')), {
      tag: 'Admin login',
      body: { form: input({ username: str(), password: str(), client_id: str() }, ['username', 'password', 'client_id']) },
      errors: { 400: 'Invalid credentials (missing field, not a form)', 403: 'Invalid credentials',
        429: 'Too many requests; see Retry-After' },
    })],
  ];
}

function keyRoutes(): RouteDoc[] {
  const plane: ParamDoc = { schema: { enum: ['auth', 'admin'] } };
  return [
    ['GET /keys/{plane}', op('Keys', 'List a plane\'s signing keys', { params: { plane }, ok: list('KeyInfo'), errors: notFound('Plane') })],
    ['POST /keys/{plane}/rotate', op('Keys', 'Rotate a plane\'s signing keys (standby becomes current)',
      { params: { plane }, ok: ok(arrayOf(ref('KeyInfo'))), errors: notFound('Plane') })],
  ];
}

function userRoutes(): RouteDoc[] {
  const t = 'Users';
  return [
    ['POST /users/totp/verify', op(t, 'Confirm TOTP enrolment with a code', { body: json(input({ user_id: str(), client_id: str(),
      code: str() }, ['user_id', 'client_id', 'code'])), ok: done('TOTP enabled for user') })],
    ['POST /users/{id}/totp/generate', op(t, 'Start TOTP enrolment for a client', { body: json(input({ client_id: str(),
      qr_output_path: str() }, ['client_id'])), ok: ok(ref('TotpQrResponse')), errors: notFound('User') })],
    ['POST /users/{userId}/{clientId}/disable-totp', op(t, 'Disable TOTP for a user and client',
      { ok: done('TOTP disabled for user'), errors: { 400: 'TOTP is not enabled for this client', ...notFound('User') } })],
    ['POST /users', op(t, 'Create a user', { body: json(ref('CreateUserRequest')), ok: ok(ref('UserObject')) })],
    ['GET /users', op(t, 'List users by username', { query: { ...PAGING, include_inactive: { schema: { type: 'boolean' } } },
      ok: list('UserObject'), errors: { 400: 'Bad limit or offset' } })],
    ['GET /users/id-by-name/{username}', op(t, 'A user\'s id by username', { ok: idString, errors: notFound('User') })],
    ['GET /users/{id}', op(t, 'Get a user', { ok: ok(ref('UserObject')), errors: notFound('User') })],
    ['PUT /users/{id}', op(t, 'Update a user (partial)', { body: json(ref('UpdateUserRequest')), ok: ok(ref('UserObject')),
      errors: notFound('User') })],
    ['POST /users/{id}/verify-email', op(t, 'Mark the email verified', { ok: done('Email marked as verified.'), errors: notFound('User') })],
    ['POST /users/deactivate/{id}', op(t, 'Deactivate a user (revokes sessions and refresh tokens)',
      { ok: done('Deactivated'), errors: { 400: 'User is already inactive; last administrator', ...notFound('User') } })],
    ['POST /users/{id}/activate', op(t, 'Reactivate a user', { ok: done('Reactivated'), errors: { 400: 'User is already active', ...notFound('User') } })],
    ['DELETE /users/{id}', op(t, 'Delete a user', { ok: done('Deleted'), errors: { 400: 'The last active administrator', ...notFound('User') } })],
    ['POST /users/{id}/reset', op(t, 'Set a new password', { body: json(input({ new_password: str() }, ['new_password'])),
      ok: done('Password reset') })],
    ['POST /users/{id}/set-lockout', op(t, 'Lock a user until a date, or clear the lockout (null or omitted)',
      { body: json(input({ lockout_until: orNull(dateTime) })), ok: done('Lockout set or cleared'), errors: notFound('User') })],
    ['GET /users/{id}/scopes', op(t, 'A user\'s scopes', { ok: list('ScopeObject'), errors: notFound('User') })],
    ['POST /users/{id}/scopes', op(t, 'Assign scopes to a user', { body: json(input({ scope_ids: arrayOf(str()) }, ['scope_ids'])),
      ok: done('Assigned'), errors: notFound('User') })],
    ['DELETE /users/{id}/scopes/{scopeId}', op(t, 'Remove a scope from a user',
      { ok: done('Removed'), errors: { 400: 'Scope not assigned or already removed' } })],
    ['GET /users/{id}/roles', op(t, 'A user\'s roles, or every active role with all=true',
      { query: { all: { schema: { type: 'boolean' } } }, ok: list('IdName'), errors: { 400: 'Bad all' } })],
    ['PUT /users/{id}/roles', op(t, 'Replace a user\'s roles', { body: json(arrayOf(input({ id: str(), name: str() }, ['id']))),
      ok: done('Roles updated.'), errors: notFound('User or role') })],
  ];
}

function roleRoutes(): RouteDoc[] {
  const t = 'Roles and permissions';
  const permissionBody = json(input({ name: str() }, ['name']));
  return [
    ['POST /roles', op(t, 'Create a role', { body: json(input({ name: str(), description: str() }, ['name'])), ok: ok(ref('RoleObject')) })],
    ['PUT /roles/{id}', op(t, 'Update a role (partial)', { body: json(input({ name: str(), description: str() })),
      ok: ok(ref('RoleObject')), errors: notFound('Role') })],
    ['GET /roles', op(t, 'List roles by name', { ok: list('RoleObject') })],
    ['GET /roles/id-by-name/{name}', op(t, 'A role\'s id by name', { ok: idString, errors: notFound('Role') })],
    ['GET /roles/user/{userId}', op(t, 'Role ids of a user', { ok: ok(arrayOf(str())) })],
    ['POST /roles/assign', op(t, 'Assign a role to a user', { body: json(input({ user_id: str(), role_id: str() }, ['user_id', 'role_id'])),
      ok: done('Assigned'), errors: notFound('User or role') })],
    ['POST /roles/unassign', op(t, 'Remove a role from a user', { body: json(input({ user_id: str(), role_id: str() }, ['user_id', 'role_id'])),
      ok: done('Removed') })],
    ['GET /roles/{id}', op(t, 'Get a role', { ok: ok(ref('RoleObject')), errors: notFound('Role') })],
    ['DELETE /roles/{id}', op(t, 'Delete a role', { ok: done('Deleted'), errors: { 400: 'Protected roles cannot be deleted', ...notFound('Role') } })],
    ['POST /roles/{id}/permissions', op(t, 'Assign a permission to a role', { body: json(input({ permission_id: str() }, ['permission_id'])),
      ok: done('Assigned'), errors: notFound('Role or permission') })],
    ['DELETE /roles/{id}/permissions/{permissionId}', op(t, 'Remove a permission from a role',
      { ok: done('Removed'), errors: { 400: 'Not assigned' } })],
    ['GET /roles/{id}/permissions', op(t, 'A role\'s permissions', { ok: list('IdName'), errors: notFound('Role') })],
    ['POST /permissions', op(t, 'Create a permission', { body: permissionBody, ok: ok(ref('IdName')) })],
    ['PUT /permissions/{id}', op(t, 'Rename a permission', { body: permissionBody, ok: ok(ref('IdName')), errors: notFound('Permission') })],
    ['GET /permissions', op(t, 'List permissions', { ok: list('IdName') })],
    ['GET /permissions/id-by-name/{name}', op(t, 'A permission\'s id by name', { ok: idString, errors: notFound('Permission') })],
    ['GET /permissions/retrieve/all', op(t, 'Active permissions (PermissionDto)', { ok: list('IdName') })],
    ['GET /permissions/user/{userId}', op(t, 'Effective permissions of a user', { ok: list('IdName') })],
    ['GET /permissions/{id}', op(t, 'Get a permission', { ok: ok(ref('IdName')), errors: notFound('Permission') })],
    ['DELETE /permissions/{id}', op(t, 'Delete a permission', { ok: done('Deleted'), errors: notFound('Permission') })],
    ['POST /check-access', op(t, 'Does a user hold a permission?', { body: json(input({ user_id: str(), permission_id: str() },
      ['user_id', 'permission_id'])), ok: ok(ref('AccessCheckResponse')) })],
    ['GET /permissions/retrieve/{roleId}', op(t, 'A role\'s permissions (PermissionDto)', { ok: list('IdName'), errors: notFound('Role') })],
  ];
}

function scopeRoutes(): RouteDoc[] {
  const t = 'Scopes';
  return [
    ['POST /scopes', op(t, 'Create a scope', { body: json(input({ name: str(), desc: str() }, ['name'])), ok: ok(ref('ScopeObject')) })],
    ['PUT /scopes/{id}', op(t, 'Update a scope (partial)', { body: json(input({ name: str(), desc: str() })), ok: ok(ref('ScopeObject')),
      errors: notFound('Scope') })],
    ['GET /scopes', op(t, 'List active scopes', { ok: list('ScopeObject') })],
    ['GET /scopes/id-by-name/{name}', op(t, 'A scope\'s id by name', { ok: idString, errors: notFound('Scope') })],
    ['GET /scopes/{id}', op(t, 'Get a scope', { ok: ok(ref('ScopeObject')), errors: notFound('Scope') })],
    ['DELETE /scopes/{id}', op(t, 'Delete a scope', { ok: done('Deleted'), errors: { 400: 'Protected scopes cannot be deleted', ...notFound('Scope') } })],
  ];
}

function tokenCheckRoutes(f: DescribedAdminRoutes): RouteDoc[] {
  const t = 'Token checks';
  const body = (fields: Record<string, Schema>): BodyDoc =>
    ({ json: input(fields, ['token']), form: input(fields, ['token']), optional: true });
  return [
    ['POST /introspect', op(t, 'Introspect an AUTH-plane access or refresh token', {
      body: body({ token: str(), token_type_hint: { enum: ['access_token', 'refresh_token'] } }), ok: ok(ref('AdminIntrospection')),
      errors: { 400: 'Token is required; Invalid token format', 403: 'Admin token introspection is not allowed' } })],
    ...(f.revocation ? [['POST /revoke', op(t, 'Revoke an AUTH-plane token (refresh tokens: their family)', {
      body: body({ token: str(), token_type_hint: { enum: ['access_token', 'refresh_token'] } }),
      ok: done('Token revoked (also for unknown tokens, RFC 7009 §2.2)'), errors: { 400: 'Missing token' } })] as RouteDoc] : []),
  ];
}

function clientRoutes(f: DescribedAdminRoutes): RouteDoc[] {
  const t = 'Clients';
  const id: ParamDoc = { description: 'Internal id or client identifier' };
  const routes: RouteDoc[] = [];
  if (f.redirectUris) {
    routes.push(
      ['DELETE /clients/redirect-uris', op(t, 'Delete a redirect URI (body: its row id)', { body: json(str('the row id')),
        ok: done('Redirect URI deleted'), errors: notFound('Redirect URI') })],
      ['DELETE /clients/redirect-uris/{rowId}', op(t, 'Delete a redirect URI', { ok: done('Redirect URI deleted'), errors: notFound('Redirect URI') })],
      ['POST /clients/{id}/redirect-uris', op(t, 'Register a redirect URI', { params: { id },
        body: json({ anyOf: [str(), input({ uri: str() }, ['uri']), input({ redirect_uri: str() }, ['redirect_uri'])] }),
        ok: { status: 201, ...ok(ref('ClientRedirectUriObject')) }, errors: notFound('Client') })],
      ['GET /clients/{id}/redirect-uris', op(t, 'A client\'s redirect URIs', { params: { id },
        ok: list('ClientRedirectUriObject'), errors: notFound('Client') })],
    );
  }
  if (f.externalIdps) {
    for (const prefix of ['', '/admin']) {
      const also = prefix ? ' (same as without /admin)' : '';
      routes.push(
        [`GET ${prefix}/clients/{clientId}/idp`, op(t, `A client's external identity providers${also}`,
          { ok: list('ExternalIdpProviderDto'), errors: notFound('Client') })],
        [`POST ${prefix}/clients/{clientId}/idp`, op(t, `Add an external identity provider${also}`, { body: json(ref('ExternalIdpInput')),
          ok: { status: 201, ...ok(ref('ExternalIdpProviderDto')) }, errors: notFound('Client') })],
        [`PUT ${prefix}/clients/{clientId}/idp/{id}`, op(t, `Update an external identity provider (partial)${also}`,
          { body: json(ref('ExternalIdpInput')), ok: ok(ref('ExternalIdpProviderDto')), errors: notFound('External IDP provider') })],
        [`DELETE ${prefix}/clients/{clientId}/idp/{id}`, op(t, `Delete an external identity provider${also}`,
          { ok: done('External IDP provider deleted'), errors: notFound('External IDP provider') })],
      );
    }
  }
  if (f.clients) {
    routes.push(
      ['POST /clients', op(t, 'Create a client', { body: json(ref('CreateClientRequest')), ok: ok(ref('ClientObject')) })],
      ['GET /clients', op(t, 'List clients by display name', { query: PAGING, ok: list('ClientObject') })],
      ['GET /clients/id-by-name/{clientId}', op(t, 'A client\'s internal id by identifier', { ok: idString, errors: notFound('Client') })],
      ['POST /clients/secret', op(t, 'Set or generate a new client secret (revokes the client\'s tokens)', {
        body: json(input({ client_id: str(), new_secret: str('omit to generate one') }, ['client_id'])),
        ok: done('The new secret, in message'), errors: notFound('Client') })],
      ['GET /clients/{id}', op(t, 'Get a client', { params: { id }, ok: ok(ref('ClientObject')), errors: notFound('Client') })],
      ['PUT /clients/{id}', op(t, 'Update a client (partial)', { params: { id }, body: json(ref('UpdateClientRequest')),
        ok: ok(ref('ClientObject')), errors: notFound('Client') })],
      ['DELETE /clients/{id}', op(t, 'Delete a client (revokes its tokens)', { params: { id }, ok: done('Deleted'), errors: notFound('Client') })],
      ['POST /clients/{id}/scopes', op(t, 'Assign scopes to a client', { params: { id },
        body: json(input({ scope_ids: arrayOf(str()) }, ['scope_ids'])), ok: done('Assigned'), errors: notFound('Client') })],
      ['GET /clients/{id}/scopes', op(t, 'A client\'s scopes', { params: { id }, ok: list('ScopeObject'), errors: notFound('Client') })],
      ['DELETE /clients/{id}/scopes/{scopeId}', op(t, 'Remove a scope from a client', { params: { id },
        ok: done('Removed'), errors: { 400: 'Scope not assigned or already removed', ...notFound('Client') } })],
    );
  }
  if (f.clientFlags) routes.push(...flagRoutes());
  return routes;
}

function flagRoutes(): RouteDoc[] {
  const t = 'Feature flags';
  const flag: ParamDoc = { description: 'ENABLE_TOTP, TOTP_ISSUER, TOKEN_EXPIRATION, REFRESH_TOKEN_EXPIRATION, SESSION_BASED_AUTH, '
    + 'SESSION_BASED_MAX_AGE or ALLOW_CONFIDENTIAL_WITHOUT_PKCE (any case)' };
  const clientId = { client_id: { description: 'Internal id or identifier (or in the body)' } };
  const errors = { 400: 'Unknown feature flag; no extended options; Missing client_id', ...notFound('Client') };
  const body = (fields: Record<string, Schema>): BodyDoc =>
    ({ json: input({ client_id: str(), ...fields }), form: input({ client_id: str(), ...fields }), optional: true });
  return [
    ['POST /client/options/{flag}', op(t, 'Turn a flag on or off for a client', { params: { flag }, query: clientId,
      body: body({ enabled: { anyOf: [bool(), { enum: ['true', 'false'] }] }, is_enabled: { anyOf: [bool(), { enum: ['true', 'false'] }] } }),
      ok: done('Feature set (enabled or is_enabled is required)'), errors })],
    ['POST /client/options/{flag}/ext', op(t, 'Set a flag\'s options for a client', { params: { flag }, query: clientId,
      body: body({ options: str() }), ok: done('Option updated'), errors })],
    ['GET /client/options/{flag}', op(t, 'Is a flag on for a client?', { params: { flag }, query: clientId, ok: ok(ref('FlagResponse')), errors })],
    ['GET /client/options/{flag}/ext', op(t, 'A flag\'s options for a client', { params: { flag }, query: clientId, ok: ok(ref('FlagResponse')), errors })],
  ];
}

function sessionRoutes(f: DescribedAdminRoutes): RouteDoc[] {
  const t = 'Sessions and refresh tokens';
  const purge = json(ref('PurgeTokensRequest'));
  const routes: RouteDoc[] = [];
  if (f.sessions) {
    routes.push(
      ['GET /sessions', op(t, 'List sessions, newest first', { query: { ...PAGING, client_id: {}, mad_use: { schema: { enum: ['auth', 'admin'] } },
        active: { schema: { type: 'boolean' } } }, ok: list('SessionResponse'), errors: { 400: 'Bad paging' } })],
      ['POST /sessions/purge', op(t, 'Purge old sessions', { body: { ...purge, optional: true }, ok: done('Purged <n> session(s).') })],
      ['GET /sessions/user/{userId}', op(t, 'A user\'s sessions', { query: PAGING, ok: list('SessionResponse') })],
      ['GET /sessions/{jti}', op(t, 'Get a session', { ok: ok(ref('SessionResponse')), errors: notFound('Session') })],
    );
    if (f.revocation) {
      routes.push(['DELETE /sessions/{jti}', op(t, 'Revoke a session', { ok: ok(ref('RevokeResponse')),
        errors: { 400: 'Session not found, already revoked or expired' } })]);
    }
  }
  if (f.refreshTokens) {
    routes.push(
      ['GET /refresh-tokens', op(t, 'List refresh tokens, newest first', { query: PAGING, ok: list('RefreshTokenResponse') })],
      ['POST /refresh-tokens/purge', op(t, 'Purge old refresh tokens', { body: { ...purge, optional: true }, ok: done('Purged <n> refresh token(s).') })],
      ['GET /refresh-tokens/user/{userId}', op(t, 'A user\'s refresh tokens', { query: PAGING, ok: list('RefreshTokenResponse') })],
      ['GET /refresh-tokens/{id}', op(t, 'Get a refresh token', { ok: ok(ref('RefreshTokenResponse')), errors: notFound('Refresh token') })],
      ['DELETE /refresh-tokens/{id}', op(t, 'Revoke a refresh token\'s whole family', { ok: done('Revoked'), errors: notFound('Refresh token') })],
    );
  }
  return routes;
}

function auditRoutes(): RouteDoc[] {
  const t = 'Audit log';
  return [
    ['GET /audit-logs', op(t, 'List audit records, newest first', { query: { ...PAGING, userId: {}, action: {} },
      ok: list('AuditLogResponse'), errors: { 400: 'Bad paging' } })],
    ['GET /audit-logs/verify', op(t, 'Verify the audit hash chain', { ok: ok(ref('AuditChainResponse')) })],
    ['POST /audit-logs/purge', op(t, 'Purge audit records older than N days', {
      body: json(input({ older_than_days: { type: 'integer', minimum: 1 } }, ['older_than_days'])), ok: done('Purged <n> audit log(s).') })],
    ['GET /audit-logs/{id}', op(t, 'Get an audit record', { ok: ok(ref('AuditLogResponse')), errors: notFound('Audit log') })],
  ];
}

/** The ADMIN plane's document, for the route groups `f` says are mounted. */
export function adminOpenApi(f: DescribedAdminRoutes): Record<string, unknown> {
  const tag = (name: string, description: string, on = true) => (on ? [{ name, description }] : []);
  return buildOpenApi({
    title: 'microauthd ADMIN plane',
    description: 'Users, roles, permissions, scopes, clients, sessions, audit and keys. Every route except /ping, /version, '
      + '/jwks.json, /openapi.json and POST /token needs an admin bearer token (POST /token). Errors are '
      + '{"success":false,"message"}. See docs/admin-api.md.',
    version: VERSION,
    securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An admin token from POST /token' } },
    security: [['bearerAuth']],
    errorSchema: ref('MessageEnvelope'),
    schemas: SCHEMAS,
    tags: [
      ...tag('Info', 'Public documents'), ...tag('Admin login', 'Admin tokens'), ...tag('Keys', 'Signing keys of both planes'),
      ...tag('Users', 'Users, their scopes, roles and TOTP'), ...tag('Roles and permissions', 'Roles, permissions, access checks'),
      ...tag('Scopes', 'Scopes'), ...tag('Token checks', 'Introspection and revocation of AUTH-plane tokens'),
      ...tag('Clients', 'Clients, their scopes, redirect URIs and identity providers', f.clients || f.redirectUris || f.externalIdps),
      ...tag('Feature flags', 'Per-client feature flags', f.clientFlags),
      ...tag('Sessions and refresh tokens', 'Sessions and refresh tokens', f.sessions || f.refreshTokens),
      ...tag('Audit log', 'Audit records', f.audit),
    ],
    routes: [...publicRoutes(), ...keyRoutes(), ...userRoutes(), ...roleRoutes(), ...scopeRoutes(), ...tokenCheckRoutes(f),
      ...clientRoutes(f), ...sessionRoutes(f), ...(f.audit ? auditRoutes() : [])],
  });
}
