#!/usr/bin/env node
// npm run bench:profile — where does a client_credentials token's time go? Runs the real server under
// `node --cpu-prof`, drives the grant with wrk for a few seconds, and prints the top functions by self time.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { luaScript, runWrk } from './wrk.mjs';
import { printProfile } from './cpu-profile.mjs';

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

printProfile(dir);
rmSync(dir, { recursive: true, force: true });
if (spawnSync('true').error) process.exit(1);
