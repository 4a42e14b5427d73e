import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { keyPragmas } from '../../src/store/open.js';
import { afterEach, beforeEach } from 'vitest';
import { createStore, migrate, openDatabase, type Db, type Store } from '../../src/store/index.js';
import { tempDir } from './tmp.js';

export const UNIT_DB_KEY = 'unit-key-0123456789';

/**
 * A plain connection to an encrypted file with the given page size, bypassing openDatabase: how
 * tests make a database as an earlier build did (4 KiB pages). The caller closes it.
 */
export function connectWithPageSize(file: string, key: string, pageSize: number): Database.Database {
  const db = new Database(file);
  for (const pragma of keyPragmas(key, pageSize)) db.pragma(pragma);
  return db;
}

export interface TempStore {
  file: string;
  db: Db;
  store: Store;
  /** Closes the database (if still open) and removes the temp folder. */
  close(): void;
}

/** A migrated SQLCipher file in a fresh temp folder, with a store on it (store unit tests). */
export function openTempStore(now?: () => Date): TempStore {
  const t = tempDir();
  const file = join(t.dir, 'unit.db3');
  const db = openDatabase({ file, key: UNIT_DB_KEY, synchronous: 'NORMAL' });
  migrate(db);
  return {
    file, db, store: createStore(db, now),
    close() {
      if (db.open) db.close();
      t.cleanup();
    },
  };
}

/** A user for store tests to hang grants, roles and codes on; returns its id. */
export async function addUser(store: Store, username: string, email: string): Promise<string> {
  return (await store.users.create({ id: crypto.randomUUID(), username, email, passwordHash: 'x' })).id;
}

/** What `freshStoreWithUser` hands each test. */
export interface StoreWithUser {
  temp: TempStore;
  store: Store;
  userId: string;
}

/**
 * Store tests: a migrated temp store with one user, made before each test and removed after it
 * (registers the vitest hooks); `ready` gets each test's store.
 */
export function freshStoreWithUser(username: string, email: string, ready: (s: StoreWithUser) => void | Promise<void>): void {
  let temp: TempStore | undefined;
  beforeEach(async () => {
    temp = openTempStore();
    await ready({ temp, store: temp.store, userId: await addUser(temp.store, username, email) });
  });
  afterEach(() => temp?.close());
}
