import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';

const SAFE_ID = /^[\w.-]{1,64}$/;

/** Tags each request with an id (a sane incoming X-Request-Id is kept) for logs and responses. */
export function requestId(): Middleware {
  return async function assignRequestId(ctx, next) {
    // Node's own header objects, not ctx.get/ctx.set: this runs on every request.
    const incoming = ctx.req.headers['x-request-id'];
    const id = typeof incoming === 'string' && SAFE_ID.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = id;
    ctx.res.setHeader('X-Request-Id', id);
    await next();
  };
}
