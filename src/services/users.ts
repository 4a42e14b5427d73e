import type { PasswordHasher } from '../crypto/password.js';
import { newId } from '../crypto/secrets.js';
import { AlreadyExistsError, MAD_ADMIN_ROLE_ID, type Store } from '../store/index.js';
import type { UserRow } from '../store/types.js';
import { InvalidInput, NotFound } from './errors.js';
import type { RequestContext } from './request-context.js';
import { emailProblem, normalizeEmail, normalizeUsername, passwordProblem, usernameProblem } from './validation.js';

/** The wire shape of a user (both planes serve it). */
export interface UserObject {
  id: string;
  username: string;
  email: string;
  created_at: string;
  lockout_until: string | null;
  is_active: boolean;
  email_verified: boolean;
  totp_enabled: boolean;
}

export interface UserUpdate {
  username?: string;
  email?: string;
  is_active?: boolean;
  email_verified?: boolean;
  lockout_until?: string | null;
}

export interface UserServiceDeps {
  store: Pick<Store, 'users' | 'audit'>;
  hasher: PasswordHasher;
  now: () => Date;
}

/**
 * Users as both planes manage them. Every mutation is one store transaction with its audit record;
 * deactivation and lockout revoke the user's sessions and refresh tokens in that same transaction.
 * The last active MadAdmin holder cannot be deactivated, locked or deleted.
 */
export function createUserService(deps: UserServiceDeps) {
  const { users } = deps.store;

  const shape = (u: UserRow, totpEnabled: boolean): UserObject => ({ id: u.id, username: u.username, email: u.email,
    created_at: u.createdAt, lockout_until: u.lockoutUntil, is_active: u.isActive, email_verified: u.emailVerified, totp_enabled: totpEnabled });

  async function toObject(u: UserRow): Promise<UserObject> {
    return shape(u, await users.totpEnabled(u.id));
  }

  async function existing(id: string, message = 'User not found'): Promise<UserRow> {
    const u = await users.getById(id);
    if (!u) throw new NotFound(message);
    return u;
  }

  /** Refuses to leave the installation without an active administrator. */
  async function keepLastAdmin(u: UserRow, what: string): Promise<void> {
    if (await users.hasRole(u.id, MAD_ADMIN_ROLE_ID) && (await users.countActiveHolders(MAD_ADMIN_ROLE_ID, u.id)) === 0) {
      throw new InvalidInput(`Cannot ${what} the last active administrator`);
    }
  }

  const audit = (rc: RequestContext, action: string, target: string, secondary?: string) =>
    ({ ...rc, action, target, ...(secondary !== undefined ? { secondary } : {}) });

  return {
    toObject,

    async create(input: { username: string; email: string; password: string }, rc: RequestContext): Promise<UserObject> {
      if (!input.username.trim() || !input.email.trim() || !input.password) throw new InvalidInput('Username, email, and password are required');
      const username = normalizeUsername(input.username);
      const email = normalizeEmail(input.email);
      const problem = usernameProblem(username) ?? emailProblem(email) ?? passwordProblem(input.password);
      if (problem) throw new InvalidInput(problem);
      const id = newId();
      try {
        const u = await users.create({ id, username, email, passwordHash: await deps.hasher.hash(input.password) },
          audit(rc, 'user_created', username, id));
        return await toObject(u);
      } catch (err) {
        if (err instanceof AlreadyExistsError) throw new InvalidInput('User creation failed (maybe duplicate username?)');
        throw err;
      }
    },

    async get(id: string): Promise<UserObject> {
      return toObject(await existing(id));
    },

    async list(o: { limit: number; offset: number; includeInactive: boolean }): Promise<{ items: UserObject[]; total: number }> {
      const { rows, total } = await users.list(o);
      const totp = await users.withTotpEnabled(rows.map((u) => u.id));
      return { items: rows.map((u) => shape(u, totp.has(u.id))), total };
    },

    async idByName(name: string): Promise<string> {
      const u = await users.findByUsername(normalizeUsername(name));
      if (!u) throw new NotFound('User not found');
      return u.id;
    },

    /** Partial update: fields not given keep their values. */
    async update(id: string, change: UserUpdate, rc: RequestContext): Promise<UserObject> {
      const before = await existing(id);
      const next: Parameters<typeof users.update>[1] = {};
      if (change.username !== undefined) {
        if (!change.username.trim()) throw new InvalidInput('Username and email are required.');
        next.username = normalizeUsername(change.username);
        const p = usernameProblem(next.username);
        if (p) throw new InvalidInput(p);
      }
      if (change.email !== undefined) {
        if (!change.email.trim()) throw new InvalidInput('Username and email are required.');
        next.email = normalizeEmail(change.email);
        const p = emailProblem(next.email);
        if (p) throw new InvalidInput(p);
      }
      if (change.is_active !== undefined) next.isActive = change.is_active;
      if (change.email_verified !== undefined) next.emailVerified = change.email_verified;
      if (change.lockout_until !== undefined) next.lockoutUntil = change.lockout_until;
      if (next.isActive === false && before.isActive) await keepLastAdmin(before, 'deactivate');
      if (next.lockoutUntil && Date.parse(next.lockoutUntil) > deps.now().getTime()) await keepLastAdmin(before, 'lock');
      try {
        const u = await users.update(id, next, audit(rc, 'user_updated', id));
        return await toObject(u as UserRow);
      } catch (err) {
        if (err instanceof AlreadyExistsError) throw new InvalidInput('Username or email already in use by another user.');
        throw err;
      }
    },

    async verifyEmail(id: string, rc: RequestContext): Promise<string> {
      await existing(id, 'User not found.');
      await users.update(id, { emailVerified: true }, audit(rc, 'user_email_verified', id));
      return 'Email marked as verified.';
    },

    async deactivate(id: string, rc: RequestContext): Promise<string> {
      const u = await existing(id);
      if (!u.isActive) throw new InvalidInput('User is already inactive');
      await keepLastAdmin(u, 'deactivate');
      await users.setActive(id, false, audit(rc, 'user_deactivated', id));
      return `User '${id}' deactivated.`;
    },

    async activate(id: string, rc: RequestContext): Promise<string> {
      const result = await users.setActive(id, true, audit(rc, 'user_reactivated', id));
      if (result === 'missing') throw new NotFound('User not found');
      if (result === 'unchanged') throw new InvalidInput('User is already active');
      return `User '${id}' reactivated.`;
    },

    async delete(id: string, rc: RequestContext): Promise<string> {
      const u = await existing(id, `User ${id} not found.`);
      await keepLastAdmin(u, 'delete');
      await users.delete(id, audit(rc, 'delete_user', id, u.username));
      return `Deleted user ${id}`;
    },

    async resetPassword(id: string, password: string, rc: RequestContext): Promise<string> {
      if (!password) throw new InvalidInput('User ID and new password are required');
      const problem = passwordProblem(password);
      if (problem) throw new InvalidInput(problem);
      const u = await users.getById(id);
      if (!u || !u.isActive) throw new InvalidInput('User not found or inactive');
      await users.resetPassword(id, await deps.hasher.hash(password), audit(rc, 'user_password_reset', id));
      return `Password for user '${id}' has been reset`;
    },

    /** A future date locks (and revokes the user's grants); null or a past date clears the lock. */
    async setLockout(id: string, until: string | null, rc: RequestContext): Promise<string> {
      const u = await existing(id);
      if (until !== null && Number.isNaN(Date.parse(until))) throw new InvalidInput('lockout_until must be an ISO-8601 date or null');
      const iso = until === null ? null : new Date(until).toISOString();
      const locking = iso !== null && Date.parse(iso) > deps.now().getTime();
      if (locking) await keepLastAdmin(u, 'lock');
      await users.update(id, { lockoutUntil: locking ? iso : null }, audit(rc, locking ? 'admin.lockout.set' : 'admin.lockout.cleared', id));
      return locking ? `User lockout set to ${(iso as string).replace('T', ' ').replace(/\.\d+Z$/, 'Z')}` : 'User lockout cleared';
    },
  };
}

export type UserService = ReturnType<typeof createUserService>;
