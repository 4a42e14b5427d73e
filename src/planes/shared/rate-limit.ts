import type { Middleware } from 'koa';
import { HttpError } from './errors.js';

export interface RateLimitOptions {
  /** Requests allowed per window per key; 0 disables the limiter. */
  max: number;
  windowSeconds: number;
  /** The key a request counts against (client IP by default). */
  keyOf?: (ctx: Parameters<Middleware>[0]) => string;
  now?: () => number;
}

/**
 * Fixed-window counter per key, held by this limiter instance (one per plane). Expired windows
 * are swept as they are met, so memory stays bounded by the keys seen within one window.
 */
export function rateLimit(options: RateLimitOptions): Middleware {
  const windows = new Map<string, { start: number; count: number }>();
  const windowMs = options.windowSeconds * 1000;
  const now = options.now ?? Date.now;
  const keyOf = options.keyOf ?? ((ctx) => String(ctx.state.clientIp ?? ctx.ip));
  let lastSweep = now();

  return async function limitRate(ctx, next) {
    if (options.max <= 0) return next();
    const t = now();
    if (t - lastSweep > windowMs) {
      for (const [k, w] of windows) if (t - w.start >= windowMs) windows.delete(k);
      lastSweep = t;
    }
    const key = keyOf(ctx);
    let w = windows.get(key);
    if (!w || t - w.start >= windowMs) {
      w = { start: t, count: 0 };
      windows.set(key, w);
    }
    w.count++;
    if (w.count > options.max) {
      const retryAfter = Math.max(1, Math.ceil((w.start + windowMs - t) / 1000));
      throw new HttpError(429, 'Too many requests; retry later', { 'Retry-After': String(retryAfter) });
    }
    return next();
  };
}
