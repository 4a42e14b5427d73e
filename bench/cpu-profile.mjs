// Summarises a V8 .cpuprofile (from `node --cpu-prof`): CPU by area, the top functions by self
// time, and microauthd/koa functions by inclusive time.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Prints the summary of the (first) .cpuprofile file in `dir`. */
export function printProfile(dir) {
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = profile.timeDeltas;
  profile.samples.forEach((id, i) => {
    const n = byId.get(id);
    const f = n.callFrame;
    const where = f.url ? f.url.replace(/^.*\/node_modules\//, '').replace(/^.*\/dist\//, '').replace(/^file:\/\//, '') : '(native)';
    const key = `${f.functionName || '(anonymous)'} ${where}${f.url ? `:${f.lineNumber + 1}` : ''}`;
    self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0));
  });
  // Shares of the busy time: a profile also covers the idle time before and between the load
  // (start, seeding), which would otherwise shrink every figure by an arbitrary factor.
  const idle = [...self].filter(([k]) => k.includes('(idle)')).reduce((a, [, v]) => a + v, 0);
  for (const k of [...self.keys()]) if (k.includes('(idle)')) self.delete(k);
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`\nBusy ${(total / 1e6).toFixed(1)} s of ${((total + idle) / 1e6).toFixed(1)} s profiled; the shares below are of the busy time.`);
  const byArea = new Map();
  for (const [k, v] of self) {
    const area = k.includes('(idle)') ? 'idle' : k.includes('(garbage collector)') ? 'garbage collection' : k.includes('jose') ? 'jose (JWT)'
      : k.includes('better-sqlite3') || k.includes('src/store') ? 'SQLite / store' : k.includes('koa') || k.includes('router') ? 'koa / router'
        : k.includes('node:') || k.includes('(native)') || k.includes('(program)') ? 'node core / native (incl. crypto)' : k.includes('src/') ? 'microauthd code' : 'other';
    byArea.set(area, (byArea.get(area) ?? 0) + v);
  }
  console.log('\nCPU by area (self time):');
  for (const [a, v] of [...byArea].sort((x, y) => y[1] - x[1])) console.log(`  ${(100 * v / total).toFixed(1).padStart(5)} %  ${a}`);
  console.log('\nTop functions (self time):');
  for (const [k, v] of [...self].sort((x, y) => y[1] - x[1]).slice(0, Number(process.env.PROFILE_TOP ?? 15))) console.log(`  ${(100 * v / total).toFixed(1).padStart(5)} %  ${k}`);
  // Inclusive ("total") time: each sample counts once for every distinct function on its stack.
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (n) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/(node_modules|dist)\//, '')}:${n.callFrame.lineNumber + 1}`;
  const inclusive = new Map();
  profile.samples.forEach((id, i) => {
    if (byId.get(id).callFrame.functionName === '(idle)') return;
    const seen = new Set();
    for (let n = id; n !== undefined; n = parent.get(n)) seen.add(label(byId.get(n)));
    for (const k of seen) inclusive.set(k, (inclusive.get(k) ?? 0) + (dt[i] ?? 0));
  });
  const ownCode = [...inclusive].filter(([k]) => /src\/|koa|router/.test(k));
  console.log('\nmicroauthd and koa functions by total time (self + callees):');
  for (const [k, v] of ownCode.sort((x, y) => y[1] - x[1]).slice(0, 25)) console.log(`  ${(100 * v / total).toFixed(1).padStart(5)} %  ${k}`);
}
