import type Router from '@koa/router';
import type { ScopeService } from '../../../services/scopes.js';
import { jsonFields, optionalBool, optionalString, stringArray, stringField } from '../../shared/input.js';
import { requestContext } from '../request-context.js';
import { message, sendList } from './admin-input.js';


/** Scopes (routes 49–54) and user scopes (76–78). */
export function scopeRoutes(router: Router, scopes: ScopeService): void {
  router.post('/scopes', async (ctx) => {
    const f = jsonFields(ctx);
    // contract.md: `desc` is optional (the original threw a 500 without it).
    ctx.body = await scopes.create(stringField(f, 'name', 256), optionalString(f, 'desc', 2000) ?? '', requestContext(ctx));
  });
  router.put('/scopes/:id', async (ctx) => {
    const f = jsonFields(ctx);
    const name = optionalString(f, 'name', 256);
    const isProtected = optionalBool(f, 'is_protected');
    ctx.body = await scopes.update(ctx.params.id ?? '', { ...(typeof name === 'string' ? { name } : {}),
      ...('desc' in f ? { desc: optionalString(f, 'desc', 2000) ?? null } : {}),
      ...(isProtected !== undefined ? { is_protected: isProtected } : {}) }, requestContext(ctx));
  });
  router.get('/scopes', async (ctx) => {
    sendList(ctx, await scopes.list());
  });
  router.get('/scopes/id-by-name/:name', async (ctx) => {
    ctx.type = 'application/json';
    ctx.body = JSON.stringify(await scopes.idByName(ctx.params.name ?? ''));
  });
  router.get('/scopes/:id', async (ctx) => {
    ctx.body = await scopes.get(ctx.params.id ?? '');
  });
  router.delete('/scopes/:scopeId', async (ctx) => {
    ctx.body = message(await scopes.delete(ctx.params.scopeId ?? '', requestContext(ctx)));
  });

  router.get('/users/:userId/scopes', async (ctx) => {
    sendList(ctx, await scopes.ofUser(ctx.params.userId ?? ''));
  });
  router.post('/users/:userId/scopes', async (ctx) => {
    ctx.body = message(await scopes.assignToUser(ctx.params.userId ?? '', stringArray(jsonFields(ctx), 'scope_ids'), requestContext(ctx)));
  });
  router.delete('/users/:userId/scopes/:scopeId', async (ctx) => {
    ctx.body = message(await scopes.removeFromUser(ctx.params.userId ?? '', ctx.params.scopeId ?? '', requestContext(ctx)));
  });
}
