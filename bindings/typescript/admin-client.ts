import { enc, Transport, type TransportOptions } from './transport.js';
import type { AdminIntrospectionResponse, KeyInfo, Jwks, MessageResponse, PingResponse, TokenResponse, VersionResponse } from './models.js';

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

  /** Claims of an AUTH-plane token plus `valid`, `expired`, `active`; admin tokens are refused (403). */
  introspect(token: string): Promise<AdminIntrospectionResponse> {
    return this.transport.request({ method: 'POST', path: '/introspect', body: { json: { token } } });
  }

  /** Revokes an AUTH-plane access or refresh token (RFC 7009: 200 also for unknown tokens). */
  revoke(token: string, hint?: 'access_token' | 'refresh_token'): Promise<MessageResponse> {
    return this.transport.request({ method: 'POST', path: '/revoke', body: { form: { token, token_type_hint: hint } } });
  }

  // ---- end part C ----

  // ---- part B: clients, secrets, redirect URIs, external IdPs, client scopes, feature flags,
  //      sessions, refresh tokens, audit logs ----

  // ---- end part B ----
}
