import type Router from '@koa/router';
import type { Context } from 'koa';
import type { RedirectUriService } from '../../../services/redirect-uris.js';
import { badRequest } from '../../shared/errors.js';
import { requestContext } from '../request-context.js';
import { jsonValue } from '../../shared/input.js';
import { message, sendList } from './admin-input.js';

/** The body may be a bare JSON string (original) or `{"uri":…}` / `{"redirect_uri":…}` (contract.md). */
function uriOf(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const v = (value as Record<string, unknown>).uri ?? (value as Record<string, unknown>).redirect_uri;
    if (typeof v === 'string') return v.trim();
  }
  return '';
}

/** Redirect URIs (reference routes 66–68). Registered before /clients/:id so literals win. */
export function redirectUriRoutes(router: Router, uris: RedirectUriService): void {
  const remove = async (ctx: Context, id: string) => {
    if (!id || id.length > 100) throw badRequest('Redirect URI id is required');
    await uris.delete(id, requestContext(ctx));
    ctx.body = message('Redirect URI deleted');
  };
  router.delete('/clients/redirect-uris', async (ctx) => {
    const v = jsonValue(ctx);
    const id = typeof v === 'string' ? v : v && typeof v === 'object' ? (v as Record<string, unknown>).id : undefined;
    await remove(ctx, typeof id === 'string' ? id.trim() : '');
  });
  router.delete('/clients/redirect-uris/:id', async (ctx) => remove(ctx, ctx.params.id ?? ''));

  router.post('/clients/:id/redirect-uris', async function addRedirectUri(ctx) {
    ctx.body = await uris.add(ctx.params.id ?? '', uriOf(jsonValue(ctx)), requestContext(ctx));
    ctx.status = 201;
  });
  router.get('/clients/:id/redirect-uris', async (ctx) => {
    sendList(ctx, await uris.list(ctx.params.id ?? ''));
  });
}
