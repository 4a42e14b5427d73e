import type { JWTPayload } from 'jose';
import type { Store } from '../store/index.js';

export type TokenLiveness = (claims: JWTPayload) => Promise<boolean>;

/**
 * The revocation check behind every auth-plane bearer route and introspection (the signature,
 * issuer, lifetime and plane marker are checked by the verifier before this runs):
 * - only access tokens (`token_use: "access"`), never ID tokens;
 * - client_credentials tokens (`gty`) have no session row: their jti must not be denylisted;
 * - user tokens need their live session row (same jti, same user, auth plane, not revoked).
 */
export function createTokenLiveness(deps: {
  store: Pick<Store, 'sessions' | 'denylist'>;
  /** `enable-token-revocation`; when false (the operator's explicit choice) only the signature and lifetime count. */
  checkRevocation?: boolean;
}): TokenLiveness {
  return async function isTokenLive(claims) {
    if (claims.token_use !== 'access' || typeof claims.jti !== 'string' || typeof claims.sub !== 'string') return false;
    if (deps.checkRevocation === false) return true;
    if (claims.gty === 'client_credentials') return !(await deps.store.denylist.has(claims.jti));
    return deps.store.sessions.isActive(claims.jti, claims.sub, 'auth');
  };
}
