#!/usr/bin/env node
// npm run bench [-- --smoke] [-- --seconds N] [-- --connections N] [-- --only a,b] [-- --algs RS256,ES256] [-- --no-audit-pass] [-- --no-write] [-- --profile]
// --server-args="--flag value ..." passes extra flags to every server of ours (A/B of an option).
// --profile runs each configuration's server under `node --cpu-prof` and prints where its time went (implies --no-write).
// PROFILE_TOP=N prints N functions by self time (default 15); PROFILE_KEEP=dir keeps the .cpuprofile files there.
// Starts the real server on a temp SQLCipher file with production argon2 parameters, seeds it
// through the admin API (and the store for bulk rows), drives each scenario with wrk from a
// separate process, and writes the table to docs/performance.md.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { luaScript, runWrk } from './wrk.mjs';
import { cpuMeter, memory, resetPeak, startServer } from './server.mjs';
import { seed } from './seed.mjs';
import { comparePeer } from './peer.mjs';
import { printProfile } from './cpu-profile.mjs';

const { values: opts } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    seconds: { type: 'string' },
    connections: { type: 'string', default: '32' },
    only: { type: 'string' },
    algs: { type: 'string', default: 'RS256,ES256' },
    'no-audit-pass': { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    'server-args': { type: 'string', default: '' },
  },
});
const seconds = Number(opts.seconds ?? (opts.smoke ? 2 : 10));
const connections = Number(opts.connections);
const only = opts.only ? new Set(opts.only.split(',')) : null;
const ARGON2 = { time: 2, memory: 32768, parallelism: 2 }; // production defaults

/** What each scenario is: `signs` = its cost depends on the key type; `needs` = what the seed must create. */
const SCENARIOS = [
  { name: 'client_credentials', target: 4500, signs: true },
  { name: 'password', connections: Math.max(4, 2 * availableParallelism()) },
  { name: 'refresh_token', target: 3000, signs: true, needs: 'refreshPool' },
  { name: 'introspection', target: 6000, signs: true },
  { name: 'jwks', target: 10000 },
  { name: 'verify', signs: true },
  { name: 'admin_list_users', needs: 'users' },
];

if (!existsSync(new URL('../dist/src/main.js', import.meta.url))) {
  console.error('bench: build first (npm run build)');
  process.exit(2);
}
if (spawnSync('wrk', ['--version']).error) {
  console.error('bench: wrk is required (apt-get install wrk)');
  process.exit(2);
}

const algs = opts.algs.split(',');
if (algs.some((a) => a !== 'RS256' && a !== 'ES256')) {
  console.error('bench: --algs takes RS256 and/or ES256');
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'microauthd-bench-'));
const commonArgs = ['--auth-port', '0', '--admin-port', '0', '--no-prompt', '--log-level', 'warn',
  '--admin-password', 'bench-admin-password', '--rate-limit-auth', '0', '--rate-limit-admin', '0',
  '--auth-domain', '127.0.0.1', '--auth-domain-no-ssl', ...opts['server-args'].split(' ').filter(Boolean)];

const results = [];
let server;
let startup;
try {
  // One server per configuration: every scenario on the first, the signature-dependent ones on the
  // other key type, and the audit-only token paths once more without audit records (what they cost).
  const configs = [
    ...algs.map((alg, i) => ({ alg, label: alg, extra: [], pick: (x) => i === 0 || x.signs })),
    ...(opts['no-audit-pass'] ? [] : [{ alg: algs.at(-1), label: `${algs.at(-1)}, audit off`, extra: ['--no-enable-audit-logging'],
      pick: (x) => x.name === 'client_credentials' || x.name === 'introspection' }]),
  ];
  for (const [i, cfg] of configs.entries()) {
    const first = i === 0;
    const keyArgs = keyArgsFor(cfg.alg);
    const dbFile = join(dir, `bench-${i}.db3`);
    const serverArgs = ['--db-file', dbFile, ...commonArgs, ...keyArgs, ...cfg.extra];
    const picked = SCENARIOS.filter((x) => cfg.pick(x) && (!only || only.has(x.name)));
    if (!picked.length) continue;
    // Start-up on a new database (first run: keys generated) and on an existing one.
    server = await startServer(serverArgs);
    const firstStartMs = server.startMs;
    await server.stop();
    const profileDir = opts.profile ? mkdtempSync(join(dir, 'profile-')) : null;
    server = await startServer(serverArgs, {}, profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []);
    if (first) {
      await new Promise((r) => setTimeout(r, 1000));
      startup = { firstStartMs, startMs: server.startMs, idle: memory(server.child.pid) };
      console.log(`start: first run ${firstStartMs.toFixed(0)} ms, existing database ${startup.startMs.toFixed(0)} ms; idle RSS ${startup.idle.rssMb.toFixed(1)} MB`);
    }
    const s = await seed({ server, dbFile, dir,
      poolSize: picked.some((x) => x.needs === 'refreshPool') ? Math.ceil(seconds * 8000) + 1000 : 0,
      users: picked.some((x) => x.needs === 'users') ? (opts.smoke ? 1000 : 10000) : 0 });
    for (const sc of picked) results.push(await measure({ ...sc, ...requestOf(sc.name, s) }, cfg.label, server.child.pid));
    await server.stop();
    server = undefined;
    if (profileDir) {
      console.log(`\nProfile of the ${cfg.label} server (${picked.map((x) => x.name).join(', ')}, seeding included):`);
      printProfile(profileDir);
      if (process.env.PROFILE_KEEP) spawnSync('cp', ['-r', profileDir, process.env.PROFILE_KEEP]);
    }
  }
  // The peer (bench/peer.mjs): the same client_credentials request against oidc-provider, per alg,
  // taking turns with a fresh server of ours.
  if (!only || only.has('peer')) {
    for (const alg of algs) {
      const dbFile = join(dir, `peer-${alg}.db3`);
      server = await startServer(['--db-file', dbFile, ...commonArgs, ...keyArgsFor(alg)]);
      const s = await seed({ server, dbFile, dir, poolSize: 0, users: 0 });
      results.push(...(await comparePeer({ alg, seconds, connections, dir,
        ours: { pid: server.child.pid, url: s.authUrl, basic: s.basic, body: 'grant_type=client_credentials&scope=bench.read' } })));
      await server.stop();
      server = undefined;
    }
  }


  if (!opts['no-write'] && !opts.smoke && !opts.profile) {
    writeReport({ results, bound: bound(), signing: signingBound(), startup, seconds, connections });
    console.log('bench: wrote docs/performance.md');
  }
  const failed = results.filter((r) => r.errors > 0 || !(r.rps > 0));
  if (failed.length) {
    console.error(`bench: scenarios with errors: ${failed.map((r) => `${r.scenario} (${r.alg})`).join(', ')}`);
    process.exitCode = 1;
  }
} finally {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
}

function keyArgsFor(alg) {
  return alg === 'ES256' ? ['--prefer-ec-token-signer', '--prefer-ec-admin-token-signer'] : [];
}

/** The argon2 bound, measured once per run with the server's parameters. */
function bound() {
  bound.value ??= JSON.parse(execFileSync(process.execPath, [new URL('./argon2-bound.mjs', import.meta.url).pathname,
    String(ARGON2.time), String(ARGON2.memory), String(ARGON2.parallelism), String(Math.min(seconds, 5))],
  { env: { ...process.env, UV_THREADPOOL_SIZE: String(2 * availableParallelism()) } }).toString());
  return bound.value;
}

/** The signing bound (signing-bound.mjs): JWTs/s per key type of this run, measured once per run. */
function signingBound() {
  signingBound.value ??= JSON.parse(execFileSync(process.execPath, [new URL('./signing-bound.mjs', import.meta.url).pathname,
    String(Math.min(seconds, 5)), ...algs], { env: { ...process.env, UV_THREADPOOL_SIZE: String(2 * availableParallelism()) } }).toString());
  return signingBound.value;
}

/** The wrk request of a scenario against a seeded server `s`. */
function requestOf(name, s) {
  const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
  const post = (path, extra) => luaScript({ method: 'POST', path, headers: { ...form, Authorization: s.basic }, ...extra });
  switch (name) {
    case 'client_credentials': return { url: s.authUrl, script: post('/token', { body: 'grant_type=client_credentials&scope=bench.read' }) };
    case 'password': return { url: s.authUrl,
      script: post('/token', { body: `grant_type=password&username=${s.username}&password=${encodeURIComponent(s.password)}` }) };
    case 'refresh_token': return { url: s.authUrl, script: post('/token', {
      preamble: `local pool = {}\nfor line in io.lines(${JSON.stringify(s.refreshPoolFile)}) do pool[#pool + 1] = line end\nlocal i = 0`,
      bodyLua: '(function() i = i + 1; return "grant_type=refresh_token&refresh_token=" .. pool[i] end)()' }) };
    case 'introspection': return { url: s.authUrl, script: post('/introspect', { body: `token=${s.accessToken}` }) };
    case 'jwks': return { url: s.authUrl, script: luaScript({ path: '/jwks.json' }) };
    case 'verify': return { url: s.authUrl, script: luaScript({ path: '/verify', headers: { Authorization: `Bearer ${s.accessToken}` } }) };
    case 'admin_list_users': return { url: s.adminUrl, script: luaScript({ path: '/users?limit=50', headers: { Authorization: `Bearer ${s.adminToken}` } }) };
    default: throw new Error(`unknown scenario ${name}`);
  }
}

async function measure(sc, alg, pid) {
  resetPeak(pid);
  const cpu = cpuMeter(pid);
  const r = await runWrk({ url: sc.url, script: sc.script, seconds, connections: sc.connections ?? connections, dir, name: `${sc.name}-${alg}` });
  const mem = memory(pid);
  // Server CPU per request (all threads, and the main thread alone): comparable across runs even when the machine is busy.
  const { cpuUs, mainUs, writtenKb } = cpu(r.total);
  const row = { scenario: sc.name, alg, rps: r.rps, p50: r.p50, p99: r.p99, errors: r.errors, requests: r.total, peakMb: mem.peakMb, cpuUs, mainUs, writtenKb, target: sc.target };
  if (sc.name === 'password') row.ofBound = r.rps / bound().verifiesPerSecond;
  // One signature per token: the rate this machine signs at caps the token grants (alg is e.g. "ES256, audit off").
  if (sc.name === 'client_credentials' || sc.name === 'refresh_token') row.signingBound = signingBound()[alg.slice(0, 5)];
  console.log(`${sc.name} (${alg}): ${r.rps.toFixed(0)} req/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, errors ${r.errors}, peak RSS ${mem.peakMb.toFixed(0)} MB, server CPU ${cpuUs.toFixed(0)} µs/req (main thread ${mainUs.toFixed(0)}, wrote ${writtenKb.toFixed(1)} KB/req)`
    + (row.ofBound !== undefined ? `, ${(row.ofBound * 100).toFixed(0)} % of the argon2 bound (${bound().verifiesPerSecond.toFixed(1)} verifies/s)` : '')
    + (row.signingBound !== undefined ? `, signing bound ${row.signingBound.toFixed(0)} tokens/s` : ''));
  return row;
}

function writeReport({ results: rows, bound: argon2, signing, startup: st, seconds: secs, connections: conns }) {
  const file = new URL('../docs/performance.md', import.meta.url);
  const machine = `${availableParallelism()} cores, ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`;
  const date = new Date().toISOString().slice(0, 10);
  const fmt = (n, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : '—');
  const targetOf = (r) => (r.peer ? 'peer' : r.pair ? 'at least the peer' : r.ofBound !== undefined ? `${fmt(r.ofBound * 100)} % of bound (target ≥ 90 %)` : r.target ? `≥ ${r.target}${r.signingBound !== undefined ? ` (signing bound ${fmt(r.signingBound)})` : ''}` : '—');
  const table = [
    '| scenario | alg | req/s | p50 ms | p99 ms | errors | peak RSS MB | server CPU µs/req | main thread µs/req | main thread KB written/req | target |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows.map((r) => `| ${r.peer ? `${r.scenario} — oidc-provider` : r.scenario} | ${r.alg} | ${fmt(r.rps)} | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} | ${r.errors} | ${
      fmt(r.peakMb)} | ${fmt(r.cpuUs)} | ${fmt(r.mainUs)} | ${fmt(r.writtenKb, 1)} | ${targetOf(r)} |`),
  ].join('\n');
  const ratios = rows.filter((r) => r.peer).map((p) => {
    const ours = rows.find((r) => !r.peer && r.pair === p.pair);
    return ours ? `- ${p.scenario} ${p.pair}: ours ${fmt(ours.rps)} req/s (runs: ${ours.allRps.join(', ')}) vs oidc-provider ${fmt(p.rps)} req/s `
      + `(runs: ${p.allRps.join(', ')}) = **${fmt(ours.rps / p.rps, 2)}×**; server CPU ${fmt(ours.cpuUs)} vs ${fmt(p.cpuUs)} µs/req.` : null;
  }).filter(Boolean);
  const section = `<!-- bench:start -->
## Last run: ${date}

Machine: ${machine}. wrk, 1 thread, ${conns} connections (password grant: ${Math.max(4, 2 * availableParallelism())}), ${secs} s per scenario,
server and load generator on the same machine. argon2id t=${ARGON2.time}, m=${ARGON2.memory} KiB, p=${ARGON2.parallelism}.
RS256 is the default key type (as in the original); ES256 is \`--prefer-ec-token-signer\`. "server CPU" is the server
process's CPU time (all threads) per request; "main thread" the part of it on the thread that runs all JavaScript and
the database, the budget req/s is bounded by; "KB written" what that thread handed to write calls per request: the
answer plus the WAL frames (a 1 KiB page and a 24-byte header each) of the commits, steadier than time on this VM.

${table}

Ours / peer: the same client_credentials request, a fresh server of each, taking turns (three runs each, median):
${ratios.join('\n') || '- (peer not run)'}

- argon2 bound: ${fmt(argon2.verifiesPerSecond, 1)} argon2id verifies/s with all cores.
- Signing bound: ${Object.entries(signing).map(([a, n]) => `${a} ${fmt(n)}`).join(', ')} JWTs/s, signed through jose on all cores with nothing else
  running (bench/signing-bound.mjs). Every client_credentials or refresh_token answer signs one token, so neither can
  pass this rate on this machine, whatever the HTTP, database and load generator cost beside it.
- Start to both ports serving: ${fmt(st.startMs)} ms on an existing database (${fmt(st.firstStartMs)} ms on first run, which generates four signing keys).
- Idle RSS after start: ${fmt(st.idle.rssMb, 1)} MB.
<!-- bench:end -->`;
  let doc = existsSync(file) ? readFileSync(file, 'utf8') : '# Performance\n\nMeasured by `npm run bench` (see bench/).\n\n<!-- bench:start -->\n<!-- bench:end -->\n';
  doc = doc.replace(/<!-- bench:start -->[\s\S]*<!-- bench:end -->/, section);
  writeFileSync(file, doc);
}
