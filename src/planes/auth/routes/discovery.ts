import type Router from '@koa/router';
import type { Context } from 'koa';
import type { KeyManager } from '../../../crypto/keyring.js';
import { etagOf, serveCached } from '../../shared/cached-document.js';

/** What this auth plane actually serves; discovery is built from it once, at start. */
export interface ServedFeatures {
  issuer: string;
  grantTypes: readonly string[];
  endpoints: Readonly<Partial<Record<'token' | 'authorization' | 'userinfo' | 'introspection' | 'revocation', string>>>;
  signingAlg: 'RS256' | 'ES256';
}

/** OpenID Connect Discovery 1.0 §3 / RFC 8414: advertise only what is really served. */
export function buildDiscovery(f: ServedFeatures): Record<string, unknown> {
  const at = (path: string | undefined): string | undefined => (path ? f.issuer + path : undefined);
  const doc: Record<string, unknown> = {
    issuer: f.issuer,
    authorization_endpoint: at(f.endpoints.authorization),
    token_endpoint: at(f.endpoints.token),
    jwks_uri: `${f.issuer}/jwks.json`,
    userinfo_endpoint: at(f.endpoints.userinfo),
    introspection_endpoint: at(f.endpoints.introspection),
    revocation_endpoint: at(f.endpoints.revocation),
    grant_types_supported: f.grantTypes,
    response_types_supported: f.endpoints.authorization ? ['code'] : [],
    response_modes_supported: f.endpoints.authorization ? ['query'] : [],
    code_challenge_methods_supported: f.endpoints.authorization ? ['S256'] : [],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    introspection_endpoint_auth_methods_supported: f.endpoints.introspection ? ['client_secret_basic', 'client_secret_post'] : undefined,
    revocation_endpoint_auth_methods_supported: f.endpoints.revocation ? ['client_secret_basic', 'client_secret_post'] : undefined,
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [f.signingAlg],
    scopes_supported: ['openid', 'email', 'profile'],
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'amr', 'email', 'email_verified',
      'preferred_username', 'name', 'jti', 'token_use', 'mad'],
  };
  for (const k of Object.keys(doc)) if (doc[k] === undefined) delete doc[k];
  return doc;
}

const serveStatic = (ctx: Context, body: string, etag: string): void =>
  serveCached(ctx, { body, etag, type: 'application/json', maxAgeSeconds: 300 });

export function discoveryRoutes(router: Router, features: ServedFeatures, keys: KeyManager<'auth'>): void {
  const body = JSON.stringify(buildDiscovery(features));
  const etag = etagOf(body);
  router.get('/.well-known/openid-configuration', (ctx) => serveStatic(ctx, body, etag));
  router.get('/.well-known/oauth-authorization-server', (ctx) => serveStatic(ctx, body, etag));
  router.get('/jwks.json', (ctx) => {
    const jwks = keys.jwks();
    serveStatic(ctx, jwks.body, jwks.etag);
  });
}
