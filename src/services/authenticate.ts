import type { PasswordHasher } from '../crypto/password.js';
import type { Store } from '../store/index.js';
import type { FailurePolicy } from '../store/users.js';
import type { UserRow } from '../store/types.js';
import type { RequestContext } from './request-context.js';
import { normalizeUsername } from './validation.js';

export interface AuthenticateDeps {
  store: Pick<Store, 'users'>;
  hasher: PasswordHasher;
  lockout: FailurePolicy;
  now: () => Date;
}

export type Authenticate = (username: string, password: string, rc: RequestContext) => Promise<UserRow | null>;

/**
 * The one credential check (password grant, hosted login, admin token). Every failure path —
 * unknown, inactive, locked, wrong password — runs exactly one argon2id verify and returns the
 * same `null`, so neither the answer nor its timing tells whether a user exists (security.md).
 */
export function createAuthenticate(deps: AuthenticateDeps): Authenticate {
  return async function authenticate(rawUsername, password, rc) {
    const username = normalizeUsername(rawUsername);
    const user = username ? await deps.store.users.findByUsername(username) : null;
    if (!user || !user.isActive) {
      await deps.hasher.verifyDummy(password);
      return null;
    }
    const ok = await deps.hasher.verify(user.passwordHash, password);
    const locked = user.lockoutUntil !== null && Date.parse(user.lockoutUntil) > deps.now().getTime();
    if (locked) return null;
    if (!ok) {
      await deps.store.users.recordFailedLogin(user.id, deps.lockout, {
        actorId: user.id, action: 'account_locked', target: user.id, outcome: 'failure',
        ipAddress: rc.ipAddress, userAgent: rc.userAgent,
      });
      return null;
    }
    const rehash = deps.hasher.needsRehash(user.passwordHash) ? await deps.hasher.hash(password) : undefined;
    await deps.store.users.recordSuccessfulLogin(user.id, rehash);
    return user;
  };
}
