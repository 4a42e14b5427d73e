import type Router from '@koa/router';
import type { KeyManager } from '../../../crypto/keyring.js';
import { serveCached } from '../../shared/cached-document.js';

/**
 * The current auth-plane public key as SPKI PEM, for proxies that verify JWTs with one static key
 * (HAProxy `jwt_verify`). After a rotation the PEM changes: such proxies must be reloaded.
 */
export function publicKeyRoutes(router: Router, keys: KeyManager<'auth'>): void {
  router.get('/keys/auth.pem', (ctx) => {
    const { pem, etag, kid } = keys.currentPublicKeyPem();
    ctx.set('X-Key-Id', kid);
    serveCached(ctx, { body: pem, etag, type: 'application/x-pem-file', maxAgeSeconds: 60 });
  });
}
