import { createHash, createHmac, randomBytes } from 'node:crypto';
import { constantTimeEqual, newId, randomToken, sha256Digest } from '../crypto/secrets.js';
import type { Store } from '../store/index.js';
import type { AuthCodeRow } from '../store/auth-codes.js';
import type { AuthSessionRow } from '../store/auth-sessions.js';
import type { ClientRow } from '../store/clients.js';
import type { TokenResponse } from './admin-tokens.js';
import type { AuthTokenService, IdTokenRequest } from './auth-tokens.js';
import { InvalidCredentials, InvalidInput } from './errors.js';
import type { RequestContext } from './request-context.js';

/** security.md: an authorization code lives 60 s at most, whatever `pkce-code-lifetime` asks for (RFC 9700 §2.1.1). */
export const MAX_CODE_SECONDS = 60;
export const codeLifetimeSeconds = (configured: number): number => Math.min(configured, MAX_CODE_SECONDS);

export interface AuthorizationDeps {
  store: Pick<Store, 'clients' | 'users' | 'authSessions' | 'authCodes' | 'refreshTokens' | 'audit'>;
  tokens: AuthTokenService;
  now: () => Date;
  policy: {
    /** `pkce-code-lifetime` (seconds; capped by MAX_CODE_SECONDS). */
    codeSeconds: number;
    /** How long a login may take from the authorization request to finalize. */
    loginSeconds: number;
  };
}

/**
 * A refused authorization request (RFC 6749 §4.1.2.1). `redirectable` is false when the client or
 * its redirect URI is not established: such an error must never be sent to the given redirect_uri.
 */
export class AuthorizationRequestError extends InvalidInput {
  constructor(readonly error: 'invalid_request' | 'unauthorized_client' | 'unsupported_response_type', readonly redirectable: boolean,
    description: string) {
    super(description);
  }
}

export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  codeChallengeMethod: string;
  scope: string;
  nonce: string;
  state: string;
  maxAge: number;
  /** `GET /authorize` only: must be `code` (RFC 6749 §4.1.1); POST /authorize ignores it like the original. */
  responseType?: string;
}

/** The original's PkceAuthorizeResponse. */
export interface LoginStepResponse {
  jti: string;
  client_id: string;
  redirect_uri: string;
  requires_totp: boolean;
  is_session_based: boolean;
}

/** What a login page may show about a login in progress (no user id, nonce, challenge or state). */
export interface LoginView {
  jti: string;
  client_id: string;
  client_name: string;
  scope: string;
  requires_totp: boolean;
  redirect_host: string;
  /** Where the login will send the browser (the hosted pages' CSP `form-action`). */
  redirect_origin: string;
  expires_at: string;
}

/** RFC 7636 §4.1: 43-128 unreserved characters. */
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
/** base64url(SHA-256) is always 43 characters. */
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
const ALLOW_WITHOUT_PKCE = 'ALLOW_CONFIDENTIAL_WITHOUT_PKCE';
/** Browser-session lifetime when neither the request's max_age nor SESSION_BASED_MAX_AGE says otherwise (the original's). */
const DEFAULT_SESSION_SECONDS = 86_400;

/** The browser-session cookie finalize asks the plane to set (HttpOnly, SameSite=Lax, Secure over TLS). */
export interface BrowserSessionCookie {
  name: string;
  value: string;
  expires: Date;
}

export interface FinalizeResult {
  location: string;
  cookie: BrowserSessionCookie | null;
}

/** The cookie a SESSION_BASED_AUTH client's browser session lives in (the original's name). */
export const browserSessionCookieName = (clientIdentifier: string): string => `session_${clientIdentifier}`;

const scopesOf = (scope: string): string[] => scope.split(' ').filter(Boolean);
const isPublic = (c: ClientRow): boolean => c.secretKind === 'none';

/**
 * The authorization-code flow with PKCE (RFC 6749 §4.1, RFC 7636, OIDC Core §3.1): the
 * authorization request, the login steps, finalize (code issue) and the code exchange.
 */
export function createAuthorizationService(deps: AuthorizationDeps) {
  const { store } = deps;
  /** Digests of codes whose tokens are being minted right now (a racing duplicate loses quietly). */
  const inFlight = new Set<string>();
  const seconds = (): number => Math.floor(deps.now().getTime() / 1000);
  /** Per-process key of the hosted pages' CSRF tokens (HMAC of the login's jti). */
  const csrfKey = randomBytes(32);
  const csrfOf = (jti: string): string => createHmac('sha256', csrfKey).update(`csrf\0${jti}`).digest('base64url');

  async function activeClient(identifier: string): Promise<ClientRow | null> {
    const c = identifier ? await store.clients.findByIdentifier(identifier) : null;
    return c?.isActive ? c : null;
  }

  /** The unexpired login and its (still active) client, or InvalidCredentials. */
  async function loginOf(jti: string): Promise<{ session: AuthSessionRow; client: ClientRow }> {
    const session = jti ? await store.authSessions.get(jti) : null;
    const client = session ? await store.clients.getById(session.clientId) : null;
    if (!session || !client?.isActive) throw new InvalidCredentials();
    return { session, client };
  }

  /** SESSION_BASED_AUTH and the effective browser-session lifetime (min of max_age and SESSION_BASED_MAX_AGE when both set). */
  async function sessionPolicy(client: ClientRow, requestMaxAge: number): Promise<{ sessionBased: boolean; seconds: number }> {
    const features = await store.clients.featuresOf(client.id);
    const opt = features.get('SESSION_BASED_MAX_AGE');
    const clientMax = opt?.isEnabled && /^\s*\d{1,9}\s*$/.test(opt.options) ? Number(opt.options) : 0;
    const both = [requestMaxAge, clientMax].filter((n) => n > 0);
    return { sessionBased: features.get('SESSION_BASED_AUTH')?.isEnabled === true,
      seconds: both.length ? Math.min(...both) : DEFAULT_SESSION_SECONDS };
  }

  const stepResponse = (s: AuthSessionRow, c: ClientRow, requiresTotp: boolean): LoginStepResponse =>
    ({ jti: s.jti, client_id: c.clientIdentifier, redirect_uri: s.redirectUri, requires_totp: requiresTotp, is_session_based: false });

  return {
    /**
     * Validates an authorization request and opens a login for it. The client and the exact redirect
     * URI are checked first (errors not redirectable), then PKCE (S256 only), scope and nonce.
     */
    async authorize(req: AuthorizationRequest, rc: RequestContext, browserCookie = ''): Promise<LoginStepResponse & { renewed: boolean }> {
      const client = await activeClient(req.clientId);
      if (!client) throw new AuthorizationRequestError('invalid_request', false, 'Unknown client');
      if (!req.redirectUri || !(await store.clients.hasRedirectUri(client.id, req.redirectUri))) {
        throw new AuthorizationRequestError('invalid_request', false, 'Unregistered redirect_uri');
      }
      if (req.codeChallenge || req.codeChallengeMethod) {
        if (req.codeChallengeMethod !== 'S256') throw new AuthorizationRequestError('invalid_request', true, 'code_challenge_method must be S256');
        if (!S256_CHALLENGE.test(req.codeChallenge)) throw new AuthorizationRequestError('invalid_request', true, 'Malformed code_challenge');
      } else {
        const allowed = !isPublic(client) && (await store.clients.featuresOf(client.id)).get(ALLOW_WITHOUT_PKCE)?.isEnabled === true;
        if (!allowed) throw new AuthorizationRequestError('invalid_request', true, 'code_challenge is required');
      }
      // OIDC Core §3.1.2.1: we require a nonce whenever an ID token will be issued (replay protection).
      if (req.responseType !== undefined && req.responseType !== 'code') {
        throw new AuthorizationRequestError('unsupported_response_type', true, 'response_type must be code');
      }
      if (scopesOf(req.scope).includes('openid') && !req.nonce) throw new AuthorizationRequestError('invalid_request', true, 'nonce is required with openid');
      const jti = randomToken(16);
      // SESSION_BASED_AUTH: a live browser session (younger than max_age, when given) skips the login pages.
      const { sessionBased } = await sessionPolicy(client, req.maxAge);
      const live = sessionBased && browserCookie ? await store.authSessions.browserSession(sha256Digest(browserCookie), client.clientIdentifier) : null;
      const authTime = live ? Math.floor(Date.parse(live.issuedAt) / 1000) : 0;
      const renewedFrom = live && (req.maxAge <= 0 || authTime + req.maxAge >= seconds()) ? { userId: live.userId, authTime } : undefined;
      await store.authSessions.create({ jti, clientId: client.id, nonce: req.nonce, scope: req.scope, state: req.state,
        redirectUri: req.redirectUri, codeChallenge: req.codeChallenge, codeChallengeMethod: req.codeChallengeMethod,
        maxAge: req.maxAge, expiresAt: new Date(deps.now().getTime() + deps.policy.loginSeconds * 1000).toISOString(),
        ...(renewedFrom ? { renewedFrom } : {}) },
      { ...rc, action: 'authorize_requested', target: client.clientIdentifier, secondary: renewedFrom ? 'RenewSession' : null });
      return { jti, client_id: client.clientIdentifier, redirect_uri: req.redirectUri, requires_totp: false, is_session_based: sessionBased,
        renewed: renewedFrom !== undefined };
    },

    /** `GET /auth-session/{jti}`: only what a login page needs. */
    async view(jti: string): Promise<LoginView | null> {
      const session = jti ? await store.authSessions.get(jti) : null;
      const client = session ? await store.clients.getById(session.clientId) : null;
      if (!session || !client?.isActive) return null;
      return { jti: session.jti, client_id: client.clientIdentifier, client_name: client.displayName, scope: session.scope,
        requires_totp: session.passwordOk && session.totpRequired && !session.totpOk,
        redirect_host: new URL(session.redirectUri).host, redirect_origin: new URL(session.redirectUri).origin,
        expires_at: session.expiresAt };
    },

    /** The CSRF token a hosted page embeds for this login. */
    csrfToken(jti: string): string {
      return csrfOf(jti);
    },

    csrfValid(jti: string, token: string): boolean {
      return constantTimeEqual(csrfOf(jti), token);
    },

    /** The password step. `redirectUri`, when given, must be registered for the login's client. */
    async password(jti: string, username: string, password: string, redirectUri: string, rc: RequestContext): Promise<LoginStepResponse> {
      const { session, client } = await loginOf(jti);
      if (redirectUri && !(await store.clients.hasRedirectUri(client.id, redirectUri))) throw new InvalidCredentials();
      const user = await deps.tokens.checkPassword(client, username, password, rc);
      const requiresTotp = await deps.tokens.totpRequired(client, user.id);
      const ok = await store.authSessions.passwordSucceeded(jti, user.id, requiresTotp, seconds(),
        { ...rc, actorId: user.id, action: 'login_succeeded', target: client.clientIdentifier, secondary: requiresTotp ? 'password;totp_pending' : 'password' });
      if (!ok) throw new InvalidCredentials();
      return stepResponse(session, client, requiresTotp);
    },

    /** The TOTP step, only after a successful password step that requires it. */
    async totp(jti: string, code: string, redirectUri: string, rc: RequestContext): Promise<LoginStepResponse> {
      const { session, client } = await loginOf(jti);
      if (redirectUri && !(await store.clients.hasRedirectUri(client.id, redirectUri))) throw new InvalidCredentials();
      if (!session.passwordOk || !session.totpRequired || !session.userId) throw new InvalidCredentials();
      const user = await store.users.getById(session.userId);
      if (!user) throw new InvalidCredentials();
      await deps.tokens.checkTotp(client, user, code, rc);
      const ok = await store.authSessions.totpSucceeded(jti, user.id, seconds(),
        { ...rc, actorId: user.id, action: 'login_succeeded', target: client.clientIdentifier, secondary: 'totp' });
      if (!ok) throw new InvalidCredentials();
      return stepResponse(session, client, false);
    },

    /**
     * Issues the code (RFC 6749 §4.1.2) once the password step — and the TOTP step when required —
     * succeeded, consuming the login. Returns the redirect: `code` and `state` merged into the URI's query.
     */
    async finalize(jti: string, rc: RequestContext, opts: { browser: boolean } = { browser: false }): Promise<FinalizeResult> {
      const { client, session: pending } = await loginOf(jti);
      const code = randomToken();
      const policy = await sessionPolicy(client, pending.maxAge);
      // A fresh login of a SESSION_BASED_AUTH client in a browser opens a browser session (cookie).
      const cookieValue = opts.browser && policy.sessionBased ? randomToken() : null;
      const sessionExpires = new Date(deps.now().getTime() + policy.seconds * 1000);
      const session = await store.authCodes.issueFromSession(jti, { codeSha256: sha256Digest(code), clientIdentifier: client.clientIdentifier,
        familyId: newId(), expiresAt: new Date(deps.now().getTime() + codeLifetimeSeconds(deps.policy.codeSeconds) * 1000).toISOString() },
      (s) => s.passwordOk && s.userId !== null && (!s.totpRequired || s.totpOk),
      { ...rc, action: 'authorization_code_issued', target: client.clientIdentifier },
      (s) => (cookieValue && s.loginMethod !== 'RenewSession'
        ? { idSha256: sha256Digest(cookieValue), maxAgeSeconds: policy.seconds, expiresAt: sessionExpires.toISOString() } : null));
      if (!session) throw new InvalidCredentials();
      const url = new URL(session.redirectUri);
      url.searchParams.set('code', code);
      if (session.state) url.searchParams.set('state', session.state);
      const cookie = cookieValue && session.loginMethod !== 'RenewSession'
        ? { name: browserSessionCookieName(client.clientIdentifier), value: cookieValue, expires: sessionExpires } : null;
      return { location: url.toString(), cookie };
    },

    /**
     * Who is exchanging a code: null for an unknown or inactive client. Public clients (no secret)
     * are returned with `isPublic`; confidential ones must then authenticate like on other grants.
     */
    async exchangingClient(identifier: string): Promise<{ client: ClientRow; isPublic: boolean } | null> {
      const client = await activeClient(identifier);
      return client ? { client, isPublic: isPublic(client) } : null;
    },

    /**
     * grant_type=authorization_code (RFC 6749 §4.1.3, RFC 7636 §4.6). The code is spent first
     * (atomically); any later mismatch still burns it. A second use of a spent code revokes the
     * family the first exchange issued (RFC 6749 §4.1.2).
     */
    async exchange(client: ClientRow, authenticated: boolean, input: { code: string; redirectUri: string; codeVerifier: string },
      rc: RequestContext): Promise<TokenResponse> {
      const digest = sha256Digest(input.code);
      const r = await store.authCodes.redeem(digest);
      if (r.kind === 'reused') {
        if (!inFlight.has(digest)) {
          await store.refreshTokens.revokeFamily(r.code.familyId, { ...rc, actorId: r.code.userId,
            action: 'authorization_code_reuse_detected', target: r.code.clientIdentifier, secondary: r.code.familyId, outcome: 'failure' });
        }
        throw new InvalidCredentials();
      }
      if (r.kind === 'invalid') throw new InvalidCredentials();
      const code = r.code;
      // Marked before any await, so a racing duplicate sees it and does not revoke the winner's tokens.
      inFlight.add(digest);
      try {
        return await exchangeRedeemed(client, authenticated, code, input, rc);
      } finally {
        inFlight.delete(digest);
      }
    },
  };

  async function exchangeRedeemed(client: ClientRow, authenticated: boolean, code: AuthCodeRow,
    input: { redirectUri: string; codeVerifier: string }, rc: RequestContext): Promise<TokenResponse> {
    if (code.clientIdentifier !== client.clientIdentifier || code.redirectUri !== input.redirectUri) throw new InvalidCredentials();
    if (code.codeChallenge) {
      if (code.codeChallengeMethod !== 'S256' || !VERIFIER.test(input.codeVerifier)) throw new InvalidCredentials();
      const computed = createHash('sha256').update(input.codeVerifier, 'ascii').digest('base64url');
      if (!constantTimeEqual(computed, code.codeChallenge)) throw new InvalidCredentials();
    } else {
      // Only an authenticated confidential client with ALLOW_CONFIDENTIAL_WITHOUT_PKCE; a verifier
      // sent for a code issued without a challenge is a downgrade attempt (RFC 9700 §4.8.2).
      const allowed = authenticated && !isPublic(client)
        && (await store.clients.featuresOf(client.id)).get(ALLOW_WITHOUT_PKCE)?.isEnabled === true;
      if (!allowed || input.codeVerifier) throw new InvalidCredentials();
    }
    const loginMethod = code.loginMethod ?? 'pwd';
    const idToken: IdTokenRequest | null = scopesOf(code.scope).includes('openid')
      ? { nonce: code.nonce, authTime: code.authTime ?? seconds(), amr: loginMethod === 'otp' ? ['pwd', 'otp'] : ['pwd'] } : null;
    return deps.tokens.authorizationCode(client, { userId: code.userId, familyId: code.familyId, loginMethod, idToken }, rc);
  }
}

export type AuthorizationService = ReturnType<typeof createAuthorizationService>;
