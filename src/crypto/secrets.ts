import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

/** 32 random bytes (256 bits), base64url: refresh tokens, codes, generated client secrets. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * A JWT id: 32 lowercase hex characters (the original's shape): the issue time in milliseconds
 * (48 bits) then 80 random bits. Time first, so the sessions table's primary key grows at its end
 * instead of dirtying a random page per insert (every dirty page is re-encrypted at commit).
 */
export function newJti(): string {
  return Date.now().toString(16).padStart(12, '0') + randomBytes(10).toString('hex');
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
  const bytes = randomBytes(16);
  bytes.writeUIntBE(Date.now(), 0, 6);
  bytes[6] = 0x70 | (bytes[6]! & 0x0f);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
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
