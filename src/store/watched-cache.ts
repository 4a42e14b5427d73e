import type { Db } from './open.js';

/**
 * A table the cache copies from. With `keyColumn`, a write to a row drops only the entry stored
 * under that column's value (old and new); without it, any write empties the whole cache.
 */
export interface WatchedTable {
  table: string;
  keyColumn?: string;
}

export interface WatchedCache {
  /**
   * The value stored under `key`, or `load()`'s. A loaded value is kept when no transaction is open
   * (so it is committed data), or inside `whileWriteLocked` when this transaction has not written
   * that key (so it is the latest commit); callers must treat the value as read-only.
   */
  get<T>(key: string, load: () => T): T;
}

const NAME = /^[a-z_]+$/;

/** Told about writes: the changed rows' keys, or none to empty the whole cache. */
type Listener = (keys: readonly unknown[]) => void;

/** What every cache on one connection shares. */
interface Connection {
  /** Per cache name, the caches to tell (two stores on one handle must both hear about a write). */
  byName: Map<string, Set<Listener>>;
  /** Empties every cache of the connection if another connection committed since the last look. */
  noticeOtherConnections(): void;
  /** Inside `whileWriteLocked`: a BEGIN IMMEDIATE transaction, so no other connection can commit. */
  writeLocked: boolean;
  /** Increases at each `whileWriteLocked`: marks written keys as the current transaction's. */
  section: number;
}

const connections = new WeakMap<Db, Connection>();

/**
 * Rows the hot path reads on every request, kept in memory and never stale:
 * - writes on this connection, whichever module or statement makes them, fire TEMP triggers that
 *   call back into JavaScript and drop the entry (or empty the cache); a rolled-back write drops
 *   it for nothing, which is harmless;
 * - commits by any other connection or process change `PRAGMA data_version`, read once per
 *   connection at the first lookup of each event-loop turn (the pragma is itself a read
 *   transaction, ≈ 5–10 µs under load; within one turn it is the snapshot every request of that
 *   turn would have read anyway), and empty every cache.
 * At `maxEntries` the cache starts over, which bounds memory whatever keys callers ask for.
 */
export function createWatchedCache(db: Db, options: { name: string; tables: readonly WatchedTable[]; maxEntries: number }):
WatchedCache {
  if (!NAME.test(options.name)) throw new Error(`cache name must match ${NAME}`);
  const entries = new Map<string, unknown>();
  let emptyBeforeNextUse = false;
  // What the open transaction wrote (its value read back is not committed yet), per write-locked section.
  let written = { section: -1, all: false, keys: new Set<string>() };
  const connection = listen(db, options.name, options.tables, (keys) => {
    if (keys.length === 0) emptyBeforeNextUse = true;
    else for (const key of keys) entries.delete(String(key));
    if (!db.inTransaction) return;
    if (written.section !== connection.section) written = { section: connection.section, all: false, keys: new Set() };
    if (keys.length === 0) written.all = true;
    else for (const key of keys) written.keys.add(String(key));
  });
  const mayKeep = (key: string): boolean => !db.inTransaction
    || (connection.writeLocked && (written.section !== connection.section || (!written.all && !written.keys.has(key))));

  return {
    get<T>(key: string, load: () => T): T {
      connection.noticeOtherConnections();
      if (emptyBeforeNextUse) {
        entries.clear();
        emptyBeforeNextUse = false;
      }
      if (entries.has(key)) return entries.get(key) as T;
      const value = load();
      if (mayKeep(key)) {
        if (entries.size >= options.maxEntries) entries.clear();
        entries.set(key, value);
      }
      return value;
    },
  };
}

function connectionOf(db: Db): Connection {
  const known = connections.get(db);
  if (known) return known;
  const byName = new Map<string, Set<Listener>>();
  const dataVersion = db.prepare('PRAGMA data_version').pluck();
  let seenVersion: unknown = dataVersion.get();
  let checkedThisTurn = false;
  const nextTurn = (): void => { checkedThisTurn = false; };
  const connection: Connection = {
    byName,
    writeLocked: false,
    section: 0,
    noticeOtherConnections() {
      if (checkedThisTurn) return;
      checkedThisTurn = true;
      setImmediate(nextTurn);
      const version = dataVersion.get();
      if (version === seenVersion) return;
      seenVersion = version;
      for (const group of byName.values()) for (const notify of group) notify([]);
    },
  };
  connections.set(db, connection);
  return connection;
}

/**
 * Runs `fn`, which opens a BEGIN IMMEDIATE transaction on `db` (the group commit): while it holds the
 * write lock no other connection can commit, so what it reads is the latest commit except what it
 * wrote itself, and the caches may keep it.
 */
export function whileWriteLocked<T>(db: Db, fn: () => T): T {
  const connection = connectionOf(db);
  connection.section += 1;
  connection.writeLocked = true;
  try {
    return fn();
  } finally {
    connection.writeLocked = false;
  }
}

/** Registers `listener` for writes to `tables` under cache `name`; makes the SQL function and triggers once. */
function listen(db: Db, name: string, tables: readonly WatchedTable[], listener: Listener): Connection {
  const connection = connectionOf(db);
  const existing = connection.byName.get(name);
  if (existing) {
    existing.add(listener);
    return connection;
  }
  const group = new Set<Listener>([listener]);
  connection.byName.set(name, group);
  const changed = `mad_cache_${name}_changed`;
  db.function(changed, { deterministic: false, varargs: true }, (...keys: unknown[]) => {
    for (const notify of group) notify(keys);
    return null;
  });
  for (const { table, keyColumn } of tables) {
    if (!NAME.test(table) || (keyColumn !== undefined && !NAME.test(keyColumn))) throw new Error('bad table or column name');
    const call = (row: 'OLD' | 'NEW' | 'BOTH'): string => {
      if (!keyColumn) return `${changed}()`;
      return row === 'BOTH' ? `${changed}(OLD.${keyColumn}, NEW.${keyColumn})` : `${changed}(${row}.${keyColumn})`;
    };
    for (const [event, row] of [['INSERT', 'NEW'], ['UPDATE', 'BOTH'], ['DELETE', 'OLD']] as const) {
      db.exec(`CREATE TEMP TRIGGER IF NOT EXISTS mad_cache_${name}_${table}_${event.toLowerCase()}
        AFTER ${event} ON main.${table} BEGIN SELECT ${call(row)}; END`);
    }
  }
  return connection;
}
