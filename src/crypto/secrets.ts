import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

/** 32 random bytes (256 bits), base64url: refresh tokens, codes, generated client secrets. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** A JWT id: 128 random bits as 32 lowercase hex characters (the original's shape). */
export function newJti(): string {
  return randomBytes(16).toString('hex');
}

export function newId(): string {
  return randomUUID();
}

/** base64url(SHA-256(value)): how high-entropy secrets are stored; argon2 would add cost, not safety. */
export function sha256Digest(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('base64url');
}

/**
 * Compares two strings in time independent of where they differ. Both sides are hashed first so
 * the comparison is fixed-length and the length of the secret does not leak either.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a, 'utf8').digest();
  const db = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(da, db);
}
