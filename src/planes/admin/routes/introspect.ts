import type Router from '@koa/router';
import type { Context } from 'koa';
import type { KeyManager } from '../../../crypto/keyring.js';
import type { TokenIntrospection, TokenTypeHint } from '../../../services/token-introspection.js';
import { badRequest } from '../../shared/errors.js';
import { fieldsOf } from '../../shared/input.js';
import { noStore } from '../../shared/security-headers.js';
import { requestContext } from '../request-context.js';

// Bodies: form or JSON, through fieldsOf (contract.md: the original `mad` sends form, the original server wanted JSON).
const tokenOf = (fields: Record<string, unknown>): string =>
  typeof fields.token === 'string' && fields.token.length <= 16384 ? fields.token.trim() : '';
const hintOf = (v: unknown): TokenTypeHint => (v === 'access_token' || v === 'refresh_token' ? v : '');

/**
 * Admin `POST /introspect` (route 82) and `POST /revoke` (route 19) for AUTH-plane access and
 * refresh tokens (`token_type_hint` honoured). The auth plane's public verifier is behind
 * `introspection`; admin-plane tokens are refused.
 */
export function adminIntrospectionRoutes(router: Router, deps: {
  introspection: TokenIntrospection; adminKeys: KeyManager<'admin'>; revocation: boolean;
}): void {
  const isAdminKid = (kid: string): boolean => deps.adminKeys.list().some((k) => k.kid === kid);

  router.post('/introspect', noStore(), async function introspect(ctx: Context) {
    const fields = fieldsOf(ctx);
    const token = tokenOf(fields);
    if (!token) throw badRequest('Token is required');
    ctx.body = await deps.introspection.adminIntrospect(token, hintOf(fields.token_type_hint), isAdminKid, requestContext(ctx));
  });

  if (!deps.revocation) return;
  router.post('/revoke', async function revoke(ctx: Context) {
    const fields = fieldsOf(ctx);
    const token = tokenOf(fields);
    if (!token) throw badRequest('Missing token');
    await deps.introspection.adminRevoke(token, hintOf(fields.token_type_hint), requestContext(ctx));
    // RFC 7009 §2.2: unknown and invalid tokens are answered the same way.
    ctx.body = { success: true, message: 'Token revoked' };
  });
}
