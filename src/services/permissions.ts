import { AlreadyExistsError, type Store } from '../store/index.js';
import type { NameRef } from '../store/roles.js';
import { InvalidInput, NotFound } from './errors.js';
import type { RequestContext } from './request-context.js';
import { normalizeName } from './validation.js';

const NAME_MAX = 100;

/** Permissions (names unique) and access checks through the user's roles. */
export function createPermissionService(deps: { store: Pick<Store, 'permissions'> }) {
  const { permissions } = deps.store;
  const audit = (rc: RequestContext, action: string, target: string, secondary?: string) =>
    ({ ...rc, action, target, ...(secondary !== undefined ? { secondary } : {}) });
  function checkName(name: string, message: string): string {
    const n = normalizeName(name);
    if (!n) throw new InvalidInput(message);
    if (n.length > NAME_MAX) throw new InvalidInput(`Permission name must be at most ${NAME_MAX} characters`);
    return n;
  }

  return {
    async create(name: string, rc: RequestContext): Promise<NameRef> {
      const n = checkName(name, 'Permission name is required');
      try {
        return await permissions.create(n, audit(rc, 'create_permission', n));
      } catch (err) {
        if (err instanceof AlreadyExistsError) throw new InvalidInput('A permission with that name already exists');
        throw err;
      }
    },

    /** PUT: a missing name (undefined) keeps the current one; the answer is the unchanged permission. */
    async rename(id: string, name: string | undefined, rc: RequestContext): Promise<NameRef> {
      if (name === undefined) {
        const p = await permissions.get(id);
        if (!p) throw new NotFound(`Permission '${id}' not found.`);
        return p;
      }
      const n = checkName(name, 'Permission name is required.');
      try {
        const p = await permissions.rename(id, n, audit(rc, 'update_permission', id, n));
        if (!p) throw new NotFound(`Permission '${id}' not found.`);
        return p;
      } catch (err) {
        if (err instanceof AlreadyExistsError) throw new InvalidInput('Another permission already uses that name.');
        throw err;
      }
    },

    list: (activeOnly = false): Promise<NameRef[]> => permissions.list(activeOnly),

    async get(id: string): Promise<NameRef> {
      const p = await permissions.get(id);
      if (!p) throw new NotFound(`Permission '${id}' not found.`);
      return p;
    },

    async idByName(name: string): Promise<string> {
      const p = await permissions.findByName(normalizeName(name));
      if (!p) throw new NotFound('Permission not found');
      return p.id;
    },

    async delete(id: string, rc: RequestContext): Promise<string> {
      if (!(await permissions.delete(id, audit(rc, 'delete_permission', id)))) throw new NotFound(`Permission '${id}' not found.`);
      return `Permission '${id}' deleted`;
    },

    ofUser: (userId: string): Promise<NameRef[]> => permissions.ofUser(userId),

    async checkAccess(userId: string, permissionId: string): Promise<{ user_id: string; permission_id: string; allowed: boolean }> {
      if (!userId || !permissionId) throw new InvalidInput('User Id and Permission Id are required');
      const allowed = (await permissions.ofUser(userId)).some((p) => p.id === permissionId);
      return { user_id: userId, permission_id: permissionId, allowed };
    },
  };
}

export type PermissionService = ReturnType<typeof createPermissionService>;
