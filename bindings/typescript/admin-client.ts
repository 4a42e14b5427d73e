import { enc, Transport, type TransportOptions } from './transport.js';
import type {
  AccessCheckResponse, AdminIntrospectionResponse, AuditChainResponse, AuditLogResponse, ClientObject, ClientRedirectUriObject,
  ClientScopeObject, CreateClientRequest, ExternalIdpInput, ExternalIdpProviderDto, FlagResponse, Jwks, KeyInfo, MessageResponse, Page,
  PageQuery, PermissionDto, PermissionObject, PingResponse, PurgeTokensRequest, RefreshTokenResponse, RevokeResponse, RoleDto, RoleObject,
  ScopeObject, SessionResponse, TokenResponse, TotpQrResponse, UpdateClientRequest, UserObject, UserUpdate, VersionResponse,
} from './models.js';
import type { RequestSpec } from './transport.js';
import { MadApiError } from './models.js';

/**
 * Client for every route of the ADMIN plane (default http://127.0.0.1:9041). Methods are named after
 * what they do; each returns the wire model and throws MadApiError on failure.
 */
export class AdminClient {
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

  /** A list route with its X-Total-Count (shared by every paged list). */
  private async page<T>(spec: RequestSpec): Promise<Page<T>> {
    const res = await this.transport.raw(spec);
    if (!Array.isArray(res.body)) {
      const got = res.body === null ? 'null' : typeof res.body === 'object' ? 'object' : typeof res.body;
      throw new MadApiError(res.status, `expected a JSON array from ${spec.method} ${spec.path}, got a JSON ${got} (HTTP ${res.status}); `
        + `is ${this.transport.baseUrl} a microauthd server?`, res.body);
    }
    const items = res.body as T[];
    return { items, total: Number(res.headers.get('X-Total-Count') ?? items.length) };
  }

  // ---- info and admin login ----

  ping(): Promise<PingResponse> {
    return this.transport.request({ method: 'GET', path: '/ping', anonymous: true });
  }

  version(): Promise<VersionResponse> {
    return this.transport.request({ method: 'GET', path: '/version', anonymous: true });
  }

  /** Admin login (form `username`, `password`, `client_id`); stores the token on this client. */
  async login(username: string, password: string, clientId = 'admin'): Promise<TokenResponse> {
    const res = await this.transport.request<TokenResponse>({
      method: 'POST', path: '/token', anonymous: true, body: { form: { username, password, client_id: clientId } },
    });
    this.transport.token = res.access_token;
    return res;
  }

  // ---- signing keys ----

  listKeys(plane: 'auth' | 'admin'): Promise<KeyInfo[]> {
    return this.transport.request({ method: 'GET', path: `/keys/${enc(plane)}` });
  }

  rotateKeys(plane: 'auth' | 'admin'): Promise<KeyInfo[]> {
    return this.transport.request({ method: 'POST', path: `/keys/${enc(plane)}/rotate` });
  }

  adminJwks(): Promise<Jwks> {
    return this.transport.request({ method: 'GET', path: '/jwks.json', anonymous: true });
  }

  // ---- part A: users, user roles/scopes, TOTP enrolment, roles, permissions, check-access, scopes ----

  private send<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, json?: unknown): Promise<T> {
    return this.transport.request<T>({ method, path, ...(json !== undefined ? { body: { json } } : {}) });
  }

  createUser(user: { username: string; email: string; password: string }): Promise<UserObject> {
    return this.send('POST', '/users', user);
  }

  /** One page of users (X-Total-Count in `total`); `include_inactive` lists deactivated users too. */
  listUsersPage(options: { limit?: number; offset?: number; include_inactive?: boolean } = {}): Promise<Page<UserObject>> {
    return this.page({ method: 'GET', path: '/users',
      query: { limit: options.limit, offset: options.offset, include_inactive: options.include_inactive || undefined } });
  }

  async listUsers(options: { limit?: number; offset?: number; include_inactive?: boolean } = {}): Promise<UserObject[]> {
    return (await this.listUsersPage(options)).items;
  }

  getUser(id: string): Promise<UserObject> {
    return this.transport.request({ method: 'GET', path: `/users/${enc(id)}` });
  }

  userIdByName(username: string): Promise<string> {
    return this.transport.request({ method: 'GET', path: `/users/id-by-name/${enc(username)}` });
  }

  updateUser(id: string, changes: UserUpdate): Promise<UserObject> {
    return this.send('PUT', `/users/${enc(id)}`, changes);
  }

  verifyEmail(id: string): Promise<MessageResponse> {
    return this.send('POST', `/users/${enc(id)}/verify-email`);
  }

  deactivateUser(id: string): Promise<MessageResponse> {
    return this.send('POST', `/users/deactivate/${enc(id)}`);
  }

  activateUser(id: string): Promise<MessageResponse> {
    return this.send('POST', `/users/${enc(id)}/activate`);
  }

  deleteUser(id: string): Promise<MessageResponse> {
    return this.send('DELETE', `/users/${enc(id)}`);
  }

  resetPassword(id: string, newPassword: string): Promise<MessageResponse> {
    return this.send('POST', `/users/${enc(id)}/reset`, { new_password: newPassword });
  }

  /** An ISO-8601 date locks the user until then (and revokes its sessions); null clears the lockout. */
  setLockout(id: string, lockoutUntil: string | null): Promise<MessageResponse> {
    return this.send('POST', `/users/${enc(id)}/set-lockout`, { lockout_until: lockoutUntil });
  }

  /** TOTP enrolment; `clientId` is the client's internal id or identifier. */
  generateTotp(userId: string, clientId: string, qrOutputPath = '.'): Promise<TotpQrResponse> {
    return this.send('POST', `/users/${enc(userId)}/totp/generate`, { user_id: userId, client_id: clientId, qr_output_path: qrOutputPath });
  }

  verifyTotp(userId: string, clientId: string, code: string): Promise<MessageResponse> {
    return this.send('POST', '/users/totp/verify', { user_id: userId, client_id: clientId, code });
  }

  disableTotp(userId: string, clientId: string): Promise<MessageResponse> {
    return this.send('POST', `/users/${enc(userId)}/${enc(clientId)}/disable-totp`);
  }

  userScopes(userId: string): Promise<ScopeObject[]> {
    return this.transport.request({ method: 'GET', path: `/users/${enc(userId)}/scopes` });
  }

  assignUserScopes(userId: string, scopeIds: string[]): Promise<MessageResponse> {
    return this.send('POST', `/users/${enc(userId)}/scopes`, { scope_ids: scopeIds });
  }

  removeUserScope(userId: string, scopeId: string): Promise<MessageResponse> {
    return this.send('DELETE', `/users/${enc(userId)}/scopes/${enc(scopeId)}`);
  }

  /** The user's roles, or (`all`) every active role. */
  userRoles(userId: string, all = false): Promise<RoleDto[]> {
    return this.transport.request({ method: 'GET', path: `/users/${enc(userId)}/roles`, query: { all } });
  }

  replaceUserRoles(userId: string, roles: RoleDto[]): Promise<MessageResponse> {
    return this.send('PUT', `/users/${enc(userId)}/roles`, roles);
  }

  createRole(name: string, description = ''): Promise<RoleObject> {
    return this.send('POST', '/roles', { name, description });
  }

  updateRole(id: string, changes: { name?: string; description?: string; is_protected?: boolean }): Promise<RoleObject> {
    return this.send('PUT', `/roles/${enc(id)}`, changes);
  }

  listRoles(): Promise<RoleObject[]> {
    return this.transport.request({ method: 'GET', path: '/roles' });
  }

  getRole(id: string): Promise<RoleObject> {
    return this.transport.request({ method: 'GET', path: `/roles/${enc(id)}` });
  }

  roleIdByName(name: string): Promise<string> {
    return this.transport.request({ method: 'GET', path: `/roles/id-by-name/${enc(name)}` });
  }

  deleteRole(id: string): Promise<MessageResponse> {
    return this.send('DELETE', `/roles/${enc(id)}`);
  }

  assignRole(userId: string, roleId: string): Promise<MessageResponse> {
    return this.send('POST', '/roles/assign', { user_id: userId, role_id: roleId });
  }

  unassignRole(userId: string, roleId: string): Promise<MessageResponse> {
    return this.send('POST', '/roles/unassign', { user_id: userId, role_id: roleId });
  }

  roleIdsOfUser(userId: string): Promise<string[]> {
    return this.transport.request({ method: 'GET', path: `/roles/user/${enc(userId)}` });
  }

  assignPermission(roleId: string, permissionId: string): Promise<MessageResponse> {
    return this.send('POST', `/roles/${enc(roleId)}/permissions`, { permission_id: permissionId });
  }

  removePermission(roleId: string, permissionId: string): Promise<MessageResponse> {
    return this.send('DELETE', `/roles/${enc(roleId)}/permissions/${enc(permissionId)}`);
  }

  rolePermissions(roleId: string): Promise<PermissionObject[]> {
    return this.transport.request({ method: 'GET', path: `/roles/${enc(roleId)}/permissions` });
  }

  createPermission(name: string): Promise<PermissionObject> {
    return this.send('POST', '/permissions', { name });
  }

  updatePermission(id: string, name: string): Promise<PermissionObject> {
    return this.send('PUT', `/permissions/${enc(id)}`, { id, name });
  }

  listPermissions(): Promise<PermissionObject[]> {
    return this.transport.request({ method: 'GET', path: '/permissions' });
  }

  getPermission(id: string): Promise<PermissionObject> {
    return this.transport.request({ method: 'GET', path: `/permissions/${enc(id)}` });
  }

  permissionIdByName(name: string): Promise<string> {
    return this.transport.request({ method: 'GET', path: `/permissions/id-by-name/${enc(name)}` });
  }

  deletePermission(id: string): Promise<MessageResponse> {
    return this.send('DELETE', `/permissions/${enc(id)}`);
  }

  allPermissionDtos(): Promise<PermissionDto[]> {
    return this.transport.request({ method: 'GET', path: '/permissions/retrieve/all' });
  }

  permissionDtosOfRole(roleId: string): Promise<PermissionDto[]> {
    return this.transport.request({ method: 'GET', path: `/permissions/retrieve/${enc(roleId)}` });
  }

  userPermissions(userId: string): Promise<PermissionObject[]> {
    return this.transport.request({ method: 'GET', path: `/permissions/user/${enc(userId)}` });
  }

  checkAccess(userId: string, permissionId: string): Promise<AccessCheckResponse> {
    return this.send('POST', '/check-access', { user_id: userId, permission_id: permissionId });
  }

  createScope(name: string, desc = ''): Promise<ScopeObject> {
    return this.send('POST', '/scopes', { name, desc });
  }

  updateScope(id: string, changes: { name?: string; desc?: string; is_protected?: boolean }): Promise<ScopeObject> {
    return this.send('PUT', `/scopes/${enc(id)}`, changes);
  }

  listScopes(): Promise<ScopeObject[]> {
    return this.transport.request({ method: 'GET', path: '/scopes' });
  }

  getScope(id: string): Promise<ScopeObject> {
    return this.transport.request({ method: 'GET', path: `/scopes/${enc(id)}` });
  }

  scopeIdByName(name: string): Promise<string> {
    return this.transport.request({ method: 'GET', path: `/scopes/id-by-name/${enc(name)}` });
  }

  deleteScope(id: string): Promise<MessageResponse> {
    return this.send('DELETE', `/scopes/${enc(id)}`);
  }

  // ---- end part A ----

  // ---- part C: admin introspect and revoke of auth-plane tokens (written with the auth-plane work) ----

  /**
   * An active AUTH-plane access or refresh token: its claims plus `valid`, `expired`, `active`; an
   * inactive one: `{active: false}` alone. Admin tokens are refused (403).
   */
  introspect(token: string, hint?: 'access_token' | 'refresh_token'): Promise<AdminIntrospectionResponse> {
    return this.transport.request({ method: 'POST', path: '/introspect', body: { json: { token, ...(hint ? { token_type_hint: hint } : {}) } } });
  }

  /** Revokes an AUTH-plane access or refresh token (RFC 7009: 200 also for unknown tokens). */
  revoke(token: string, hint?: 'access_token' | 'refresh_token'): Promise<MessageResponse> {
    return this.transport.request({ method: 'POST', path: '/revoke', body: { form: { token, token_type_hint: hint } } });
  }

  // ---- end part C ----

  // ---- part B: clients, secrets, redirect URIs, external IdPs, client scopes, feature flags,
  //      sessions, refresh tokens, audit logs ----

  createClient(req: CreateClientRequest): Promise<ClientObject> {
    return this.transport.request({ method: 'POST', path: '/clients', body: { json: req } });
  }

  /** `id`: internal id or client identifier. */
  updateClient(id: string, req: UpdateClientRequest): Promise<ClientObject> {
    return this.transport.request({ method: 'PUT', path: `/clients/${enc(id)}`, body: { json: req } });
  }

  listClients(q: PageQuery = {}): Promise<ClientObject[]> {
    return this.listClientsPage(q).then((p) => p.items);
  }

  listClientsPage(q: PageQuery = {}): Promise<Page<ClientObject>> {
    return this.page({ method: 'GET', path: '/clients', query: { ...q } });
  }

  getClient(id: string): Promise<ClientObject> {
    return this.transport.request({ method: 'GET', path: `/clients/${enc(id)}` });
  }

  /** The internal id of the client with this identifier (the server answers a bare JSON string). */
  getClientIdByName(clientId: string): Promise<string> {
    return this.transport.request({ method: 'GET', path: `/clients/id-by-name/${enc(clientId)}` });
  }

  /** Sets (or, with no `newSecret`, generates) a secret; `message` holds the new secret. Revokes the client's tokens. */
  changeClientSecret(id: string, newSecret?: string): Promise<MessageResponse> {
    return this.transport.request({ method: 'POST', path: '/clients/secret', body: { json: { client_id: id, new_secret: newSecret ?? null } } });
  }

  deleteClient(id: string): Promise<MessageResponse> {
    return this.transport.request({ method: 'DELETE', path: `/clients/${enc(id)}` });
  }

  addRedirectUri(clientId: string, uri: string): Promise<ClientRedirectUriObject> {
    return this.transport.request({ method: 'POST', path: `/clients/${enc(clientId)}/redirect-uris`, body: { json: uri } });
  }

  listRedirectUris(clientId: string): Promise<ClientRedirectUriObject[]> {
    return this.transport.request({ method: 'GET', path: `/clients/${enc(clientId)}/redirect-uris` });
  }

  /** `viaBody` uses the original form (`DELETE /clients/redirect-uris` with a JSON-string id body). */
  deleteRedirectUri(id: string, viaBody = false): Promise<MessageResponse> {
    return viaBody
      ? this.transport.request({ method: 'DELETE', path: '/clients/redirect-uris', body: { json: id } })
      : this.transport.request({ method: 'DELETE', path: `/clients/redirect-uris/${enc(id)}` });
  }

  listExternalIdps(clientId: string): Promise<ExternalIdpProviderDto[]> {
    return this.transport.request({ method: 'GET', path: `/clients/${enc(clientId)}/idp` });
  }

  createExternalIdp(clientId: string, idp: ExternalIdpInput): Promise<ExternalIdpProviderDto> {
    return this.transport.request({ method: 'POST', path: `/clients/${enc(clientId)}/idp`, body: { json: idp } });
  }

  updateExternalIdp(clientId: string, id: string, idp: ExternalIdpInput): Promise<ExternalIdpProviderDto> {
    return this.transport.request({ method: 'PUT', path: `/clients/${enc(clientId)}/idp/${enc(id)}`, body: { json: idp } });
  }

  deleteExternalIdp(clientId: string, id: string): Promise<MessageResponse> {
    return this.transport.request({ method: 'DELETE', path: `/clients/${enc(clientId)}/idp/${enc(id)}` });
  }

  assignClientScopes(clientId: string, scopeIds: string[]): Promise<MessageResponse> {
    return this.transport.request({ method: 'POST', path: `/clients/${enc(clientId)}/scopes`, body: { json: { scope_ids: scopeIds } } });
  }

  listClientScopes(clientId: string): Promise<ClientScopeObject[]> {
    return this.transport.request({ method: 'GET', path: `/clients/${enc(clientId)}/scopes` });
  }

  removeClientScope(clientId: string, scopeId: string): Promise<MessageResponse> {
    return this.transport.request({ method: 'DELETE', path: `/clients/${enc(clientId)}/scopes/${enc(scopeId)}` });
  }

  /** Feature flags: sent as a form, like the original `mad`. */
  setClientFlag(flag: string, clientId: string, enabled: boolean): Promise<MessageResponse> {
    return this.transport.request({ method: 'POST', path: `/client/options/${enc(flag)}`, body: { form: { client_id: clientId, enabled: String(enabled) } } });
  }

  setClientFlagOptions(flag: string, clientId: string, options: string): Promise<MessageResponse> {
    return this.transport.request({ method: 'POST', path: `/client/options/${enc(flag)}/ext`, body: { form: { client_id: clientId, options } } });
  }

  getClientFlag(flag: string, clientId: string): Promise<FlagResponse> {
    return this.transport.request({ method: 'GET', path: `/client/options/${enc(flag)}`, query: { client_id: clientId } });
  }

  getClientFlagOptions(flag: string, clientId: string): Promise<FlagResponse> {
    return this.transport.request({ method: 'GET', path: `/client/options/${enc(flag)}/ext`, query: { client_id: clientId } });
  }

  listSessions(q: PageQuery & { client_id?: string; mad_use?: 'auth' | 'admin'; active?: boolean } = {}): Promise<Page<SessionResponse>> {
    return this.page({ method: 'GET', path: '/sessions', query: { ...q } });
  }

  getSession(jti: string): Promise<SessionResponse> {
    return this.transport.request({ method: 'GET', path: `/sessions/${enc(jti)}` });
  }

  revokeSession(jti: string): Promise<RevokeResponse> {
    return this.transport.request({ method: 'DELETE', path: `/sessions/${enc(jti)}` });
  }

  listUserSessions(userId: string, q: PageQuery = {}): Promise<Page<SessionResponse>> {
    return this.page({ method: 'GET', path: `/sessions/user/${enc(userId)}`, query: { ...q } });
  }

  purgeSessions(req: PurgeTokensRequest = {}): Promise<MessageResponse> {
    return this.transport.request({ method: 'POST', path: '/sessions/purge', body: { json: req } });
  }

  listRefreshTokens(q: PageQuery = {}): Promise<Page<RefreshTokenResponse>> {
    return this.page({ method: 'GET', path: '/refresh-tokens', query: { ...q } });
  }

  getRefreshToken(id: string): Promise<RefreshTokenResponse> {
    return this.transport.request({ method: 'GET', path: `/refresh-tokens/${enc(id)}` });
  }

  listUserRefreshTokens(userId: string, q: PageQuery = {}): Promise<Page<RefreshTokenResponse>> {
    return this.page({ method: 'GET', path: `/refresh-tokens/user/${enc(userId)}`, query: { ...q } });
  }

  /** Revokes the token's whole family (new). */
  revokeRefreshToken(id: string): Promise<MessageResponse> {
    return this.transport.request({ method: 'DELETE', path: `/refresh-tokens/${enc(id)}` });
  }

  purgeRefreshTokens(req: PurgeTokensRequest = {}): Promise<MessageResponse> {
    return this.transport.request({ method: 'POST', path: '/refresh-tokens/purge', body: { json: req } });
  }

  listAuditLogs(q: PageQuery & { userId?: string; action?: string } = {}): Promise<Page<AuditLogResponse>> {
    return this.page({ method: 'GET', path: '/audit-logs', query: { ...q } });
  }

  getAuditLog(id: string): Promise<AuditLogResponse> {
    return this.transport.request({ method: 'GET', path: `/audit-logs/${enc(id)}` });
  }

  purgeAuditLogs(olderThanDays: number): Promise<MessageResponse> {
    return this.transport.request({ method: 'POST', path: '/audit-logs/purge', body: { json: { older_than_days: olderThanDays } } });
  }

  verifyAuditLog(): Promise<AuditChainResponse> {
    return this.transport.request({ method: 'GET', path: '/audit-logs/verify' });
  }

  // ---- end part B ----
}
