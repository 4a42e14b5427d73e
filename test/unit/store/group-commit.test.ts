import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createGroupCommit, type GroupCommit } from '../../../src/store/group-commit.js';
import { openDatabase, type Db } from '../../../src/store/index.js';
import { tempDir } from '../../helpers/tmp.js';

const KEY = 'group-commit-test-key';
let db: Db;
let observer: Db;
let group: GroupCommit;
let cleanup: () => void;

beforeEach(() => {
  const t = tempDir();
  cleanup = t.cleanup;
  const file = join(t.dir, 'g.db3');
  db = openDatabase({ file, key: KEY, synchronous: 'NORMAL' });
  db.exec(`CREATE TABLE parent (id INTEGER PRIMARY KEY);
    CREATE TABLE item (v TEXT NOT NULL UNIQUE, parent INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)`);
  observer = openDatabase({ file, key: KEY, synchronous: 'NORMAL' });
  group = createGroupCommit(db);
});

afterEach(() => {
  observer.close();
  db.close();
  cleanup();
});

const insert = (v: string, parent: number | null = null) => () => db.prepare('INSERT INTO item (v, parent) VALUES (?, ?)').run(v, parent).lastInsertRowid;
const seen = (): string[] => (observer.prepare('SELECT v FROM item ORDER BY v').all() as { v: string }[]).map((r) => r.v);
/** Incremented by SQLite once per commit made by another connection. */
const commitsSeen = (): number => observer.pragma('data_version', { simple: true }) as number;

describe('group commit', () => {
  it('commits the writes of one event-loop turn in one transaction, and resolves only after it', async () => {
    const before = commitsSeen();
    const pending = [group.write(insert('a')), group.write(insert('b')), group.write(insert('c'))];
    expect(seen()).toEqual([]); // nothing is written, let alone acknowledged, before the commit
    expect(await Promise.all(pending)).toEqual([1, 2, 3]);
    expect(seen()).toEqual(['a', 'b', 'c']);
    expect(commitsSeen() - before).toBe(1);
  });

  it('waits while writes keep arriving: those of the next turns share the commit, for a few turns at most', async () => {
    /** Resolves `n` turns of the event loop from now (an immediate queued by an immediate runs a turn later). */
    const turnsLater = (n: number): Promise<void> => new Promise((resolve) => {
      const step = (left: number): void => (left === 0 ? resolve() : void setImmediate(() => step(left - 1)));
      step(n);
    });
    // Counts turns while the writes are pending: a commit settles all of its writes in one turn.
    let turn = 0;
    const ticker = (): void => { turn++; if (ticking) setImmediate(ticker); };
    let ticking = true;
    setImmediate(ticker);
    /** One write in each of `turns` successive turns, the first in this one; the number of commits that took them. */
    const commitsFor = async (prefix: string, turns: number): Promise<number> => {
      const settledIn = await Promise.all(Array.from({ length: turns }, (_, t) =>
        turnsLater(t).then(() => group.write(insert(`${prefix}${t}`))).then(() => turn)));
      return new Set(settledIn).size;
    };
    expect(await commitsFor('a', 3)).toBe(1);
    expect(seen()).toEqual(['a0', 'a1', 'a2']);
    // A write in every turn: the commit does not wait for ever.
    expect(await commitsFor('b', 12)).toBeGreaterThanOrEqual(3);
    expect(seen()).toHaveLength(15);
    ticking = false;
  });

  it('rolls back only the job that fails; the others commit', async () => {
    const results = await Promise.allSettled([
      group.write(insert('x')),
      group.write(() => {
        insert('half-written')();
        throw new Error('refused');
      }),
      group.write(insert('x')), // UNIQUE violation: only this job fails
      group.write(insert('y')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('refused'));
    expect(seen()).toEqual(['x', 'y']);
  });

  it('runs each job once when none fails; a failure rolls the group back and runs it again, each job committed once', async () => {
    const runs = new Map<string, number>();
    const counted = (v: string, fail = false) => () => {
      runs.set(v, (runs.get(v) ?? 0) + 1);
      insert(v)();
      if (fail) throw new Error(`refused ${v}`);
      return v;
    };
    const before = commitsSeen();
    expect(await Promise.all([group.write(counted('p')), group.write(counted('q'))])).toEqual(['p', 'q']);
    expect([...runs.values()]).toEqual([1, 1]);
    expect(commitsSeen() - before).toBe(1);
    const results = await Promise.allSettled([group.write(counted('r')), group.write(counted('s', true)), group.write(counted('t'))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    // The first run stopped at the failing job; the second ran all three, each in its own savepoint.
    expect(runs.get('r')).toBe(2);
    expect(runs.get('s')).toBe(2);
    expect(runs.get('t')).toBe(1);
    expect(seen()).toEqual(['p', 'q', 'r', 't']);
  });

  it('rejects every job of the group when the commit itself fails, and writes none of them', async () => {
    const results = await Promise.allSettled([group.write(insert('ok')), group.write(insert('orphan', 42))]);
    // The deferred foreign key is only checked at COMMIT, after both jobs ran.
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/);
    expect(seen()).toEqual([]);
    await group.write(insert('after'));
    expect(seen()).toEqual(['after']);
  });

  it('flush() commits queued writes at once (shutdown)', async () => {
    const pending = group.write(insert('late'));
    group.flush();
    expect(seen()).toEqual(['late']);
    await expect(pending).resolves.toBe(1);
  });

  it('batched(): the items of one turn go to one writeAll call, in order, in the same commit as the other jobs', async () => {
    const calls: string[][] = [];
    const record = group.batched<string>((items) => {
      calls.push([...items]);
      for (const v of items) insert(v)();
    });
    const before = commitsSeen();
    const pending = [record('b1'), group.write(insert('w')), record('b2'), record('b3')];
    await Promise.all(pending);
    expect(calls).toEqual([['b1', 'b2', 'b3']]);
    expect(seen()).toEqual(['b1', 'b2', 'b3', 'w']);
    expect(commitsSeen() - before).toBe(1);
    // The next turn starts a new batch.
    await record('c1');
    expect(calls).toEqual([['b1', 'b2', 'b3'], ['c1']]);
  });

  it('batched(): a failing batch rejects all of its items and writes none of them; the other jobs commit', async () => {
    const record = group.batched<string>((items) => {
      for (const v of items) insert(v)();
    });
    const results = await Promise.allSettled([record('dup'), record('dup'), group.write(insert('kept'))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect(seen()).toEqual(['kept']);
    await record('fresh');
    expect(seen()).toEqual(['fresh', 'kept']);
  });

  it('batched(): items queued after a batch was taken for a commit start the next batch (none is dropped)', async () => {
    const record = group.batched<string>((items) => {
      for (const v of items) insert(v)();
    });
    const first = record('early');
    group.flush(); // takes (and commits) the open batch
    const second = record('after-take');
    await Promise.all([first, second]);
    expect(seen()).toEqual(['after-take', 'early']);
  });

  it('batched({ maxDelayMs }): items of several turns share one writeAll and one commit, none written before the delay', async () => {
    const calls: string[][] = [];
    const record = group.batched<string>((items) => {
      calls.push([...items]);
      for (const v of items) insert(v)();
    }, { maxDelayMs: 80 });
    // The delay's clock is faked (commits still run on real setImmediate turns), so a slow machine
    // cannot let the 80 ms pass before the assertions that nothing was written yet.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const before = commitsSeen();
    const first = record('d1');
    await group.write(insert('other')); // another job's commit does not hurry the batch
    expect(seen()).toEqual(['other']);
    const second = record('d2');
    vi.advanceTimersByTime(79);
    await group.write(() => undefined); // a turn for anything the timers set off to commit
    expect(seen()).toEqual(['other']);
    vi.advanceTimersByTime(1);
    vi.useRealTimers();
    await Promise.all([first, second]);
    expect(calls).toEqual([['d1', 'd2']]);
    expect(seen()).toEqual(['d1', 'd2', 'other']);
    expect(commitsSeen() - before).toBe(2);
  });

  it('batched({ maxItems }) hands a full batch to the next commit without waiting for the delay', async () => {
    const record = group.batched<string>((items) => {
      for (const v of items) insert(v)();
    }, { maxDelayMs: 60_000, maxItems: 2 });
    await Promise.all([record('m1'), record('m2')]);
    expect(seen()).toEqual(['m1', 'm2']);
  });

  it('flush() writes a delayed batch at once (shutdown loses nothing)', async () => {
    const record = group.batched<string>((items) => {
      for (const v of items) insert(v)();
    }, { maxDelayMs: 60_000 });
    const pending = record('waiting');
    group.flush();
    expect(seen()).toEqual(['waiting']);
    await expect(pending).resolves.toBeUndefined();
  });
});
