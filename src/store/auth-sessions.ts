import type { StoreContext } from './context.js';
import type { AuditStore } from './audit.js';
import { bool, type AuditEntry } from './types.js';
import { revokedSql } from './family-revocation.js';

/** A login in progress (authorization request → password → optional TOTP → finalize). */
export interface AuthSessionRow {
  jti: string;
  clientId: string;
  userId: string | null;
  passwordOk: boolean;
  totpRequired: boolean;
  totpOk: boolean;
  nonce: string;
  scope: string;
  state: string;
  redirectUri: string;
  codeChallenge: string;
  codeChallengeMethod: string;
  loginMethod: string | null;
  maxAge: number;
  authTime: number | null;
  createdAt: string;
  expiresAt: string;
}

export type NewAuthSession = Pick<AuthSessionRow, 'jti' | 'clientId' | 'nonce' | 'scope' | 'state' | 'redirectUri'
  | 'codeChallenge' | 'codeChallengeMethod' | 'maxAge' | 'expiresAt'> & {
  /** A login renewed from a live browser session (SESSION_BASED_AUTH): already authenticated. */
  renewedFrom?: { userId: string; authTime: number };
};

/** A live browser session (cookie `session_<client>`), found by the SHA-256 of the cookie value. */
export interface BrowserSessionRow {
  userId: string;
  clientIdentifier: string;
  issuedAt: string;
  sessionExpiresAt: string;
}

export interface AuthSessionDbRow {
  jti: string; client_id: string; user_id: string | null; password_ok: number; totp_required: number; totp_ok: number;
  nonce: string; scope: string; state: string; redirect_uri: string; code_challenge: string; code_challenge_method: string;
  login_method: string | null; max_age: number; auth_time: number | null; created_at: string; expires_at: string;
}

export const toAuthSession = (r: AuthSessionDbRow): AuthSessionRow => ({
  jti: r.jti, clientId: r.client_id, userId: r.user_id, passwordOk: bool(r.password_ok), totpRequired: bool(r.totp_required),
  totpOk: bool(r.totp_ok), nonce: r.nonce, scope: r.scope, state: r.state, redirectUri: r.redirect_uri,
  codeChallenge: r.code_challenge, codeChallengeMethod: r.code_challenge_method, loginMethod: r.login_method,
  maxAge: r.max_age, authTime: r.auth_time, createdAt: r.created_at, expiresAt: r.expires_at,
});

export function createAuthSessionStore(ctx: StoreContext, audit: AuditStore) {
  return {
    async create(s: NewAuthSession, entry?: AuditEntry): Promise<void> {
      const now = ctx.nowIso();
      ctx.db.transaction(() => {
        // Expired logins are dropped on the way (the table only ever holds a few minutes' worth).
        ctx.sql('DELETE FROM auth_sessions WHERE expires_at <= ?').run(now);
        ctx.sql(`INSERT INTO auth_sessions (jti, client_id, nonce, scope, state, redirect_uri, code_challenge,
          code_challenge_method, max_age, created_at, expires_at, user_id, password_ok, login_method, auth_time)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
          s.jti, s.clientId, s.nonce, s.scope, s.state, s.redirectUri, s.codeChallenge, s.codeChallengeMethod, s.maxAge,
          now, s.expiresAt, s.renewedFrom?.userId ?? null, s.renewedFrom ? 1 : 0, s.renewedFrom ? 'RenewSession' : null,
          s.renewedFrom?.authTime ?? null);
        if (entry) audit.appendSync(entry);
      }).immediate();
    },

    /** The live (unrevoked, unexpired) browser session with this cookie digest for this client, or null. */
    async browserSession(idSha256: string, clientIdentifier: string): Promise<BrowserSessionRow | null> {
      const r = ctx.sql(`SELECT user_id, client_identifier, issued_at, session_expires_at FROM sessions WHERE id = ?
        AND client_identifier = ? AND is_session_based = 1 AND NOT ${revokedSql('sessions')} AND session_expires_at > ?`)
        .get(idSha256, clientIdentifier, ctx.nowIso()) as
        { user_id: string; client_identifier: string; issued_at: string; session_expires_at: string } | undefined;
      return r ? { userId: r.user_id, clientIdentifier: r.client_identifier, issuedAt: r.issued_at, sessionExpiresAt: r.session_expires_at } : null;
    },

    /** The unexpired login, or null. */
    async get(jti: string): Promise<AuthSessionRow | null> {
      const r = ctx.sql('SELECT * FROM auth_sessions WHERE jti = ? AND expires_at > ?').get(jti, ctx.nowIso()) as
        AuthSessionDbRow | undefined;
      return r ? toAuthSession(r) : null;
    },

    /** The password step succeeded for `userId`; `totpRequired` decides whether finalize waits for TOTP. */
    async passwordSucceeded(jti: string, userId: string, totpRequired: boolean, authTime: number, entry?: AuditEntry): Promise<boolean> {
      return ctx.db.transaction(() => {
        const { changes } = ctx.sql(`UPDATE auth_sessions SET user_id = ?, password_ok = 1, totp_required = ?, totp_ok = 0,
          login_method = 'pwd', auth_time = ? WHERE jti = ? AND expires_at > ?`)
          .run(userId, totpRequired ? 1 : 0, authTime, jti, ctx.nowIso());
        if (entry) audit.appendSync(entry);
        return changes > 0;
      }).immediate();
    },

    /** The TOTP step succeeded (only after the password step, for the same user). */
    async totpSucceeded(jti: string, userId: string, authTime: number, entry?: AuditEntry): Promise<boolean> {
      return ctx.db.transaction(() => {
        const { changes } = ctx.sql(`UPDATE auth_sessions SET totp_ok = 1, login_method = 'otp', auth_time = ?
          WHERE jti = ? AND user_id = ? AND password_ok = 1 AND totp_required = 1 AND expires_at > ?`)
          .run(authTime, jti, userId, ctx.nowIso());
        if (entry) audit.appendSync(entry);
        return changes > 0;
      }).immediate();
    },
  };
}

export type AuthSessionStore = ReturnType<typeof createAuthSessionStore>;
