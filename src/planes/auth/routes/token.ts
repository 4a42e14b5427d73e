import type Router from '@koa/router';
import type { Context } from 'koa';
import type { AuthTokenService } from '../../../services/auth-tokens.js';
import { ScopeNotAllowed } from '../../../services/auth-tokens.js';
import type { AuthorizationService } from '../../../services/authorization.js';
import type { ClientAuth } from '../../../services/client-auth.js';
import { InvalidCredentials } from '../../../services/errors.js';
import { forbidden } from '../../shared/errors.js';
import { bodyOf } from '../../shared/input.js';
import { noStore } from '../../shared/security-headers.js';
import { authenticatedClient, presentedClient } from '../client-credentials.js';
import { InvalidClient, InvalidGrant, InvalidRequest, InvalidScope, UnsupportedGrantType } from '../errors.js';
import { requestContext } from '../request-context.js';

/** A form field, '' when absent; over-long values are `invalid_request` (never a 500). */
function field(fields: Record<string, unknown>, name: string, max = 1024, trim = true): string {
  const v = fields[name];
  if (typeof v !== 'string') return '';
  if (v.length > max) throw new InvalidRequest(`Field '${name}' is too long`);
  return trim ? v.trim() : v;
}

/** RFC 6749 §3.2: the token endpoint takes a form body; parameters must not repeat (§3.1). */
function tokenForm(ctx: Context): Record<string, unknown> {
  const body = bodyOf(ctx);
  if (body.kind === 'json') throw new InvalidRequest('The token endpoint takes application/x-www-form-urlencoded');
  if (body.kind !== 'form') throw new InvalidRequest('Missing required fields');
  if (body.duplicates.length) throw new InvalidRequest(`Repeated parameter: ${body.duplicates[0] ?? ''}`);
  return body.value as Record<string, unknown>;
}

/** Credential failures of any kind are one answer: 400 invalid_grant "Invalid credentials". */
async function asGrant<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof InvalidCredentials) throw new InvalidGrant();
    if (err instanceof ScopeNotAllowed) throw new InvalidScope(err.message);
    throw err;
  }
}

export function tokenRoutes(router: Router, deps: { tokens: AuthTokenService; clientAuth: ClientAuth;
  /** Absent when `enable-pkce` is off: the grant is then `invalid_grant` (as in the original). */
  authorization?: AuthorizationService | undefined; }): void {
  const { tokens, clientAuth, authorization } = deps;

  router.post('/token', noStore(), async function token(ctx: Context) {
    const fields = tokenForm(ctx);
    const grant = field(fields, 'grant_type', 128);
    const rc = requestContext(ctx);
    switch (grant) {
      case 'password': {
        const presented = presentedClient(ctx, fields);
        const username = field(fields, 'username', 256);
        const password = field(fields, 'password', 1024, false);
        if (!username || !password || !presented.clientId || !presented.clientSecret) throw new InvalidRequest('Missing required fields');
        const client = await authenticatedClient(presented, clientAuth);
        ctx.body = await asGrant(tokens.password(client, { username, password, totpCode: field(fields, 'totp_code', 16) }, rc));
        return;
      }
      case 'refresh_token': {
        if (!tokens.refreshEnabled) throw new UnsupportedGrantType('Refresh tokens are disabled on this server');
        const presented = presentedClient(ctx, fields);
        const refresh = field(fields, 'refresh_token', 512);
        if (!refresh || !presented.clientId || !presented.clientSecret) throw new InvalidRequest('Missing required fields');
        const client = await authenticatedClient(presented, clientAuth);
        ctx.body = await asGrant(tokens.refresh(client, refresh, rc));
        return;
      }
      case 'client_credentials': {
        const presented = presentedClient(ctx, fields);
        if (!presented.clientId || !presented.clientSecret) throw new InvalidRequest('Missing required fields');
        const client = await authenticatedClient(presented, clientAuth);
        ctx.body = await asGrant(tokens.clientCredentials(client, field(fields, 'scope', 2048), 'token_issued', rc));
        return;
      }
      case 'authorization_code': {
        const presented = presentedClient(ctx, fields);
        const code = field(fields, 'code', 512);
        const redirectUri = field(fields, 'redirect_uri', 2048, false);
        const codeVerifier = field(fields, 'code_verifier', 256);
        if (!code || !redirectUri || !presented.clientId) throw new InvalidRequest('Missing required fields');
        if (!authorization) throw new InvalidGrant();
        // A public client (no secret) proves nothing but PKCE; a confidential one authenticates (RFC 6749 §4.1.3).
        const exchanging = await authorization.exchangingClient(presented.clientId);
        if (!exchanging) throw new InvalidClient('Invalid client credentials', presented.basic);
        const authenticated = !exchanging.isPublic;
        if (exchanging.isPublic && presented.clientSecret) throw new InvalidClient('Invalid client credentials', presented.basic);
        const client = exchanging.isPublic ? exchanging.client : await authenticatedClient(presented, clientAuth);
        ctx.body = await asGrant(authorization.exchange(client, authenticated, { code, redirectUri, codeVerifier }, rc));
        return;
      }
      case '':
        throw new InvalidRequest('Missing required fields');
      default:
        throw new UnsupportedGrantType('Unsupported grant_type');
    }
  });

  /** The original's machine-token route: every failure is 403 `Invalid credentials` (auth-api.md §5). */
  router.post('/oidc/token', noStore(), async function oidcToken(ctx: Context) {
    const body = bodyOf(ctx);
    if (body.kind !== 'form' || body.duplicates.length) throw forbidden('Invalid credentials');
    const fields = body.value as Record<string, unknown>;
    let presented;
    try {
      presented = presentedClient(ctx, fields);
    } catch {
      throw forbidden('Invalid credentials');
    }
    if (field(fields, 'grant_type', 128) !== 'client_credentials') throw forbidden('Invalid credentials');
    const client = await clientAuth(presented.clientId, presented.clientSecret);
    if (!client) throw forbidden('Invalid credentials');
    try {
      ctx.body = await tokens.clientCredentials(client, field(fields, 'scope', 2048), 'oidc_token_issued', requestContext(ctx));
    } catch (err) {
      if (err instanceof ScopeNotAllowed) throw forbidden('Invalid credentials');
      throw err;
    }
  });
}
