#!/usr/bin/env node
// npm run bench:profile — where does a client_credentials token's time go? Runs the real server under
// `node --cpu-prof`, drives the grant with wrk for a few seconds, and prints the top functions by self time.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { luaScript, runWrk } from './wrk.mjs';

const main = fileURLToPath(new URL('../dist/src/main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'microauthd-prof-'));
const extra = process.argv.slice(2);
const child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, main, '--db-file', join(dir, 'p.db3'), '--auth-port', '0',
  '--admin-port', '0', '--no-prompt', '--log-level', 'warn', '--admin-password', 'profile-admin-password', '--rate-limit-auth', '0',
  '--rate-limit-admin', '0', ...extra], { stdio: ['ignore', 'pipe', 'inherit'] });
let out = '';
const urls = await new Promise((resolve) => child.stdout.on('data', (d) => {
  out += d;
  const m = /microauthd ready: auth (\S+)\s+admin (\S+)/.exec(out);
  if (m) resolve({ auth: m[1], admin: m[2] });
}));
const post = async (url, body, headers) => (await fetch(url, { method: 'POST', headers, body })).json();
const admin = await post(`${urls.admin}/token`, new URLSearchParams({ username: 'admin', password: 'profile-admin-password', client_id: 'admin' }),
  { 'Content-Type': 'application/x-www-form-urlencoded' });
const client = await post(`${urls.admin}/clients`, JSON.stringify({ client_id: 'prof', audience: 'api' }),
  { 'Content-Type': 'application/json', Authorization: `Bearer ${admin.access_token}` });
const basic = `Basic ${Buffer.from(`prof:${client.client_secret}`).toString('base64')}`;
const r = await runWrk({ url: urls.auth, seconds: 6, connections: 32, dir, name: 'cc',
  script: luaScript({ method: 'POST', path: '/token', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic },
    body: 'grant_type=client_credentials' }) });
console.log(`client_credentials under the profiler: ${r.rps.toFixed(0)} req/s, errors ${r.errors}`);
child.kill('SIGTERM');
await new Promise((res) => child.once('exit', res));

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
const total = [...self.values()].reduce((a, b) => a + b, 0);
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
for (const [k, v] of [...self].sort((x, y) => y[1] - x[1]).slice(0, 15)) console.log(`  ${(100 * v / total).toFixed(1).padStart(5)} %  ${k}`);
// Inclusive ("total") time: each sample counts once for every distinct function on its stack.
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const label = (n) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/(node_modules|dist)\//, '')}:${n.callFrame.lineNumber + 1}`;
const inclusive = new Map();
profile.samples.forEach((id, i) => {
  const seen = new Set();
  for (let n = id; n !== undefined; n = parent.get(n)) seen.add(label(byId.get(n)));
  for (const k of seen) inclusive.set(k, (inclusive.get(k) ?? 0) + (dt[i] ?? 0));
});
const ownCode = [...inclusive].filter(([k]) => /src\/|koa|router/.test(k));
console.log('\nmicroauthd and koa functions by total time (self + callees):');
for (const [k, v] of ownCode.sort((x, y) => y[1] - x[1]).slice(0, 25)) console.log(`  ${(100 * v / total).toFixed(1).padStart(5)} %  ${k}`);
rmSync(dir, { recursive: true, force: true });
if (spawnSync('true').error) process.exit(1);
