import { createHmac, randomBytes } from 'node:crypto';
import { sha256DigestMatches } from '../crypto/secrets.js';
import type { PasswordHasher } from '../crypto/password.js';
import type { Store } from '../store/index.js';
import type { ClientRow } from '../store/clients.js';

/** A client that proved its identity at the token, introspection or revocation endpoint. */
export type AuthenticatedClient = ClientRow;

export interface ClientAuthDeps {
  store: Pick<Store, 'clients'>;
  hasher: PasswordHasher;
  /** Cache successful argon2id verifications (`enable-pass-cache`) for `seconds` (`pass-cache-duration`). */
  cache: { enabled: boolean; seconds: number };
  now: () => Date;
}

export type ClientAuth = (clientIdentifier: string, secret: string) => Promise<AuthenticatedClient | null>;

/** Bounded so a flood of distinct (valid) secrets cannot grow memory without limit. */
const MAX_CACHE_ENTRIES = 10_000;

/**
 * Client authentication (RFC 6749 §2.3.1) against the stored secret (security.md):
 * - `sha256`: server-generated 256-bit secrets, compared as SHA-256 digests in constant time;
 * - `argon2id`: admin-supplied (possibly low-entropy) secrets; a successful verification is cached
 *   under HMAC-SHA256(per-process key, id ‖ secret ‖ stored hash), so steady machine traffic skips
 *   argon2 and a changed secret (new stored hash) simply misses. Only successes are cached;
 * - `none`: public clients never authenticate here.
 * Unknown and inactive clients fail like a wrong secret.
 */
export function createClientAuth(deps: ClientAuthDeps): ClientAuth {
  const key = randomBytes(32);
  const verified = new Map<string, number>();
  const cacheKey = (c: ClientRow, secret: string): string =>
    createHmac('sha256', key).update(`${c.id}\0${secret}\0${c.secretHash}`).digest('base64url');

  async function argon2Matches(client: ClientRow, secret: string): Promise<boolean> {
    if (!deps.cache.enabled) return deps.hasher.verify(client.secretHash, secret);
    const now = deps.now().getTime();
    const k = cacheKey(client, secret);
    const until = verified.get(k);
    if (until !== undefined && until > now) return true;
    if (until !== undefined) verified.delete(k);
    if (!(await deps.hasher.verify(client.secretHash, secret))) return false;
    if (verified.size >= MAX_CACHE_ENTRIES) {
      for (const [old, t] of verified) if (t <= now || verified.size >= MAX_CACHE_ENTRIES) verified.delete(old);
    }
    verified.set(k, now + deps.cache.seconds * 1000);
    return true;
  }

  return async function authenticateClient(clientIdentifier, secret) {
    if (!clientIdentifier || !secret || secret.length > 1024) return null;
    const client = await deps.store.clients.findByIdentifier(clientIdentifier);
    if (!client || !client.isActive) return null;
    switch (client.secretKind) {
      case 'sha256':
        return sha256DigestMatches(secret, client.secretHash) ? client : null;
      case 'argon2id':
        return (await argon2Matches(client, secret)) ? client : null;
      default:
        return null;
    }
  };
}
