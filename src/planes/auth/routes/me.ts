import type Router from '@koa/router';
import type { Context } from 'koa';
import type { JWTPayload } from 'jose';
import type { SelfService } from '../../../services/self-service.js';
import { forbidden, HttpError } from '../../shared/errors.js';
import { requestContext } from '../request-context.js';

const scopesOf = (claims: JWTPayload): string[] =>
  typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [];

/** Every list route sets X-Total-Count (contract.md); these lists are whole, so it is their length. */
function sendWhole<T>(ctx: Context, items: T[]): void {
  ctx.set('X-Total-Count', String(items.length));
  ctx.body = items;
}

const claimsOf = (ctx: Context): JWTPayload => ctx.state.token as JWTPayload;

/** The user behind a user token; machine (client_credentials) tokens have none: 403. */
function userOf(ctx: Context): { userId: string; clientId: string } {
  const c = claimsOf(ctx);
  if (c.gty === 'client_credentials' || typeof c.sub !== 'string' || !c.sub) throw forbidden('Forbidden');
  return { userId: c.sub, clientId: typeof c.client_id === 'string' ? c.client_id : '' };
}

/** Self-service views of the presented token (bearer-protected by the caller's router). */
export function meRoutes(router: Router, selfService?: SelfService): void {
  router.get('/whoami', (ctx) => {
    const claims = claimsOf(ctx);
    ctx.body = { message: `Hello, ${claims.sub ?? ''}` };
  });
  router.get('/me', (ctx) => {
    const claims = claimsOf(ctx);
    ctx.body = {
      sub: claims.sub ?? 'unknown',
      email: typeof claims.email === 'string' ? claims.email : null,
      roles: Array.isArray(claims.roles) ? claims.roles : [],
      scopes: scopesOf(claims),
    };
  });

  /** OpenID Connect Core §5.3; RFC 6750 §3.1 insufficient_scope without `openid`. */
  router.get('/userinfo', (ctx) => {
    const claims = claimsOf(ctx);
    if (!scopesOf(claims).includes('openid') || claims.gty === 'client_credentials') {
      throw new HttpError(403, "Missing 'openid' scope",
        { 'WWW-Authenticate': 'Bearer error="insufficient_scope", error_description="Missing \'openid\' scope"' });
    }
    const username = typeof claims.username === 'string' ? claims.username : undefined;
    const out: Record<string, unknown> = {
      sub: claims.sub,
      email: typeof claims.email === 'string' ? claims.email : undefined,
      email_verified: claims.email_verified === true || claims.email_verified === 'true',
      preferred_username: username,
      name: typeof claims.name === 'string' ? claims.name : username,
    };
    for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
    ctx.set('Cache-Control', 'no-store');
    ctx.body = out;
  });

  if (!selfService) return;
  router.get('/me/sessions', async (ctx) => {
    sendWhole(ctx, await selfService.sessions(userOf(ctx).userId));
  });
  router.get('/me/refresh-tokens', async (ctx) => {
    sendWhole(ctx, await selfService.refreshTokens(userOf(ctx).userId));
  });
  router.post('/logout', async (ctx) => {
    const { userId, clientId } = userOf(ctx);
    if (!clientId) throw new HttpError(400, 'Missing user or client identifier');
    await selfService.logout(userId, clientId, requestContext(ctx));
    ctx.body = { success: true, message: `User '${userId}' logged out of client '${clientId}'` };
  });
  router.post('/logout-all', async (ctx) => {
    const { userId } = userOf(ctx);
    await selfService.logoutAll(userId, requestContext(ctx));
    ctx.body = { success: true, message: `All sessions and refresh tokens revoked for user '${userId}'` };
  });
}
