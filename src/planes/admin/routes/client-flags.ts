import type Router from '@koa/router';
import type { Context } from 'koa';
import type { ClientFlagService } from '../../../services/client-flags.js';
import { badRequest } from '../../shared/errors.js';
import { fieldsOf } from '../../shared/input.js';
import { requestContext } from '../request-context.js';
import { message, optionalTrimmed } from './admin-input.js';

/** Form or JSON body; `client_id` from the body or the query (contract.md). */
function flagInput(ctx: Context): { fields: Record<string, unknown>; clientId: string } {
  const fields = fieldsOf(ctx);
  const q = ctx.query.client_id;
  const clientId = optionalTrimmed(fields, 'client_id', 200) || (typeof q === 'string' ? q.trim() : '');
  return { fields, clientId };
}

function boolOf(v: unknown, name: string): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return v.trim().toLowerCase() === 'true';
  throw badRequest(`Field '${name}' must be a boolean`);
}

/**
 * `enabled` (server form) or `is_enabled` (what the original `mad` sends, mad-cli.md). Neither is 400:
 * the original read a missing value as false, which silently turned flags off (compatibility.md).
 */
function enabledOf(fields: Record<string, unknown>): boolean {
  const present = (['enabled', 'is_enabled'] as const).filter((k) => fields[k] !== undefined && fields[k] !== null);
  if (present.length === 0) throw badRequest("Field 'enabled' (or 'is_enabled') is required: true or false");
  const values = present.map((k) => boolOf(fields[k], k));
  if (values.some((v) => v !== values[0])) throw badRequest("Fields 'enabled' and 'is_enabled' disagree");
  return values[0] as boolean;
}

const cased = (b: boolean) => (b ? 'True' : 'False');

/** Per-client feature flags (reference 57–60), singular `/client/`. */
export function clientFlagRoutes(router: Router, flags: ClientFlagService): void {
  router.post('/client/options/:flag', async (ctx) => {
    const { fields, clientId } = flagInput(ctx);
    const enabled = enabledOf(fields);
    await flags.set(ctx.params.flag ?? '', clientId, enabled, requestContext(ctx));
    ctx.body = message(`Feature '${ctx.params.flag}' set to ${cased(enabled)}`);
  });
  router.post('/client/options/:flag/ext', async (ctx) => {
    const { fields, clientId } = flagInput(ctx);
    await flags.setOptions(ctx.params.flag ?? '', clientId, optionalTrimmed(fields, 'options', 4096) ?? '', requestContext(ctx));
    ctx.body = message(`Option for '${ctx.params.flag}' updated.`);
  });
  router.get('/client/options/:flag', async (ctx) => {
    const { clientId } = flagInput(ctx);
    const f = await flags.get(ctx.params.flag ?? '', clientId);
    ctx.body = { success: true, message: cased(f.enabled), enabled: f.enabled };
  });
  router.get('/client/options/:flag/ext', async (ctx) => {
    const { clientId } = flagInput(ctx);
    const f = await flags.get(ctx.params.flag ?? '', clientId);
    ctx.body = { success: true, message: f.options, enabled: f.enabled };
  });
}
