import type { StoreContext } from './context.js';
import type { AuditStore } from './audit.js';
import type { AuditEntry } from './types.js';

/** Revoked token ids that have no session row (client_credentials tokens), kept until they expire. */
export function createDenylistStore(ctx: StoreContext, audit: AuditStore) {
  return {
    async add(jti: string, expiresAt: Date, entry?: AuditEntry): Promise<void> {
      ctx.db.transaction(() => {
        ctx.sql('INSERT OR IGNORE INTO jti_denylist (jti, expires_at) VALUES (?, ?)').run(jti, expiresAt.toISOString());
        if (entry) audit.appendSync(entry);
      }).immediate();
    },
    async has(jti: string): Promise<boolean> {
      return ctx.sql('SELECT 1 FROM jti_denylist WHERE jti = ?').get(jti) !== undefined;
    },
    /** Entries past their token's expiry are useless: the token is dead anyway. */
    async purgeExpired(): Promise<number> {
      return ctx.sql('DELETE FROM jti_denylist WHERE expires_at < ?').run(ctx.nowIso()).changes;
    },
  };
}

export type DenylistStore = ReturnType<typeof createDenylistStore>;
