import type { Statement } from 'better-sqlite3-multiple-ciphers';
import type { Db } from './open.js';

/** Shared by every store module: the handle, a prepared-statement cache and the clock. */
export interface StoreContext {
  readonly db: Db;
  /** Returns the statement for `text`, prepared once per store instance. */
  sql(text: string): Statement;
  now(): Date;
}

export function createStoreContext(db: Db, now: () => Date = () => new Date()): StoreContext {
  const cache = new Map<string, Statement>();
  return {
    db,
    now,
    sql(text) {
      let stmt = cache.get(text);
      if (!stmt) {
        stmt = db.prepare(text);
        cache.set(text, stmt);
      }
      return stmt;
    },
  };
}
