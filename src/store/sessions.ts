import type { StoreContext } from './context.js';
import type { AuditStore } from './audit.js';
import { bool, type AuditEntry, type NewSession, type SessionRow } from './types.js';

interface SessionDbRow {
  id: string; user_id: string; client_identifier: string; issued_at: string; expires_at: string;
  is_revoked: number; token_use: string; mad_use: 'auth' | 'admin'; login_method: string | null;
  family_id: string | null; is_session_based: number; session_max_age_seconds: number;
  session_expires_at: string | null;
}

export const toSession = (r: SessionDbRow): SessionRow => ({
  id: r.id, userId: r.user_id, clientIdentifier: r.client_identifier, issuedAt: r.issued_at,
  expiresAt: r.expires_at, isRevoked: bool(r.is_revoked), tokenUse: r.token_use, madUse: r.mad_use,
  loginMethod: r.login_method, familyId: r.family_id, isSessionBased: bool(r.is_session_based),
  sessionMaxAgeSeconds: r.session_max_age_seconds, sessionExpiresAt: r.session_expires_at,
});

export function createSessionStore(ctx: StoreContext, audit: AuditStore) {
  const insertSync = (s: NewSession): void => {
    ctx.sql(`INSERT INTO sessions (id, user_id, client_identifier, issued_at, expires_at, mad_use, login_method, family_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(s.id, s.userId, s.clientIdentifier, s.issuedAt, s.expiresAt, s.madUse,
      s.loginMethod, s.familyId ?? null);
  };

  return {
    insertSync,

    /** Records an issued access token (and its audit record) in one transaction. */
    async insert(session: NewSession, entry?: AuditEntry): Promise<void> {
      ctx.db.transaction(() => {
        insertSync(session);
        if (entry) audit.appendSync(entry);
      }).immediate();
    },

    async get(jti: string): Promise<SessionRow | null> {
      const r = ctx.sql('SELECT * FROM sessions WHERE id = ?').get(jti) as SessionDbRow | undefined;
      return r ? toSession(r) : null;
    },

    /**
     * The bearer check: the token's session row exists for this user and plane and is not revoked.
     * Expiry is checked by the JWT verifier, not here.
     */
    async isActive(jti: string, userId: string, plane: 'auth' | 'admin'): Promise<boolean> {
      return ctx.sql('SELECT 1 FROM sessions WHERE id = ? AND user_id = ? AND mad_use = ? AND is_revoked = 0')
        .get(jti, userId, plane) !== undefined;
    },

    async revoke(jti: string, entry?: AuditEntry): Promise<boolean> {
      return ctx.db.transaction(() => {
        const { changes } = ctx.sql('UPDATE sessions SET is_revoked = 1 WHERE id = ? AND is_revoked = 0').run(jti);
        if (entry) audit.appendSync(entry);
        return changes > 0;
      }).immediate();
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
