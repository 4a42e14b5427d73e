import { closeSync, existsSync, openSync, statSync } from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';

export type Db = Database.Database;

export interface OpenOptions {
  readonly file: string;
  /** SQLCipher passphrase; null opens an unencrypted database (only with --no-db-pass). */
  readonly key: string | null;
  readonly synchronous: 'NORMAL' | 'FULL';
  /** Page cache size in MiB (SQLite's default is 2). */
  readonly cacheMb?: number;
}

export class DatabaseOpenError extends Error {
  override readonly name = 'DatabaseOpenError';
}

/**
 * Page size of new encrypted databases. SQLCipher encrypts and MACs every page a commit dirties, whole;
 * a token commit appends a few hundred bytes to the last page of each table and index, so with 1 KiB
 * pages far fewer bytes go through the cipher: a third less store CPU per refresh when commits are
 * small, a few per cent under load (bench/page-size.mjs, docs/performance.md).
 */
export const NEW_DATABASE_PAGE_SIZE = 1024;
/** SQLCipher 4's default, which databases created before the smaller pages keep. */
const EARLIER_PAGE_SIZE = 4096;

/**
 * The pragmas that unlock the file (SQLCipher 4 format, with the page size it was created with); none
 * for an unencrypted database. Every connection to the file runs them first (the checkpoint worker's too).
 */
export function keyPragmas(key: string | null, pageSize: number): string[] {
  return key === null ? [] : [`cipher='sqlcipher'`, 'legacy=4', `legacy_page_size=${pageSize}`, `key='${key.replaceAll("'", "''")}'`];
}

/** The page size the open database uses (what `keyPragmas` needs for another connection to it). */
export const pageSizeOf = (db: Db): number => db.pragma('page_size', { simple: true }) as number;

const isNotADatabase = (err: unknown): boolean => (err as { code?: string }).code === 'SQLITE_NOTADB';

/**
 * Opens the database file, applies the SQLCipher key and checks it by reading the schema:
 * with a wrong key SQLCipher only fails on the first read, so we force one here. The page size is
 * not stored in clear in an encrypted file: an existing file is tried with today's size, then with
 * the earlier one (a wrong key fails both).
 */
export function openDatabase(options: OpenOptions): Db {
  const isNew = options.file === ':memory:' || !existsSync(options.file) || statSync(options.file).size === 0;
  // A new file is created owner-only: SQLite gives its -wal and -shm files the same mode.
  if (options.file !== ':memory:' && !existsSync(options.file)) closeSync(openSync(options.file, 'a', 0o600));
  try {
    return unlock(options, NEW_DATABASE_PAGE_SIZE);
  } catch (err) {
    if (isNew || options.key === null || !isNotADatabase(err)) throw openError(options.file, err);
  }
  try {
    return unlock(options, EARLIER_PAGE_SIZE);
  } catch (err) {
    throw openError(options.file, err);
  }
}

function unlock(options: OpenOptions, pageSize: number): Db {
  const db = new Database(options.file);
  try {
    for (const pragma of keyPragmas(options.key, pageSize)) db.pragma(pragma);
    db.prepare('SELECT count(*) AS n FROM sqlite_master').get();
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous}`);
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('temp_store = MEMORY');
    // Negative = KiB. Pages are decrypted and their HMAC checked on every read from disk.
    db.pragma(`cache_size = -${Math.floor((options.cacheMb ?? 2) * 1024)}`);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

const openError = (file: string, err: unknown): DatabaseOpenError =>
  new DatabaseOpenError(`cannot open database ${file}: ${isNotADatabase(err) ? 'wrong database key, or not a database' : (err as Error).message}`);
