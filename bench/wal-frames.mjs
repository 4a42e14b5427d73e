// Which b-trees the WAL frames of refresh-token rotations land in: every page a commit dirtied is
// one frame (re-encrypted and MAC'd), so this counts what a refresh costs the commit, by table and
// index, without timing anything. The rotations go through the build's data-access layer with
// `perCommit` of them sharing each commit (the server's group commit makes that number: the
// bench's refresh scenario sees ≈ 11 with a commit per event-loop turn, more when a commit waits
// for the next turns' requests). No checkpoint runs, so the WAL holds every frame. Needs a build.
//
//   node bench/wal-frames.mjs            # 4, 11, 22 and 32 rotations per commit
//   node bench/wal-frames.mjs 11
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const { createStore, openDatabase, migrate } = await import(new URL('../dist/src/store/index.js', import.meta.url).href);
const { rotationChains } = await import('./rotations.mjs');

const KEY = 'wal-frames-bench-key';
const WARM_UP = 20_000;
const MEASURED = 2_200;
const WAL_HEADER = 32;
const FRAME_HEADER = 24;

async function framesByTree(perCommit) {
  const dir = mkdtempSync(join(tmpdir(), 'mad-wal-frames-'));
  const file = join(dir, 'w.db3');
  const db = openDatabase({ file, key: KEY, synchronous: 'NORMAL', cacheMb: 8 });
  try {
    migrate(db);
    db.pragma('wal_autocheckpoint = 0');
    const store = createStore(db);
    // Forty commits' worth of chains taken in turn: a spent token was issued forty commits before.
    const count = perCommit * 40;
    const chains = await rotationChains(store, count);
    let next = 0;
    const run = async (total) => {
      for (let done = 0; done < total; done += perCommit) {
        await Promise.all(Array.from({ length: perCommit }, () => chains.rotate(next++ % count)));
      }
    };
    await run(WARM_UP);
    db.pragma('wal_checkpoint(TRUNCATE)');
    await run(MEASURED);
    const pageSize = db.pragma('page_size', { simple: true });
    const owner = new Map(db.prepare('SELECT pageno, name FROM dbstat').all().map((r) => [r.pageno, r.name]));
    const wal = readFileSync(`${file}-wal`);
    const frames = new Map();
    let total = 0;
    let commits = 0;
    for (let at = WAL_HEADER; at + FRAME_HEADER + pageSize <= wal.length; at += FRAME_HEADER + pageSize) {
      const name = owner.get(wal.readUInt32BE(at)) ?? '(free list)';
      frames.set(name, (frames.get(name) ?? 0) + 1);
      total++;
      if (wal.readUInt32BE(at + 4) !== 0) commits++; // a commit's last frame records the database size
    }
    store.close();
    return { pageSize, total, commits, frames };
  } finally {
    if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const sizes = process.argv.slice(2).map(Number);
for (const perCommit of sizes.length ? sizes : [4, 11, 22, 32]) {
  const { pageSize, total, commits, frames } = await framesByTree(perCommit);
  process.stdout.write(`${perCommit} rotations per commit (${pageSize}-byte pages): ${(total / MEASURED).toFixed(2)} WAL frames per rotation, ` +
    `${(total / commits).toFixed(1)} per commit\n`);
  for (const [name, n] of [...frames].sort((a, b) => b[1] - a[1])) {
    process.stdout.write(`  ${(n / MEASURED).toFixed(2)}  ${name}\n`);
  }
}
