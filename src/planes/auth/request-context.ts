import type { Context } from 'koa';
import type { RequestContext } from '../../services/request-context.js';

/** The caller as the audit log sees it: the bearer token's subject (if any), IP and user agent. */
export function requestContext(ctx: Context, actorId?: string): RequestContext {
  const token = ctx.state.token as { sub?: string } | undefined;
  return {
    actorId: actorId ?? token?.sub ?? null,
    ipAddress: (ctx.state.clientIp as string | undefined) ?? null,
    userAgent: ctx.get('User-Agent').slice(0, 512) || null,
  };
}
