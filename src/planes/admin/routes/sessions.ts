import type Router from '@koa/router';
import type { Context } from 'koa';
import type { PurgeRequest, SessionAdminService } from '../../../services/sessions-admin.js';
import { badRequest } from '../../shared/errors.js';
import { jsonFields } from '../../shared/input.js';
import { requestContext } from '../request-context.js';
import { boolField, intQuery, message, sendPage, stringQuery } from './admin-input.js';

/** PurgeTokensRequest with the reference defaults (86400 s, expired yes, revoked no); the body is optional. */
export function purgeRequest(ctx: Context): PurgeRequest {
  const f = jsonFields(ctx, { optional: true });
  const s = f.older_than_seconds ?? 86400;
  if (typeof s !== 'number' || !Number.isInteger(s) || s < 0 || s > 100 * 365 * 86400) {
    throw badRequest("Field 'older_than_seconds' must be an integer from 0 to 3153600000 (100 years)");
  }
  return { olderThanSeconds: s, purgeExpired: boolField(f, 'purge_expired', true), purgeRevoked: boolField(f, 'purge_revoked', false) };
}

/** Access-token sessions (reference 15–18, 23). */
export function sessionRoutes(router: Router, sessions: SessionAdminService, revocation: boolean): void {
  router.get('/sessions', async (ctx) => {
    const plane = stringQuery(ctx, 'mad_use');
    const active = stringQuery(ctx, 'active');
    sendPage(ctx, await sessions.listSessions({
      limit: intQuery(ctx, 'limit', 1000), offset: intQuery(ctx, 'offset'),
      ...(stringQuery(ctx, 'client_id') !== undefined ? { clientId: stringQuery(ctx, 'client_id') as string } : {}),
      ...(plane === 'auth' || plane === 'admin' ? { madUse: plane } : {}),
      ...(active === 'true' || active === 'false' ? { active: active === 'true' } : {}),
    }));
  });
  router.post('/sessions/purge', async (ctx) => {
    const n = await sessions.purgeSessions(purgeRequest(ctx), requestContext(ctx));
    ctx.body = message(`Purged ${n} session(s).`);
  });
  router.get('/sessions/user/:userId', async (ctx) => {
    sendPage(ctx, await sessions.listSessions({ userId: ctx.params.userId ?? '', limit: intQuery(ctx, 'limit', 1000), offset: intQuery(ctx, 'offset') }));
  });
  router.get('/sessions/:jti', async (ctx) => {
    ctx.body = await sessions.getSession(ctx.params.jti ?? '');
  });
  if (revocation) {
    router.delete('/sessions/:jti', async (ctx) => {
      ctx.body = await sessions.revokeSession(ctx.params.jti ?? '', requestContext(ctx));
    });
  }
}
