import { randomUUID } from 'node:crypto';
import type { StoreContext } from './context.js';
import type { AuditStore } from './audit.js';
import { createCatalogue, deleteAudited, type CatalogueRow } from './catalogue.js';
import { translateSqliteError, type AuditEntry } from './types.js';

/** A role: a named catalogue row (catalogue.ts). */
export type RoleRow = CatalogueRow;

export interface NameRef { id: string; name: string }

/** Roles, their assignment to users (idempotent: one row per pair) and their permissions. */
export function createRoleStore(ctx: StoreContext, audit: AuditStore) {
  const assignSync = (userId: string, roleId: string): boolean =>
    ctx.sql('INSERT OR IGNORE INTO user_roles (id, user_id, role_id, assigned_at) VALUES (?, ?, ?, ?)')
      .run(randomUUID(), userId, roleId, ctx.nowIso()).changes > 0;

  return {
    ...createCatalogue(ctx, audit, { table: 'roles', noun: 'role', listActiveOnly: false }),

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
      return deleteAudited(ctx, audit, 'DELETE FROM user_roles WHERE user_id = ? AND role_id = ?', [userId, roleId], entry);
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
            .run(randomUUID(), roleId, permissionId, ctx.nowIso()).changes;
        } catch (err) {
          translateSqliteError(err, 'permission assignment');
        }
        if (entry) audit.appendSync(entry);
        return changes > 0;
      }).immediate();
    },

    async removePermission(roleId: string, permissionId: string, entry?: AuditEntry): Promise<boolean> {
      return deleteAudited(ctx, audit, 'DELETE FROM role_permissions WHERE role_id = ? AND permission_id = ?', [roleId, permissionId], entry);
    },

    async permissionsOf(roleId: string): Promise<NameRef[]> {
      return ctx.sql(`SELECT p.id, p.name FROM role_permissions rp JOIN permissions p ON p.id = rp.permission_id
        JOIN roles r ON r.id = rp.role_id WHERE rp.role_id = ? AND p.is_active = 1 AND r.is_active = 1 ORDER BY p.name`).all(roleId) as NameRef[];
    },
  };
}

export type RoleStore = ReturnType<typeof createRoleStore>;
