// What the database page size costs the refresh path's store work: main-thread CPU per rotation
// (spend, session, refresh token, audit record) through the build's data-access layer, with
// `perCommit` rotations sharing each group commit, on files with 4 KiB pages (databases made before
// the eighth session) and 1 KiB pages (new ones), taking turns. The checkpoint runs on its worker,
// as in the server. Needs a build (`npm run build`).
//
//   node bench/page-size.mjs                 # 1, 4, 11 and 18 rotations per commit, 3 rounds each
//   node bench/page-size.mjs 11 --rounds 5
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { cpuMeter } from './server.mjs';

const dist = (p) => new URL(`../dist/src/${p}`, import.meta.url).href;
const { createStore, openDatabase, migrate, startCheckpointer } = await import(dist('store/index.js'));
const { keyPragmas, pageSizeOf } = await import(dist('store/open.js'));
const { rotationChains } = await import('./rotations.mjs');

const args = process.argv.slice(2);
const roundsAt = args.indexOf('--rounds');
const rounds = roundsAt >= 0 ? Number(args[roundsAt + 1]) : 3;
const sizes = args.filter((a, i) => !a.startsWith('--') && i !== roundsAt + 1).map(Number);
const perCommits = sizes.length ? sizes : [1, 4, 11, 18];
const KEY = 'page-size-bench-key';
const ROTATIONS = 12_000;

async function measure(pageSize, perCommit) {
  const dir = mkdtempSync(join(tmpdir(), 'mad-pages-'));
  const file = join(dir, 'p.db3');
  // An empty file with this page size: switching to WAL writes its first page.
  const made = new Database(file);
  for (const pragma of keyPragmas(KEY, pageSize)) made.pragma(pragma);
  made.pragma('journal_mode = WAL');
  made.close();
  const db = openDatabase({ file, key: KEY, synchronous: 'NORMAL', cacheMb: 64 });
  if (pageSizeOf(db) !== pageSize) throw new Error(`opened with ${pageSizeOf(db)}-byte pages, not ${pageSize}`);
  migrate(db);
  const checkpointer = startCheckpointer(db, { file, key: KEY, intervalMs: 200, onError: (e) => { throw e; } });
  await checkpointer.ready;
  const store = createStore(db);
  try {
    const chains = await rotationChains(store, perCommit);
    // Each round's rotations are queued in one turn of the event loop, so they share one commit.
    const run = async (total) => {
      for (let done = 0; done < total; done += perCommit) await Promise.all(Array.from({ length: perCommit }, (_, c) => chains.rotate(c)));
    };
    await run(ROTATIONS / 4);
    const cpu = cpuMeter(process.pid);
    await run(ROTATIONS);
    return cpu(ROTATIONS).mainUs;
  } finally {
    await checkpointer.stop();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// The checkpoint worker is unref'd (the server's sockets keep it alive): hold the loop open meanwhile.
const keepAlive = setInterval(() => {}, 1000);
process.stdout.write(`main-thread CPU per rotation (µs), ${ROTATIONS} rotations after ${ROTATIONS / 4} warm-up, ${rounds} rounds taking turns\n`);
for (const perCommit of perCommits) {
  const runs = { 4096: [], 1024: [] };
  for (let r = 0; r < rounds; r++) {
    for (const pageSize of r % 2 === 0 ? [4096, 1024] : [1024, 4096]) runs[pageSize].push(await measure(pageSize, perCommit));
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const show = (xs) => `${median(xs).toFixed(0)} (${xs.map((x) => x.toFixed(0)).join(', ')})`;
  process.stdout.write(`${String(perCommit).padStart(2)} per commit: 4 KiB pages ${show(runs[4096])}, 1 KiB pages ${show(runs[1024])}, ` +
    `${((median(runs[1024]) / median(runs[4096]) - 1) * 100).toFixed(0)} %\n`);
}
clearInterval(keepAlive);
