import type Router from '@koa/router';
import type { Context } from 'koa';
import type { JWTPayload } from 'jose';
import type { Verifier } from '../../../crypto/keyring.js';
import { BEARER } from '../../shared/bearer.js';
import { HttpError } from '../../shared/errors.js';

export interface VerifyDeps {
  verifier: Verifier<'auth'>;
  isTokenLive(claims: JWTPayload): Promise<boolean>;
}

/** The methods a proxy may forward (nginx auth_request keeps the original method); a body is never read. */
export const FORWARD_AUTH_METHODS: readonly string[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

const invalidToken = (message: string): HttpError =>
  new HttpError(401, message, { 'WWW-Authenticate': 'Bearer error="invalid_token"', 'Cache-Control': 'no-store' });
const insufficient = (message: string): HttpError =>
  new HttpError(403, message, { 'WWW-Authenticate': 'Bearer error="insufficient_scope"', 'Cache-Control': 'no-store' });

/**
 * Header-safe form of a claim: `%`, control characters (CR/LF above all: header injection) and
 * non-ASCII are percent-encoded as UTF-8 so distinct values stay distinct; `extra` adds separators.
 */
export function headerSafe(value: string, extra = ''): string {
  let out = '';
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x20 || code > 0x7e || ch === '%' || extra.includes(ch)) {
      for (const b of Buffer.from(ch, 'utf8')) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    } else {
      out += ch;
    }
  }
  return out;
}

/** All values of a query parameter, split on spaces and commas. */
function listParam(ctx: Context, name: string): string[] {
  const raw = ctx.query[name];
  const values = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return values.flatMap((v) => v.split(/[\s,]+/)).filter(Boolean);
}

const stringList = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];

/**
 * Forward-auth for reverse proxies (nginx auth_request, Caddy forward_auth, Traefik ForwardAuth):
 * checks the bearer token locally (signature over cached keys, iss, exp, plane, session not revoked,
 * access token only), then the optional `scope` (all), `role` (any) and `aud` (all) query requirements.
 * 200 carries the identity as X-Auth-* headers; 401/403 use RFC 6750 §3 challenges. No argon2, no
 * rate limit (a proxy calls it on every request).
 */
export function verifyRoutes(router: Router, deps: VerifyDeps): void {
  router.all('/verify', async (ctx, next) => {
    if (!FORWARD_AUTH_METHODS.includes(ctx.method)) return next();
    const match = BEARER.exec(ctx.get('Authorization'));
    if (!match?.[1]) {
      throw new HttpError(401, 'Missing bearer token', { 'WWW-Authenticate': 'Bearer', 'Cache-Control': 'no-store' });
    }
    let claims: JWTPayload;
    try {
      claims = await deps.verifier.verify(match[1]);
    } catch {
      throw invalidToken('Invalid or expired token');
    }
    // ID tokens are signed by the same key but are not credentials (OIDC Core §2).
    if (claims.token_use !== 'access') throw invalidToken('Not an access token');
    if (!(await deps.isTokenLive(claims))) throw invalidToken('Token has been revoked');

    const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [];
    const roles = stringList(claims.roles);
    const auds = stringList(claims.aud);
    const needScopes = listParam(ctx, 'scope');
    const anyRoles = listParam(ctx, 'role');
    const needAuds = listParam(ctx, 'aud');
    if (!needScopes.every((s) => scopes.includes(s))) throw insufficient('Missing required scope');
    if (anyRoles.length > 0 && !anyRoles.some((r) => roles.includes(r))) throw insufficient('Missing required role');
    if (!needAuds.every((a) => auds.includes(a))) throw insufficient('Token not meant for this audience');

    const sub = typeof claims.sub === 'string' ? claims.sub : '';
    ctx.set('Cache-Control', 'no-store');
    ctx.set('X-Auth-Sub', headerSafe(sub));
    ctx.set('X-Auth-Scope', scopes.map((s) => headerSafe(s)).join(' '));
    ctx.set('X-Auth-Roles', roles.map((r) => headerSafe(r, ',')).join(','));
    ctx.set('X-Auth-Client', typeof claims.client_id === 'string' ? headerSafe(claims.client_id) : '');
    ctx.set('X-Auth-Expires', String(claims.exp ?? ''));
    ctx.body = { active: true, sub };
  });
}
