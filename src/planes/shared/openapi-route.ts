import type Router from '@koa/router';
import { etagOf, serveCached } from './cached-document.js';

/**
 * `GET /openapi.json`: the plane's OpenAPI document, serialized once at start and served like the
 * other public documents (JWKS, discovery): ETag, cacheable, not rate-limited.
 */
export function openApiRoute(router: Router, document: Record<string, unknown>): void {
  const body = JSON.stringify(document);
  const etag = etagOf(body);
  router.get('/openapi.json', (ctx) => serveCached(ctx, { body, etag, type: 'application/json', maxAgeSeconds: 300 }));
}
