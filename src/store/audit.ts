import { hash } from 'node:crypto';
import { newTimeOrderedId } from '../crypto/secrets.js';
import type { StoreContext } from './context.js';
import { insertedBeforeSql } from './insertion-order.js';
import type { AuditEntry, AuditRow } from './types.js';

const GENESIS = '0'.repeat(64);
const NOTHING_TO_WAIT_FOR = Promise.resolve();

interface AuditDbRow {
  seq: number; id: string; actor_id: string | null; action: string; target: string | null;
  secondary: string | null; outcome: string; timestamp: string; ip_address: string | null;
  user_agent: string | null; prev_hash: string; hash: string;
}

const toRow = (r: AuditDbRow): AuditRow => ({
  seq: r.seq, id: r.id, actorId: r.actor_id, action: r.action, target: r.target, secondary: r.secondary,
  outcome: r.outcome, timestamp: r.timestamp, ipAddress: r.ip_address, userAgent: r.user_agent,
  prevHash: r.prev_hash, hash: r.hash,
});

/** The chained digest: any edit of a stored field, or a deleted/reordered row, breaks it. */
function chainHash(prevHash: string, r: Omit<AuditDbRow, 'seq' | 'prev_hash' | 'hash'>): string {
  const canonical = JSON.stringify([r.id, r.actor_id, r.action, r.target, r.secondary, r.outcome,
    r.timestamp, r.ip_address, r.user_agent]);
  return hash('sha256', `${prevHash}\n${canonical}`, 'hex');
}

export interface AuditFilter {
  actorId?: string | undefined;
  action?: string | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

export interface ChainVerification {
  ok: boolean;
  checked: number;
  /** seq of the first row whose hash does not match, when ok is false. */
  brokenAt: number | null;
}

export interface AuditOptions {
  /** `enable-audit-logging`: false writes no records at all (the operator's explicit choice). */
  enabled: boolean;
  /**
   * How long `appendDeferred` records may wait for their commit (ms). Longer batches share one
   * commit's page encryption; a crash loses what is still waiting. Default DEFERRED_AUDIT_MS.
   */
  deferMs?: number;
}

/** The default wait of deferred records: at 3,000 tokens/s, ≈ 150 records per commit. */
export const DEFERRED_AUDIT_MS = 50;
const DEFERRED_AUDIT_MAX_ITEMS = 512;

export function createAuditStore(ctx: StoreContext, options: AuditOptions = { enabled: true }) {
  const lastHash = (): string =>
    (ctx.sql('SELECT hash FROM audit_logs ORDER BY seq DESC LIMIT 1').get() as { hash: string } | undefined)?.hash
    ?? anchor();
  const anchor = (): string =>
    (ctx.sql("SELECT value FROM meta WHERE key = 'audit_anchor'").get() as { value: string } | undefined)?.value
    ?? GENESIS;

  /** Inserts one record after the one whose hash is `prev`; returns its id and hash. */
  /** `at`: when the event happened (a deferred record is inserted up to `deferMs` later). */
  function insertAfter(prev: string, entry: AuditEntry, at = ctx.nowIso()): { id: string; hash: string } {
    const row = {
      id: newTimeOrderedId(),
      actor_id: entry.actorId ?? 'anonymous',
      action: entry.action,
      target: entry.target ?? null,
      secondary: entry.secondary ?? null,
      outcome: entry.outcome ?? 'success',
      timestamp: at,
      ip_address: entry.ipAddress ?? null,
      user_agent: entry.userAgent ?? null,
    };
    const hash = chainHash(prev, row);
    // Positional parameters: binding by name looks each one up in an object (every token writes a record).
    ctx.sql(`INSERT INTO audit_logs (id, actor_id, action, target, secondary, outcome, timestamp, ip_address,
      user_agent, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(row.id, row.actor_id, row.action,
      row.target, row.secondary, row.outcome, row.timestamp, row.ip_address, row.user_agent, prev, hash);
    return { id: row.id, hash };
  }

  /**
   * Appends one record. MUST be called inside the caller's transaction when it records a
   * mutation, so the change and its audit row commit together or not at all.
   */
  function appendSync(entry: AuditEntry): string {
    if (!options.enabled) return '';
    return insertAfter(lastHash(), entry).id;
  }

  // Records with no change to go with them are chained in one savepoint per batch, reading the
  // previous hash once for all of them.
  const appendAll = (records: readonly { entry: AuditEntry; at: string }[]): void => {
    let prev = lastHash();
    for (const { entry, at } of records) prev = insertAfter(prev, entry, at).hash;
  };
  const appendBatched = ctx.group.batched(appendAll);
  const appendLater = ctx.group.batched(appendAll,
    { maxDelayMs: options.deferMs ?? DEFERRED_AUDIT_MS, maxItems: DEFERRED_AUDIT_MAX_ITEMS });

  return {
    appendSync,

    /**
     * Appends one record on its own (no mutation to go with it) in the next group commit, together
     * with the other such records of this turn; resolves once committed.
     */
    async append(entry: AuditEntry): Promise<void> {
      if (options.enabled) await appendBatched({ entry, at: ctx.nowIso() });
    },

    /**
     * Appends a record nobody waits for (services/audit-trail.ts): it joins a batch that is
     * committed within `deferMs` (or at 512 records, or when the store closes).
     */
    appendDeferred(entry: AuditEntry): Promise<void> {
      // The batch's own promise, shared by its records (no promise of its own per record).
      return options.enabled ? appendLater({ entry, at: ctx.nowIso() }) : NOTHING_TO_WAIT_FOR;
    },

    async list(filter: AuditFilter = {}): Promise<{ rows: AuditRow[]; total: number }> {
      const where: string[] = [];
      const params: Record<string, unknown> = {};
      if (filter.actorId) { where.push('actor_id = @actorId'); params.actorId = filter.actorId; }
      if (filter.action) { where.push('action = @action'); params.action = filter.action; }
      const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const total = (ctx.db.prepare(`SELECT count(*) AS n FROM audit_logs ${clause}`).get(params) as { n: number }).n;
      const rows = ctx.db.prepare(`SELECT * FROM audit_logs ${clause} ORDER BY seq DESC LIMIT @limit OFFSET @offset`)
        .all({ ...params, limit: filter.limit ?? 100, offset: filter.offset ?? 0 }) as AuditDbRow[];
      return { rows: rows.map(toRow), total };
    },

    async get(id: string): Promise<AuditRow | null> {
      const r = ctx.sql('SELECT * FROM audit_logs WHERE id = ?').get(id) as AuditDbRow | undefined;
      return r ? toRow(r) : null;
    },

    /** Walks the chain from the first kept record (the anchor survives retention purges). */
    async verify(): Promise<ChainVerification> {
      let prev = anchor();
      let checked = 0;
      for (const r of ctx.sql('SELECT * FROM audit_logs ORDER BY seq').iterate() as IterableIterator<AuditDbRow>) {
        if (r.prev_hash !== prev || chainHash(prev, r) !== r.hash) return { ok: false, checked, brokenAt: r.seq };
        prev = r.hash;
        checked++;
      }
      return { ok: true, checked, brokenAt: null };
    },

    /**
     * Deletes the records older than `cutoff` that come before the first newer one (a chain can only
     * lose a prefix) and moves the chain anchor to the first kept one.
     */
    async purgeOlderThan(cutoff: Date, audit?: AuditEntry): Promise<number> {
      return ctx.db.transaction(() => {
        const last = ctx.sql(`SELECT seq, hash FROM audit_logs WHERE ${insertedBeforeSql('audit_logs', 'timestamp')}
          ORDER BY seq DESC LIMIT 1`).get({ cutoff: cutoff.toISOString() }) as { seq: number; hash: string } | undefined;
        if (!last) {
          if (audit) appendSync(audit);
          return 0;
        }
        const { changes } = ctx.sql('DELETE FROM audit_logs WHERE seq <= ?').run(last.seq);
        ctx.sql("INSERT INTO meta (key, value) VALUES ('audit_anchor', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
          .run(last.hash);
        if (audit) appendSync(audit);
        return changes;
      }).immediate();
    },
  };
}

export type AuditStore = ReturnType<typeof createAuditStore>;
