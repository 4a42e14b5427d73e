import type Router from '@koa/router';
import type { KeyManager } from '../../../crypto/keyring.js';

/**
 * The current auth-plane public key as SPKI PEM, for proxies that verify JWTs with one static key
 * (HAProxy `jwt_verify`). After a rotation the PEM changes: such proxies must be reloaded.
 */
export function publicKeyRoutes(router: Router, keys: KeyManager<'auth'>): void {
  router.get('/keys/auth.pem', (ctx) => {
    const { pem, etag, kid } = keys.currentPublicKeyPem();
    ctx.set('ETag', etag);
    ctx.set('X-Key-Id', kid);
    ctx.set('Cache-Control', 'public, max-age=60');
    ctx.type = 'application/x-pem-file';
    ctx.status = 200; // ctx.fresh only compares validators on a 2xx response
    if (ctx.fresh) {
      ctx.status = 304;
      return;
    }
    ctx.body = pem;
  });
}
