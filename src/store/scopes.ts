import { randomUUID } from 'node:crypto';
import type { StoreContext } from './context.js';
import type { AuditStore } from './audit.js';
import { createCatalogue, deleteAudited, toCatalogueRows, type CatalogueRow } from './catalogue.js';
import type { AuditEntry } from './types.js';

/** A scope: a named catalogue row (catalogue.ts). */
export type ScopeRow = CatalogueRow;

/** Scopes and their assignment to users. (Client scopes live with the clients.) */
export function createScopeStore(ctx: StoreContext, audit: AuditStore) {
  return {
    ...createCatalogue(ctx, audit, { table: 'scopes', noun: 'scope', listActiveOnly: true }),

    /** Assigns the existing active scopes among `scopeIds` not yet assigned; returns how many were added. */
    async assignToUser(userId: string, scopeIds: readonly string[], entry?: AuditEntry): Promise<number> {
      return ctx.db.transaction(() => {
        let added = 0;
        for (const scopeId of scopeIds) {
          if (!ctx.sql('SELECT 1 FROM scopes WHERE id = ? AND is_active = 1').get(scopeId)) continue;
          added += ctx.sql('INSERT OR IGNORE INTO user_scopes (id, user_id, scope_id, assigned_at) VALUES (?, ?, ?, ?)')
            .run(randomUUID(), userId, scopeId, ctx.nowIso()).changes;
        }
        if (added > 0 && entry) audit.appendSync(entry);
        return added;
      }).immediate();
    },

    async removeFromUser(userId: string, scopeId: string, entry?: AuditEntry): Promise<boolean> {
      return deleteAudited(ctx, audit, 'DELETE FROM user_scopes WHERE user_id = ? AND scope_id = ?', [userId, scopeId], entry);
    },

    async ofUser(userId: string): Promise<ScopeRow[]> {
      return toCatalogueRows(ctx.sql(`SELECT s.* FROM user_scopes us JOIN scopes s ON s.id = us.scope_id WHERE us.user_id = ? AND s.is_active = 1
        ORDER BY s.name`).all(userId));
    },
  };
}

export type ScopeStore = ReturnType<typeof createScopeStore>;
