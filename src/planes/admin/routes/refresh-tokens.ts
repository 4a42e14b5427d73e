import type Router from '@koa/router';
import type { SessionAdminService } from '../../../services/sessions-admin.js';
import { requestContext } from '../request-context.js';
import { intQuery, message, sendPage } from './admin-input.js';
import { purgeRequest } from './sessions.js';

/** Refresh tokens (reference 20–22, 24; DELETE is new). Only mounted when refresh tokens are enabled. */
export function refreshTokenRoutes(router: Router, sessions: SessionAdminService): void {
  router.get('/refresh-tokens', async (ctx) => {
    sendPage(ctx, await sessions.listRefreshTokens({ limit: intQuery(ctx, 'limit', 1000), offset: intQuery(ctx, 'offset') }));
  });
  router.post('/refresh-tokens/purge', async (ctx) => {
    const n = await sessions.purgeRefreshTokens(purgeRequest(ctx), requestContext(ctx));
    ctx.body = message(`Purged ${n} refresh token(s).`);
  });
  router.get('/refresh-tokens/user/:userId', async (ctx) => {
    sendPage(ctx, await sessions.listRefreshTokens({ userId: ctx.params.userId ?? '', limit: intQuery(ctx, 'limit', 1000), offset: intQuery(ctx, 'offset') }));
  });
  router.get('/refresh-tokens/:id', async (ctx) => {
    ctx.body = await sessions.getRefreshToken(ctx.params.id ?? '');
  });
  router.delete('/refresh-tokens/:id', async (ctx) => {
    await sessions.revokeRefreshToken(ctx.params.id ?? '', requestContext(ctx));
    ctx.body = message(`Refresh token '${ctx.params.id}' and its family revoked.`);
  });
}
