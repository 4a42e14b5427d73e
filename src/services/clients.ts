import type { PasswordHasher } from '../crypto/password.js';
import { newId, randomToken, sha256Digest } from '../crypto/secrets.js';
import type { Store } from '../store/index.js';
import type { ClientRow, ClientScopeRow } from '../store/clients.js';
import { AlreadyExistsError } from '../store/types.js';
import { InvalidInput, NotFound } from './errors.js';
import type { RequestContext } from './request-context.js';

/** ClientObject on the wire (reference §1); `client_secret` only on a create that generated one. */
export interface ClientObject {
  id: string;
  client_id: string;
  display_name: string;
  is_active: boolean;
  created_at: string;
  audience: string;
  client_secret?: string;
}

export interface ScopeObject {
  id: string;
  name: string;
  desc: string | null;
  is_active: boolean;
  is_protected: boolean;
  created_at: string;
}

export const CLIENT_ID_MAX = 100;
export const SECRET_MIN = 8;
export const DEFAULT_AUDIENCE = 'microauthd';

export const toClientObject = (c: ClientRow): ClientObject => ({
  id: c.id, client_id: c.clientIdentifier, display_name: c.displayName, is_active: c.isActive,
  created_at: c.createdAt, audience: c.audience,
});

const toScopeObject = (s: ClientScopeRow): ScopeObject => ({
  id: s.id, name: s.name, desc: s.description, is_active: s.isActive, is_protected: s.isProtected, created_at: s.createdAt,
});

/** Client identifiers: non-empty, no whitespace, at most 100 characters. */
export const clientIdValid = (v: string): boolean => v.length > 0 && v.length <= CLIENT_ID_MAX && !/\s/.test(v);

export interface ClientServiceDeps {
  store: Pick<Store, 'clients'>;
  hasher: Pick<PasswordHasher, 'hash'>;
}

/**
 * Client administration. Secrets (security.md): an admin-supplied secret (≥ 8 chars, possibly
 * low-entropy) is stored as argon2id; a server-generated one (256 bits, URL-safe) as SHA-256 and
 * returned exactly once. Changing the secret, deactivating or deleting revokes the client's tokens.
 */
export function createClientService(deps: ClientServiceDeps) {
  const { clients } = deps.store;

  async function secretFor(given: string | undefined): Promise<{ hash: string; kind: 'argon2id' | 'sha256'; generated: string | null }> {
    if (given !== undefined && given !== '') {
      if (given.length < SECRET_MIN) throw new InvalidInput(`Client secret must be at least ${SECRET_MIN} characters`);
      if (given.length > 1024) throw new InvalidInput('Client secret is too long');
      return { hash: await deps.hasher.hash(given), kind: 'argon2id', generated: null };
    }
    const generated = randomToken(32);
    return { hash: sha256Digest(generated), kind: 'sha256', generated };
  }

  async function resolve(key: string): Promise<ClientRow> {
    const c = await clients.findByIdOrIdentifier(key);
    if (!c) throw new NotFound(`Client '${key}' not found.`);
    return c;
  }

  return {
    resolve,

    async create(input: { clientId: string; clientSecret?: string; displayName?: string; audience?: string }, rc: RequestContext): Promise<ClientObject> {
      if (!clientIdValid(input.clientId)) throw new InvalidInput('Invalid client_id');
      const secret = await secretFor(input.clientSecret);
      try {
        const row = await clients.create({
          id: newId(), clientIdentifier: input.clientId, secretHash: secret.hash, secretKind: secret.kind,
          displayName: input.displayName ?? '', audience: input.audience || DEFAULT_AUDIENCE,
        }, { ...rc, action: 'create_client', target: input.clientId });
        const out = toClientObject(row);
        return secret.generated ? { ...out, client_secret: secret.generated } : out;
      } catch (err) {
        if (err instanceof AlreadyExistsError) throw new InvalidInput('Client creation failed (duplicate client_id?)');
        throw err;
      }
    },

    async update(key: string, patch: { clientId?: string; displayName?: string; audience?: string; isActive?: boolean }, rc: RequestContext): Promise<ClientObject> {
      const c = await resolve(key);
      if (patch.clientId !== undefined && !clientIdValid(patch.clientId)) {
        throw new InvalidInput(patch.clientId === '' ? 'Client identifier is required.' : 'Client identifier is not valid.');
      }
      try {
        const row = await clients.update(c.id, {
          ...(patch.clientId !== undefined ? { clientIdentifier: patch.clientId } : {}),
          ...(patch.displayName !== undefined ? { displayName: patch.displayName } : {}),
          ...(patch.audience !== undefined && patch.audience !== '' ? { audience: patch.audience } : {}),
          ...(patch.isActive !== undefined ? { isActive: patch.isActive } : {}),
        }, { ...rc, action: 'update_client', target: c.id });
        if (!row) throw new InvalidInput('Client update failed or client not found.');
        return toClientObject(row);
      } catch (err) {
        if (err instanceof AlreadyExistsError) throw new InvalidInput('Another client already uses that identifier.');
        throw err;
      }
    },

    async list(page: { limit?: number; offset?: number }): Promise<{ items: ClientObject[]; total: number }> {
      const { rows, total } = await clients.list(page);
      return { items: rows.map(toClientObject), total };
    },

    async get(key: string): Promise<ClientObject> {
      return toClientObject(await resolve(key));
    },

    async idByName(identifier: string): Promise<string> {
      const c = await clients.findByIdentifier(identifier);
      if (!c) throw new NotFound('Client not found');
      return c.id;
    },

    /** Returns the new plaintext secret (generated when none is given). Unknown or inactive: NotFound. */
    async changeSecret(key: string, newSecret: string | undefined, rc: RequestContext): Promise<string> {
      const c = await clients.findByIdOrIdentifier(key);
      if (!c || !c.isActive) throw new NotFound('Client not found');
      const secret = await secretFor(newSecret);
      await clients.setSecret(c.id, secret.hash, secret.kind, { ...rc, action: 'client_secret_changed', target: c.id,
        secondary: secret.kind });
      return secret.generated ?? (newSecret as string);
    },

    async delete(key: string, rc: RequestContext): Promise<void> {
      const c = await clients.findByIdOrIdentifier(key);
      if (!c) throw new NotFound('Failed to delete client');
      await clients.delete(c.id, { ...rc, action: 'delete_client', target: c.id, secondary: c.clientIdentifier });
    },

    async assignScopes(key: string, scopeIds: string[], rc: RequestContext): Promise<number> {
      if (scopeIds.length === 0) throw new InvalidInput('At least one scope ID is required');
      const c = await resolve(key);
      const n = await clients.assignScopes(c.id, scopeIds, { ...rc, action: 'assign_scope_to_client', target: c.id,
        secondary: scopeIds.join(' ').slice(0, 1000) });
      if (n === 0) throw new InvalidInput('No scopes were assigned. Check scope IDs or duplicates.');
      return n;
    },

    async scopesOf(key: string): Promise<ScopeObject[]> {
      return (await clients.scopesOf((await resolve(key)).id)).map(toScopeObject);
    },

    async removeScope(key: string, scopeId: string, rc: RequestContext): Promise<void> {
      const c = await resolve(key);
      if (!(await clients.removeScope(c.id, scopeId, { ...rc, action: 'remove_scope_from_client', target: c.id, secondary: scopeId }))) {
        throw new InvalidInput('Scope not assigned or already removed');
      }
    },
  };
}

export type ClientService = ReturnType<typeof createClientService>;
