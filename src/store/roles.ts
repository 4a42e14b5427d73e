import { randomUUID } from 'node:crypto';
import type { StoreContext } from './context.js';
import type { AuditStore } from './audit.js';
import { bool, translateSqliteError, type AuditEntry } from './types.js';

export interface RoleRow {
  id: string;
  name: string;
  description: string;
  isProtected: boolean;
  isActive: boolean;
  createdAt: string;
}

interface RoleDbRow { id: string; name: string; description: string; is_protected: number; is_active: number; created_at: string }
const toRole = (r: RoleDbRow): RoleRow => ({ id: r.id, name: r.name, description: r.description, isProtected: bool(r.is_protected),
  isActive: bool(r.is_active), createdAt: r.created_at });

export interface NameRef { id: string; name: string }

/** Roles, their assignment to users (idempotent: one row per pair) and their permissions. */
export function createRoleStore(ctx: StoreContext, audit: AuditStore) {
  const byId = (id: string): RoleRow | null => {
    const r = ctx.sql('SELECT * FROM roles WHERE id = ?').get(id) as RoleDbRow | undefined;
    return r ? toRole(r) : null;
  };
  const assignSync = (userId: string, roleId: string): boolean =>
    ctx.sql('INSERT OR IGNORE INTO user_roles (id, user_id, role_id, assigned_at) VALUES (?, ?, ?, ?)')
      .run(randomUUID(), userId, roleId, ctx.now().toISOString()).changes > 0;

  return {
    async create(name: string, description: string, entry?: AuditEntry): Promise<RoleRow> {
      const id = randomUUID();
      const now = ctx.now().toISOString();
      return ctx.db.transaction(() => {
        try {
          ctx.sql('INSERT INTO roles (id, name, description, created_at, modified_at) VALUES (?, ?, ?, ?, ?)').run(id, name, description, now, now);
        } catch (err) {
          translateSqliteError(err, `role '${name}'`);
        }
        if (entry) audit.appendSync(entry);
        return byId(id) as RoleRow;
      }).immediate();
    },

    async get(id: string): Promise<RoleRow | null> {
      return byId(id);
    },

    async findByName(name: string): Promise<RoleRow | null> {
      const r = ctx.sql('SELECT * FROM roles WHERE name = ?').get(name) as RoleDbRow | undefined;
      return r ? toRole(r) : null;
    },

    async list(): Promise<RoleRow[]> {
      return (ctx.sql('SELECT * FROM roles ORDER BY name').all() as RoleDbRow[]).map(toRole);
    },

    async update(id: string, changes: { name?: string; description?: string }, entry?: AuditEntry): Promise<RoleRow | null> {
      return ctx.db.transaction(() => {
        const before = byId(id);
        if (!before) return null;
        try {
          ctx.sql('UPDATE roles SET name = ?, description = ?, modified_at = ? WHERE id = ?')
            .run(changes.name ?? before.name, changes.description ?? before.description, ctx.now().toISOString(), id);
        } catch (err) {
          translateSqliteError(err, `role '${changes.name ?? ''}'`);
        }
        if (entry) audit.appendSync(entry);
        return byId(id);
      }).immediate();
    },

    async delete(id: string, entry?: AuditEntry): Promise<boolean> {
      return ctx.db.transaction(() => {
        const { changes } = ctx.sql('DELETE FROM roles WHERE id = ? AND is_protected = 0').run(id);
        if (changes > 0 && entry) audit.appendSync(entry);
        return changes > 0;
      }).immediate();
    },

    /** Idempotent: assigning an existing pair changes nothing and still succeeds. */
    async assign(userId: string, roleId: string, entry?: AuditEntry): Promise<void> {
      ctx.db.transaction(() => {
        try {
          assignSync(userId, roleId);
        } catch (err) {
          translateSqliteError(err, 'role assignment');
        }
        if (entry) audit.appendSync(entry);
      }).immediate();
    },

    async unassign(userId: string, roleId: string, entry?: AuditEntry): Promise<boolean> {
      return ctx.db.transaction(() => {
        const { changes } = ctx.sql('DELETE FROM user_roles WHERE user_id = ? AND role_id = ?').run(userId, roleId);
        if (changes > 0 && entry) audit.appendSync(entry);
        return changes > 0;
      }).immediate();
    },

    async ofUser(userId: string): Promise<NameRef[]> {
      return ctx.sql(`SELECT r.id, r.name FROM user_roles ur JOIN roles r ON r.id = ur.role_id
        WHERE ur.user_id = ? AND r.is_active = 1 ORDER BY r.name`).all(userId) as NameRef[];
    },

    /** Replaces the user's roles with exactly `roleIds` (adds the missing, removes the rest). */
    async replaceForUser(userId: string, roleIds: readonly string[], entry?: AuditEntry): Promise<void> {
      ctx.db.transaction(() => {
        const keep = new Set(roleIds);
        for (const { role_id } of ctx.sql('SELECT role_id FROM user_roles WHERE user_id = ?').all(userId) as { role_id: string }[]) {
          if (!keep.has(role_id)) ctx.sql('DELETE FROM user_roles WHERE user_id = ? AND role_id = ?').run(userId, role_id);
        }
        try {
          for (const id of keep) assignSync(userId, id);
        } catch (err) {
          translateSqliteError(err, 'role assignment');
        }
        if (entry) audit.appendSync(entry);
      }).immediate();
    },

    async addPermission(roleId: string, permissionId: string, entry?: AuditEntry): Promise<boolean> {
      return ctx.db.transaction(() => {
        let changes = 0;
        try {
          changes = ctx.sql('INSERT OR IGNORE INTO role_permissions (id, role_id, permission_id, assigned_at) VALUES (?, ?, ?, ?)')
            .run(randomUUID(), roleId, permissionId, ctx.now().toISOString()).changes;
        } catch (err) {
          translateSqliteError(err, 'permission assignment');
        }
        if (entry) audit.appendSync(entry);
        return changes > 0;
      }).immediate();
    },

    async removePermission(roleId: string, permissionId: string, entry?: AuditEntry): Promise<boolean> {
      return ctx.db.transaction(() => {
        const { changes } = ctx.sql('DELETE FROM role_permissions WHERE role_id = ? AND permission_id = ?').run(roleId, permissionId);
        if (changes > 0 && entry) audit.appendSync(entry);
        return changes > 0;
      }).immediate();
    },

    async permissionsOf(roleId: string): Promise<NameRef[]> {
      return ctx.sql(`SELECT p.id, p.name FROM role_permissions rp JOIN permissions p ON p.id = rp.permission_id
        JOIN roles r ON r.id = rp.role_id WHERE rp.role_id = ? AND p.is_active = 1 AND r.is_active = 1 ORDER BY p.name`).all(roleId) as NameRef[];
    },
  };
}

export type RoleStore = ReturnType<typeof createRoleStore>;
