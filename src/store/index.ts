import { createAuditStore, type AuditOptions } from './audit.js';
import { createAuthCodeStore } from './auth-codes.js';
import { createAuthSessionStore } from './auth-sessions.js';
import { createClientStore } from './clients.js';
import { createDenylistStore } from './denylist.js';
import { createGrantStore } from './grants.js';
import { createRefreshTokenStore } from './refresh-tokens.js';
import { createTotpStore } from './totp.js';
import { createStoreContext } from './context.js';
import { createMetaStore } from './meta.js';
import { createPermissionStore } from './permissions.js';
import { createRoleStore } from './roles.js';
import { createScopeStore } from './scopes.js';
import { createHousekeepingStore } from './housekeeping.js';
import type { Db } from './open.js';
import { createSessionStore } from './sessions.js';
import { createSigningKeyStore } from './signing-keys.js';
import { createUserStore } from './users.js';

export { openDatabase, DatabaseOpenError, type Db } from './open.js';
export { startCheckpointer, type Checkpointer } from './checkpointer.js';
export { migrate, bundledMigrations, schemaVersion, DatabaseTooNewError } from './migrate.js';
export * from './types.js';

/** Ids of the rows seeded by migration 0001 (the same as the original microauthd's). */
export const MAD_ADMIN_ROLE_ID = '3855db1d-465e-412b-b1f4-b5cd78b4ae9f';

/**
 * The data-access layer: the only code that knows SQL. Each method runs in one transaction and
 * returns plain objects; the interface is async so another backend can be added later.
 */
export function createStore(db: Db, now?: () => Date, options: { audit?: AuditOptions } = {}) {
  const ctx = createStoreContext(db, now);
  const audit = createAuditStore(ctx, options.audit);
  const sessions = createSessionStore(ctx, audit);
  return {
    audit,
    meta: createMetaStore(ctx),
    users: createUserStore(ctx, audit),
    roles: createRoleStore(ctx, audit),
    permissions: createPermissionStore(ctx, audit),
    scopes: createScopeStore(ctx, audit),
    sessions,
    refreshTokens: createRefreshTokenStore(ctx, audit, sessions),
    clients: createClientStore(ctx, audit),
    totp: createTotpStore(ctx, audit),
    denylist: createDenylistStore(ctx, audit),
    grants: createGrantStore(ctx, audit),
    signingKeys: createSigningKeyStore(ctx, audit),
    housekeeping: createHousekeepingStore(ctx),
    authSessions: createAuthSessionStore(ctx, audit),
    authCodes: createAuthCodeStore(ctx, audit),
    close(): void {
      ctx.group.flush();
      db.close();
    },
  };
}

export type Store = ReturnType<typeof createStore>;
