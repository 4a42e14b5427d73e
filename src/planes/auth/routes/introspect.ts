import type Router from '@koa/router';
import type { Context } from 'koa';
import type { ClientAuth } from '../../../services/client-auth.js';
import type { TokenIntrospection, TokenTypeHint } from '../../../services/token-introspection.js';
import { bodyOf } from '../../shared/input.js';
import { noStore } from '../../shared/security-headers.js';
import { authenticatedClient, presentedClient } from '../client-credentials.js';
import { InvalidRequest } from '../errors.js';
import { requestContext } from '../request-context.js';

/** Form or JSON body (contract.md), as an object of fields. */
function fieldsOf(ctx: Context): Record<string, unknown> {
  const body = bodyOf(ctx);
  if (body.kind === 'none') return {};
  if (body.value === null || typeof body.value !== 'object' || Array.isArray(body.value)) throw new InvalidRequest('Request body must be an object');
  return body.value as Record<string, unknown>;
}

const stringOf = (v: unknown, max: number): string => (typeof v === 'string' && v.length <= max ? v.trim() : '');
export const hintOf = (v: unknown): TokenTypeHint => (v === 'access_token' || v === 'refresh_token' ? v : '');

/**
 * RFC 7662 `/introspect` and RFC 7009 `/revoke`, client-authenticated (Basic or form). See
 * docs/auth-api.md for who may introspect or revoke what.
 */
export function introspectionRoutes(router: Router, deps: { introspection: TokenIntrospection; clientAuth: ClientAuth; revocation: boolean }): void {
  router.post('/introspect', noStore(), async function introspect(ctx: Context) {
    const fields = fieldsOf(ctx);
    const presented = presentedClient(ctx, fields);
    const client = await authenticatedClient(presented, deps.clientAuth);
    const token = stringOf(fields.token, 16384);
    if (!token) throw new InvalidRequest('Missing token');
    ctx.body = await deps.introspection.introspect(client, token, hintOf(fields.token_type_hint), requestContext(ctx, client.clientIdentifier));
  });

  if (!deps.revocation) return;
  router.post('/revoke', noStore(), async function revoke(ctx: Context) {
    const fields = fieldsOf(ctx);
    const presented = presentedClient(ctx, fields);
    const client = await authenticatedClient(presented, deps.clientAuth);
    const token = stringOf(fields.token, 16384);
    if (!token) throw new InvalidRequest('Missing token');
    await deps.introspection.revoke(client, token, hintOf(fields.token_type_hint), requestContext(ctx, client.clientIdentifier));
    // RFC 7009 §2.2: 200 whether or not the token was valid; the body is the reference's.
    ctx.body = { success: true, message: 'Token revoked' };
  });
}
