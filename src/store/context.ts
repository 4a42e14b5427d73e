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
  /** `now()` as an ISO 8601 string, formatted once per millisecond (toISOString costs ≈ 0.8 µs). */
  nowIso(): string;
}

export function createStoreContext(db: Db, now: () => Date = () => new Date()): StoreContext {
  const cache = new Map<string, Statement>();
  let formattedMs = Number.NaN;
  let formatted = '';
  return {
    db,
    group: createGroupCommit(db),
    now,
    nowIso() {
      const at = now();
      const ms = at.getTime();
      if (ms !== formattedMs) {
        formatted = at.toISOString();
        formattedMs = ms;
      }
      return formatted;
    },
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
