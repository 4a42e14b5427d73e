import { AlreadyExistsError, MAD_ADMIN_ROLE_ID, NotFoundError, type Store } from '../store/index.js';
import type { NameRef, RoleRow } from '../store/roles.js';
import { InvalidInput, NotFound } from './errors.js';
import type { RequestContext } from './request-context.js';
import { normalizeName } from './validation.js';

export interface RoleObject {
  id: string;
  name: string;
  description: string | null;
  is_protected: boolean;
  is_active: boolean;
}

const NAME_MAX = 100;
const toObject = (r: RoleRow): RoleObject => ({ id: r.id, name: r.name, description: r.description, is_protected: r.isProtected, is_active: r.isActive });

/**
 * Roles, their permissions and their holders. The protected MadAdmin role cannot be renamed,
 * deleted or taken from the last active administrator.
 */
export function createRoleService(deps: { store: Pick<Store, 'roles' | 'users' | 'permissions'> }) {
  const { roles, users } = deps.store;
  const audit = (rc: RequestContext, action: string, target: string, secondary?: string) =>
    ({ ...rc, action, target, ...(secondary !== undefined ? { secondary } : {}) });

  async function existing(id: string): Promise<RoleRow> {
    const r = await roles.get(id);
    if (!r) throw new NotFound(`Role '${id}' not found.`);
    return r;
  }
  function checkName(name: string): void {
    if (name.length > NAME_MAX) throw new InvalidInput(`Role name must be at most ${NAME_MAX} characters`);
  }

  return {
    async create(name: string, description: string, rc: RequestContext): Promise<RoleObject> {
      const n = normalizeName(name);
      if (!n) throw new InvalidInput('Role name is required');
      checkName(n);
      try {
        return toObject(await roles.create(n, description, audit(rc, 'role_created', n)));
      } catch (err) {
        if (err instanceof AlreadyExistsError) throw new InvalidInput('A role with that name already exists');
        throw err;
      }
    },

    async update(id: string, change: { name?: string; description?: string | null; is_protected?: boolean }, rc: RequestContext): Promise<RoleObject> {
      if (change.is_protected === true) throw new InvalidInput('Cannot mark a role as protected through this API.');
      const before = await existing(id);
      const name = (change.name !== undefined ? normalizeName(change.name) : '') || undefined;
      if (before.isProtected && ((name !== undefined && name !== before.name) || change.is_protected === false)) {
        throw new InvalidInput('Protected roles cannot be renamed or unprotected');
      }
      if (name) checkName(name);
      try {
        const r = await roles.update(id, { ...(name ? { name } : {}), ...(typeof change.description === 'string' ? { description: change.description } : {}) },
          audit(rc, 'role_updated', id));
        return toObject(r as RoleRow);
      } catch (err) {
        if (err instanceof AlreadyExistsError) throw new InvalidInput('Another role already uses that name.');
        throw err;
      }
    },

    list: async (): Promise<RoleObject[]> => (await roles.list()).map(toObject),
    get: async (id: string): Promise<RoleObject> => toObject(await existing(id)),

    async idByName(name: string): Promise<string> {
      const r = await roles.findByName(normalizeName(name));
      if (!r) throw new NotFound('Role not found');
      return r.id;
    },

    async delete(id: string, rc: RequestContext): Promise<string> {
      const r = await existing(id);
      if (r.isProtected) throw new InvalidInput('Protected roles cannot be deleted');
      await roles.delete(id, audit(rc, 'delete_role', id, r.name));
      return `Role '${id}' deleted`;
    },

    async assign(userId: string, roleId: string, rc: RequestContext): Promise<string> {
      if (!userId || !roleId) throw new InvalidInput('User Id and Role Id are required');
      if (!(await users.getById(userId)) || !(await roles.get(roleId))) throw new NotFound('User or role not found');
      await roles.assign(userId, roleId, audit(rc, 'role_assigned', userId, roleId));
      return `Assigned role '${roleId}' to user '${userId}'`;
    },

    async unassign(userId: string, roleId: string, rc: RequestContext): Promise<string> {
      if (!userId || !roleId) throw new InvalidInput('User Id and Role Id are required');
      if (roleId === MAD_ADMIN_ROLE_ID && (await users.countActiveHolders(MAD_ADMIN_ROLE_ID, userId)) === 0) {
        throw new InvalidInput('Cannot remove the MadAdmin role from the last active administrator');
      }
      if (!(await roles.unassign(userId, roleId, audit(rc, 'role_unassigned', userId, roleId)))) {
        throw new InvalidInput('Failed to remove role (user or role not found, or not assigned)');
      }
      return `Removed role '${roleId}' from user '${userId}'`;
    },

    roleIdsOfUser: async (userId: string): Promise<string[]> => (await roles.ofUser(userId)).map((r) => r.id),

    /** `all`: every active role; otherwise the user's. */
    async rolesOfUser(userId: string, all: boolean): Promise<NameRef[]> {
      if (all) return (await roles.list()).filter((r) => r.isActive).map((r) => ({ id: r.id, name: r.name }));
      return roles.ofUser(userId);
    },

    async replaceUserRoles(userId: string, roleIds: string[], rc: RequestContext): Promise<string> {
      if (!(await users.getById(userId))) throw new NotFound('User not found');
      if (!roleIds.includes(MAD_ADMIN_ROLE_ID) && (await users.hasRole(userId, MAD_ADMIN_ROLE_ID))
        && (await users.countActiveHolders(MAD_ADMIN_ROLE_ID, userId)) === 0) {
        throw new InvalidInput('Cannot remove the MadAdmin role from the last active administrator');
      }
      try {
        await roles.replaceForUser(userId, roleIds, audit(rc, 'user_roles_replaced', userId, roleIds.join(',')));
      } catch (err) {
        if (err instanceof NotFoundError) throw new NotFound('Unknown role id');
        throw err;
      }
      return 'Roles updated.';
    },

    async addPermission(roleId: string, permissionId: string, rc: RequestContext): Promise<string> {
      if (!permissionId) throw new InvalidInput('permission_id is required');
      await existing(roleId);
      if (!(await deps.store.permissions.get(permissionId))) throw new NotFound(`Permission '${permissionId}' not found.`);
      await roles.addPermission(roleId, permissionId, audit(rc, 'assigned_permission', roleId, permissionId));
      return `Permission assigned to role ${roleId}`;
    },

    async removePermission(roleId: string, permissionId: string, rc: RequestContext): Promise<string> {
      if (!(await roles.removePermission(roleId, permissionId, audit(rc, 'permission_unassigned', roleId, permissionId)))) {
        throw new InvalidInput('Failed to remove permission from role or permission does not exist');
      }
      return `Permission '${permissionId}' removed from role '${roleId}'`;
    },

    async permissionsOf(roleId: string): Promise<NameRef[]> {
      await existing(roleId);
      return roles.permissionsOf(roleId);
    },
  };
}

export type RoleService = ReturnType<typeof createRoleService>;
