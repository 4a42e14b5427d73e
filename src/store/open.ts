import { closeSync, existsSync, openSync } from 'node:fs';
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
 * The pragmas that unlock the file (SQLCipher 4 format); none for an unencrypted database. Every
 * connection to the file runs them first (the checkpoint worker's too).
 */
export function keyPragmas(key: string | null): string[] {
  return key === null ? [] : [`cipher='sqlcipher'`, 'legacy=4', `key='${key.replaceAll("'", "''")}'`];
}

/**
 * Opens the database file, applies the SQLCipher key and checks it by reading the schema:
 * with a wrong key SQLCipher only fails on the first read, so we force one here.
 */
export function openDatabase(options: OpenOptions): Db {
  // A new file is created owner-only: SQLite gives its -wal and -shm files the same mode.
  if (options.file !== ':memory:' && !existsSync(options.file)) closeSync(openSync(options.file, 'a', 0o600));
  const db = new Database(options.file);
  try {
    for (const pragma of keyPragmas(options.key)) db.pragma(pragma);
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
    const reason = (err as { code?: string }).code === 'SQLITE_NOTADB' ? 'wrong database key, or not a database' : (err as Error).message;
    throw new DatabaseOpenError(`cannot open database ${options.file}: ${reason}`);
  }
}
