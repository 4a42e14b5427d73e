import { generateSecret, generateSync, generateURI, verifySync } from 'otplib';

// RFC 6238 with the parameters every authenticator app assumes: SHA-1, 6 digits, 30 s steps.
const PERIOD = 30;

/** 20 random bytes, base32 (RFC 4648) without padding. */
export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

export function totpUri(issuer: string, account: string, secret: string): string {
  return generateURI({ issuer, label: account, secret, algorithm: 'sha1', digits: 6, period: PERIOD });
}

/** The code for `at` (tests and the dashboard preview use this). */
export function totpCode(secret: string, at: Date = new Date()): string {
  return generateSync({ secret, epoch: Math.floor(at.getTime() / 1000), period: PERIOD });
}

/**
 * Checks a code with ±1 step of clock drift. Returns the accepted time step so the caller can
 * store it and refuse that code (and older ones) next time — a used code cannot be replayed.
 */
export function verifyTotp(secret: string, code: string, afterStep = 0, at: Date = new Date()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const result = verifySync({
    secret, token: code, period: PERIOD, epoch: Math.floor(at.getTime() / 1000), epochTolerance: PERIOD,
    ...(afterStep > 0 ? { afterTimeStep: afterStep } : {}),
  });
  return result.valid ? Math.floor(at.getTime() / 1000 / PERIOD) + result.delta : null;
}
