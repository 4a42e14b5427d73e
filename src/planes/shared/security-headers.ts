import type { Middleware } from 'koa';

/**
 * Headers on every response (security.md "Responses"). HTML pages get a strict CSP; JSON gets
 * `default-src 'none'` since nothing should ever render it. HSTS only when the request arrived
 * over TLS (directly or, per ctx.secure, through a trusted proxy that said so).
 */
export function securityHeaders(options: { htmlCsp?: string } = {}): Middleware {
  const htmlCsp = options.htmlCsp
    ?? "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
  return async function setSecurityHeaders(ctx, next) {
    try {
      await next();
    } finally {
      // Straight onto the Node response (every request): Koa's ctx.set re-checks headersSent per header.
      const res = ctx.res;
      if (!res.headersSent) {
        res.setHeader('X-Content-Type-Options', 'nosniff');
        res.setHeader('Referrer-Policy', 'no-referrer');
        res.setHeader('X-Frame-Options', 'DENY');
        if (!res.hasHeader('Content-Security-Policy')) {
          // A prefix test instead of ctx.response.is('html'), which parses the media type on every response.
          res.setHeader('Content-Security-Policy', isHtml(res.getHeader('Content-Type')) ? htmlCsp : JSON_CSP);
        }
        res.setHeader('Cross-Origin-Resource-Policy', 'same-site');
        if (ctx.secure) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
      }
    }
  };
}

const JSON_CSP = "default-src 'none'; frame-ancestors 'none'";

const isHtml = (contentType: unknown): boolean =>
  typeof contentType === 'string' && contentType.trimStart().toLowerCase().startsWith('text/html');

/**
 * RFC 6749 §5.1: token responses must not be cached. Set in `finally`: a refusal (invalid_grant,
 * invalid_client, …) is thrown to the plane's error handler, and is a token response too
 * (security.md "Responses": every token response); before, errors went out without these headers.
 */
export function noStore(): Middleware {
  return async function setNoStore(ctx, next) {
    try {
      await next();
    } finally {
      ctx.set('Cache-Control', 'no-store');
      ctx.set('Pragma', 'no-cache');
    }
  };
}
