import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The dashboard session: the signed-in admin's token, sealed with AES-256-GCM under a key that only
 * this process holds, in an httpOnly, SameSite=Strict cookie. A restart signs everyone out.
 */
export interface DashboardSession {
  token: string;
  username: string;
  /** Random per sign-in; the CSRF token is an HMAC of it. */
  sid: string;
  exp: number;
}

export const COOKIE = 'mad_dashboard';

export function createSealer(key: Buffer = randomBytes(32)) {
  const csrfKey = createHmac('sha256', key).update('csrf').digest();
  return {
    seal(s: DashboardSession): string {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(JSON.stringify(s), 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    },
    open(value: string | undefined): DashboardSession | null {
      if (!value) return null;
      try {
        const raw = Buffer.from(value, 'base64url');
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
        decipher.setAuthTag(raw.subarray(12, 28));
        const s = JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')) as DashboardSession;
        return s.exp * 1000 > Date.now() ? s : null;
      } catch {
        return null;
      }
    },
    csrfFor(sid: string): string {
      return createHmac('sha256', csrfKey).update(sid).digest('base64url');
    },
    checkCsrf(sid: string, presented: unknown): boolean {
      if (typeof presented !== 'string') return false;
      const want = Buffer.from(createHmac('sha256', csrfKey).update(sid).digest('base64url'));
      const got = Buffer.from(presented);
      return got.length === want.length && timingSafeEqual(got, want);
    },
  };
}

export type Sealer = ReturnType<typeof createSealer>;
