import { randomUUID } from 'node:crypto';
import type { StoreContext } from './context.js';
import type { AuditStore } from './audit.js';
import { createWatchedCache } from './watched-cache.js';
import { revokeGrantsSync } from './revoke-grants.js';
import { bool, translateSqliteError, type AuditEntry } from './types.js';

export type SecretKind = 'sha256' | 'argon2id' | 'none';

export interface ClientRow {
  id: string;
  clientIdentifier: string;
  secretHash: string;
  secretKind: SecretKind;
  displayName: string;
  audience: string;
  isActive: boolean;
  createdAt: string;
  modifiedAt: string;
}

export interface ClientFeature {
  flag: string;
  options: string;
  isEnabled: boolean;
}

interface ClientDbRow {
  id: string; client_identifier: string; client_secret_hash: string; secret_kind: SecretKind; display_name: string;
  audience: string; is_active: number; created_at: string; modified_at: string;
}

export const toClient = (r: ClientDbRow): ClientRow => ({
  id: r.id, clientIdentifier: r.client_identifier, secretHash: r.client_secret_hash, secretKind: r.secret_kind,
  displayName: r.display_name, audience: r.audience, isActive: bool(r.is_active), createdAt: r.created_at,
  modifiedAt: r.modified_at,
});

export interface NewClient {
  id: string;
  clientIdentifier: string;
  secretHash: string;
  secretKind: SecretKind;
  displayName: string;
  audience: string;
}

export interface ClientPatch {
  clientIdentifier?: string;
  displayName?: string;
  audience?: string;
  isActive?: boolean;
}

export interface RedirectUriRow {
  id: string;
  clientId: string;
  uri: string;
  createdAt: string;
}

export interface ExternalIdpRow {
  id: string;
  clientId: string;
  providerKey: string;
  displayName: string;
  issuer: string;
  clientIdentifier: string;
  scopes: string;
  createdAt: string;
  modifiedAt: string;
}

export type ExternalIdpInput = Pick<ExternalIdpRow, 'providerKey' | 'displayName' | 'issuer' | 'clientIdentifier' | 'scopes'>;

export interface ClientScopeRow {
  id: string;
  name: string;
  description: string;
  isActive: boolean;
  isProtected: boolean;
  createdAt: string;
}

interface IdpDbRow {
  id: string; client_id: string; provider_key: string; display_name: string; issuer: string; client_identifier: string;
  scopes: string; created_at: string; modified_at: string;
}

const toIdp = (r: IdpDbRow): ExternalIdpRow => ({
  id: r.id, clientId: r.client_id, providerKey: r.provider_key, displayName: r.display_name, issuer: r.issuer,
  clientIdentifier: r.client_identifier, scopes: r.scopes, createdAt: r.created_at, modifiedAt: r.modified_at,
});

const toRedirect = (r: { id: string; client_id: string; uri: string; created_at: string }): RedirectUriRow => ({
  id: r.id, clientId: r.client_id, uri: r.uri, createdAt: r.created_at,
});

export function createClientStore(ctx: StoreContext, audit: AuditStore) {
  const byId = (id: string): ClientRow | null => {
    const r = ctx.sql('SELECT * FROM clients WHERE id = ?').get(id) as ClientDbRow | undefined;
    return r ? toClient(r) : null;
  };
  // The token path's three reads (row, scopes, flags: ≈ 40 µs per request under load) are served
  // from memory; any write to these tables empties the cache (watched-cache.ts).
  const cache = createWatchedCache(ctx.db, { name: 'clients', maxEntries: 10_000,
    tables: [{ table: 'clients' }, { table: 'client_scopes' }, { table: 'client_features' }, { table: 'scopes' }] });

  return {
    async create(client: NewClient, entry?: AuditEntry): Promise<ClientRow> {
      const now = ctx.nowIso();
      return ctx.db.transaction(() => {
        try {
          ctx.sql(`INSERT INTO clients (id, client_identifier, client_secret_hash, secret_kind, display_name, audience,
            created_at, modified_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(client.id, client.clientIdentifier,
            client.secretHash, client.secretKind, client.displayName, client.audience, now, now);
        } catch (err) {
          translateSqliteError(err, `client '${client.clientIdentifier}'`);
        }
        if (entry) audit.appendSync(entry);
        return byId(client.id) as ClientRow;
      }).immediate();
    },

    async getById(id: string): Promise<ClientRow | null> {
      return byId(id);
    },

    /** By the public client_id (identifier). */
    async findByIdentifier(identifier: string): Promise<Readonly<ClientRow> | null> {
      return cache.get(`row\0${identifier}`, () => {
        const r = ctx.sql('SELECT * FROM clients WHERE client_identifier = ?').get(identifier) as ClientDbRow | undefined;
        return r ? Object.freeze(toClient(r)) : null;
      });
    },

    /** By internal id or, failing that, by identifier: routes accept either (contract.md). */
    async findByIdOrIdentifier(key: string): Promise<ClientRow | null> {
      const r = ctx.sql('SELECT * FROM clients WHERE id = ? OR client_identifier = ? ORDER BY id = ? DESC LIMIT 1')
        .get(key, key, key) as ClientDbRow | undefined;
      return r ? toClient(r) : null;
    },

    /** Names of the client's active scopes (client_credentials tokens carry these). */
    async scopeNamesOf(clientId: string): Promise<readonly string[]> {
      return cache.get(`scopes\0${clientId}`, () => Object.freeze((ctx.sql(`SELECT s.name FROM client_scopes cs
        JOIN scopes s ON s.id = cs.scope_id WHERE cs.client_id = ? AND s.is_active = 1 ORDER BY s.name`)
        .all(clientId) as { name: string }[]).map((r) => r.name)));
    },

    /** Feature flags by flag name (ENABLE_TOTP, TOKEN_EXPIRATION, …). */
    async featuresOf(clientId: string): Promise<ReadonlyMap<string, Readonly<ClientFeature>>> {
      return cache.get(`features\0${clientId}`, () => {
        const rows = ctx.sql('SELECT feature_flag, options, is_enabled FROM client_features WHERE client_id = ?')
          .all(clientId) as { feature_flag: string; options: string; is_enabled: number }[];
        return new Map(rows.map((r) => [r.feature_flag,
          Object.freeze({ flag: r.feature_flag, options: r.options, isEnabled: bool(r.is_enabled) })]));
      });
    },

    /** Upserts a flag. Setting the on/off state keeps existing options (the original wiped them: a bug). */
    async setFeature(clientId: string, flag: string, isEnabled: boolean, entry?: AuditEntry): Promise<void> {
      ctx.db.transaction(() => {
        ctx.sql(`INSERT INTO client_features (id, client_id, feature_flag, is_enabled) VALUES (?, ?, ?, ?)
          ON CONFLICT(client_id, feature_flag) DO UPDATE SET is_enabled = excluded.is_enabled`)
          .run(randomUUID(), clientId, flag, isEnabled ? 1 : 0);
        if (entry) audit.appendSync(entry);
      }).immediate();
    },

    /** Sets a flag's options, creating the flag (enabled) if it was never set. */
    async setFeatureOptions(clientId: string, flag: string, options: string, entry?: AuditEntry): Promise<void> {
      ctx.db.transaction(() => {
        ctx.sql(`INSERT INTO client_features (id, client_id, feature_flag, options, is_enabled) VALUES (?, ?, ?, ?, 1)
          ON CONFLICT(client_id, feature_flag) DO UPDATE SET options = excluded.options`)
          .run(randomUUID(), clientId, flag, options);
        if (entry) audit.appendSync(entry);
      }).immediate();
    },

    /** Clients ordered by display name (inactive included), with the total for X-Total-Count. */
    async list(page: { limit?: number; offset?: number } = {}): Promise<{ rows: ClientRow[]; total: number }> {
      const total = (ctx.sql('SELECT count(*) AS n FROM clients').get() as { n: number }).n;
      const rows = ctx.sql('SELECT * FROM clients ORDER BY display_name, client_identifier LIMIT ? OFFSET ?')
        .all(page.limit ?? -1, page.offset ?? 0) as ClientDbRow[];
      return { rows: rows.map(toClient), total };
    },

    /**
     * Partial update. AlreadyExists when the new identifier is taken; null for an unknown id.
     * Deactivating a client revokes its sessions and refresh tokens in the same transaction.
     */
    async update(id: string, patch: ClientPatch, entry?: AuditEntry): Promise<ClientRow | null> {
      const now = ctx.nowIso();
      return ctx.db.transaction(() => {
        const before = byId(id);
        if (!before) return null;
        const next = { ...before, ...patch };
        try {
          ctx.sql(`UPDATE clients SET client_identifier = ?, display_name = ?, audience = ?, is_active = ?, modified_at = ?
            WHERE id = ?`).run(next.clientIdentifier, next.displayName, next.audience, next.isActive ? 1 : 0, now, id);
        } catch (err) {
          translateSqliteError(err, `client '${next.clientIdentifier}'`);
        }
        if (before.isActive && !next.isActive) {
          revokeGrantsSync(ctx, { clientIdentifier: before.clientIdentifier });
          if (before.clientIdentifier !== next.clientIdentifier) revokeGrantsSync(ctx, { clientIdentifier: next.clientIdentifier });
        }
        if (entry) audit.appendSync(entry);
        return byId(id);
      }).immediate();
    },

    /** Replaces the secret and revokes every session and refresh token issued to the client. */
    async setSecret(id: string, secretHash: string, secretKind: SecretKind, entry?: AuditEntry): Promise<boolean> {
      const now = ctx.nowIso();
      return ctx.db.transaction(() => {
        const c = byId(id);
        if (!c) return false;
        ctx.sql('UPDATE clients SET client_secret_hash = ?, secret_kind = ?, modified_at = ? WHERE id = ?')
          .run(secretHash, secretKind, now, id);
        revokeGrantsSync(ctx, { clientIdentifier: c.clientIdentifier });
        if (entry) audit.appendSync(entry);
        return true;
      }).immediate();
    },

    /**
     * Deletes a client (its scopes, URIs, IdPs and flags cascade) after revoking its sessions and
     * refresh tokens, all in one transaction. null when no such client.
     */
    async delete(id: string, entry?: AuditEntry): Promise<ClientRow | null> {
      return ctx.db.transaction(() => {
        const c = byId(id);
        if (!c) return null;
        revokeGrantsSync(ctx, { clientIdentifier: c.clientIdentifier });
        ctx.sql('DELETE FROM clients WHERE id = ?').run(id);
        if (entry) audit.appendSync(entry);
        return c;
      }).immediate();
    },

    async getFeature(clientId: string, flag: string): Promise<ClientFeature | null> {
      const r = ctx.sql('SELECT feature_flag, options, is_enabled FROM client_features WHERE client_id = ? AND feature_flag = ?')
        .get(clientId, flag) as { feature_flag: string; options: string; is_enabled: number } | undefined;
      return r ? { flag: r.feature_flag, options: r.options, isEnabled: bool(r.is_enabled) } : null;
    },

    /** AlreadyExists when the client already has this exact URI; NotFound for an unknown client. */
    async addRedirectUri(clientId: string, uri: string, entry?: AuditEntry): Promise<RedirectUriRow> {
      const row = { id: randomUUID(), client_id: clientId, uri, created_at: ctx.nowIso() };
      return ctx.db.transaction(() => {
        try {
          ctx.sql('INSERT INTO redirect_uris (id, client_id, uri, created_at) VALUES (?, ?, ?, ?)')
            .run(row.id, row.client_id, row.uri, row.created_at);
        } catch (err) {
          translateSqliteError(err, 'redirect URI');
        }
        if (entry) audit.appendSync(entry);
        return toRedirect(row);
      }).immediate();
    },

    async listRedirectUris(clientId: string): Promise<RedirectUriRow[]> {
      return (ctx.sql('SELECT * FROM redirect_uris WHERE client_id = ? ORDER BY uri').all(clientId) as
        { id: string; client_id: string; uri: string; created_at: string }[]).map(toRedirect);
    },

    /** The deleted row, or null when there was none. */
    async deleteRedirectUri(id: string, entry?: AuditEntry): Promise<RedirectUriRow | null> {
      return ctx.db.transaction(() => {
        const r = ctx.sql('SELECT * FROM redirect_uris WHERE id = ?').get(id) as
          { id: string; client_id: string; uri: string; created_at: string } | undefined;
        if (!r) return null;
        ctx.sql('DELETE FROM redirect_uris WHERE id = ?').run(id);
        if (entry) audit.appendSync(entry);
        return toRedirect(r);
      }).immediate();
    },

    async listIdps(clientId: string): Promise<ExternalIdpRow[]> {
      return (ctx.sql('SELECT * FROM external_idp_providers WHERE client_id = ? ORDER BY display_name, provider_key')
        .all(clientId) as IdpDbRow[]).map(toIdp);
    },

    /** provider_key is stored lower-case; AlreadyExists when the client already has that key. */
    async createIdp(clientId: string, input: ExternalIdpInput, entry?: AuditEntry): Promise<ExternalIdpRow> {
      const id = randomUUID();
      const now = ctx.nowIso();
      return ctx.db.transaction(() => {
        try {
          ctx.sql(`INSERT INTO external_idp_providers (id, client_id, provider_key, display_name, issuer, client_identifier,
            scopes, created_at, modified_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(id, clientId, input.providerKey,
            input.displayName, input.issuer, input.clientIdentifier, input.scopes, now, now);
        } catch (err) {
          translateSqliteError(err, `provider '${input.providerKey}'`);
        }
        if (entry) audit.appendSync(entry);
        return toIdp(ctx.sql('SELECT * FROM external_idp_providers WHERE id = ?').get(id) as IdpDbRow);
      }).immediate();
    },

    /** null when the provider does not exist for this client. */
    async updateIdp(clientId: string, id: string, input: Partial<ExternalIdpInput>, entry?: AuditEntry): Promise<ExternalIdpRow | null> {
      const now = ctx.nowIso();
      return ctx.db.transaction(() => {
        const r = ctx.sql('SELECT * FROM external_idp_providers WHERE id = ? AND client_id = ?').get(id, clientId) as IdpDbRow | undefined;
        if (!r) return null;
        const n = { ...toIdp(r), ...input };
        try {
          ctx.sql(`UPDATE external_idp_providers SET provider_key = ?, display_name = ?, issuer = ?, client_identifier = ?,
            scopes = ?, modified_at = ? WHERE id = ?`).run(n.providerKey, n.displayName, n.issuer, n.clientIdentifier,
            n.scopes, now, id);
        } catch (err) {
          translateSqliteError(err, `provider '${n.providerKey}'`);
        }
        if (entry) audit.appendSync(entry);
        return toIdp(ctx.sql('SELECT * FROM external_idp_providers WHERE id = ?').get(id) as IdpDbRow);
      }).immediate();
    },

    async deleteIdp(clientId: string, id: string, entry?: AuditEntry): Promise<boolean> {
      return ctx.db.transaction(() => {
        const { changes } = ctx.sql('DELETE FROM external_idp_providers WHERE id = ? AND client_id = ?').run(id, clientId);
        if (changes > 0 && entry) audit.appendSync(entry);
        return changes > 0;
      }).immediate();
    },

    /** Assigns existing scopes; unknown ids and existing links are skipped. Returns how many were added. */
    async assignScopes(clientId: string, scopeIds: readonly string[], entry?: AuditEntry): Promise<number> {
      const now = ctx.nowIso();
      return ctx.db.transaction(() => {
        let n = 0;
        for (const scopeId of new Set(scopeIds)) {
          n += ctx.sql(`INSERT OR IGNORE INTO client_scopes (id, client_id, scope_id, assigned_at)
            SELECT ?, ?, id, ? FROM scopes WHERE id = ?`).run(randomUUID(), clientId, now, scopeId).changes;
        }
        if (n > 0 && entry) audit.appendSync(entry);
        return n;
      }).immediate();
    },

    /** The client's active scopes as scope rows. */
    async scopesOf(clientId: string): Promise<ClientScopeRow[]> {
      const rows = ctx.sql(`SELECT s.* FROM client_scopes cs JOIN scopes s ON s.id = cs.scope_id
        WHERE cs.client_id = ? AND s.is_active = 1 ORDER BY s.name`).all(clientId) as
        { id: string; name: string; description: string; is_active: number; is_protected: number; created_at: string }[];
      return rows.map((r) => ({ id: r.id, name: r.name, description: r.description, isActive: bool(r.is_active),
        isProtected: bool(r.is_protected), createdAt: r.created_at }));
    },

    async removeScope(clientId: string, scopeId: string, entry?: AuditEntry): Promise<boolean> {
      return ctx.db.transaction(() => {
        const { changes } = ctx.sql('DELETE FROM client_scopes WHERE client_id = ? AND scope_id = ?').run(clientId, scopeId);
        if (changes > 0 && entry) audit.appendSync(entry);
        return changes > 0;
      }).immediate();
    },

    async redirectUrisOf(clientId: string): Promise<string[]> {
      return (ctx.sql('SELECT uri FROM redirect_uris WHERE client_id = ? ORDER BY uri').all(clientId) as { uri: string }[])
        .map((r) => r.uri);
    },

    /** Exact, character-for-character match against the registered list (RFC 9700 §4.1.3). */
    async hasRedirectUri(clientId: string, uri: string): Promise<boolean> {
      return ctx.sql('SELECT 1 FROM redirect_uris WHERE client_id = ? AND uri = ?').get(clientId, uri) !== undefined;
    },
  };
}

export type ClientStore = ReturnType<typeof createClientStore>;
