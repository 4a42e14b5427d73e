import { describe, expect, it } from 'vitest';
import { constantTimeEqual, newId, newJti, newRefreshToken, newTimeOrderedId, randomToken, refreshTokenDigest, rowIdCarriedBy, sha256Digest, sha256DigestMatches } from '../../../src/crypto/secrets.js';
import { newTotpSecret, totpCode, totpUri, verifyTotp } from '../../../src/crypto/totp.js';

describe('secrets', () => {
  it('random tokens carry 256 bits, base64url', () => {
    const t = randomToken();
    expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomToken()).not.toBe(t);
    expect(newJti()).toMatch(/^[0-9a-f]{32}$/);
  });

  it('random tokens stay unique and random across refills of the buffer they are cut from', () => {
    const tokens = Array.from({ length: 1000 }, (_, i) => randomToken([32, 16, 18][i % 3]));
    expect(new Set(tokens).size).toBe(1000);
    expect(tokens.slice(0, 3).map((t) => Buffer.from(t, 'base64url').length)).toEqual([32, 16, 18]);
    // ≈ 22,000 bytes (several 4 KiB refills): a zeroed or repeated slice would show as far more
    // zero bytes than the ≈ 86 that chance gives.
    const bytes = Buffer.concat(tokens.map((t) => Buffer.from(t, 'base64url')));
    expect(bytes.filter((b) => b === 0).length).toBeLessThan(200);
    for (const bad of [0, -1, 1.5, 4097]) expect(() => randomToken(bad)).toThrow(RangeError);
  });

  it('jtis and time-ordered ids start with the time, so they sort by creation, and stay unique', () => {
    const before = Date.now();
    const jtis = Array.from({ length: 1000 }, () => newJti());
    const ids = Array.from({ length: 1000 }, () => newTimeOrderedId());
    expect(new Set(jtis).size).toBe(1000);
    expect(new Set(ids).size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const msOfId = Number.parseInt(ids[0]!.replace(/-/g, '').slice(0, 12), 16);
    const msOfJti = Number.parseInt(jtis[0]!.slice(0, 12), 16);
    for (const ms of [msOfId, msOfJti]) expect(ms >= before && ms <= Date.now()).toBe(true);
    // Later ids never sort before earlier ones from a previous millisecond.
    const later = newTimeOrderedId();
    expect(later.slice(0, 13) >= ids[0]!.slice(0, 13)).toBe(true);
  });

  it('digests are base64url SHA-256', () => {
    expect(sha256Digest('abc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
  });

  it('refresh tokens carry their row id; they are stored as that id and their digest, older ones as their plain digest', () => {
    const { id, token } = newRefreshToken();
    expect(token).toMatch(new RegExp(`^${id}\\.[\\w-]{43}$`));
    // Led by the row id, by which the store finds it.
    expect(refreshTokenDigest(token)).toBe(`${id}.${sha256Digest(token)}`);
    expect(rowIdCarriedBy(refreshTokenDigest(token))).toBe(id);
    const legacy = randomToken();
    expect(refreshTokenDigest(legacy)).toBe(sha256Digest(legacy));
    expect(rowIdCarriedBy(refreshTokenDigest(legacy))).toBeNull();
    // Anything not exactly of the issued shape is a plain digest, which has no dot.
    for (const odd of [`${id}.short`, `${id.toUpperCase()}.${randomToken()}`, `${id}.${randomToken()}x`, `${newId()}.${randomToken()}`]) {
      expect(refreshTokenDigest(odd)).toBe(sha256Digest(odd));
      expect(refreshTokenDigest(odd)).not.toContain('.');
    }
  });

  it('compares in constant time, including different lengths', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
  });

  it('matches a secret against its stored digest, and nothing else', () => {
    const secret = randomToken();
    const stored = sha256Digest(secret);
    expect(sha256DigestMatches(secret, stored)).toBe(true);
    expect(sha256DigestMatches(`${secret}x`, stored)).toBe(false);
    expect(sha256DigestMatches('', stored)).toBe(false);
    // The digest itself is not the secret.
    expect(sha256DigestMatches(stored, stored)).toBe(false);
    // A stored value that is not a 32-byte digest matches nothing (and does not throw).
    for (const odd of ['', stored.slice(0, 42), `${stored}AA`, secret.slice(0, 10)]) expect(sha256DigestMatches(secret, odd)).toBe(false);
  });
});

describe('totp (RFC 6238)', () => {
  // RFC 6238 Appendix B, SHA-1 seed "12345678901234567890"; the 6-digit code is the last 6 digits.
  const rfcSecret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

  it('matches the RFC 6238 test vectors', () => {
    expect(totpCode(rfcSecret, new Date(59_000))).toBe('287082');
    expect(totpCode(rfcSecret, new Date(1111111109_000))).toBe('081804');
    expect(totpCode(rfcSecret, new Date(1234567890_000))).toBe('005924');
  });

  it('accepts ±1 step of drift, refuses older codes and a replay of an accepted step', () => {
    const now = new Date(1_700_000_000_000);
    const secret = newTotpSecret();
    const step = Math.floor(now.getTime() / 30_000);
    expect(verifyTotp(secret, totpCode(secret, now), 0, now)).toBe(step);
    expect(verifyTotp(secret, totpCode(secret, new Date(now.getTime() - 30_000)), 0, now)).toBe(step - 1);
    expect(verifyTotp(secret, totpCode(secret, new Date(now.getTime() - 90_000)), 0, now)).toBeNull();
    expect(verifyTotp(secret, totpCode(secret, now), step, now)).toBeNull();
    expect(verifyTotp(secret, 'abcdef', 0, now)).toBeNull();
  });

  it('builds an otpauth URI with issuer and account', () => {
    const uri = totpUri('Acme', 'alice', 'JBSWY3DPEHPK3PXP');
    expect(uri.startsWith('otpauth://totp/')).toBe(true);
    expect(uri).toContain('secret=JBSWY3DPEHPK3PXP');
    expect(uri).toContain('issuer=Acme');
  });
});
