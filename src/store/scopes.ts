import { randomUUID } from 'node:crypto';
import type { StoreContext } from './context.js';
import type { AuditStore } from './audit.js';
import { bool, translateSqliteError, type AuditEntry } from './types.js';

export interface ScopeRow {
  id: string;
  name: string;
  description: string;
  isProtected: boolean;
  isActive: boolean;
  createdAt: string;
}

interface ScopeDbRow { id: string; name: string; description: string; is_protected: number; is_active: number; created_at: string }
const toScope = (r: ScopeDbRow): ScopeRow => ({ id: r.id, name: r.name, description: r.description, isProtected: bool(r.is_protected),
  isActive: bool(r.is_active), createdAt: r.created_at });

/** Scopes and their assignment to users. (Client scopes live with the clients.) */
export function createScopeStore(ctx: StoreContext, audit: AuditStore) {
  const byId = (id: string): ScopeRow | null => {
    const r = ctx.sql('SELECT * FROM scopes WHERE id = ?').get(id) as ScopeDbRow | undefined;
    return r ? toScope(r) : null;
  };

  return {
    async create(name: string, description: string, entry?: AuditEntry): Promise<ScopeRow> {
      const id = randomUUID();
      const now = ctx.now().toISOString();
      return ctx.db.transaction(() => {
        try {
          ctx.sql('INSERT INTO scopes (id, name, description, created_at, modified_at) VALUES (?, ?, ?, ?, ?)').run(id, name, description, now, now);
        } catch (err) {
          translateSqliteError(err, `scope '${name}'`);
        }
        if (entry) audit.appendSync(entry);
        return byId(id) as ScopeRow;
      }).immediate();
    },

    async get(id: string): Promise<ScopeRow | null> {
      return byId(id);
    },

    async findByName(name: string): Promise<ScopeRow | null> {
      const r = ctx.sql('SELECT * FROM scopes WHERE name = ?').get(name) as ScopeDbRow | undefined;
      return r ? toScope(r) : null;
    },

    async list(): Promise<ScopeRow[]> {
      return (ctx.sql('SELECT * FROM scopes WHERE is_active = 1 ORDER BY name').all() as ScopeDbRow[]).map(toScope);
    },

    async update(id: string, changes: { name?: string; description?: string }, entry?: AuditEntry): Promise<ScopeRow | null> {
      return ctx.db.transaction(() => {
        const before = byId(id);
        if (!before) return null;
        try {
          ctx.sql('UPDATE scopes SET name = ?, description = ?, modified_at = ? WHERE id = ?')
            .run(changes.name ?? before.name, changes.description ?? before.description, ctx.now().toISOString(), id);
        } catch (err) {
          translateSqliteError(err, `scope '${changes.name ?? ''}'`);
        }
        if (entry) audit.appendSync(entry);
        return byId(id);
      }).immediate();
    },

    async delete(id: string, entry?: AuditEntry): Promise<boolean> {
      return ctx.db.transaction(() => {
        const { changes } = ctx.sql('DELETE FROM scopes WHERE id = ? AND is_protected = 0').run(id);
        if (changes > 0 && entry) audit.appendSync(entry);
        return changes > 0;
      }).immediate();
    },

    /** Assigns the existing active scopes among `scopeIds` not yet assigned; returns how many were added. */
    async assignToUser(userId: string, scopeIds: readonly string[], entry?: AuditEntry): Promise<number> {
      return ctx.db.transaction(() => {
        let added = 0;
        for (const scopeId of scopeIds) {
          if (!ctx.sql('SELECT 1 FROM scopes WHERE id = ? AND is_active = 1').get(scopeId)) continue;
          added += ctx.sql('INSERT OR IGNORE INTO user_scopes (id, user_id, scope_id, assigned_at) VALUES (?, ?, ?, ?)')
            .run(randomUUID(), userId, scopeId, ctx.now().toISOString()).changes;
        }
        if (added > 0 && entry) audit.appendSync(entry);
        return added;
      }).immediate();
    },

    async removeFromUser(userId: string, scopeId: string, entry?: AuditEntry): Promise<boolean> {
      return ctx.db.transaction(() => {
        const { changes } = ctx.sql('DELETE FROM user_scopes WHERE user_id = ? AND scope_id = ?').run(userId, scopeId);
        if (changes > 0 && entry) audit.appendSync(entry);
        return changes > 0;
      }).immediate();
    },

    async ofUser(userId: string): Promise<ScopeRow[]> {
      return (ctx.sql(`SELECT s.* FROM user_scopes us JOIN scopes s ON s.id = us.scope_id WHERE us.user_id = ? AND s.is_active = 1
        ORDER BY s.name`).all(userId) as ScopeDbRow[]).map(toScope);
    },
  };
}

export type ScopeStore = ReturnType<typeof createScopeStore>;
