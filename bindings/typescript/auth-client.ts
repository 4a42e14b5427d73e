import { Transport, type TransportOptions } from './transport.js';
import type { Jwks, PingResponse, VersionResponse } from './models.js';

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

  // ---- token grants, introspection, revocation, self-service (auth plane issue) ----

  // ---- end auth plane ----

  // ---- auth part A: scoped user administration (POST /user, /user/{id}/reset, /user/{id}/deactivate, GET /user/{id}, GET /users) ----

  // ---- end auth part A ----
}
