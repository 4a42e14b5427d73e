import type Router from '@koa/router';
import type { Context } from 'koa';
import type { ExternalIdpService } from '../../../services/external-idps.js';
import { requestContext } from '../request-context.js';
import { jsonFields } from '../../shared/input.js';
import { message, optionalTrimmed, sendList } from './admin-input.js';

function idpInput(ctx: Context) {
  const f = jsonFields(ctx);
  const out: { providerKey?: string; displayName?: string; issuer?: string; clientIdentifier?: string; scopes?: string } = {};
  const set = (k: keyof typeof out, wire: string, max = 512) => {
    const v = optionalTrimmed(f, wire, max);
    if (v !== undefined) out[k] = v;
  };
  set('providerKey', 'provider_key', 100);
  set('displayName', 'display_name', 200);
  set('issuer', 'issuer', 2048);
  set('clientIdentifier', 'client_identifier', 256);
  set('scopes', 'scopes', 1024);
  return out;
}

/** External IdPs per client (reference 69–72), also under `/admin/...` where the original `mad` calls them. */
export function externalIdpRoutes(router: Router, idps: ExternalIdpService): void {
  for (const prefix of ['', '/admin']) {
    router.get(`${prefix}/clients/:clientId/idp`, async (ctx) => {
      sendList(ctx, await idps.list(ctx.params.clientId ?? ''));
    });
    router.post(`${prefix}/clients/:clientId/idp`, async (ctx) => {
      ctx.body = await idps.create(ctx.params.clientId ?? '', idpInput(ctx), requestContext(ctx));
      ctx.status = 201;
    });
    router.put(`${prefix}/clients/:clientId/idp/:id`, async (ctx) => {
      ctx.body = await idps.update(ctx.params.clientId ?? '', ctx.params.id ?? '', idpInput(ctx), requestContext(ctx));
    });
    router.delete(`${prefix}/clients/:clientId/idp/:id`, async (ctx) => {
      await idps.delete(ctx.params.clientId ?? '', ctx.params.id ?? '', requestContext(ctx));
      ctx.body = message('External IDP provider deleted');
    });
  }
}
