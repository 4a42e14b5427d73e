import { decodeJwt, decodeProtectedHeader, type JWTPayload } from 'jose';
import type { Verifier } from '../crypto/keyring.js';
import { refreshTokenDigest } from '../crypto/secrets.js';
import type { Store } from '../store/index.js';
import type { RefreshTokenRow } from '../store/refresh-tokens.js';
import { recordAfterResponse, type AuditFailure } from './audit-trail.js';
import type { AuthenticatedClient } from './client-auth.js';
import { Forbidden, InvalidInput } from './errors.js';
import type { RequestContext } from './request-context.js';
import type { TokenLiveness } from './token-liveness.js';

/** Holders of this scope may introspect any auth-plane token, not only their own (RFC 7662 §4). */
export const INTROSPECT_SCOPE = 'microauthd:introspect';
/** Holders of this scope may revoke any auth-plane token, not only their own. */
export const REVOKE_SCOPE = 'microauthd:revoke';

export type TokenTypeHint = 'access_token' | 'refresh_token' | '';

export interface IntrospectionDeps {
  store: Pick<Store, 'clients' | 'users' | 'sessions' | 'denylist' | 'refreshTokens' | 'audit'>;
  verifier: Verifier<'auth'>;
  isTokenLive: TokenLiveness;
  issuer: string;
  now: () => Date;
  /** An introspection audit record could not be written after the answer (see audit-trail.ts). */
  onAuditFailure: AuditFailure;
}

type Found =
  | { kind: 'access'; claims: JWTPayload }
  | { kind: 'refresh'; row: RefreshTokenRow };

const INACTIVE = { active: false } as const;
const looksLikeJwt = (t: string): boolean => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(t);
/** Hinted type first, then the other (RFC 7009 §2.1, RFC 7662 §2.1). */
const order = (hint: TokenTypeHint): ('access' | 'refresh')[] => (hint === 'refresh_token' ? ['refresh', 'access'] : ['access', 'refresh']);

/**
 * RFC 7662 introspection and RFC 7009 revocation of AUTH-plane tokens, for the auth plane
 * (client-authenticated, ownership rule) and the admin plane (an administrator: any token).
 */
export function createTokenIntrospection(deps: IntrospectionDeps) {
  const { store } = deps;

  /** A signature-valid, unexpired access token of this plane (ID tokens are not access tokens). */
  async function verifiedAccess(token: string): Promise<JWTPayload | null> {
    if (!looksLikeJwt(token)) return null;
    try {
      const claims = await deps.verifier.verify(token);
      return claims.token_use === 'access' ? claims : null;
    } catch {
      return null;
    }
  }

  /** A refresh token that can still be redeemed. */
  async function liveRefresh(token: string): Promise<RefreshTokenRow | null> {
    if (!token || token.length > 512) return null;
    const row = await store.refreshTokens.findByDigest(refreshTokenDigest(token));
    if (!row || row.isRevoked || row.usedAt !== null || Date.parse(row.expiresAt) <= deps.now().getTime()) return null;
    return row;
  }

  async function find(token: string, hint: TokenTypeHint): Promise<Found | null> {
    for (const kind of order(hint)) {
      if (kind === 'access') {
        const claims = await verifiedAccess(token);
        if (claims) return { kind, claims };
      } else {
        const row = await liveRefresh(token);
        if (row) return { kind, row };
      }
    }
    return null;
  }

  const clientOf = (f: Found): string => (f.kind === 'access' ? String(f.claims.client_id ?? '') : f.row.clientIdentifier);

  async function mayActOn(caller: AuthenticatedClient | null, f: Found, scope: string): Promise<boolean> {
    if (caller === null) return true; // the admin plane
    if (clientOf(f) === caller.clientIdentifier) return true;
    return f.kind === 'access' && (await store.clients.scopeNamesOf(caller.id)).includes(scope);
  }

  async function describe(f: Found): Promise<Record<string, unknown>> {
    if (f.kind === 'access') {
      const c = f.claims;
      return {
        active: true, scope: typeof c.scope === 'string' ? c.scope : '', client_id: c.client_id,
        username: typeof c.username === 'string' ? c.username : undefined, token_type: 'access_token',
        exp: c.exp, iat: c.iat, nbf: c.nbf, sub: c.sub, aud: c.aud, iss: c.iss, jti: c.jti,
        token_use: c.token_use, mad: c.mad,
      };
    }
    const r = f.row;
    const [user, client] = await Promise.all([store.users.getById(r.userId), store.clients.findByIdentifier(r.clientIdentifier)]);
    const sec = (iso: string): number => Math.floor(Date.parse(iso) / 1000);
    return {
      active: true, scope: r.scope, client_id: r.clientIdentifier, username: user?.username, token_type: 'refresh_token',
      exp: sec(r.expiresAt), iat: sec(r.issuedAt), nbf: sec(r.issuedAt), sub: r.userId, aud: client?.audience,
      iss: deps.issuer, jti: r.id, token_use: 'refresh', mad: 'auth',
    };
  }

  /** Revokes what the token grants: its session row, its jti (client tokens), or its refresh family. */
  async function revokeFound(f: Found, rc: RequestContext, actor: string): Promise<void> {
    const entry = { ...rc, actorId: actor, action: 'token_revoked', target: clientOf(f) };
    if (f.kind === 'refresh') {
      await store.refreshTokens.revokeFamily(f.row.familyId, { ...entry, secondary: 'refresh_token' });
    } else if (f.claims.gty === 'client_credentials') {
      await store.denylist.add(String(f.claims.jti), new Date(Number(f.claims.exp) * 1000), { ...entry, secondary: 'access_token' });
    } else {
      await store.sessions.revoke(String(f.claims.jti), { ...entry, secondary: 'access_token' });
    }
  }

  return {
    /**
     * Auth-plane `/introspect`: active only for a live token the caller owns (`client_id`), or any
     * token when the caller holds `microauthd:introspect`; anything else is `{"active":false}`.
     */
    async introspect(caller: AuthenticatedClient, token: string, hint: TokenTypeHint, rc: RequestContext): Promise<Record<string, unknown>> {
      const f = await find(token, hint);
      const ok = f !== null && (f.kind === 'refresh' || (await deps.isTokenLive(f.claims))) && (await mayActOn(caller, f, INTROSPECT_SCOPE));
      recordAfterResponse(store, { ...rc, actorId: caller.clientIdentifier, action: ok ? 'token.introspect.success' : 'token.introspect.failure',
        target: `client=${caller.clientIdentifier}`, outcome: ok ? 'success' : 'failure', ...(ok ? {} : { secondary: 'inactive_or_foreign' }) },
      deps.onAuditFailure);
      if (!ok || !f) return { ...INACTIVE };
      // Absent claims stay undefined: JSON leaves them out (deleting them would slow the object down).
      return describe(f);
    },

    /** Auth-plane `/revoke` (RFC 7009): own tokens, or any with `microauthd:revoke`; silent otherwise (§2.2). */
    async revoke(caller: AuthenticatedClient, token: string, hint: TokenTypeHint, rc: RequestContext): Promise<void> {
      const f = await find(token, hint);
      if (f && (await mayActOn(caller, f, REVOKE_SCOPE))) await revokeFound(f, rc, caller.clientIdentifier);
    },

    /** Admin `/revoke`: any auth-plane token, by an administrator. */
    async adminRevoke(token: string, hint: TokenTypeHint, rc: RequestContext): Promise<boolean> {
      const f = await find(token, hint);
      if (f) await revokeFound(f, rc, rc.actorId ?? 'admin');
      return f !== null;
    },

    /**
     * Admin `/introspect`. A refresh token (hinted `refresh_token`, or any string that is not a JWT)
     * is looked up as on the auth plane. A JWT is verified (signature and issuer; lifetime checked
     * here, not by the verifier). An ACTIVE token answers the reference shape: its claims plus
     * `valid: true`, `expired: false`, `active: true`. Anything inactive (revoked, expired, not yet
     * valid, unknown, bad signature) answers `{"active":false}` and nothing else (security.md).
     * An undecodable JWT is `InvalidInput('Invalid token format')`; `isAdminKid` tells admin-plane
     * tokens apart: those are refused (Forbidden).
     */
    async adminIntrospect(token: string, hint: TokenTypeHint, isAdminKid: (kid: string) => boolean,
      rc: RequestContext): Promise<Record<string, unknown>> {
      const audit = (jti: unknown): Promise<void> => store.audit.append({ ...rc, actorId: rc.actorId ?? 'admin',
        action: 'admin.auth.token.introspect', target: typeof jti === 'string' ? `jti=${jti}` : null });
      const jwt = looksLikeJwt(token);
      if (hint === 'refresh_token' || !jwt) {
        const row = await liveRefresh(token);
        if (row) {
          await audit(row.id);
          return { ...(await describe({ kind: 'refresh', row })), valid: true, expired: false };
        }
        if (!jwt) {
          await audit(null);
          return { ...INACTIVE };
        }
      }
      let kid: unknown;
      let mad: unknown;
      try {
        kid = decodeProtectedHeader(token).kid;
        mad = decodeJwt(token).mad;
      } catch {
        throw new InvalidInput('Invalid token format');
      }
      if ((typeof kid === 'string' && isAdminKid(kid)) || mad === 'admin') {
        throw new Forbidden('Admin token introspection is not allowed');
      }
      let claims: JWTPayload | null;
      try {
        // Lifetime is checked below (an expired token is inactive), not by the verifier.
        claims = await deps.verifier.verify(token, { clockToleranceSeconds: 100 * 365 * 86400 });
      } catch {
        claims = null;
      }
      await audit(claims?.jti);
      if (!claims) return { ...INACTIVE };
      const now = deps.now().getTime() / 1000;
      const expired = typeof claims.exp === 'number' && claims.exp <= now;
      const active = !expired && (typeof claims.nbf !== 'number' || claims.nbf <= now + 30) && (await deps.isTokenLive(claims));
      return active ? { ...claims, valid: true, expired: false, active: true } : { ...INACTIVE };
    },
  };
}

export type TokenIntrospection = ReturnType<typeof createTokenIntrospection>;
