import type { Statement } from 'better-sqlite3-multiple-ciphers';
import { createGroupCommit, type GroupCommit } from './group-commit.js';
import type { Db } from './open.js';

/** Shared by every store module: the handle, a prepared-statement cache, group commit and the clock. */
export interface StoreContext {
  readonly db: Db;
  /** Hot-path writes (one per token request) share one transaction while requests keep coming (group-commit.ts). */
  readonly group: GroupCommit;
  /** Returns the statement for `text`, prepared once per store instance. */
  sql(text: string): Statement;
  now(): Date;
}

export function createStoreContext(db: Db, now: () => Date = () => new Date()): StoreContext {
  const cache = new Map<string, Statement>();
  return {
    db,
    group: createGroupCommit(db),
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
