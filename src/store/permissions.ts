import { randomUUID } from 'node:crypto';
import type { StoreContext } from './context.js';
import type { AuditStore } from './audit.js';
import { translateSqliteError, type AuditEntry } from './types.js';
import { deleteAudited } from './catalogue.js';
import type { NameRef } from './roles.js';

/** Permissions (unique names) and the effective user → role → permission relation. */
export function createPermissionStore(ctx: StoreContext, audit: AuditStore) {
  const byId = (id: string): NameRef | null => (ctx.sql('SELECT id, name FROM permissions WHERE id = ?').get(id) as NameRef | undefined) ?? null;

  return {
    async create(name: string, entry?: AuditEntry): Promise<NameRef> {
      const id = randomUUID();
      const now = ctx.nowIso();
      return ctx.db.transaction(() => {
        try {
          ctx.sql('INSERT INTO permissions (id, name, created_at, modified_at) VALUES (?, ?, ?, ?)').run(id, name, now, now);
        } catch (err) {
          translateSqliteError(err, `permission '${name}'`);
        }
        if (entry) audit.appendSync(entry);
        return { id, name };
      }).immediate();
    },

    async get(id: string): Promise<NameRef | null> {
      return byId(id);
    },

    async findByName(name: string): Promise<NameRef | null> {
      return (ctx.sql('SELECT id, name FROM permissions WHERE name = ?').get(name) as NameRef | undefined) ?? null;
    },

    async list(activeOnly = false): Promise<NameRef[]> {
      return ctx.sql(`SELECT id, name FROM permissions ${activeOnly ? 'WHERE is_active = 1' : ''} ORDER BY name`).all() as NameRef[];
    },

    async rename(id: string, name: string, entry?: AuditEntry): Promise<NameRef | null> {
      return ctx.db.transaction(() => {
        let changes = 0;
        try {
          changes = ctx.sql('UPDATE permissions SET name = ?, modified_at = ? WHERE id = ?').run(name, ctx.nowIso(), id).changes;
        } catch (err) {
          translateSqliteError(err, `permission '${name}'`);
        }
        if (changes > 0 && entry) audit.appendSync(entry);
        return changes > 0 ? byId(id) : null;
      }).immediate();
    },

    async delete(id: string, entry?: AuditEntry): Promise<boolean> {
      return deleteAudited(ctx, audit, 'DELETE FROM permissions WHERE id = ?', [id], entry);
    },

    /** Effective permissions through the user's active roles, distinct, by name. */
    async ofUser(userId: string): Promise<NameRef[]> {
      return ctx.sql(`SELECT DISTINCT p.id, p.name FROM user_roles ur JOIN roles r ON r.id = ur.role_id AND r.is_active = 1
        JOIN role_permissions rp ON rp.role_id = r.id JOIN permissions p ON p.id = rp.permission_id AND p.is_active = 1
        JOIN users u ON u.id = ur.user_id AND u.is_active = 1 WHERE ur.user_id = ? ORDER BY p.name`).all(userId) as NameRef[];
    },
  };
}

export type PermissionStore = ReturnType<typeof createPermissionStore>;
