import type { Middleware } from 'koa';
import type { Logger } from '../../log.js';

/**
 * One log line per request. Only the path is logged, never the query string (it can carry codes,
 * session handles or tokens), and no headers or bodies.
 */
export function requestLog(log: Logger): Middleware {
  return async function logRequest(ctx, next) {
    // Below `info` the line would be dropped: skip the clock and the object as well (every request).
    if (!log.isLevelEnabled('info')) return next();
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      log.info({ reqId: ctx.state.requestId, method: ctx.method, path: ctx.path, status: ctx.status,
        ms: Math.round(ms * 10) / 10, ip: ctx.state.clientIp }, 'request');
    }
  };
}
