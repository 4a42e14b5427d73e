import type { StoreContext } from './context.js';
import type { AuditStore } from './audit.js';
import { revokeGrantsSync } from './revoke-grants.js';
import { createWatchedCache } from './watched-cache.js';
import { bool, translateSqliteError, type AuditEntry, type UserRow } from './types.js';

interface UserDbRow {
  id: string; username: string; email: string; password_hash: string; created_at: string; modified_at: string;
  last_login: string | null; failed_logins: number; last_failed_login: string | null; lockout_until: string | null;
  is_active: number; email_verified: number;
}

export const toUser = (r: UserDbRow): UserRow => ({
  id: r.id, username: r.username, email: r.email, passwordHash: r.password_hash, createdAt: r.created_at,
  modifiedAt: r.modified_at, lastLogin: r.last_login, failedLogins: r.failed_logins,
  lastFailedLogin: r.last_failed_login, lockoutUntil: r.lockout_until, isActive: bool(r.is_active),
  emailVerified: bool(r.email_verified),
});

export interface NewUser {
  id: string;
  username: string;
  email: string;
  passwordHash: string;
  emailVerified?: boolean;
}

export interface FailurePolicy {
  /** Failures within this many seconds of the previous one accumulate. */
  windowSeconds: number;
  /** Lock when the count reaches this (0 = never lock). */
  maxFailures: number;
  lockoutSeconds: number;
}

export interface UserChanges {
  username?: string;
  email?: string;
  isActive?: boolean;
  emailVerified?: boolean;
  lockoutUntil?: string | null;
}

/** A user's active roles and scopes (ids and names), for token claims. */
export interface Claims {
  readonly roles: readonly Readonly<{ id: string; name: string }>[];
  readonly scopes: readonly Readonly<{ id: string; name: string }>[];
}

export type ActiveChange = 'changed' | 'unchanged' | 'missing';

export function createUserStore(ctx: StoreContext, audit: AuditStore) {
  /** Deactivation and lockout end every session (admin-plane ones too) and refresh token of the user. */
  const revokeAllSync = (userId: string): void => {
    revokeGrantsSync(ctx, { userId }, { allPlanes: true });
  };

  const byId = (id: string): UserRow | null => {
    const r = ctx.sql('SELECT * FROM users WHERE id = ?').get(id) as UserDbRow | undefined;
    return r ? toUser(r) : null;
  };

  // Every refresh and code exchange reads its user and the user's role and scope names (≈ 5 % of a
  // refresh): kept in memory, dropped per user when that user's row or assignments are written,
  // emptied when any role or scope is (watched-cache.ts: writes by other connections empty them too).
  const users = createWatchedCache(ctx.db, { name: 'users', maxEntries: 10_000, tables: [{ table: 'users', keyColumn: 'id' }] });
  const claims = createWatchedCache(ctx.db, { name: 'user_claims', maxEntries: 10_000,
    tables: [{ table: 'user_roles', keyColumn: 'user_id' }, { table: 'user_scopes', keyColumn: 'user_id' },
      { table: 'roles' }, { table: 'scopes' }] });
  const named = (rows: { id: string; name: string }[]) => Object.freeze(rows.map((r) => Object.freeze({ id: r.id, name: r.name })));
  /** The cached row, shared by every caller (frozen). */
  const cachedUser = (id: string): Readonly<UserRow> | null => users.get(id, () => { const row = byId(id); return row && Object.freeze(row); });
  const claimsOf = (userId: string): Claims => claims.get(userId, () => Object.freeze({
    roles: named(ctx.sql(`SELECT r.id, r.name FROM user_roles ur JOIN roles r ON r.id = ur.role_id
      WHERE ur.user_id = ? AND r.is_active = 1 ORDER BY r.name`).all(userId) as { id: string; name: string }[]),
    scopes: named(ctx.sql(`SELECT s.id, s.name FROM user_scopes us JOIN scopes s ON s.id = us.scope_id
      WHERE us.user_id = ? AND s.is_active = 1 ORDER BY s.name`).all(userId) as { id: string; name: string }[]),
  }));

  return {
    /** Inserts a user (username/email already normalized by the caller). AlreadyExists on a taken username. */
    async create(user: NewUser, entry?: AuditEntry, roleIds: readonly string[] = []): Promise<UserRow> {
      const now = ctx.nowIso();
      return ctx.db.transaction(() => {
        try {
          ctx.sql(`INSERT INTO users (id, username, email, password_hash, created_at, modified_at, email_verified)
            VALUES (?, ?, ?, ?, ?, ?, ?)`).run(user.id, user.username, user.email, user.passwordHash, now, now,
            user.emailVerified ? 1 : 0);
        } catch (err) {
          translateSqliteError(err, `user '${user.username}'`);
        }
        for (const roleId of roleIds) {
          ctx.sql('INSERT OR IGNORE INTO user_roles (id, user_id, role_id, assigned_at) VALUES (?, ?, ?, ?)')
            .run(crypto.randomUUID(), user.id, roleId, now);
        }
        if (entry) audit.appendSync(entry);
        return byId(user.id) as UserRow;
      }).immediate();
    },

    async getById(id: string): Promise<UserRow | null> {
      const u = cachedUser(id);
      return u && { ...u };
    },

    /** getById inside a write job (a refresh rotation): the shared read-only row. */
    getByIdSync: cachedUser,

    async findByUsername(username: string): Promise<UserRow | null> {
      const r = ctx.sql('SELECT * FROM users WHERE username = ?').get(username) as UserDbRow | undefined;
      return r ? toUser(r) : null;
    },

    async count(): Promise<number> {
      return (ctx.sql('SELECT count(*) AS n FROM users').get() as { n: number }).n;
    },

    async updatePasswordHash(id: string, passwordHash: string): Promise<void> {
      ctx.sql('UPDATE users SET password_hash = ?, modified_at = ? WHERE id = ?')
        .run(passwordHash, ctx.nowIso(), id);
    },

    /**
     * Counts a failed login and locks the account when the policy says so, atomically.
     * Returns whether the account is now locked; `entry` is audited when the lock happens.
     */
    async recordFailedLogin(id: string, policy: FailurePolicy, lockEntry?: AuditEntry): Promise<{ locked: boolean }> {
      const now = ctx.now();
      return ctx.db.transaction(() => {
        const u = byId(id);
        if (!u) return { locked: false };
        const recent = u.lastFailedLogin !== null
          && now.getTime() - Date.parse(u.lastFailedLogin) <= policy.windowSeconds * 1000;
        const count = recent ? u.failedLogins + 1 : 1;
        const lock = policy.maxFailures > 0 && count >= policy.maxFailures;
        const until = lock ? new Date(now.getTime() + policy.lockoutSeconds * 1000).toISOString() : u.lockoutUntil;
        ctx.sql('UPDATE users SET failed_logins = ?, last_failed_login = ?, lockout_until = ? WHERE id = ?')
          .run(lock ? 0 : count, now.toISOString(), until, id);
        if (lock && lockEntry) audit.appendSync(lockEntry);
        return { locked: lock };
      }).immediate();
    },

    /** Resets the failure counter and stamps last_login (and an upgraded hash when given). */
    async recordSuccessfulLogin(id: string, rehashed?: string): Promise<void> {
      const now = ctx.nowIso();
      if (rehashed) {
        ctx.sql('UPDATE users SET failed_logins = 0, last_login = ?, password_hash = ? WHERE id = ?').run(now, rehashed, id);
      } else {
        ctx.sql('UPDATE users SET failed_logins = 0, last_login = ? WHERE id = ?').run(now, id);
      }
    },

    /** Active users by username (inactive too with includeInactive); total for X-Total-Count. */
    async list(o: { limit: number; offset: number; includeInactive: boolean }): Promise<{ rows: UserRow[]; total: number }> {
      const where = o.includeInactive ? '' : 'WHERE is_active = 1';
      const total = (ctx.sql(`SELECT count(*) AS n FROM users ${where}`).get() as { n: number }).n;
      const rows = ctx.sql(`SELECT * FROM users ${where} ORDER BY username LIMIT ? OFFSET ?`).all(o.limit, o.offset) as UserDbRow[];
      return { rows: rows.map(toUser), total };
    },

    /** Applies the given changes (a deactivation or a lockout also revokes the user's grants). */
    async update(id: string, changes: UserChanges, entry?: AuditEntry): Promise<UserRow | null> {
      return ctx.db.transaction(() => {
        const before = byId(id);
        if (!before) return null;
        const next = {
          username: changes.username ?? before.username,
          email: changes.email ?? before.email,
          is_active: (changes.isActive ?? before.isActive) ? 1 : 0,
          email_verified: (changes.emailVerified ?? before.emailVerified) ? 1 : 0,
          lockout_until: changes.lockoutUntil !== undefined ? changes.lockoutUntil : before.lockoutUntil,
        };
        try {
          ctx.sql(`UPDATE users SET username = ?, email = ?, is_active = ?, email_verified = ?, lockout_until = ?, modified_at = ?
            WHERE id = ?`).run(next.username, next.email, next.is_active, next.email_verified, next.lockout_until, ctx.nowIso(), id);
        } catch (err) {
          translateSqliteError(err, `user '${next.username}'`);
        }
        const locking = next.lockout_until !== null && next.lockout_until !== before.lockoutUntil && next.lockout_until > ctx.nowIso();
        if ((before.isActive && !next.is_active) || locking) revokeAllSync(id);
        if (entry) audit.appendSync(entry);
        return byId(id);
      }).immediate();
    },

    /** Flips is_active; deactivation revokes sessions and refresh tokens in the same transaction. */
    async setActive(id: string, active: boolean, entry?: AuditEntry): Promise<ActiveChange> {
      return ctx.db.transaction((): ActiveChange => {
        const u = byId(id);
        if (!u) return 'missing';
        if (u.isActive === active) return 'unchanged';
        ctx.sql('UPDATE users SET is_active = ?, modified_at = ? WHERE id = ?').run(active ? 1 : 0, ctx.nowIso(), id);
        if (!active) revokeAllSync(id);
        if (entry) audit.appendSync(entry);
        return 'changed';
      }).immediate();
    },

    async delete(id: string, entry?: AuditEntry): Promise<boolean> {
      return ctx.db.transaction(() => {
        const { changes } = ctx.sql('DELETE FROM users WHERE id = ?').run(id);
        if (changes > 0 && entry) audit.appendSync(entry);
        return changes > 0;
      }).immediate();
    },

    /** Sets a new password hash (and clears failures); grants stay valid, as in the original. */
    async resetPassword(id: string, passwordHash: string, entry?: AuditEntry): Promise<boolean> {
      return ctx.db.transaction(() => {
        const { changes } = ctx.sql('UPDATE users SET password_hash = ?, failed_logins = 0, modified_at = ? WHERE id = ? AND is_active = 1')
          .run(passwordHash, ctx.nowIso(), id);
        if (changes > 0 && entry) audit.appendSync(entry);
        return changes > 0;
      }).immediate();
    },

    /** Which of these users have TOTP enabled for some client (one query for a whole page). */
    async withTotpEnabled(ids: readonly string[]): Promise<Set<string>> {
      if (ids.length === 0) return new Set();
      const rows = ctx.db.prepare(`SELECT DISTINCT user_id FROM user_totp WHERE is_enabled = 1 AND user_id IN (${ids.map(() => '?').join(',')})`)
        .all(...ids) as { user_id: string }[];
      return new Set(rows.map((r) => r.user_id));
    },

    async totpEnabled(id: string): Promise<boolean> {
      return ctx.sql('SELECT 1 FROM user_totp WHERE user_id = ? AND is_enabled = 1').get(id) !== undefined;
    },

    /** Active holders of a role, other than `exceptUserId` (to keep at least one administrator). */
    async countActiveHolders(roleId: string, exceptUserId: string): Promise<number> {
      return (ctx.sql(`SELECT count(*) AS n FROM user_roles ur JOIN users u ON u.id = ur.user_id
        WHERE ur.role_id = ? AND u.is_active = 1 AND u.id != ?`).get(roleId, exceptUserId) as { n: number }).n;
    },

    async hasRole(userId: string, roleId: string): Promise<boolean> {
      return ctx.sql(`SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id
        WHERE ur.user_id = ? AND ur.role_id = ? AND r.is_active = 1`).get(userId, roleId) !== undefined;
    },

    /** The user's active roles and scopes, by name; read-only (shared by every caller). */
    async claimsOf(userId: string): Promise<Claims> {
      return claimsOf(userId);
    },

    /** claimsOf inside a write job. */
    claimsOfSync: claimsOf,
  };
}

export type UserStore = ReturnType<typeof createUserStore>;
