import type { StoreContext } from './context.js';
import type { AuditStore } from './audit.js';
import { toAuthSession, type AuthSessionDbRow, type AuthSessionRow } from './auth-sessions.js';
import type { AuditEntry } from './types.js';

export interface AuthCodeRow {
  clientIdentifier: string;
  userId: string;
  redirectUri: string;
  codeChallenge: string;
  codeChallengeMethod: string;
  nonce: string;
  scope: string;
  loginMethod: string | null;
  maxAge: number;
  authTime: number | null;
  sessionId: string | null;
  familyId: string;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
}

interface CodeDbRow {
  code_sha256: string; client_identifier: string; user_id: string; redirect_uri: string; code_challenge: string;
  code_challenge_method: string; nonce: string; scope: string; login_method: string | null; max_age: number;
  auth_time: number | null; session_id: string | null; family_id: string; created_at: string; expires_at: string; used_at: string | null;
}

const toCode = (r: CodeDbRow): AuthCodeRow => ({
  clientIdentifier: r.client_identifier, userId: r.user_id, redirectUri: r.redirect_uri, codeChallenge: r.code_challenge,
  codeChallengeMethod: r.code_challenge_method, nonce: r.nonce, scope: r.scope, loginMethod: r.login_method, maxAge: r.max_age,
  authTime: r.auth_time, sessionId: r.session_id, familyId: r.family_id, createdAt: r.created_at, expiresAt: r.expires_at,
  usedAt: r.used_at,
});

/** What presenting a code found. Only `redeemed` may mint tokens. */
export type CodeRedemption =
  | { kind: 'redeemed'; code: AuthCodeRow }
  /** Already used: the caller revokes what the first exchange issued (RFC 6749 §4.1.2, RFC 9700 §4.2). */
  | { kind: 'reused'; code: AuthCodeRow }
  | { kind: 'invalid' };

export function createAuthCodeStore(ctx: StoreContext, audit: AuditStore) {
  return {
    /**
     * Finalizes a login in ONE transaction: the auth session is consumed (deleted) and, if `accept`
     * approves it, the code row is written from it. Returns the consumed session, or null when the
     * session is unknown/expired or `accept` refused it (a refused session stays, e.g. awaiting its TOTP step).
     */
    async issueFromSession(jti: string, code: { codeSha256: string; clientIdentifier: string; familyId: string; expiresAt: string },
      accept: (s: AuthSessionRow) => boolean, entry?: AuditEntry,
      /** A browser session (SESSION_BASED_AUTH) to open with the code, keyed by the SHA-256 of its cookie. */
      browser?: (s: AuthSessionRow) => { idSha256: string; maxAgeSeconds: number; expiresAt: string } | null): Promise<AuthSessionRow | null> {
      const now = ctx.nowIso();
      return ctx.db.transaction((): AuthSessionRow | null => {
        const r = ctx.sql('SELECT * FROM auth_sessions WHERE jti = ? AND expires_at > ?').get(jti, now) as AuthSessionDbRow | undefined;
        if (!r) return null;
        const s = toAuthSession(r);
        if (!accept(s) || !s.userId) return null;
        ctx.sql('DELETE FROM auth_sessions WHERE jti = ?').run(jti);
        ctx.sql('DELETE FROM authorization_codes WHERE expires_at <= ? AND used_at IS NULL').run(now);
        ctx.sql(`INSERT INTO authorization_codes (code_sha256, client_identifier, user_id, redirect_uri, code_challenge,
          code_challenge_method, nonce, scope, login_method, max_age, auth_time, family_id, created_at, expires_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(code.codeSha256, code.clientIdentifier, s.userId, s.redirectUri,
          s.codeChallenge, s.codeChallengeMethod, s.nonce, s.scope, s.loginMethod, s.maxAge, s.authTime, code.familyId, now,
          code.expiresAt);
        const b = browser?.(s);
        if (b) {
          ctx.sql(`INSERT INTO sessions (id, user_id, client_identifier, issued_at, expires_at, token_use, mad_use, login_method,
            is_session_based, session_max_age_seconds, session_expires_at) VALUES (?, ?, ?, ?, ?, 'session', 'auth', ?, 1, ?, ?)`)
            .run(b.idSha256, s.userId, code.clientIdentifier, now, b.expiresAt, s.loginMethod, b.maxAgeSeconds, b.expiresAt);
        }
        if (entry) audit.appendSync(entry);
        return s;
      }).immediate();
    },

    /**
     * Atomically spends a code: of N concurrent calls exactly one gets `redeemed`
     * (`UPDATE … WHERE used_at IS NULL` is the lock). Expired codes are `invalid`.
     */
    async redeem(codeSha256: string): Promise<CodeRedemption> {
      const now = ctx.nowIso();
      return ctx.db.transaction((): CodeRedemption => {
        const r = ctx.sql('SELECT * FROM authorization_codes WHERE code_sha256 = ?').get(codeSha256) as CodeDbRow | undefined;
        if (!r) return { kind: 'invalid' };
        if (r.used_at !== null) return { kind: 'reused', code: toCode(r) };
        if (r.expires_at <= now) return { kind: 'invalid' };
        const { changes } = ctx.sql('UPDATE authorization_codes SET used_at = ? WHERE code_sha256 = ? AND used_at IS NULL').run(now, codeSha256);
        if (changes === 0) return { kind: 'reused', code: toCode(r) };
        return { kind: 'redeemed', code: toCode({ ...r, used_at: now }) };
      }).immediate();
    },
  };
}

export type AuthCodeStore = ReturnType<typeof createAuthCodeStore>;
