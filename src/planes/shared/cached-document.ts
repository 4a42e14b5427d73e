import { createHash } from 'node:crypto';
import type { Context } from 'koa';

/** A strong ETag for a document built once: a prefix of its SHA-256, base64url. */
export const etagOf = (body: string | Buffer): string =>
  `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;

/**
 * Serves a document built once (JWKS, discovery, a PEM) with its ETag: a matching If-None-Match
 * gets 304 and no body. Both planes' key and discovery routes use this.
 */
export function serveCached(ctx: Context, doc: { body: string | Buffer; etag: string; type: string; maxAgeSeconds: number }): void {
  ctx.set('ETag', doc.etag);
  ctx.set('Cache-Control', `public, max-age=${doc.maxAgeSeconds}`);
  ctx.type = doc.type;
  ctx.status = 200; // ctx.fresh only compares validators on a 2xx response
  if (ctx.fresh) {
    ctx.status = 304;
    return;
  }
  ctx.body = doc.body;
}
