import { AlreadyExistsError, type Store } from '../store/index.js';
import type { ScopeRow } from '../store/scopes.js';
import { InvalidInput, NotFound } from './errors.js';
import type { RequestContext } from './request-context.js';
import { normalizeName } from './validation.js';

/** The wire shape of a scope: note `desc`, not `description` (the original's spelling). */
export interface ScopeObject {
  id: string;
  name: string;
  desc: string;
  is_active: boolean;
  is_protected: boolean;
  created_at: string;
}

/** RFC 6749 §3.3 scope-token characters, restricted to a readable set. */
const SCOPE_NAME = /^[A-Za-z0-9:._\-/]{1,100}$/;
export const toScopeObject = (s: ScopeRow): ScopeObject => ({ id: s.id, name: s.name, desc: s.description, is_active: s.isActive,
  is_protected: s.isProtected, created_at: s.createdAt });

/** Scopes and their assignment to users. Protected admin:* scopes cannot be renamed or deleted. */
export function createScopeService(deps: { store: Pick<Store, 'scopes' | 'users'> }) {
  const { scopes } = deps.store;
  const audit = (rc: RequestContext, action: string, target: string, secondary?: string) =>
    ({ ...rc, action, target, ...(secondary !== undefined ? { secondary } : {}) });

  async function existing(id: string): Promise<ScopeRow> {
    const s = await scopes.get(id);
    if (!s) throw new NotFound(`Scope '${id}' not found.`);
    return s;
  }
  async function existingUser(id: string): Promise<void> {
    if (!(await deps.store.users.getById(id))) throw new NotFound('User not found');
  }

  return {
    async create(rawName: string, desc: string, rc: RequestContext): Promise<ScopeObject> {
      const name = normalizeName(rawName);
      if (!SCOPE_NAME.test(name)) throw new InvalidInput('Invalid scope name: must be non-empty, and cannot contain whitespace.');
      try {
        return toScopeObject(await scopes.create(name, desc, audit(rc, 'create_scope', name)));
      } catch (err) {
        if (err instanceof AlreadyExistsError) throw new InvalidInput('Scope creation failed (duplicate name?)');
        throw err;
      }
    },

    async update(id: string, input: { name?: string; desc?: string | null; is_protected?: boolean }, rc: RequestContext): Promise<ScopeObject> {
      const before = await existing(id);
      const change = input.name !== undefined ? { ...input, name: normalizeName(input.name) } : input;
      if (change.name !== undefined) {
        if (!change.name.trim()) throw new InvalidInput('Scope name is required.');
        if (!SCOPE_NAME.test(change.name)) throw new InvalidInput('Scope name must be a valid token identifier.');
      }
      if (before.isProtected && ((change.name !== undefined && change.name !== before.name) || change.is_protected === false)) {
        throw new InvalidInput('Protected scopes cannot be renamed or unprotected');
      }
      if (change.is_protected === true && !before.isProtected) throw new InvalidInput('Cannot mark a scope as protected through this API.');
      try {
        const s = await scopes.update(id, { ...(change.name !== undefined ? { name: change.name } : {}),
          ...(change.desc !== undefined ? { description: change.desc ?? '' } : {}) }, audit(rc, 'update_scope', id));
        return toScopeObject(s as ScopeRow);
      } catch (err) {
        if (err instanceof AlreadyExistsError) throw new InvalidInput('Another scope already uses that name.');
        throw err;
      }
    },

    list: async (): Promise<ScopeObject[]> => (await scopes.list()).map(toScopeObject),
    get: async (id: string): Promise<ScopeObject> => toScopeObject(await existing(id)),

    async idByName(name: string): Promise<string> {
      const s = await scopes.findByName(normalizeName(name));
      if (!s) throw new NotFound('Scope not found');
      return s.id;
    },

    async delete(id: string, rc: RequestContext): Promise<string> {
      const s = await existing(id);
      if (s.isProtected) throw new InvalidInput('Protected scopes cannot be deleted');
      await scopes.delete(id, audit(rc, 'delete_scope', id, s.name));
      return `Scope '${id}' deleted`;
    },

    async ofUser(userId: string): Promise<ScopeObject[]> {
      await existingUser(userId);
      return (await scopes.ofUser(userId)).map(toScopeObject);
    },

    async assignToUser(userId: string, scopeIds: string[], rc: RequestContext): Promise<string> {
      if (scopeIds.length === 0) throw new InvalidInput('At least one scope ID is required');
      await existingUser(userId);
      const n = await scopes.assignToUser(userId, scopeIds, audit(rc, 'assign_scope_to_user', userId, scopeIds.join(',')));
      if (n === 0) throw new InvalidInput('No scopes were assigned — check if they exist or were already assigned');
      return `Assigned ${n} scope(s) to user.`;
    },

    async removeFromUser(userId: string, scopeId: string, rc: RequestContext): Promise<string> {
      if (!(await scopes.removeFromUser(userId, scopeId, audit(rc, 'remove_scope_from_user', userId, scopeId)))) {
        throw new InvalidInput('Scope not assigned or already removed');
      }
      return `Removed scope '${scopeId}' from user '${userId}'.`;
    },
  };
}

export type ScopeService = ReturnType<typeof createScopeService>;
