import { randomUUID } from 'node:crypto';
import type { AuditStore } from './audit.js';
import type { StoreContext } from './context.js';
import { bool, translateSqliteError, type AuditEntry } from './types.js';

/**
 * A row of a named catalogue (roles, scopes): unique name, description, `is_protected` (seeded rows
 * that cannot be deleted), `is_active`. The two tables have the same columns (0001_init.sql).
 */
export interface CatalogueRow {
  id: string;
  name: string;
  description: string;
  isProtected: boolean;
  isActive: boolean;
  createdAt: string;
}

interface CatalogueDbRow { id: string; name: string; description: string; is_protected: number; is_active: number; created_at: string }
export const toCatalogueRow = (r: CatalogueDbRow): CatalogueRow => ({ id: r.id, name: r.name, description: r.description,
  isProtected: bool(r.is_protected), isActive: bool(r.is_active), createdAt: r.created_at });

/** Maps `SELECT <table>.*` rows of a catalogue table. */
export const toCatalogueRows = (rows: unknown[]): CatalogueRow[] => (rows as CatalogueDbRow[]).map(toCatalogueRow);

/**
 * Runs `sql` (a DELETE of one row or one assignment) in its own transaction, appending `entry` to
 * the audit log in that transaction only when a row went. Returns whether one did.
 */
export function deleteAudited(ctx: StoreContext, audit: AuditStore, sql: string, args: readonly unknown[], entry?: AuditEntry): boolean {
  return ctx.db.transaction(() => {
    const { changes } = ctx.sql(sql).run(...args);
    if (changes > 0 && entry) audit.appendSync(entry);
    return changes > 0;
  }).immediate();
}

/**
 * CRUD over a catalogue table. Contracts: names are unique (a clash is `AlreadyExists`, via
 * translateSqliteError); `update` keeps the fields it is not given and answers null for an unknown
 * id; `delete` never removes a protected row (false, like an unknown id). Every write and its audit
 * record share one transaction.
 */
export function createCatalogue(ctx: StoreContext, audit: AuditStore, spec: {
  /** Table name: a constant, never input. */
  table: 'roles' | 'scopes';
  /** For error messages: `role 'x'`. */
  noun: string;
  /** `list()` leaves out inactive rows. */
  listActiveOnly: boolean;
}) {
  const { table, noun } = spec;
  const byId = (id: string): CatalogueRow | null => {
    const r = ctx.sql(`SELECT * FROM ${table} WHERE id = ?`).get(id) as CatalogueDbRow | undefined;
    return r ? toCatalogueRow(r) : null;
  };

  return {
    async create(name: string, description: string, entry?: AuditEntry): Promise<CatalogueRow> {
      const id = randomUUID();
      const now = ctx.nowIso();
      return ctx.db.transaction(() => {
        try {
          ctx.sql(`INSERT INTO ${table} (id, name, description, created_at, modified_at) VALUES (?, ?, ?, ?, ?)`).run(id, name, description, now, now);
        } catch (err) {
          translateSqliteError(err, `${noun} '${name}'`);
        }
        if (entry) audit.appendSync(entry);
        return byId(id) as CatalogueRow;
      }).immediate();
    },

    async get(id: string): Promise<CatalogueRow | null> {
      return byId(id);
    },

    async findByName(name: string): Promise<CatalogueRow | null> {
      const r = ctx.sql(`SELECT * FROM ${table} WHERE name = ?`).get(name) as CatalogueDbRow | undefined;
      return r ? toCatalogueRow(r) : null;
    },

    async list(): Promise<CatalogueRow[]> {
      return toCatalogueRows(ctx.sql(`SELECT * FROM ${table} ${spec.listActiveOnly ? 'WHERE is_active = 1 ' : ''}ORDER BY name`).all());
    },

    async update(id: string, changes: { name?: string; description?: string }, entry?: AuditEntry): Promise<CatalogueRow | null> {
      return ctx.db.transaction(() => {
        const before = byId(id);
        if (!before) return null;
        try {
          ctx.sql(`UPDATE ${table} SET name = ?, description = ?, modified_at = ? WHERE id = ?`)
            .run(changes.name ?? before.name, changes.description ?? before.description, ctx.nowIso(), id);
        } catch (err) {
          translateSqliteError(err, `${noun} '${changes.name ?? ''}'`);
        }
        if (entry) audit.appendSync(entry);
        return byId(id);
      }).immediate();
    },

    async delete(id: string, entry?: AuditEntry): Promise<boolean> {
      return deleteAudited(ctx, audit, `DELETE FROM ${table} WHERE id = ? AND is_protected = 0`, [id], entry);
    },
  };
}
