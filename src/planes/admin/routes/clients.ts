import type Router from '@koa/router';
import type { ClientService } from '../../../services/clients.js';
import { badRequest } from '../../shared/errors.js';
import { requestContext } from '../request-context.js';
import { jsonFields } from '../../shared/input.js';
import { noStore } from '../../shared/security-headers.js';
import { intQuery, message, optionalTrimmed, sendPage } from './admin-input.js';

/** Clients (reference routes 55, 56, 61–65). Every `{id}` is the internal id or the identifier. */
export function clientRoutes(router: Router, clients: ClientService): void {
  // Answers that can carry a client secret are never cached (Cache-Control: no-store, Pragma: no-cache).
  router.post('/clients', noStore(), async function createClient(ctx) {
    const f = jsonFields(ctx);
    const clientId = optionalTrimmed(f, 'client_id', 200) ?? '';
    const secret = optionalTrimmed(f, 'client_secret', 1024);
    const displayName = optionalTrimmed(f, 'display_name', 200);
    const audience = optionalTrimmed(f, 'audience', 200);
    ctx.body = await clients.create({ clientId, ...(secret !== undefined ? { clientSecret: secret } : {}),
      ...(displayName !== undefined ? { displayName } : {}), ...(audience !== undefined ? { audience } : {}) }, requestContext(ctx));
  });

  router.get('/clients', async (ctx) => {
    sendPage(ctx, await clients.list({ ...optional('limit', intQuery(ctx, 'limit', 1000)), ...optional('offset', intQuery(ctx, 'offset')) }));
  });

  router.get('/clients/id-by-name/:clientId', async (ctx) => {
    ctx.type = 'application/json';
    ctx.body = JSON.stringify(await clients.idByName(ctx.params.clientId ?? ''));
  });

  router.post('/clients/secret', noStore(), async function changeClientSecret(ctx) {
    const f = jsonFields(ctx);
    const key = optionalTrimmed(f, 'client_id', 200);
    if (!key) throw badRequest('client_id is required');
    const secret = await clients.changeSecret(key, optionalTrimmed(f, 'new_secret', 1024), requestContext(ctx));
    ctx.body = message(secret);
  });

  router.get('/clients/:id', async (ctx) => {
    ctx.body = await clients.get(ctx.params.id ?? '');
  });

  router.put('/clients/:id', async function updateClient(ctx) {
    const f = jsonFields(ctx);
    const isActive = f.is_active;
    if (isActive !== undefined && isActive !== null && typeof isActive !== 'boolean') throw badRequest("Field 'is_active' must be a boolean");
    const clientId = optionalTrimmed(f, 'client_id', 200);
    const displayName = optionalTrimmed(f, 'display_name', 200);
    const audience = optionalTrimmed(f, 'audience', 200);
    ctx.body = await clients.update(ctx.params.id ?? '', {
      ...(clientId !== undefined ? { clientId } : {}), ...(displayName !== undefined ? { displayName } : {}),
      ...(audience !== undefined ? { audience } : {}), ...(typeof isActive === 'boolean' ? { isActive } : {}),
    }, requestContext(ctx));
  });

  router.delete('/clients/:id', async (ctx) => {
    const key = ctx.params.id ?? '';
    await clients.delete(key, requestContext(ctx));
    ctx.body = message(`Client '${key}' deleted`);
  });
}

const optional = <K extends string>(k: K, v: number | undefined): Partial<Record<K, number>> =>
  (v === undefined ? {} : { [k]: v }) as Partial<Record<K, number>>;
