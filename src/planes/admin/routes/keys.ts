import type Router from '@koa/router';
import type { KeyManager } from '../../../crypto/keyring.js';
import { notFound } from '../../shared/errors.js';
import { requestContext } from '../request-context.js';
import { sendList } from './admin-input.js';

export interface KeyManagers {
  auth: KeyManager<'auth'>;
  admin: KeyManager<'admin'>;
}

/** Signing-key management per plane (new in microauthd-ts): list and rotate. Never private keys. */
export function keyRoutes(router: Router, keys: KeyManagers): void {
  const managerFor = (plane: string | undefined): KeyManager<'auth'> | KeyManager<'admin'> => {
    if (plane === 'auth') return keys.auth;
    if (plane === 'admin') return keys.admin;
    throw notFound("Unknown plane; use 'auth' or 'admin'");
  };
  router.get('/keys/:plane', (ctx) => {
    sendList(ctx, managerFor(ctx.params.plane).list());
  });
  router.post('/keys/:plane/rotate', async (ctx) => {
    const manager = managerFor(ctx.params.plane);
    ctx.body = await manager.rotate({ ...requestContext(ctx), action: 'signing_key_rotated', target: manager.plane });
  });
}
