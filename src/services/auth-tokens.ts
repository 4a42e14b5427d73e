import { hash } from 'node:crypto';
import type { JWTPayload } from 'jose';
import type { Signer } from '../crypto/keyring.js';
import { newId, newJti, newRefreshToken, refreshTokenDigest } from '../crypto/secrets.js';
import { verifyTotp } from '../crypto/totp.js';
import { ConsumedError, type Store } from '../store/index.js';
import type { NewRefreshToken, RefreshTokenRow } from '../store/refresh-tokens.js';
import type { AuditEntry, NewSession, UserRow } from '../store/types.js';
import type { Claims, FailurePolicy } from '../store/users.js';
import type { TokenResponse } from './admin-tokens.js';
import { recordAfterResponse, type AuditFailure } from './audit-trail.js';
import type { Authenticate } from './authenticate.js';
import type { AuthenticatedClient } from './client-auth.js';
import { InvalidCredentials, InvalidInput } from './errors.js';
import type { RequestContext } from './request-context.js';
import { lifetimesFor, totpEnabledFor } from './token-policy.js';

export interface AuthTokenDeps {
  store: Pick<Store, 'users' | 'clients' | 'totp' | 'refreshTokens' | 'audit'>;
  authenticate: Authenticate;
  signer: Signer<'auth'>;
  issuer: string;
  now: () => Date;
  /** A client_credentials audit record could not be written after the answer (see audit-trail.ts). */
  onAuditFailure: AuditFailure;
  policy: {
    accessSeconds: number;
    refreshSeconds: number;
    /** `enable-token-refresh` (false with `--disable-token-refresh`). */
    refreshEnabled: boolean;
    /** `refresh-reuse-grace-seconds`; 0 = every second presentation is reuse. */
    reuseGraceSeconds: number;
    /** `id-token-expiration` (the original hard-coded 600). */
    idTokenSeconds: number;
    /** The lockout policy: a wrong TOTP code counts as a failed login (no brute force of 10^6 codes). */
    lockout: FailurePolicy;
  };
}

/** A requested scope the client does not hold (`invalid_scope`, RFC 6749 §5.2). */
export class ScopeNotAllowed extends InvalidInput {}

const SECONDS = (d: Date): number => Math.floor(d.getTime() / 1000);

/** How a user's tokens come to be issued. */
interface UserGrant {
  loginMethod: string;
  grantType: string;
  action: string;
  life: { accessSeconds: number; refreshSeconds: number };
  familyId?: string;
  parentId?: string;
  idToken?: IdTokenRequest;
}

/** One user-token issuance: what it writes, and what its access token will say once signed. */
interface Issuance {
  user: Readonly<UserRow>;
  accessClaims: JWTPayload & { iat: number; exp: number; jti: string };
  /** The raw refresh token (only its digest is written). */
  refreshToken: string | null;
  session: NewSession;
  refresh: NewRefreshToken | null;
  entry: AuditEntry;
}

/** What an authorization-code exchange asks for in its ID token. */
export interface IdTokenRequest {
  nonce: string;
  /** When the user really authenticated (seconds since the epoch). */
  authTime: number;
  /** RFC 8176 methods, e.g. ['pwd'] or ['pwd', 'otp']. */
  amr: string[];
}

/**
 * The auth plane's grants (RFC 6749 §4.3 password, §6 refresh_token, §4.4 client_credentials).
 * Every credential failure is the same InvalidCredentials (the plane answers `invalid_grant`).
 */
export function createAuthTokenService(deps: AuthTokenDeps) {
  const { store } = deps;
  /** Successors of just-rotated refresh tokens, by the spent token's digest (grace window). */
  const recent = new Map<string, { clientIdentifier: string; until: number; response: Promise<TokenResponse> }>();
  /**
   * Wrong TOTP codes per user within the failure window. A correct password resets the store's
   * failure counter (authenticate), so second-factor failures are counted here and lock the account
   * through the store once they reach `max-login-failures`.
   */
  const totpFailures = new Map<string, { count: number; since: number }>();
  /** Digests of refresh tokens whose successor is being minted right now. */
  const inFlight = new Set<string>();
  /** A user who may be issued tokens: exists, active, not locked out. */
  const usable = (user: Readonly<UserRow> | null): user is Readonly<UserRow> =>
    user !== null && user.isActive && !(user.lockoutUntil != null && Date.parse(user.lockoutUntil) > deps.now().getTime());

  function remember(digest: string, clientIdentifier: string, response: Promise<TokenResponse>): void {
    if (deps.policy.reuseGraceSeconds <= 0) return;
    const now = Date.now();
    // Oldest first (insertion order, one fixed grace period): stop at the first live entry.
    for (const [k, v] of recent) {
      if (v.until > now) break;
      recent.delete(k);
    }
    recent.set(digest, { clientIdentifier, until: now + deps.policy.reuseGraceSeconds * 1000, response });
    response.catch(() => recent.delete(digest));
  }

  /** A spent refresh token presented again: possible theft, so its whole family is revoked (RFC 9700 §4.14.2). */
  async function reuseDetected(token: RefreshTokenRow, digest: string, client: AuthenticatedClient, rc: RequestContext): Promise<never> {
    recent.delete(digest);
    await store.refreshTokens.revokeFamily(token.familyId, { ...rc, actorId: token.userId,
      action: 'refresh_token_reuse_detected', target: client.clientIdentifier, secondary: token.familyId, outcome: 'failure' });
    throw new InvalidCredentials();
  }

  /** The records one user-token issuance writes, and the access token's claims (signed after the write). */
  function prepareTokens(client: AuthenticatedClient, user: Readonly<UserRow>, claims: Claims, grant: UserGrant,
    rc: RequestContext, issued: { id: string; token: string } | null): Issuance {
    const now = deps.now();
    const iat = SECONDS(now);
    const exp = iat + grant.life.accessSeconds;
    const jti = newJti();
    const scope = claims.scopes.map((s) => s.name).join(' ');
    // RFC 9068 §2.2 claims, plus every role and scope name (contract.md) and the plane marker.
    const accessClaims = {
      iss: deps.issuer, aud: client.audience, sub: user.id, iat, nbf: iat, exp, jti, client_id: client.clientIdentifier,
      scope, roles: claims.roles.map((r) => r.name), mad: 'auth', token_use: 'access',
      username: user.username, preferred_username: user.username, email: user.email, email_verified: user.emailVerified,
    };
    const familyId = grant.familyId ?? newId();
    const session = { id: jti, userId: user.id, clientIdentifier: client.clientIdentifier, issuedAt: now.toISOString(),
      expiresAt: new Date(exp * 1000).toISOString(), madUse: 'auth' as const, loginMethod: grant.loginMethod,
      familyId: issued || grant.familyId ? familyId : null };
    const refresh = issued ? { id: issued.id, tokenSha256: refreshTokenDigest(issued.token), familyId, parentId: grant.parentId ?? null,
      expiresAt: new Date(now.getTime() + grant.life.refreshSeconds * 1000).toISOString(), scope,
      ...(grant.idToken ? { isOpenidToken: true, authTime: grant.idToken.authTime, amr: grant.idToken.amr.join(' ') } : {}) } : null;
    const entry = { ...rc, actorId: user.id, action: grant.action, target: client.clientIdentifier, secondary: grant.grantType };
    return { user, accessClaims, refreshToken: issued?.token ?? null, session, refresh, entry };
  }

  /** The answer to a recorded issuance: its access token (and ID token) signed now. */
  async function signed(client: AuthenticatedClient, issuance: Issuance, idTokenRequest?: IdTokenRequest): Promise<TokenResponse> {
    const { accessClaims: c } = issuance;
    const accessToken = await deps.signer.sign(c, { typ: 'at+jwt' });
    const idToken = idTokenRequest ? await signIdToken(client, issuance.user, idTokenRequest, accessToken, c.iat) : null;
    return { access_token: accessToken, token_type: 'bearer', expires_in: c.exp - c.iat, jti: c.jti,
      refresh_token: issuance.refreshToken, aud: client.audience, id_token: idToken };
  }

  /** Tokens for a user who just authenticated (password, authorization code): recorded, then signed. */
  async function userTokens(client: AuthenticatedClient, user: UserRow, grant: Omit<UserGrant, 'life'>,
    rc: RequestContext): Promise<TokenResponse> {
    const life = lifetimesFor(await store.clients.featuresOf(client.id), deps.policy);
    const issued = deps.policy.refreshEnabled ? newRefreshToken() : null;
    const issuance = prepareTokens(client, user, await store.users.claimsOf(user.id), { ...grant, life }, rc, issued);
    try {
      await store.refreshTokens.issueWithSession(issuance.session, issuance.refresh, issuance.entry);
    } catch (err) {
      // The family was revoked (authorization code reuse detected) while these tokens were being minted.
      if (err instanceof ConsumedError) throw new InvalidCredentials();
      throw err;
    }
    return signed(client, issuance, grant.idToken);
  }

  /**
   * One refresh in one group-commit job (store `rotate`): the presented token is spent and read by
   * one UPDATE, its user checked and its successor recorded from that row; the access token is
   * signed once the commit holds it. A refused user rolls the spend back (the token stays unspent).
   */
  async function rotate(client: AuthenticatedClient, digest: string, rc: RequestContext): Promise<TokenResponse> {
    const life = lifetimesFor(await store.clients.featuresOf(client.id), deps.policy);
    const issued = newRefreshToken();
    const r = await store.refreshTokens.rotate(digest, client.clientIdentifier, issued.id, (spent) => {
      const user = store.users.getByIdSync(spent.userId);
      if (!usable(user)) throw new InvalidCredentials();
      const { refresh, ...rest } = prepareTokens(client, user, store.users.claimsOfSync(user.id), { loginMethod: 'refresh',
        grantType: 'refresh_token', action: 'refresh_token_used', familyId: spent.familyId, parentId: spent.id, life }, rc, issued);
      if (!refresh) throw new Error('a rotation always issues a refresh token');
      return { ...rest, refresh };
    });
    if (r.kind === 'reused') return reuseDetected(r.token, digest, client, rc);
    if (r.kind === 'invalid') throw new InvalidCredentials();
    return signed(client, r.successor);
  }

  /**
   * OpenID Connect Core §2 ID token: `aud` = the client identifier, `amr` an array (RFC 8176),
   * `at_hash` = base64url of the left half of SHA-256(access token) (§3.1.3.6; RS256 and ES256 both use SHA-256).
   */
  async function signIdToken(client: AuthenticatedClient, user: Readonly<UserRow>, req: IdTokenRequest, accessToken: string,
    iat: number): Promise<string> {
    const digest = hash('sha256', accessToken, 'buffer');
    return deps.signer.sign({
      iss: deps.issuer, sub: user.id, aud: client.clientIdentifier, azp: client.clientIdentifier, iat, nbf: iat,
      exp: iat + deps.policy.idTokenSeconds, auth_time: req.authTime, ...(req.nonce ? { nonce: req.nonce } : {}), amr: req.amr,
      at_hash: digest.subarray(0, digest.length / 2).toString('base64url'), token_use: 'id', mad: 'id',
      preferred_username: user.username, email: user.email, email_verified: user.emailVerified,
    }, { typ: 'JWT' });
  }

  async function failLogin(rc: RequestContext, client: AuthenticatedClient, username: string, why: string): Promise<never> {
    await store.audit.append({ ...rc, actorId: 'anonymous', action: 'login_failed', target: client.clientIdentifier,
      secondary: `${why}:${username.slice(0, 64)}`, outcome: 'failure' });
    throw new InvalidCredentials();
  }

  /** The TOTP second factor, when the client enables it and the user enrolled for this client. */
  async function totpSatisfied(client: AuthenticatedClient, user: UserRow, code: string): Promise<boolean> {
    if (!totpEnabledFor(await store.clients.featuresOf(client.id))) return true;
    const row = await store.totp.get(user.id, client.id);
    if (!row?.isEnabled) return true;
    const step = code ? verifyTotp(row.secret, code, row.lastUsedStep) : null;
    // acceptStep refuses a step at or before the last accepted one: a code works once (RFC 6238 §5.2).
    return step !== null && store.totp.acceptStep(user.id, client.id, step, false);
  }

  async function countTotpFailure(userId: string, rc: RequestContext): Promise<void> {
    const { maxFailures, windowSeconds } = deps.policy.lockout;
    if (maxFailures <= 0) return;
    const now = deps.now().getTime();
    if (totpFailures.size > 10_000) for (const [k, v] of totpFailures) if (now - v.since > windowSeconds * 1000) totpFailures.delete(k);
    const prev = totpFailures.get(userId);
    const entry = prev && now - prev.since <= windowSeconds * 1000 ? { count: prev.count + 1, since: prev.since } : { count: 1, since: now };
    if (entry.count < maxFailures) {
      totpFailures.set(userId, entry);
      return;
    }
    totpFailures.delete(userId);
    await store.users.recordFailedLogin(userId, { ...deps.policy.lockout, maxFailures: 1 },
      { ...rc, actorId: userId, action: 'account_locked', target: userId, outcome: 'failure', secondary: 'totp' });
  }

  return {
    refreshEnabled: deps.policy.refreshEnabled,

    /** The password step of a browser login: the user, or InvalidCredentials (audited, counted toward lockout). */
    async checkPassword(client: AuthenticatedClient, username: string, password: string, rc: RequestContext): Promise<UserRow> {
      const user = await deps.authenticate(username, password, rc);
      return user ?? failLogin(rc, client, username, 'password');
    },

    /** Whether this user must pass TOTP for this client (client flag `ENABLE_TOTP` and an enabled enrolment). */
    async totpRequired(client: AuthenticatedClient, userId: string): Promise<boolean> {
      if (!totpEnabledFor(await store.clients.featuresOf(client.id))) return false;
      return (await store.totp.get(userId, client.id))?.isEnabled === true;
    },

    /** The TOTP step of a browser login; a wrong code throws InvalidCredentials and counts toward lockout. */
    async checkTotp(client: AuthenticatedClient, user: UserRow, code: string, rc: RequestContext): Promise<void> {
      if (!code || !(await totpSatisfied(client, user, code))) {
        await countTotpFailure(user.id, rc);
        await failLogin(rc, client, user.username, 'totp');
      }
      totpFailures.delete(user.id);
    },

    /**
     * Tokens for a redeemed authorization code (RFC 6749 §4.1.3): the family id is the code's, so a
     * second use of the code can revoke everything this exchange issued.
     */
    async authorizationCode(client: AuthenticatedClient, code: { userId: string; familyId: string; loginMethod: string;
      idToken: IdTokenRequest | null }, rc: RequestContext): Promise<TokenResponse> {
      const user = await store.users.getById(code.userId);
      if (!usable(user)) throw new InvalidCredentials();
      return userTokens(client, user, { loginMethod: code.loginMethod, grantType: 'authorization_code', action: 'token_issued',
        familyId: code.familyId, ...(code.idToken ? { idToken: code.idToken } : {}) }, rc);
    },

    /** grant_type=password (RFC 6749 §4.3), with the optional TOTP second factor. */
    async password(client: AuthenticatedClient, input: { username: string; password: string; totpCode: string },
      rc: RequestContext): Promise<TokenResponse> {
      const user = await deps.authenticate(input.username, input.password, rc);
      if (!user) return failLogin(rc, client, input.username, 'password');
      if (!(await totpSatisfied(client, user, input.totpCode))) {
        await countTotpFailure(user.id, rc);
        return failLogin(rc, client, input.username, 'totp');
      }
      totpFailures.delete(user.id);
      return userTokens(client, user, { loginMethod: input.totpCode ? 'otp' : 'pwd', grantType: 'password', action: 'token_issued' }, rc);
    },

    /**
     * grant_type=refresh_token (RFC 6749 §6) with rotation and reuse detection (RFC 9700 §4.14.2):
     * a spent token presented again revokes its whole family, unless it is the immediately
     * preceding token retried by the same client within the grace window, which gets the same successor.
     */
    async refresh(client: AuthenticatedClient, rawToken: string, rc: RequestContext): Promise<TokenResponse> {
      if (!deps.policy.refreshEnabled) throw new InvalidCredentials();
      const digest = refreshTokenDigest(rawToken);
      const retry = recent.get(digest);
      if (retry && retry.until > Date.now() && retry.clientIdentifier === client.clientIdentifier) {
        const successor = await retry.response.catch(() => null);
        const next = successor?.refresh_token ? await store.refreshTokens.findByDigest(refreshTokenDigest(successor.refresh_token)) : null;
        if (successor && next && next.usedAt === null && !next.isRevoked) return successor;
      }
      if (inFlight.has(digest)) {
        // A concurrent duplicate of a redemption still in progress (a client racing itself): it
        // loses, without killing the winner's successor. Any later presentation is reuse.
        throw new InvalidCredentials();
      }
      inFlight.add(digest);
      const issued = rotate(client, digest, rc).finally(() => inFlight.delete(digest));
      remember(digest, client.clientIdentifier, issued);
      return issued;
    },

    /**
     * grant_type=client_credentials (RFC 6749 §4.4): `sub` is the client identifier, `scope` the
     * client's scope names, narrowed by an optional `scope` parameter (never widened). No session
     * row: revocation puts the jti in the denylist.
     */
    async clientCredentials(client: AuthenticatedClient, requestedScope: string, action: 'token_issued' | 'oidc_token_issued',
      rc: RequestContext): Promise<TokenResponse> {
      const held = await store.clients.scopeNamesOf(client.id);
      let granted = held;
      if (requestedScope) {
        const asked = [...new Set(requestedScope.split(' ').filter(Boolean))];
        const missing = asked.filter((s) => !held.includes(s));
        if (missing.length) throw new ScopeNotAllowed('Requested scope is not granted to this client');
        granted = asked;
      }
      const life = lifetimesFor(await store.clients.featuresOf(client.id), deps.policy);
      const iat = SECONDS(deps.now());
      const exp = iat + life.accessSeconds;
      const jti = newJti();
      const accessToken = await deps.signer.sign({
        iss: deps.issuer, aud: client.audience, sub: client.clientIdentifier, iat, nbf: iat, exp, jti,
        client_id: client.clientIdentifier, gty: 'client_credentials', roles: [], mad: 'auth', token_use: 'access',
        ...(granted.length ? { scope: granted.join(' ') } : {}),
      }, { typ: 'at+jwt' });
      recordAfterResponse(store, { ...rc, actorId: client.clientIdentifier, action, target: client.clientIdentifier,
        secondary: 'client_credentials' }, deps.onAuditFailure);
      return { access_token: accessToken, token_type: 'bearer', expires_in: exp - iat, jti, refresh_token: null,
        aud: client.audience, id_token: null };
    },
  };
}

export type AuthTokenService = ReturnType<typeof createAuthTokenService>;
