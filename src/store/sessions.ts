import type { StoreContext } from './context.js';
import type { AuditStore } from './audit.js';
import { usernamesSync } from './refresh-admin.js';
import { createWatchedCache } from './watched-cache.js';
import { revokedSql } from './family-revocation.js';
import { insertedBeforeSql } from './insertion-order.js';
import { bool, type AuditEntry, type NewSession, type SessionRow } from './types.js';

export interface SessionFilter {
  userId?: string | undefined;
  clientIdentifier?: string | undefined;
  madUse?: 'auth' | 'admin' | undefined;
  /** true: only unrevoked, unexpired; false: only revoked or expired. */
  active?: boolean | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

export interface SessionPurge {
  olderThan: Date;
  purgeExpired: boolean;
  /** Revoked rows issued before the cutoff go regardless of expiry (contract.md fix). */
  purgeRevoked: boolean;
}

interface SessionDbRow {
  id: string; user_id: string; client_identifier: string; issued_at: string; expires_at: string;
  is_revoked: number; token_use: string; mad_use: 'auth' | 'admin'; login_method: string | null;
  family_id: string | null; is_session_based: number; session_max_age_seconds: number;
  session_expires_at: string | null;
}

/** The columns of a session row as the store reads it: `is_revoked` counts its family's revocation. */
export const sessionColumns = (row = 'sessions'): string =>
  ['id', 'user_id', 'client_identifier', 'issued_at', 'expires_at', 'token_use', 'mad_use', 'login_method', 'family_id',
    'is_session_based', 'session_max_age_seconds', 'session_expires_at'].map((c) => `${row}.${c}`).join(', ') +
  `, ${revokedSql(row)} AS is_revoked`;
const COLUMNS = sessionColumns();
const REVOKED = revokedSql('sessions');
/** The rows a purge looks at: those recorded before the first one issued at or after the cutoff (insertion-order.ts). */
const ISSUED_BEFORE = insertedBeforeSql('sessions', 'issued_at');
// Built once (the bearer check's cache misses): `ctx.sql` finds a prepared statement by its text.
const LIVENESS = `SELECT user_id, mad_use, ${REVOKED} AS is_revoked FROM sessions WHERE id = ?`;

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
  // Every bearer request and introspection reads its token's session row (≈ 20 µs under load): the
  // liveness facts are kept in memory, and a write to a session row drops that row's entry. A
  // revoked family (rare) empties the whole cache.
  const liveness = createWatchedCache(ctx.db, { name: 'sessions', maxEntries: 50_000,
    tables: [{ table: 'sessions', keyColumn: 'id' }, { table: 'revoked_families' }] });
  const livenessOf = (jti: string) => liveness.get(jti, () => {
    const r = ctx.sql(LIVENESS).get(jti) as
      { user_id: string; mad_use: string; is_revoked: number } | undefined;
    return r ? Object.freeze({ userId: r.user_id, plane: r.mad_use, revoked: bool(r.is_revoked) }) : null;
  });

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
      const r = ctx.sql(`SELECT ${COLUMNS} FROM sessions WHERE id = ?`).get(jti) as SessionDbRow | undefined;
      return r ? toSession(r) : null;
    },

    /**
     * The bearer check: the token's session row exists for this user and plane and is not revoked.
     * Expiry is checked by the JWT verifier, not here.
     */
    async isActive(jti: string, userId: string, plane: 'auth' | 'admin'): Promise<boolean> {
      const s = livenessOf(jti);
      return s !== null && s.userId === userId && s.plane === plane && !s.revoked;
    },

    /** Newest first, with the total for X-Total-Count. */
    async list(filter: SessionFilter = {}): Promise<{ rows: SessionRow[]; total: number }> {
      const where: string[] = [];
      const params: Record<string, unknown> = { now: ctx.nowIso() };
      if (filter.userId !== undefined) { where.push('user_id = @userId'); params.userId = filter.userId; }
      if (filter.clientIdentifier !== undefined) { where.push('client_identifier = @client'); params.client = filter.clientIdentifier; }
      if (filter.madUse !== undefined) { where.push('mad_use = @madUse'); params.madUse = filter.madUse; }
      if (filter.active === true) where.push(`NOT ${REVOKED} AND expires_at > @now`);
      if (filter.active === false) where.push(`(${REVOKED} OR expires_at <= @now)`);
      const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const total = (ctx.db.prepare(`SELECT count(*) AS n FROM sessions ${clause}`).get(params) as { n: number }).n;
      // Newest first in the order the sessions were recorded (rowid): no sort, no time index to maintain.
      const rows = ctx.db.prepare(`SELECT ${COLUMNS} FROM sessions ${clause} ORDER BY sessions.rowid DESC LIMIT @limit OFFSET @offset`)
        .all({ ...params, limit: filter.limit ?? -1, offset: filter.offset ?? 0 }) as SessionDbRow[];
      return { rows: rows.map(toSession), total };
    },

    /** Usernames of the given user ids (unknown ids are absent). */
    async usernamesOf(userIds: readonly string[]): Promise<Map<string, string>> {
      return usernamesSync(ctx, userIds);
    },

    /** Deletes expired rows that expired before the cutoff and/or revoked rows issued before it. */
    async purge(o: SessionPurge, entry?: AuditEntry): Promise<number> {
      const cutoff = o.olderThan.toISOString();
      return ctx.db.transaction(() => {
        let n = 0;
        if (o.purgeExpired) n += ctx.sql(`DELETE FROM sessions WHERE ${ISSUED_BEFORE} AND expires_at < @cutoff`).run({ cutoff }).changes;
        if (o.purgeRevoked) n += ctx.sql(`DELETE FROM sessions WHERE ${ISSUED_BEFORE} AND ${REVOKED} AND issued_at < @cutoff`).run({ cutoff }).changes;
        if (entry) audit.appendSync(entry);
        return n;
      }).immediate();
    },

    async revoke(jti: string, entry?: AuditEntry): Promise<boolean> {
      return ctx.db.transaction(() => {
        const { changes } = ctx.sql(`UPDATE sessions SET is_revoked = 1 WHERE id = ? AND NOT ${REVOKED}`).run(jti);
        if (entry) audit.appendSync(entry);
        return changes > 0;
      }).immediate();
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
