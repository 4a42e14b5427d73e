import { enc, Transport, type TransportOptions } from './transport.js';
import type { KeyInfo, Jwks, PingResponse, TokenResponse, VersionResponse } from './models.js';
import type {
  AuditChainResponse, AuditLogResponse, ClientObject, ClientRedirectUriObject, ClientScopeObject, CreateClientRequest,
  ExternalIdpInput, ExternalIdpProviderDto, FlagResponse, MessageResponse, Page, PageQuery, PurgeTokensRequest,
  RefreshTokenResponse, RevokeResponse, SessionResponse, UpdateClientRequest,
} from './models.js';
import type { RequestSpec } from './transport.js';

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

  // ---- end part A ----

  // ---- part C: admin introspect and revoke of auth-plane tokens (written with the auth-plane work) ----

  // ---- end part C ----

  // ---- part B: clients, secrets, redirect URIs, external IdPs, client scopes, feature flags,
  //      sessions, refresh tokens, audit logs ----

  /** A list route with its X-Total-Count. */
  private async page<T>(spec: RequestSpec): Promise<Page<T>> {
    const res = await this.transport.raw(spec);
    const items = (res.body ?? []) as T[];
    return { items, total: Number(res.headers.get('X-Total-Count') ?? items.length) };
  }

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
