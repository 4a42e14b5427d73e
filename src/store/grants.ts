import type { StoreContext } from './context.js';
import type { AuditStore } from './audit.js';
import { revokeGrantsSync } from './revoke-grants.js';
import { sessionColumns, toSession } from './sessions.js';
import type { AuditEntry, SessionRow } from './types.js';

const SESSIONS_OF_USER = `SELECT ${sessionColumns('s')}, u.username AS username FROM sessions s JOIN users u ON u.id = s.user_id
  WHERE s.user_id = ? AND s.mad_use = 'auth' ORDER BY s.issued_at DESC LIMIT 1000`;

/**
 * A user's auth-plane grants (sessions and refresh tokens) as the self-service routes see them:
 * listing, and revoking in bulk on logout. Admin-plane sessions are never touched here.
 */
export function createGrantStore(ctx: StoreContext, audit: AuditStore) {
  return {
    /** Every auth-plane session of a user, newest first, with the username filled in. */
    async sessionsOfUser(userId: string): Promise<(SessionRow & { username: string })[]> {
      const rows = ctx.sql(SESSIONS_OF_USER).all(userId) as
        (Parameters<typeof toSession>[0] & { username: string })[];
      return rows.map((r) => ({ ...toSession(r), username: r.username }));
    },

    /** Revokes the user's sessions and refresh tokens for one client (`/logout`). Returns sessions revoked. */
    async revokeForClient(userId: string, clientIdentifier: string, entry?: AuditEntry): Promise<number> {
      return ctx.db.transaction(() => {
        const revoked = revokeGrantsSync(ctx, { userId, clientIdentifier });
        if (entry) audit.appendSync(entry);
        return revoked;
      }).immediate();
    },

    /** Revokes every auth-plane session and refresh token of the user (`/logout-all`). */
    async revokeAll(userId: string, entry?: AuditEntry): Promise<number> {
      return ctx.db.transaction(() => {
        const revoked = revokeGrantsSync(ctx, { userId });
        if (entry) audit.appendSync(entry);
        return revoked;
      }).immediate();
    },
  };
}

export type GrantStore = ReturnType<typeof createGrantStore>;
