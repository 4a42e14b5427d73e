import type Router from '@koa/router';
import type { ClientService } from '../../../services/clients.js';
import { badRequest } from '../../shared/errors.js';
import { requestContext } from '../request-context.js';
import { jsonFields } from '../../shared/input.js';
import { message, sendList } from './admin-input.js';

/** Scopes assigned to a client (reference 73–75); `{id}` is the internal id or the identifier. */
export function clientScopeRoutes(router: Router, clients: ClientService): void {
  router.post('/clients/:id/scopes', async function assignClientScopes(ctx) {
    const f = jsonFields(ctx);
    const ids = f.scope_ids;
    if (ids !== undefined && (!Array.isArray(ids) || !ids.every((x) => typeof x === 'string' && x.length <= 100) || ids.length > 1000)) {
      throw badRequest("Field 'scope_ids' must be an array of scope ids");
    }
    const n = await clients.assignScopes(ctx.params.id ?? '', (ids ?? []) as string[], requestContext(ctx));
    ctx.body = message(`Assigned ${n} scope(s) to client.`);
  });

  router.get('/clients/:id/scopes', async (ctx) => {
    sendList(ctx, await clients.scopesOf(ctx.params.id ?? ''));
  });

  router.delete('/clients/:id/scopes/:scopeId', async (ctx) => {
    const { id = '', scopeId = '' } = ctx.params;
    await clients.removeScope(id, scopeId, requestContext(ctx));
    ctx.body = message(`Removed scope '${scopeId}' from client '${id}'`);
  });
}
