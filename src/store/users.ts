import type { StoreContext } from './context.js';
import type { AuditStore } from './audit.js';
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

export function createUserStore(ctx: StoreContext, audit: AuditStore) {
  const byId = (id: string): UserRow | null => {
    const r = ctx.sql('SELECT * FROM users WHERE id = ?').get(id) as UserDbRow | undefined;
    return r ? toUser(r) : null;
  };

  return {
    /** Inserts a user (username/email already normalized by the caller). AlreadyExists on a taken username. */
    async create(user: NewUser, entry?: AuditEntry, roleIds: readonly string[] = []): Promise<UserRow> {
      const now = ctx.now().toISOString();
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
      return byId(id);
    },

    async findByUsername(username: string): Promise<UserRow | null> {
      const r = ctx.sql('SELECT * FROM users WHERE username = ?').get(username) as UserDbRow | undefined;
      return r ? toUser(r) : null;
    },

    async count(): Promise<number> {
      return (ctx.sql('SELECT count(*) AS n FROM users').get() as { n: number }).n;
    },

    async updatePasswordHash(id: string, passwordHash: string): Promise<void> {
      ctx.sql('UPDATE users SET password_hash = ?, modified_at = ? WHERE id = ?')
        .run(passwordHash, ctx.now().toISOString(), id);
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
      const now = ctx.now().toISOString();
      if (rehashed) {
        ctx.sql('UPDATE users SET failed_logins = 0, last_login = ?, password_hash = ? WHERE id = ?').run(now, rehashed, id);
      } else {
        ctx.sql('UPDATE users SET failed_logins = 0, last_login = ? WHERE id = ?').run(now, id);
      }
    },

    async hasRole(userId: string, roleId: string): Promise<boolean> {
      return ctx.sql(`SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id
        WHERE ur.user_id = ? AND ur.role_id = ? AND r.is_active = 1`).get(userId, roleId) !== undefined;
    },

    /** Names and ids of the user's active roles and scopes, for token claims. */
    async claimsOf(userId: string): Promise<{ roles: { id: string; name: string }[]; scopes: { id: string; name: string }[] }> {
      const roles = ctx.sql(`SELECT r.id, r.name FROM user_roles ur JOIN roles r ON r.id = ur.role_id
        WHERE ur.user_id = ? AND r.is_active = 1 ORDER BY r.name`).all(userId) as { id: string; name: string }[];
      const scopes = ctx.sql(`SELECT s.id, s.name FROM user_scopes us JOIN scopes s ON s.id = us.scope_id
        WHERE us.user_id = ? AND s.is_active = 1 ORDER BY s.name`).all(userId) as { id: string; name: string }[];
      return { roles, scopes };
    },
  };
}

export type UserStore = ReturnType<typeof createUserStore>;
