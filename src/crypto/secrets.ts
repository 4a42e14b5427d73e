import { hash, randomFillSync, randomUUID, timingSafeEqual } from 'node:crypto';

/*
 * Random bytes for tokens come from a buffer the CSPRNG fills 4 KiB at a time, as Node does for
 * randomUUID(): a randomBytes() call per token cost ≈ 2 µs (≈ 8 µs under load: 3 % of a refresh),
 * a slice of the buffer ≈ 0.2 µs. Each slice is handed out once and zeroed as it is taken, so the
 * buffer only ever holds bytes nobody has seen.
 */
const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let poolOffset = POOL_BYTES;

/** `bytes` random bytes (default 32: 256 bits; at most 4 KiB), base64url: refresh tokens, codes, generated client secrets. */
export function randomToken(bytes = 32): string {
  if (!Number.isInteger(bytes) || bytes <= 0 || bytes > POOL_BYTES) throw new RangeError(`randomToken: ${bytes} bytes`);
  if (poolOffset + bytes > POOL_BYTES) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const start = poolOffset;
  poolOffset += bytes;
  const text = pool.toString('base64url', start, poolOffset);
  pool.fill(0, start, poolOffset);
  return text;
}

/** Milliseconds since the epoch as 12 hex digits (48 bits, enough until the year 10889). */
const timeHex = (): string => Date.now().toString(16).padStart(12, '0');

/*
 * The random parts below come from randomUUID(): Node fills it from the CSPRNG in batches, so it
 * costs far less per call than randomBytes() for a few bytes (this runs several times per token).
 * A v4 UUID's hex digits are random except the version (index 14) and two variant bits (index 19).
 */

/**
 * A JWT id: 32 lowercase hex characters (the original's shape): the issue time in milliseconds
 * (48 bits) then 80 random bits. Time first, so the sessions table's primary key grows at its end
 * instead of dirtying a random page per insert (every dirty page is re-encrypted at commit).
 */
export function newJti(): string {
  const u = randomUUID();
  return timeHex() + u.slice(0, 8) + u.slice(9, 13) + u.slice(24, 32);
}

export function newId(): string {
  return randomUUID();
}

/**
 * A UUID version 7 (RFC 9562 §5.7): milliseconds since the epoch, then 74 random bits. For rows
 * written on every request (audit records, refresh tokens), so their unique indexes append instead
 * of splitting random pages. Not for ids whose creation time should stay private.
 */
export function newTimeOrderedId(): string {
  const t = timeHex();
  // The v4 UUID's random tail from index 15 on keeps its variant bits, which v7 shares.
  return `${t.slice(0, 8)}-${t.slice(8)}-7${randomUUID().slice(15)}`;
}

/** A refresh token as issued: the row's UUIDv7, a dot, then 256 random bits (base64url). */
const REFRESH_TOKEN = /^([0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})\.[\w-]{43}$/;

/**
 * A new refresh token and the id of the row that will record it. The id in the token reveals its
 * issue time to its holder, as a jti does; the secret is the random part.
 */
export function newRefreshToken(): { id: string; token: string } {
  const id = newTimeOrderedId();
  return { id, token: `${id}.${randomToken()}` };
}

/**
 * What a refresh token is stored and looked up by (`refresh_tokens.token_sha256`): the row id the
 * token carries, a dot, then base64url(SHA-256(token)); the store finds the row by that id (its
 * primary key, `rowIdCarriedBy`) and compares the whole string, so no index on the digest is
 * written for each token. Any other string, a token issued before ids were carried included, is
 * its plain digest, as such tokens were stored; the two forms never collide (a base64url digest
 * has no dot).
 */
export function refreshTokenDigest(raw: string): string {
  const carried = REFRESH_TOKEN.exec(raw);
  return carried ? `${carried[1]}.${sha256Digest(raw)}` : sha256Digest(raw);
}

/** The row id a `refreshTokenDigest` leads with, or null for a plain digest. */
export function rowIdCarriedBy(digest: string): string | null {
  const dot = digest.indexOf('.');
  return dot === -1 ? null : digest.slice(0, dot);
}

/**
 * base64url(SHA-256(value)): how high-entropy secrets are stored; argon2 would add cost, not safety.
 * One-shot crypto.hash() costs half of createHash().update().digest() for inputs this short.
 */
export function sha256Digest(value: string): string {
  return hash('sha256', value, 'base64url');
}

/**
 * Whether `secret` is the preimage of a stored `sha256Digest`, in time independent of where they
 * differ. One hash of the secret, compared as 32 raw bytes with the decoded stored digest
 * (constantTimeEqual would hash both digests again: two more hashes per client authentication).
 * The stored digest's length is not secret, so a malformed one may fail fast.
 */
export function sha256DigestMatches(secret: string, storedDigest: string): boolean {
  const stored = Buffer.from(storedDigest, 'base64url');
  return stored.length === 32 && timingSafeEqual(hash('sha256', secret, 'buffer'), stored);
}

/**
 * Compares two strings in time independent of where they differ. Both sides are hashed first so
 * the comparison is fixed-length and the length of the secret does not leak either.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const da = hash('sha256', a, 'buffer');
  const db = hash('sha256', b, 'buffer');
  return timingSafeEqual(da, db);
}
