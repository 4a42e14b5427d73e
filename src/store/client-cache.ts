import type { Db } from './open.js';

/** The tables the cached client reads come from: any write to one of them empties the cache. */
const WATCHED_TABLES = ['clients', 'client_scopes', 'client_features', 'scopes'] as const;
const CHANGED_FUNCTION = 'mad_client_tables_changed';

/** Bounds memory if clients are many (or a caller asks for many distinct ones); the cache just restarts. */
const DEFAULT_MAX_ENTRIES = 10_000;

export interface ClientCache {
  /**
   * The value stored under `key`, or `load()`'s. A loaded value is kept only when no transaction
   * is open (so it is committed data); callers must treat the value as read-only.
   */
  get<T>(key: string, load: () => T): T;
}

// One SQL function per connection, so several caches on one handle are each told.
const listeners = new WeakMap<Db, Set<() => void>>();

/**
 * Every token request reads its client's row, scopes and flags: three SQLite reads (≈ 40 µs in the
 * running server). This cache keeps them in memory and stays exact:
 * - writes on this connection, whichever module or statement makes them, fire TEMP triggers that
 *   call back into JavaScript and empty the cache (a rolled-back write empties it for nothing);
 * - commits by any other connection or process change `PRAGMA data_version`, read at the first lookup
 *   of each event-loop turn: a pragma is a read transaction (≈ 5–10 µs under load), and within one
 *   turn the answer is the snapshot every request of that turn would have read anyway.
 */
export function createClientCache(db: Db, options: { maxEntries?: number } = {}): ClientCache {
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const entries = new Map<string, unknown>();
  let dirty = false;
  watchClientTables(db, () => { dirty = true; });
  const dataVersion = db.prepare('PRAGMA data_version').pluck();
  let seenVersion: unknown = dataVersion.get();
  let checkedThisTurn = false;
  const nextTurn = (): void => { checkedThisTurn = false; };

  function checkOtherConnections(): void {
    if (checkedThisTurn) return;
    checkedThisTurn = true;
    setImmediate(nextTurn);
    const version = dataVersion.get();
    if (version !== seenVersion) {
      seenVersion = version;
      dirty = true;
    }
  }

  return {
    get<T>(key: string, load: () => T): T {
      checkOtherConnections();
      if (dirty) {
        entries.clear();
        dirty = false;
      }
      if (entries.has(key)) return entries.get(key) as T;
      const value = load();
      if (!db.inTransaction) {
        if (entries.size >= maxEntries) entries.clear();
        entries.set(key, value);
      }
      return value;
    },
  };
}

function watchClientTables(db: Db, onChange: () => void): void {
  let set = listeners.get(db);
  if (!set) {
    const fresh = new Set<() => void>();
    set = fresh;
    listeners.set(db, fresh);
    db.function(CHANGED_FUNCTION, { deterministic: false }, () => {
      for (const notify of fresh) notify();
      return null;
    });
    for (const table of WATCHED_TABLES) {
      for (const event of ['INSERT', 'UPDATE', 'DELETE']) {
        db.exec(`CREATE TEMP TRIGGER IF NOT EXISTS mad_cache_${table}_${event.toLowerCase()} AFTER ${event} ON main.${table}
          BEGIN SELECT ${CHANGED_FUNCTION}(); END`);
      }
    }
  }
  set.add(onChange);
}
