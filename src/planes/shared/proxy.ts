import type Koa from 'koa';
import type { Middleware } from 'koa';
import { normalizeIp, resolveClientIp } from './client-ip.js';

/**
 * Resolves the client IP and protocol once per request. X-Forwarded-* headers count only when
 * the socket peer is a configured trusted proxy.
 */
export function trustedProxy(trustedProxies: readonly string[]): Middleware {
  const trusted = new Set(trustedProxies.map(normalizeIp));
  return async function resolveClient(ctx, next) {
    const peer = ctx.req.socket.remoteAddress ?? '';
    ctx.state.clientIp = resolveClientIp(peer, ctx.get('X-Forwarded-For'), trusted);
    ctx.state.viaTrustedProxy = trusted.has(normalizeIp(peer));
    await next();
  };
}

/** Koa's ctx.secure/ctx.protocol honour X-Forwarded-Proto only with app.proxy; we set it per peer. */
export function configureProxyTrust(app: Koa, trustedProxies: readonly string[]): void {
  app.proxy = false;
  if (trustedProxies.length === 0) return;
  const trusted = new Set(trustedProxies.map(normalizeIp));
  Object.defineProperty(app.request, 'protocol', {
    get(this: Koa.Request) {
      const socket = this.req.socket as { encrypted?: boolean; remoteAddress?: string };
      if (socket.encrypted) return 'https';
      if (!trusted.has(normalizeIp(socket.remoteAddress ?? ''))) return 'http';
      const proto = this.get('X-Forwarded-Proto').split(',')[0]?.trim();
      return proto === 'https' ? 'https' : 'http';
    },
  });
}
