import { randomUUID } from 'node:crypto';
import type { StoreContext } from './context.js';
import type { AuditStore } from './audit.js';
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

export function createClientStore(ctx: StoreContext, audit: AuditStore) {
  const byId = (id: string): ClientRow | null => {
    const r = ctx.sql('SELECT * FROM clients WHERE id = ?').get(id) as ClientDbRow | undefined;
    return r ? toClient(r) : null;
  };

  return {
    async create(client: NewClient, entry?: AuditEntry): Promise<ClientRow> {
      const now = ctx.now().toISOString();
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
    async findByIdentifier(identifier: string): Promise<ClientRow | null> {
      const r = ctx.sql('SELECT * FROM clients WHERE client_identifier = ?').get(identifier) as ClientDbRow | undefined;
      return r ? toClient(r) : null;
    },

    /** By internal id or, failing that, by identifier: routes accept either (contract.md). */
    async findByIdOrIdentifier(key: string): Promise<ClientRow | null> {
      const r = ctx.sql('SELECT * FROM clients WHERE id = ? OR client_identifier = ? ORDER BY id = ? DESC LIMIT 1')
        .get(key, key, key) as ClientDbRow | undefined;
      return r ? toClient(r) : null;
    },

    /** Names of the client's active scopes (client_credentials tokens carry these). */
    async scopeNamesOf(clientId: string): Promise<string[]> {
      return (ctx.sql(`SELECT s.name FROM client_scopes cs JOIN scopes s ON s.id = cs.scope_id
        WHERE cs.client_id = ? AND s.is_active = 1 ORDER BY s.name`).all(clientId) as { name: string }[]).map((r) => r.name);
    },

    /** Feature flags by flag name (ENABLE_TOTP, TOKEN_EXPIRATION, …). */
    async featuresOf(clientId: string): Promise<Map<string, ClientFeature>> {
      const rows = ctx.sql('SELECT feature_flag, options, is_enabled FROM client_features WHERE client_id = ?')
        .all(clientId) as { feature_flag: string; options: string; is_enabled: number }[];
      return new Map(rows.map((r) => [r.feature_flag, { flag: r.feature_flag, options: r.options, isEnabled: bool(r.is_enabled) }]));
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
