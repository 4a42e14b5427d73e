import type { Middleware } from 'koa';

/**
 * CORS for the configured browser origins only (exact match of the `Origin` header, Fetch
 * standard §3.2). Other origins get no CORS headers at all, so the browser blocks them. Preflight
 * requests from an allowed origin are answered here; credentials (cookies) are never allowed:
 * every auth-plane API authenticates with bearer tokens or client credentials.
 */
export function cors(origins: readonly string[]): Middleware {
  const allowed = new Set(origins);
  return async function applyCors(ctx, next) {
    const origin = ctx.get('Origin');
    if (!origin || !allowed.has(origin)) return next();
    ctx.vary('Origin');
    ctx.set('Access-Control-Allow-Origin', origin);
    if (ctx.method === 'OPTIONS' && ctx.get('Access-Control-Request-Method')) {
      ctx.set('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      ctx.set('Access-Control-Allow-Headers', 'Authorization, Content-Type');
      ctx.set('Access-Control-Max-Age', '600');
      ctx.status = 204;
      return;
    }
    await next();
  };
}
