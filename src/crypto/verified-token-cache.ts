import type { JWTPayload } from 'jose';

/** Enough for every token a busy deployment's resource servers hold at once; bounded for memory. */
const MAX_ENTRIES = 4096;

export interface VerifiedTokenCache {
  /** The claims of `token` if it was verified before and its `exp` is still after `notExpiredAfter`. */
  get(token: string, notExpiredAfter: number): JWTPayload | undefined;
  set(token: string, claims: JWTPayload): void;
}

/**
 * Remembers tokens whose signature, issuer and plane marker were verified, keyed by the exact token
 * text: the same bytes under the same keys verify the same way, so resource servers introspecting
 * (or /verify-ing) one token many times pay for one signature check. Only the lifetime is re-checked
 * on a hit. Revocation is never cached: callers check liveness in the store on every request.
 * Claims are frozen because every hit hands out the same object.
 */
export function createVerifiedTokenCache(maxEntries = MAX_ENTRIES): VerifiedTokenCache {
  const entries = new Map<string, JWTPayload>();
  return {
    get(token, notExpiredAfter) {
      const claims = entries.get(token);
      if (!claims) return undefined;
      if (typeof claims.exp === 'number' && claims.exp <= notExpiredAfter) {
        entries.delete(token);
        return undefined;
      }
      return claims;
    },
    set(token, claims) {
      // Oldest first: Map keeps insertion order.
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
      for (const value of Object.values(claims)) if (Array.isArray(value)) Object.freeze(value);
      entries.set(token, Object.freeze(claims));
    },
  };
}
