import { copyFileSync, existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, startCheckpointer, type Checkpointer, type Db } from '../../../src/store/index.js';
import { connectWithPageSize, openTempStore, UNIT_DB_KEY as KEY, type TempStore } from '../../helpers/store.js';

// The checkpoint worker (store/checkpointer.ts) copies committed WAL pages into the database file
// from its own thread and connection; the serving connection only keeps a far-off backstop.
let temp: TempStore;
let db: Db;
let checkpointer: Checkpointer | null;

beforeEach(() => {
  temp = openTempStore();
  db = temp.db;
  checkpointer = null;
});
afterEach(async () => {
  await checkpointer?.stop();
  temp.close();
});

const autocheckpoint = () => db.pragma('wal_autocheckpoint', { simple: true });

/** Rows of `probe` in the database file alone (a copy without its WAL): what checkpoints put there. */
function rowsInDatabaseFile(): number {
  const copy = `${temp.file}.copy`;
  copyFileSync(temp.file, copy);
  const c = openDatabase({ file: copy, key: KEY, synchronous: 'NORMAL' });
  try {
    const has = c.prepare("SELECT 1 FROM sqlite_master WHERE name = 'probe'").get();
    return has ? (c.prepare('SELECT count(*) AS n FROM probe').get() as { n: number }).n : 0;
  } finally {
    c.close();
  }
}

async function eventually(check: () => boolean, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return check();
}

describe('checkpoint worker', () => {
  it('copies what the serving connection commits into the database file', async () => {
    const errors: Error[] = [];
    checkpointer = startCheckpointer(db, { file: temp.file, key: KEY, intervalMs: 20, onError: (e) => errors.push(e) });
    await checkpointer.ready;
    // The serving connection checkpoints only at the backstop now, far beyond these few pages.
    expect(autocheckpoint()).toBe(10_000);
    db.exec('CREATE TABLE probe (x TEXT)');
    const insert = db.prepare('INSERT INTO probe (x) VALUES (?)');
    db.transaction(() => { for (let i = 0; i < 200; i++) insert.run(`row ${i}`); })();
    expect(await eventually(() => rowsInDatabaseFile() === 200)).toBe(true);
    expect(errors).toEqual([]);
  });

  it('opens a database made with 4 KiB pages too (the worker is told the page size)', async () => {
    const earlier = `${temp.file}.4k`;
    const made = connectWithPageSize(earlier, KEY, 4096);
    made.exec('CREATE TABLE probe (x TEXT)');
    made.close();
    const old = openDatabase({ file: earlier, key: KEY, synchronous: 'NORMAL' });
    const errors: Error[] = [];
    const worker = startCheckpointer(old, { file: earlier, key: KEY, intervalMs: 20, onError: (e) => errors.push(e) });
    try {
      await worker.ready;
      expect(old.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000); // not handed back: the worker runs
      expect(errors).toEqual([]);
    } finally {
      await worker.stop();
      old.close();
    }
  });

  it('hands checkpoints back to the serving connection when the worker cannot open the database', async () => {
    const errors: Error[] = [];
    checkpointer = startCheckpointer(db, { file: temp.file, key: 'not-the-key', intervalMs: 20, onError: (e) => errors.push(e) });
    await checkpointer.ready;
    expect(await eventually(() => errors.length > 0)).toBe(true);
    expect(autocheckpoint()).toBe(1000);
    expect(errors).toHaveLength(1);
  });

  it('stop closes the worker connection, so closing the database removes the WAL', async () => {
    checkpointer = startCheckpointer(db, { file: temp.file, key: KEY, intervalMs: 20, onError: () => {} });
    await checkpointer.ready;
    await checkpointer.stop();
    db.exec("CREATE TABLE probe (x TEXT); INSERT INTO probe VALUES ('a'), ('b'), ('c')");
    expect(autocheckpoint()).toBe(1000);
    expect(existsSync(`${temp.file}-wal`)).toBe(true);
    // SQLite merges and removes the WAL when the last connection to the file closes: the worker's is gone.
    db.close();
    expect(existsSync(`${temp.file}-wal`)).toBe(false);
    expect(rowsInDatabaseFile()).toBe(3);
  });
});
